package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"netlabs/grader/internal/selftest"
)

// selftestMain runs the course's own test suite: go run ./grader selftest.
func selftestMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("grader selftest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.String("seed", "", "seed for every grading run (default: a fresh one, printed)")
	count := fs.Int("count", 1, "grade each week's reference `N` times (flake hunting)")
	only := fs.String("run", "", "run only the steps whose name contains one of these comma-separated words")
	perKind := fs.Int("batch", 1, "synthetic checkouts of each kind in the batch step (6 kinds)")
	repeat := fs.Int("repeat", 3, "run every check of the references, and every check a fixture fails, `N` times, each with its own seed; a verdict that changes fails")
	repeatAll := fs.Bool("repeat-all", false, "repeat every check of a fixture, not only those it fails (slow: the full stability certification)")
	sample := fs.Int("fixtures", 0, "grade every cheat but only `N` known-bad variants per lab, drawn with the seed (0: all of them)")
	load := fs.Bool("load", false, "keep every core busy while the self-test runs (with -count, the loaded certification)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./grader selftest [-seed N] [-count N] [-repeat N] [-repeat-all] [-fixtures N] [-load] [-run words]")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 || *count < 1 || *repeat < 1 || *sample < 0 {
		fs.Usage()
		return exitUsage
	}
	root, ok := courseRoot("grader selftest", stderr)
	if !ok {
		return exitUsage
	}
	opt := selftest.Options{Root: root, Count: *count, Repeat: *repeat, RepeatAll: *repeatAll, Load: *load, FixtureSample: *sample, BatchPerKind: *perKind, Out: stdout, Seed: uint64(time.Now().UnixNano()) >> 1}
	if *seed != "" {
		var err error
		if opt.Seed, err = strconv.ParseUint(*seed, 10, 64); err != nil {
			fmt.Fprintf(stderr, "grader selftest: -seed %q: want a non-negative integer\n", *seed)
			return exitUsage
		}
	}
	if *only != "" {
		opt.Only = strings.Split(*only, ",")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !selftest.Run(ctx, opt) {
		return exitLow
	}
	return exitOK
}
