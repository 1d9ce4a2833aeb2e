// Package grading grades a course: for every selected lab it checks the
// student's files against the policy, compiles the lab's tests (swapping in the
// reference or a fixture when asked), probes the binary, and runs every check
// in its own process, in parallel, into one result.Run.
//
// # The race detector
//
// Checks marked course.Check.Race call the lab's API from several goroutines
// at once. Their test always runs in a second build of the lab's tests with
// the race detector (go test -c -race), so a data race fails the check even
// when every answer happened to come out right; the message names the two
// accesses by file, line and function of the lab's code. The other checks run
// in the plain build: the race detector slows code 2-20 times and would make
// time limits harder to read. With -race every check runs under it. The race
// detector needs cgo and a C compiler; where there is none, Race checks run
// in the plain build and the report says so (Run.RaceNote).
package grading

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"netlabs/grader/course"
	"netlabs/grader/internal/build"
	"netlabs/grader/internal/integrity"
	"netlabs/grader/internal/policy"
	"netlabs/grader/internal/runner"
	"netlabs/grader/result"
	"netlabs/grader/sandbox"
)

// Implementations a run can grade.
const (
	Student   = "student"
	Reference = "reference"
)

// Options select and shape a grading run.
type Options struct {
	Root  string      // the module's root folder
	Weeks []int       // weeks to grade; none means all
	Kind  course.Kind // "" grades both labs of each week
	Impl  string      // Student or Reference
	Seed  uint64
	Race  bool
	// HostNetwork lets tests that need broadcast or multicast run on the host's
	// network when no namespace can be made.
	HostNetwork bool
	// NoSandbox runs the tests without a network namespace even where one could
	// be made (the self-test uses it to prove the fallback).
	NoSandbox bool
	// NoPolicy skips the static policy check (the self-test uses it to prove the
	// runner alone stops forged results).
	NoPolicy bool
	// Overlay, if set, adds files to a lab's build: mutants and fixtures.
	Overlay func(course.Lab) build.Overlay
	// Timeout, when positive, caps every check's own time limit (the
	// self-test shortens it for fixtures that hang on purpose).
	Timeout time.Duration
	// Jobs bounds the checks that run at once; zero means the number of CPUs.
	Jobs int
	// Repeat, when above 1, runs every check that many times, the first with
	// Seed and each further run with a seed of its own (Seed+1, Seed+2, ...);
	// the result is the first run's, with the others' statuses in Repeats.
	// The self-test uses it to prove that verdicts do not depend on the seed
	// or on timing.
	Repeat int
	// RepeatFailures limits Repeat to the checks whose first run failed or
	// erred: the runs that decide a known-bad variant's verdict, at a
	// fraction of the cost (the self-test's fixtures). A check that ran out
	// of time is not repeated either: each repeat would cost its whole limit
	// again, and a variant that hangs hangs on every seed.
	RepeatFailures bool
	// Test2JSON, if set, is a test2json binary built before (build.Toolchain.
	// Test2JSON): callers that grade many times in a row save its build.
	Test2JSON string
	// Done, if set, is called as each check finishes (from several goroutines).
	Done func(id string, status result.Status, d time.Duration)
	// Checks, if set, replaces each selected lab's checks with those it
	// returns: a subset, in another order, with other time limits (mutate
	// grades mutants with the cheap checks first and no bonus checks).
	Checks func(course.Lab) []course.Check
}

// Select returns the weeks and labs that opt selects, or an error naming a week
// that does not exist.
func Select(opt Options) ([]course.Week, error) {
	all := course.Weeks()
	if err := course.Validate(all); err != nil {
		return nil, fmt.Errorf("rubric: %w", err)
	}
	var weeks []course.Week
	for _, w := range all {
		if len(opt.Weeks) > 0 && !slices.Contains(opt.Weeks, w.Number) {
			continue
		}
		if opt.Kind != "" {
			w.Labs = slices.DeleteFunc(slices.Clone(w.Labs), func(l course.Lab) bool { return l.Kind != opt.Kind })
		}
		if opt.Checks != nil {
			w.Labs = slices.Clone(w.Labs)
			for i := range w.Labs {
				w.Labs[i].Checks = opt.Checks(w.Labs[i])
			}
		}
		weeks = append(weeks, w)
	}
	for _, n := range opt.Weeks {
		if !slices.ContainsFunc(weeks, func(w course.Week) bool { return w.Number == n }) {
			return nil, fmt.Errorf("no week %d in this course (weeks: %s)", n, weekList(all))
		}
	}
	return weeks, nil
}

func weekList(weeks []course.Week) string {
	var s []string
	for _, w := range weeks {
		s = append(s, fmt.Sprint(w.Number))
	}
	return strings.Join(s, ", ")
}

// Grade grades what opt selects. An error means the grader itself could not
// work (no go command, no scratch space); everything a lab does wrong is in the
// returned Run.
func Grade(ctx context.Context, opt Options) (*result.Run, error) {
	start := time.Now()
	weeks, err := Select(opt)
	if err != nil {
		return nil, err
	}
	scratch, err := os.MkdirTemp("", "netlabs-grade-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	tc := &build.Toolchain{Root: opt.Root, Dir: scratch, Race: opt.Race}
	t2j := opt.Test2JSON
	if t2j == "" {
		if t2j, err = tc.Test2JSON(ctx); err != nil {
			return nil, err
		}
	}
	r := &runner.Runner{Test2JSON: t2j, Seed: opt.Seed, HostNetwork: opt.HostNetwork, Timeout: opt.Timeout}
	run := &result.Run{
		Schema: result.Schema, Impl: opt.Impl, Seed: opt.Seed, Race: opt.Race,
		GoVersion: runtime.Version(), StartedAt: start.UTC().Format(time.RFC3339),
	}
	run.Sandbox = chooseSandbox(r, opt)
	if opt.Impl == Student {
		run.Integrity, run.Changed = checkIntegrity(opt.Root)
	}

	g := &grader{opt: opt, tc: tc, r: r, jobs: make(chan struct{}, jobs(opt)), builds: make(chan struct{}, 2)}
	var wg sync.WaitGroup
	for _, w := range weeks {
		wr := result.Week{Week: w.Number, Title: w.Title, Labs: make([]result.Lab, len(w.Labs))}
		run.Weeks = append(run.Weeks, wr)
		labs := run.Weeks[len(run.Weeks)-1].Labs
		for i, l := range w.Labs {
			wg.Go(func() { labs[i] = g.lab(ctx, l) })
		}
	}
	wg.Wait()
	run.RaceNote = g.raceNote
	run.Total()
	run.DurationMS = time.Since(start).Milliseconds()
	return run, ctx.Err()
}

// checkIntegrity compares a student checkout with its manifest of protected
// files; the instructor's repository has none, and gets "".
func checkIntegrity(root string) (string, []string) {
	m, ok, err := integrity.Load(root)
	switch {
	case !ok:
		return "", nil
	case err != nil:
		return "modified", []string{err.Error()}
	}
	problems, err := m.Verify(root)
	if err != nil {
		return "modified", []string{"cannot verify: " + err.Error()}
	}
	if len(problems) == 0 {
		return "verified", nil
	}
	var changed []string
	for _, p := range problems {
		changed = append(changed, p.String())
	}
	return "modified", changed
}

// chooseSandbox decides how tests are isolated and says so for the report.
func chooseSandbox(r *runner.Runner, opt Options) string {
	switch err := sandbox.Check(); {
	case opt.NoSandbox:
		r.SandboxNote = "disabled by the grader's caller"
	case err != nil:
		r.SandboxNote = err.Error()
	default:
		r.Sandboxed = true
		return "netns"
	}
	if opt.HostNetwork {
		return "host network (opted in): " + r.SandboxNote
	}
	return "none: " + r.SandboxNote
}

func jobs(opt Options) int {
	if opt.Jobs > 0 {
		return opt.Jobs
	}
	return max(2, runtime.NumCPU())
}

// grader holds what the labs of one run share.
type grader struct {
	opt    Options
	tc     *build.Toolchain
	r      *runner.Runner
	jobs   chan struct{} // a token per running check
	builds chan struct{} // a token per running build

	raceOnce sync.Once
	raceNote string // why Check.Race checks run without the race detector
}

// lab grades one lab.
func (g *grader) lab(ctx context.Context, l course.Lab) result.Lab {
	lr := result.Lab{Lab: string(l.Kind), Title: l.Title, Package: l.Package}
	fail := func(msg string) result.Lab {
		lr.Checks = g.failAll(l, result.StatusError, msg)
		return lr
	}
	violations, excluded, err := g.policy(l)
	if err != nil {
		return fail("grader: policy check: " + err.Error())
	}
	lr.Excluded = excluded
	if len(violations) > 0 && !g.opt.NoPolicy {
		lr.Violations = violations
		return fail(fmt.Sprintf("not graded: %d policy violation(s) in the lab's files; see the list below and fix them first", len(violations)))
	}

	bin, err := g.build(ctx, g.tc, l, l.ID(), excluded)
	if be := (*build.BuildError)(nil); errors.As(err, &be) {
		lr.BuildError = be.Output
		return fail("the lab's tests did not compile; the compiler's message is below")
	} else if err != nil {
		lr.Checks = g.failAll(l, result.StatusGraderError, "grader: the lab could not be built, twice: "+err.Error()+" (not a problem of the lab's code: grade again)")
		return lr
	}
	b := runner.Binary{Path: bin, Dir: filepath.Join(g.opt.Root, filepath.FromSlash(l.Package)), Package: "netlabs/" + l.Package, LabFiles: l.Files}
	tests, err := g.r.Probe(ctx, b)
	if err != nil {
		return fail(err.Error())
	}
	raceBin, raceErr := g.raceBinary(ctx, l, excluded, b)

	lr.Checks = make([]result.Check, len(l.Checks))
	var wg sync.WaitGroup
	for i, c := range l.Checks {
		top, _, _ := strings.Cut(c.Test, "/")
		if !slices.Contains(tests, top) {
			lr.Checks[i] = g.failOne(c, result.StatusError, "the graded test "+top+" is missing from the lab's test binary: were the graded test files changed?")
			continue
		}
		cb := b
		if c.Race && raceBin != nil {
			cb = *raceBin
		} else if c.Race && raceErr != nil {
			lr.Checks[i] = g.failOne(c, result.StatusGraderError, "grader: the race detector build failed, twice: "+raceErr.Error())
			continue
		}
		wg.Go(func() {
			g.jobs <- struct{}{}
			defer func() { <-g.jobs }()
			lr.Checks[i] = g.check(ctx, cb, c)
			lr.Checks[i].Race = g.opt.Race || (c.Race && raceBin != nil)
			g.done(lr.Checks[i])
		})
	}
	wg.Wait()
	return lr
}

// build compiles the lab's tests with tc under name. A failure that is not a
// compile error (the go command killed, a full disk) is the grader's own: it
// is tried once more.
func (g *grader) build(ctx context.Context, tc *build.Toolchain, l course.Lab, name string, excluded []string) (string, error) {
	var bin string
	var err error
	for try := 0; try < 2; try++ {
		g.builds <- struct{}{}
		bin, err = tc.TestBinary(ctx, l.Package, name, g.overlay(l, excluded))
		<-g.builds
		if be := (*build.BuildError)(nil); err == nil || errors.As(err, &be) || ctx.Err() != nil {
			break
		}
	}
	return bin, err
}

// check runs c once, or opt.Repeat times with a seed each. A run that ends
// in the grader's own failure is run once more; a check that passes only then
// is marked flaky.
func (g *grader) check(ctx context.Context, b runner.Binary, c course.Check) result.Check {
	run := func(r *runner.Runner) result.Check {
		res := r.Run(ctx, b, c)
		if res.Status == result.StatusGraderError && ctx.Err() == nil {
			res = r.Run(ctx, b, c)
			res.Flaky = res.Status == result.StatusPass
		}
		return res
	}
	res := run(g.r)
	if g.opt.RepeatFailures && (res.Status == result.StatusPass || res.Status == result.StatusTimeout) {
		return res
	}
	for k := 1; k < g.opt.Repeat; k++ {
		r := *g.r
		r.Seed = g.opt.Seed + uint64(k)
		res.Repeats = append(res.Repeats, run(&r).Status)
	}
	return res
}

// raceBinary builds the lab's tests with the race detector when some of its
// checks always run under it (course.Check.Race) and the run is not a -race
// run already. It returns nil and no error when no such build is needed, and
// nil and no error when the race detector is unavailable on this machine: the
// run's RaceNote says why, and those checks run in the plain build.
func (g *grader) raceBinary(ctx context.Context, l course.Lab, excluded []string, plain runner.Binary) (*runner.Binary, error) {
	if g.opt.Race || !slices.ContainsFunc(l.Checks, func(c course.Check) bool { return c.Race }) {
		return nil, nil
	}
	if note := g.raceUnavailable(ctx); note != "" {
		return nil, nil
	}
	tc := *g.tc
	tc.Race = true
	bin, err := g.build(ctx, &tc, l, l.ID()+".race", excluded)
	if err != nil {
		return nil, err
	}
	b := plain
	b.Path = bin
	return &b, nil
}

// raceUnavailable says, once per run, why this machine cannot build with the
// race detector ("" when it can).
func (g *grader) raceUnavailable(ctx context.Context) string {
	g.raceOnce.Do(func() { g.raceNote = g.tc.RaceUnavailable(ctx) })
	return g.raceNote
}

// policy checks the lab's folder and the programs' shared plumbing, and in
// reference mode the reference too.
func (g *grader) policy(l course.Lab) ([]result.Violation, []string, error) {
	vs, excluded, err := policy.Check(g.opt.Root, l.Package, l.TestFiles)
	if err != nil {
		return nil, nil, err
	}
	dirs := []string{policy.SharedPackage}
	if g.opt.Impl == Reference {
		dirs = append(dirs, l.ReferenceDir())
	}
	for _, dir := range dirs {
		more, _, err := policy.Check(g.opt.Root, dir, []string{"program_test.go"})
		if err != nil {
			return nil, nil, err
		}
		vs = append(vs, more...)
	}
	return vs, excluded, nil
}

// overlay is what the lab's build swaps: the reference's files, the student's
// own test files (removed), and the caller's additions.
func (g *grader) overlay(l course.Lab, excluded []string) build.Overlay {
	abs := func(rel string) string { return filepath.Join(g.opt.Root, filepath.FromSlash(rel)) }
	ov := build.Overlay{}
	if g.opt.Impl == Reference {
		for _, f := range l.Files {
			ov[abs(l.Package+"/"+f)] = abs(l.ReferenceDir() + "/" + f)
		}
	}
	for _, f := range excluded {
		ov[abs(f)] = ""
	}
	if g.opt.Overlay != nil {
		for k, v := range g.opt.Overlay(l) {
			ov[k] = v
		}
	}
	return ov
}

func (g *grader) failAll(l course.Lab, st result.Status, msg string) []result.Check {
	out := make([]result.Check, len(l.Checks))
	for i, c := range l.Checks {
		out[i] = g.failOne(c, st, msg)
	}
	return out
}

func (g *grader) failOne(c course.Check, st result.Status, msg string) result.Check {
	rc := runner.NewCheck(c)
	rc.Status, rc.Message, rc.Hint = st, msg, c.Hint
	g.done(rc)
	return rc
}

func (g *grader) done(c result.Check) {
	if g.opt.Done != nil {
		g.opt.Done(c.ID, c.Status, time.Duration(c.DurationMS)*time.Millisecond)
	}
}
