package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"netlabs/grader/internal/grading"
	"netlabs/grader/internal/mutate"
)

// mutateMain grades generated mutants of the references:
// go run ./grader mutate [flags]. It exits 1 when a lab's kill rate is below
// the target, 2 for usage errors and 3 when the run could not finish.
func mutateMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("grader mutate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f gradeFlags
	fs.StringVar(&f.weeks, "week", "", "weeks to mutate, e.g. 1 or 1,2 (default: all)")
	fs.StringVar(&f.lab, "lab", "", "mutate only the basic or the extra lab of each week")
	fs.StringVar(&f.seed, "seed", strconv.Itoa(mutate.DefaultSeed), "seed for grading every mutant and for -sample")
	sample := fs.Int("sample", 0, "grade only `K` mutants per lab, drawn with the seed (default: all)")
	out := fs.String("o", "", "write the report to `FILE` instead of standard output")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./grader mutate [-week N] [-lab basic|extra] [-seed S] [-sample K] [-o FILE]")
		fmt.Fprintln(stderr, "Applies mutation operators to each lab's reference, grades every mutant against the lab's")
		fmt.Fprintln(stderr, "checks and reports the kill rate per lab and every survivor (go doc netlabs/grader/internal/mutate).")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 || *sample < 0 {
		fs.Usage()
		return exitUsage
	}
	root, ok := courseRoot("grader mutate", stderr)
	if !ok {
		return exitUsage
	}
	f.impl = grading.Reference
	gopt, err := f.options(root)
	if err == nil {
		_, err = grading.Select(gopt)
	}
	if err != nil {
		fmt.Fprintf(stderr, "grader mutate: %v\n", err)
		return exitUsage
	}
	opt := mutate.Options{
		Root: root, Weeks: gopt.Weeks, Kind: gopt.Kind, Seed: gopt.Seed, Sample: *sample,
		Progress: mutate.NewProgress(stderr, isTerminal(fileOf(stderr))),
	}
	fmt.Fprintf(stderr, "mutating the references, seed %d\n", opt.Seed)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := mutate.Run(ctx, opt)
	opt.Progress.Finish()
	if rep != nil {
		// Interrupted, the report still says what was graded until then.
		if werr := write(*out, stdout, func(w io.Writer) error { rep.Write(w); return nil }); werr != nil {
			err = errors.Join(err, werr)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "grader mutate: %v\n", err)
		return exitInternal
	}
	if !rep.OK() {
		return exitLow
	}
	return exitOK
}
