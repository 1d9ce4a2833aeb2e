package sensors_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/grader/netsim"
	"netlabs/weeks/week02/sensors"
)

// Through the seeded lossy relay (grader/netsim): the test's sensors send to
// the relay, the relay forwards to the student's collector, and the figures
// the collector reports must equal those worked out from the relay's log of
// what it actually sent, in the order it sent it.

// key names one reading: sensor and seq.
type key struct{ sensor, seq uint32 }

// middlebox forces a fate on chosen readings and leaves the others to the
// seeded Impairment, so that every run, whatever the seed, holds the cases
// a figure can get wrong (a first reading lost, a duplicate, a late one).
type middlebox struct {
	netsim.Impairment
	force map[key]netsim.Fate
}

func (m middlebox) Fate(p netsim.PacketInfo, r *netsim.Rand) netsim.Fate {
	f := m.Impairment.Fate(p, r) // drawn anyway: forcing one fate changes no other
	if len(p.Data) >= 12 {
		if forced, ok := m.force[key{binary.BigEndian.Uint32(p.Data[4:]), binary.BigEndian.Uint32(p.Data[8:])}]; ok {
			return forced
		}
	}
	return f
}

// Fates the middlebox can force.
var (
	dropped    = netsim.Fate{}
	duplicated = netsim.Fate{Copies: []netsim.Copy{{}, {}}}
	delivered  = netsim.Fate{Copies: []netsim.Copy{{}}}
)

func heldBack(d time.Duration) netsim.Fate {
	return netsim.Fate{Copies: []netsim.Copy{{Delay: d, Reordered: true}}}
}

// trial is one run through the relay.
type trial struct {
	sensors, readings int
	seed              uint64
	impair            netsim.Impairment
	force             map[key]netsim.Fate
	lateAfter         time.Duration
}

func value(sensor, seq uint32) int32 { return 1500 + int32((sensor*977+seq*53)%1500) }

// run sends every reading of every sensor through a relay to a collector and
// compares the collector's report with the one the relay's log implies.
func (tr trial) run(t *testing.T) {
	c := &sensors.Collector{LateAfter: tr.lateAfter}
	conn, _ := serve(t, c)
	r, err := netsim.NewRelay(netsim.Config{Target: conn.LocalAddr().String(), Seed: tr.seed, Capture: 64,
		Forward: netsim.Impairment{Link: middlebox{tr.impair, tr.force}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	t.Logf("relay seed %d: %v, forced %d fates", tr.seed, tr.impair, len(tr.force))

	socks := make([]*net.UDPConn, tr.sensors)
	for i := range socks {
		socks[i] = udp(t)
	}
	to := net.UDPAddrFromAddrPort(r.Addr())
	sent := 0
	for seq := uint32(1); seq <= uint32(tr.readings); seq++ {
		for i, s := range socks {
			id := uint32(i + 1)
			sendTo(t, s, to, encodeWire(wire{sensor: id, seq: seq, micros: time.Now().UnixMicro(), value: value(id, seq)}))
			sent++
		}
		time.Sleep(200 * time.Microsecond) // the sensors' pace
		if seq%8 == 0 {
			labtest.Eventually(t, 3*time.Second, "the relay to read what the sensors sent", func() bool { return r.Stats().Forward.Packets >= sent })
		}
	}
	labtest.Eventually(t, 3*time.Second, "the relay to pass everything on", func() bool {
		s := r.Stats().Forward
		return s.Packets == sent && s.Pending() == 0
	})
	truth := r.Truth()
	want := expect(tr.lateAfter, r)

	var diff string
	deadline := time.Now().Add(2 * time.Second)
	for {
		if diff = compare(c.Report(), want); diff == "" {
			break
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond) // polling: the last datagrams on their way
	}
	f := truth.Stats.Forward
	t.Logf("sent %d, relay dropped %d, duplicated %d, held back %d, corrupted %d, delivered %d; figures match: %v",
		sent, f.Dropped, f.Duplicated, f.Reordered, f.Corrupted, f.Sent, diff == "")
	if diff != "" {
		t.Fatalf("the collector's figures differ from the relay's ground truth (LateAfter %v):\n%s", tr.lateAfter, diff)
	}
}

// expect works out the report from the copies the relays sent, in the order
// each sent them, following the package documentation's definitions. Each
// sensor must have sent through one relay only.
func expect(lateAfter time.Duration, relays ...*netsim.Relay) sensors.Report {
	type tally struct {
		seen                  map[uint32]bool
		dups, reordered, late int
		highest               uint32
		latest                int32
		sum                   int64
	}
	per := map[uint32]*tally{}
	var rep sensors.Report
	for _, r := range relays {
		truth, epoch := r.Truth(), r.Epoch()
		for _, d := range truth.Departures {
			rec, _ := truth.Record(d.Dir, d.Index)
			b := bytes.Clone(rec.Payload)
			if cp := rec.Fate.Copies[d.Copy]; cp.Corrupted() {
				b[cp.FlipAt] ^= cp.Flip
			}
			w, ok := decodeWire(b)
			if !ok {
				rep.Malformed++
				continue
			}
			s := per[w.sensor]
			if s == nil {
				s = &tally{seen: map[uint32]bool{}}
				per[w.sensor] = s
			}
			switch {
			case s.seen[w.seq]:
				s.dups++
				continue
			case w.seq < s.highest:
				s.reordered++
			default:
				s.highest, s.latest = w.seq, w.value
			}
			s.seen[w.seq] = true
			s.sum += int64(w.value)
			if epoch.Add(d.At).Sub(time.UnixMicro(w.micros)) > lateAfter {
				s.late++
			}
		}
	}
	for id, s := range per {
		n := len(s.seen)
		rep.Sensors = append(rep.Sensors, sensors.SensorReport{ID: id, Received: n, Lost: int(s.highest) - n, Duplicates: s.dups,
			Reordered: s.reordered, Late: s.late, Highest: s.highest, Latest: s.latest, Mean: float64(s.sum) / float64(n)})
	}
	slices.SortFunc(rep.Sensors, func(a, b sensors.SensorReport) int { return int(a.ID) - int(b.ID) })
	return rep
}

// compare lists the differences between two reports; "" when they agree.
// Means may differ by 1e-6.
func compare(got, want sensors.Report) string { return compareTol(got, want, 1e-6) }

// compareTol is compare with means that may differ by tol.
func compareTol(got, want sensors.Report, tol float64) string {
	var b strings.Builder
	if got.Malformed != want.Malformed {
		fmt.Fprintf(&b, "  malformed: %d, want %d\n", got.Malformed, want.Malformed)
	}
	line := func(s sensors.SensorReport) string {
		return fmt.Sprintf("received %d lost %d duplicates %d reordered %d late %d highest %d latest %d",
			s.Received, s.Lost, s.Duplicates, s.Reordered, s.Late, s.Highest, s.Latest)
	}
	ids := map[uint32][2]*sensors.SensorReport{}
	for i := range got.Sensors {
		e := ids[got.Sensors[i].ID]
		e[0] = &got.Sensors[i]
		ids[got.Sensors[i].ID] = e
	}
	for i := range want.Sensors {
		e := ids[want.Sensors[i].ID]
		e[1] = &want.Sensors[i]
		ids[want.Sensors[i].ID] = e
	}
	for _, id := range slices.Sorted(func(yield func(uint32) bool) {
		for id := range ids {
			if !yield(id) {
				return
			}
		}
	}) {
		g, w := ids[id][0], ids[id][1]
		switch {
		case g == nil:
			fmt.Fprintf(&b, "  sensor %d: missing; want %s\n", id, line(*w))
		case w == nil:
			fmt.Fprintf(&b, "  sensor %d: %s; want no such sensor\n", id, line(*g))
		case line(*g) != line(*w) || math.Abs(g.Mean-w.Mean) > tol:
			fmt.Fprintf(&b, "  sensor %d: %s mean %.4f\n       want: %s mean %.4f\n", id, line(*g), g.Mean, line(*w), w.Mean)
		}
	}
	if b.Len() == 0 && !slices.IsSortedFunc(got.Sensors, func(a, b sensors.SensorReport) int { return int(a.ID) - int(b.ID) }) {
		b.WriteString("  Sensors are not sorted by ID\n")
	}
	return b.String()
}

func TestRelayLoss(t *testing.T) {
	labtest.NoLeaks(t)
	base := labtest.Seed(t)
	for _, loss := range []float64{0, 0.05, 0.30} {
		for k := range uint64(3) {
			tr := trial{sensors: 4, readings: 50, seed: base + k, lateAfter: time.Second}
			if loss > 0 {
				tr.impair = netsim.Impairment{Drop: loss, Duplicate: 0.05}
				tr.force = map[key]netsim.Fate{
					{1, 1}:  dropped,    // the first reading: lost all the same
					{1, 50}: dropped,    // the last: invisible
					{2, 3}:  duplicated, // a duplicate
				}
			}
			if !t.Run(fmt.Sprintf("loss=%v/seed=%d", loss, tr.seed), tr.run) {
				return // one wrong run says enough
			}
		}
	}
}

func TestRelayMixed(t *testing.T) {
	labtest.NoLeaks(t)
	base := labtest.Seed(t)
	const hold = 300 * time.Millisecond
	for k := range uint64(2) {
		tr := trial{sensors: 4, readings: 50, seed: base + k, lateAfter: hold / 2,
			impair: netsim.Impairment{Drop: 0.1, Duplicate: 0.1, Reorder: 0.1, ReorderDelay: hold, Corrupt: 0.05},
			force: map[key]netsim.Fate{
				{1, 2}: heldBack(hold),                                              // reordered and late
				{2, 4}: {Copies: []netsim.Copy{{Flip: 0xFF, FlipAt: 9}}},            // malformed
				{3, 5}: {Copies: []netsim.Copy{{}, {Delay: hold, Reordered: true}}}, // a late duplicate
				{1, 3}: heldBack(hold),                                              // right behind it: two readings below the highest in a row
				{4, 2}: dropped,
			}}
		// Every sensor's first reading arrives, once and whole, so that Lost
		// counted from the lowest seq received is right here too: that
		// mistake is TestCounts' and TestRelayLoss's, not this check's.
		for s := uint32(1); s <= 4; s++ {
			tr.force[key{s, 1}] = delivered
		}
		if !t.Run(fmt.Sprintf("seed=%d", tr.seed), tr.run) {
			return
		}
	}
}
