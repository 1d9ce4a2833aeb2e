package sensors

import (
	"context"
	"net"
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

	// TODO(week02, step 4): add the collector's state.
	//  1. A sync.Mutex guarding everything below: Serve calls Add while the
	//     program calls Report from another goroutine.
	//  2. The malformed count.
	//  3. Per sensor id (a map, made when first needed, so that the zero
	//     Collector works), a small struct: the seqs received (a
	//     map[uint32]bool), the duplicates, reordered and late counts, the
	//     highest seq and its value, and the sum of the values (an int64).
	// Pitfall: keeping only "the last seq" per sensor. Duplicates and
	// readings that fill a gap late can only be told apart with the set of
	// seqs already received.
	// Checked by: TestCounts, TestServe, TestConcurrentCollector.
}

// Add counts one datagram that arrived at time at. A malformed datagram
// only adds to Report.Malformed. Add keeps no reference to datagram.
func (c *Collector) Add(datagram []byte, at time.Time) {
	// TODO(week02, step 5): count one datagram, under the mutex.
	//  1. Decode it; an error means malformed: count it and stop there. Do
	//     not create the sensor's entry for a datagram you cannot trust.
	//  2. A seq already received is a duplicate: count it, change nothing
	//     else (not the value, not the mean, not "late").
	//  3. A new reading: remember its seq, add its value to the sum, and
	//     count it late when at.Sub(r.Time) > LateAfter (DefaultLateAfter
	//     when zero).
	//  4. If its seq is below the highest seq received so far, it is
	//     reordered. Otherwise it is the new highest: keep its seq and
	//     value (that value is Latest).
	// Pitfall: comparing with the seq of the previous datagram instead of the
	// highest so far (1 2 5 3 4 has two reordered readings, not one), or
	// letting an old reading that arrives last become Latest.
	// Checked by: TestCounts, TestReordered, TestLate, TestValues,
	// TestMalformed, TestFigureEdges, TestConcurrentCollector,
	// TestRelayLoss, TestRelayMixed.
	_, _ = datagram, at
}

// Report returns the figures so far. It may be called while Serve runs, and
// after it has returned.
func (c *Collector) Report() Report {
	// TODO(week02, step 6): compute the figures, under the mutex.
	//  1. One SensorReport per sensor: Received is the number of seqs
	//     received, Lost = Highest - Received, Mean = sum / Received as a
	//     float64.
	//  2. Sort by ID (slices.SortFunc with cmp.Compare): map iteration order
	//     is random.
	// Pitfall: Lost = Highest - Lowest + 1 - Received misses the readings
	// lost before the first one that arrived: sequence numbers start at 1.
	// Checked by: TestCounts, TestValues, TestFigureEdges,
	// TestConcurrentCollector, TestRelayLoss.
	return Report{}
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
	// TODO(week02, step 7): read until ctx is done.
	//  1. defer conn.Close(). ReadFrom blocks, so something must wake it up
	//     when ctx is done: context.AfterFunc(ctx, ...) that closes conn
	//     (and, before returning, make sure that function has finished).
	//  2. One buffer of MaxDatagram bytes, reused: Add copies what it keeps.
	//  3. Loop: conn.ReadFrom, then c.Add(buf[:n], time.Now()).
	//  4. When ReadFrom fails: ctx done means a shutdown (return nil);
	//     anything else is fmt.Errorf("read: %w", err).
	// Pitfall: a buffer of DatagramSize bytes. ReadFrom silently cuts a
	// longer datagram down to the buffer (n == len(buf), no error), and the
	// first 28 bytes of garbage-plus-reading then look valid.
	// Checked by: TestServe, TestServeError, TestBigDatagram,
	// TestScripts/cli_stream.
	_ = ctx
	conn.Close() // Serve owns conn, even in this stub
	return ErrNotImplemented
}
