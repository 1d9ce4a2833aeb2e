package broadcast_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/broadcast"
)

// replyWait bounds how long a test waits for a datagram it expects.
const replyWait = 2 * time.Second

var (
	loopback  = netip.MustParseAddr("127.0.0.1")
	broadAddr = netip.MustParseAddr(broadcast.DefaultBroadcast)
)

// to is the broadcast address of the loopback network on port.
func to(port uint16) netip.AddrPort { return netip.AddrPortFrom(broadAddr, port) }

// port is the port a socket is bound to.
func port(c *net.UDPConn) uint16 { return c.LocalAddr().(*net.UDPAddr).AddrPort().Port() }

// udpSocket opens the test's own UDP socket on addr and closes it when the test
// ends. With share, it sets SO_REUSEADDR before binding, like ListenShared,
// so that several of the test's sockets can listen on one port.
func udpSocket(t testing.TB, addr string, share bool) *net.UDPConn {
	t.Helper()
	var lc net.ListenConfig
	if share {
		lc.Control = func(network, address string, c syscall.RawConn) error {
			var serr error
			if err := c.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
			}); err != nil {
				return err
			}
			return serr
		}
	}
	pc, err := lc.ListenPacket(context.Background(), "udp4", addr)
	if err != nil {
		t.Fatalf("listen udp4 %s: %v", addr, err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.(*net.UDPConn)
}

// freePort returns a UDP port that nothing uses, from labtest.Port's band:
// no socket bound to port 0 can take it before the test binds it.
func freePort(t testing.TB) uint16 {
	t.Helper()
	return uint16(labtest.Port(t))
}

// send writes msg as one datagram from c to dst.
func send(t testing.TB, c *net.UDPConn, dst netip.AddrPort, msg string) {
	t.Helper()
	if _, err := c.WriteToUDPAddrPort([]byte(msg), dst); err != nil {
		t.Fatalf("send %q to %s: %v", short(msg), dst, err)
	}
}

// datagram is one datagram a test socket received.
type datagram struct {
	msg  string
	from netip.AddrPort
}

// recv reads one datagram from c, waiting at most d. The buffer is large
// enough for any datagram.
func recv(c *net.UDPConn, d time.Duration) (datagram, error) {
	c.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, 65536)
	n, from, err := c.ReadFromUDPAddrPort(buf)
	return datagram{string(buf[:n]), from}, err
}

// serve runs r.Serve(ctx, conn) in a goroutine. stop cancels ctx and returns
// Serve's error, or labtest.ErrStuck when Serve has not returned within 2s. The
// test's cleanup calls stop and fails the test if Serve is stuck; a Serve that
// returns before stop is called fails the test too.
func serve(t *testing.T, r *broadcast.Responder, conn *net.UDPConn) (stop func() error) {
	t.Helper()
	stop = labtest.Background(t, func(ctx context.Context) error { return r.Serve(ctx, conn) })
	return stop
}

// fake is a responder written by the test: it answers every datagram that
// looks like a query (it is lenient: "DISCOVER" and a token, however spaced)
// with "HERE <token> <name>" after delay, and records every datagram it gets.
type fake struct {
	conn  *net.UDPConn
	mu    sync.Mutex
	got   []datagram
	delay time.Duration
	name  string
}

// startFake runs a fake responder named name on conn until the test ends.
func startFake(t *testing.T, conn *net.UDPConn, name string, delay time.Duration) *fake {
	t.Helper()
	f := &fake{conn: conn, name: name, delay: delay}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			d, err := recv(conn, 10*time.Second)
			if err != nil {
				return
			}
			f.mu.Lock()
			f.got = append(f.got, d)
			f.mu.Unlock()
			if fields := strings.Fields(d.msg); len(fields) >= 2 && fields[0] == "DISCOVER" {
				time.Sleep(f.delay) // the responder's own pace, part of the scenario
				conn.WriteToUDPAddrPort([]byte("HERE "+fields[1]+" "+f.name), d.from)
			}
		}
	}()
	t.Cleanup(func() { conn.Close(); <-done })
	return f
}

// received returns the datagrams the fake has received so far.
func (f *fake) received() []datagram {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.got)
}

// discover runs s.Discover(ctx, dst) and returns its answers, how long it
// took and its error. It fails the test if Discover has not returned within limit.
func discover(t *testing.T, s *broadcast.Seeker, ctx context.Context, dst string, limit time.Duration) ([]broadcast.Answer, time.Duration, error) {
	t.Helper()
	type result struct {
		answers []broadcast.Answer
		err     error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		a, err := s.Discover(ctx, dst)
		done <- result{a, err}
	}()
	select {
	case r := <-done:
		return r.answers, time.Since(start), r.err
	case <-time.After(limit):
		t.Fatalf("Discover(ctx, %q) did not return within %v: a read without a deadline blocks for ever", dst, limit)
		return nil, 0, nil
	}
}

// sortAnswers sorts answers by name, then address, for comparisons that do
// not depend on arrival order.
func sortAnswers(a []broadcast.Answer) []broadcast.Answer {
	a = slices.Clone(a)
	slices.SortFunc(a, func(x, y broadcast.Answer) int {
		if c := strings.Compare(x.Name, y.Name); c != 0 {
			return c
		}
		return x.Addr.Compare(y.Addr)
	})
	return a
}

// token returns a random token of n letters and digits.
func token(rng *rand.Rand, n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[rng.IntN(len(chars))]
	}
	return string(b)
}

func isTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// short abbreviates long strings in messages.
func short(s string) string {
	if len(s) <= 60 {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q…(%d bytes)…%q", s[:24], len(s), s[len(s)-12:])
}

// quiet is how long a test listens to make sure that nothing more comes: a
// datagram sent at once by a wrong solution arrives well within it.
const quiet = 300 * time.Millisecond
