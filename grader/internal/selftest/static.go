package selftest

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"netlabs/grader/course"
)

// actionlint is the pinned linter for the GitHub workflows, fetched through the
// Go module proxy.
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

// static runs the steps that need no grading.
func (s *suite) static(ctx context.Context) {
	s.step("rubric: every check's test and every lab's files exist", s.rubric)
	s.step("mutants: every check has a known-bad variant written to fail it", s.everyCheckHasMutant)
	s.step("handouts: grading tables match the rubric", s.handouts)
	s.step("api: every stub and its reference declare the same exported API and docs", s.sameAPI)
	s.step("gofmt: every Go file is formatted", func() error { return s.gofmt(ctx) })
	s.step("go vet ./...", func() error { return s.goCmd(ctx, "vet", "./...") })
	s.step("go test ./grader/... (the grader's unit tests)", func() error { return s.goCmd(ctx, "test", "-count=1", "./grader/...") })
	s.step("actionlint: workflows lint clean", func() error { return s.actionlint(ctx) })
}

func (s *suite) abs(rel string) string { return filepath.Join(s.opt.Root, filepath.FromSlash(rel)) }

// rubric checks that the rubric and the files agree.
func (s *suite) rubric() error {
	if err := course.Validate(course.Weeks()); err != nil {
		return err
	}
	var errs []error
	for _, w := range course.Weeks() {
		for _, l := range w.Labs {
			errs = append(errs, s.labFiles(l), s.labTests(l))
		}
	}
	return errors.Join(errs...)
}

// labFiles checks that the student files exist and that the reference mirrors
// exactly them.
func (s *suite) labFiles(l course.Lab) error {
	var errs []error
	for _, f := range l.Files {
		if !fileExists(s.abs(l.Package + "/" + f)) {
			errs = append(errs, fmt.Errorf("%s: student file %s is missing", l.ID(), f))
		}
	}
	entries, err := os.ReadDir(s.abs(l.ReferenceDir()))
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("%s: %v", l.ID(), err))...)
	}
	var ref []string
	for _, e := range entries {
		ref = append(ref, e.Name())
	}
	if !slices.Equal(ref, slices.Sorted(slices.Values(l.Files))) {
		errs = append(errs, fmt.Errorf("%s: %s holds %v, want exactly the lab's files %v", l.ID(), l.ReferenceDir(), ref, l.Files))
	}
	return errors.Join(errs...)
}

// labTests checks that every check's test exists, and that every test and
// scenario in the graded files decides a check.
func (s *suite) labTests(l course.Lab) error {
	tests := map[string]bool{}
	for _, f := range l.TestFiles {
		names, err := testFuncs(s.abs(l.Package + "/" + f))
		if err != nil {
			return fmt.Errorf("%s: %v", l.ID(), err)
		}
		for _, n := range names {
			tests[n] = true
		}
	}
	scripts, _ := filepath.Glob(s.abs(l.Package + "/testdata/*.txtar"))
	for _, p := range scripts {
		tests["TestScripts/"+strings.TrimSuffix(filepath.Base(p), ".txtar")] = true
	}
	used := map[string]bool{"TestScripts": true}
	var errs []error
	for _, c := range l.Checks {
		if !tests[c.Test] {
			errs = append(errs, fmt.Errorf("%s: test %s not found in %v or testdata/", c.ID, c.Test, l.TestFiles))
		}
		used[c.Test] = true
	}
	for name := range tests {
		if !used[name] {
			errs = append(errs, fmt.Errorf("%s: %s decides no check: grade it or remove it", l.ID(), name))
		}
	}
	return errors.Join(errs...)
}

// testFuncs lists the Test functions of a Go test file (TestMain excluded).
func testFuncs(path string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "Test") && fd.Name.Name != "TestMain" {
			names = append(names, fd.Name.Name)
		}
	}
	return names, nil
}

// handouts checks each week's README against the rubric.
func (s *suite) handouts() error {
	var errs []error
	for _, w := range course.Weeks() {
		path := s.abs(w.Dir() + "/README.md")
		b, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		text := string(b)
		for _, l := range w.Labs {
			updated, err := course.UpdateHandout(text, l)
			switch {
			case err != nil:
				errs = append(errs, fmt.Errorf("%s/README.md: %v", w.Dir(), err))
			case updated != text:
				errs = append(errs, fmt.Errorf("%s/README.md: the grading table of %s is out of date; run: go run ./grader handouts", w.Dir(), l.ID()))
			}
		}
	}
	return errors.Join(errs...)
}

func (s *suite) gofmt(ctx context.Context) error {
	args := []string{"-l"}
	for _, d := range []string{"grader", "weeks", "reference", "scripts"} {
		if fileExists(s.abs(d)) {
			args = append(args, d)
		}
	}
	cmd := exec.CommandContext(ctx, "gofmt", args...)
	cmd.Dir = s.opt.Root
	out, err := cmd.CombinedOutput()
	if err != nil && len(out) == 0 {
		return fmt.Errorf("gofmt: %v", err)
	}
	if files := strings.TrimSpace(string(out)); files != "" {
		return fmt.Errorf("not gofmt-formatted (run gofmt -w):\n%s", files)
	}
	return nil
}

// actionlint lints .github/workflows with the pinned actionlint.
func (s *suite) actionlint(ctx context.Context) error {
	if !fileExists(s.abs(".github/workflows")) {
		return errors.New(".github/workflows is missing")
	}
	return s.goCmd(ctx, "run", actionlint, "-color=false")
}

// everyCheckHasMutant requires that each check is named in the fails line of
// at least one mutant: a check no known-bad variant fails might be unable to
// fail at all.
func (s *suite) everyCheckHasMutant() error {
	failed := map[string]bool{}
	err := filepath.WalkDir(s.abs(mutantDir), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txtar") {
			return err
		}
		rel, _ := filepath.Rel(s.opt.Root, p)
		fx, err := loadFixture(p, labFromPath(rel))
		if err != nil {
			return nil // the fixture's own step reports it
		}
		for _, id := range fx.Fails {
			failed[id] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	var missing []string
	for _, w := range course.Weeks() {
		for _, l := range w.Labs {
			for _, c := range l.Checks {
				if !failed[c.ID] {
					missing = append(missing, c.ID)
				}
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("no mutant in %s fails %s: add one per check", mutantDir, strings.Join(missing, ", "))
	}
	return nil
}
