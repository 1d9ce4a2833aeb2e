package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad impl", []string{"-impl", "mine"}, `-impl "mine": want student or reference`},
		{"bad lab", []string{"-lab", "bonus"}, `-lab "bonus": want basic or extra`},
		{"bad week", []string{"-week", "one"}, `-week "one": want week numbers`},
		{"missing week", []string{"-week", "99"}, "no week 99 in this course"},
		{"bad format", []string{"-format", "pdf"}, `unknown report format "pdf"`},
		{"bad seed", []string{"-seed", "-1"}, `-seed "-1"`},
		{"bad fail-under", []string{"-fail-under", "150"}, "-fail-under 150"},
		{"stray argument", []string{"week1"}, `unexpected argument "week1"`},
		{"unknown flag", []string{"-weeks", "1"}, "flag provided but not defined: -weeks"},
		{"report without file", []string{"report"}, "usage: go run ./grader report"},
		{"report of a non-result", []string{"report", "go.mod"}, "is not a netlabs/result/v1 result"},
		{"selftest stray argument", []string{"selftest", "now"}, "usage: go run ./grader selftest"},
		{"handouts stray argument", []string{"handouts", "x"}, "usage: go run ./grader handouts"},
	}
	chdirRoot(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(tt.args, &stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("Main(%q) = %d, stderr %q; want %d and %q", tt.args, code, stderr.String(), exitUsage, tt.want)
			}
		})
	}
}

// chdirRoot moves the test into the module root, as "go run ./grader" runs.
func chdirRoot(t *testing.T) {
	t.Helper()
	wd, _ := os.Getwd()
	root, err := findRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
}

func TestFindRoot(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module netlabs\n\ngo 1.25\n"), 0o644)
	deep := filepath.Join(dir, "weeks", "week01")
	os.MkdirAll(deep, 0o755)
	if got, err := findRoot(deep); err != nil || got != dir {
		t.Errorf("findRoot(%s) = %q, %v; want %q", deep, got, err, dir)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.com/x\n"), 0o644)
	if _, err := findRoot(other); err == nil || !strings.Contains(err.Error(), "not inside the netlabs course") {
		t.Errorf("findRoot(other module) = %v, want a clear error", err)
	}
}
