package classroom_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/classroom"
)

// readTimeout bounds every wait for one announcement: on loopback a correct
// listener has it in microseconds.
const readTimeout = 3 * time.Second

// isolated starts a test that multicasts: a leak check, and a skip (with the
// reason) unless the test runs in a network namespace of its own.
func isolated(t *testing.T) {
	t.Helper()
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
}

// freePort returns a UDP port that nothing uses, from labtest.Port's band:
// no socket bound to port 0 can take it before the test binds it.
func freePort(t *testing.T) int {
	t.Helper()
	return labtest.Port(t)
}

// loopback is the interface lo, the only one in the test's namespace.
func loopback(t *testing.T) *net.Interface {
	t.Helper()
	ifi, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatalf("interface lo: %v", err)
	}
	return ifi
}

// group is classroom.Group that must succeed. The tests send to the groups
// the student's own Group gives, so that only TestGroup grades the rule.
func group(t *testing.T, class string) netip.Addr {
	t.Helper()
	g, err := classroom.Group(class)
	if err != nil {
		t.Fatalf("Group(%q): %v", class, err)
	}
	if !g.Is4() || !g.IsMulticast() {
		t.Fatalf("Group(%q) = %v, not an IPv4 multicast group", class, g)
	}
	return g
}

// join joins class on port and interface lo; the listener leaves when the
// test ends.
func join(t *testing.T, class string, port int) *classroom.Listener {
	t.Helper()
	l, err := classroom.Join(class, port, loopback(t))
	if err != nil {
		t.Fatalf("Join(%q, %d, lo): %v", class, port, err)
	}
	if l == nil {
		t.Fatalf("Join(%q, %d, lo) = nil, nil", class, port)
	}
	t.Cleanup(func() { l.Leave() })
	return l
}

// sender is the test playing teacher: it writes datagrams of its own
// choosing, so the listener tests do not depend on Teacher or Encode.
type sender struct {
	t    *testing.T
	conn *net.UDPConn
	port int
}

func newSender(t *testing.T, port int) *sender {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("sender: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return &sender{t: t, conn: c, port: port}
}

// raw sends payload as it is to g on the sender's port.
func (s *sender) raw(g netip.Addr, payload string) {
	s.t.Helper()
	dst := netip.AddrPortFrom(g, uint16(s.port))
	if _, err := s.conn.WriteToUDPAddrPort([]byte(payload), dst); err != nil {
		s.t.Fatalf("send %.60q to %v: %v", payload, dst, err)
	}
}

// send sends announcement seq of class, with the text textOf(seq), to the
// class's group.
func (s *sender) send(class string, seqs ...uint64) {
	s.t.Helper()
	for _, n := range seqs {
		s.raw(group(s.t, class), fmt.Sprintf("ANN %s %d %s", class, n, textOf(n)))
	}
}

// textOf is the text the tests give announcement n.
func textOf(n uint64) string { return fmt.Sprintf("announcement %d", n) }

// receiveCtx calls l.Receive(ctx) and returns what it returned. If Receive
// is still blocked limit after the call, the test fails: Receive should have
// returned by then, even if it ignored ctx.
func receiveCtx(t *testing.T, ctx context.Context, l *classroom.Listener, limit time.Duration) (classroom.Announcement, error) {
	t.Helper()
	type result struct {
		a   classroom.Announcement
		err error
	}
	done := make(chan result, 1)
	go func() {
		a, err := l.Receive(ctx)
		done <- result{a, err}
	}()
	select {
	case r := <-done:
		return r.a, r.err
	case <-time.After(limit):
		t.Fatalf("Receive still blocked after %v (is its context ignored?)", limit)
		return classroom.Announcement{}, nil
	}
}

// receive returns the next delivered announcement, within readTimeout.
func receive(t *testing.T, l *classroom.Listener) classroom.Announcement {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	a, err := receiveCtx(t, ctx, l, readTimeout+time.Second)
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Receive: nothing delivered within %v", readTimeout)
	}
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	return a
}

// expect receives one announcement per number in seqs, in that order, each
// of class with the text textOf(n).
func expect(t *testing.T, who string, l *classroom.Listener, class string, seqs ...uint64) {
	t.Helper()
	for _, n := range seqs {
		got := receive(t, l)
		want := classroom.Announcement{Class: class, Seq: n, Text: textOf(n)}
		if got != want {
			t.Fatalf("%s: Receive() = %+v, want %+v", who, got, want)
		}
	}
}

// checkReport compares l.Report() with want (nil and empty Gaps are equal).
func checkReport(t *testing.T, who string, l *classroom.Listener, want classroom.Report) {
	t.Helper()
	got := l.Report()
	if got.Class != want.Class || got.Received != want.Received || got.First != want.First ||
		got.Last != want.Last || got.Missed != want.Missed || got.Duplicates != want.Duplicates ||
		!slices.Equal(got.Gaps, want.Gaps) {
		t.Fatalf("%s: Report() =\n\t%+v\nwant\n\t%+v", who, got, want)
	}
}
