package discovery_test

import (
	"errors"
	"fmt"
	"net"
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/discovery"
)

// group is an administratively scoped multicast group (239.255.0.0/16, local
// scope), used only inside the test's network namespace.
const group = "239.255.0.79"

// TestListenGroup is the bonus: nodes that hear queries sent to a multicast
// group instead of a broadcast address.
func TestListenGroup(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	lo := loopback(t)
	port := freePort(t)
	addr := fmt.Sprintf("%s:%d", group, port)
	var conns []*net.UDPConn
	for i := 1; i <= 2; i++ {
		c, err := discovery.ListenGroup(lo, addr)
		if err != nil {
			t.Fatalf("ListenGroup(%s, %q), node %d of 2: %v", lo.Name, addr, i, err)
		}
		t.Cleanup(func() { c.Close() })
		conns = append(conns, c)
	}
	scanner := udpConn(t)
	send(t, scanner, &net.UDPAddr{IP: net.ParseIP(group), Port: port}, "SEARCH group-test *")
	for i, c := range conns {
		dg, ok := receive(t, c, replyWait)
		switch {
		case !ok:
			t.Errorf("node %d of 2 received nothing of a query sent to the group %s: join it (net.ListenMulticastUDP)", i+1, addr)
		case dg.text != "SEARCH group-test *":
			t.Errorf("node %d of 2 received %q, want the query", i+1, dg.text)
		}
	}

	t.Run("not a group", func(t *testing.T) {
		for _, a := range []string{fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("%s:%d", broadcast, port)} {
			if c, err := discovery.ListenGroup(lo, a); !errors.Is(err, discovery.ErrInvalid) {
				if c != nil {
					c.Close()
				}
				t.Errorf("ListenGroup(%s, %q) error = %v, want an error wrapping ErrInvalid", lo.Name, a, err)
			}
		}
	})
}

// loopback finds the loopback interface, the only one in the test's namespace.
func loopback(t *testing.T) *net.Interface {
	t.Helper()
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifi := range ifs {
		if ifi.Flags&net.FlagLoopback != 0 {
			return &ifi
		}
	}
	t.Fatal("no loopback interface")
	return nil
}
