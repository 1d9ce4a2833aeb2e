package multicast_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"syscall"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/multicast"
)

// Waits of the tests. A datagram on lo arrives within microseconds; the
// margins are for loaded machines.
const (
	arrival = 2 * time.Second        // for a datagram that must arrive
	quiet   = 200 * time.Millisecond // for one that must not, once the kernel has delivered it elsewhere
)

// isolated starts a test that multicasts: leak check first, then skip unless
// the network is a namespace of the test's own (the log says which).
func isolated(t *testing.T) *net.Interface {
	t.Helper()
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	return loopback(t)
}

// loopback is the loopback interface, the only one in a test's namespace.
func loopback(t *testing.T) *net.Interface {
	t.Helper()
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifi := range ifs {
		if ifi.Flags&net.FlagLoopback != 0 && ifi.Flags&net.FlagUp != 0 {
			return &ifi
		}
	}
	t.Fatal("no loopback interface is up")
	return nil
}

// groups returns n different groups of 239.255.0.0/16, each on a different
// port that is free now.
func groups(t *testing.T, rng *rand.Rand, n int) []*net.UDPAddr {
	t.Helper()
	var gs []*net.UDPAddr
	seen := map[string]bool{}
	for len(gs) < n {
		ip := net.IPv4(239, 255, byte(rng.IntN(256)), byte(1+rng.IntN(254))).To4()
		port := freePort(t)
		if seen[ip.String()] || seen[fmt.Sprint(port)] {
			continue
		}
		seen[ip.String()], seen[fmt.Sprint(port)] = true, true
		gs = append(gs, &net.UDPAddr{IP: ip, Port: port})
	}
	t.Logf("groups: %v", gs)
	return gs
}

// freePort returns a UDP port that nothing uses, from labtest.Port's band:
// no socket bound to port 0 can take it before the test binds it.
func freePort(t *testing.T) int {
	t.Helper()
	return labtest.Port(t)
}

// join joins group on ifi with the code under test, or fails the test. The
// Member is closed when the test ends.
func join(t *testing.T, ifi *net.Interface, group *net.UDPAddr, who string) *multicast.Member {
	t.Helper()
	m, err := multicast.Join(ifi, group)
	if err != nil {
		t.Fatalf("%s: Join(%s, %v) = %v", who, ifi.Name, group, err)
	}
	if m == nil {
		t.Fatalf("%s: Join(%s, %v) = nil, nil", who, ifi.Name, group)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// source is the tests' own sender: a UDP socket bound to 127.0.0.1, so its
// datagrams to a group go out on lo.
func source(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// send sends payload from src to group, or fails the test.
func send(t *testing.T, src *net.UDPConn, group *net.UDPAddr, payload []byte) {
	t.Helper()
	src.SetWriteDeadline(time.Now().Add(arrival))
	if _, err := src.WriteToUDP(payload, group); err != nil {
		t.Fatalf("test sender: send to %v: %v", group, err)
	}
}

// errStuck says that Receive did not return after its context ended.
var errStuck = errors.New("the call to Receive did not return within 2s after its context ended (it must stop when ctx is done); the test closed the Member")

// receive calls m.Receive with a context that ends after d, and returns what
// it returned. If Receive is still blocked 2s after that, receive closes m to
// free it and returns errStuck.
func receive(m *multicast.Member, d time.Duration) (multicast.Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return receiveCtx(ctx, m)
}

// receiveCtx is receive with the caller's context.
func receiveCtx(ctx context.Context, m *multicast.Member) (multicast.Message, error) {
	type result struct {
		msg multicast.Message
		err error
	}
	done := make(chan result, 1)
	go func() {
		msg, err := m.Receive(ctx)
		done <- result{msg, err}
	}()
	var hard <-chan time.Time
	select {
	case r := <-done:
		return r.msg, r.err
	case <-ctx.Done():
		hard = time.After(2 * time.Second)
	}
	select {
	case r := <-done:
		return r.msg, r.err
	case <-hard:
		m.Close()
		<-done
		return multicast.Message{}, errStuck
	}
}

// wantMessage receives from m and fails the test unless the next datagram is
// payload from the address from (when not nil). who names the member.
func wantMessage(t *testing.T, m *multicast.Member, who string, payload []byte, from *net.UDPAddr) multicast.Message {
	t.Helper()
	msg, err := receive(m, arrival)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		t.Fatalf("%s: nothing received within %v, want %s", who, arrival, show(payload))
	case err != nil:
		t.Fatalf("%s: Receive = %v, want %s", who, err, show(payload))
	case string(msg.Payload) != string(payload):
		t.Fatalf("%s: received %s, want %s", who, show(msg.Payload), show(payload))
	case from != nil && (msg.From == nil || !msg.From.IP.Equal(from.IP) || msg.From.Port != from.Port):
		t.Fatalf("%s: received %s from %v, want it from the sender, %v", who, show(payload), msg.From, from)
	}
	return msg
}

// show quotes a payload, abbreviating long ones.
func show(b []byte) string {
	if len(b) <= 48 {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%q…(%d bytes)", b[:32], len(b))
}

// ipMulticastAll is Linux's IP_MULTICAST_ALL (see the lab's package doc).
const ipMulticastAll = 0x31

// probe is the tests' own member of a group, made with the standard library:
// it receives each datagram with the TTL it arrived with (IP_RECVTTL).
func probe(t *testing.T, ifi *net.Interface, group *net.UDPAddr) *net.UDPConn {
	t.Helper()
	c, err := net.ListenMulticastUDP("udp4", ifi, group)
	if err != nil {
		t.Fatalf("test receiver: join %v: %v", group, err)
	}
	t.Cleanup(func() { c.Close() })
	if err := setRecvTTL(c); err != nil {
		t.Fatalf("test receiver: %v", err)
	}
	return c
}

// setRecvTTL turns IP_MULTICAST_ALL off on the tests' own member c, and asks
// for each datagram's TTL (IP_RECVTTL).
func setRecvTTL(c *net.UDPConn) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		serr = errors.Join(
			syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, ipMulticastAll, 0),
			syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_RECVTTL, 1))
	})
	return errors.Join(err, serr)
}

// datagram is one datagram as the probe saw it.
type datagram struct {
	payload []byte
	from    *net.UDPAddr
	ttl     int // -1 when the kernel did not say
}

// readProbe reads the next datagram of c within d.
func readProbe(c *net.UDPConn, d time.Duration) (datagram, error) {
	c.SetReadDeadline(time.Now().Add(d))
	buf, oob := make([]byte, 1<<16), make([]byte, 256)
	n, oobn, _, from, err := c.ReadMsgUDP(buf, oob)
	if err != nil {
		return datagram{}, err
	}
	dg := datagram{payload: buf[:n], from: from, ttl: -1}
	msgs, err := syscall.ParseSocketControlMessage(oob[:oobn])
	if err != nil {
		return dg, err
	}
	for _, m := range msgs {
		if m.Header.Level == syscall.IPPROTO_IP && m.Header.Type == syscall.IP_TTL && len(m.Data) >= 4 {
			dg.ttl = int(binary.NativeEndian.Uint32(m.Data))
		}
	}
	return dg, nil
}

// joinedGroups lists the groups that the kernel has joined on the interface
// ifname of the test's own namespace, from /proc/net/igmp.
func joinedGroups(t *testing.T, ifname string) []net.IP {
	t.Helper()
	var ips []net.IP
	for _, a := range labtest.Groups(t, ifname) {
		ips = append(ips, net.IP(a.AsSlice()))
	}
	return ips
}
