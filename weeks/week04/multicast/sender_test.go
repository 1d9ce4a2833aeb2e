package multicast_test

import (
	"errors"
	"net"
	"strings"
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/multicast"
)

// The Sender, tested with the tests' own member of the group (a probe made
// with net.ListenMulticastUDP that also sees each datagram's TTL).

func TestSend(t *testing.T) {
	ifi := isolated(t)
	g := groups(t, labtest.Rand(t), 1)[0]
	p := probe(t, ifi, g)
	s := dial(t, ifi, g)

	payloads := []struct {
		name    string
		payload []byte
	}{
		{"text", []byte("hello, members")},
		{"empty datagram", []byte{}},
		{"binary with newlines and zeros", []byte("a\x00b\nc\r\n\xff")},
		{"MaxPayload bytes", []byte(strings.Repeat("m", multicast.MaxPayload))},
	}
	for _, tt := range payloads {
		if err := s.Send(tt.payload); err != nil {
			t.Fatalf("%s: Send(%s) = %v, want nil", tt.name, show(tt.payload), err)
		}
		dg := wantDatagram(t, p, tt.name, tt.payload)
		if !dg.from.IP.Equal(net.IPv4(127, 0, 0, 1)) || dg.from.Port == 0 {
			t.Errorf("%s: the datagram came from %v; want the first IPv4 address of %s, 127.0.0.1, and a port (bind the socket to it)", tt.name, dg.from, ifi.Name)
		}
	}

	tooLong := []byte(strings.Repeat("x", multicast.MaxPayload+1))
	if err := s.Send(tooLong); !errors.Is(err, multicast.ErrTooLong) {
		t.Errorf("Send(%d bytes) = %v, want an error wrapping ErrTooLong", len(tooLong), err)
	}
	if err := s.Send([]byte("after the refused one")); err != nil {
		t.Fatalf("Send = %v", err)
	}
	if dg := wantDatagram(t, p, "after a refused payload", nil); string(dg.payload) != "after the refused one" {
		t.Errorf("after Send(%d bytes), the members got %s; want nothing sent: the payload is over MaxPayload", len(tooLong), show(dg.payload))
	}

	// One datagram per Send, and nothing else.
	if dg, err := readProbe(p, quiet); err == nil {
		t.Errorf("after the last Send, the members also got %s from %v; want one datagram per Send and nothing more", show(dg.payload), dg.from)
	}

	if err := s.Close(); err != nil {
		t.Errorf("Close = %v, want nil", err)
	}
	if err := s.Send([]byte("too late")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Send after Close = %v, want an error wrapping net.ErrClosed", err)
	}
}

func TestDefaultTTL(t *testing.T) {
	ifi := isolated(t)
	g := groups(t, labtest.Rand(t), 1)[0]
	p := probe(t, ifi, g)
	s := dial(t, ifi, g)

	if ttl, err := s.TTL(); err != nil || ttl != multicast.DefaultTTL {
		t.Errorf("TTL() of a new Sender = %d, %v; want %d: multicast stays on the local network unless asked (RFC 1112)", ttl, err, multicast.DefaultTTL)
	}
	if err := s.Send([]byte("how far?")); err != nil {
		t.Fatalf("Send = %v", err)
	}
	if dg := wantDatagram(t, p, "a new Sender's datagram", []byte("how far?")); dg.ttl != multicast.DefaultTTL {
		t.Errorf("a new Sender's datagram arrived with TTL %d; want %d: leave the kernel's multicast default alone", dg.ttl, multicast.DefaultTTL)
	}
}

func TestSetTTL(t *testing.T) {
	ifi := isolated(t)
	g := groups(t, labtest.Rand(t), 1)[0]
	p := probe(t, ifi, g)
	s := dial(t, ifi, g)

	for _, ttl := range []int{4, 0, 255, 32} {
		if err := s.SetTTL(ttl); err != nil {
			t.Fatalf("SetTTL(%d) = %v, want nil", ttl, err)
		}
		if got, err := s.TTL(); err != nil || got != ttl {
			t.Errorf("after SetTTL(%d), TTL() = %d, %v; want %d (read IP_MULTICAST_TTL back from the socket)", ttl, got, err, ttl)
		}
		if err := s.Send([]byte("ttl test")); err != nil {
			t.Fatalf("Send = %v", err)
		}
		if dg := wantDatagram(t, p, "after SetTTL", []byte("ttl test")); dg.ttl != ttl {
			t.Errorf("after SetTTL(%d), the datagram arrived with TTL %d; want %d (IP_MULTICAST_TTL, not IP_TTL)", ttl, dg.ttl, ttl)
		}
	}
	for _, bad := range []int{256, -1, 1000} {
		if err := s.SetTTL(bad); !errors.Is(err, multicast.ErrBadTTL) {
			t.Errorf("SetTTL(%d) = %v, want an error wrapping ErrBadTTL", bad, err)
		}
		if got, err := s.TTL(); err != nil || got != 32 {
			t.Errorf("after the refused SetTTL(%d), TTL() = %d, %v; want 32, unchanged", bad, got, err)
		}
	}
}

// dial opens a Sender with the code under test, or fails the test. The
// Sender is closed when the test ends.
func dial(t *testing.T, ifi *net.Interface, group *net.UDPAddr) *multicast.Sender {
	t.Helper()
	s, err := multicast.Dial(ifi, group)
	if err != nil {
		t.Fatalf("Dial(%s, %v) = %v", ifi.Name, group, err)
	}
	if s == nil {
		t.Fatalf("Dial(%s, %v) = nil, nil", ifi.Name, group)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// wantDatagram reads the probe's next datagram and fails the test unless it
// arrives, with the payload want when want is not nil.
func wantDatagram(t *testing.T, p *net.UDPConn, what string, want []byte) datagram {
	t.Helper()
	dg, err := readProbe(p, arrival)
	switch {
	case err != nil:
		t.Fatalf("%s: the group's member received nothing within %v (%v)", what, arrival, err)
	case want != nil && string(dg.payload) != string(want):
		t.Fatalf("%s: the group's member received %s, want %s", what, show(dg.payload), show(want))
	}
	return dg
}
