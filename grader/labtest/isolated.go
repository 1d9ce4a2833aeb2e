package labtest

import (
	"os"
	"testing"

	"netlabs/grader/sandbox"
)

// RequireIsolatedNetwork skips t unless it runs in a network namespace that the
// grader or sandbox.ReexecTestMain made, so that its broadcast and multicast
// cannot leave the machine. With NETLABS_HOST_NETWORK=1 the user has opted in
// to the host's network and t runs anyway. Either way the test log says which.
func RequireIsolatedNetwork(t testing.TB) {
	t.Helper()
	switch {
	case sandbox.InSandbox():
		t.Log("network: isolated (a network namespace with only lo)")
	case os.Getenv(EnvHostNetwork) == "1":
		t.Logf("network: HOST NETWORK, opted in with %s=1 (no namespace: %s)", EnvHostNetwork, reason())
	default:
		t.Skipf("needs an isolated network for broadcast or multicast, and none could be made: %s (set %s=1 to use the host's network at your own risk)", reason(), EnvHostNetwork)
	}
}

func reason() string {
	if r := os.Getenv(EnvSandbox); r != "" && r != "netns" {
		return r
	}
	return "not started by the grader or sandbox.ReexecTestMain"
}
