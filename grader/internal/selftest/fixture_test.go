package selftest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"netlabs/grader/course"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFixtureApplyAndUndo(t *testing.T) {
	root := t.TempDir()
	lab := course.Lab{Week: 1, Kind: course.Basic, Package: "weeks/week01/x", Files: []string{"x.go"}}
	ref := filepath.Join(root, "reference/week01/x/x.go")
	writeFile(t, ref, "package x\n\nfunc F() int { return 1 }\n")
	writeFile(t, filepath.Join(root, "weeks/week01/x/x.go"), "package x\n")
	fxPath := filepath.Join(root, "m.txtar")
	writeFile(t, fxPath, `F returns 2.
file: x.go
fails: w01.basic.f
-- old --
return 1
-- new --
return 2
-- add/extra.go --
package x
`)
	fx, err := loadFixture(fxPath, "w01.basic")
	if err != nil {
		t.Fatal(err)
	}
	if fx.About != "F returns 2." || fx.Lab != "w01.basic" || fx.Base != "reference" {
		t.Errorf("loadFixture() = %+v", fx)
	}
	undo, err := fx.apply(root, lab)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(ref)
	if !strings.Contains(string(b), "return 2") {
		t.Errorf("after apply, reference = %q, want the edit", b)
	}
	if _, err := os.Stat(filepath.Join(root, "weeks/week01/x/extra.go")); err != nil {
		t.Errorf("added file missing: %v", err)
	}
	undo()
	b, _ = os.ReadFile(ref)
	if !strings.Contains(string(b), "return 1") {
		t.Errorf("after undo, reference = %q, want the original", b)
	}
	if _, err := os.Stat(filepath.Join(root, "weeks/week01/x/extra.go")); !os.IsNotExist(err) {
		t.Errorf("after undo, added file still there: %v", err)
	}
}

func TestFixtureErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"no about", "fails: all\n-- add/x.go --\npackage x\n", "say in the comment"},
		{"no fails", "About.\n-- add/x.go --\npackage x\n", "no fails"},
		{"bad base", "About.\nbase: mine\nfails: all\n-- add/x.go --\n", "base \"mine\""},
		{"bad policy", "About.\npolicy: maybe\nfails: all\n-- add/x.go --\n", "policy"},
		{"edit without file", "About.\nfails: all\n-- old --\na\n-- new --\nb\n", "need a file"},
		{"nothing to do", "About.\nfails: all\n", "no edits"},
		{"stray section", "About.\nfails: all\n-- new --\nb\n", "unexpected section"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "f.txtar")
			writeFile(t, p, tt.text)
			_, err := loadFixture(p, "w01.basic")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loadFixture() = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestFixtureOldTextMustBeUnique(t *testing.T) {
	root := t.TempDir()
	lab := course.Lab{Week: 1, Kind: course.Basic, Package: "weeks/week01/x", Files: []string{"x.go"}}
	writeFile(t, filepath.Join(root, "reference/week01/x/x.go"), "a\na\n")
	p := filepath.Join(root, "m.txtar")
	writeFile(t, p, "About.\nfile: x.go\nfails: all\n-- old --\na\n-- new --\nb\n")
	fx, err := loadFixture(p, "w01.basic")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.apply(root, lab); err == nil || !strings.Contains(err.Error(), "occurs 2 times") {
		t.Errorf("apply() = %v, want an error about the old text occurring twice", err)
	}
}
