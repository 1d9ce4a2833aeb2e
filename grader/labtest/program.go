package labtest

import (
	"fmt"
	"io"
	"os"

	"go.uber.org/goleak"
)

// Main is the shape of every netlabs program: it parses args with its own
// flag.FlagSet, writes to stdout and stderr, and returns the exit status.
type Main func(args []string, stdout, stderr io.Writer) int

// Program turns main into a command for testscript.Main. The command exits with
// main's status; if goroutines are still running when main returns, it prints
// "LEAK: <stacks>" on stderr and exits 1 instead of 0, so a scenario that ends
// with "wait srv" and "! stderr LEAK" proves a clean shutdown.
func Program(main Main) func() {
	return func() {
		code := main(os.Args[1:], os.Stdout, os.Stderr)
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "LEAK: goroutines still running after the program returned: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
		os.Exit(code)
	}
}
