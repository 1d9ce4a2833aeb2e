package sensors_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
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
		if err := result(t, errc, 200*time.Millisecond); !errors.Is(err, context.Canceled) {
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
	// A port where nobody listens, for now.
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	addr := c.LocalAddr().(*net.UDPAddr)
	c.Close()

	const count, interval = 60, 5 * time.Millisecond
	s := &sensors.Sensor{ID: 4, Count: count, Interval: interval}
	errc := runSensor(t, context.Background(), s, addr.String())
	// For 100ms (20 readings) nobody listens: the connected socket reports
	// "connection refused" on every other write. Then the collector is back.
	time.Sleep(100 * time.Millisecond)
	var back *net.UDPConn
	labtest.Eventually(t, time.Second, "the port to be free again", func() bool {
		back, err = net.ListenUDP("udp", addr)
		return err == nil
	})
	t.Cleanup(func() { back.Close() })
	in := collect(t, back)

	if err := result(t, errc, 3*time.Second); err != nil {
		t.Fatalf("Run = %v; want nil: a sensor does not give up when nobody listens, it loses those readings and goes on", err)
	}
	time.Sleep(50 * time.Millisecond) // the last datagrams on their way
	got := in.all()
	var seqs []uint32
	for _, b := range got {
		w, ok := decodeWire(b)
		if !ok {
			t.Fatalf("not a valid reading: % x", b)
		}
		seqs = append(seqs, w.seq)
	}
	if len(seqs) == 0 || seqs[len(seqs)-1] != count {
		t.Fatalf("after the collector came back the sensor sent seqs %v; want the rest, up to %d", seqs, count)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] != seqs[i-1]+1 {
			t.Fatalf("seqs %v: want each once, in order (no retransmission, no gap once someone listens)", seqs)
		}
	}
}
