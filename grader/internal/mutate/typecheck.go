package mutate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"netlabs/grader/course"
)

// checker type-checks a lab's package with one of its files replaced, so that
// a mutant that does not compile costs milliseconds, not a build. It reads
// the export data of the package's imports, which one "go list -export" per
// lab compiles or finds in the build cache.
type checker struct {
	fset    *token.FileSet
	path    string               // the package's import path
	files   map[string]*ast.File // every file of the package, by base name, with the reference's
	srcs    map[string][]byte    // the source of the lab's files (the reference's)
	imp     types.Importer
	exports map[string]string // import path to export data file
}

// listed is what checker reads from go list -json.
type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Export     string
	Error      *struct{ Err string }
}

// newChecker lists the lab's package (with the reference swapped in) and
// its dependencies, and parses the package's files.
func newChecker(ctx context.Context, root string, l course.Lab, scratch string) (*checker, error) {
	abs := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	ov := map[string]string{}
	for _, f := range l.Files {
		ov[abs(l.Package+"/"+f)] = abs(l.ReferenceDir() + "/" + f)
	}
	b, err := json.Marshal(struct{ Replace map[string]string }{ov})
	if err != nil {
		return nil, err
	}
	ovFile := filepath.Join(scratch, l.ID()+".list-overlay.json")
	if err := os.WriteFile(ovFile, b, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "go", "list", "-e", "-json", "-export", "-deps", "-overlay", ovFile, "./"+l.Package)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v\n%s", l.Package, err, stderr.String())
	}
	c := &checker{fset: token.NewFileSet(), files: map[string]*ast.File{}, srcs: map[string][]byte{}, exports: map[string]string{}}
	var pkg *listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list %s: %v", l.Package, err)
		}
		if p.Export != "" {
			c.exports[p.ImportPath] = p.Export
		}
		if filepath.Clean(p.Dir) == filepath.Clean(abs(l.Package)) {
			pkg = &p
		}
	}
	if pkg == nil {
		return nil, fmt.Errorf("go list %s: the package is not in its output", l.Package)
	}
	if pkg.Error != nil {
		return nil, fmt.Errorf("the reference of %s does not build: %s", l.ID(), pkg.Error.Err)
	}
	c.path = pkg.ImportPath
	for _, name := range pkg.GoFiles {
		file := filepath.Join(pkg.Dir, name)
		if slices.Contains(l.Files, name) {
			file = abs(l.ReferenceDir() + "/" + name)
		}
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(c.fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		c.files[name] = f
		c.srcs[name] = src
	}
	for _, name := range l.Files {
		if c.files[name] == nil {
			return nil, fmt.Errorf("%s: file %s is not part of the package's build", l.ID(), name)
		}
	}
	c.imp = importer.ForCompiler(c.fset, "gc", func(path string) (io.ReadCloser, error) {
		if e, ok := c.exports[path]; ok {
			return os.Open(e)
		}
		return nil, fmt.Errorf("no export data for %s", path)
	})
	return c, nil
}

// check type-checks the package with file name's text replaced by src (nil:
// the reference as it is). It returns the type information of that file, or
// the first type error.
func (c *checker) check(name string, src []byte) (*ast.File, *types.Info, error) {
	files := make([]*ast.File, 0, len(c.files))
	var target *ast.File
	for _, n := range slices.Sorted(maps.Keys(c.files)) {
		f := c.files[n]
		if n == name && src != nil {
			var err error
			f, err = parser.ParseFile(c.fset, name, src, parser.SkipObjectResolution)
			if err != nil {
				return nil, nil, err
			}
		}
		if n == name {
			target = f
		}
		files = append(files, f)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	var first error
	conf := types.Config{Importer: c.imp, Error: func(err error) {
		if first == nil {
			first = err
		}
	}}
	conf.Check(c.path, c.fset, files, info)
	// Soft errors too (an unused variable or import) stop the compiler.
	return target, info, first
}
