// Package sandbox runs programs on a private network: each one gets its own
// Linux user and network namespace, in which the loopback interface lo is up
// and 224.0.0.0/4 is routed to lo, and nothing else exists. The grader runs
// every graded test binary this way, and test packages that broadcast or
// multicast re-run themselves this way from TestMain (ReexecTestMain), so a
// plain go test is just as safe.
//
// # What it isolates
//
// A sandbox has no interface but lo, so no packet can leave the machine:
// broadcast to 127.255.255.255 and multicast to any group reach only sockets in
// the same sandbox. Ports are private too: two sandboxes, and the host, may
// listen on the same port, and a port listened on inside cannot be reached from
// outside. Nothing else is isolated: the file system, processes, the user's
// files and the rest of the machine are shared as usual. The program runs as
// root of the new user namespace, which is the caller's own user outside it.
//
// # How: the setup step is this binary
//
// The network of a new namespace must be set up before the program runs, and
// this package uses no external tools (ip and unshare may be missing). So
// Command starts the caller's own executable (os.Executable) in the new
// namespaces, with the marker variable NETLABS_SANDBOX_INIT. In that process
// Init, which the binary calls first thing, brings lo up and adds the route
// over rtnetlink, then replaces itself with the target through execve: the
// target keeps the pid, the standard streams and the environment (minus the
// marker, plus NETLABS_SANDBOX=netns). If the setup fails, the process prints
// "sandbox: <step>: <error>" on stderr and exits with status 125. Starting a
// sandbox costs a few milliseconds more than starting the program alone.
//
// # What the caller must do
//
// Call Init first thing in main, or in TestMain before anything else:
//
//	func main() {
//		sandbox.Init()
//		...
//	}
//
// Without it the re-executed binary would run its own main instead of the
// setup step; Command and Check notice and return ErrNoInit. Keep the Env of a
// Command (append to it), and do not change its SysProcAttr. A Command's
// process leads its own process group, which the caller kills with
// syscall.Kill(-pid, syscall.SIGKILL), or lets CommandContext kill when its
// context ends; it also dies with SIGKILL if the thread that started it ends
// (Go keeps threads alive unless a goroutine locked to one exits).
//
// # What it cannot do
//
// Outside Linux, Command and Check fail with an error that wraps
// errors.ErrUnsupported, and Init does nothing. On Linux, unprivileged user
// namespaces may be forbidden: Ubuntu 23.10+ and GitHub's ubuntu-24.04 runners
// restrict them through AppArmor, fixed by
//
//	sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0
//
// and user.max_user_namespaces=0 turns them off. Check makes a sandbox once to
// find out, and its error names the cause and the fix. Tests that need
// broadcast or multicast skip with that reason unless the user sets
// NETLABS_HOST_NETWORK=1; they never fall back to the host network silently.
//
// # Environment
//
//	NETLABS_SANDBOX        "netns" inside a sandbox (set by Init before the target
//	                       runs); ReexecTestMain sets it to the reason when no
//	                       sandbox could be made. InSandbox checks it.
//	NETLABS_HOST_NETWORK   "1": the user accepts broadcast and multicast on the
//	                       host's network when no sandbox can be made (read by
//	                       the tests, see netlabs/grader/labtest).
//	NETLABS_SANDBOX_INIT   private marker of the setup step; Init removes it.
//
// The names of the first two match the constants of netlabs/grader/labtest.
package sandbox
