package sensors_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/sensors"
)

// ---- The contract at its edges: ranges, concurrency, errors, resources ----

// TestFigureEdges: ids and seqs at the top of uint32, values at both ends of
// int32, and a LateAfter longer than the default.
func TestFigureEdges(t *testing.T) {
	labtest.NoLeaks(t)
	const top = math.MaxUint32
	t.Run("the highest seqs and ids", func(t *testing.T) {
		c := &sensors.Collector{LateAfter: time.Hour} // lateness is TestLate's business
		feed(c, []dg{{sensor: top, seq: 1, value: 0}, {sensor: top, seq: top - 1, value: 1}, {sensor: top, seq: top, value: 2}, {sensor: 0, seq: 1, value: 3}})
		rep := c.Report()
		want := []sensors.SensorReport{
			{ID: 0, Received: 1, Highest: 1, Latest: 3, Mean: 3},
			{ID: top, Received: 3, Lost: top - 3, Highest: top, Latest: 2, Mean: 1},
		}
		if fmt.Sprint(rep.Sensors) != fmt.Sprint(want) {
			t.Errorf("sensor %d sent seqs 1, %d and %d, sensor 0 seq 1: Report().Sensors =\n%+v\nwant\n%+v\n(ids and seqs are uint32: every one of them is valid, and Lost = Highest - Received needs more than 32 signed bits)", uint32(top), uint32(top-1), uint32(top), rep.Sensors, want)
		}
	})
	t.Run("values at both ends of int32", func(t *testing.T) {
		c := &sensors.Collector{}
		feed(c, []dg{{sensor: 1, seq: 1, value: math.MaxInt32}, {sensor: 1, seq: 2, value: math.MaxInt32}, {sensor: 2, seq: 1, value: math.MinInt32}, {sensor: 2, seq: 2, value: math.MinInt32}, {sensor: 2, seq: 3, value: math.MaxInt32}})
		rep := c.Report()
		if len(rep.Sensors) != 2 || rep.Sensors[0].Mean != math.MaxInt32 || rep.Sensors[1].Mean != (2*math.MinInt32+math.MaxInt32)/3.0 || rep.Sensors[1].Latest != math.MaxInt32 {
			t.Errorf("sensor 1 sent %d twice (seqs 1, 2), sensor 2 sent %d, %d, %d: Report().Sensors = %+v; want means %d and %.4f: add up in a type that cannot overflow (int64 or float64)", math.MaxInt32, math.MinInt32, math.MinInt32, math.MaxInt32, rep.Sensors, math.MaxInt32, (2*math.MinInt32+math.MaxInt32)/3.0)
		}
	})
	t.Run("LateAfter longer than the default", func(t *testing.T) {
		c := &sensors.Collector{LateAfter: 5 * time.Second}
		feed(c, []dg{{sensor: 1, seq: 1, age: 3 * time.Second}, {sensor: 1, seq: 2, age: 5*time.Second + time.Millisecond}})
		if s := only(t, c.Report()); s.Late != 1 {
			t.Errorf("LateAfter 5s, readings arriving 3s and 5.001s after their time: Late = %d, want 1 (LateAfter is the threshold as set; only zero means DefaultLateAfter)", s.Late)
		}
	})
}

// TestConcurrentCollector calls Add from several goroutines at once, and
// Report meanwhile: the report must be the one the same datagrams give when
// added one after another (whether that one is right is for the other
// checks to say), and go test -race must stay quiet.
func TestConcurrentCollector(t *testing.T) {
	labtest.NoLeaks(t)
	const workers, n = 8, 200
	at := time.Now()
	// work is what worker g adds: readings of a sensor of its own, g+1, and
	// the same readings of sensor 100 as every other worker (all but one
	// copy of each are duplicates), and some garbage.
	work := func(g uint32, add func(b []byte)) {
		for seq := uint32(1); seq <= n; seq++ {
			add(encodeWire(wire{sensor: g + 1, seq: seq, micros: at.UnixMicro(), value: int32(seq)}))
			add(encodeWire(wire{sensor: 100, seq: seq, micros: at.UnixMicro(), value: 7}))
			if seq%20 == 0 {
				add([]byte("garbage"))
			}
		}
	}
	one := &sensors.Collector{}
	for g := range uint32(workers) {
		work(g, func(b []byte) { one.Add(b, at) })
	}
	want := one.Report()

	c := &sensors.Collector{}
	var wg, reports sync.WaitGroup
	stop := make(chan struct{})
	reports.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				c.Report()
			}
		}
	})
	for g := range uint32(workers) {
		wg.Go(func() { work(g, func(b []byte) { c.Add(b, at) }) })
	}
	wg.Wait()
	close(stop)
	reports.Wait()
	got := c.Report()

	if len(want.Sensors) != workers+1 {
		t.Fatalf("added one after another, the datagrams of %d sensors give a report of %d sensors; this check needs Add and Report to work first (see counts)", workers+1, len(want.Sensors))
	}
	// Which of sensor 100's readings counts as reordered depends on how the
	// workers interleave: that figure is left out.
	for _, r := range []*sensors.Report{&want, &got} {
		for i := range r.Sensors {
			if r.Sensors[i].ID == 100 {
				r.Sensors[i].Reordered = 0
			}
		}
	}
	if diff := compare(got, want); diff != "" {
		t.Errorf("%d goroutines called Add at once (and one called Report meanwhile), each %d readings of a sensor of its own and the same %d readings of sensor 100; the report differs from the one the same datagrams give added one after another:\n%s(every method of Collector may be called from several goroutines at once: one mutex around every use of the state, the duplicate check and the update in one critical section)", workers, n, n, diff)
	}
}

func TestServeError(t *testing.T) {
	labtest.NoLeaks(t)
	c := &sensors.Collector{}
	conn := udp(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- c.Serve(ctx, conn) }()
	// Somebody else closes Serve's socket, while it reads or just before;
	// ctx is not done, so this is no shutdown.
	conn.Close()
	select {
	case err := <-errc:
		if err == nil || !errors.Is(err, net.ErrClosed) || !strings.Contains(err.Error(), "read: ") {
			t.Errorf("Serve = %v after its socket was closed by somebody else while ctx was not done; want the read error wrapped as \"read: <error>\" (errors.Is net.ErrClosed): only a shutdown returns nil", err)
		}
	case <-time.After(2 * time.Second):
		cancel()
		<-errc
		t.Fatalf("Serve had not returned 2s after its socket was closed by somebody else; want the read error at once")
	}
}

// TestSensorCount: Count zero or less sends nothing, and Run returns nil at
// once.
func TestSensorCount(t *testing.T) {
	labtest.NoLeaks(t)
	for _, count := range []int{0, -1, -5} {
		t.Run(fmt.Sprintf("Count %d", count), func(t *testing.T) {
			target := udp(t)
			in := collect(t, target)
			s := &sensors.Sensor{ID: 3, Count: count, Interval: time.Millisecond}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := result(t, runSensor(t, ctx, s, target.LocalAddr().String()), time.Second); err != nil {
				t.Fatalf("Run with Count %d = %v, want nil", count, err)
			}
			// A quiet period: anything Run sent has arrived by now.
			time.Sleep(100 * time.Millisecond)
			if got := in.all(); len(got) > 0 {
				t.Errorf("Run with Count %d sent %d datagrams; want none (Count <= 0 sends nothing)", count, len(got))
			}
		})
	}
}

// TestSensorSocket: an address that cannot be dialled is Run's error, at
// once; and Run closes its socket on every return.
func TestSensorSocket(t *testing.T) {
	labtest.NoLeaks(t)
	for _, addr := range []string{"127.0.0.1:99999", "127.0.0.1", ""} {
		t.Run(fmt.Sprintf("address %q", addr), func(t *testing.T) {
			s := &sensors.Sensor{ID: 1, Count: 3}
			if err := result(t, runSensor(t, context.Background(), s, addr), time.Second); err == nil {
				t.Errorf("Run to %q = nil; want the error that kept it from opening its socket", addr)
			}
		})
	}
	t.Run("no socket left open", func(t *testing.T) {
		target := udp(t)
		collect(t, target)
		labtest.NoFDLeak(t, 20, "Sensor.Run", func() {
			s := &sensors.Sensor{ID: 1, Count: 2}
			if err := s.Run(context.Background(), target.LocalAddr().String()); err != nil {
				t.Fatalf("Run = %v, want nil", err)
			}
		})
		labtest.NoFDLeak(t, 20, "Sensor.Run, cancelled", func() {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// Cancelled as it takes its first reading, with its socket open.
			// (Whether it then stops is TestSensor's business.)
			s := &sensors.Sensor{ID: 1, Count: 2, Interval: 10 * time.Millisecond, Value: func(uint32) int32 { cancel(); return 0 }}
			s.Run(ctx, target.LocalAddr().String())
		})
	})
}
