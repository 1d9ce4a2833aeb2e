package mutate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"netlabs/grader/course"
	"netlabs/grader/internal/build"
	"netlabs/grader/internal/grading"
	"netlabs/grader/result"
)

// DefaultSeed is the seed of a run that names none: fates and samples are
// the same from one run to the next.
const DefaultSeed = 1

// Target is the kill rate every lab must reach.
const Target = 0.90

// SelftestSample is how many mutants of each lab the self-test grades: on
// two cores, about 15 seconds a lab.
const SelftestSample = 2

// Time limits of a mutant's checks: a check gets Slack times what it took on
// the reference, but at least MinLimit, and never more than its own limit.
// Without the reference's run (Options.NoBaseline) a check gets at most
// NoBaselineLimit.
const (
	Slack           = 4
	MinLimit        = 10 * time.Second
	NoBaselineLimit = 20 * time.Second
)

// Options select and shape a mutation run.
type Options struct {
	Root  string      // the module's root folder
	Weeks []int       // weeks to mutate; none means all
	Kind  course.Kind // "" mutates both labs of each week
	// Seed is the grading seed of every mutant and the seed of the sample.
	Seed uint64
	// Sample, when positive, grades only that many mutants per lab, drawn
	// with Seed from those that compile and are not listed as equivalent.
	Sample int
	// Workers is how many mutants are graded at once; zero means 2.
	Workers int
	// NoBaseline skips grading the reference first (the self-test, whose
	// weeks step does that already); the checks then run in the rubric's
	// order with at most NoBaselineLimit each.
	NoBaseline bool
	// Progress, if set, hears of each lab and each mutant as they go.
	Progress Progress

	test2json string // built once per run
}

// Fate is what became of a mutant.
type Fate string

// Fates.
const (
	NotCompiling Fate = "not compiling"
	Killed       Fate = "killed"
	Survived     Fate = "survived"
	Equivalent   Fate = "equivalent"
	Errored      Fate = "error" // the grader itself failed: no verdict
)

// Result is one mutant's fate.
type Result struct {
	Mutant Mutant
	Fate   Fate
	// Why: the check that killed it and how, the compiler's message, the
	// reason it is equivalent, or the grader's error.
	Why      string
	Diff     string
	Duration time.Duration
}

// LabReport is one lab's mutants and their fates.
type LabReport struct {
	Lab       course.Lab
	Generated int
	// Results holds every mutant that does not compile, every one listed as
	// equivalent, and every one graded (all the others, or the sample), in
	// source order.
	Results  []Result
	Stale    []string // ids in the equivalents file that no mutant has
	Sampled  bool     // Results hold a sample of the mutants that compile
	Duration time.Duration
	Err      error // the lab could not be mutated: no figures
}

// Count is the number of results with fate f.
func (r *LabReport) Count(f Fate) int {
	n := 0
	for _, res := range r.Results {
		if res.Fate == f {
			n++
		}
	}
	return n
}

// KillRate is killed / (killed + survived), and false when nothing was
// graded.
func (r *LabReport) KillRate() (float64, bool) {
	k, s := r.Count(Killed), r.Count(Survived)
	if k+s == 0 {
		return 0, false
	}
	return float64(k) / float64(k+s), true
}

// OK reports whether the lab reached Target with no errors.
func (r *LabReport) OK() bool {
	rate, graded := r.KillRate()
	return r.Err == nil && r.Count(Errored) == 0 && (!graded || rate >= Target)
}

// Report is a whole run.
type Report struct {
	Seed     uint64
	Sample   int
	Labs     []*LabReport
	Duration time.Duration
}

// EquivalentsPath is the slash path, from the module root, of lab l's
// equivalents file: grader/testdata/mutants/week01/tcpack/equivalent.txt.
func EquivalentsPath(l course.Lab) string {
	return path.Join("grader/testdata/mutants", strings.TrimPrefix(l.Package, "weeks/"), EquivalentFile)
}

// Run generates and grades the mutants of every lab opt selects. An error
// means the run could not go on (ctx ended, no scratch space, the rubric is
// broken); a lab that could not be mutated has its Err set.
func Run(ctx context.Context, opt Options) (*Report, error) {
	start := time.Now()
	weeks, err := grading.Select(grading.Options{Weeks: opt.Weeks, Kind: opt.Kind})
	if err != nil {
		return nil, err
	}
	scratch, err := os.MkdirTemp("", "netlabs-mutate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	// One test2json for the whole run, not one per mutant.
	if opt.test2json, err = (&build.Toolchain{Root: opt.Root, Dir: scratch}).Test2JSON(ctx); err != nil {
		return nil, err
	}
	rep := &Report{Seed: opt.Seed, Sample: opt.Sample}
	for _, w := range weeks {
		for _, l := range w.Labs {
			lr := runLab(ctx, opt, l, scratch)
			rep.Labs = append(rep.Labs, lr)
			if err := ctx.Err(); err != nil {
				rep.Duration = time.Since(start)
				return rep, err
			}
		}
	}
	rep.Duration = time.Since(start)
	return rep, nil
}

// runLab generates, checks and grades the mutants of lab l.
func runLab(ctx context.Context, opt Options, l course.Lab, scratch string) *LabReport {
	start := time.Now()
	lr := &LabReport{Lab: l, Sampled: opt.Sample > 0}
	defer func() { lr.Duration = time.Since(start) }()
	dir := filepath.Join(scratch, l.ID())
	if lr.Err = os.MkdirAll(dir, 0o755); lr.Err != nil {
		return lr
	}
	eq, err := LoadEquivalents(filepath.Join(opt.Root, filepath.FromSlash(EquivalentsPath(l))))
	if err != nil {
		lr.Err = err
		return lr
	}
	ck, err := newChecker(ctx, opt.Root, l, dir)
	if err != nil {
		lr.Err = err
		return lr
	}

	// Generate every mutant, and sort out those that do not compile and
	// those listed as equivalent.
	var all, graded []Mutant
	srcs := map[string][]byte{}
	for _, name := range l.Files {
		f, info, err := ck.check(name, nil)
		if err != nil {
			lr.Err = fmt.Errorf("the reference does not type-check: %v", err)
			return lr
		}
		srcs[name] = ck.srcs[name]
		all = append(all, Generate(ck.fset, name, f, ck.srcs[name], info)...)
	}
	lr.Generated = len(all)
	ids := map[string]bool{}
	for _, m := range all {
		ids[m.ID] = true
	}
	lr.Stale = eq.Stale(ids)
	results := map[string]Result{}
	for _, m := range all {
		res := Result{Mutant: m, Diff: m.Diff(srcs[m.File])}
		if _, _, err := ck.check(m.File, m.Apply(srcs[m.File])); err != nil {
			res.Fate, res.Why = NotCompiling, err.Error()
		} else if why, ok := eq[m.ID]; ok {
			res.Fate, res.Why = Equivalent, why
		} else {
			graded = append(graded, m)
			continue
		}
		results[m.ID] = res
	}
	if opt.Sample > 0 && opt.Sample < len(graded) {
		h := fnv.New64a()
		h.Write([]byte(l.ID()))
		rng := rand.New(rand.NewPCG(opt.Seed, h.Sum64()))
		rng.Shuffle(len(graded), func(i, j int) { graded[i], graded[j] = graded[j], graded[i] })
		graded = graded[:opt.Sample]
	}

	checks, err := limits(ctx, opt, l)
	if err != nil {
		lr.Err = err
		return lr
	}
	if opt.Progress != nil {
		opt.Progress.Lab(l, len(graded))
	}
	out := make([]Result, len(graded))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(cmp.Or(opt.Workers, 2), max(1, len(graded))) {
		wg.Go(func() {
			for i := range next {
				m := graded[i]
				out[i] = gradeMutant(ctx, opt, l, checks, m, srcs[m.File], filepath.Join(dir, fmt.Sprint(i)))
				if opt.Progress != nil {
					opt.Progress.Mutant(l, out[i])
				}
			}
		})
	}
	for i := range graded {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	for _, res := range out {
		// A mutant cut short by the end of ctx has no fate.
		if res.Fate != "" && !(res.Fate == Errored && ctx.Err() != nil) {
			results[res.Mutant.ID] = res
		}
	}
	for _, m := range all {
		if res, ok := results[m.ID]; ok {
			lr.Results = append(lr.Results, res)
		}
	}
	return lr
}

// limits returns the checks a mutant is graded with: all the lab's checks,
// bonus ones too (a bonus is part of the contract), each with a shorter time
// limit, the quickest first. It grades the
// reference to learn how long each check takes, and fails when the
// reference does not pass them all: every mutant would then look killed.
func limits(ctx context.Context, opt Options, l course.Lab) ([]course.Check, error) {
	checks := slices.Clone(l.Checks)
	if opt.NoBaseline {
		for i := range checks {
			checks[i].Timeout = min(checks[i].Limit(), NoBaselineLimit)
		}
		return checks, nil
	}
	run, err := grading.Grade(ctx, grading.Options{
		Root: opt.Root, Weeks: []int{l.Week}, Kind: l.Kind, Impl: grading.Reference, Seed: opt.Seed,
		Checks:    func(course.Lab) []course.Check { return checks },
		Test2JSON: opt.test2json,
	})
	if err != nil {
		return nil, fmt.Errorf("grade the reference: %w", err)
	}
	took := map[string]time.Duration{}
	for _, c := range run.Weeks[0].Labs[0].Checks {
		if c.Status != result.StatusPass {
			return nil, fmt.Errorf("the reference fails %s (%s) before any mutation: %s", c.ID, c.Status, firstLine(c.Message))
		}
		took[c.ID] = time.Duration(c.DurationMS) * time.Millisecond
	}
	for i := range checks {
		checks[i].Timeout = min(checks[i].Limit(), max(MinLimit, Slack*took[checks[i].ID]))
	}
	slices.SortStableFunc(checks, func(a, b course.Check) int { return cmp.Compare(took[a.ID], took[b.ID]) })
	return checks, nil
}

// gradeMutant grades lab l with mutant m in place of its file, and stops at
// the first check that does not pass.
func gradeMutant(ctx context.Context, opt Options, l course.Lab, checks []course.Check, m Mutant, src []byte, dir string) (res Result) {
	start := time.Now()
	res = Result{Mutant: m, Diff: m.Diff(src)}
	defer func() { res.Duration = time.Since(start) }()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		res.Fate, res.Why = Errored, err.Error()
		return res
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, m.File)
	if err := os.WriteFile(file, m.Apply(src), 0o644); err != nil {
		res.Fate, res.Why = Errored, err.Error()
		return res
	}
	target := filepath.Join(opt.Root, filepath.FromSlash(l.Package), m.File)

	// Checks that run under the race detector need a second build: they run
	// only when the others have all passed.
	plain := slices.DeleteFunc(slices.Clone(checks), func(c course.Check) bool { return c.Race })
	raced := slices.DeleteFunc(slices.Clone(checks), func(c course.Check) bool { return !c.Race })
	for _, phase := range [][]course.Check{plain, raced} {
		if len(phase) == 0 {
			continue
		}
		if done := gradePhase(ctx, opt, l, phase, build.Overlay{target: file}, &res); done {
			return res
		}
	}
	res.Fate = Survived
	return res
}

// gradePhase grades lab l with checks and the mutant's overlay, and stops at
// the first check that does not pass. It reports whether res has a fate.
func gradePhase(ctx context.Context, opt Options, l course.Lab, checks []course.Check, ov build.Overlay, res *Result) bool {
	mctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var first string
	run, err := grading.Grade(mctx, grading.Options{
		Root: opt.Root, Weeks: []int{l.Week}, Kind: l.Kind, Impl: grading.Reference, Seed: opt.Seed,
		Overlay:   func(course.Lab) build.Overlay { return ov },
		Checks:    func(course.Lab) []course.Check { return checks },
		Jobs:      1,
		Test2JSON: opt.test2json,
		Done: func(id string, st result.Status, _ time.Duration) {
			if st == result.StatusPass {
				return
			}
			mu.Lock()
			if first == "" {
				first = id
			}
			mu.Unlock()
			cancel() // the mutant is killed: stop the other checks
		},
	})
	switch {
	case ctx.Err() != nil:
		res.Fate, res.Why = Errored, ctx.Err().Error()
		return true
	case err != nil && !errors.Is(err, context.Canceled):
		res.Fate, res.Why = Errored, err.Error()
		return true
	case run == nil || len(run.Weeks) != 1 || len(run.Weeks[0].Labs) != 1:
		res.Fate, res.Why = Errored, "grading returned no result for the lab"
		return true
	}
	lab := run.Weeks[0].Labs[0]
	if lab.BuildError != "" {
		// Only an error in the mutated file is the mutant's; any other
		// means the lab's tests do not build (someone is editing them).
		res.Fate, res.Why = NotCompiling, firstLine(lab.BuildError)
		if !strings.Contains(lab.BuildError, l.Package+"/"+res.Mutant.File+":") {
			res.Fate, res.Why = Errored, "the lab's tests do not build: "+firstLine(lab.BuildError)
		}
		return true
	}
	for _, c := range lab.Checks {
		if c.ID != first {
			continue
		}
		if strings.HasPrefix(c.Message, "grader: ") {
			res.Fate, res.Why = Errored, c.ID+": "+firstLine(c.Message)
		} else {
			res.Fate, res.Why = Killed, fmt.Sprintf("%s %s: %s", c.ID, c.Status, firstLine(c.Message))
		}
		return true
	}
	return false
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
