package classroom_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"netlabs/weeks/week04/classroom"
)

func TestReceive(t *testing.T) {
	isolated(t)
	port := freePort(t)
	l := join(t, class32, port)
	s := newSender(t, port)

	long := strings.Repeat("0123456789", classroom.MaxText/10+1)[:classroom.MaxText]
	tests := []classroom.Announcement{
		{Class: class32, Seq: 1, Text: "welcome"},
		{Class: class32, Seq: 2, Text: ""},
		{Class: class32, Seq: 3, Text: "  spaces  are kept "},
		{Class: class32, Seq: 4, Text: long}, // the longest text with the longest class
		{Class: class32, Seq: 5, Text: "café ☕ ANN x 9 y"},
		// The largest datagram there is: MaxDatagram bytes, a 20-digit number.
		{Class: class32, Seq: 10000000000000000000, Text: long},
	}
	g := group(t, class32)
	for _, a := range tests {
		s.raw(g, fmt.Sprintf("ANN %s %d %s", a.Class, a.Seq, a.Text))
	}
	for _, want := range tests {
		if got := receive(t, l); got != want {
			t.Fatalf("Receive() = %+.80v, want %+.80v", got, want)
		}
	}
	if n := len(fmt.Sprintf("ANN %s %d %s", class32, tests[5].Seq, long)); n != classroom.MaxDatagram {
		t.Fatalf("test bug: the largest datagram has %d bytes", n)
	}
	// The gap before the last one is TestGaps' business.
	if r := l.Report(); r.Class != class32 || r.Received != 6 || r.First != 1 || r.Last != tests[5].Seq {
		t.Fatalf("Report() = %+v, want Class %s, Received 6, First 1, Last %d", r, class32, tests[5].Seq)
	}
}

func TestReceiveContext(t *testing.T) {
	isolated(t)
	port := freePort(t)
	l := join(t, "net101", port)
	s := newSender(t, port)

	// Nothing is sent: Receive returns when its context's deadline passes.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := receiveCtx(t, ctx, l, 2*time.Second)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Receive(ctx with a 200ms deadline) = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("Receive returned %v after its context's deadline, want at once", d-200*time.Millisecond)
	}

	// A cancelled context ends a Receive that is waiting.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel) // once Receive waits
	if _, err := receiveCtx(t, ctx, l, 2*time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Receive(ctx cancelled while waiting) = %v, want context.Canceled", err)
	}
	if _, err := receiveCtx(t, ctx, l, 2*time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Receive(ctx cancelled already) = %v, want context.Canceled", err)
	}

	// None of that is left over: the next Receive gets the next announcement.
	s.send("net101", 1)
	expect(t, "listener", l, "net101", 1)
	s.send("net101", 2)
	expect(t, "listener", l, "net101", 2)
}

func TestOtherClass(t *testing.T) {
	isolated(t)
	port := freePort(t)
	a := join(t, "net101", port)
	b := join(t, "math", port)
	c := join(t, "chemistry200", port)
	s := newSender(t, port)

	// On one port, each group's datagrams reach every member socket of the
	// host; and physics984 shares chemistry200's group. Each listener must
	// deliver its own class only.
	s.send("math", 1, 2)
	s.send("net101", 1)
	s.raw(group(t, "chemistry200"), "ANN physics984 1 "+textOf(1))
	s.send("net101", 2)
	s.send("chemistry200", 1)
	s.send("math", 3)

	expect(t, "net101 listener", a, "net101", 1, 2)
	expect(t, "math listener", b, "math", 1, 2, 3)
	expect(t, "chemistry200 listener", c, "chemistry200", 1)
	checkReport(t, "net101 listener", a, classroom.Report{Class: "net101", Received: 2, First: 1, Last: 2})
	checkReport(t, "math listener", b, classroom.Report{Class: "math", Received: 3, First: 1, Last: 3})
	checkReport(t, "chemistry200 listener", c, classroom.Report{Class: "chemistry200", Received: 1, First: 1, Last: 1})
}

// newSpy binds a plain UDP socket to 0.0.0.0:port, sharing the port, without
// joining any group. It receives a group's datagrams only while some socket
// of the host is a member of that group.
func newSpy(t *testing.T, port int) *net.UDPConn {
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
		t.Fatalf("spy: %v", err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.(*net.UDPConn)
}

// spied reports whether the spy receives a datagram within d.
func spied(t *testing.T, spy *net.UDPConn, d time.Duration) bool {
	t.Helper()
	buf := make([]byte, 2*classroom.MaxDatagram)
	spy.SetReadDeadline(time.Now().Add(d))
	_, _, err := spy.ReadFromUDP(buf)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	if err != nil {
		t.Fatalf("spy: %v", err)
	}
	return true
}

func TestLeave(t *testing.T) {
	isolated(t)
	port := freePort(t)
	a := join(t, "net101", port)
	b := join(t, "net101", port)
	spy := newSpy(t, port)
	s := newSender(t, port)

	// Leave wakes a Receive that is waiting, with ErrLeft.
	errc := make(chan error, 1)
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	go func() {
		_, err := a.Receive(ctx)
		errc <- err
	}()
	select {
	case err := <-errc:
		t.Fatalf("Receive returned %v before anything was sent, want it to wait", err)
	case <-time.After(100 * time.Millisecond):
	}
	if err := a.Leave(); err != nil {
		t.Fatalf("Leave() = %v, want nil", err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, classroom.ErrLeft) {
			t.Fatalf("Receive waiting during Leave = %v, want ErrLeft", err)
		}
	case <-time.After(time.Second):
		t.Fatalf("Receive still waiting 1s after Leave: Leave must wake it (close the socket)")
	}
	if _, err := receiveCtx(t, ctx, a, time.Second); !errors.Is(err, classroom.ErrLeft) {
		t.Fatalf("Receive after Leave = %v, want ErrLeft", err)
	}
	if err := a.Leave(); err != nil {
		t.Fatalf("second Leave() = %v, want nil", err)
	}

	// The other member still gets the class, so the host is still in the group.
	s.send("net101", 1)
	expect(t, "remaining listener", b, "net101", 1)
	if !spied(t, spy, readTimeout) {
		t.Fatalf("spy: nothing received while a listener is a member (test setup)")
	}

	// Once the last member has left, the host is out of the group: nothing arrives.
	if err := b.Leave(); err != nil {
		t.Fatalf("Leave() = %v, want nil", err)
	}
	s.send("net101", 2)
	if spied(t, spy, 300*time.Millisecond) {
		t.Fatalf("the group's datagrams still reach the host after every listener left: Leave must drop the membership (close the socket)")
	}
}
