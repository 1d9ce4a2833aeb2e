// Command udpsend is week 2's datagram sender; see package netlabs/weeks/week02/datagram.
package main

import (
	"os"

	"netlabs/weeks/week02/datagram"
)

func main() { os.Exit(datagram.SendMain(os.Args[1:], os.Stdout, os.Stderr)) }
