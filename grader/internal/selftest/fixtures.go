package selftest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"netlabs/grader/course"
	"netlabs/grader/internal/build"
	"netlabs/grader/internal/grading"
	"netlabs/grader/internal/runner"
	"netlabs/grader/result"
)

// fixtureDirs hold the known-bad variants: mutants/weekNN/<pkg>/*.txtar (the
// lab follows from the folder) and cheats/*.txtar (the lab is in the header).
const (
	mutantDir = "grader/testdata/mutants"
	cheatDir  = "grader/testdata/cheats"
)

// fixtureWorkers is how many fixtures are graded at once, each in its own
// copy of the course, and fixtureJobs how many checks each runs at once:
// builds and runs overlap, and most checks wait on the network, not the CPU.
// The load this makes on two cores is also a test of the checks' stability.
const (
	fixtureWorkers = 3
	fixtureJobs    = 3
)

// fixtureStep is one fixture run: a fixture with or without the policy check.
type fixtureStep struct {
	name     string
	fx       *fixture
	noPolicy bool
	err      error // a fixture that does not load
}

// fixtures grades every fixture, fixtureWorkers at a time, each worker in a
// scratch copy of the course of its own, and reports them in order.
func (s *suite) fixtures(ctx context.Context) {
	var paths []string
	for _, dir := range []string{mutantDir, cheatDir} {
		filepath.WalkDir(s.abs(dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txtar") {
				paths = append(paths, p)
			}
			return nil
		})
	}
	if n := s.opt.FixtureSample; n > 0 {
		kept := sampleFixtures(s.opt.Root, paths, n, s.opt.Seed)
		fmt.Fprintf(s.opt.Out, "fixtures: %d of %d, every cheat and %d known-bad variant(s) per lab drawn with seed %d (-fixtures 0 grades them all)\n", len(kept), len(paths), n, s.opt.Seed)
		paths = kept
	}
	var steps []fixtureStep
	for _, p := range paths {
		rel, _ := filepath.Rel(s.opt.Root, p)
		name := "fixture " + filepath.ToSlash(rel)
		fx, err := loadFixture(p, labFromPath(rel))
		if err != nil {
			steps = append(steps, fixtureStep{name: name, err: err})
			continue
		}
		for _, noPolicy := range fx.Policy {
			n := name + ": " + fx.About
			if len(fx.Policy) > 1 || noPolicy {
				n += map[bool]string{false: " [policy on]", true: " [policy off]"}[noPolicy]
			}
			steps = append(steps, fixtureStep{name: n, fx: fx, noPolicy: noPolicy})
		}
	}
	steps = slices.DeleteFunc(steps, func(st fixtureStep) bool { return !s.selected(st.name) })
	if len(steps) == 0 {
		return
	}
	// One test2json for every fixture's grading, not one each.
	if dir, err := os.MkdirTemp("", "netlabs-selftest-t2j-"); err == nil {
		defer os.RemoveAll(dir)
		s.test2json, _ = (&build.Toolchain{Root: s.opt.Root, Dir: dir}).Test2JSON(ctx)
	}

	type outcome struct {
		d   time.Duration
		err error
	}
	done := make([]chan outcome, len(steps))
	for i := range done {
		done[i] = make(chan outcome, 1)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(fixtureWorkers, len(steps)) {
		wg.Go(func() {
			root, err := copyCourse(s.opt.Root)
			if err == nil {
				defer os.RemoveAll(root)
			}
			for i := range next {
				st, start := steps[i], time.Now()
				switch {
				case err != nil:
					done[i] <- outcome{0, fmt.Errorf("copy the course to a scratch folder: %w", err)}
				case st.err != nil:
					done[i] <- outcome{0, st.err}
				default:
					e := s.fixture(ctx, root, st.fx, st.noPolicy)
					done[i] <- outcome{time.Since(start), e}
				}
			}
		})
	}
	go func() {
		for i := range steps {
			next <- i
		}
		close(next)
	}()
	for i, st := range steps {
		o := <-done[i]
		s.report(st.name, o.d, o.err)
	}
	wg.Wait()
}

// sampleFixtures keeps every cheat and, of each lab's known-bad variants,
// perLab drawn with seed; paths keep their order.
func sampleFixtures(root string, paths []string, perLab int, seed uint64) []string {
	byLab := map[string][]string{}
	var labs []string
	keep := map[string]bool{}
	for _, p := range paths {
		rel, _ := filepath.Rel(root, p)
		lab := labFromPath(rel)
		if lab == "" {
			keep[p] = true
			continue
		}
		if byLab[lab] == nil {
			labs = append(labs, lab)
		}
		byLab[lab] = append(byLab[lab], p)
	}
	slices.Sort(labs)
	rng := rand.New(rand.NewPCG(seed, 0x6669787475726573)) // "fixtures"
	for _, lab := range labs {
		ps := byLab[lab]
		rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		for _, p := range ps[:min(perLab, len(ps))] {
			keep[p] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(paths), func(p string) bool { return !keep[p] })
}

// labFromPath is the lab id of a mutant path mutants/week01/tcpack/x.txtar.
func labFromPath(rel string) string {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if len(parts) < 5 || !strings.HasPrefix(rel, filepath.FromSlash(mutantDir)) {
		return ""
	}
	for _, w := range course.Weeks() {
		for _, l := range w.Labs {
			if l.Package == "weeks/"+parts[3]+"/"+parts[4] {
				return l.ID()
			}
		}
	}
	return ""
}

func findLab(id string) (course.Week, course.Lab, bool) {
	for _, w := range course.Weeks() {
		for _, l := range w.Labs {
			if l.ID() == id {
				return w, l, true
			}
		}
	}
	return course.Week{}, course.Lab{}, false
}

// fixture grades one fixture and compares the checks that did not pass with
// the ones it must fail.
func (s *suite) fixture(ctx context.Context, root string, fx *fixture, noPolicy bool) error {
	w, l, ok := findLab(fx.Lab)
	if !ok {
		return fmt.Errorf("no lab %q (say lab: wNN.basic or put the mutant under mutants/weekNN/<pkg>/)", fx.Lab)
	}
	undo, err := fx.apply(root, l)
	if err != nil {
		return err
	}
	defer undo()
	impl := grading.Reference
	if fx.Base == "stub" {
		impl = grading.Student
	}
	run, err := grading.Grade(ctx, grading.Options{
		Root: root, Weeks: []int{w.Number}, Kind: l.Kind, Impl: impl, Seed: s.opt.Seed,
		NoPolicy: noPolicy, Timeout: fx.Timeout, Repeat: s.opt.Repeat, RepeatFailures: !s.opt.RepeatAll,
		Test2JSON: s.test2json, Jobs: fixtureJobs,
	})
	if err != nil {
		return err
	}
	lab := run.Weeks[0].Labs[0]
	want := fx.Fails
	switch {
	case slices.Equal(want, []string{"none"}):
		want = nil
	case slices.Equal(want, []string{"all"}):
		want = nil
		for _, c := range l.Checks {
			want = append(want, c.ID)
		}
	}
	var got []string
	errs := unstable(run, s.opt.Seed)
	for _, c := range lab.Checks {
		if len(c.Output) > runner.OutputLimit+200 {
			errs = append(errs, fmt.Errorf("%s: %d bytes of output kept, over the cap of %d", c.ID, len(c.Output), runner.OutputLimit))
		}
		if c.Status == result.StatusPass {
			continue
		}
		got = append(got, c.ID)
		if len(fx.Status) > 0 && !slices.Contains(fx.Status, c.Status) {
			errs = append(errs, fmt.Errorf("%s: status %s, want one of %v: %s", c.ID, c.Status, fx.Status, firstLines(c.Message, 3)))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		errs = append(errs, fmt.Errorf("checks that did not pass: %v\nwant exactly: %v%s", got, want, details(lab, got, want)))
	}
	return errors.Join(errs...)
}

// details explains the checks that differ from the expectation.
func details(lab result.Lab, got, want []string) string {
	var b strings.Builder
	for _, c := range lab.Checks {
		if slices.Contains(got, c.ID) != slices.Contains(want, c.ID) {
			fmt.Fprintf(&b, "\n%s: %s %s", c.ID, c.Status, firstLines(c.Message, 4))
		}
	}
	return b.String()
}

// copyCourse copies what grading needs (go.mod, go.sum, grader, weeks,
// reference) into a new scratch folder and returns it.
func copyCourse(root string) (string, error) {
	dst, err := os.MkdirTemp("", "netlabs-selftest-")
	if err != nil {
		return "", err
	}
	err = copyParts(root, dst)
	if err != nil {
		os.RemoveAll(dst)
		return "", err
	}
	return dst, nil
}

func copyParts(root, dst string) error {
	for _, dir := range []string{"grader", "weeks", "reference"} {
		if err := os.CopyFS(filepath.Join(dst, dir), os.DirFS(filepath.Join(root, dir))); err != nil {
			return err
		}
	}
	for _, file := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, file), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
