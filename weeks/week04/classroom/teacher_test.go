package classroom_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"netlabs/weeks/week04/classroom"
)

// capture is the test's own member of several groups on one port. For each
// datagram it reports the group it was sent to and the TTL it arrived with,
// from the IP_PKTINFO and IP_TTL control messages.
type capture struct {
	t    *testing.T
	conn *net.UDPConn
}

// datagram is one datagram seen by a capture.
type datagram struct {
	dst     netip.Addr
	ttl     int
	payload string
}

func newCapture(t *testing.T, port int, groups ...netip.Addr) *capture {
	t.Helper()
	c, err := openCapture(t, loopback(t), port, groups...)
	if err != nil {
		t.Fatalf("capture: %v", err)
	}
	return c
}

// openCapture opens a capture of groups on port, joined on ifi.
func openCapture(t *testing.T, ifi *net.Interface, port int, groups ...netip.Addr) (*capture, error) {
	c, err := net.ListenMulticastUDP("udp4", ifi, net.UDPAddrFromAddrPort(netip.AddrPortFrom(groups[0], uint16(port))))
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { c.Close() })
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	var serr error
	err = raw.Control(func(fd uintptr) {
		s := int(fd)
		serr = errors.Join(
			syscall.SetsockoptInt(s, syscall.IPPROTO_IP, syscall.IP_PKTINFO, 1),
			syscall.SetsockoptInt(s, syscall.IPPROTO_IP, syscall.IP_RECVTTL, 1))
		for _, g := range groups[1:] {
			m := &syscall.IPMreqn{Multiaddr: g.As4(), Ifindex: int32(ifi.Index)}
			serr = errors.Join(serr, syscall.SetsockoptIPMreqn(s, syscall.IPPROTO_IP, syscall.IP_ADD_MEMBERSHIP, m))
		}
	})
	if err = errors.Join(err, serr); err != nil {
		return nil, fmt.Errorf("socket options: %w", err)
	}
	return &capture{t: t, conn: c}, nil
}

// next returns the next datagram, or ok false if none comes within d.
func (c *capture) next(d time.Duration) (dg datagram, ok bool) {
	c.t.Helper()
	buf := make([]byte, 2*classroom.MaxDatagram)
	oob := make([]byte, 256)
	c.conn.SetReadDeadline(time.Now().Add(d))
	n, oobn, _, _, err := c.conn.ReadMsgUDPAddrPort(buf, oob)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return datagram{}, false
		}
		c.t.Fatalf("capture: %v", err)
	}
	dg = datagram{ttl: -1, payload: string(buf[:n])}
	msgs, err := syscall.ParseSocketControlMessage(oob[:oobn])
	if err != nil {
		c.t.Fatalf("capture: control messages: %v", err)
	}
	for _, m := range msgs {
		switch {
		case m.Header.Level != syscall.IPPROTO_IP:
		case m.Header.Type == syscall.IP_PKTINFO && len(m.Data) >= 12:
			dg.dst = netip.AddrFrom4([4]byte(m.Data[8:12])) // struct in_pktinfo: ifindex, spec_dst, addr
		case m.Header.Type == syscall.IP_TTL && len(m.Data) >= 4:
			dg.ttl = int(binary.NativeEndian.Uint32(m.Data))
		}
	}
	return dg, true
}

// expectPayload checks that the next datagram is payload, sent to g, with
// whatever TTL.
func (c *capture) expectPayload(g netip.Addr, payload string) datagram {
	c.t.Helper()
	dg, ok := c.next(readTimeout)
	switch {
	case !ok:
		c.t.Fatalf("no datagram within %v, want %q sent to %v", readTimeout, payload, g)
	case dg.payload != payload:
		c.t.Fatalf("got datagram %.80q, want %.80q", dg.payload, payload)
	case dg.dst != g:
		c.t.Fatalf("datagram %.60q went to %v, want the class group %v", dg.payload, dg.dst, g)
	}
	return dg
}

// expect checks that the next datagram is payload, sent to g with TTL 1.
func (c *capture) expect(g netip.Addr, payload string) {
	c.t.Helper()
	dg, ok := c.next(readTimeout)
	switch {
	case !ok:
		c.t.Fatalf("no datagram within %v, want %q sent to %v", readTimeout, payload, g)
	case dg.payload != payload:
		c.t.Fatalf("got datagram %.80q, want %.80q", dg.payload, payload)
	case dg.dst != g:
		c.t.Fatalf("datagram %.60q went to %v, want the class group %v", dg.payload, dg.dst, g)
	case dg.ttl != 1:
		c.t.Fatalf("datagram %.60q left with TTL %d, want 1 (announcements stay on the local network)", dg.payload, dg.ttl)
	}
}

func TestAnnounce(t *testing.T) {
	isolated(t)
	port := freePort(t)
	net101, math := group(t, "net101"), group(t, "math")
	c := newCapture(t, port, net101, math)

	tch, err := classroom.NewTeacher(port)
	if err != nil {
		t.Fatalf("NewTeacher(%d): %v", port, err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			tch.Close()
		}
	})
	announce := func(class, text string, want uint64) {
		t.Helper()
		n, err := tch.Announce(class, text)
		if err != nil || n != want {
			t.Fatalf("Announce(%q, %.40q) = %d, %v; want %d, nil", class, text, n, err, want)
		}
	}
	refuse := func(class, text string, want error) {
		t.Helper()
		if n, err := tch.Announce(class, text); !errors.Is(err, want) {
			t.Fatalf("Announce(%q, %.40q) = %d, %v; want an error wrapping %v", class, text, n, err, want)
		}
	}

	// Each class counts from 1 on its own; the datagram goes to the class's group.
	announce("net101", "welcome", 1)
	c.expect(net101, "ANN net101 1 welcome")
	announce("net101", "the lab starts at 10:00", 2)
	c.expect(net101, "ANN net101 2 the lab starts at 10:00")
	announce("math", "no lecture today", 1)
	c.expect(math, "ANN math 1 no lecture today")
	announce("net101", "", 3)
	c.expect(net101, "ANN net101 3 ")

	// Refused announcements send nothing and use up no number.
	refuse("Net 101", "x", classroom.ErrBadClass)
	refuse("net101", "two\nlines", classroom.ErrBadText)
	refuse("net101", strings.Repeat("x", classroom.MaxText+1), classroom.ErrBadText)
	announce("net101", "after the refusals", 4)
	c.expect(net101, "ANN net101 4 after the refusals")

	// A teacher who restarts carries on from a number of its choosing.
	if err := tch.SetNext("math", 10); err != nil {
		t.Fatalf("SetNext(math, 10): %v", err)
	}
	if err := tch.SetNext("math", 0); !errors.Is(err, classroom.ErrBadSeq) {
		t.Fatalf("SetNext(math, 0) = %v, want an error wrapping ErrBadSeq", err)
	}
	if err := tch.SetNext("Math!", 5); !errors.Is(err, classroom.ErrBadClass) {
		t.Fatalf("SetNext(Math!, 5) = %v, want an error wrapping ErrBadClass", err)
	}
	announce("math", "resumed", 10)
	c.expect(math, "ANN math 10 resumed")
	announce("math", "and on", 11)
	c.expect(math, "ANN math 11 and on")
	announce("net101", "net101 is not affected", 5)
	c.expect(net101, "ANN net101 5 net101 is not affected")

	if dg, ok := c.next(200 * time.Millisecond); ok {
		t.Fatalf("unexpected extra datagram %.80q to %v", dg.payload, dg.dst)
	}

	// After Close, Announce fails.
	closed = true
	if err := tch.Close(); err != nil {
		t.Fatalf("Close() = %v, want nil", err)
	}
	if n, err := tch.Announce("net101", "too late"); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Announce after Close = %d, %v; want an error wrapping net.ErrClosed", n, err)
	}
}
