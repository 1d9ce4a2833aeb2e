package sandbox

import (
	"fmt"
	"net"
	"os"
	"syscall"
)

const (
	// envInit is the private marker that turns a process into the namespace's
	// setup step: "exec" to set up and exec the target, "probe" to set up and
	// exit 0. Init removes it before the target runs.
	envInit = "NETLABS_SANDBOX_INIT"

	// initArg0 is argv[0] of the setup step. Init uses it to notice a setup
	// step that lost its marker (a caller replaced Command's Env) instead of
	// running the program's own main by mistake.
	initArg0 = "netlabs-sandbox-init"

	// exitSetup is the exit status of a setup step that failed.
	exitSetup = 125
)

// multicastRoute is the destination routed to lo, so that multicast sends
// inside the namespace have a route and stay on the loopback interface.
var multicastRoute = &net.IPNet{IP: net.IPv4(224, 0, 0, 0).To4(), Mask: net.CIDRMask(4, 32)}

// Init is the namespace's setup step, hidden in the program's own binary. Call
// it first thing in main, or in TestMain before m.Run. In an ordinary process it
// returns at once. In a process that Command or Check started (the marker
// NETLABS_SANDBOX_INIT is set) it never returns: it brings lo up, adds the route
// 224.0.0.0/4 dev lo, and then either exits 0 (probe) or removes the marker,
// sets NETLABS_SANDBOX=netns and replaces itself with the target through
// execve, keeping the pid, the arguments and the rest of the environment. If a
// step fails it prints "sandbox: <step>: <error>" on stderr and exits 125.
func Init() {
	mode, ok := os.LookupEnv(envInit)
	if !ok {
		if len(os.Args) > 0 && os.Args[0] == initArg0 {
			fail("start", fmt.Errorf("%s is missing from the environment (append to Command's Env, do not replace it)", envInit))
		}
		initCalled.Store(true)
		return
	}
	os.Unsetenv(envInit)
	if err := setupNetwork(); err != nil {
		fail("network", err)
	}
	switch mode {
	case "probe":
		// syscall.Exit, not os.Exit: there is nothing to flush, and a binary
		// built with -race would otherwise sleep a second before exiting.
		syscall.Exit(0)
	case "exec":
		// os.Args is [initArg0, path, argv0, args...]; see command.
		if len(os.Args) < 3 {
			fail("exec", fmt.Errorf("no target in %q", os.Args))
		}
		if err := os.Setenv(EnvSandbox, inside); err != nil {
			fail("setenv", err)
		}
		err := syscall.Exec(os.Args[1], os.Args[2:], os.Environ())
		fail("exec "+os.Args[1], err)
	default:
		fail("start", fmt.Errorf("unknown %s=%q", envInit, mode))
	}
}

// setupNetwork brings lo up and routes 224.0.0.0/4 through it. It runs in a
// namespace this package just created, where lo exists but is down and there
// is no route at all.
func setupNetwork() error {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		return fmt.Errorf("find lo: %w", err)
	}
	r, err := openRTNL()
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.linkUp(lo.Index); err != nil {
		return fmt.Errorf("bring lo up: %w", err)
	}
	if err := r.addLinkRoute(multicastRoute, lo.Index); err != nil {
		return fmt.Errorf("add route %v dev lo: %w", multicastRoute, err)
	}
	return nil
}

// fail reports a failed setup step and ends the process with status 125.
func fail(step string, err error) {
	fmt.Fprintf(os.Stderr, "sandbox: %s: %v\n", step, err)
	os.Exit(exitSetup)
}
