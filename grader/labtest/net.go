package labtest

import (
	"net"
	"strconv"
	"testing"
	"time"
)

// IOTimeout bounds a single read or write in the helpers, so a wrong solution
// fails in seconds rather than at the test binary's timeout.
const IOTimeout = 5 * time.Second

// Listen listens on a free TCP port of 127.0.0.1 and closes the listener when the
// test ends (closing an already closed listener is harmless).
func Listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// Dial connects to addr over TCP and closes the connection when the test ends.
// The connection has a deadline IOTimeout from now; tests that need longer set
// their own.
func Dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, IOTimeout)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	c.SetDeadline(time.Now().Add(IOTimeout))
	t.Cleanup(func() { c.Close() })
	return c
}

// FreeAddr returns a TCP address on 127.0.0.1 that nothing listens on, from
// Port's band, so no socket of the code under test can take it by chance.
func FreeAddr(t testing.TB) string {
	t.Helper()
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(Port(t)))
}

// Eventually polls cond every few milliseconds until it holds, and fails the test
// with "timed out waiting for <what>" if it does not hold within d.
func Eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(wait)
	}
}
