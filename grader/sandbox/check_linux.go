package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// probeTimeout bounds the probe; a healthy one takes a few milliseconds.
const probeTimeout = 10 * time.Second

// Check reports whether this process can run programs in a sandbox. The first
// call really makes one: it starts the setup step in probe mode, which sets up
// the network and exits 0. Later calls return the first answer.
//
// The error says why a namespace could not be made and how to fix it: Ubuntu
// 23.10+ and GitHub's ubuntu-24.04 runners restrict unprivileged user
// namespaces through AppArmor (fix: sudo sysctl -w
// kernel.apparmor_restrict_unprivileged_userns=0); user.max_user_namespaces may
// be 0; otherwise the error wraps the failure of the probe, so errors.Is finds
// its errno. Check returns ErrNoInit if Init has not run in this process.
func Check() error {
	if !initCalled.Load() {
		return ErrNoInit
	}
	return checkOnce()
}

var checkOnce = sync.OnceValue(probe)

// probe starts the setup step in probe mode and waits for it.
func probe() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	var stderr bytes.Buffer
	cmd := &exec.Cmd{
		Path:        exe,
		Args:        []string{initArg0},
		Env:         append(os.Environ(), envInit+"=probe"),
		Stderr:      &stderr,
		SysProcAttr: sysProcAttr(),
	}
	if err := cmd.Start(); err != nil {
		return explain(err)
	}
	timer := time.AfterFunc(probeTimeout, func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	})
	err = cmd.Wait()
	if !timer.Stop() {
		return explain(fmt.Errorf("probe did not finish within %v", probeTimeout))
	}
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			err = fmt.Errorf("%w: %s", err, msg)
		}
		return explain(err)
	}
	return nil
}

// explain turns the failure of a probe into an error that names the likely
// cause and its fix, judged from the kernel settings that are known to block
// unprivileged user namespaces.
func explain(err error) error {
	const prefix = "sandbox: cannot create a network namespace"
	switch {
	case sysctl("kernel/apparmor_restrict_unprivileged_userns") == "1":
		return fmt.Errorf("%s: AppArmor restricts unprivileged user namespaces "+
			"(kernel.apparmor_restrict_unprivileged_userns=1, the default on Ubuntu 23.10+ "+
			"and GitHub's ubuntu-24.04 runners); fix: sudo sysctl -w "+
			"kernel.apparmor_restrict_unprivileged_userns=0: %w", prefix, err)
	case sysctl("user/max_user_namespaces") == "0":
		return fmt.Errorf("%s: user namespaces are disabled (user.max_user_namespaces=0); "+
			"fix: sudo sysctl -w user.max_user_namespaces=10000: %w", prefix, err)
	case sysctl("kernel/unprivileged_userns_clone") == "0":
		return fmt.Errorf("%s: unprivileged user namespaces are disabled "+
			"(kernel.unprivileged_userns_clone=0); fix: sudo sysctl -w "+
			"kernel.unprivileged_userns_clone=1: %w", prefix, err)
	case errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EINVAL):
		return fmt.Errorf("%s: the kernel lacks user or network namespaces: %w", prefix, err)
	}
	return fmt.Errorf("%s: %w", prefix, err)
}

// procSys is where sysctl reads; tests point it elsewhere.
var procSys = "/proc/sys/"

// sysctl reads /proc/sys/<name>, trimmed, or "" if it cannot be read.
func sysctl(name string) string {
	b, err := os.ReadFile(procSys + name)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
