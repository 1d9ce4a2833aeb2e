package broadcast_test

import (
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/broadcast"
)

// TestMain runs the tests, and every program the scenarios start, in a
// network namespace of their own (see labtest.IsolatedMain): broadcasts
// cannot leave it.
func TestMain(m *testing.M) {
	labtest.IsolatedMain(m, map[string]func(){
		"bcastd":    labtest.Program(broadcast.ResponderMain),
		"bcastscan": labtest.Program(broadcast.SeekerMain),
	})
}

// TestScripts runs the scenarios in testdata, each a check of its own:
// TestScripts/cli_discover is testdata/cli_discover.txtar. They broadcast,
// so they run only in an isolated network.
func TestScripts(t *testing.T) {
	labtest.RequireIsolatedNetwork(t)
	labtest.Scripts(t, "testdata")
}
