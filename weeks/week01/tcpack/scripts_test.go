package tcpack_test

import (
	"fmt"
	"net"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"netlabs/grader/labtest"
	"netlabs/weeks/week01/tcpack"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"ackserver": labtest.Program(tcpack.ServerMain),
		"ackclient": labtest.Program(tcpack.ClientMain),
		"freeaddr":  freeAddr,
	})
}

// TestScripts runs the scenarios in testdata, each a check of its own:
// TestScripts/cli_exchange is testdata/cli_exchange.txtar.
func TestScripts(t *testing.T) { labtest.Scripts(t, "testdata") }

// freeAddr is the scripts' helper command "freeaddr FILE": it writes to FILE
// a TCP address on 127.0.0.1 that nothing listens on (read it back with
// "waitaddr FILE VAR"), so a scenario can test a client with no server
// without depending on the lab's own server.
func freeAddr() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: freeaddr FILE")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "freeaddr:", err)
		os.Exit(1)
	}
	addr := ln.Addr().String()
	ln.Close()
	if err := os.WriteFile(os.Args[1], []byte(addr+"\n"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "freeaddr:", err)
		os.Exit(1)
	}
}
