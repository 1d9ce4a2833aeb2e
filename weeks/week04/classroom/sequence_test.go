package classroom_test

import (
	"fmt"
	"strings"
	"testing"

	"netlabs/weeks/week04/classroom"
)

// The test sends every number itself, so the gaps are exactly those it left.

func TestGaps(t *testing.T) {
	isolated(t)
	port := freePort(t)
	l := join(t, "net101", port)
	s := newSender(t, port)

	// A gap never holds up delivery: what arrives is delivered at once.
	s.send("net101", 1, 2, 5, 6, 9, 10)
	expect(t, "listener", l, "net101", 1, 2, 5, 6, 9, 10)
	checkReport(t, "listener", l, classroom.Report{
		Class: "net101", Received: 6, First: 1, Last: 10,
		Gaps: []classroom.Gap{{From: 3, To: 4}, {From: 7, To: 8}}, Missed: 4,
	})

	// One datagram may jump very far ahead: the gap is one range.
	const far = 1_000_000_011
	s.send("net101", 12, far)
	expect(t, "listener", l, "net101", 12, far)
	want := classroom.Report{
		Class: "net101", Received: 8, First: 1, Last: far,
		Gaps:   []classroom.Gap{{From: 3, To: 4}, {From: 7, To: 8}, {From: 11, To: 11}, {From: 13, To: far - 1}},
		Missed: 2 + 2 + 1 + (far - 1 - 13 + 1),
	}
	checkReport(t, "listener", l, want)

	// The report is a copy: changing it changes nothing in the listener.
	r := l.Report()
	if len(r.Gaps) > 0 {
		r.Gaps[0] = classroom.Gap{From: 99, To: 99}
	}
	checkReport(t, "listener after the caller changed a report", l, want)
}

func TestDuplicates(t *testing.T) {
	isolated(t)
	port := freePort(t)
	l := join(t, "net101", port)
	s := newSender(t, port)

	s.send("net101", 1, 2, 2, 3, 1, 3, 4)
	expect(t, "listener", l, "net101", 1, 2, 3, 4) // each once, nothing else
	checkReport(t, "listener", l, classroom.Report{Class: "net101", Received: 4, First: 1, Last: 4, Duplicates: 3})
}

func TestLateArrival(t *testing.T) {
	isolated(t)
	port := freePort(t)
	l := join(t, "net101", port)
	s := newSender(t, port)
	gap := func(from, to uint64) classroom.Gap { return classroom.Gap{From: from, To: to} }

	steps := []struct {
		give    uint64
		deliver bool
		gaps    []classroom.Gap // after it
	}{
		{1, true, nil},
		{4, true, []classroom.Gap{gap(2, 3)}},
		{2, true, []classroom.Gap{gap(3, 3)}}, // late: the gap shrinks from below
		{6, true, []classroom.Gap{gap(3, 3), gap(5, 5)}},
		{3, true, []classroom.Gap{gap(5, 5)}},  // late: the gap goes
		{3, false, []classroom.Gap{gap(5, 5)}}, // a duplicate of a late one
		{13, true, []classroom.Gap{gap(5, 5), gap(7, 12)}},
		{10, true, []classroom.Gap{gap(5, 5), gap(7, 9), gap(11, 12)}}, // the gap splits
		{12, true, []classroom.Gap{gap(5, 5), gap(7, 9), gap(11, 11)}}, // shrinks from above
		{7, true, []classroom.Gap{gap(5, 5), gap(8, 9), gap(11, 11)}},
	}
	want := classroom.Report{Class: "net101"}
	for _, st := range steps {
		s.send("net101", st.give)
		if !st.deliver {
			want.Duplicates++
			continue
		}
		expect(t, fmt.Sprintf("listener, after #%d", st.give), l, "net101", st.give)
		want.Received++
		want.First = 1
		want.Last = max(want.Last, st.give)
		want.Gaps, want.Missed = st.gaps, 0
		for _, g := range st.gaps {
			want.Missed += g.To - g.From + 1
		}
		checkReport(t, fmt.Sprintf("listener, after #%d", st.give), l, want)
	}
}

func TestLateJoin(t *testing.T) {
	isolated(t)
	port := freePort(t)
	s := newSender(t, port)
	early := join(t, "net101", port)
	s.send("net101", 1, 2, 3)
	expect(t, "early listener", early, "net101", 1, 2, 3)

	// A listener that joins now gets what follows, and has missed nothing.
	late := join(t, "net101", port)
	s.send("net101", 4, 5)
	expect(t, "late listener", late, "net101", 4, 5)
	expect(t, "early listener", early, "net101", 4, 5)
	checkReport(t, "late listener", late, classroom.Report{Class: "net101", Received: 2, First: 4, Last: 5})

	// An old number that turns up now is from before the late listener
	// joined: not delivered, and not a duplicate either. For the early
	// listener it is a duplicate.
	s.send("net101", 2, 6)
	expect(t, "late listener", late, "net101", 6)
	expect(t, "early listener", early, "net101", 6)
	checkReport(t, "late listener", late, classroom.Report{Class: "net101", Received: 3, First: 4, Last: 6})
	checkReport(t, "early listener", early, classroom.Report{Class: "net101", Received: 6, First: 1, Last: 6, Duplicates: 1})

	// Number 7 is lost for everyone; a third listener joins and starts at 8.
	third := join(t, "net101", port)
	s.send("net101", 8)
	expect(t, "third listener", third, "net101", 8)
	expect(t, "early listener", early, "net101", 8)
	checkReport(t, "third listener", third, classroom.Report{Class: "net101", Received: 1, First: 8, Last: 8})
	checkReport(t, "early listener", early, classroom.Report{
		Class: "net101", Received: 7, First: 1, Last: 8, Duplicates: 1,
		Gaps: []classroom.Gap{{From: 7, To: 7}}, Missed: 1,
	})
}

func TestMalformed(t *testing.T) {
	isolated(t)
	port := freePort(t)
	l := join(t, class32, port)
	s := newSender(t, port)
	g := group(t, class32)

	s.send(class32, 1)
	prefix := "ANN " + class32 + " "
	garbage := []string{
		"hello",
		"",
		"ANN",
		"ANN " + class32,
		prefix + "2",
		prefix + "0 zero",
		prefix + "-3 minus",
		prefix + "2x letters",
		prefix + "99999999999999999999 above 2^64-1",
		"ann " + class32 + " 2 lower case",
		"ANN  " + class32 + " 2 two spaces",
		prefix + "50 two\nlines",
		prefix + "60 " + strings.Repeat("x", classroom.MaxText+1),
		// Longer than MaxDatagram; its first MaxDatagram bytes alone would be
		// a valid announcement. A buffer of MaxDatagram bytes cuts it silently.
		prefix + "10000000000000000001 " + strings.Repeat("y", classroom.MaxText+7),
	}
	for _, p := range garbage {
		s.raw(g, p)
	}
	s.send(class32, 2)

	// Only 1 and 2 are delivered, and the garbage left no trace in the report.
	expect(t, "listener", l, class32, 1, 2)
	checkReport(t, "listener", l, classroom.Report{Class: class32, Received: 2, First: 1, Last: 2})
}
