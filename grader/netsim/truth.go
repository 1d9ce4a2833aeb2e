package netsim

import (
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// State is where a copy is on its way out of the relay.
type State uint8

// The states of a copy.
const (
	// Pending: waiting for its delay or for the link.
	Pending State = iota
	// Sent: it left the relay.
	Sent
	// Discarded: it was still waiting when the relay closed.
	Discarded
	// Failed: the write to its destination failed.
	Failed
)

// String is the state's name in lower case.
func (s State) String() string {
	switch s {
	case Pending:
		return "pending"
	case Sent:
		return "sent"
	case Discarded:
		return "discarded"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// Outcome is what became of one copy.
type Outcome struct {
	State State
	// At is when the copy left (Sent) or was given up (Discarded, Failed), on
	// the relay's clock. Zero while Pending.
	At time.Duration
}

// Record is the ground truth about one packet that entered the relay.
type Record struct {
	Dir   Direction
	Index uint64 // the packet's index in its direction, from 0
	// Client is the client the packet came from (Forward) or is meant for
	// (Backward).
	Client netip.AddrPort
	At     time.Duration // when it arrived, on the relay's clock
	Size   int           // its length in bytes
	Fate   Fate
	Out    []Outcome // what became of each copy, parallel to Fate.Copies
	// Payload is the packet's first Config.Capture bytes, as received
	// (before any corruption).
	Payload []byte
}

// Departure is one copy leaving the relay.
type Departure struct {
	Dir   Direction
	Index uint64 // the packet's index in its direction
	Copy  int    // which copy: an index into the packet's Fate.Copies
	At    time.Duration
}

// Counters are the figures of one direction. At any moment
// Copies = Sent + Discarded + Failed + Pending(), and
// Copies = Packets - Dropped + (extra copies of duplicated packets).
type Counters struct {
	Packets    int // packets that entered
	Bytes      int // their bytes
	Dropped    int // packets whose fate was to be dropped
	Duplicated int // packets that left as more than one copy
	Copies     int // copies to send: one per packet not dropped, plus the duplicates
	Reordered  int // copies held back to be overtaken
	Corrupted  int // copies with one byte flipped
	Sent       int // copies that left
	SentBytes  int // their bytes
	Discarded  int // copies still waiting when the relay closed
	Failed     int // copies whose write failed
	// Stray counts datagrams that reached an upstream socket from somewhere
	// other than the target (Backward only). They are ignored: not Packets.
	Stray int
}

// Pending is the number of copies still waiting to leave.
func (c Counters) Pending() int { return c.Copies - c.Sent - c.Discarded - c.Failed }

// String is the counters in a stable, script-friendly form:
// "packets=10 bytes=280 dropped=1 ..." with every field, in the order above.
func (c Counters) String() string {
	return fmt.Sprintf("packets=%d bytes=%d dropped=%d duplicated=%d copies=%d reordered=%d corrupted=%d sent=%d sentbytes=%d discarded=%d failed=%d stray=%d",
		c.Packets, c.Bytes, c.Dropped, c.Duplicated, c.Copies, c.Reordered, c.Corrupted, c.Sent, c.SentBytes, c.Discarded, c.Failed, c.Stray)
}

// Stats are a relay's counters.
type Stats struct {
	Forward, Backward Counters
	Clients           int // clients seen (one upstream socket each)
}

// String is two lines, "forward <counters>\nbackward <counters>\n", then
// "clients N\n".
func (s Stats) String() string {
	return fmt.Sprintf("forward %v\nbackward %v\nclients %d\n", s.Forward, s.Backward, s.Clients)
}

// Truth is a snapshot of a relay's ground truth.
type Truth struct {
	Records    []Record    // every packet, in the order it arrived
	Departures []Departure // every copy that left, in the order it left
	Stats      Stats
	byDir      [2][]int // a direction's packet index -> position in Records
}

// Record returns the record of packet index of direction d.
func (t *Truth) Record(d Direction, index uint64) (Record, bool) {
	if int(d) >= len(t.byDir) || index >= uint64(len(t.byDir[d])) {
		return Record{}, false
	}
	return t.Records[t.byDir[d][index]], true
}

// truthLog is the relay's log; the relay's mutex guards it.
type truthLog struct {
	records    []Record
	byDir      [2][]int
	departures []Departure
	counters   [2]Counters
}

// add logs a packet's arrival and fate and returns its position.
func (l *truthLog) add(d Direction, index uint64, client netip.AddrPort, at time.Duration, data []byte, fate Fate, capture int) int {
	rec := Record{Dir: d, Index: index, Client: client, At: at, Size: len(data), Fate: fate}
	if len(fate.Copies) > 0 {
		rec.Out = make([]Outcome, len(fate.Copies))
	}
	if capture > 0 {
		rec.Payload = slices.Clone(data[:min(capture, len(data))])
	}
	l.records = append(l.records, rec)
	pos := len(l.records) - 1
	l.byDir[d] = append(l.byDir[d], pos)

	c := &l.counters[d]
	c.Packets++
	c.Bytes += len(data)
	c.Copies += len(fate.Copies)
	if fate.Dropped() {
		c.Dropped++
	}
	if fate.Duplicated() {
		c.Duplicated++
	}
	for _, cp := range fate.Copies {
		if cp.Reordered {
			c.Reordered++
		}
		if cp.Corrupted() {
			c.Corrupted++
		}
	}
	return pos
}

// leave logs the outcome of one copy.
func (l *truthLog) leave(d Direction, pos, copy int, state State, at time.Duration) {
	rec := &l.records[pos]
	rec.Out[copy] = Outcome{State: state, At: at}
	c := &l.counters[d]
	switch state {
	case Sent:
		c.Sent++
		c.SentBytes += rec.Size
		l.departures = append(l.departures, Departure{Dir: d, Index: rec.Index, Copy: copy, At: at})
	case Discarded:
		c.Discarded++
	case Failed:
		c.Failed++
	}
}

// Truth returns a copy of the relay's log and counters so far. It may be
// called while the relay runs, and after Close.
func (r *Relay) Truth() Truth {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := Truth{
		Records:    slices.Clone(r.truth.records),
		Departures: slices.Clone(r.truth.departures),
		Stats:      r.statsLocked(),
		byDir:      [2][]int{slices.Clone(r.truth.byDir[0]), slices.Clone(r.truth.byDir[1])},
	}
	for i := range t.Records {
		t.Records[i].Out = slices.Clone(t.Records[i].Out) // the relay still writes these
	}
	return t
}

// Stats returns the relay's counters so far.
func (r *Relay) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.statsLocked()
}

func (r *Relay) statsLocked() Stats {
	return Stats{Forward: r.truth.counters[Forward], Backward: r.truth.counters[Backward], Clients: len(r.clients)}
}

// Pending is the number of copies, both directions together, still waiting
// to leave: zero once everything that entered has left or been dropped.
func (r *Relay) Pending() int {
	s := r.Stats()
	return s.Forward.Pending() + s.Backward.Pending()
}
