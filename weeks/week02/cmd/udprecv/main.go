// Command udprecv is week 2's datagram receiver; see package netlabs/weeks/week02/datagram.
package main

import (
	"os"

	"netlabs/weeks/week02/datagram"
)

func main() { os.Exit(datagram.RecvMain(os.Args[1:], os.Stdout, os.Stderr)) }
