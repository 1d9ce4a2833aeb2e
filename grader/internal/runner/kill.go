package runner

import "syscall"

// killProcessGroup kills the process group led by pid: the test process and
// everything it started.
func killProcessGroup(pid int) { syscall.Kill(-pid, syscall.SIGKILL) }
