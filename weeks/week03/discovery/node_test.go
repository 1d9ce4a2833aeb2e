package discovery_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

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

}

func TestListenPorts(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t) // port 65535 must be free: it is, in a namespace of the test's own
	for _, p := range []int{0, 65535} {
		c, err := discovery.Listen(p)
		if err != nil {
			t.Errorf("Listen(%d) error = %v, want a socket: the ports are 0 (any free port) to 65535", p, err)
			continue
		}
		la := c.LocalAddr().(*net.UDPAddr)
		if !la.IP.Equal(net.IPv4zero) || la.IP.To4() == nil || la.Port == 0 || p != 0 && la.Port != p {
			t.Errorf("Listen(%d) bound %s, want 0.0.0.0 and port %d (a free port for 0)", p, la, p)
		}
		c.Close()
	}
	for _, p := range []int{-1, -65535, 65536, 1 << 20} {
		if c, err := discovery.Listen(p); !errors.Is(err, discovery.ErrInvalid) {
			if c != nil {
				c.Close()
			}
			t.Errorf("Listen(%d) error = %v, want an error wrapping ErrInvalid", p, err)
		}
	}
}

func TestNodeInvalid(t *testing.T) {
	labtest.NoLeaks(t)
	web := discovery.Service{Name: "web", Kind: "http", Port: 80}
	svc := func(name, kind string, port int) []discovery.Service {
		return []discovery.Service{{Name: name, Kind: kind, Port: port}}
	}
	tests := []struct {
		name string
		node discovery.Node
	}{
		{"name with a space", discovery.Node{Name: "my node", Services: []discovery.Service{web}}},
		{"empty name", discovery.Node{Services: []discovery.Service{web}}},
		{"name with DEL", discovery.Node{Name: "n\x7f", Services: []discovery.Service{web}}},
		{"name too long", discovery.Node{Name: longest + "x", Services: []discovery.Service{web}}},
		{"kind *", discovery.Node{Name: "n", Services: svc("web", "*", 80)}},
		{"empty kind", discovery.Node{Name: "n", Services: svc("web", "", 80)}},
		{"kind with a tab", discovery.Node{Name: "n", Services: svc("web", "ht\ttp", 80)}},
		{"empty service name", discovery.Node{Name: "n", Services: svc("", "http", 80)}},
		{"port 0", discovery.Node{Name: "n", Services: svc("web", "http", 0)}},
		{"port -80", discovery.Node{Name: "n", Services: svc("web", "http", -80)}},
		{"port 65536", discovery.Node{Name: "n", Services: svc("web", "http", 65536)}},
		{"service name too long", discovery.Node{Name: "n", Services: svc(longest+"x", "http", 80)}},
		{"two services named web", discovery.Node{Name: "n", Services: []discovery.Service{web, {Name: "web", Kind: "https", Port: 443}}}},
		{"the bad service last", discovery.Node{Name: "n", Services: []discovery.Service{web, {Name: "ok", Kind: "ssh", Port: 22}, {Name: "bad", Kind: "ssh", Port: 70000}}}},
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
			conn.Close() // ends a Serve that went on serving
			<-errc
			t.Fatalf("%s: Serve did not return within 1s; it must refuse a node it cannot offer, at once", tt.name)
		}
		if err := conn.SetReadDeadline(time.Now()); !errors.Is(err, net.ErrClosed) {
			t.Errorf("%s: Serve refused the node, but left its socket open: Serve owns conn and closes it on every return", tt.name)
		}
	}
	// The edges of what is valid: these nodes serve.
	valid := []discovery.Node{
		{Name: longest, Services: svc(longest, longest, 65535)},
		{Name: "!", Services: svc("~", "!~", 1)},
		{Name: "nothing-to-offer"}, // no services: a node that answers nothing
	}
	for _, n := range valid {
		stop := serveNode(t, &n, udpConn(t))
		if err := stop(); err != nil {
			t.Errorf("Serve of a valid node %q with services %v = %v, want it to serve until its context ends, then nil", short(n.Name), n.Services, err)
		}
	}
}

func TestNodeLog(t *testing.T) {
	labtest.NoLeaks(t)
	nodeConn := udpConn(t)
	var log labtest.LogLines
	n := alpha()
	n.Logf = log.Logf
	serveNode(t, n, nodeConn)
	tests := []struct {
		kind string
		want int
	}{{"*", 4}, {"http", 2}, {"ipp", 1}}
	for i, tt := range tests {
		scanner := udpConn(t)
		q := fmt.Sprintf("SEARCH log%d %s", i, tt.kind)
		send(t, scanner, nodeConn.LocalAddr(), q)
		receiveN(t, scanner, tt.want, fmt.Sprintf("query %q", q))
		want := fmt.Sprintf("answered %s with %d offers (kind %s)", scanner.LocalAddr(), tt.want, tt.kind)
		if !labtest.Poll(replyWait, func() bool { return log.Count(want) > 0 }) {
			t.Fatalf("answered %q from %s, but Logf(%q) was not called within %v; Logf was called with\n%s", q, scanner.LocalAddr(), want, replyWait, log.String())
		}
		if c := log.Count(want); c != 1 {
			t.Errorf("Logf(%q) called %d times for one query, want once; Logf was called with\n%s", want, c, log.String())
		}
	}
}

func TestNodeNewline(t *testing.T) {
	labtest.NoLeaks(t)
	nodeConn := udpConn(t)
	serveNode(t, alpha(), nodeConn)
	// One "\n" at the very end is ignored, in the kind too.
	for _, tt := range []struct{ query, token, kind string }{
		{"SEARCH nl1 *\n", "nl1", "*"},
		{"SEARCH nl2 ipp\n", "nl2", "ipp"},
	} {
		scanner := udpConn(t)
		send(t, scanner, nodeConn.LocalAddr(), tt.query)
		want := alphaOffers(tt.token, tt.kind)
		got := receiveN(t, scanner, len(want), fmt.Sprintf("query %q (a receiver ignores one \"\\n\" at the very end)", tt.query))
		var gotTexts []string
		for _, dg := range got {
			gotTexts = append(gotTexts, dg.text)
		}
		if !sameSet(gotTexts, want) {
			t.Errorf("query %q: got %q, want %q (senders send no \"\\n\")", tt.query, gotTexts, want)
		}
	}
	// But not "\r\n", nor two "\n": those are malformed.
	scanner := udpConn(t)
	for _, q := range []string{"SEARCH cr *\r\n", "SEARCH nlnl *\n\n", "SEARCH lead *\n "} {
		send(t, scanner, nodeConn.LocalAddr(), q)
	}
	send(t, scanner, nodeConn.LocalAddr(), "SEARCH last ipp")
	if dg, ok := receive(t, scanner, replyWait); !ok || dg.text != "OFFER last alpha print ipp 631" {
		t.Errorf("sent %q, %q and %q, then \"SEARCH last ipp\": first datagram back %q (%v), want only the answer to the last: the others are malformed", "SEARCH cr *\r\n", "SEARCH nlnl *\n\n", "SEARCH lead *\n ", dg.text, ok)
	}
	nothingMore(t, scanner, "after the answer to the valid query")
}

func TestNodeSocketClosed(t *testing.T) {
	labtest.NoLeaks(t)
	before := goleak.IgnoreCurrent()
	c := udpConn(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- alpha().Serve(ctx, c) }()
	scanner := udpConn(t)
	send(t, scanner, c.LocalAddr(), "SEARCH ready ipp")
	receiveN(t, scanner, 1, "query before the socket is closed")
	c.Close() // by someone else, ctx still live
	var err error
	select {
	case err = <-errc:
	case <-time.After(2 * time.Second):
		cancel()
		<-errc
		t.Fatalf("Serve did not return within 2s after its socket was closed: a read error other than a shutdown must end Serve, not be retried for ever")
	}
	if !errors.Is(err, net.ErrClosed) || !strings.Contains(err.Error(), "read: ") {
		t.Errorf("Serve after its socket was closed, ctx still live = %v; want the read error wrapped as \"read: <error>\" (errors.Is(err, net.ErrClosed)), not nil: it was not a shutdown", err)
	}
	if err := goleak.Find(before); err != nil {
		t.Errorf("Serve returned, but left goroutines running (ctx is still live): %v\nstop what you started before returning (context.AfterFunc's stop function)", err)
	}
}
