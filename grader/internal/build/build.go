// Package build compiles what the grader runs: a lab's test binary (go test -c),
// with an overlay that swaps in the reference solution, a mutant or a fixture,
// or hides the student's own test files; and the test2json converter.
//
// The go command's -overlay flag replaces files at build time without touching
// the checkout: a student's working tree is never written to.
package build

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Overlay maps an absolute path in the module to the absolute path of the file
// that replaces it; "" deletes the file from the build.
type Overlay map[string]string

// Toolchain runs the go command for one grading run.
type Toolchain struct {
	Root string // the module's root folder
	Dir  string // a scratch folder for binaries and overlay files
	Race bool   // build test binaries with the race detector
}

// Test2JSON builds cmd/test2json into the scratch folder and returns its path.
func (t *Toolchain) Test2JSON(ctx context.Context) (string, error) {
	out := filepath.Join(t.Dir, "test2json")
	if _, err := t.goCmd(ctx, "build", "-o", out, "cmd/test2json"); err != nil {
		return "", fmt.Errorf("build test2json: %w", err)
	}
	return out, nil
}

// BuildError is a lab whose tests did not compile; Output is the compiler's
// message with the module's absolute path removed.
type BuildError struct{ Output string }

func (e *BuildError) Error() string { return "build failed:\n" + e.Output }

// TestBinary compiles the tests of the package in folder pkg (slash path
// relative to Root) with overlay applied, into the scratch folder under name.
// A compile error is a *BuildError.
func (t *Toolchain) TestBinary(ctx context.Context, pkg, name string, overlay Overlay) (string, error) {
	out := filepath.Join(t.Dir, name+".test")
	args := []string{"test", "-c", "-o", out}
	if t.Race {
		args = append(args, "-race")
	}
	if len(overlay) > 0 {
		file, err := t.writeOverlay(name, overlay)
		if err != nil {
			return "", err
		}
		args = append(args, "-overlay", file)
	}
	args = append(args, "./"+pkg)
	if msg, err := t.goCmd(ctx, args...); err != nil {
		if msg != "" {
			return "", &BuildError{Output: msg}
		}
		return "", err
	}
	if !fileExists(out) {
		return "", &BuildError{Output: "no test files in " + pkg + ": the graded tests are missing"}
	}
	return out, nil
}

func (t *Toolchain) writeOverlay(name string, overlay Overlay) (string, error) {
	b, err := json.Marshal(struct{ Replace Overlay }{overlay})
	if err != nil {
		return "", err
	}
	file := filepath.Join(t.Dir, name+".overlay.json")
	return file, os.WriteFile(file, b, 0o644)
}

// goCmd runs the go command in Root. On failure it returns the command's
// output, cleaned for reading, with the error.
func (t *Toolchain) goCmd(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, goTool(), args...)
	cmd.Dir = t.Root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && !ee.Exited() {
			// Killed by a signal: the go command's failure, not the code's.
			return "", fmt.Errorf("go %s was killed (%v): not a compile error", args[0], err)
		}
		return t.clean(out.String()), fmt.Errorf("go %s: %w", args[0], err)
	}
	return "", nil
}

// clean makes compiler output relative to the module root.
func (t *Toolchain) clean(s string) string {
	s = strings.ReplaceAll(s, t.Root+string(filepath.Separator), "")
	return strings.TrimSpace(s)
}

// goTool is the go command: the one on PATH, which is the one that runs
// "go run ./grader".
func goTool() string { return "go" }

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// raceTargets are the GOOS/GOARCH pairs where the go command supports -race.
var raceTargets = []string{
	"darwin/amd64", "darwin/arm64", "freebsd/amd64", "linux/amd64", "linux/arm64",
	"linux/loong64", "linux/ppc64le", "linux/riscv64", "linux/s390x", "netbsd/amd64", "windows/amd64",
}

// RaceUnavailable says why test binaries cannot be built with the race
// detector here, or "" when they can: the race detector needs cgo, and cgo a
// C compiler.
func (t *Toolchain) RaceUnavailable(ctx context.Context) string {
	cmd := exec.CommandContext(ctx, goTool(), "env", "GOOS", "GOARCH", "CGO_ENABLED", "CC")
	cmd.Dir = t.Root
	out, err := cmd.Output()
	if err != nil {
		return "go env: " + err.Error()
	}
	v := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(v) != 4 {
		return "go env: unexpected output"
	}
	target, cgo, cc := v[0]+"/"+v[1], v[2], strings.Fields(v[3])
	switch {
	case !slices.Contains(raceTargets, target):
		return "the race detector does not support " + target
	case cgo != "1":
		return "the race detector needs cgo, and CGO_ENABLED=" + cgo
	case len(cc) == 0:
		return "the race detector needs a C compiler, and none is set (go env CC)"
	}
	if _, err := exec.LookPath(cc[0]); err != nil {
		return "the race detector needs a C compiler, and " + cc[0] + " is not on PATH"
	}
	return ""
}
