package sensors_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/sensors"
)

// The collector's figures, exactly: datagrams go straight to Add, with
// arrival times chosen by the test.

// t0 is when every scripted sensor was switched on.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// dg is one scripted datagram: reading seq of sensor, taken at t0+seq*100ms,
// arriving age after that (10ms when zero).
type dg struct {
	sensor, seq uint32
	value       int32
	age         time.Duration
}

// feed adds the datagrams to c, in order.
func feed(c *sensors.Collector, ds []dg) {
	for _, d := range ds {
		at := t0.Add(time.Duration(d.seq) * 100 * time.Millisecond)
		age := d.age
		if age == 0 {
			age = 10 * time.Millisecond
		}
		c.Add(encodeWire(wire{sensor: d.sensor, seq: d.seq, micros: at.UnixMicro(), value: d.value}), at.Add(age))
	}
}

// seqs makes the datagrams of sensor 1 with these seqs, value 100*seq.
func seqs(ns ...uint32) []dg {
	var ds []dg
	for _, n := range ns {
		ds = append(ds, dg{sensor: 1, seq: n, value: int32(100 * n)})
	}
	return ds
}

// only returns the report's single sensor, or fails.
func only(t *testing.T, rep sensors.Report) sensors.SensorReport {
	t.Helper()
	if len(rep.Sensors) != 1 {
		t.Fatalf("Report has %d sensors (%+v), want 1", len(rep.Sensors), rep.Sensors)
	}
	return rep.Sensors[0]
}

func describe(ds []dg) string {
	s := ""
	for _, d := range ds {
		s += fmt.Sprintf(" s%d#%d", d.sensor, d.seq)
		if d.age != 0 {
			s += fmt.Sprintf("(+%v)", d.age)
		}
	}
	return "datagrams in arrival order:" + s
}

func TestCounts(t *testing.T) {
	labtest.NoLeaks(t)
	type counts struct {
		ID                         uint32
		Received, Lost, Duplicates int
		Highest                    uint32
	}
	tests := []struct {
		name string
		give []dg
		want []counts
	}{
		{"in order", seqs(1, 2, 3, 4, 5), []counts{{1, 5, 0, 0, 5}}},
		{"a gap", seqs(1, 2, 4, 5), []counts{{1, 4, 1, 0, 5}}},
		{"first reading lost", seqs(2, 3), []counts{{1, 2, 1, 0, 3}}},
		{"the last reading lost cannot be seen", seqs(1, 2, 3), []counts{{1, 3, 0, 0, 3}}},
		{"duplicates", seqs(1, 1, 2, 2, 2), []counts{{1, 2, 0, 3, 2}}},
		{"a gap filled late", seqs(1, 3, 2), []counts{{1, 3, 0, 0, 3}}},
		{"sensors apart, sorted by id", []dg{{sensor: 300, seq: 1}, {sensor: 2, seq: 5}, {sensor: 41, seq: 1}, {sensor: 300, seq: 2}, {sensor: 41, seq: 1}},
			[]counts{{2, 1, 4, 0, 5}, {41, 1, 0, 1, 1}, {300, 2, 0, 0, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &sensors.Collector{}
			feed(c, tt.give)
			var got []counts
			for _, s := range c.Report().Sensors {
				got = append(got, counts{s.ID, s.Received, s.Lost, s.Duplicates, s.Highest})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s\nReport: %+v\nwant    %+v\n(ID Received Lost Duplicates Highest, by increasing ID; Lost = Highest - Received)", describe(tt.give), got, tt.want)
			}
		})
	}
}

func TestReordered(t *testing.T) {
	labtest.NoLeaks(t)
	tests := []struct {
		name string
		give []dg
		want []int // Reordered per sensor, by increasing ID
	}{
		{"in order", seqs(1, 2, 3), []int{0}},
		{"one swap", seqs(1, 3, 2), []int{1}},
		{"two behind the highest", seqs(1, 2, 5, 3, 4), []int{2}},
		{"reversed", seqs(3, 2, 1), []int{2}},
		{"a duplicate is not reordered", seqs(1, 2, 1), []int{0}},
		{"reordered, then duplicated", seqs(2, 1, 1), []int{1}},
		{"per sensor", []dg{{sensor: 1, seq: 1}, {sensor: 1, seq: 2}, {sensor: 2, seq: 1}, {sensor: 2, seq: 2}}, []int{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &sensors.Collector{}
			feed(c, tt.give)
			var got []int
			for _, s := range c.Report().Sensors {
				got = append(got, s.Reordered)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s\nReordered = %v, want %v (a reading is reordered when a higher seq of its sensor arrived before it)", describe(tt.give), got, tt.want)
			}
		})
	}
}

func TestLate(t *testing.T) {
	labtest.NoLeaks(t)
	ms := time.Millisecond
	tests := []struct {
		name      string
		lateAfter time.Duration
		give      []dg
		want      int
	}{
		{"around the limit", 100 * ms, []dg{{sensor: 1, seq: 1, age: 50 * ms}, {sensor: 1, seq: 2, age: 100 * ms}, {sensor: 1, seq: 3, age: 101 * ms}}, 1},
		{"a clock ahead is not late", 100 * ms, []dg{{sensor: 1, seq: 1, age: -time.Second}}, 0},
		{"a late duplicate is not a late reading", 100 * ms, []dg{{sensor: 1, seq: 1}, {sensor: 1, seq: 1, age: 5 * time.Second}}, 0},
		{"late and reordered", 100 * ms, []dg{{sensor: 1, seq: 1}, {sensor: 1, seq: 3}, {sensor: 1, seq: 2, age: 2 * time.Second}}, 1},
		{"default limit: 1s", 0, []dg{{sensor: 1, seq: 1, age: 999 * ms}, {sensor: 1, seq: 2, age: 1001 * ms}, {sensor: 1, seq: 3, age: 30 * ms}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &sensors.Collector{LateAfter: tt.lateAfter}
			feed(c, tt.give)
			if got := only(t, c.Report()).Late; got != tt.want {
				t.Errorf("LateAfter %v, %s\nLate = %d, want %d (late: arrival - time > LateAfter)", tt.lateAfter, describe(tt.give), got, tt.want)
			}
		})
	}
}

func TestValues(t *testing.T) {
	labtest.NoLeaks(t)
	var many []dg
	for i := uint32(1); i <= 1000; i++ {
		many = append(many, dg{sensor: 1, seq: i, value: int32(1799 + i)})
	}
	tests := []struct {
		name   string
		give   []dg
		latest int32
		mean   float64
	}{
		{"latest is the highest seq", []dg{{sensor: 1, seq: 1, value: 100}, {sensor: 1, seq: 3, value: 300}, {sensor: 1, seq: 2, value: 200}}, 300, 200},
		{"each reading counted once", []dg{{sensor: 1, seq: 1, value: 100}, {sensor: 1, seq: 2, value: 200}, {sensor: 1, seq: 2, value: 9999}}, 200, 150},
		{"below zero", []dg{{sensor: 1, seq: 1, value: -375}, {sensor: 1, seq: 2, value: 125}}, 125, -125},
		{"not a whole number", []dg{{sensor: 1, seq: 1, value: 2150}, {sensor: 1, seq: 2, value: 2151}}, 2151, 2150.5},
		{"a thousand readings", many, 2799, 2299.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &sensors.Collector{}
			feed(c, tt.give)
			s := only(t, c.Report())
			if s.Latest != tt.latest || math.Abs(s.Mean-tt.mean) > 1e-9 {
				t.Errorf("%s\nLatest = %d, Mean = %v; want %d, %v (hundredths of a degree; Latest is the value of the highest seq, Mean counts each reading once)",
					describe(tt.give[:min(len(tt.give), 5)]), s.Latest, s.Mean, tt.latest, tt.mean)
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	labtest.NoLeaks(t)
	c := &sensors.Collector{}
	damaged := encodeWire(wire{sensor: 5, seq: 10, value: 2000})
	damaged[10] ^= 0x01 // seq 10 -> 10 ^ 0x100: the checksum no longer matches
	garbage := [][]byte{
		nil,
		{},
		[]byte("hello"),
		make([]byte, 28),
		append(encodeWire(wire{sensor: 5, seq: 1}), '\n'),
		damaged,
		make([]byte, 65507),
	}
	for _, g := range garbage {
		c.Add(g, t0)
	}
	rep := c.Report()
	if rep.Malformed != len(garbage) || len(rep.Sensors) != 0 {
		t.Fatalf("after %d malformed datagrams: Malformed = %d, Sensors = %+v; want %d and no sensor (nothing of a malformed datagram can be trusted, not even its sensor id)",
			len(garbage), rep.Malformed, rep.Sensors, len(garbage))
	}
	feed(c, []dg{{sensor: 5, seq: 1, value: 2000}})
	rep = c.Report()
	if s := only(t, rep); rep.Malformed != len(garbage) || s.ID != 5 || s.Received != 1 || s.Highest != 1 || s.Lost != 0 {
		t.Errorf("then one valid reading of sensor 5: Malformed %d, %+v; want Malformed %d and sensor 5 with 1 received, highest 1, none lost", rep.Malformed, s, len(garbage))
	}
}
