// Command grader grades the netlabs course: go run ./grader -h.
//
// Its command line and JSON result are documented in package
// netlabs/grader/internal/cli and netlabs/grader/result.
package main

import (
	"os"

	"netlabs/grader/internal/cli"
	"netlabs/grader/sandbox"
)

func main() {
	sandbox.Init() // when started as a test's network namespace: set it up and run the test
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
