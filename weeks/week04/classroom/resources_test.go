package classroom_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/classroom"
)

// Arguments at and past their limits, descriptors, and calls from several
// goroutines at once.

func TestArguments(t *testing.T) {
	isolated(t)
	lo := loopback(t)
	for _, port := range []int{0, -1, 65536, 1 << 20} {
		if tch, err := classroom.NewTeacher(port); err == nil {
			tch.Close()
			t.Errorf("NewTeacher(%d) = nil error, want an error: ports are 1 to 65535", port)
		}
	}
	refuse := func() {
		for _, port := range []int{0, -1, 65536} {
			if l, err := classroom.Join("net101", port, lo); err == nil {
				l.Leave()
				t.Errorf("Join(net101, %d, lo) = nil error, want an error: ports are 1 to 65535", port)
			}
		}
	}
	refuse()
	if t.Failed() {
		return
	}
	labtest.NoFDLeak(t, 10, "Join with a bad port", refuse)

	// The ends of the range work.
	tch, err := classroom.NewTeacher(1)
	if err != nil {
		t.Fatalf("NewTeacher(1) = %v, want a teacher", err)
	}
	tch.Close()
	labtest.NoFDLeak(t, 10, "NewTeacher(65535), Announce and Close", func() {
		tch, err := classroom.NewTeacher(65535)
		if err != nil {
			t.Fatalf("NewTeacher(65535) = %v, want a teacher", err)
		}
		if _, err := tch.Announce("net101", "top port"); err != nil {
			t.Errorf("Announce on port 65535 = %v", err)
		}
		tch.Close()
	})
	l, err := classroom.Join("net101", 65535, lo)
	if err != nil {
		t.Fatalf("Join(net101, 65535, lo) = %v, want a listener", err)
	}
	l.Leave()
}

func TestConcurrentAnnounce(t *testing.T) {
	isolated(t)
	port := freePort(t)
	net101, math := group(t, "net101"), group(t, "math")
	c := newCapture(t, port, net101, math)
	tch, err := classroom.NewTeacher(port)
	if err != nil {
		t.Fatalf("NewTeacher(%d): %v", port, err)
	}
	defer tch.Close()

	const goroutines, each = 4, 10
	var mu sync.Mutex
	returned := map[string][]uint64{}
	var errs []error
	var wg sync.WaitGroup
	for i := range goroutines {
		wg.Go(func() {
			for j := range each {
				class := "net101"
				n, err := tch.Announce(class, fmt.Sprintf("from goroutine %d, %d", i, j))
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				}
				returned[class] = append(returned[class], n)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("Announce from %d goroutines at once: %v", goroutines, errs[0])
	}
	total := goroutines * each
	for class, ns := range returned {
		slices.Sort(ns)
		for k, n := range ns {
			if n != uint64(k+1) {
				t.Errorf("Announce(%s, ...) from several goroutines returned the numbers %v; want 1 to %d, each once", class, ns, len(ns))
				break
			}
		}
	}
	// The class's datagrams leave in their numbers' order, each once.
	sent := map[string][]uint64{}
	for range total {
		dg, ok := c.next(readTimeout)
		if !ok {
			t.Fatalf("only %d of the %d announcements arrived within %v", len(sent["net101"]), total, readTimeout)
		}
		// The test's own reading of "ANN <class> <seq> <text>".
		f := strings.SplitN(dg.payload, " ", 4)
		var n uint64
		var err error
		if len(f) == 4 {
			n, err = strconv.ParseUint(f[2], 10, 64)
		}
		if len(f) != 4 || f[0] != "ANN" || err != nil {
			t.Fatalf("datagram %.60q is no announcement", dg.payload)
		}
		sent[f[1]] = append(sent[f[1]], n)
	}
	for class, ns := range sent {
		for k, n := range ns {
			if n != uint64(k+1) {
				t.Errorf("%s's datagrams left numbered %v; want 1, 2, 3, ... in order: hold the mutex from taking the number to sending the datagram", class, ns)
				break
			}
		}
	}
	if dg, ok := c.next(200 * time.Millisecond); ok {
		t.Errorf("unexpected extra datagram %.80q", dg.payload)
	}
}

func TestConcurrentReport(t *testing.T) {
	isolated(t)
	port := freePort(t)
	l := join(t, "net101", port)
	s := newSender(t, port)

	// Report runs in another goroutine while Receive works, then Leave.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if r := l.Report(); r.Class != "net101" {
				t.Errorf("Report() while Receive works = %+v, want the class net101", r)
				return
			}
		}
	})
	var seqs []uint64
	for n := uint64(1); n <= 40; n++ {
		if n%3 != 0 {
			seqs = append(seqs, n)
		}
	}
	for _, n := range seqs {
		s.send("net101", n)
		expect(t, "listener", l, "net101", n)
	}
	// The figures themselves are TestGaps' business: this test is for the
	// race detector, which sees Report and Receive touch them at once.
	// Leave in a goroutine of its own, while Report still runs in another.
	var leaveWG sync.WaitGroup
	leaveWG.Go(func() { l.Leave() })
	leaveWG.Wait()
	close(stop)
	wg.Wait()
}
