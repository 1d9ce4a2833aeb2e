package mutate

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"unicode"
)

// A Mutant is one lab file with one mutation applied.
type Mutant struct {
	// ID names the mutant stably: see the package documentation.
	ID   string
	File string // the lab file, "tcpack.go"
	Line int    // the line of the change in the reference file
	Func string // the enclosing function, "Server.handle"
	Op   string // the operator, "boundary"
	// Edits, applied to the reference file's text, make the mutant.
	Edits []Edit
}

// An Edit replaces the bytes [Pos, End) of a file with New.
type Edit struct {
	Pos, End int
	New      string
}

// Apply returns src with m's edits applied.
func (m Mutant) Apply(src []byte) []byte {
	edits := slices.Clone(m.Edits)
	slices.SortFunc(edits, func(a, b Edit) int { return b.Pos - a.Pos })
	out := slices.Clone(src)
	for _, e := range edits {
		out = slices.Concat(out[:e.Pos], []byte(e.New), out[e.End:])
	}
	return out
}

// Diff shows the lines m changes in src, unified style: a header naming the
// file and line, the old lines prefixed "-", the new lines "+".
func (m Mutant) Diff(src []byte) string {
	lo, hi := len(src), 0
	for _, e := range m.Edits {
		lo, hi = min(lo, e.Pos), max(hi, e.End)
	}
	lo = bytes.LastIndexByte(src[:lo], '\n') + 1
	if i := bytes.IndexByte(src[hi:], '\n'); i >= 0 {
		hi += i
	} else {
		hi = len(src)
	}
	old := string(src[lo:hi])
	shifted := make([]Edit, len(m.Edits))
	for i, e := range m.Edits {
		shifted[i] = Edit{e.Pos - lo, e.End - lo, e.New}
	}
	repl := string(Mutant{Edits: shifted}.Apply([]byte(old)))
	var b strings.Builder
	fmt.Fprintf(&b, "@@ %s:%d @@\n", m.File, m.Line)
	for _, l := range strings.Split(old, "\n") {
		fmt.Fprintf(&b, "-%s\n", l)
	}
	for _, l := range strings.Split(repl, "\n") {
		if strings.TrimSpace(l) == "" {
			l = ""
		}
		fmt.Fprintf(&b, "+%s\n", l)
	}
	return b.String()
}

// Generate returns every mutant of the Go file called name with contents src,
// in source order. info, when not nil, holds the file's type information
// (types.Info's Types, Uses and Defs, from checking the file with its
// package): with it, arithmetic operators skip operands that are not numbers
// and "go" is added only to calls of the package's own functions; without it
// both use the file's syntax alone.
func Generate(fset *token.FileSet, name string, f *ast.File, src []byte, info *types.Info) []Mutant {
	g := &generator{fset: fset, name: name, file: f, src: src, info: info, local: map[string]bool{}}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			g.local[fd.Name.Name] = true
			if info != nil && g.pkg == nil && info.Defs[fd.Name] != nil {
				g.pkg = info.Defs[fd.Name].Pkg()
			}
		}
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		g.fn = funcName(fd)
		g.funcs = []*ast.FuncType{fd.Type}
		g.walk(fd.Body)
	}
	// Ordinals count the mutants of one function, operator and key, in
	// source order.
	seen := map[string]int{}
	for i := range g.out {
		m := &g.out[i]
		base := m.ID
		seen[base]++
		m.ID = fmt.Sprintf("%s#%d", base, seen[base])
	}
	return g.out
}

// GenerateSource parses src and returns its mutants, without type information.
func GenerateSource(name string, src []byte) ([]Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	return Generate(fset, name, f, src, nil), nil
}

func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
}

// generator walks one file and collects its mutants.
type generator struct {
	fset  *token.FileSet
	name  string
	file  *ast.File
	src   []byte
	info  *types.Info
	local map[string]bool // names of the file's functions and methods
	pkg   *types.Package  // the file's package, with info
	fn    string          // the enclosing FuncDecl's name
	funcs []*ast.FuncType // the enclosing function types, innermost last
	out   []Mutant
}

// add records a mutant of operator op, key k (a few characters saying what
// changes, part of the id), made by edits.
func (g *generator) add(op, key string, edits ...Edit) {
	g.out = append(g.out, Mutant{
		ID:    g.name + ":" + g.fn + ":" + op + ":" + key,
		File:  g.name,
		Line:  g.fset.Position(g.file.FileStart + token.Pos(edits[0].Pos)).Line,
		Func:  g.fn,
		Op:    op,
		Edits: edits,
	})
}

// off is the byte offset of p in the file.
func (g *generator) off(p token.Pos) int { return int(p - g.file.FileStart) }

// text is the source text of n.
func (g *generator) text(n ast.Node) string { return string(g.src[g.off(n.Pos()):g.off(n.End())]) }

// key is the compact form of a piece of source for an id: no white space,
// at most 40 characters.
func key(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "..."
	}
	return s
}

// indent is the white space that starts the line holding offset o.
func (g *generator) indent(o int) string {
	lo := bytes.LastIndexByte(g.src[:o], '\n') + 1
	i := lo
	for i < len(g.src) && (g.src[i] == ' ' || g.src[i] == '\t') {
		i++
	}
	return string(g.src[lo:i])
}
