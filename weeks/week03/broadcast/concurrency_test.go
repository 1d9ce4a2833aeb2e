package broadcast_test

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/broadcast"
)

// ---- Concurrent callers. The grader runs these checks with the race
// detector: a data race fails them. ----

func TestResponderConcurrent(t *testing.T) {
	labtest.NoLeaks(t)
	// One Responder serves three sockets at once; three seekers ask each of
	// them, all at the same time.
	r := &broadcast.Responder{Name: "alpha", Logf: func(string, ...any) {}}
	const sockets, seekers, rounds = 3, 3, 20
	var dsts []netip.AddrPort
	for range sockets {
		conn := udpSocket(t, "127.0.0.1:0", false)
		serve(t, r, conn)
		dsts = append(dsts, netip.AddrPortFrom(loopback, port(conn)))
	}
	var wg sync.WaitGroup
	errs := make(chan string, seekers)
	for s := range seekers {
		seeker := udpSocket(t, "127.0.0.1:0", false)
		wg.Go(func() {
			// Each query has a token of its own, which names the seeker,
			// the round and the socket it went to.
			want := map[string]netip.AddrPort{}
			for i := range rounds {
				for j, dst := range dsts {
					tok := fmt.Sprintf("s%dr%dd%d", s, i, j)
					want["HERE "+tok+" alpha"] = dst
					if _, err := seeker.WriteToUDPAddrPort([]byte("DISCOVER "+tok), dst); err != nil {
						errs <- fmt.Sprintf("seeker %d: send: %v", s+1, err)
						return
					}
				}
			}
			for len(want) > 0 {
				d, err := recv(seeker, replyWait)
				if err != nil {
					errs <- fmt.Sprintf("seeker %d: %d answers missing (%v): one Responder serving %d sockets at once must answer every query on each", s+1, len(want), err, sockets)
					return
				}
				from, ok := want[d.msg]
				switch {
				case !ok:
					errs <- fmt.Sprintf("seeker %d: unexpected answer %s (from %s): answers must not get mixed up between sockets or seekers", s+1, short(d.msg), d.from)
					return
				case from != d.from:
					errs <- fmt.Sprintf("seeker %d: answer %s came from %s, want %s, the socket the query went to", s+1, short(d.msg), d.from, from)
					return
				}
				delete(want, d.msg)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestDiscoverConcurrent(t *testing.T) {
	labtest.NoLeaks(t)
	// No broadcast here: every discovery asks one fake responder by unicast.
	r := udpSocket(t, "127.0.0.1:0", false)
	f := startFake(t, r, "alpha", 0)
	dst := netip.AddrPortFrom(loopback, port(r))
	s := &broadcast.Seeker{} // one Seeker, four discoveries at once
	const n = 4
	type result struct {
		answers []broadcast.Answer
		err     error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			a, err := s.Discover(ctx, dst.String())
			results[i] = result{a, err}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%d concurrent Discover calls with 1s deadlines had not all returned after 5s", n)
	}
	want := fmt.Sprint([]broadcast.Answer{{Addr: dst, Name: "alpha"}})
	for i, res := range results {
		if res.err != nil || fmt.Sprint(res.answers) != want {
			t.Errorf("Discover %d of %d run at once with one Seeker = %v, %v; want %v, nil: each call has its own socket and token", i+1, n, res.answers, res.err, want)
		}
	}
	tokens := map[string]bool{}
	for _, d := range f.received() {
		tokens[d.msg] = true
	}
	if len(tokens) != n {
		t.Errorf("%d concurrent discoveries sent %d different queries %v, want %d: a fresh token for every call", n, len(tokens), f.received(), n)
	}
}
