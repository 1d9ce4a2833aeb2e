package discovery_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/discovery"
)

// The tests speak the protocol with their own code, never with the lab's
// ParseQuery, ParseOffer or String: each part of the lab is graded on its own.

// replyWait bounds every wait for a datagram that should come: a correct node
// or scanner answers in milliseconds.
const replyWait = 2 * time.Second

// quiet is how long a test listens to make sure that nothing more comes.
const quiet = 300 * time.Millisecond

// broadcast is the loopback network's broadcast address, the only one the
// tests use.
const broadcast = "127.255.255.255"

// freePort returns a UDP port that nothing uses, from labtest.Port's band:
// no socket bound to port 0 can take it before the test binds it.
func freePort(t testing.TB) int {
	t.Helper()
	return labtest.Port(t)
}

// udpConn opens a UDP socket on a free port of 127.0.0.1, closed when the
// test ends.
func udpConn(t testing.TB) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// sharedConn opens a UDP socket on 0.0.0.0:port with SO_REUSEADDR, as a node
// does, with the test's own code; closed when the test ends.
func sharedConn(t testing.TB, port int) *net.UDPConn {
	t.Helper()
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
		})
		return errors.Join(err, serr)
	}}
	pc, err := lc.ListenPacket(context.Background(), "udp4", fmt.Sprintf("0.0.0.0:%d", port))
	if err != nil {
		t.Fatalf("listen on port %d: %v", port, err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.(*net.UDPConn)
}

// send writes one datagram from c to addr.
func send(t testing.TB, c *net.UDPConn, addr net.Addr, text string) {
	t.Helper()
	c.SetWriteDeadline(time.Now().Add(replyWait))
	if _, err := c.WriteTo([]byte(text), addr); err != nil {
		t.Fatalf("send %q to %s: %v", short(text), addr, err)
	}
}

// datagram is one datagram a test received.
type datagram struct {
	text string
	from *net.UDPAddr
}

// receive reads one datagram from c within d; ok is false when none came.
func receive(t testing.TB, c *net.UDPConn, d time.Duration) (dg datagram, ok bool) {
	t.Helper()
	buf := make([]byte, 2048)
	c.SetReadDeadline(time.Now().Add(d))
	n, from, err := c.ReadFromUDP(buf)
	if err != nil {
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("read: %v", err)
		}
		return datagram{}, false
	}
	return datagram{string(buf[:n]), from}, true
}

// receiveN reads n datagrams from c, each within replyWait, and fails the
// test, after why, when fewer come.
func receiveN(t testing.TB, c *net.UDPConn, n int, why string) []datagram {
	t.Helper()
	var got []datagram
	for len(got) < n {
		dg, ok := receive(t, c, replyWait)
		if !ok {
			t.Fatalf("%s: got %d datagrams %q, then nothing for %v; want %d", why, len(got), texts(got), replyWait, n)
		}
		got = append(got, dg)
	}
	return got
}

// nothingMore fails the test when a datagram reaches c within quiet.
func nothingMore(t testing.TB, c *net.UDPConn, why string) {
	t.Helper()
	if dg, ok := receive(t, c, quiet); ok {
		t.Errorf("%s: got one more datagram %q from %s, want nothing", why, short(dg.text), dg.from)
	}
}

func texts(dgs []datagram) []string {
	var s []string
	for _, dg := range dgs {
		s = append(s, short(dg.text))
	}
	return s
}

// sameSet tells whether got and want hold the same strings, in any order.
func sameSet(got, want []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want)))
}

// short abbreviates long strings in messages.
func short(s string) string {
	if len(s) <= 80 {
		return s
	}
	return fmt.Sprintf("%s…(%d bytes)…%s", s[:30], len(s), s[len(s)-20:])
}

// ---- A node under test ----

// serveNode runs n.Serve(ctx, conn) in a goroutine. stop cancels ctx and
// returns Serve's error, or labtest.ErrStuck when Serve has not returned within 2s.
// The test's cleanup calls stop. A Serve that returns on its own fails the
// test.
func serveNode(t *testing.T, n *discovery.Node, conn net.PacketConn) (stop func() error) {
	t.Helper()
	stop = labtest.Background(t, func(ctx context.Context) error { return n.Serve(ctx, conn) })
	return stop
}

// ---- Fake nodes, to test the scanner ----

// queryPattern is a well-formed query.
var queryPattern = regexp.MustCompile(`^SEARCH ([!-~]{1,63}) ([!-~]{1,63})$`)

// query is a query as a fake node received it.
type query struct {
	text        string
	token, kind string // kind as on the wire: "*" for every kind
	from        *net.UDPAddr
}

// fakeNode is a node played by the test: it reads queries on a shared
// socket of the discovery port and answers each one with answer's datagrams.
type fakeNode struct {
	conn *net.UDPConn

	mu      sync.Mutex
	queries []query
}

// startFake starts a fake node on port. For each datagram that reaches it,
// it calls answer (in its own goroutine, one query at a time) and sends the
// datagrams answer returns, in order, to where the query came from; a
// malformed query is recorded and answer gets a zero token. The fake stops
// when the test ends.
func startFake(t *testing.T, port int, answer func(q query) []string) *fakeNode {
	t.Helper()
	f := &fakeNode{conn: sharedConn(t, port)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		for {
			f.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			n, from, err := f.conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			q := query{text: string(buf[:n]), from: from}
			if m := queryPattern.FindStringSubmatch(q.text); m != nil {
				q.token, q.kind = m[1], m[2]
			}
			f.mu.Lock()
			f.queries = append(f.queries, q)
			f.mu.Unlock()
			for _, d := range answer(q) {
				if _, err := f.conn.WriteToUDP([]byte(d), from); err != nil && !errors.Is(err, net.ErrClosed) {
					t.Errorf("fake node: send %q: %v", short(d), err)
				}
			}
		}
	}()
	t.Cleanup(func() {
		f.conn.Close()
		<-done
	})
	return f
}

// received returns the queries the fake has received so far.
func (f *fakeNode) received() []query {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.queries)
}

// offers answers a query with one offer per service "name kind port", all
// of them whatever the kind asked for.
func offers(node string, services ...string) func(q query) []string {
	return func(q query) []string {
		var out []string
		for _, s := range services {
			out = append(out, fmt.Sprintf("OFFER %s %s %s", q.token, node, s))
		}
		return out
	}
}

// ---- Running a scan ----

// scanned is the outcome of one scan.
type scanned struct {
	res     discovery.Result
	err     error
	elapsed time.Duration
}

// scan runs s.Scan(ctx, conn, kind). If Scan has not returned 5s after its
// Wait, the test closes conn (which should end any read) and fails.
func scan(t *testing.T, ctx context.Context, s *discovery.Scanner, conn net.PacketConn, kind string) scanned {
	t.Helper()
	done := make(chan scanned, 1)
	start := time.Now()
	go func() {
		res, err := s.Scan(ctx, conn, kind)
		done <- scanned{res, err, time.Since(start)}
	}()
	select {
	case r := <-done:
		t.Logf("Scan(%q) with Wait %v returned after %v: %d found, %d malformed, %d duplicates, %d stray, error %v",
			kind, s.Wait, r.elapsed.Round(time.Millisecond), len(r.res.Found), r.res.Malformed, r.res.Duplicates, r.res.Stray, r.err)
		return r
	case <-time.After(s.Wait + 5*time.Second):
		conn.Close()
		t.Fatalf("Scan with Wait %v had not returned after %v: it must stop reading when Wait has passed", s.Wait, s.Wait+5*time.Second)
		return scanned{}
	}
}

// table renders found services one a line, "node service kind addr", for
// comparisons and messages.
func table(found []discovery.Found) string {
	var b strings.Builder
	for _, f := range found {
		fmt.Fprintf(&b, "  %s %s %s %s\n", f.Node, f.Service.Name, f.Service.Kind, f.Addr)
	}
	if b.Len() == 0 {
		return "  (nothing)\n"
	}
	return b.String()
}

// wantFound fails the test when found is not want (lines of table), in
// this order.
func wantFound(t *testing.T, why string, found []discovery.Found, want ...string) {
	t.Helper()
	compareFound(t, why, table(found), want, "in this order (by node, then service)")
}

// wantFoundAnyOrder is wantFound for tests that leave the order to
// TestScanSeveral.
func wantFoundAnyOrder(t *testing.T, why string, found []discovery.Found, want ...string) {
	t.Helper()
	sorted := slices.Clone(found)
	slices.SortFunc(sorted, func(a, b discovery.Found) int {
		return strings.Compare(a.Node+" "+a.Service.Name, b.Node+" "+b.Service.Name)
	})
	compareFound(t, why, table(sorted), want, "in any order")
}

func compareFound(t *testing.T, why, got string, want []string, order string) {
	t.Helper()
	w := ""
	for _, line := range want {
		w += "  " + line + "\n"
	}
	if len(want) == 0 {
		w = "  (nothing)\n"
	}
	if got != w {
		t.Errorf("%s: Scan found\n%swant, %s,\n%s", why, got, order, w)
	}
}

// wantCounts fails the test when the counters of res are not the ones given.
func wantCounts(t *testing.T, why string, res discovery.Result, malformed, duplicates, stray int) {
	t.Helper()
	if res.Malformed != malformed || res.Duplicates != duplicates || res.Stray != stray {
		t.Errorf("%s: Result counts %d malformed, %d duplicates, %d stray; want %d, %d, %d",
			why, res.Malformed, res.Duplicates, res.Stray, malformed, duplicates, stray)
	}
}

// newNet returns a fresh discovery port and the scanner that broadcasts
// there, and skips the test where broadcast cannot be isolated.
func newNet(t *testing.T, wait time.Duration) (port int, s *discovery.Scanner) {
	t.Helper()
	labtest.RequireIsolatedNetwork(t)
	port = freePort(t)
	return port, &discovery.Scanner{Dest: fmt.Sprintf("%s:%d", broadcast, port), Wait: wait}
}
