// Package batch grades a class: every student checkout under a folder, each
// with the instructor's own grader and tests, into one report per checkout and
// a gradebook.
//
// A checkout is never graded where it lies. Batch exports the student template
// from the instructor's repository (package export); for each checkout it
// copies that course into a scratch folder and puts in it only the student's
// files: each lab's Files and any other non-test Go
// file the student added to a lab's folder. The student's tests, grader and
// workflows are never used, so editing them changes nothing; they are compared
// with the instructor's copy and every difference is reported. A checkout that
// does not build, hangs, panics or cheats costs its own row, never the batch.
package batch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"netlabs/grader/course"
	"netlabs/grader/internal/export"
	"netlabs/grader/internal/grading"
	"netlabs/grader/internal/integrity"
	"netlabs/grader/result"
)

// Options shape a batch.
type Options struct {
	Root    string // the instructor's repository
	Dir     string // the folder holding one checkout per student
	Weeks   []int  // weeks to grade; none means all
	Seed    uint64
	Jobs    int           // checkouts graded at once; zero: half the CPUs, at least 1
	Timeout time.Duration // if positive, every check's time limit
	// Done, if set, is called as each checkout finishes.
	Done func(Row)
}

// Row is one checkout's line of the gradebook.
type Row struct {
	Student string
	Run     *result.Run // nil when the checkout could not be graded at all
	Status  []string    // "ok", or what went wrong: tampered, policy, build, error: …
}

// Grade grades every checkout in opt.Dir and returns their rows, sorted by
// student.
func Grade(ctx context.Context, opt Options) ([]Row, error) {
	entries, err := os.ReadDir(opt.Dir)
	if err != nil {
		return nil, err
	}
	var students []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			students = append(students, e.Name())
		}
	}
	if len(students) == 0 {
		return nil, fmt.Errorf("%s holds no checkouts (one folder per student)", opt.Dir)
	}
	// The course as the students got it: the student template, exported now
	// from the instructor's repository, with its manifest.
	template, err := os.MkdirTemp("", "netlabs-batch-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(template)
	if _, err := export.Export(opt.Root, template, false); err != nil {
		return nil, err
	}
	manifest, _, err := integrity.Load(template)
	if err != nil {
		return nil, err
	}
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = max(1, runtime.NumCPU()/2)
	}
	rows := make([]Row, len(students))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, s := range students {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			rows[i] = gradeOne(ctx, opt, template, manifest, s, max(1, runtime.NumCPU()/jobs))
			if opt.Done != nil {
				opt.Done(rows[i])
			}
		})
	}
	wg.Wait()
	sort.Slice(rows, func(a, b int) bool { return rows[a].Student < rows[b].Student })
	return rows, ctx.Err()
}

// gradeOne grades the checkout of one student.
func gradeOne(ctx context.Context, opt Options, template string, m *integrity.Manifest, student string, checkJobs int) Row {
	row := Row{Student: student}
	checkout := filepath.Join(opt.Dir, student)
	fail := func(err error) Row {
		row.Status = append(row.Status, "error: "+oneLine(err.Error()))
		return row
	}
	if _, err := os.Stat(filepath.Join(checkout, "go.mod")); err != nil {
		return fail(errors.New("not a course checkout (no go.mod)"))
	}
	scratch, err := os.MkdirTemp("", "netlabs-batch-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(scratch)
	if err := assemble(template, m, checkout, scratch); err != nil {
		return fail(err)
	}
	run, err := grading.Grade(ctx, grading.Options{
		Root: scratch, Weeks: opt.Weeks, Impl: grading.Student, Seed: opt.Seed, Jobs: checkJobs, Timeout: opt.Timeout,
	})
	if err != nil {
		return fail(err)
	}
	problems, err := m.Verify(checkout)
	if err != nil {
		return fail(err)
	}
	run.Integrity, run.Changed = "verified", nil
	for _, p := range problems {
		run.Integrity = "modified"
		run.Changed = append(run.Changed, p.String())
	}
	row.Run = run
	row.Status = status(run)
	return row
}

// assemble puts the course (the template at root) and the student's files
// into scratch.
func assemble(root string, m *integrity.Manifest, checkout, scratch string) error {
	for _, dir := range []string{"grader", "weeks"} {
		if err := os.CopyFS(filepath.Join(scratch, dir), os.DirFS(filepath.Join(root, dir))); err != nil {
			return err
		}
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(root, f), filepath.Join(scratch, f)); err != nil {
			return err
		}
	}
	for _, w := range course.Weeks() {
		for _, l := range w.Labs {
			if err := takeStudentFiles(m, checkout, scratch, l); err != nil {
				return err
			}
		}
	}
	return nil
}

// takeStudentFiles copies the student's files of lab l: its Files, and any
// other non-test Go file that is not a course file of manifest m.
func takeStudentFiles(m *integrity.Manifest, checkout, scratch string, l course.Lab) error {
	dir := filepath.Join(checkout, filepath.FromSlash(l.Package))
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil // the lab's stubs stay
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		rel := l.Package + "/" + name
		own := slices.Contains(l.Files, name) || (strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && m.Files[rel] == "")
		if e.IsDir() || !own {
			continue
		}
		if err := copyFile(filepath.Join(dir, name), filepath.Join(scratch, filepath.FromSlash(rel))); err != nil {
			return err
		}
	}
	return nil
}

// status sums up a graded checkout for the gradebook.
func status(run *result.Run) []string {
	var st []string
	if run.Integrity == "modified" {
		st = append(st, "tampered")
	}
	if run.GraderErrors() > 0 {
		st = append(st, "grader-error")
	}
	var policy, build, timeout bool
	for _, w := range run.Weeks {
		for _, l := range w.Labs {
			policy = policy || len(l.Violations) > 0
			build = build || l.BuildError != ""
			for _, c := range l.Checks {
				timeout = timeout || c.Status == result.StatusTimeout
			}
		}
	}
	for _, x := range []struct {
		on   bool
		name string
	}{{policy, "policy"}, {build, "build"}, {timeout, "timeout"}} {
		if x.on {
			st = append(st, x.name)
		}
	}
	if len(st) == 0 {
		st = []string{"ok"}
	}
	return st
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
