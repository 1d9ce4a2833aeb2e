package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"netlabs/grader/report"
	"netlabs/grader/result"
)

// reportMain renders a saved JSON result: go run ./grader report -format markdown FILE.
func reportMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("grader report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "markdown", "report format: text, json, markdown, junit, …")
	out := fs.String("o", "", "write the report to `FILE` instead of standard output")
	verbose := fs.Bool("v", false, "text: show the whole output of failing checks")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./grader report [-format F] [-o FILE] RESULT.json")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	render, err := report.Format(*format)
	if err != nil {
		fmt.Fprintf(stderr, "grader report: %v\n", err)
		return exitUsage
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "grader report: %v\n", err)
		return exitUsage
	}
	var run result.Run
	if err := json.Unmarshal(b, &run); err != nil || run.Schema != result.Schema {
		fmt.Fprintf(stderr, "grader report: %s is not a %s result (%v)\n", fs.Arg(0), result.Schema, err)
		return exitUsage
	}
	if err := write(*out, stdout, func(w io.Writer) error {
		if *format == "text" {
			return report.Text(w, &run, report.TextOptions{Verbose: *verbose})
		}
		return render(w, &run)
	}); err != nil {
		fmt.Fprintf(stderr, "grader report: %v\n", err)
		return exitInternal
	}
	return exitOK
}
