package discovery_test

import (
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/discovery"
)

// TestMain runs the whole test binary in a network namespace of its own (see
// labtest.IsolatedMain): the tests and the scenarios broadcast.
func TestMain(m *testing.M) {
	labtest.IsolatedMain(m, map[string]func(){
		"disco-node": labtest.Program(discovery.NodeMain),
		"disco-scan": labtest.Program(discovery.ScanMain),
	})
}

// TestScripts runs the scenarios in testdata, each a check of its own:
// TestScripts/cli_scan is testdata/cli_scan.txtar. Every scenario broadcasts.
func TestScripts(t *testing.T) {
	labtest.RequireIsolatedNetwork(t)
	labtest.Scripts(t, "testdata")
}
