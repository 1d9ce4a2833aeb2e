package mutate

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"
)

// src is the file every operator test mutates; each test looks at one
// function of it.
const src = `package p

import (
	"errors"
	"fmt"
	"sync"
)

type S struct {
	mu sync.Mutex
	n  int
	wg sync.WaitGroup
}

func bounds(a, b int) bool { return a < b || a >= b }

func negate(a, b int, ok bool) bool { return a == b && !ok }

func arith(a, b int, s string) int {
	a++
	b -= 2
	s = s + "x"
	return a*b + len(s)
}

func consts() (int, string) { return 1, "hi" }

func (s *S) calls(f func()) {
	defer s.wg.Wait()
	s.wg.Go(f)
	go s.step()
	s.step()
	f()
}

func (s *S) step() {
	s.mu.Lock()
	s.n++
	s.n--
	s.mu.Unlock()
}

func (s *S) deferred() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return s.n
}

func errs(err error) (int, error) {
	if err != nil {
		return 0, fmt.Errorf("wrap: %w", err)
	}
	return 1, errors.New("plain")
}

func loop(xs []int) {
	for _, x := range xs {
		if x == 0 {
			continue
		}
		break
	}
}
`

// line is a mutant in a test's words: its id and its diff's "+" lines.
type line struct{ ID, New string }

func mutantsOf(t *testing.T, op, fn string, info bool) []line {
	t.Helper()
	var ms []Mutant
	if info {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ti := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
		conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil)}
		if _, err := conf.Check("p", fset, []*ast.File{f}, ti); err != nil {
			t.Fatal(err)
		}
		ms = Generate(fset, "p.go", f, []byte(src), ti)
	} else {
		var err error
		if ms, err = GenerateSource("p.go", []byte(src)); err != nil {
			t.Fatal(err)
		}
	}
	var got []line
	for _, m := range ms {
		if m.Op != op || m.Func != fn {
			continue
		}
		var plus []string
		for _, l := range strings.Split(m.Diff([]byte(src)), "\n") {
			if s, ok := strings.CutPrefix(l, "+"); ok {
				plus = append(plus, strings.TrimSpace(s))
			}
		}
		got = append(got, line{m.ID, strings.Join(slices.DeleteFunc(plus, func(s string) bool { return s == "" }), " / ")})
		if _, err := parser.ParseFile(token.NewFileSet(), "m.go", m.Apply([]byte(src)), 0); err != nil {
			t.Errorf("%s does not parse: %v", m.ID, err)
		}
	}
	return got
}

func TestOperators(t *testing.T) {
	tests := []struct {
		name, op, fn string
		info         bool // with type information
		want         []line
	}{
		{"boundary", OpBoundary, "bounds", false, []line{
			{"p.go:bounds:boundary:a<b#1", "func bounds(a, b int) bool { return a <= b || a >= b }"},
			{"p.go:bounds:boundary:a>=b#1", "func bounds(a, b int) bool { return a < b || a > b }"},
		}},
		{"negate", OpNegate, "negate", false, []line{
			{"p.go:negate:negate:a==b#1", "func negate(a, b int, ok bool) bool { return a != b && !ok }"},
			{"p.go:negate:negate:!ok#1", "func negate(a, b int, ok bool) bool { return a == b && ok }"},
		}},
		{"arithmetic, syntax only", OpArith, "arith", false, []line{
			{"p.go:arith:arith:a++#1", "a--"},
			{"p.go:arith:arith:b-=2#1", "b += 2"},
			{"p.go:arith:arith:a*b+len(s)#1", "return a*b - len(s)"},
			{"p.go:arith:arith:a*b#1", "return a/b + len(s)"},
		}},
		{"arithmetic, typed", OpArith, "arith", true, []line{
			{"p.go:arith:arith:a++#1", "a--"},
			{"p.go:arith:arith:b-=2#1", "b += 2"},
			{"p.go:arith:arith:a*b+len(s)#1", "return a*b - len(s)"},
			{"p.go:arith:arith:a*b#1", "return a/b + len(s)"},
		}},
		{"integer constants", OpConst, "consts", false, []line{
			{"p.go:consts:const:1->2#1", `func consts() (int, string) { return 2, "hi" }`},
			{"p.go:consts:const:1->0#1", `func consts() (int, string) { return 0, "hi" }`},
		}},
		{"string constants", OpString, "consts", false, []line{
			{`p.go:consts:string-empty:"hi"#1`, `func consts() (int, string) { return 1, "" }`},
		}},
		{"removed calls", OpRemoveCall, "S.calls", false, []line{
			{"p.go:S.calls:remove-call:s.wg.Go#1", ""},
			{"p.go:S.calls:remove-call:s.step#1", ""},
			{"p.go:S.calls:remove-call:f#1", ""},
		}},
		{"removed defers", OpRemoveDefer, "S.calls", false, []line{
			{"p.go:S.calls:remove-defer:s.wg.Wait#1", ""},
		}},
		{"go added", OpAddGo, "S.calls", true, []line{
			{"p.go:S.calls:add-go:s.step#1", "go s.step()"},
		}},
		{"go dropped", OpDropGo, "S.calls", true, []line{
			{"p.go:S.calls:drop-go:s.wg.Go#1", "(f)()"},
			{"p.go:S.calls:drop-go:s.step#1", "s.step()"},
		}},
		{"lock removed", OpRemoveLock, "S.step", false, []line{
			{"p.go:S.step:remove-lock:s.mu#1", "s.n++ / s.n--"},
		}},
		{"lock split", OpSplitLock, "S.step", false, []line{
			{"p.go:S.step:split-lock:s.mu#1", "s.n++ / s.mu.Unlock() / s.mu.Lock()"},
		}},
		{"deferred unlock split", OpSplitLock, "S.deferred", false, []line{
			{"p.go:S.deferred:split-lock:s.mu#1", "s.n++ / s.mu.Unlock() / s.mu.Lock()"},
		}},
		{"deferred unlock removed", OpRemoveLock, "S.deferred", false, []line{
			{"p.go:S.deferred:remove-lock:s.mu#1", ""},
		}},
		{"nil error", OpNilError, "errs", false, []line{
			{`p.go:errs:nil-error:fmt.Errorf("wrap:%w",err)#1`, "return 0, nil"},
			{`p.go:errs:nil-error:errors.New("plain")#1`, "return 1, nil"},
		}},
		{"break and continue", OpSwapBranch, "loop", false, []line{
			{"p.go:loop:swap-branch:continue#1", "break"},
			{"p.go:loop:swap-branch:break#1", "continue"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mutantsOf(t, tt.op, tt.fn, tt.info)
			if !slices.Equal(got, tt.want) {
				t.Errorf("mutants of %s by %s:\n%s\nwant:\n%s", tt.fn, tt.op, lines(got), lines(tt.want))
			}
		})
	}
}

// TestStringArithmeticSkipped: with type information, + on strings is left
// alone; without it, only a string literal operand tells.
func TestStringArithmeticSkipped(t *testing.T) {
	for _, info := range []bool{false, true} {
		for _, l := range mutantsOf(t, OpArith, "arith", info) {
			if strings.Contains(l.New, `s - "x"`) {
				t.Errorf("info=%v: %s mutates string concatenation", info, l.ID)
			}
		}
	}
}

// TestIDsStable: an edit in another function, or above the mutated one,
// leaves the ids of a function's mutants as they were.
func TestIDsStable(t *testing.T) {
	before, err := GenerateSource("p.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(src, "func consts()", "func extra(a int) bool { return a > 0 }\n\n// consts has a comment now.\nfunc consts()", 1)
	after, err := GenerateSource("p.go", []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, m := range after {
		ids[m.ID] = m.Line
	}
	for _, m := range before {
		line, ok := ids[m.ID]
		if !ok {
			t.Errorf("%s: gone after an edit elsewhere", m.ID)
		} else if m.Func == "consts" && line != m.Line+3 {
			t.Errorf("%s: line %d, want %d", m.ID, line, m.Line+3)
		}
	}
	seen := map[string]bool{}
	for _, m := range after {
		if seen[m.ID] {
			t.Errorf("id %s used twice", m.ID)
		}
		seen[m.ID] = true
	}
}

func TestDiff(t *testing.T) {
	ms, err := GenerateSource("p.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ms, func(m Mutant) bool { return m.ID == "p.go:S.step:remove-lock:s.mu#1" })
	if i < 0 {
		t.Fatal("no remove-lock mutant in S.step")
	}
	want := "@@ p.go:37 @@\n-\ts.mu.Lock()\n-\ts.n++\n-\ts.n--\n-\ts.mu.Unlock()\n+\n+\ts.n++\n+\ts.n--\n+\n"
	if got := ms[i].Diff([]byte(src)); got != want {
		t.Errorf("Diff:\n%s\nwant:\n%s", got, want)
	}
}

func lines(ls []line) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString("\t" + l.ID + "  " + l.New + "\n")
	}
	return b.String()
}
