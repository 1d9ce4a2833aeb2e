package discovery_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/discovery"
)

// Every scan test broadcasts: its nodes are fakes played by the test, on a
// discovery port of its own, in a network namespace with only lo.

func TestScanSeveral(t *testing.T) {
	labtest.NoLeaks(t)
	port, s := newNet(t, 600*time.Millisecond)
	rng := labtest.Rand(t)
	nodes := []struct {
		name     string
		services []string
	}{
		{"delta", []string{"web http 8081"}},
		{"alpha", []string{"web http 8080", "db postgres 5432"}}, // in this order: web, then db
		{"charlie", []string{"ssh ssh 22"}},
		{"Bravo", []string{"print ipp 631"}}, // byte order: "B" < "a"
	}
	var fakes []*fakeNode
	for _, n := range nodes {
		delay := time.Duration(rng.IntN(200)) * time.Millisecond
		answer := offers(n.name, n.services...)
		fakes = append(fakes, startFake(t, port, func(q query) []string {
			time.Sleep(delay) // the node's own pace: the answers arrive in any order
			return answer(q)
		}))
	}
	r := scan(t, context.Background(), s, udpConn(t), "")
	if r.err != nil {
		t.Errorf("Scan error = %v, want nil", r.err)
	}
	wantFound(t, "4 nodes answered within 200ms, in random order", r.res.Found,
		"Bravo print ipp 127.0.0.1:631",
		"alpha db postgres 127.0.0.1:5432",
		"alpha web http 127.0.0.1:8080",
		"charlie ssh ssh 127.0.0.1:22",
		"delta web http 127.0.0.1:8081")
	wantCounts(t, "only valid offers were sent", r.res, 0, 0, 0)

	// Every node got the same query, once.
	token := ""
	for i, f := range fakes {
		qs := f.received()
		if len(qs) != 1 {
			t.Errorf("node %s received %d queries, want exactly one, sent to %s", nodes[i].name, len(qs), s.Dest)
			continue
		}
		switch q := qs[0]; {
		case q.token == "":
			t.Errorf("node %s received %q, want \"SEARCH <token> *\" (a token is 1 to 63 printable ASCII characters)", nodes[i].name, short(q.text))
		case q.kind != "*":
			t.Errorf("node %s received %q; a scan for every kind asks for kind \"*\"", nodes[i].name, q.text)
		case token != "" && q.token != token:
			t.Errorf("nodes received different tokens %q and %q: a scan sends one query", token, q.token)
		default:
			token = q.token
		}
	}
}

func TestScanTimeout(t *testing.T) {
	labtest.NoLeaks(t)
	const wait = 500 * time.Millisecond
	const limit = 2*wait + 250*time.Millisecond

	t.Run("silent network", func(t *testing.T) {
		_, s := newNet(t, wait)
		r := scan(t, context.Background(), s, udpConn(t), "")
		switch {
		case r.err != nil:
			t.Errorf("Scan where nobody answers: error %v; want an empty Result and nil (silence is an answer)", r.err)
		case r.elapsed < wait*9/10:
			t.Errorf("Scan returned after %v, before its Wait (%v) was over", r.elapsed.Round(time.Millisecond), wait)
		case r.elapsed > limit:
			t.Errorf("Scan returned after %v; want about its Wait (%v), at most %v", r.elapsed.Round(time.Millisecond), wait, limit)
		}
		wantFound(t, "nobody answered", r.res.Found)
		wantCounts(t, "nothing arrived", r.res, 0, 0, 0)
	})

	t.Run("chatty network", func(t *testing.T) {
		port, s := newNet(t, wait)
		// A node that repeats its offer every 10ms, for 3s or until the test
		// is over: only one deadline for the whole scan ends the scan on time.
		over := make(chan struct{})
		defer close(over)
		chat := udpConn(t)
		startFake(t, port, func(q query) []string {
			offer := fmt.Sprintf("OFFER %s chatty web http 80", q.token)
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			end := time.After(3 * time.Second)
			for {
				select {
				case <-over:
					return nil
				case <-end:
					return nil
				case <-tick.C:
					chat.WriteTo([]byte(offer), q.from)
				}
			}
		})
		r := scan(t, context.Background(), s, udpConn(t), "")
		switch {
		case r.err != nil:
			t.Errorf("Scan error = %v, want nil", r.err)
		case r.elapsed > limit:
			t.Errorf("a node repeated its offer every 10ms: Scan returned after %v; want about its Wait (%v), at most %v (set one read deadline for the whole scan, not one per datagram)", r.elapsed.Round(time.Millisecond), wait, limit)
		}
	})

	t.Run("context ends first", func(t *testing.T) {
		port, s := newNet(t, 5*time.Second)
		startFake(t, port, offers("alpha", "web http 8080"))
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		r := scan(t, ctx, s, udpConn(t), "")
		switch {
		case !errors.Is(r.err, context.DeadlineExceeded):
			t.Errorf("Scan with Wait 5s and a context that ends after 300ms: error %v, want ctx.Err() (context.DeadlineExceeded)", r.err)
		case r.elapsed > 300*time.Millisecond+time.Second:
			t.Errorf("Scan returned %v after it started; want it to stop when its context ends (300ms)", r.elapsed.Round(time.Millisecond))
		}
		wantFoundAnyOrder(t, "alpha answered at once, before the context ended", r.res.Found, "alpha web http 127.0.0.1:8080")
	})
}

func TestScanMalformed(t *testing.T) {
	labtest.NoLeaks(t)
	port, s := newNet(t, 500*time.Millisecond)
	junk := []string{
		"",
		"hello",
		"OFFER",
		"OFFER {T} alpha",
		"OFFER {T} alpha ftp ftp 21 extra",
		"offer {T} alpha ftp ftp 21",
		"OFFER {T} alpha ftp ftp twenty-one",
		"OFFER {T} alpha ftp ftp 21\nOFFER {T} alpha ssh ssh 22",
		"SEARCH {T} *",
		"\x00\x01\xfe\xff",
		strings.Repeat("OFFER ", 300),
	}
	startFake(t, port, func(q query) []string {
		out := []string{"OFFER " + q.token + " alpha web http 8080"}
		for _, j := range junk {
			out = append(out, strings.ReplaceAll(j, "{T}", q.token))
		}
		return out
	})
	startFake(t, port, offers("bravo", "db postgres 5432"))
	r := scan(t, context.Background(), s, udpConn(t), "")
	if r.err != nil {
		t.Errorf("Scan error = %v, want nil: a malformed reply is ignored, not an error", r.err)
	}
	wantFoundAnyOrder(t, fmt.Sprintf("alpha sent one offer and %d malformed datagrams; bravo one offer", len(junk)), r.res.Found,
		"alpha web http 127.0.0.1:8080",
		"bravo db postgres 127.0.0.1:5432")
	wantCounts(t, fmt.Sprintf("%d malformed datagrams", len(junk)), r.res, len(junk), 0, 0)
}

func TestScanDedup(t *testing.T) {
	labtest.NoLeaks(t)
	port, s := newNet(t, 500*time.Millisecond)
	// alpha answers twice, then offers web once more, on another port: the
	// first offer stands.
	startFake(t, port, func(q query) []string {
		twice := offers("alpha", "web http 8080", "db postgres 5432", "web http 8080", "db postgres 5432", "web http 9999")
		return twice(q)
	})
	// Another node's web is another service.
	startFake(t, port, offers("bravo", "web http 8081"))
	r := scan(t, context.Background(), s, udpConn(t), "")
	if r.err != nil {
		t.Errorf("Scan error = %v, want nil", r.err)
	}
	wantFoundAnyOrder(t, "alpha offered web, db, web, db, web (port 9999); bravo offered web", r.res.Found,
		"alpha db postgres 127.0.0.1:5432",
		"alpha web http 127.0.0.1:8080",
		"bravo web http 127.0.0.1:8081")
	wantCounts(t, "alpha repeated 3 offers", r.res, 0, 3, 0)
}

func TestScanNodeLeft(t *testing.T) {
	labtest.NoLeaks(t)
	port, s := newNet(t, 400*time.Millisecond)
	startFake(t, port, offers("alpha", "web http 8080"))
	// bravo answers the first scan. Then it has gone: all that reaches the
	// second scan is a late copy of its first answer.
	first := ""
	bravo := startFake(t, port, func(q query) []string {
		if first == "" {
			first = q.token
		}
		return []string{"OFFER " + first + " bravo db postgres 5432"}
	})
	conn := udpConn(t) // both scans use the same socket
	r := scan(t, context.Background(), s, conn, "")
	if r.err != nil {
		t.Errorf("first scan: error %v, want nil", r.err)
	}
	wantFoundAnyOrder(t, "first scan, alpha and bravo answered", r.res.Found,
		"alpha web http 127.0.0.1:8080",
		"bravo db postgres 127.0.0.1:5432")
	if t.Failed() {
		t.FailNow()
	}

	r = scan(t, context.Background(), s, conn, "")
	if r.err != nil {
		t.Errorf("second scan: error %v, want nil", r.err)
	}
	wantFoundAnyOrder(t, "second scan on the same socket, bravo had left and only its answer to the first scan arrived", r.res.Found,
		"alpha web http 127.0.0.1:8080")
	wantCounts(t, "second scan: bravo's late offer carries the first scan's token", r.res, 0, 0, 1)
	if qs := bravo.received(); len(qs) == 2 && qs[0].token == qs[1].token {
		t.Errorf("both scans sent the token %q: each scan needs a fresh one, or it cannot tell its answers from late ones", qs[0].token)
	}
}

func TestScanKind(t *testing.T) {
	labtest.NoLeaks(t)
	port, s := newNet(t, 500*time.Millisecond)
	// alpha answers what it is asked; bravo, an old node, offers everything.
	alphaNode := startFake(t, port, func(q query) []string {
		var out []string
		for _, svc := range []string{"web http 8080", "files ftp 2121"} {
			if q.kind == "*" || strings.Fields(svc)[1] == q.kind {
				out = append(out, "OFFER "+q.token+" alpha "+svc)
			}
		}
		return out
	})
	startFake(t, port, offers("bravo", "print ipp 631", "api http 9090"))

	r := scan(t, context.Background(), s, udpConn(t), "http")
	if r.err != nil {
		t.Errorf("Scan error = %v, want nil", r.err)
	}
	if qs := alphaNode.received(); len(qs) != 1 || qs[0].kind != "http" {
		var got []string
		for _, q := range qs {
			got = append(got, q.text)
		}
		t.Errorf("a scan for kind http: the nodes received %q, want one \"SEARCH <token> http\"", got)
	}
	wantFoundAnyOrder(t, "a scan for kind http; bravo offered its ipp service too", r.res.Found,
		"alpha web http 127.0.0.1:8080",
		"bravo api http 127.0.0.1:9090")
	wantCounts(t, "bravo's ipp offer does not answer a scan for http", r.res, 0, 0, 1)

	t.Run("invalid kind", func(t *testing.T) {
		for _, kind := range []string{"two words", longest + "x"} {
			r := scan(t, context.Background(), s, udpConn(t), kind)
			switch {
			case !errors.Is(r.err, discovery.ErrInvalid):
				t.Errorf("Scan(%q) error = %v, want an error wrapping ErrInvalid", short(kind), r.err)
			case r.elapsed > s.Wait/2:
				t.Errorf("Scan(%q) took %v to refuse the kind; check it before sending anything", short(kind), r.elapsed.Round(time.Millisecond))
			}
		}
	})
}
