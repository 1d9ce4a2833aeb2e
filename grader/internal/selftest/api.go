package selftest

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"slices"
	"strings"

	"netlabs/grader/course"
)

// sameAPI checks that every lab's stub files and reference files declare the
// same exported API with the same doc comments: the stub's docs are the
// student's specification, and the reference must implement exactly that.
func (s *suite) sameAPI() error {
	var errs []error
	for _, w := range course.Weeks() {
		for _, l := range w.Labs {
			for _, f := range l.Files {
				stub, err := exportedAPI(s.abs(l.Package + "/" + f))
				if err != nil {
					errs = append(errs, err)
					continue
				}
				ref, err := exportedAPI(s.abs(l.ReferenceDir() + "/" + f))
				if err != nil {
					errs = append(errs, err)
					continue
				}
				errs = append(errs, compareAPI(l.Package+"/"+f, stub, ref)...)
			}
		}
	}
	return errors.Join(errs...)
}

// apiDecl is one exported declaration: what it declares (the declaration
// without function bodies) and its doc comment.
type apiDecl struct{ decl, doc string }

// exportedAPI lists the exported declarations of a Go file by name
// ("Server", "Server.Serve", "MaxMessage").
func exportedAPI(path string) (map[string]apiDecl, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	api := map[string]apiDecl{}
	show := func(n any) string {
		var b bytes.Buffer
		printer.Fprint(&b, fset, n)
		return b.String()
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				recv := strings.TrimLeft(show(d.Recv.List[0].Type), "*")
				if !ast.IsExported(recv) {
					continue
				}
				name = recv + "." + name
			}
			sig := *d
			sig.Body, sig.Doc = nil, nil
			api[name] = apiDecl{decl: show(&sig), doc: d.Doc.Text()}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				doc := d.Doc.Text()
				switch sp := spec.(type) {
				case *ast.TypeSpec:
					if sp.Name.IsExported() {
						if sp.Doc != nil {
							doc = sp.Doc.Text()
						}
						api[sp.Name.Name] = apiDecl{decl: show(exportedFields(sp.Type)), doc: doc}
					}
				case *ast.ValueSpec:
					if sp.Doc != nil {
						doc = sp.Doc.Text()
					}
					for i, n := range sp.Names {
						if !n.IsExported() {
							continue
						}
						decl := show(sp.Type)
						if i < len(sp.Values) {
							decl += " = " + show(sp.Values[i])
						}
						api[n.Name] = apiDecl{decl: decl, doc: doc + sp.Comment.Text()}
					}
				}
			}
		}
	}
	return api, nil
}

// exportedFields is a struct type with its unexported fields left out: they
// are the student's to choose. Other types come back as they are.
func exportedFields(t ast.Expr) ast.Expr {
	st, ok := t.(*ast.StructType)
	if !ok {
		return t
	}
	out := &ast.StructType{Fields: &ast.FieldList{}}
	for _, f := range st.Fields.List {
		exported := len(f.Names) == 0 // embedded: kept, it is part of the API
		for _, n := range f.Names {
			exported = exported || n.IsExported()
		}
		if exported {
			out.Fields.List = append(out.Fields.List, f)
		}
	}
	return out
}

// compareAPI lists how the reference's API differs from the stub's.
func compareAPI(file string, stub, ref map[string]apiDecl) []error {
	var names []string
	for n := range stub {
		names = append(names, n)
	}
	for n := range ref {
		if _, ok := stub[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var errs []error
	for _, n := range names {
		a, inStub := stub[n]
		b, inRef := ref[n]
		switch {
		case !inRef:
			errs = append(errs, fmt.Errorf("%s: %s is in the stub, not in the reference", file, n))
		case !inStub:
			errs = append(errs, fmt.Errorf("%s: %s is in the reference, not in the stub", file, n))
		case a.decl != b.decl:
			errs = append(errs, fmt.Errorf("%s: %s is declared differently:\n  stub:      %s\n  reference: %s", file, n, oneLineOf(a.decl), oneLineOf(b.decl)))
		case a.doc != b.doc:
			errs = append(errs, fmt.Errorf("%s: %s's doc comment differs between stub and reference:\n%s", file, n, firstDiff(a.doc, b.doc)))
		}
	}
	return errs
}

func oneLineOf(s string) string { return strings.Join(strings.Fields(s), " ") }

// firstDiff shows the first line where two texts differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("  line %d\n  stub:      %q\n  reference: %q", i+1, x, y)
		}
	}
	return ""
}
