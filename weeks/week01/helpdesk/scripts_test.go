package helpdesk_test

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"netlabs/grader/labtest"
	"netlabs/weeks/week01/helpdesk"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"helpdesk":        labtest.Program(helpdesk.ServerMain),
		"helpdesk-client": labtest.Program(helpdesk.ClientMain),
	})
}

// TestScripts runs the scenarios in testdata with the real programs.
func TestScripts(t *testing.T) { labtest.Scripts(t, "testdata") }
