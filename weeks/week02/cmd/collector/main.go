// Command collector is week 2's sensor collector; see package netlabs/weeks/week02/sensors.
package main

import (
	"os"

	"netlabs/weeks/week02/sensors"
)

func main() { os.Exit(sensors.CollectorMain(os.Args[1:], os.Stdout, os.Stderr)) }
