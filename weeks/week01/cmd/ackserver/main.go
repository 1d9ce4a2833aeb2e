// Command ackserver is week 1's acknowledgement server; see package netlabs/weeks/week01/tcpack.
package main

import (
	"os"

	"netlabs/weeks/week01/tcpack"
)

func main() { os.Exit(tcpack.ServerMain(os.Args[1:], os.Stdout, os.Stderr)) }
