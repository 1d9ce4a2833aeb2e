package datagram_test

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/datagram"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"udprecv": labtest.Program(datagram.RecvMain),
		"udpsend": labtest.Program(datagram.SendMain),
	})
}

// TestScripts runs the scenarios in testdata, each a check of its own:
// TestScripts/cli_receive is testdata/cli_receive.txtar.
func TestScripts(t *testing.T) { labtest.Scripts(t, "testdata") }
