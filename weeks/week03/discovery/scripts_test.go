package discovery_test

import (
	"fmt"
	"net"
	"os"
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
		"freeport":   freePortCmd,
	})
}

// TestScripts runs the scenarios in testdata, each a check of its own:
// TestScripts/cli_scan is testdata/cli_scan.txtar. Every scenario broadcasts.
func TestScripts(t *testing.T) {
	labtest.RequireIsolatedNetwork(t)
	labtest.Scripts(t, "testdata")
}

// freePortCmd is the scripts' helper command "freeport FILE": it writes to
// FILE a UDP port that no socket uses (read it back with "waitaddr FILE
// PORT"), so that the nodes of a scenario share a port of their own.
func freePortCmd() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: freeport FILE")
		os.Exit(2)
	}
	c, err := net.ListenPacket("udp4", "0.0.0.0:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "freeport:", err)
		os.Exit(1)
	}
	port := c.LocalAddr().(*net.UDPAddr).Port
	c.Close()
	if err := os.WriteFile(os.Args[1], fmt.Appendf(nil, "%d\n", port), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "freeport:", err)
		os.Exit(1)
	}
}
