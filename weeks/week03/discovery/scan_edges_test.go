package discovery_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/discovery"
)

// ---- Scans at the edges of their contract: defaults, cancellation, the
// caller's socket, framing, concurrent scans ----

func TestScanDefaults(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t) // DefaultPort is free in the test's own namespace
	t.Run("empty Dest", func(t *testing.T) {
		startFake(t, discovery.DefaultPort, offers("alpha", "web http 8080"))
		s := &discovery.Scanner{Wait: time.Second} // Dest empty: DefaultDest
		r := scan(t, context.Background(), s, udpConn(t), "")
		if r.err != nil {
			t.Errorf("Scanner{Dest: \"\"}.Scan error = %v, want nil", r.err)
		}
		wantFound(t, fmt.Sprintf("a node on %s, the default destination, answered", discovery.DefaultDest), r.res.Found,
			"alpha web http 127.0.0.1:8080")
	})
	for _, wait := range []time.Duration{0, -5 * time.Millisecond} {
		t.Run(fmt.Sprintf("Wait %v", wait), func(t *testing.T) {
			_, s := newNet(t, wait)
			r := scan(t, context.Background(), s, udpConn(t), "")
			switch {
			case r.err != nil:
				t.Errorf("Scan with Wait %v where nobody answers: error %v; want an empty Result and nil", wait, r.err)
			case r.elapsed < discovery.DefaultWait*9/10:
				t.Errorf("Scan with Wait %v returned after %v; want DefaultWait (%v): a Wait of zero or less means the default", wait, r.elapsed.Round(time.Millisecond), discovery.DefaultWait)
			}
		})
	}
}

func TestScanCancel(t *testing.T) {
	labtest.NoLeaks(t)
	t.Run("no deadline", func(t *testing.T) {
		port, s := newNet(t, 8*time.Second)
		f := startFake(t, port, offers("alpha", "web http 8080"))
		ctx, cancel := context.WithCancel(context.Background()) // no deadline at all
		defer cancel()
		go func() {
			// Cancel once alpha has answered, and the scanner has had time
			// to read the answer.
			if labtest.Poll(replyWait, func() bool { return len(f.received()) > 0 }) {
				time.Sleep(time.Second)
			}
			cancel()
		}()
		r := scan(t, ctx, s, udpConn(t), "")
		switch {
		case !errors.Is(r.err, context.Canceled):
			t.Errorf("Scan with Wait 8s, its context cancelled (context.WithCancel, no deadline): error %v, want ctx.Err() (context.Canceled)", r.err)
		case r.elapsed > 5*time.Second:
			t.Errorf("Scan returned %v after it started; want it to stop as soon as its context is cancelled: watch ctx itself, not only its deadline", r.elapsed.Round(time.Millisecond))
		}
		wantFound(t, "alpha answered at once, before the context was cancelled", r.res.Found, "alpha web http 127.0.0.1:8080")
	})
	t.Run("already cancelled", func(t *testing.T) {
		_, s := newNet(t, 2*time.Second)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := scan(t, ctx, s, udpConn(t), "")
		switch {
		case !errors.Is(r.err, context.Canceled):
			t.Errorf("Scan with a context cancelled before the call: error %v, want ctx.Err() (context.Canceled)", r.err)
		case r.elapsed > time.Second:
			t.Errorf("Scan with a context cancelled before the call returned after %v; want at once", r.elapsed.Round(time.Millisecond))
		}
	})
}

// deadlineCleared fails the test unless conn is open and has no read
// deadline: a read then waits for the datagram the test sends.
func deadlineCleared(t *testing.T, conn *net.UDPConn, after string) {
	t.Helper()
	got := make(chan error, 1)
	go func() {
		buf := make([]byte, 64)
		_, _, err := conn.ReadFrom(buf)
		got <- err
	}()
	sender := udpConn(t)
	send(t, sender, conn.LocalAddr(), "ping")
	select {
	case err := <-got:
		switch {
		case errors.Is(err, net.ErrClosed):
			t.Errorf("after %s, the caller's socket is closed: Scan never closes conn, the caller owns it", after)
		case err != nil:
			t.Errorf("after %s, a read on the caller's socket fails at once: %v; Scan must clear the read deadline it set (conn.SetReadDeadline(time.Time{})) before returning", after, err)
		}
	case <-time.After(replyWait):
		conn.Close()
		<-got
		t.Errorf("after %s, a read on the caller's socket did not return the datagram sent to it", after)
	}
}

func TestScanConn(t *testing.T) {
	labtest.NoLeaks(t)
	port, s := newNet(t, 300*time.Millisecond)

	t.Run("after Wait", func(t *testing.T) {
		conn := udpConn(t)
		if r := scan(t, context.Background(), s, conn, ""); r.err != nil {
			t.Errorf("Scan where nobody answers: error %v, want nil", r.err)
		}
		deadlineCleared(t, conn, "a scan that ran its Wait")
	})
	t.Run("after ctx ended", func(t *testing.T) {
		conn := udpConn(t)
		long := &discovery.Scanner{Dest: s.Dest, Wait: 5 * time.Second}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		scan(t, ctx, long, conn, "") // its error is scan_timeout's business
		deadlineCleared(t, conn, "a scan whose context ended")
	})
	t.Run("closed socket", func(t *testing.T) {
		conn := udpConn(t)
		conn.Close()
		r := scan(t, context.Background(), s, conn, "")
		switch {
		case r.err == nil:
			t.Errorf("Scan on a closed socket = %d found, nil; want the socket's error, wrapped: an error of conn is not an empty network", len(r.res.Found))
		case !errors.Is(r.err, net.ErrClosed):
			t.Errorf("Scan on a closed socket: error %v, want it to wrap the socket's error (errors.Is(err, net.ErrClosed))", r.err)
		case r.elapsed > s.Wait/2:
			t.Errorf("Scan on a closed socket returned after %v; want at once", r.elapsed.Round(time.Millisecond))
		}
	})
	t.Run("invalid Dest", func(t *testing.T) {
		for _, dest := range []string{broadcast, fmt.Sprintf("[::1]:%d", port), fmt.Sprintf("%s:%d", broadcast, 70000)} {
			bad := &discovery.Scanner{Dest: dest, Wait: s.Wait}
			r := scan(t, context.Background(), bad, udpConn(t), "")
			switch {
			case r.err == nil:
				t.Errorf("Scanner{Dest: %q}.Scan = %d found, nil; want an error: Dest is not an IPv4 \"IP:port\"", dest, len(r.res.Found))
			case r.elapsed > s.Wait/2:
				t.Errorf("Scanner{Dest: %q}.Scan returned %v after %v; want it before sending anything, at once", dest, r.err, r.elapsed.Round(time.Millisecond))
			}
		}
	})
}

func TestScanFraming(t *testing.T) {
	labtest.NoLeaks(t)
	port, s := newNet(t, time.Second)
	w := strings.Repeat("w", discovery.MaxWord)
	startFake(t, port, func(q query) []string {
		return []string{
			"OFFER " + q.token + " alpha web http 8080\n",               // one "\n" at the end: ignored
			"OFFER " + q.token + " " + w + " " + w + " " + w + " 65535", // the longest offer there is (with this token)
			"OFFER " + q.token + " ! ~ !~ 1",                            // the edges of a word's characters, the lowest port
			"OFFER " + q.token + " bravo db postgres 5432\r\n",          // malformed
			"OFFER " + q.token + " bravo ssh ssh 22\n\n",                // malformed
		}
	})
	r := scan(t, context.Background(), s, udpConn(t), "")
	if r.err != nil {
		t.Errorf("Scan error = %v, want nil", r.err)
	}
	wantFoundAnyOrder(t, "a node offered web with a trailing \"\\n\", the longest offer, an offer of one-character words, and two offers ending in \"\\r\\n\" and \"\\n\\n\"", r.res.Found,
		"! ~ !~ 127.0.0.1:1",
		"alpha web http 127.0.0.1:8080",
		w+" "+w+" "+w+" 127.0.0.1:65535")
	wantCounts(t, "\"\\r\\n\" and \"\\n\\n\" endings are malformed", r.res, 2, 0, 0)
}

func TestScanConcurrent(t *testing.T) {
	labtest.NoLeaks(t)
	port, s := newNet(t, time.Second) // one Scanner, three scans at once
	f := startFake(t, port, offers("alpha", "web http 8080", "db postgres 5432"))
	const n = 3
	results := make([]scanned, n)
	var wg sync.WaitGroup
	for i := range n {
		conn := udpConn(t)
		wg.Go(func() { results[i] = scan(t, context.Background(), s, conn, "") })
	}
	wg.Wait()
	for i, r := range results {
		why := fmt.Sprintf("scan %d of %d at once, one Scanner, each on its own socket", i+1, n)
		if r.err != nil {
			t.Errorf("%s: error %v, want nil", why, r.err)
		}
		wantFoundAnyOrder(t, why, r.res.Found, "alpha db postgres 127.0.0.1:5432", "alpha web http 127.0.0.1:8080")
		wantCounts(t, why, r.res, 0, 0, 0)
	}
	tokens := map[string]bool{}
	for _, q := range f.received() {
		tokens[q.token] = true
	}
	if len(tokens) != n {
		t.Errorf("%d scans at once sent %d different tokens, want %d: a fresh token for every scan", n, len(tokens), n)
	}
}
