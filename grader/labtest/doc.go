// Package labtest is the toolkit of netlabs' graded tests: seeds, leak checks,
// loopback helpers, and testscript scenarios that run a week's programs as real
// processes.
//
// # Environment
//
// The grader passes these to every test binary it runs; a plain go test works
// without them.
//
//	NETLABS_SEED          the run's seed; Seed derives each test's seed from it.
//	                      Unset: a fresh seed, logged so the run can be repeated.
//	NETLABS_SANDBOX       "netns" when the binary runs in a network namespace the
//	                      grader made; otherwise the reason it could not.
//	NETLABS_HOST_NETWORK  "1" lets tests that need broadcast or multicast run on the
//	                      host's network when no namespace could be made.
//
// # Go tests
//
// A graded test starts with NoLeaks, so the leak check runs after every other
// cleanup, listens with Listen, and bounds every wait:
//
//	func TestExchange(t *testing.T) {
//		labtest.NoLeaks(t)
//		ln := labtest.Listen(t)
//		...
//		labtest.Eventually(t, 2*time.Second, "server stopped", func() bool { ... })
//	}
//
// # Scenarios
//
// A lab's scripts_test.go exposes its programs to testscript and runs every
// testdata/*.txtar as a subtest of TestScripts:
//
//	func TestMain(m *testing.M) {
//		testscript.Main(m, map[string]func(){
//			"ackserver": labtest.Program(tcpack.ServerMain),
//		})
//	}
//
//	func TestScripts(t *testing.T) { labtest.Scripts(t, "testdata") }
//
// Program runs the command and, before it exits, reports leaked goroutines on
// stderr as a line starting "LEAK:" with exit status 1. Scripts adds the
// commands of LineCommands (TCP sessions speaking a line protocol) and waitaddr.
package labtest

// Environment variables shared by the grader and the tests.
const (
	EnvSeed        = "NETLABS_SEED"
	EnvSandbox     = "NETLABS_SANDBOX"
	EnvHostNetwork = "NETLABS_HOST_NETWORK"
)
