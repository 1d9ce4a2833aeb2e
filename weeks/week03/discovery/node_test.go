package discovery_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/discovery"
)

// ---- Listen ----

func TestListenShared(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	port := freePort(t)
	var conns []*net.UDPConn
	for i := 1; i <= 3; i++ {
		c, err := discovery.Listen(port)
		if err != nil {
			t.Fatalf("Listen(%d), node %d of 3 on the same port: %v\n(set SO_REUSEADDR before the bind, so that several nodes can share the port)", port, i, err)
		}
		t.Cleanup(func() { c.Close() })
		if got := c.LocalAddr().(*net.UDPAddr).Port; got != port {
			t.Fatalf("Listen(%d): bound port %d", port, got)
		}
		conns = append(conns, c)
	}

	scanner := udpConn(t)
	dest := &net.UDPAddr{IP: net.ParseIP(broadcast), Port: port}
	send(t, scanner, dest, "SEARCH listen-test *")
	for i, c := range conns {
		dg, ok := receive(t, c, replyWait)
		switch {
		case !ok:
			t.Errorf("node %d of 3 (bound to %s) received nothing of a query sent to %s; bind the wildcard address 0.0.0.0: a socket bound to 127.0.0.1 does not hear broadcasts", i+1, c.LocalAddr(), dest)
		case dg.text != "SEARCH listen-test *":
			t.Errorf("node %d of 3 received %q, want the query", i+1, dg.text)
		}
	}

	t.Run("port out of range", func(t *testing.T) {
		for _, p := range []int{-1, 65536} {
			if c, err := discovery.Listen(p); !errors.Is(err, discovery.ErrInvalid) {
				if c != nil {
					c.Close()
				}
				t.Errorf("Listen(%d) error = %v, want an error wrapping ErrInvalid", p, err)
			}
		}
	})
}

// ---- Node.Serve, tested with queries sent straight to the node ----

// alpha is the node of the node tests. It does not log: its log lines would
// drown the tests' own complaints (Logf is graded by TestScripts/cli_scan).
func alpha() *discovery.Node {
	return &discovery.Node{Name: "alpha", Services: []discovery.Service{
		{Name: "web", Kind: "http", Port: 8080},
		{Name: "files", Kind: "ftp", Port: 2121},
		{Name: "api", Kind: "http", Port: 9090},
		{Name: "print", Kind: "ipp", Port: 631},
	}}
}

// alphaOffers are alpha's offers for token and kind ("*": every kind).
func alphaOffers(token, kind string) []string {
	var out []string
	for _, s := range []string{"web http 8080", "files ftp 2121", "api http 9090", "print ipp 631"} {
		if kind == "*" || strings.Fields(s)[1] == kind {
			out = append(out, fmt.Sprintf("OFFER %s alpha %s", token, s))
		}
	}
	return out
}

func TestNodeAnswers(t *testing.T) {
	labtest.NoLeaks(t)
	nodeConn := udpConn(t)
	serveNode(t, alpha(), nodeConn)
	nodeAddr := nodeConn.LocalAddr().(*net.UDPAddr)

	// Two scanners ask at once; each must get its own answers, at its own
	// address, from the node's socket.
	rng := labtest.Rand(t)
	tokens := []string{fmt.Sprintf("Q%08X", rng.Uint32()), longest}
	scanners := []*net.UDPConn{udpConn(t), udpConn(t)}
	for i, s := range scanners {
		send(t, s, nodeAddr, "SEARCH "+tokens[i]+" *")
	}
	for i, s := range scanners {
		why := fmt.Sprintf("scanner %d of 2 sent %q", i+1, short("SEARCH "+tokens[i]+" *"))
		got := receiveN(t, s, 4, why)
		want := alphaOffers(tokens[i], "*")
		var gotTexts []string
		for _, dg := range got {
			gotTexts = append(gotTexts, dg.text)
			if dg.from.Port != nodeAddr.Port {
				t.Errorf("%s: an offer came from %s, want it sent from the node's own socket %s", why, dg.from, nodeAddr)
			}
		}
		if !sameSet(gotTexts, want) {
			t.Errorf("%s: got offers\n  %s\nwant one offer per service, in any order:\n  %s", why, strings.Join(gotTexts, "\n  "), strings.Join(want, "\n  "))
		}
		nothingMore(t, s, why)
	}

	t.Run("invalid node", func(t *testing.T) {
		web := discovery.Service{Name: "web", Kind: "http", Port: 80}
		tests := []struct {
			name string
			node discovery.Node
		}{
			{"name with a space", discovery.Node{Name: "my node", Services: []discovery.Service{web}}},
			{"empty name", discovery.Node{Services: []discovery.Service{web}}},
			{"kind *", discovery.Node{Name: "n", Services: []discovery.Service{{Name: "web", Kind: "*", Port: 80}}}},
			{"port 0", discovery.Node{Name: "n", Services: []discovery.Service{{Name: "web", Kind: "http", Port: 0}}}},
			{"port 65536", discovery.Node{Name: "n", Services: []discovery.Service{{Name: "web", Kind: "http", Port: 65536}}}},
			{"service name too long", discovery.Node{Name: "n", Services: []discovery.Service{{Name: longest + "x", Kind: "http", Port: 80}}}},
			{"two services named web", discovery.Node{Name: "n", Services: []discovery.Service{web, {Name: "web", Kind: "https", Port: 443}}}},
		}
		for _, tt := range tests {
			conn := udpConn(t)
			errc := make(chan error, 1)
			go func() { errc <- tt.node.Serve(context.Background(), conn) }()
			select {
			case err := <-errc:
				if !errors.Is(err, discovery.ErrInvalid) {
					t.Errorf("%s: Serve = %v, want an error wrapping ErrInvalid", tt.name, err)
				}
			case <-time.After(time.Second):
				t.Fatalf("%s: Serve did not return within 1s; it must refuse a node it cannot offer, at once", tt.name)
			}
		}
	})
}

func TestNodeKind(t *testing.T) {
	labtest.NoLeaks(t)
	nodeConn := udpConn(t)
	serveNode(t, alpha(), nodeConn)
	tests := []struct {
		kind string
		want int
	}{
		{"http", 2},
		{"ipp", 1},
		{"smtp", 0},
		{"HTTP", 0}, // kinds are case-sensitive
	}
	// All the queries at once, each from its own scanner socket.
	scanners := make([]*net.UDPConn, len(tests))
	for i, tt := range tests {
		scanners[i] = udpConn(t)
		send(t, scanners[i], nodeConn.LocalAddr(), fmt.Sprintf("SEARCH kind-%d %s", i, tt.kind))
	}
	for i, tt := range tests {
		q := fmt.Sprintf("SEARCH kind-%d %s", i, tt.kind)
		got := receiveN(t, scanners[i], tt.want, fmt.Sprintf("query %q", q))
		var gotTexts []string
		for _, dg := range got {
			gotTexts = append(gotTexts, dg.text)
		}
		if want := alphaOffers(fmt.Sprintf("kind-%d", i), tt.kind); !sameSet(gotTexts, want) {
			t.Errorf("query %q: got %q, want %q", q, gotTexts, want)
		}
	}
	// One quiet period for all: whatever else the node sent has arrived by then.
	for i, tt := range tests {
		wait := time.Millisecond
		if i == 0 {
			wait = quiet
		}
		if dg, ok := receive(t, scanners[i], wait); ok {
			t.Errorf("query %q: got one more datagram %q, want nothing (a node with no service of the kind sends nothing at all)", fmt.Sprintf("SEARCH kind-%d %s", i, tt.kind), short(dg.text))
		}
	}
}

func TestNodeIgnoresJunk(t *testing.T) {
	labtest.NoLeaks(t)
	nodeConn := udpConn(t)
	serveNode(t, alpha(), nodeConn)
	junk := []string{
		"",
		"hello",
		"SEARCH",
		"SEARCH junk1",
		"SEARCH junk2 * extra",
		"search junk3 *",
		"SEARCH junk4 *\nSEARCH junk5 *",
		"SEARCH " + longest + "x *",
		"SEARCH junk6 " + strings.Repeat("*", 700),
		"OFFER junk7 beta web http 80",
		"\x00\x01\x02\xff",
	}
	scanner := udpConn(t)
	for _, j := range junk {
		send(t, scanner, nodeConn.LocalAddr(), j)
	}
	// The node handles datagrams in order: an answer to junk would come first.
	send(t, scanner, nodeConn.LocalAddr(), "SEARCH after-junk *")
	got := receiveN(t, scanner, 4, fmt.Sprintf("after %d malformed datagrams, a valid query (ignore what you cannot parse and keep serving)", len(junk)))
	var gotTexts []string
	for _, dg := range got {
		gotTexts = append(gotTexts, dg.text)
	}
	if want := alphaOffers("after-junk", "*"); !sameSet(gotTexts, want) {
		t.Errorf("sent %d malformed datagrams, then a valid query; got\n  %s\nwant only the 4 answers to the valid query:\n  %s\n(a node never answers a malformed datagram)",
			len(junk), strings.Join(gotTexts, "\n  "), strings.Join(want, "\n  "))
	}
	nothingMore(t, scanner, "after the answers to the valid query")
}

func TestNodeShutdown(t *testing.T) {
	labtest.NoLeaks(t)
	nodeConn := udpConn(t)
	stop := serveNode(t, alpha(), nodeConn)
	scanner := udpConn(t)
	send(t, scanner, nodeConn.LocalAddr(), "SEARCH before ipp")
	receiveN(t, scanner, 1, "query before the shutdown")

	start := time.Now()
	switch err := stop(); {
	case errors.Is(err, labtest.ErrStuck):
		t.Fatal(err)
	case err != nil:
		t.Errorf("Serve returned %v after its context was cancelled, want nil", err)
	}
	t.Logf("Serve returned %v after cancel", time.Since(start).Round(time.Millisecond))
	if err := nodeConn.SetReadDeadline(time.Now()); !errors.Is(err, net.ErrClosed) {
		t.Errorf("after Serve returned, its socket is still open (SetReadDeadline = %v): Serve owns conn and must close it", err)
	}

	t.Run("socket closed under it", func(t *testing.T) {
		c := udpConn(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		errc := make(chan error, 1)
		go func() { errc <- alpha().Serve(ctx, c) }()
		send(t, scanner, c.LocalAddr(), "SEARCH ready ipp")
		receiveN(t, scanner, 1, "query before the socket is closed")
		c.Close()
		select {
		case err := <-errc:
			if err == nil {
				t.Errorf("Serve = nil after its socket failed (context not cancelled), want the read error")
			}
		case <-time.After(2 * time.Second):
			cancel()
			t.Fatalf("Serve did not return within 2s after its socket was closed: a read error other than a shutdown must end Serve, not be retried for ever")
		}
	})
}
