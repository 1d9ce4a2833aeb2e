package selftest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"netlabs/grader/internal/export"
	"netlabs/grader/result"
)

// template exports the student template and checks it as a student would get
// it: nothing of the reference in it, it builds, and the grader works there,
// scores 0 and finds every protected file intact.
func (s *suite) template(ctx context.Context) {
	s.step("template: the export holds no reference code, builds, and grades 0 with its files verified", func() error {
		dir, err := os.MkdirTemp("", "netlabs-template-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dest := filepath.Join(dir, "student")
		if _, err := export.Export(s.opt.Root, dest, true); err != nil {
			return err
		}
		if err := s.noReference(dest); err != nil {
			return err
		}
		if err := goIn(ctx, dest, "vet", "./..."); err != nil {
			return err
		}
		return gradeTemplate(ctx, dest, s.opt.Seed)
	})
}

// noReference fails if the template holds a reference file, a fixture, or the
// body of a solution (a reference function of four statements or more that
// differs from the stub's) anywhere: in a test, a handout's code, a given
// file. A stub that gave the solution away would pass checks, which the step
// "stubs compile and score 0" catches.
func (s *suite) noReference(dest string) error {
	var bodies []string
	err := filepath.WalkDir(s.abs("reference"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		rel, _ := filepath.Rel(s.abs("reference"), p)
		ref, err := funcBodies(p)
		if err != nil {
			return err
		}
		given, err := funcBodies(s.abs(filepath.Join("weeks", rel)))
		if err != nil {
			return err
		}
		for name, body := range ref {
			if given[name] != body {
				bodies = append(bodies, body)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	var errs []error
	err = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ".git" {
				return filepath.SkipDir
			}
			if rel == "reference" || strings.HasPrefix(rel, "grader/testdata/mutants") || strings.HasPrefix(rel, "grader/testdata/cheats") {
				errs = append(errs, fmt.Errorf("the template holds %s", rel))
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		text, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		flat := flatten(string(text))
		for _, body := range bodies {
			if strings.Contains(flat, body) {
				errs = append(errs, fmt.Errorf("%s holds the body of a reference solution:\n%.200s", rel, body))
				break
			}
		}
		return nil
	})
	return errors.Join(append(errs, err)...)
}

// funcBodies returns the bodies of the functions and methods of a Go file
// that have at least four statements, printed and flattened, by name
// ("Serve", "Server.Serve").
func funcBodies(path string) (map[string]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || len(fd.Body.List) < 4 {
			continue
		}
		var b bytes.Buffer
		if err := printer.Fprint(&b, fset, fd.Body); err != nil {
			return nil, err
		}
		name := fd.Name.Name
		if fd.Recv != nil && len(fd.Recv.List) == 1 {
			var r bytes.Buffer
			printer.Fprint(&r, fset, fd.Recv.List[0].Type)
			name = strings.TrimPrefix(r.String(), "*") + "." + name
		}
		out[name] = flatten(b.String())
	}
	return out, nil
}

// flatten drops all white space, so formatting cannot hide a copy.
func flatten(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func goIn(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s in the template: %v\n%s", strings.Join(args, " "), err, tail(string(out), 30))
	}
	return nil
}

// gradeTemplate runs the template's own grader on week 1, as a student would.
func gradeTemplate(ctx context.Context, dir string, seed uint64) error {
	out := filepath.Join(dir, "result.json")
	if err := goIn(ctx, dir, "run", "./grader", "-week", "1", "-seed", fmt.Sprint(seed), "-format", "json", "-o", out); err != nil {
		return err
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	var run result.Run
	if err := json.Unmarshal(b, &run); err != nil {
		return err
	}
	if run.Score != 0 || run.MaxScore == 0 || run.Integrity != "verified" {
		return fmt.Errorf("the template's grader: score %d/%d, integrity %q %v; want 0 of something, verified", run.Score, run.MaxScore, run.Integrity, run.Changed)
	}
	return nil
}
