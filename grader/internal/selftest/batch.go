package selftest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"netlabs/grader/course"
	"netlabs/grader/internal/batch"
	"netlabs/grader/internal/export"
)

// A kind of synthetic checkout, and what the gradebook must say of it.
type checkoutKind struct {
	name     string
	make     func(s *suite, dir string, w course.Week) error
	full     bool   // scores the week's maximum; otherwise 0
	status   string // the gradebook's status
	tampered bool
}

var checkoutKinds = []checkoutKind{
	{name: "solved", make: (*suite).solve, full: true, status: "ok"},
	{name: "stub", make: func(*suite, string, course.Week) error { return nil }, status: "ok"},
	{name: "broken", make: breakBuild, status: "build"},
	{name: "hanging", make: hang, status: "timeout"},
	{name: "cheating", make: cheat, status: "policy"},
	{name: "tampered", make: tamper, full: true, status: "tampered", tampered: true},
}

// batchTimeout caps every check's time limit in the batch step: above what
// the slowest reference check of week 1 takes on a loaded machine (6.5s),
// short enough that the hanging checkout does not dominate the step.
const batchTimeout = 15 * time.Second

// batchStep grades a class of synthetic checkouts of week 1, n of each kind,
// and checks every row of the gradebook.
func (s *suite) batchStep(ctx context.Context) {
	w, ok := course.Find(1)
	if !ok {
		return
	}
	n := max(1, s.opt.BatchPerKind)
	name := fmt.Sprintf("batch: %d synthetic checkouts (solved, stub, broken, hanging, cheating, tampered) get the right gradebook", n*len(checkoutKinds))
	s.step(name, func() error { return s.batch(ctx, w, n) })
}

func (s *suite) batch(ctx context.Context, w course.Week, n int) error {
	class, err := os.MkdirTemp("", "netlabs-class-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(class)
	template := filepath.Join(class, ".template")
	if _, err := export.Export(s.opt.Root, template, false); err != nil {
		return err
	}
	want := map[string]checkoutKind{}
	for _, k := range checkoutKinds {
		for i := range n {
			student := fmt.Sprintf("%s-%02d", k.name, i+1)
			dir := filepath.Join(class, student)
			if err := os.CopyFS(dir, os.DirFS(template)); err != nil {
				return err
			}
			if err := k.make(s, dir, w); err != nil {
				return fmt.Errorf("%s: %w", student, err)
			}
			want[student] = k
		}
	}
	start := time.Now()
	rows, err := batch.Grade(ctx, batch.Options{Root: s.opt.Root, Dir: class, Weeks: []int{w.Number}, Seed: s.opt.Seed, Timeout: batchTimeout})
	if err != nil {
		return err
	}
	d := time.Since(start)
	var errs []error
	for _, r := range rows {
		k := want[r.Student]
		switch {
		case r.Run == nil:
			errs = append(errs, fmt.Errorf("%s: not graded: %v", r.Student, r.Status))
			continue
		case k.full && r.Run.Score != r.Run.MaxScore, !k.full && r.Run.Score != 0:
			errs = append(errs, fmt.Errorf("%s: score %d/%d", r.Student, r.Run.Score, r.Run.MaxScore))
		}
		if !slices.Contains(r.Status, k.status) {
			errs = append(errs, fmt.Errorf("%s: status %v, want %s", r.Student, r.Status, k.status))
		}
		if (r.Run.Integrity == "modified") != k.tampered {
			errs = append(errs, fmt.Errorf("%s: integrity %s %v", r.Student, r.Run.Integrity, r.Run.Changed[:min(5, len(r.Run.Changed))]))
		}
	}
	if len(rows) != len(want) {
		errs = append(errs, fmt.Errorf("%d rows for %d checkouts", len(rows), len(want)))
	}
	fmt.Fprintf(s.opt.Out, "     batch of %d checkouts: %v, %v per checkout\n", len(rows), d.Round(100*time.Millisecond), (d / time.Duration(len(rows))).Round(10*time.Millisecond))
	return errors.Join(errs...)
}

// solve copies the week's reference into the checkout, as a student who has
// finished would have it.
func (s *suite) solve(dir string, w course.Week) error {
	for _, l := range w.Labs {
		for _, f := range l.Files {
			b, err := os.ReadFile(s.abs(l.ReferenceDir() + "/" + f))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(l.Package), f), b, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// breakBuild leaves a compile error in every lab's first file.
func breakBuild(_ *suite, dir string, w course.Week) error {
	for _, l := range w.Labs {
		if err := appendTo(filepath.Join(dir, filepath.FromSlash(l.Package), l.Files[0]), "\nfunc broken() int { return \"no\" }\n"); err != nil {
			return err
		}
	}
	return nil
}

// hang makes the last stubbed function of the week's first lab (its first
// file) block forever, as a student's unfinished loop would; the rest stays
// stubbed. One hanging function is enough for the gradebook's "timeout", and
// keeps the step short: every check that reaches it costs its whole limit.
func hang(_ *suite, dir string, w course.Week) error {
	l := w.Labs[0]
	p := filepath.Join(dir, filepath.FromSlash(l.Package), l.Files[0])
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	all := stubReturn.FindAllIndex(b, -1)
	if len(all) == 0 {
		return fmt.Errorf("%s: no stubbed function to make hang", p)
	}
	last := all[len(all)-1]
	b = slices.Concat(b[:last[0]], []byte("\tselect {}\n}"), b[last[1]:])
	return os.WriteFile(p, b, 0o644)
}

// stubReturn is a stub's last line: the return of ErrNotImplemented.
var stubReturn = regexp.MustCompile(`\treturn [^\n]*ErrNotImplemented\n}`)

// cheat adds an init function that ends the test binary "successfully".
func cheat(_ *suite, dir string, w course.Week) error {
	for _, l := range w.Labs {
		pkg := filepath.Base(l.Package)
		src := "package " + pkg + "\n\nimport \"os\"\n\nfunc init() { os.Exit(0) }\n"
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(l.Package), "zz_cheat.go"), []byte(src), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// tamper solves the week, then edits a graded test and adds a file to the
// grader: the batch must grade with its own copies and report both.
func tamper(s *suite, dir string, w course.Week) error {
	if err := s.solve(dir, w); err != nil {
		return err
	}
	l := w.Labs[0]
	if err := appendTo(filepath.Join(dir, filepath.FromSlash(l.Package), l.TestFiles[0]), "\n// edited by the student\n"); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "grader", "zz_extra.go"), []byte("package main\n"), 0o644)
}

func appendTo(p, text string) error {
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
