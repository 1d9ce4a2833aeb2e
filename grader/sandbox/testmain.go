package sandbox

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
)

// ReexecTestMain runs a test binary's tests inside a sandbox and returns the
// exit status for os.Exit. Test packages that broadcast or multicast use it so
// that a plain go test is as safe as the grader:
//
//	func TestMain(m *testing.M) {
//		sandbox.Init() // first: the re-executed binary is its own setup step
//		os.Exit(sandbox.ReexecTestMain(m))
//	}
//
// It decides as follows:
//
//   - Inside a sandbox already (NETLABS_SANDBOX=netns, and lo is the only
//     interface, as it is in a namespace this package made), it returns m.Run().
//     This is the case under the grader, which starts every test binary with
//     Command.
//   - Else, if Check succeeds, it runs this test binary again, with the same
//     arguments, environment and standard streams, inside a new sandbox, and
//     returns that run's exit status (1 if it was killed by a signal). m.Run is
//     not called in this process. The inner run is killed if this process dies.
//   - Else it sets NETLABS_SANDBOX to the reason from Check, prints that reason
//     on stderr, and returns m.Run(). Tests that need broadcast or multicast
//     must then skip with that reason unless NETLABS_HOST_NETWORK=1 (see
//     netlabs/grader/labtest); tests on 127.0.0.1 alone may run.
//
// Forgetting Init is caught: Check then fails with ErrNoInit, and the tests run
// outside a sandbox with that as the reason.
func ReexecTestMain(m interface{ Run() int }) int {
	if InSandbox() {
		return m.Run()
	}
	if err := Check(); err != nil {
		os.Setenv(EnvSandbox, err.Error())
		fmt.Fprintf(os.Stderr, "%v (tests run on the host network; those that need broadcast or multicast skip unless %s=1)\n", err, EnvHostNetwork)
		return m.Run()
	}
	exe, err := os.Executable()
	if err == nil {
		var cmd *exec.Cmd
		if cmd, err = Command(exe, os.Args[1:]...); err == nil {
			cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
			err = cmd.Run()
		}
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode()
	}
	fmt.Fprintf(os.Stderr, "sandbox: run tests: %v\n", err)
	return 1
}

// InSandbox reports whether this process runs in a namespace made by this
// package: NETLABS_SANDBOX is "netns" and the only network interface is lo. The
// second condition keeps a stray NETLABS_SANDBOX=netns in a shell from letting
// tests broadcast on the host's network.
func InSandbox() bool {
	if os.Getenv(EnvSandbox) != inside {
		return false
	}
	ifs, err := net.Interfaces()
	return err == nil && len(ifs) == 1 && ifs[0].Flags&net.FlagLoopback != 0
}
