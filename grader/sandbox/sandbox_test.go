//go:build linux

package sandbox_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"netlabs/grader/sandbox"
)

// The test binary is also every program these tests run: TestMain calls Init,
// so the binary is its own setup step, and when envHelper names a helper it
// runs that helper instead of the tests. The helpers that touch the network
// refuse to run outside a sandbox, so nothing here ever broadcasts or
// multicasts on the host's network.

const (
	envHelper = "SANDBOX_TEST_HELPER"
	// helperTimeout bounds every helper process.
	helperTimeout = 20 * time.Second
)

func TestMain(m *testing.M) {
	if os.Getenv(envHelper) != "noinit" { // noinit: a program that forgot Init
		sandbox.Init()
	}
	if name := os.Getenv(envHelper); name != "" {
		os.Exit(runHelper(name, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// helpers are small programs run by the tests; each fails with an error.
var helpers = map[string]func(args []string) error{
	"true":      func([]string) error { return nil },
	"loopback":  needSandbox(checkLoopback),
	"route":     needSandbox(checkRoute),
	"broadcast": needSandbox(checkBroadcast),
	"multicast": needSandbox(checkMulticast),
	"listen":    needSandbox(listenUntilEOF),
	"exit":      exitWith,
	"env":       printEnv,
	"tree":      runTree,
	"sleep":     func([]string) error { time.Sleep(time.Hour); return nil },
	"reexec":    reexec,
	"noinit":    noInit,
	"pdeathsig": printDeathSignal,
	"nouserns":  needSandbox(withoutUserNamespaces),
}

func runHelper(name string, args []string) int {
	h, ok := helpers[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown helper %q\n", name)
		return 2
	}
	if err := h(args); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	return 0
}

// needSandbox guards a helper that must only run in a sandbox.
func needSandbox(h func([]string) error) func([]string) error {
	return func(args []string) error {
		if !sandbox.InSandbox() {
			return fmt.Errorf("refusing to run outside a sandbox (%s=%q)", sandbox.EnvSandbox, os.Getenv(sandbox.EnvSandbox))
		}
		return h(args)
	}
}

// exitWith writes "out" on stdout, "err" on stderr and exits with args[0].
func exitWith(args []string) error {
	var code int
	if _, err := fmt.Sscan(args[0], &code); err != nil {
		return err
	}
	fmt.Fprint(os.Stdout, "out\n")
	fmt.Fprint(os.Stderr, "err\n")
	os.Exit(code)
	return nil
}

// printEnv prints the variables named in args and the working directory.
func printEnv(args []string) error {
	for _, k := range args {
		v, ok := os.LookupEnv(k)
		fmt.Printf("%s=%q %v\n", k, v, ok)
	}
	wd, err := os.Getwd()
	fmt.Printf("wd=%s\n", wd)
	return err
}

// runTree starts a sleeping child in the same process group, prints its pid
// and sleeps.
func runTree([]string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	c := exec.Command(exe)
	c.Env = append(os.Environ(), envHelper+"=sleep")
	if err := c.Start(); err != nil {
		return err
	}
	fmt.Printf("pid %d\n", c.Process.Pid)
	time.Sleep(time.Hour)
	return nil
}

// printDeathSignal prints the signal this process gets when its parent dies.
func printDeathSignal([]string) error {
	var sig int32
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_GET_PDEATHSIG, uintptr(unsafe.Pointer(&sig)), 0); e != 0 {
		return e
	}
	fmt.Printf("%d\n", sig)
	return nil
}

// withoutUserNamespaces sets user.max_user_namespaces to 0 for the sandbox's
// own user namespace (it is a per-namespace limit, so the host is unaffected;
// needSandbox guarantees we are not on the host) and prints what Check and
// ReexecTestMain then do.
func withoutUserNamespaces([]string) error {
	if err := os.WriteFile("/proc/sys/user/max_user_namespaces", []byte("0\n"), 0); err != nil {
		return err
	}
	err := sandbox.Check()
	fmt.Printf("Check: %v\nENOSPC: %v\n", err, errors.Is(err, syscall.ENOSPC))
	os.Unsetenv(sandbox.EnvSandbox)
	fmt.Printf("exit %d\n", sandbox.ReexecTestMain(fakeM{}))
	return nil
}

// fakeM stands in for *testing.M: it prints where it runs and returns 3.
type fakeM struct{}

func (fakeM) Run() int {
	fmt.Printf("run %s=%s in sandbox %v\n", sandbox.EnvSandbox, os.Getenv(sandbox.EnvSandbox), sandbox.InSandbox())
	return 3
}

func reexec([]string) error { os.Exit(sandbox.ReexecTestMain(fakeM{})); return nil }

// noInit runs in a process that skipped Init and reports what the API says.
func noInit([]string) error {
	_, err := sandbox.Command("true")
	fmt.Printf("Command: %v\nCheck: %v\n", err, sandbox.Check())
	return nil
}

// result is what a finished process left behind.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit status %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// helperCmd returns a Cmd that runs helper with args in a sandbox.
func helperCmd(t testing.TB, helper string, args ...string) *exec.Cmd {
	t.Helper()
	cmd, err := sandbox.Command(executable(t), args...)
	if err != nil {
		t.Fatalf("Command: %v", err)
	}
	cmd.Env = append(cmd.Env, envHelper+"="+helper)
	return cmd
}

// fastExit keeps helpers built with -race from sleeping a second at exit,
// unless GORACE says otherwise.
func fastExit(env []string) []string {
	if _, ok := os.LookupEnv("GORACE"); ok {
		return env
	}
	return append(env, "GORACE=atexit_sleep_ms=0")
}

// run runs cmd to the end, killing its process group after helperTimeout.
func run(t testing.TB, cmd *exec.Cmd) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	if cmd.Env != nil {
		cmd.Env = fastExit(cmd.Env)
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // for the kill below
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	timer := time.AfterFunc(helperTimeout, func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	defer timer.Stop()
	err := cmd.Wait()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("wait: %v", err)
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// runInside runs helper in a sandbox and fails the test unless it exits 0.
func runInside(t *testing.T, helper string, args ...string) {
	t.Helper()
	if r := run(t, helperCmd(t, helper, args...)); r.code != 0 {
		t.Fatalf("helper %s in a sandbox failed: %v", helper, r)
	}
}

func executable(t testing.TB) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// readLine reads one line from r within helperTimeout.
func readLine(t testing.TB, r *os.File) string {
	t.Helper()
	r.SetReadDeadline(time.Now().Add(helperTimeout))
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		if _, err := r.Read(buf); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			t.Fatalf("read line: %v (got %q)", err, b.String())
		}
		if buf[0] == '\n' {
			return b.String()
		}
		b.WriteByte(buf[0])
	}
}
