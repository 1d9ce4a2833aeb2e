package selftest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"netlabs/grader/course"
	"netlabs/grader/result"
)

// A fixture is a known-bad variant of a lab, kept as a txtar archive: a
// mutant (the reference with one realistic bug) or a cheat (the stub plus an
// attempt to fool the grader). Its comment holds "key: value" lines; its files
// are edits and additions:
//
//	The server forgets the newline after ACK.   (free text: what and why)
//	lab: w01.basic            the lab (default: from the fixture's folder)
//	base: reference           reference (default) or stub: what the edits start from
//	file: tcpack.go           the student file the edits apply to
//	fails: w01.basic.exchange the checks that must not pass; "all" or "none"
//	status: error timeout     optional: the statuses those checks may have
//	policy: off               cheats: on (default), off, or both
//	timeout: 3s               optional: every check's time limit (for fixtures that hang)
//	-- old --                 text that occurs exactly once in the file ...
//	-- new --                 ... and what replaces it; pairs repeat (each
//	                          without the newline that ends its section)
//	-- add/cheat.go --        a file added to the lab's package (a relative path
//	                          such as add/../../program/x.go reaches beyond it)
//
// The self-test writes the fixture into a copy of the course, grades the lab
// there, and requires that the checks that do not pass are exactly those in
// fails.
type fixture struct {
	Path    string
	About   string
	Lab     string
	Base    string
	File    string
	Fails   []string
	Status  []result.Status
	Policy  []bool // NoPolicy values to run with
	Timeout time.Duration
	edits   [][2]string
	adds    map[string][]byte
}

// loadFixture reads and checks one fixture file.
func loadFixture(path, defaultLab string) (*fixture, error) {
	a, err := txtar.ParseFile(path)
	if err != nil {
		return nil, err
	}
	fx := &fixture{Path: path, Lab: defaultLab, Base: "reference", Policy: []bool{false}, adds: map[string][]byte{}}
	var about []string
	for _, line := range strings.Split(string(a.Comment), "\n") {
		key, val, ok := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		switch {
		case ok && key == "lab":
			fx.Lab = val
		case ok && key == "base":
			fx.Base = val
		case ok && key == "file":
			fx.File = val
		case ok && key == "fails":
			fx.Fails = strings.Fields(val)
		case ok && key == "status":
			for _, s := range strings.Fields(val) {
				fx.Status = append(fx.Status, result.Status(s))
			}
		case ok && key == "timeout":
			d, err := time.ParseDuration(val)
			if err != nil {
				return nil, fmt.Errorf("%s: timeout: %v", path, err)
			}
			fx.Timeout = d
		case ok && key == "policy":
			fx.Policy = map[string][]bool{"on": {false}, "off": {true}, "both": {false, true}}[val]
		default:
			about = append(about, line)
		}
	}
	fx.About = strings.TrimSpace(strings.Join(about, " "))
	for i := 0; i < len(a.Files); i++ {
		f := a.Files[i]
		switch {
		case f.Name == "old" && i+1 < len(a.Files) && a.Files[i+1].Name == "new":
			// txtar ends every section with a newline; the edit is the text before it.
			old := strings.TrimSuffix(string(f.Data), "\n")
			if old == "" {
				return nil, fmt.Errorf("%s: empty old section", path)
			}
			fx.edits = append(fx.edits, [2]string{old, strings.TrimSuffix(string(a.Files[i+1].Data), "\n")})
			i++
		case strings.HasPrefix(f.Name, "add/"):
			fx.adds[strings.TrimPrefix(f.Name, "add/")] = f.Data
		default:
			return nil, fmt.Errorf("%s: unexpected section %q (want old/new pairs or add/FILE)", path, f.Name)
		}
	}
	switch {
	case fx.About == "":
		return nil, fmt.Errorf("%s: say in the comment what the fixture does", path)
	case len(fx.Fails) == 0:
		return nil, fmt.Errorf("%s: no fails: line", path)
	case fx.Base != "reference" && fx.Base != "stub":
		return nil, fmt.Errorf("%s: base %q: want reference or stub", path, fx.Base)
	case fx.Policy == nil:
		return nil, fmt.Errorf("%s: policy: want on, off or both", path)
	case len(fx.edits) > 0 && fx.File == "":
		return nil, fmt.Errorf("%s: edits need a file: line", path)
	case len(fx.edits) == 0 && len(fx.adds) == 0:
		return nil, fmt.Errorf("%s: no edits and no added files", path)
	}
	return fx, nil
}

// apply writes the fixture into the module copy at root, as a student would
// have it in their checkout, and returns the function that undoes it.
func (fx *fixture) apply(root string, l course.Lab) (undo func(), err error) {
	abs := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	var undos []func()
	undoAll := func() {
		for _, u := range slices.Backward(undos) {
			u()
		}
	}
	defer func() {
		if err != nil {
			undoAll()
		}
	}()
	if len(fx.edits) > 0 {
		if !slices.Contains(l.Files, fx.File) {
			return nil, fmt.Errorf("%s: file %q is not one of the lab's files %v", fx.Path, fx.File, l.Files)
		}
		target := abs(l.ReferenceDir() + "/" + fx.File)
		if fx.Base == "stub" {
			target = abs(l.Package + "/" + fx.File)
		}
		orig, err := os.ReadFile(target)
		if err != nil {
			return nil, err
		}
		text := string(orig)
		for _, e := range fx.edits {
			if n := strings.Count(text, e[0]); n != 1 {
				return nil, fmt.Errorf("%s: the old text occurs %d times in %s, want exactly once:\n%s", fx.Path, n, target, e[0])
			}
			text = strings.Replace(text, e[0], e[1], 1)
		}
		if err := os.WriteFile(target, []byte(text), 0o644); err != nil {
			return nil, err
		}
		undos = append(undos, func() { os.WriteFile(target, orig, 0o644) })
	}
	for name, data := range fx.adds {
		target := abs(l.Package + "/" + name)
		if _, err := os.Stat(target); err == nil {
			return nil, fmt.Errorf("%s: add/%s: the lab already has that file", fx.Path, name)
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return nil, err
		}
		undos = append(undos, func() { os.Remove(target) })
	}
	return undoAll, nil
}
