//go:build linux

package sandbox_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"netlabs/grader/sandbox"
)

func TestCheck(t *testing.T) {
	for range 2 { // the second answer comes from the cache
		if err := sandbox.Check(); err != nil {
			t.Fatalf("Check() = %v, want nil", err)
		}
	}
}

// TestCheckFailure runs Check where user namespaces are switched off: inside a
// sandbox whose own limit user.max_user_namespaces is 0.
func TestCheckFailure(t *testing.T) {
	got := run(t, helperCmd(t, "nouserns"))
	reason := "sandbox: cannot create a network namespace: user namespaces are disabled (user.max_user_namespaces=0); " +
		"fix: sudo sysctl -w user.max_user_namespaces=10000: fork/exec "
	wantLines := []string{
		"Check: " + reason,
		"ENOSPC: true",
		"run NETLABS_SANDBOX=" + reason,
		"exit 3",
	}
	lines := strings.Split(strings.TrimSuffix(got.stdout, "\n"), "\n")
	ok := got.code == 0 && len(lines) == len(wantLines)
	for i := 0; ok && i < len(lines); i++ {
		ok = strings.HasPrefix(lines[i], wantLines[i])
	}
	if !ok || !strings.Contains(got.stderr, reason) {
		t.Fatalf("nouserns helper: got\n%v\nwant stdout lines starting\n%s\nand the reason on stderr", got, strings.Join(wantLines, "\n"))
	}
	t.Logf("without user namespaces:\n%s", got.stdout)
}

func TestPassthrough(t *testing.T) {
	for _, code := range []int{0, 7} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			got := run(t, helperCmd(t, "exit", strconv.Itoa(code)))
			want := result{stdout: "out\n", stderr: "err\n", code: code}
			if got != want {
				t.Fatalf("exit helper: got\n%v\nwant\n%v", got, want)
			}
		})
	}
}

func TestEnvAndDir(t *testing.T) {
	cmd := helperCmd(t, "env", sandbox.EnvSandbox, "NETLABS_SANDBOX_INIT", "EXTRA")
	cmd.Env = append(cmd.Env, "EXTRA=kept", sandbox.EnvSandbox+"=overwritten")
	cmd.Dir = t.TempDir()
	got := run(t, cmd)
	want := fmt.Sprintf("NETLABS_SANDBOX=%q true\nNETLABS_SANDBOX_INIT=\"\" false\nEXTRA=\"kept\" true\nwd=%s\n", "netns", cmd.Dir)
	if got.code != 0 || got.stdout != want {
		t.Fatalf("env helper: got\n%v\nwant stdout\n%s", got, want)
	}
}

func TestSetupFailures(t *testing.T) {
	tests := []struct {
		name    string
		give    func(t *testing.T) *exec.Cmd
		wantErr string
	}{
		{
			name: "missing target",
			give: func(t *testing.T) *exec.Cmd {
				cmd, err := sandbox.Command("/nonexistent/program")
				if err != nil {
					t.Fatal(err)
				}
				return cmd
			},
			wantErr: "sandbox: exec /nonexistent/program: no such file or directory\n",
		},
		{
			name: "env replaced",
			give: func(t *testing.T) *exec.Cmd {
				cmd := helperCmd(t, "true")
				cmd.Env = []string{envHelper + "=true"}
				return cmd
			},
			wantErr: "sandbox: start: NETLABS_SANDBOX_INIT is missing from the environment",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, tt.give(t))
			if got.code != 125 || !strings.HasPrefix(got.stderr, tt.wantErr) {
				t.Fatalf("got\n%v\nwant exit status 125 and stderr starting %q", got, tt.wantErr)
			}
		})
	}
}

func TestCommandNotFound(t *testing.T) {
	_, err := sandbox.Command("netlabs-no-such-program")
	if !errors.Is(err, exec.ErrNotFound) {
		t.Fatalf("Command(netlabs-no-such-program) error = %v, want exec.ErrNotFound", err)
	}
}

func TestNoInit(t *testing.T) {
	cmd := exec.Command(executable(t))
	cmd.Env = append(os.Environ(), envHelper+"=noinit")
	got := run(t, cmd)
	want := fmt.Sprintf("Command: %v\nCheck: %v\n", sandbox.ErrNoInit, sandbox.ErrNoInit)
	if got.code != 0 || got.stdout != want {
		t.Fatalf("noinit helper: got\n%v\nwant stdout\n%s", got, want)
	}
}

// TestKillGroup ends a sandboxed target that has started a child, by killing
// its process group or by cancelling the context of CommandContext: both
// processes must end.
func TestKillGroup(t *testing.T) {
	tests := []struct {
		name string
		kill func(cmd *exec.Cmd, cancel context.CancelFunc) error
	}{
		{"kill group", func(cmd *exec.Cmd, _ context.CancelFunc) error {
			return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}},
		{"cancel context", func(_ *exec.Cmd, cancel context.CancelFunc) error {
			cancel()
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			cmd, err := sandbox.CommandContext(ctx, executable(t))
			if err != nil {
				t.Fatal(err)
			}
			cmd.Env = append(cmd.Env, envHelper+"=tree")
			child := startTree(t, cmd)

			if err := tt.kill(cmd, cancel); err != nil {
				t.Fatalf("kill: %v", err)
			}
			err = cmd.Wait()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("Wait() = %v, want killed by SIGKILL", err)
			}
			deadline := time.Now().Add(helperTimeout)
			for alive(child) {
				if time.Now().After(deadline) {
					t.Fatalf("child %d of the target still runs after the target was killed", child)
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
}

// startTree starts cmd, which runs the tree helper, and returns the pid of the
// helper's child. The test kills both if it ends early.
func startTree(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }) // only if the test failed
	line := readLine(t, r)
	child, err := strconv.Atoi(strings.TrimPrefix(line, "pid "))
	if err != nil {
		t.Fatalf("tree helper said %q, want pid <n>", line)
	}
	t.Cleanup(func() { syscall.Kill(child, syscall.SIGKILL) })
	return child
}

// TestParentDeathSignal: the target still gets SIGKILL when its parent dies;
// the exec from the setup step to the target must not clear it.
func TestParentDeathSignal(t *testing.T) {
	got := run(t, helperCmd(t, "pdeathsig"))
	if want := fmt.Sprintf("%d\n", syscall.SIGKILL); got.code != 0 || got.stdout != want {
		t.Fatalf("pdeathsig helper: got\n%v\nwant stdout %q", got, want)
	}
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, after, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(after, "Z") && !strings.HasPrefix(after, "X")
}

// TestReexecTestMain runs a stand-in TestMain on the host: its tests must run
// once, inside a sandbox, and its exit status must come back, also when the
// host's environment claims to be a sandbox already.
func TestReexecTestMain(t *testing.T) {
	if os.Getenv(sandbox.EnvSandbox) == "netns" {
		t.Skip("NETLABS_SANDBOX=netns is set here; the stand-in must start on the host")
	}
	tests := []struct {
		name string
		give []string
	}{
		{name: "plain", give: nil},
		{name: "stray netns", give: []string{sandbox.EnvSandbox + "=netns"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.give) > 0 && hostHasOnlyLoopback(t) {
				t.Skip("the host has only lo; a stray NETLABS_SANDBOX=netns cannot be told apart")
			}
			cmd := exec.Command(executable(t))
			cmd.Env = append(append(os.Environ(), envHelper+"=reexec"), tt.give...)
			got := run(t, cmd)
			want := result{stdout: "run NETLABS_SANDBOX=netns in sandbox true\n", code: 3}
			if got != want {
				t.Fatalf("stand-in TestMain: got\n%v\nwant\n%v", got, want)
			}
		})
	}
}

// TestGuard: the helpers that touch the network refuse to run on the host,
// even when the environment claims a sandbox. (It runs the harmless loopback
// helper, which shares the guard with the broadcast and multicast ones.)
func TestGuard(t *testing.T) {
	if hostHasOnlyLoopback(t) {
		t.Skip("the host has only lo; the guard cannot tell it from a sandbox")
	}
	cmd := exec.Command(executable(t))
	cmd.Env = append(os.Environ(), envHelper+"=loopback", sandbox.EnvSandbox+"=netns")
	got := run(t, cmd)
	if got.code != 1 || !strings.Contains(got.stderr, "refusing to run outside a sandbox") {
		t.Fatalf("loopback helper on the host: got\n%v\nwant exit status 1 and a refusal", got)
	}
}

func hostHasOnlyLoopback(t *testing.T) bool {
	t.Helper()
	t.Setenv(sandbox.EnvSandbox, "netns")
	return sandbox.InSandbox()
}
