package selftest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"netlabs/grader/course"
	"netlabs/grader/internal/grading"
	"netlabs/grader/internal/runner"
	"netlabs/grader/result"
)

// weeks grades every week's reference (Count times) and its stubs.
func (s *suite) weeks(ctx context.Context) {
	for _, w := range course.Weeks() {
		count := max(1, s.opt.Count)
		for i := range count {
			name := fmt.Sprintf("week %d: reference scores 100%%", w.Number)
			if count > 1 {
				name += fmt.Sprintf(" (run %d of %d)", i+1, count)
			}
			seed := s.opt.Seed + uint64(i)*uint64(max(1, s.opt.Repeat))
			s.step(name, func() error { return s.reference(ctx, w, seed) })
		}
		s.step(fmt.Sprintf("week %d: stubs compile and score 0", w.Number), func() error { return s.stubs(ctx, w) })
	}
	if w, ok := course.Find(1); ok {
		s.step("no sandbox: week 1's reference still passes on loopback, and the report says why", func() error { return s.noSandbox(ctx, w) })
	}
}

// noSandbox grades week 1, which needs no broadcast, without a network
// namespace: every check still passes, and the run says it was not isolated.
func (s *suite) noSandbox(ctx context.Context, w course.Week) error {
	run, err := grading.Grade(ctx, grading.Options{Root: s.opt.Root, Weeks: []int{w.Number}, Impl: grading.Reference, Seed: s.opt.Seed, NoSandbox: true})
	if err != nil {
		return err
	}
	if !strings.HasPrefix(run.Sandbox, "none: ") {
		return fmt.Errorf("sandbox = %q, want \"none: <reason>\"", run.Sandbox)
	}
	if run.Score != run.MaxScore {
		return fmt.Errorf("score %d/%d without a sandbox", run.Score, run.MaxScore)
	}
	return nil
}

func (s *suite) grade(ctx context.Context, w course.Week, impl string) (*result.Run, error) {
	return grading.Grade(ctx, grading.Options{Root: s.opt.Root, Weeks: []int{w.Number}, Impl: impl, Seed: s.opt.Seed})
}

// reference grades w's reference with seed, every check Repeat times: each
// run of each check must pass.
func (s *suite) reference(ctx context.Context, w course.Week, seed uint64) error {
	run, err := grading.Grade(ctx, grading.Options{Root: s.opt.Root, Weeks: []int{w.Number}, Impl: grading.Reference, Seed: seed, Repeat: s.opt.Repeat})
	if err != nil {
		return err
	}
	errs := unstable(run, seed)
	forEachCheck(run, func(l result.Lab, c result.Check) {
		if c.Status != result.StatusPass {
			errs = append(errs, fmt.Errorf("%s: %s: %s", c.ID, c.Status, firstLines(c.Message, 6)))
		}
	})
	if len(errs) == 0 && run.Score != run.MaxScore {
		errs = append(errs, fmt.Errorf("score %d/%d", run.Score, run.MaxScore))
	}
	return errors.Join(errs...)
}

func (s *suite) stubs(ctx context.Context, w course.Week) error {
	run, err := s.grade(ctx, w, grading.Student)
	if err != nil {
		return err
	}
	var errs []error
	for _, l := range run.Weeks[0].Labs {
		if l.BuildError != "" {
			errs = append(errs, fmt.Errorf("%s does not compile:\n%s", l.Package, l.BuildError))
		}
		if len(l.Violations) > 0 {
			errs = append(errs, fmt.Errorf("%s breaks the policy: %+v", l.Package, l.Violations))
		}
	}
	forEachCheck(run, func(l result.Lab, c result.Check) {
		switch c.Status {
		case result.StatusPass:
			errs = append(errs, fmt.Errorf("%s passes on the stub: the check proves nothing", c.ID))
		case result.StatusTimeout:
			errs = append(errs, fmt.Errorf("%s: the stub hangs: %s", c.ID, c.Message))
		}
		if len(c.Output) > runner.OutputLimit+200 {
			errs = append(errs, fmt.Errorf("%s: output of %d bytes kept, over the cap", c.ID, len(c.Output)))
		}
	})
	return errors.Join(errs...)
}

func forEachCheck(run *result.Run, f func(result.Lab, result.Check)) {
	for _, w := range run.Weeks {
		for _, l := range w.Labs {
			for _, c := range l.Checks {
				f(l, c)
			}
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}
