package datagram_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/datagram"
)

// ioWait bounds every wait of the tests for a datagram or a call.
const ioWait = 2 * time.Second

// ---- UDP sockets of the tests ----

// listenUDP opens a UDP socket on a free port of 127.0.0.1, closed when the
// test ends.
func listenUDP(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("listen udp: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// dialUDP opens a UDP socket connected to addr, closed when the test ends.
// Being connected, it receives datagrams from addr only.
func dialUDP(t *testing.T, addr string) *net.UDPConn {
	t.Helper()
	c, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatalf("dial udp %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*net.UDPConn)
}

// freeUDPAddr returns a UDP address on 127.0.0.1 where nothing listens, from
// labtest.Port's band, which the kernel never hands to a socket bound to port
// 0: no socket of the code under test can take it by chance.
func freeUDPAddr(t *testing.T) string {
	t.Helper()
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(labtest.Port(t)))
}

// exactTimeout returns a context whose deadline is d from now, cancelled when
// the test ends, and whose Err reports context.DeadlineExceeded from the
// instant that deadline is reached. A context.WithTimeout learns it from a
// timer that fires a moment later, so just after a read deadline set from
// ctx.Deadline() has passed, its Err may be nil or not, and a verdict would
// depend on which timer ran first; with exactTimeout it never does.
func exactTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return exactDeadline{ctx}
}

type exactDeadline struct{ context.Context }

func (c exactDeadline) Err() error {
	if d, ok := c.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return c.Context.Err()
}

// write sends payload as one datagram on the connected socket c.
func write(t *testing.T, c *net.UDPConn, payload []byte) {
	t.Helper()
	if _, err := c.Write(payload); err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("test sender: write %d bytes: %v\n(nobody receives at %s any more: the receiving socket was closed)", len(payload), err, c.RemoteAddr())
		}
		t.Fatalf("test sender: write %d bytes: %v", len(payload), err)
	}
}

// readDatagram reads one datagram from c within d, into a buffer larger than
// any datagram, so nothing is cut.
func readDatagram(c *net.UDPConn, d time.Duration) ([]byte, *net.UDPAddr, error) {
	c.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, 1<<16+1)
	n, from, err := c.ReadFromUDP(buf)
	return buf[:n], from, err
}

// pattern is n bytes of printable text: no zero byte, no newline.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return b
}

// show abbreviates a payload for messages.
func show(b []byte) string {
	if len(b) <= 40 {
		return fmt.Sprintf("%q (%d bytes)", b, len(b))
	}
	return fmt.Sprintf("%q…%q (%d bytes)", b[:16], b[len(b)-16:], len(b))
}

// within runs f in a goroutine and waits up to d for it to return. It returns
// how long f took, and fails the test at once when f is still running after d:
// a call that blocks for ever fails the test instead of hanging it.
func within(t *testing.T, d time.Duration, what string, f func()) time.Duration {
	t.Helper()
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return time.Since(start)
	case <-time.After(d):
		t.Fatalf("%s has not returned after %v: it must never block longer than its deadline", what, d)
		return 0
	}
}

// ---- Receiver.Serve, run by the tests ----

// record is one call of Receiver.Handle.
type record struct {
	d   datagram.Datagram
	err error
}

// recorder collects the calls of Receiver.Handle.
type recorder struct {
	mu     sync.Mutex
	got    []record
	served chan struct{} // closed when Serve has returned
}

func (r *recorder) handle(d datagram.Datagram, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, record{d, err})
}

func (r *recorder) records() []record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]record(nil), r.got...)
}

// wait waits until Handle has been called n times and returns the records.
// It fails the test when that takes longer than ioWait, or at once when Serve
// has returned (serve has reported it).
func (r *recorder) wait(t *testing.T, n int, what string) []record {
	t.Helper()
	returned := func() bool {
		select {
		case <-r.served:
			return true
		default:
			return false
		}
	}
	labtest.Eventually(t, ioWait, fmt.Sprintf("Handle to be called %d times (%s)", n, what),
		func() bool { return len(r.records()) >= n || returned() })
	got := r.records()
	if len(got) < n {
		t.Fatalf("Serve returned after %d calls of Handle, while the test waited for %d (%s)", len(got), n, what)
	}
	return got
}

// serve runs rcv.Serve on a fresh UDP socket of 127.0.0.1, with rcv.Handle
// recording every call. stop cancels Serve's context and returns Serve's
// error, or labtest.ErrStuck when Serve has not returned within 2s. The test's
// cleanup calls stop, and fails the test if Serve is stuck. A Serve that
// returns on its own fails the test.
func serve(t *testing.T, rcv *datagram.Receiver) (addr string, rec *recorder, stop func() error) {
	t.Helper()
	conn := listenUDP(t)
	rec = &recorder{served: make(chan struct{})}
	rcv.Handle = rec.handle
	stop = labtest.Background(t, func(ctx context.Context) error { return rcv.Serve(ctx, conn) })
	return conn.LocalAddr().String(), rec, stop
}

// ---- Fake servers for the clients ----

// fakeServer runs handle in a goroutine on a fresh UDP socket of
// 127.0.0.1, whose deadline is 3s ahead. It returns the socket's address and
// a function that closes the socket and waits for handle to return; the
// test's cleanup calls it too.
func fakeServer(t *testing.T, handle func(c *net.UDPConn)) (addr string, stop func()) {
	t.Helper()
	c := listenUDP(t)
	c.SetDeadline(time.Now().Add(3 * time.Second))
	done := make(chan struct{})
	go func() {
		defer close(done)
		handle(c)
	}()
	stop = func() {
		c.Close()
		<-done
	}
	t.Cleanup(stop)
	return c.LocalAddr().String(), stop
}
