// Command sensor is week 2's simulated temperature sensor; see package netlabs/weeks/week02/sensors.
package main

import (
	"os"

	"netlabs/weeks/week02/sensors"
)

func main() { os.Exit(sensors.SensorMain(os.Args[1:], os.Stdout, os.Stderr)) }
