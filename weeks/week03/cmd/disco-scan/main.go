// Command disco-scan is week 3's discovery tool: it broadcasts a query and
// lists the services that answer; see package netlabs/weeks/week03/discovery.
package main

import (
	"os"

	"netlabs/weeks/week03/discovery"
)

func main() { os.Exit(discovery.ScanMain(os.Args[1:], os.Stdout, os.Stderr)) }
