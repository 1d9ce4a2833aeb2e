// Command mcsend is week 4's multicast sender; see package netlabs/weeks/week04/multicast.
package main

import (
	"os"

	"netlabs/weeks/week04/multicast"
)

func main() { os.Exit(multicast.SendMain(os.Args[1:], os.Stdout, os.Stderr)) }
