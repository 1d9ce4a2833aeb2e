// Command bcastd is week 3's broadcast responder; see package netlabs/weeks/week03/broadcast.
package main

import (
	"os"

	"netlabs/weeks/week03/broadcast"
)

func main() { os.Exit(broadcast.ResponderMain(os.Args[1:], os.Stdout, os.Stderr)) }
