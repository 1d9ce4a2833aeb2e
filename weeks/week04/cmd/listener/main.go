// Command listener runs the classroom listener; see package classroom.
package main

import (
	"os"

	"netlabs/weeks/week04/classroom"
)

func main() { os.Exit(classroom.ListenerMain(os.Args[1:], os.Stdout, os.Stderr)) }
