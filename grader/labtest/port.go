package labtest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"netlabs/grader/sandbox"
)

// Ports for tests that must name a port before anything listens on it (several
// UDP nodes sharing one port, a restart on the same port) come from a band
// below every common ephemeral range (Linux: 32768–60999; BSDs, macOS and
// Windows: 49152–65535). The kernel never hands out a port of the band to a
// socket bound to port 0, so the classic race, "bind :0, read the port, close,
// bind it again later", cannot be lost to one of the lab's own sockets.
const (
	portBandLow  = 20000
	portBandSize = 10000
)

// ports hands out the band's ports in order, each once per process, so two
// callers in one test binary never get the same port.
var ports struct {
	sync.Mutex
	started bool
	next    int // offset in the band of the next port to try
}

// Port returns a port of 127.0.0.1 and 0.0.0.0 that is free for both UDP and
// TCP and that no other caller in this process has been given. Inside the
// grader's network namespace nothing else binds ports of the band, so the port
// stays free until the test binds it. On the host's network, where other
// programs may bind explicitly, the band is entered at a random place.
func Port(t testing.TB) int {
	t.Helper()
	p, err := nextPort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func nextPort() (int, error) {
	ports.Lock()
	defer ports.Unlock()
	if !ports.started {
		ports.started = true
		if !sandbox.InSandbox() {
			ports.next = rand.IntN(portBandSize)
		}
	}
	for range portBandSize {
		p := portBandLow + ports.next%portBandSize
		ports.next++
		if portFree(p) {
			return p, nil
		}
	}
	return 0, fmt.Errorf("no free port in %d-%d", portBandLow, portBandLow+portBandSize-1)
}

// portFree reports whether p can be bound now, for UDP and for TCP, on every
// address (without SO_REUSEADDR).
func portFree(p int) bool {
	addr := ":" + strconv.Itoa(p)
	u, err := net.ListenPacket("udp4", addr)
	if err != nil {
		return false
	}
	u.Close()
	l, err := net.Listen("tcp4", addr)
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// cmdFreePort is the script command "freeport FILE": it writes to FILE, with
// a newline, a port from Port's band, for scenarios whose programs must share
// a port (read it back with "waitaddr FILE PORT").
func cmdFreePort(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "freeport")
	if len(args) != 1 {
		ts.Fatalf("usage: freeport FILE")
	}
	p, err := nextPort()
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), fmt.Appendf(nil, "%d\n", p), 0o644))
}
