package sensors_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/sensors"
)

// ---- UDP helpers ----

// udp opens a UDP socket on a free port of 127.0.0.1 with a generous receive
// buffer; it is closed when the test ends.
func udp(t testing.TB) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadBuffer(1 << 20) // best effort
	t.Cleanup(func() { c.Close() })
	return c
}

// inbox keeps what a socket receives, read in the background until the test
// ends, so that nothing is lost to a full receive buffer.
type inbox struct {
	mu   sync.Mutex
	got  [][]byte
	done chan struct{}
}

func collect(t testing.TB, c *net.UDPConn) *inbox {
	b := &inbox{done: make(chan struct{})}
	go func() {
		defer close(b.done)
		buf := make([]byte, 65536)
		for {
			n, _, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			b.mu.Lock()
			b.got = append(b.got, slices.Clone(buf[:n]))
			b.mu.Unlock()
		}
	}()
	t.Cleanup(func() { c.Close(); <-b.done })
	return b
}

func (b *inbox) all() [][]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.got)
}

// wait returns the datagrams once there are n (within 2s), after making sure
// for 50ms that no more come.
func (b *inbox) wait(t testing.TB, n int) [][]byte {
	t.Helper()
	labtest.Eventually(t, 2*time.Second, fmt.Sprintf("%d datagrams", n), func() bool { return len(b.all()) >= n })
	time.Sleep(50 * time.Millisecond) // a window for extra datagrams to show up
	got := b.all()
	if len(got) != n {
		t.Fatalf("%d datagrams arrived, want %d", len(got), n)
	}
	return got
}

// runSensor runs s.Run(ctx, addr) in a goroutine and returns its result
// channel; the test's cleanup waits for it.
func runSensor(t *testing.T, ctx context.Context, s *sensors.Sensor, addr string) <-chan error {
	errc := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		errc <- s.Run(ctx, addr)
	}()
	t.Cleanup(func() {
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			t.Errorf("Run did not return within 3s of its deadline")
		}
	})
	return errc
}

// result waits up to d for Run's error.
func result(t *testing.T, errc <-chan error, d time.Duration) error {
	t.Helper()
	select {
	case err := <-errc:
		return err
	case <-time.After(d):
		t.Fatalf("Run has not returned after %v", d)
		return nil
	}
}

// ---- The sensor ----

func TestSensor(t *testing.T) {
	labtest.NoLeaks(t)
	t.Run("readings", func(t *testing.T) {
		target := udp(t)
		in := collect(t, target)
		const count, interval = 20, 10 * time.Millisecond
		s := &sensors.Sensor{ID: 7, Count: count, Interval: interval, Value: func(seq uint32) int32 { return 150 - 37*int32(seq) }}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		before := time.Now()
		err := result(t, runSensor(t, ctx, s, target.LocalAddr().String()), 3*time.Second)
		took := time.Since(before)
		switch {
		case err != nil:
			t.Fatalf("Run = %v, want nil", err)
		case took < (count-1)*interval:
			t.Errorf("Run took %v for %d readings %v apart, want at least %v", took, count, interval, (count-1)*interval)
		}
		got := in.wait(t, count)
		var first int64
		for i, b := range got {
			w, ok := decodeWire(b)
			seq := uint32(i + 1)
			switch {
			case !ok:
				t.Fatalf("datagram %d (% x): not a valid %d-byte reading", i+1, b, sensors.DatagramSize)
			case w.sensor != 7 || w.seq != seq || w.value != 150-37*int32(seq):
				t.Fatalf("datagram %d: sensor %d seq %d value %d; want sensor 7 seq %d value %d (in the order sent)", i+1, w.sensor, w.seq, w.value, seq, 150-37*int32(seq))
			case w.micros < before.Truncate(time.Microsecond).UnixMicro() || w.micros > time.Now().UnixMicro():
				t.Fatalf("reading %d: time %v, want the time it was sent, during Run", seq, time.UnixMicro(w.micros))
			}
			if i == 0 {
				first = w.micros
			}
			if since := time.Duration(w.micros-first) * time.Microsecond; since < time.Duration(i)*interval-time.Millisecond {
				t.Fatalf("reading %d taken %v after the first, want %v (one every Interval, counted from the first)", seq, since, time.Duration(i)*interval)
			}
		}
	})
	t.Run("the first reading at once", func(t *testing.T) {
		target := udp(t)
		in := collect(t, target)
		s := &sensors.Sensor{ID: 2, Count: 1, Interval: time.Hour}
		if err := result(t, runSensor(t, context.Background(), s, target.LocalAddr().String()), 3*time.Second); err != nil {
			t.Fatalf("Run with Count 1 = %v, want nil", err)
		}
		in.wait(t, 1)
	})
	t.Run("default values", func(t *testing.T) {
		target := udp(t)
		in := collect(t, target)
		s := &sensors.Sensor{ID: 12, Count: 5}
		if err := result(t, runSensor(t, context.Background(), s, target.LocalAddr().String()), 3*time.Second); err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
		want := sensors.Synthetic(12)
		for i, b := range in.wait(t, 5) {
			if w, _ := decodeWire(b); w.value != want(uint32(i+1)) {
				t.Errorf("reading %d: value %d, want Synthetic(12)(%d) = %d when Value is nil", i+1, w.value, i+1, want(uint32(i+1)))
			}
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		target := udp(t)
		in := collect(t, target)
		s := &sensors.Sensor{ID: 1, Count: 1000, Interval: 20 * time.Millisecond}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		errc := runSensor(t, ctx, s, target.LocalAddr().String())
		labtest.Eventually(t, 2*time.Second, "3 readings", func() bool { return len(in.all()) >= 3 })
		cancel()
		if err := result(t, errc, time.Second); !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v after its context was cancelled, want context.Canceled", err)
		}
		returned := time.Now()
		time.Sleep(60 * time.Millisecond) // three intervals: nothing more may be sent
		for _, b := range in.all() {
			if w, _ := decodeWire(b); time.UnixMicro(w.micros).After(returned) {
				t.Fatalf("reading %d was sent %v after Run returned", w.seq, time.UnixMicro(w.micros).Sub(returned))
			}
		}
	})
}

func TestSensorNoListener(t *testing.T) {
	labtest.NoLeaks(t)
	// A port where nobody listens, for now: from labtest.Port's band, which
	// no socket bound to port 0 can take meanwhile.
	addr := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: labtest.Port(t)}

	// A sensor that would run for an hour: whatever happens, a Run that
	// returns before the test cancels it has given up.
	s := &sensors.Sensor{ID: 4, Count: 1 << 20, Interval: 2 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := runSensor(t, ctx, s, addr.String())
	var ended error
	gone := false
	returned := func() bool {
		if !gone {
			select {
			case ended = <-errc:
				gone = true
			default:
			}
		}
		return gone
	}

	// Nobody listens: every datagram that reaches the port makes the kernel
	// send back an ICMP "port unreachable", counted as Udp NoPorts, and the
	// sensor's connected socket fails its next write with "connection
	// refused". Several datagrams arriving mean several such failures lived
	// through (where the counter cannot be read, a moment has to do).
	if base, ok := udpNoPorts(); ok {
		labtest.Eventually(t, 3*time.Second, "5 of the sensor's datagrams to find nobody listening", func() bool {
			n, _ := udpNoPorts()
			return n-base >= 5 || returned()
		})
	} else {
		time.Sleep(100 * time.Millisecond)
	}
	if returned() {
		t.Fatalf("Run returned %v while nobody listened; want it to go on: a failed write (\"connection refused\") is one lost reading, not the end", ended)
	}

	// Now the collector is back: readings arrive again.
	back, err := net.ListenUDP("udp", addr)
	if err != nil {
		t.Fatalf("listen on %v: %v", addr, err)
	}
	in := collect(t, back)
	labtest.Eventually(t, 3*time.Second, "5 readings after the collector came back", func() bool { return len(in.all()) >= 5 || returned() })
	if returned() {
		t.Fatalf("Run returned %v before it was cancelled; want it to go on after \"connection refused\"", ended)
	}
	cancel()
	if err := result(t, errc, time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v after its context was cancelled, want context.Canceled", err)
	}
	var seqs []uint32
	for _, b := range in.all() {
		w, ok := decodeWire(b)
		if !ok {
			t.Fatalf("not a valid reading: % x", b)
		}
		if len(seqs) > 0 && w.seq <= seqs[len(seqs)-1] {
			t.Fatalf("after the collector came back, seqs %v then %d: want each reading once, in order (a sensor never retransmits)", seqs, w.seq)
		}
		seqs = append(seqs, w.seq)
	}
}

// udpNoPorts returns the count of UDP datagrams that reached a port where
// nobody listened, in this network namespace (Udp NoPorts in /proc/net/snmp).
func udpNoPorts() (int, bool) {
	b, err := os.ReadFile("/proc/net/snmp")
	if err != nil {
		return 0, false
	}
	var names []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "Udp:" {
			continue
		}
		if names == nil {
			names = f
			continue
		}
		for i, name := range names {
			if name == "NoPorts" && i < len(f) {
				n, err := strconv.Atoi(f[i])
				return n, err == nil
			}
		}
	}
	return 0, false
}
