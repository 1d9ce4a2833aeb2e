// Command mclisten is week 4's multicast listener; see package netlabs/weeks/week04/multicast.
package main

import (
	"os"

	"netlabs/weeks/week04/multicast"
)

func main() { os.Exit(multicast.ListenMain(os.Args[1:], os.Stdout, os.Stderr)) }
