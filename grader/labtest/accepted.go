package labtest

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
)

// WaitAccepted waits (up to IOTimeout) until the TCP listener at addr has no
// connection waiting in its accept queue: every client that has dialled it
// so far has been taken by Accept. A test that needs the server to hold a
// connection, before it shuts the server down say, waits for this instead of
// sleeping: a connection still in the queue would be reset by the listener's
// close, whatever the server does with the connections it holds. It reads
// the kernel's table of TCP sockets (/proc/net/tcp), so it works on Linux
// only; elsewhere it skips the test.
func WaitAccepted(t testing.TB, addr string) {
	t.Helper()
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().Is4() {
		t.Fatalf("WaitAccepted(%q): want an IPv4 address and port", addr)
	}
	Eventually(t, IOTimeout, "the server to accept the connection", func() bool {
		n, err := acceptQueue(ap)
		if err != nil {
			t.Skipf("cannot see the accept queue: %v", err)
		}
		return n == 0
	})
}

// acceptQueue is the number of connections in the accept queue of the
// listening socket at ap (its rx_queue in /proc/net/tcp).
func acceptQueue(ap netip.AddrPort) (int, error) {
	b, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return 0, err
	}
	ip := ap.Addr().As4()
	local := fmt.Sprintf("%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], ap.Port())
	for _, line := range strings.Split(string(b), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 5 || f[1] != local || f[3] != "0A" { // 0A: LISTEN
			continue
		}
		_, rx, _ := strings.Cut(f[4], ":")
		n, err := strconv.ParseInt(rx, 16, 64)
		return int(n), err
	}
	return 0, fmt.Errorf("no listening socket at %s", ap)
}
