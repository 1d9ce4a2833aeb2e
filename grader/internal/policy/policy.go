// Package policy is the static check of a student's files before anything of
// theirs runs.
//
// Student code is linked into the test binary that judges it, so code that runs
// before the tests (an init function, a package-level initialiser), that ends
// the process (os.Exit), or that writes test2json's framing byte can forge or
// suppress results (research/autograders.md, Appendix A). The grader also
// decides verdicts from each check's own events in a separate process (package
// runner), but these rules close the door before the binary is even built.
//
// Rules, each reported with file, line and why:
//
//	init-func         no func init
//	package-init      package-level var initialisers call only errors.New,
//	                  fmt.Errorf, regexp.MustCompile and conversions; no func literals
//	exit-call         no os.Exit, syscall.Exit, runtime.Goexit, raw syscalls
//	import            standard library only; not unsafe, os/exec, plugin, reflect,
//	                  runtime/debug, testing, cgo ("C"); of netlabs' own packages
//	                  only the programs' plumbing, SharedPackage (which is checked too)
//	linkname          no //go:linkname directives
//	framing-byte      no byte 0x16 (test2json's framing marker) in literals
//	foreign-source    no assembly, C, or .syso files beside the Go files
//
// The student's own _test.go files are not a violation: the grader leaves them
// out of the graded build and says so.
package policy

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"netlabs/grader/result"
)

// forbiddenImports are standard packages that reach around the language or
// into the test harness.
var forbiddenImports = []string{"unsafe", "os/exec", "plugin", "reflect", "runtime/debug", "testing", "C"}

// SharedPackage is the one course package that lab code may import: the
// plumbing of the lab programs (flags, -addrfile, signals). It is student
// editable like the labs, so the grader checks it with every lab.
const SharedPackage = "weeks/program"

// exitCalls end the process or the goroutine from inside student code.
var exitCalls = []string{"os.Exit", "syscall.Exit", "runtime.Goexit",
	"syscall.Syscall", "syscall.Syscall6", "syscall.RawSyscall", "syscall.RawSyscall6"}

// initCalls may appear in package-level initialisers.
var initCalls = []string{"errors.New", "fmt.Errorf", "regexp.MustCompile"}

// Check inspects the student's files of the package in folder dir (slash path
// relative to root): every .go file that is not a test file, and any foreign
// source file. testFiles are the graded test files; other _test.go files are
// returned as excluded. A file that does not parse is not a violation: the
// compiler will say what is wrong with it.
func Check(root, dir string, testFiles []string) (violations []result.Violation, excluded []string, err error) {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		name := e.Name()
		rel := dir + "/" + name
		switch {
		case e.IsDir():
		case strings.HasSuffix(name, "_test.go"):
			if !slices.Contains(testFiles, name) {
				excluded = append(excluded, rel)
			}
		case strings.HasSuffix(name, ".go"):
			vs, err := checkFile(filepath.Join(root, filepath.FromSlash(rel)), rel)
			if err != nil {
				return nil, nil, err
			}
			violations = append(violations, vs...)
		case slices.Contains([]string{".s", ".S", ".c", ".cc", ".cpp", ".h", ".syso", ".m", ".f"}, filepath.Ext(name)):
			violations = append(violations, result.Violation{File: rel, Line: 1, Rule: "foreign-source",
				Why: "only Go files may sit in a lab's folder; assembly, C and object files can run code the grader cannot check"})
		}
	}
	return violations, excluded, nil
}

// checkFile applies the rules to one Go file; rel names it in violations.
func checkFile(path, rel string) ([]result.Violation, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil // the build reports syntax errors
	}
	var vs []result.Violation
	add := func(pos token.Pos, rule, why string) {
		vs = append(vs, result.Violation{File: rel, Line: fset.Position(pos).Line, Rule: rule, Why: why})
	}
	checkImports(f, add)
	checkDecls(f, add)
	checkBody(f, add)
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:linkname") {
				add(c.Pos(), "linkname", "//go:linkname reaches into other packages' private code")
			}
		}
	}
	return vs, nil
}

type addFunc func(pos token.Pos, rule, why string)

func checkImports(f *ast.File, add addFunc) {
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		first, _, _ := strings.Cut(p, "/")
		switch {
		case slices.Contains(forbiddenImports, p):
			add(imp.Pos(), "import", fmt.Sprintf("package %q is not allowed in lab code", p))
		case p == "netlabs/"+SharedPackage:
		case first == "netlabs":
			add(imp.Pos(), "import", fmt.Sprintf("lab code may not import the course's own package %q", p))
		case strings.Contains(first, ".") || strings.HasPrefix(p, "internal/") || strings.Contains(p, "/internal/"):
			add(imp.Pos(), "import", fmt.Sprintf("only the standard library is available to lab code, not %q", p))
		}
	}
}

// checkDecls finds init functions and package-level initialisers that run code.
func checkDecls(f *ast.File, add addFunc) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name == "init" {
				add(d.Pos(), "init-func", "init functions run before the tests and are not allowed; do the work in the functions the tests call")
			}
		case *ast.GenDecl:
			if d.Tok != token.VAR {
				continue
			}
			for _, spec := range d.Specs {
				for _, v := range spec.(*ast.ValueSpec).Values {
					checkInitExpr(v, add)
				}
			}
		}
	}
}

// checkInitExpr reports calls and function literals in a package-level
// initialiser, except the allowed constructors and conversions.
func checkInitExpr(e ast.Expr, add addFunc) {
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			add(n.Pos(), "package-init", "a function literal in a package-level variable's initialiser can run code before the tests; declare a named function instead")
			return false
		case *ast.CallExpr:
			if name := calleeName(n.Fun); !slices.Contains(initCalls, name) && !isConversion(n.Fun) {
				add(n.Pos(), "package-init", fmt.Sprintf("package-level variables may not be initialised by calling %s: it would run before the tests; set it up inside your functions", describe(name)))
				return false
			}
		}
		return true
	})
}

// checkBody finds exit calls and framing bytes anywhere in the file.
func checkBody(f *ast.File, add addFunc) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if name := calleeName(n.Fun); slices.Contains(exitCalls, name) {
				add(n.Pos(), "exit-call", name+" ends the test process from inside lab code; return an error instead")
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING || n.Kind == token.CHAR {
				if s, err := strconv.Unquote(n.Value); err == nil && strings.ContainsRune(s, 0x16) {
					add(n.Pos(), "framing-byte", "byte 0x16 frames test results in the grader's output; lab code may not print it")
				}
			}
		}
		return true
	})
}

// calleeName is "pkg.Func" or "Func" for simple callees, "" otherwise.
func calleeName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
	case *ast.ParenExpr:
		return calleeName(f.X)
	}
	return ""
}

// builtinTypes are the predeclared types a conversion may name.
var builtinTypes = []string{"string", "byte", "rune", "int", "int8", "int16", "int32", "int64",
	"uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "bool", "uintptr"}

// isConversion reports whether fun is surely a type: a predeclared type, a
// composite type, or time.Duration. Named types of the package itself are not
// recognised (that needs type checking); write the literal instead.
func isConversion(fun ast.Expr) bool {
	switch f := fun.(type) {
	case *ast.Ident:
		return slices.Contains(builtinTypes, f.Name)
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.InterfaceType, *ast.StructType:
		return true
	case *ast.ParenExpr:
		return isConversion(f.X)
	}
	return calleeName(fun) == "time.Duration"
}

func describe(name string) string {
	if name == "" {
		return "a function"
	}
	return name
}
