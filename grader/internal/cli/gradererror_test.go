//go:build unix

package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"netlabs/grader/result"
)

// TestKilledBuildIsAGraderError kills every "go test -c" from outside (a go
// command on PATH that kills itself when asked to build tests): the grader
// tries once more, then reports every check of the lab as a grader error,
// not as the student's zero, and exits 3.
func TestKilledBuildIsAGraderError(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the grader")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := t.TempDir()
	count := filepath.Join(bin, "count")
	script := "#!/bin/sh\nif [ \"$1\" = test ]; then echo x >> " + count + "; kill -9 $$; fi\nexec " + goBin + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	chdirRoot(t)
	out := filepath.Join(t.TempDir(), "run.json")

	var stdout, stderr bytes.Buffer
	code := Main([]string{"-week", "1", "-lab", "basic", "-format", "json", "-o", out}, &stdout, &stderr)
	if code != exitInternal {
		t.Errorf("exit status %d, want %d (the grader's own failure); stderr:\n%s", code, exitInternal, stderr.String())
	}
	if !strings.Contains(stderr.String(), "grader_error") {
		t.Errorf("stderr does not say why the score is incomplete:\n%s", stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var run result.Run
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatal(err)
	}
	lab := run.Weeks[0].Labs[0]
	if lab.BuildError != "" {
		t.Errorf("a killed build is reported as a compile error: %q", lab.BuildError)
	}
	for _, c := range lab.Checks {
		if c.Status != result.StatusGraderError || !strings.Contains(c.Message, "not a problem of the lab's code") {
			t.Errorf("%s: %s %q, want grader_error saying it is not the lab's problem", c.ID, c.Status, c.Message)
		}
	}
	tries, _ := os.ReadFile(count)
	if n := strings.Count(string(tries), "x"); n != 2 {
		t.Errorf("go test -c ran %d times, want 2 (one retry)", n)
	}
}
