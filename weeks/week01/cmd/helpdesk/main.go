// Command helpdesk runs the helpdesk chat server; see package helpdesk.
package main

import (
	"os"

	"netlabs/weeks/week01/helpdesk"
)

func main() { os.Exit(helpdesk.ServerMain(os.Args[1:], os.Stdout, os.Stderr)) }
