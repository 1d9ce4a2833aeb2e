// Command ackclient is week 1's acknowledgement client; see package netlabs/weeks/week01/tcpack.
package main

import (
	"os"

	"netlabs/weeks/week01/tcpack"
)

func main() { os.Exit(tcpack.ClientMain(os.Args[1:], os.Stdout, os.Stderr)) }
