package multicast_test

import (
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/multicast"
)

// TestMain runs the whole test binary, and the programs its scenarios start,
// in a network namespace of its own (see labtest.IsolatedMain): multicast
// never reaches a real network.
func TestMain(m *testing.M) {
	labtest.IsolatedMain(m, map[string]func(){
		"mclisten": labtest.Program(multicast.ListenMain),
		"mcsend":   labtest.Program(multicast.SendMain),
	})
}

// TestScripts runs the scenarios in testdata, each a check of its own:
// TestScripts/cli_receive is testdata/cli_receive.txtar. They all multicast.
func TestScripts(t *testing.T) {
	labtest.RequireIsolatedNetwork(t)
	labtest.Scripts(t, "testdata")
}
