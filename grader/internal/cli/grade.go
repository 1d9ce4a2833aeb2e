package cli

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"netlabs/grader/course"
	"netlabs/grader/internal/grading"
	"netlabs/grader/report"
	"netlabs/grader/result"
)

// gradeFlags are the grading command's flags.
type gradeFlags struct {
	weeks       string
	lab         string
	impl        string
	format      string
	out         string
	seed        string
	race        bool
	verbose     bool
	failUnder   float64
	hostNetwork bool
	jobs        int
}

func (f *gradeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.weeks, "week", "", "weeks to grade, e.g. 3 or 1,2 (default: all)")
	fs.StringVar(&f.lab, "lab", "", "grade only the basic or the extra lab of each week")
	fs.StringVar(&f.impl, "impl", grading.Student, "what to grade: student (weeks/) or reference")
	fs.StringVar(&f.format, "format", "text", "report format: "+strings.Join(report.Names(), ", "))
	fs.StringVar(&f.out, "o", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&f.seed, "seed", "", "seed for simulated loss and timing (default: a fresh one, printed)")
	fs.BoolVar(&f.race, "race", false, "build the tests with the race detector")
	fs.BoolVar(&f.verbose, "v", false, "show the whole output of failing checks")
	fs.Float64Var(&f.failUnder, "fail-under", 0, "exit 1 when the score is below `PERCENT` of the maximum")
	fs.BoolVar(&f.hostNetwork, "host-network", os.Getenv("NETLABS_HOST_NETWORK") == "1",
		"where no network namespace can be made, run broadcast and multicast tests on the host network (also NETLABS_HOST_NETWORK=1)")
	fs.IntVar(&f.jobs, "jobs", 0, "checks to run at once (default: the number of CPUs)")
}

// options turns the flags into grading options, or a usage error.
func (f *gradeFlags) options(root string) (grading.Options, error) {
	opt := grading.Options{Root: root, Impl: f.impl, Race: f.race, HostNetwork: f.hostNetwork, Jobs: f.jobs}
	if f.impl != grading.Student && f.impl != grading.Reference {
		return opt, fmt.Errorf("-impl %q: want student or reference", f.impl)
	}
	switch course.Kind(f.lab) {
	case "", course.Basic, course.Extra:
		opt.Kind = course.Kind(f.lab)
	default:
		return opt, fmt.Errorf("-lab %q: want basic or extra", f.lab)
	}
	for _, s := range strings.Split(f.weeks, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return opt, fmt.Errorf("-week %q: want week numbers like 3 or 1,2", f.weeks)
		}
		opt.Weeks = append(opt.Weeks, n)
	}
	if f.seed == "" {
		var b [8]byte
		rand.Read(b[:])
		opt.Seed = binary.BigEndian.Uint64(b[:]) >> 1 // stays a readable positive number
	} else {
		s, err := strconv.ParseUint(f.seed, 10, 64)
		if err != nil {
			return opt, fmt.Errorf("-seed %q: want a non-negative integer", f.seed)
		}
		opt.Seed = s
	}
	if f.failUnder < 0 || f.failUnder > 100 {
		return opt, fmt.Errorf("-fail-under %v: want a percentage from 0 to 100", f.failUnder)
	}
	return opt, nil
}

func gradeMain(args []string, stdout, stderr io.Writer) int {
	var f gradeFlags
	fs := flag.NewFlagSet("grader", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	f.register(fs)
	if code, ok := parseArgs(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "grader: unexpected argument %q (commands: report, selftest; see go run ./grader -h)\n", fs.Arg(0))
		return exitUsage
	}
	render, err := report.Format(f.format)
	if err != nil {
		fmt.Fprintf(stderr, "grader: %v\n", err)
		return exitUsage
	}
	root, ok := courseRoot("grader", stderr)
	if !ok {
		return exitUsage
	}
	opt, err := f.options(root)
	if err != nil {
		fmt.Fprintf(stderr, "grader: %v\n", err)
		return exitUsage
	}
	weeks, err := grading.Select(opt)
	if err != nil {
		fmt.Fprintf(stderr, "grader: %v\n", err)
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(stderr, "grading %s (%s), seed %d\n", describe(weeks), opt.Impl, opt.Seed)
	progress := report.NewProgress(stderr, countChecks(weeks), isTerminal(fileOf(stderr)))
	opt.Done = progress.Done
	run, err := grading.Grade(ctx, opt)
	progress.Finish()
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "grader: interrupted")
			return exitInternal
		}
		fmt.Fprintf(stderr, "grader: %v\n", err)
		return exitInternal
	}
	if err := write(f.out, stdout, func(w io.Writer) error {
		if f.format == "text" {
			return report.Text(w, run, report.TextOptions{Color: f.out == "" && colorOK(fileOf(stdout)), Verbose: f.verbose})
		}
		return render(w, run)
	}); err != nil {
		fmt.Fprintf(stderr, "grader: %v\n", err)
		return exitInternal
	}
	if f.out != "" {
		fmt.Fprintf(stderr, "score %d/%d, report written to %s\n", run.Score, run.MaxScore, f.out)
	}
	if n := run.GraderErrors(); n > 0 {
		fmt.Fprintf(stderr, "grader: %d check(s) could not be graded because the grader itself failed, twice (grader_error): the score above is incomplete; grade again\n", n)
		return exitInternal
	}
	if f.failUnder > 0 && percent(run) < f.failUnder {
		fmt.Fprintf(stderr, "grader: score %.1f%% is below -fail-under %.1f%%\n", percent(run), f.failUnder)
		return exitLow
	}
	return exitOK
}

// write writes a report to the file out (atomically), or to stdout.
func write(out string, stdout io.Writer, render func(io.Writer) error) error {
	if out == "" {
		return render(stdout)
	}
	tmp, err := os.CreateTemp(dirOf(out), ".netlabs-report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := render(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}

func percent(r *result.Run) float64 {
	if r.MaxScore == 0 {
		return 100
	}
	return 100 * float64(r.Score) / float64(r.MaxScore)
}

func countChecks(weeks []course.Week) int {
	n := 0
	for _, w := range weeks {
		for _, l := range w.Labs {
			n += len(l.Checks)
		}
	}
	return n
}

func describe(weeks []course.Week) string {
	if len(weeks) == 1 {
		return fmt.Sprintf("week %d", weeks[0].Number)
	}
	return fmt.Sprintf("%d weeks", len(weeks))
}
