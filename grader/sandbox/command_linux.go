package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// Command returns an exec.Cmd that runs the program name with args in a fresh
// user and network namespace. Like exec.Command, a name without a slash is
// looked up in PATH now, and a relative path is taken relative to cmd.Dir.
//
// The Cmd starts this process's own executable as the setup step (see Init),
// which execs the target as the same process once the network is ready, so
// cmd.Process.Pid is the target's pid and cmd.Wait reports its exit status;
// status 125 with a "sandbox: ..." line on stderr means the setup failed.
// cmd.Path and cmd.Args therefore name the setup step, not the target.
//
// The caller may set Dir, Stdin, Stdout, Stderr, WaitDelay and ExtraFiles, and may add variables to Env, which already holds os.Environ()
// and the marker NETLABS_SANDBOX_INIT: append to it, never replace it (without
// the marker the setup step exits 125). Do not change SysProcAttr. The process
// leads its own process group, so syscall.Kill(-cmd.Process.Pid,
// syscall.SIGKILL) ends the target and everything it started in that group;
// it also gets SIGKILL if the thread that started it exits.
//
// Command fails with ErrNoInit if Init has not run in this process, and with
// the lookup error if name cannot be found. It does not check that namespaces
// can be made; Check does.
func Command(name string, args ...string) (*exec.Cmd, error) {
	exe, path, err := prepare(name)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	setup(cmd, path, name, args)
	return cmd, nil
}

// CommandContext is like Command, but when ctx is done before the process ends
// on its own, cmd.Cancel kills the whole process group with SIGKILL (where
// exec.CommandContext would kill the target alone).
func CommandContext(ctx context.Context, name string, args ...string) (*exec.Cmd, error) {
	exe, path, err := prepare(name)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	setup(cmd, path, name, args)
	return cmd, nil
}

// prepare returns this process's executable, which will be the setup step,
// and the path of the target name.
func prepare(name string) (exe, path string, err error) {
	if !initCalled.Load() {
		return "", "", ErrNoInit
	}
	path = name
	if !strings.Contains(name, "/") {
		if path, err = exec.LookPath(name); err != nil {
			return "", "", fmt.Errorf("sandbox: %w", err)
		}
	}
	if exe, err = os.Executable(); err != nil {
		return "", "", fmt.Errorf("sandbox: %w", err)
	}
	return exe, path, nil
}

// setup turns cmd, which runs the setup step, into one that creates the
// namespaces and then execs path with argv [argv0, args...] there.
func setup(cmd *exec.Cmd, path, argv0 string, args []string) {
	cmd.Args = append([]string{initArg0, path, argv0}, args...)
	cmd.Env = append(os.Environ(), envInit+"=exec")
	cmd.SysProcAttr = sysProcAttr()
}

// sysProcAttr asks for a new user namespace, in which the caller's uid and gid
// become root so that the setup step may configure the new network namespace.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{
		Cloneflags:                 syscall.CLONE_NEWUSER | syscall.CLONE_NEWNET,
		UidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
		GidMappingsEnableSetgroups: false,
		Setpgid:                    true,
		Pdeathsig:                  syscall.SIGKILL,
	}
}

// Marker returns the entries of env that the setup step needs, for callers
// that give the target a minimal environment of their own instead of
// os.Environ(): cmd.Env = append(sandbox.Marker(cmd.Env), mine...).
func Marker(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, envInit+"=") {
			out = append(out, kv)
		}
	}
	return out
}
