// Command teacher runs the classroom teacher; see package classroom.
package main

import (
	"os"

	"netlabs/weeks/week04/classroom"
)

func main() { os.Exit(classroom.TeacherMain(os.Args[1:], os.Stdout, os.Stderr)) }
