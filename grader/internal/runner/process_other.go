//go:build !unix

package runner

import (
	"os"
	"os/exec"
)

// newProcessGroup does nothing where there are no process groups.
func newProcessGroup(cmd *exec.Cmd) {}

// killProcessGroup kills cmd's process; on these systems, programs that a test
// started may outlive it.
func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}

// signalOf is "" where exit statuses do not say which signal ended a process.
func signalOf(ps *os.ProcessState) string { return "" }
