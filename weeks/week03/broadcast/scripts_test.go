package broadcast_test

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/program"
	"netlabs/weeks/week03/broadcast"
)

// TestMain runs the tests, and every program the scenarios start, in a
// network namespace of their own (see labtest.IsolatedMain): broadcasts
// cannot leave it.
func TestMain(m *testing.M) {
	labtest.IsolatedMain(m, map[string]func(){
		"bcastd":    labtest.Program(broadcast.ResponderMain),
		"bcastscan": labtest.Program(broadcast.SeekerMain),
		"freeport":  freePortCmd,
	})
}

// TestScripts runs the scenarios in testdata, each a check of its own:
// TestScripts/cli_discover is testdata/cli_discover.txtar. They broadcast,
// so they run only in an isolated network.
func TestScripts(t *testing.T) {
	labtest.RequireIsolatedNetwork(t)
	labtest.Scripts(t, "testdata")
}

// freePortCmd is the scripts' helper command "freeport FILE": it writes to
// FILE a UDP port number on which nothing listens (read it back with
// "waitaddr FILE VAR"), so that a scenario can start several responders on
// one port, and a scan of a port where nobody listens.
func freePortCmd() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: freeport FILE")
		os.Exit(2)
	}
	c, err := net.ListenUDP("udp4", &net.UDPAddr{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "freeport:", err)
		os.Exit(1)
	}
	p := c.LocalAddr().(*net.UDPAddr).Port
	c.Close()
	if err := program.WriteAddrFile(os.Args[1], strconv.Itoa(p)); err != nil {
		fmt.Fprintln(os.Stderr, "freeport:", err)
		os.Exit(1)
	}
}
