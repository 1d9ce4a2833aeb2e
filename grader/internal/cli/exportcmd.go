package cli

import (
	"flag"
	"fmt"
	"io"

	"netlabs/grader/internal/export"
)

// exportMain writes the student template: go run ./grader export [-git] DIR.
func exportMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("grader export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	git := fs.Bool("git", false, "make DIR a fresh git repository with the template as its first commit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./grader export [-git] DIR")
		fmt.Fprintln(stderr, "Writes the student template into DIR (new or empty): everything but the reference")
		fmt.Fprintln(stderr, "solutions and instructor-only files, plus the manifest of protected files.")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	root, ok := courseRoot("grader export", stderr)
	if !ok {
		return exitUsage
	}
	sum, err := export.Export(root, fs.Arg(0), *git)
	if err != nil {
		fmt.Fprintf(stderr, "grader export: %v\n", err)
		return exitInternal
	}
	fmt.Fprintf(stdout, "wrote the student template to %s: %d files, %d of them protected\n", fs.Arg(0), sum.Files, sum.Protected)
	return exitOK
}
