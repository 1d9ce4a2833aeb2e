// Command bcastscan is week 3's broadcast discovery scan; see package netlabs/weeks/week03/broadcast.
package main

import (
	"os"

	"netlabs/weeks/week03/broadcast"
)

func main() { os.Exit(broadcast.SeekerMain(os.Args[1:], os.Stdout, os.Stderr)) }
