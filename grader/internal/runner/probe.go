package runner

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// probeLimit bounds the probe; listing tests takes milliseconds.
const probeLimit = 20 * time.Second

// Probe runs the binary once without running any test (-test.list) and returns
// the top-level tests it reports. It is the consistency check that comes before
// any check runs: a binary that exits early, prints test results when asked
// only for names, or fails to start is rejected with the reason, and none of its
// checks can pass.
func (r *Runner) Probe(ctx context.Context, b Binary) ([]string, error) {
	tmp, err := os.MkdirTemp("", "netlabs-probe-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	cmd, err := r.command(b, tmp, b.Path, "-test.list=.*")
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	cmd.Stdout = &limitWriter{w: &out, n: 64 << 10}
	cmd.Stderr = cmd.Stdout
	ctx, cancel := context.WithTimeout(ctx, probeLimit)
	defer cancel()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { killProcessGroup(cmd) })
	err = cmd.Wait()
	stop()
	killProcessGroup(cmd)
	text := out.String()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("the test binary did not start within %v (does package initialisation block?)", probeLimit)
	case err != nil:
		return nil, fmt.Errorf("the test binary failed before running any test: %v\n%s", err, excerpt(text))
	case strings.ContainsRune(text, 0x16) || strings.Contains(text, "--- PASS") || strings.Contains(text, "--- FAIL"):
		return nil, fmt.Errorf("the test binary printed test results when asked only to list its tests: output is being forged\n%s", excerpt(text))
	}
	var tests []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "Test") && !strings.ContainsAny(line, " \t") {
			tests = append(tests, line)
		}
	}
	return tests, nil
}

// excerpt is the first lines of s, for error messages.
func excerpt(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 10 {
		lines = append(lines[:10], "…")
	}
	return strings.Join(lines, "\n")
}
