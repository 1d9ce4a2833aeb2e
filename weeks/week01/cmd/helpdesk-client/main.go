// Command helpdesk-client joins a helpdesk chat from the terminal; see package helpdesk.
package main

import (
	"os"

	"netlabs/weeks/week01/helpdesk"
)

func main() { os.Exit(helpdesk.ClientMain(os.Args[1:], os.Stdout, os.Stderr)) }
