package classroom_test

import (
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/classroom"
)

// TestMain runs the whole test binary, and the programs its scenarios start,
// in a network namespace of its own (see labtest.IsolatedMain): the tests
// multicast.
func TestMain(m *testing.M) {
	labtest.IsolatedMain(m, map[string]func(){
		"teacher":  labtest.Program(classroom.TeacherMain),
		"listener": labtest.Program(classroom.ListenerMain),
	})
}

// TestScripts runs the scenarios in testdata, each a check of its own:
// TestScripts/cli_announce is testdata/cli_announce.txtar.
func TestScripts(t *testing.T) {
	labtest.RequireIsolatedNetwork(t)
	labtest.Scripts(t, "testdata")
}
