package classroom_test

import (
	"fmt"
	"net"
	"os"
	"strconv"
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
		"freeport": freePortCommand,
	})
}

// TestScripts runs the scenarios in testdata, each a check of its own:
// TestScripts/cli_announce is testdata/cli_announce.txtar.
func TestScripts(t *testing.T) {
	labtest.RequireIsolatedNetwork(t)
	labtest.Scripts(t, "testdata")
}

// freePortCommand is the scripts' helper command "freeport FILE": it writes
// to FILE a UDP port number that nothing uses (read it back with
// "waitaddr FILE PORT"), so that every scenario has a port of its own.
func freePortCommand() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: freeport FILE")
		os.Exit(2)
	}
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		fmt.Fprintln(os.Stderr, "freeport:", err)
		os.Exit(1)
	}
	port := c.LocalAddr().(*net.UDPAddr).Port
	c.Close()
	if err := os.WriteFile(os.Args[1], []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "freeport:", err)
		os.Exit(1)
	}
}
