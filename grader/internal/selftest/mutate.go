package selftest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"netlabs/grader/course"
	"netlabs/grader/internal/mutate"
)

// mutate grades a seeded sample of each lab's generated mutants (package
// mutate), one step per lab: every mutant of the sample must be killed, or
// listed as equivalent, and the lab's equivalents file must be well formed
// and up to date. The sample is drawn with mutate.DefaultSeed, not the
// self-test's seed, so that the step is the same from run to run.
func (s *suite) mutate(ctx context.Context) {
	for _, w := range course.Weeks() {
		for _, l := range w.Labs {
			name := fmt.Sprintf("mutate %s: a sample of %d generated mutants is killed (seed %d)", l.ID(), mutate.SelftestSample, mutate.DefaultSeed)
			if !s.selected(name) {
				continue
			}
			start := time.Now()
			err := mutateLab(ctx, s.opt.Root, l)
			s.report(name, time.Since(start), err)
		}
	}
}

func mutateLab(ctx context.Context, root string, l course.Lab) error {
	rep, err := mutate.Run(ctx, mutate.Options{
		Root: root, Weeks: []int{l.Week}, Kind: l.Kind, Seed: mutate.DefaultSeed,
		Sample: mutate.SelftestSample, NoBaseline: true,
	})
	if err != nil {
		return err
	}
	lr := rep.Labs[0]
	if lr.Err != nil {
		return lr.Err
	}
	var errs []error
	for _, r := range lr.Results {
		switch r.Fate {
		case mutate.Survived:
			errs = append(errs, fmt.Errorf("survived: %s (%s/%s:%d)\n%s", r.Mutant.ID, l.ReferenceDir(), r.Mutant.File, r.Mutant.Line, strings.TrimRight(r.Diff, "\n")))
		case mutate.Errored:
			errs = append(errs, fmt.Errorf("not graded: %s: %s", r.Mutant.ID, r.Why))
		}
	}
	if len(lr.Stale) > 0 {
		errs = append(errs, fmt.Errorf("%s lists mutants that no longer exist: %s", mutate.EquivalentsPath(l), strings.Join(lr.Stale, ", ")))
	}
	if len(errs) > 0 {
		errs = append(errs, errors.New("kill each survivor with a check, or list it with the reason in "+mutate.EquivalentsPath(l)+" (go doc netlabs/grader/internal/mutate)"))
	}
	return errors.Join(errs...)
}
