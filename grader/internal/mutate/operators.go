package mutate

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// The operators, by the name that ids and reports use.
const (
	OpBoundary    = "boundary"     // < <= > >= : the other side of the boundary
	OpNegate      = "negate"       // == and != swapped; !x becomes x
	OpArith       = "arith"        // + - * / % swapped; ++ and --, += and -= swapped
	OpConst       = "const"        // an integer literal +1, -1, or 0
	OpString      = "string-empty" // a non-empty string literal, not a format, emptied
	OpRemoveCall  = "remove-call"  // a call statement removed
	OpRemoveDefer = "remove-defer" // a defer statement removed
	OpAddGo       = "add-go"       // a call of the package's own function made a goroutine
	OpDropGo      = "drop-go"      // a go statement, or wg.Go(f), made a plain call
	OpSplitLock   = "split-lock"   // Unlock and Lock inserted inside a critical section
	OpRemoveLock  = "remove-lock"  // a Lock and its Unlock removed
	OpNilError    = "nil-error"    // a returned error replaced by nil
	OpSwapBranch  = "swap-branch"  // break and continue swapped
)

// Operators lists every operator, in the order the package documentation
// describes them.
var Operators = []string{
	OpBoundary, OpNegate, OpArith, OpConst, OpString, OpRemoveCall, OpRemoveDefer,
	OpAddGo, OpDropGo, OpSplitLock, OpRemoveLock, OpNilError, OpSwapBranch,
}

var (
	boundarySwap = map[token.Token]token.Token{token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR}
	negateSwap   = map[token.Token]token.Token{token.EQL: token.NEQ, token.NEQ: token.EQL}
	arithSwap    = map[token.Token]token.Token{
		token.ADD: token.SUB, token.SUB: token.ADD, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL,
		token.ADD_ASSIGN: token.SUB_ASSIGN, token.SUB_ASSIGN: token.ADD_ASSIGN,
		token.MUL_ASSIGN: token.QUO_ASSIGN, token.QUO_ASSIGN: token.MUL_ASSIGN,
		token.INC: token.DEC, token.DEC: token.INC,
	}
)

// walk visits the statements and expressions of a function body in source
// order, adding the mutants of every node.
func (g *generator) walk(body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			g.funcs = append(g.funcs, x.Type)
			g.walk(x.Body)
			g.funcs = g.funcs[:len(g.funcs)-1]
			return false
		case *ast.BinaryExpr:
			g.binary(x)
		case *ast.UnaryExpr:
			if x.Op == token.NOT {
				g.add(OpNegate, key(g.text(x)), Edit{g.off(x.OpPos), g.off(x.OpPos) + 1, ""})
			}
		case *ast.BasicLit:
			g.literal(x)
		case *ast.IncDecStmt:
			g.opSwap(OpArith, x.X, x.TokPos, x.Tok, key(g.text(x)))
		case *ast.AssignStmt:
			if _, ok := arithSwap[x.Tok]; ok && len(x.Lhs) == 1 && g.numeric(x.Lhs[0]) {
				g.opSwap(OpArith, x.Lhs[0], x.TokPos, x.Tok, key(g.text(x)))
			}
		case *ast.BlockStmt:
			g.locks(x.List)
		case *ast.CaseClause:
			g.locks(x.Body)
		case *ast.CommClause:
			g.locks(x.Body)
		case *ast.ExprStmt:
			g.callStmt(x)
		case *ast.DeferStmt:
			g.add(OpRemoveDefer, key(g.text(x.Call.Fun)), g.remove(x))
		case *ast.GoStmt:
			g.add(OpDropGo, key(g.text(x.Call.Fun)), Edit{g.off(x.Go), g.off(x.Call.Pos()), ""})
		case *ast.ReturnStmt:
			g.nilError(x)
		case *ast.BranchStmt:
			swap := map[token.Token]string{token.BREAK: "continue", token.CONTINUE: "break"}
			if s, ok := swap[x.Tok]; ok {
				g.add(OpSwapBranch, x.Tok.String(), Edit{g.off(x.TokPos), g.off(x.TokPos) + len(x.Tok.String()), s})
			}
		}
		return true
	})
}

// binary mutates a binary operator.
func (g *generator) binary(x *ast.BinaryExpr) {
	k := key(g.text(x))
	switch {
	case boundarySwap[x.Op] != token.ILLEGAL:
		g.opSwap(OpBoundary, nil, x.OpPos, x.Op, k)
	case negateSwap[x.Op] != token.ILLEGAL:
		g.opSwap(OpNegate, nil, x.OpPos, x.Op, k)
	case arithSwap[x.Op] != token.ILLEGAL && g.numeric(x):
		g.opSwap(OpArith, nil, x.OpPos, x.Op, k)
	}
}

// opSwap replaces the operator tok at pos with its counterpart for op.
func (g *generator) opSwap(op string, _ ast.Expr, pos token.Pos, tok token.Token, k string) {
	table := map[string]map[token.Token]token.Token{OpBoundary: boundarySwap, OpNegate: negateSwap, OpArith: arithSwap}[op]
	o := g.off(pos)
	g.add(op, k, Edit{o, o + len(tok.String()), table[tok].String()})
}

// numeric reports whether e is a number: from the type information when
// there is some, else unless one side of it is a string literal.
func (g *generator) numeric(e ast.Expr) bool {
	if g.info != nil {
		if tv, ok := g.info.Types[e]; ok && tv.Type != nil {
			b, ok := tv.Type.Underlying().(*types.Basic)
			return ok && b.Info()&types.IsNumeric != 0
		}
	}
	isString := func(e ast.Expr) bool {
		l, ok := ast.Unparen(e).(*ast.BasicLit)
		return ok && l.Kind == token.STRING
	}
	if b, ok := e.(*ast.BinaryExpr); ok {
		return !isString(b.X) && !isString(b.Y)
	}
	return !isString(e)
}

// literal mutates an integer or string literal.
func (g *generator) literal(x *ast.BasicLit) {
	o, end := g.off(x.Pos()), g.off(x.End())
	switch x.Kind {
	case token.INT:
		v, err := strconv.ParseInt(strings.ReplaceAll(x.Value, "_", ""), 0, 64)
		if err != nil {
			return
		}
		done := map[int64]bool{v: true}
		for _, n := range []int64{v + 1, v - 1, 0} {
			if n < 0 || done[n] {
				continue
			}
			done[n] = true
			s := strconv.FormatInt(n, 10)
			g.add(OpConst, x.Value+"->"+s, Edit{o, end, s})
		}
	case token.STRING:
		// A format string ("accept: %w") emptied fails vet, and with it
		// the build: not worth a build to learn that.
		if s, err := strconv.Unquote(x.Value); err == nil && s != "" && !strings.Contains(s, "%") {
			g.add(OpString, key(x.Value), Edit{o, end, `""`})
		}
	}
}

// callStmt mutates a call statement: removed, made a goroutine, or, for
// wg.Go(f), f called in place.
func (g *generator) callStmt(x *ast.ExprStmt) {
	call, ok := x.X.(*ast.CallExpr)
	if !ok {
		return
	}
	k := key(g.text(call.Fun))
	g.add(OpRemoveCall, k, g.remove(x))
	if g.ownFunc(call.Fun) {
		g.add(OpAddGo, k, Edit{g.off(x.Pos()), g.off(x.Pos()), "go "})
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Go" && len(call.Args) == 1 && g.isWaitGroup(sel.X) {
		arg := call.Args[0]
		g.add(OpDropGo, k,
			Edit{g.off(call.Pos()), g.off(arg.Pos()), "("},
			Edit{g.off(arg.End()), g.off(call.End()), ")()"})
	}
}

// ownFunc reports whether fun names a function or method of the package.
func (g *generator) ownFunc(fun ast.Expr) bool {
	var id *ast.Ident
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return false
	}
	if g.info != nil {
		fn, ok := g.info.Uses[id].(*types.Func)
		return ok && g.pkg != nil && fn.Pkg() == g.pkg
	}
	return g.local[id.Name]
}

// isWaitGroup reports whether e is a sync.WaitGroup (or a pointer to one):
// from the type information when there is some, else by the look of its name.
func (g *generator) isWaitGroup(e ast.Expr) bool {
	if g.info != nil {
		if tv, ok := g.info.Types[e]; ok && tv.Type != nil {
			return strings.HasSuffix(tv.Type.String(), "sync.WaitGroup")
		}
	}
	return strings.Contains(strings.ToLower(g.text(e)), "wg")
}

// remove deletes statement s.
func (g *generator) remove(s ast.Stmt) Edit {
	return Edit{g.off(s.Pos()), g.off(s.End()), ""}
}

// nilError replaces the error a return statement returns with nil, when the
// innermost enclosing function's last result is an error.
func (g *generator) nilError(x *ast.ReturnStmt) {
	ft := g.funcs[len(g.funcs)-1]
	if ft.Results == nil || len(x.Results) == 0 {
		return
	}
	n := 0
	for _, f := range ft.Results.List {
		n += max(1, len(f.Names))
	}
	last := ft.Results.List[len(ft.Results.List)-1].Type
	if id, ok := last.(*ast.Ident); !ok || id.Name != "error" || len(x.Results) != n {
		return
	}
	e := x.Results[n-1]
	if id, ok := e.(*ast.Ident); ok && id.Name == "nil" {
		return
	}
	g.add(OpNilError, key(g.text(e)), Edit{g.off(e.Pos()), g.off(e.End()), "nil"})
}

// locks mutates the critical sections of a statement list: X.Lock() (or
// RLock) followed in the same list by X.Unlock() or defer X.Unlock().
func (g *generator) locks(list []ast.Stmt) {
	for i, s := range list {
		x, lock := lockCall(s, false)
		if lock == "" {
			continue
		}
		recv := g.text(x)
		unlock := map[string]string{"Lock": "Unlock", "RLock": "RUnlock"}[lock]
		for j := i + 1; j < len(list); j++ {
			ux, u := lockCall(list[j], true)
			if u != unlock || g.text(ux) != recv {
				continue
			}
			k := key(recv)
			g.add(OpRemoveLock, k, g.remove(list[i]), g.remove(list[j]))
			// The section runs from the Lock to the Unlock, or after a
			// deferred Unlock to the end of the list.
			first, last := i+1, j-1
			if _, ok := list[j].(*ast.DeferStmt); ok {
				first, last = j+1, len(list)-1
			}
			if last-first >= 1 {
				at := g.off(list[first].End())
				ind := g.indent(g.off(list[first].Pos()))
				g.add(OpSplitLock, k, Edit{at, at, "\n" + ind + recv + "." + unlock + "()\n" + ind + recv + "." + lock + "()"})
			}
			break
		}
	}
}

// lockCall recognises X.Lock() and X.RLock() statements, or with unlock set
// X.Unlock(), X.RUnlock() and their defer forms; it returns X and the method.
func lockCall(s ast.Stmt, unlock bool) (ast.Expr, string) {
	var call *ast.CallExpr
	switch x := s.(type) {
	case *ast.ExprStmt:
		call, _ = x.X.(*ast.CallExpr)
	case *ast.DeferStmt:
		if unlock {
			call = x.Call
		}
	}
	if call == nil || len(call.Args) != 0 {
		return nil, ""
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	names := map[bool][]string{false: {"Lock", "RLock"}, true: {"Unlock", "RUnlock"}}[unlock]
	for _, n := range names {
		if sel.Sel.Name == n {
			return sel.X, n
		}
	}
	return nil, ""
}
