//go:build unix

package runner

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netlabs/grader/course"
	"netlabs/grader/result"
)

// victim is a test package whose tests end in ways the runner must tell
// apart: a pass, a kill by a signal nobody in the grader sent, a hang.
const victim = `package victim

import (
	"os"
	"syscall"
	"testing"
	"time"
)

func TestPass(t *testing.T) {}

func TestKilled(t *testing.T) {
	t.Log("about to be killed")
	p, _ := os.FindProcess(os.Getpid())
	p.Signal(syscall.SIGKILL)
	time.Sleep(time.Minute)
}

func TestHang(t *testing.T) { time.Sleep(time.Minute) }
`

// build compiles victim into a test binary and test2json, once per test.
func build(t *testing.T) (Runner, Binary) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a test binary")
	}
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module victim\n\ngo 1.25\n")
	write("victim_test.go", victim)
	for _, args := range [][]string{
		{"test", "-c", "-o", "victim.test", "."},
		{"build", "-o", "test2json", "cmd/test2json"},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return Runner{Test2JSON: filepath.Join(dir, "test2json"), SandboxNote: "test"},
		Binary{Path: filepath.Join(dir, "victim.test"), Dir: dir, Package: "victim"}
}

func TestRunTellsWhoEndedTheTest(t *testing.T) {
	r, b := build(t)
	tests := []struct {
		test    string
		limit   time.Duration
		want    result.Status
		message string
	}{
		{"TestPass", 10 * time.Second, result.StatusPass, ""},
		{"TestKilled", 10 * time.Second, result.StatusGraderError, "killed by a signal the grader did not send (killed)"},
		{"TestHang", time.Second, result.StatusTimeout, "ran out of time"},
	}
	for _, tt := range tests {
		t.Run(tt.test, func(t *testing.T) {
			c := course.Check{ID: "w01.basic.x", Name: "x", Test: tt.test, Points: 1, Timeout: tt.limit, Hint: "h"}
			got := r.Run(context.Background(), b, c)
			if got.Status != tt.want || !strings.Contains(got.Message, tt.message) {
				t.Errorf("Run(%s) = %s, %q; want %s, message containing %q", tt.test, got.Status, got.Message, tt.want, tt.message)
			}
			if got.Test != tt.test {
				t.Errorf("Run(%s).Test = %q", tt.test, got.Test)
			}
		})
	}
}
