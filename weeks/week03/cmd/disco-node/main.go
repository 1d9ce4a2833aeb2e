// Command disco-node is week 3's discovery node: it answers scans with its
// services; see package netlabs/weeks/week03/discovery.
package main

import (
	"os"

	"netlabs/weeks/week03/discovery"
)

func main() { os.Exit(discovery.NodeMain(os.Args[1:], os.Stdout, os.Stderr)) }
