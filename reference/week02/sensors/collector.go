package sensors

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"
)

// DefaultLateAfter is the lateness threshold of a Collector whose LateAfter is
// zero.
const DefaultLateAfter = time.Second

// Report is what a collector has counted so far.
type Report struct {
	Sensors   []SensorReport // one per sensor heard from, by increasing ID
	Malformed int            // malformed datagrams, all sensors together
}

// SensorReport holds one sensor's figures; the package documentation defines
// each of them exactly.
type SensorReport struct {
	ID         uint32
	Received   int
	Lost       int
	Duplicates int
	Reordered  int
	Late       int
	Highest    uint32  // the highest seq received
	Latest     int32   // the value of reading Highest
	Mean       float64 // the mean value, in hundredths of a degree
}

// Collector counts the readings that sensors send it. The zero value is
// ready to use; set LateAfter before the first datagram. All its methods may
// be called from several goroutines at once.
type Collector struct {
	// LateAfter is how long after its time a reading may arrive without
	// being late. Zero means DefaultLateAfter.
	LateAfter time.Duration

	mu        sync.Mutex
	sensors   map[uint32]*tally
	malformed int
}

// tally is the state of one sensor.
type tally struct {
	seen                  map[uint32]bool
	dups, reordered, late int
	highest               uint32
	latest                int32
	sum                   int64
}

// Add counts one datagram that arrived at time at. A malformed datagram
// only adds to Report.Malformed. Add keeps no reference to datagram.
func (c *Collector) Add(datagram []byte, at time.Time) {
	r, err := Decode(datagram)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.malformed++
		return
	}
	if c.sensors == nil {
		c.sensors = map[uint32]*tally{}
	}
	t := c.sensors[r.Sensor]
	if t == nil {
		t = &tally{seen: map[uint32]bool{}}
		c.sensors[r.Sensor] = t
	}
	if t.seen[r.Seq] {
		t.dups++
		return
	}
	t.seen[r.Seq] = true
	t.sum += int64(r.Value)
	if at.Sub(r.Time) > c.lateAfter() {
		t.late++
	}
	if r.Seq < t.highest {
		t.reordered++
		return
	}
	t.highest, t.latest = r.Seq, r.Value
}

func (c *Collector) lateAfter() time.Duration {
	if c.LateAfter == 0 {
		return DefaultLateAfter
	}
	return c.LateAfter
}

// Report returns the figures so far. It may be called while Serve runs, and
// after it has returned.
func (c *Collector) Report() Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	rep := Report{Malformed: c.malformed}
	for id, t := range c.sensors {
		n := len(t.seen)
		rep.Sensors = append(rep.Sensors, SensorReport{
			ID:         id,
			Received:   n,
			Lost:       int(t.highest) - n,
			Duplicates: t.dups,
			Reordered:  t.reordered,
			Late:       t.late,
			Highest:    t.highest,
			Latest:     t.latest,
			Mean:       float64(t.sum) / float64(n),
		})
	}
	slices.SortFunc(rep.Sensors, func(a, b SensorReport) int { return cmp.Compare(a.ID, b.ID) })
	return rep
}

// Serve reads datagrams from conn and counts each with Add, stamped with the
// time it was read, until ctx is done. Serve owns conn: it closes it before
// returning, whatever the reason. It reads into a buffer of MaxDatagram
// bytes, so that an oversized datagram is seen whole and counted malformed,
// never cut down to a valid one.
//
// When ctx is done Serve returns nil; datagrams not yet read are not counted.
// It returns an error wrapping the read error ("read: ...") when conn fails
// for another reason. Call Serve at most once.
func (c *Collector) Serve(ctx context.Context, conn net.PacketConn) error {
	defer conn.Close()
	// Closing conn is what wakes up a blocked ReadFrom when ctx is done.
	closed := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(closed)
		conn.Close()
	})
	defer func() {
		if !stop() {
			<-closed // it has started: let it finish, so nothing outlives Serve
		}
	}()
	buf := make([]byte, MaxDatagram)
	for {
		n, _, err := conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil && errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("read: %w", err)
		}
		c.Add(buf[:n], time.Now())
	}
}
