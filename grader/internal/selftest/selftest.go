// Package selftest is the course's own test suite: go run ./grader selftest.
//
// It proves what the course promises its users, one line per step:
//
//   - the rubric is consistent, every check's test exists, and every handout's
//     grading table matches the rubric;
//   - every stub and its reference declare the same exported API with the
//     same doc comments (the stub's docs are the student's specification);
//   - everything is gofmt- and vet-clean, and the grader's own unit tests pass;
//   - every week's reference scores exactly 100%, every check passing;
//   - verdicts are stable: every check of every reference grading, and every
//     check that a fixture fails, runs Repeat times (3 by default), each with
//     a seed of its own, and a check that passes in one run and not in another fails its step
//     (-repeat-all repeats a fixture's passing checks too; -count N -load
//     grades each reference N times with every core kept busy: the loaded
//     certification);
//   - every week's stubs compile and score 0, without hanging;
//   - every check has a known-bad variant (grader/testdata/mutants), and
//     every variant loses exactly the checks written to catch it, and every cheat (grader/testdata/cheats)
//     scores 0 for what it fakes without disturbing the grader;
//   - the GitHub workflows lint clean with actionlint.
//
// It ends with the line "N passed, M failed".
package selftest

import (
	"context"
	"fmt"
	"io"
	"netlabs/grader/result"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Options shape a self-test run.
type Options struct {
	Root  string   // the module's root folder
	Seed  uint64   // the seed of every grading run
	Count int      // how many times to grade each week's reference (at least 1)
	Only  []string // run only the steps whose name contains one of these
	// Repeat is how many times each check of a reference or fixture grading
	// runs, each time with a seed of its own; a check whose verdict changes
	// fails the step (at least 1).
	Repeat int
	// RepeatAll repeats every check of a fixture, not only those that do not
	// pass on the first run (slow: the full stability certification).
	RepeatAll bool
	// Load keeps every core busy while the self-test runs, to prove that
	// verdicts do not depend on a quiet machine.
	Load bool
	// FixtureSample, when positive, grades every cheat but only that many of
	// each lab's known-bad variants, drawn with Seed (CI's quick run); zero
	// grades them all.
	FixtureSample int
	// BatchPerKind is how many synthetic checkouts of each kind the batch
	// step grades (at least 1).
	BatchPerKind int
	Out          io.Writer
}

// suite runs steps and counts their outcomes.
type suite struct {
	opt            Options
	passed, failed int
	test2json      string // built once for the fixtures' gradings
}

// Run runs the self-test and reports whether every step passed.
func Run(ctx context.Context, opt Options) bool {
	s := &suite{opt: opt}
	if !fileExists(s.abs("reference")) {
		fmt.Fprintln(opt.Out, "the self-test needs the instructor's repository: reference/ is missing (is this the student template?)")
		return false
	}
	which := "the checks a fixture fails"
	if opt.RepeatAll {
		which = "every check of a fixture"
	}
	fmt.Fprintf(opt.Out, "netlabs self-test, seed %d; every check of a reference and %s run %d time(s), with seeds from it\n", opt.Seed, which, max(1, opt.Repeat))
	if opt.Load {
		stop := busy()
		defer stop()
		fmt.Fprintf(opt.Out, "load: %d busy loops, one per core, until the self-test ends\n", runtime.NumCPU())
	}
	start := time.Now()
	s.static(ctx)
	s.weeks(ctx)
	s.fixtures(ctx)
	s.mutate(ctx)
	s.template(ctx)
	s.batchStep(ctx)
	fmt.Fprintf(opt.Out, "self-test took %v\n", time.Since(start).Round(100*time.Millisecond))
	fmt.Fprintf(opt.Out, "%d passed, %d failed\n", s.passed, s.failed)
	return s.failed == 0
}

// selected reports whether the step called name is to run.
func (s *suite) selected(name string) bool {
	return len(s.opt.Only) == 0 || containsAny(name, s.opt.Only)
}

// step runs f as one named step and prints its outcome.
func (s *suite) step(name string, f func() error) {
	if !s.selected(name) {
		return
	}
	start := time.Now()
	err := f()
	s.report(name, time.Since(start), err)
}

// report counts and prints the outcome of a step.
func (s *suite) report(name string, d time.Duration, err error) {
	d = d.Round(10 * time.Millisecond)
	if err == nil {
		s.passed++
		fmt.Fprintf(s.opt.Out, "ok   %s (%v)\n", name, d)
		return
	}
	s.failed++
	fmt.Fprintf(s.opt.Out, "FAIL %s (%v)\n%s\n", name, d, indent(err.Error()))
}

// goCmd runs the go command in the module root and returns its output as the
// error when it fails.
func (s *suite) goCmd(ctx context.Context, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = s.opt.Root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, tail(string(out), 60))
	}
	return nil
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// busy keeps every core busy until stop is called: a bounded load, in this
// process, that ends with the self-test.
func busy() (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Go(func() {
			for n := 0; ; n++ {
				if n%(1<<20) == 0 {
					select {
					case <-done:
						return
					default:
					}
				}
			}
		})
	}
	return func() { close(done); wg.Wait() }
}

// unstable lists the checks of run whose repeated runs did not all score as
// the first one did: a pass once and not another time. How a check that
// does not pass fails may vary (a racy variant crashes in one run and gives
// a wrong answer in the next: error, then fail); its points do not.
func unstable(run *result.Run, seed uint64) []error {
	var errs []error
	forEachCheck(run, func(l result.Lab, c result.Check) {
		for k, st := range c.Repeats {
			if (st == result.StatusPass) != (c.Status == result.StatusPass) {
				errs = append(errs, fmt.Errorf("%s is unstable: %s with seed %d, %s with seed %d", c.ID, c.Status, seed, st, seed+uint64(k+1)))
				return
			}
		}
	})
	return errs
}
