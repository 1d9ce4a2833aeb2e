package broadcast_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/broadcast"
)

// ---- Sockets, errors, deadlines and cancellation: what is left behind ----

func TestServeSocketClosed(t *testing.T) {
	labtest.NoLeaks(t)
	before := goleak.IgnoreCurrent()
	conn := udpSocket(t, "127.0.0.1:0", false)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- (&broadcast.Responder{Name: "alpha", Logf: t.Logf}).Serve(ctx, conn) }()
	seeker := udpSocket(t, "127.0.0.1:0", false)
	send(t, seeker, netip.AddrPortFrom(loopback, port(conn)), "DISCOVER ready")
	if d, err := recv(seeker, replyWait); err != nil || d.msg != "HERE ready alpha" {
		t.Fatalf("before the socket is closed: answer %s, %v; want %q", short(d.msg), err, "HERE ready alpha")
	}

	// Somebody else closes the socket while Serve waits for a datagram, and
	// ctx is still live: that is a failure of conn, not a shutdown.
	conn.Close()
	var err error
	select {
	case err = <-errc:
	case <-time.After(2 * time.Second):
		cancel()
		<-errc
		t.Fatalf("Serve did not return within 2s after its socket was closed (ctx still live): a read error that is not a shutdown ends Serve, it is not retried")
	}
	if !errors.Is(err, net.ErrClosed) || !strings.Contains(err.Error(), "read: ") {
		t.Errorf("Serve after its socket was closed, ctx still live = %v; want the read error wrapped as \"read: <error>\" (errors.Is(err, net.ErrClosed)), not nil: it was not a shutdown", err)
	}
	// Serve has returned and ctx is still live: nothing Serve started may
	// still be running (a goroutine waiting for ctx, for one).
	if err := goleak.Find(before); err != nil {
		t.Errorf("Serve returned, but left goroutines running (ctx is still live): %v\nstop what you started before returning (context.AfterFunc's stop function)", err)
	}
}

func TestListenSharedErrors(t *testing.T) {
	labtest.NoLeaks(t)
	t.Run("port held by a socket that does not share it", func(t *testing.T) {
		held := udpSocket(t, "127.0.0.1:0", false)
		addr := fmt.Sprintf("127.0.0.1:%d", port(held))
		c, err := broadcast.ListenShared(addr)
		if c != nil {
			c.Close()
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			t.Errorf("ListenShared(%q), the port held by a socket without SO_REUSEADDR: error %v, want syscall.EADDRINUSE as it is", addr, err)
		}
	})
	t.Run("the address asked for", func(t *testing.T) {
		c, err := broadcast.ListenShared("127.0.0.1:0")
		if err != nil {
			t.Fatalf("ListenShared(%q): %v", "127.0.0.1:0", err)
		}
		defer c.Close()
		la, ok := c.LocalAddr().(*net.UDPAddr)
		if !ok || la.AddrPort().Addr() != loopback || la.Port == 0 {
			t.Errorf("ListenShared(%q) bound %v, want 127.0.0.1 and a free port: bind the address you are given", "127.0.0.1:0", c.LocalAddr())
		}
	})
	t.Run("invalid address", func(t *testing.T) {
		for _, addr := range []string{"127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1", "[::1]:0"} {
			if c, err := broadcast.ListenShared(addr); err == nil {
				t.Errorf("ListenShared(%q) bound %v, want an error (an IPv4 host:port with a port of 0 to 65535)", addr, c.LocalAddr())
				c.Close()
			}
		}
	})
}

func TestDiscoverLongDeadline(t *testing.T) {
	labtest.NoLeaks(t)
	// No broadcast here: the query goes to one responder by unicast.
	r := udpSocket(t, "127.0.0.1:0", false)
	wait := broadcast.DefaultWait + 1500*time.Millisecond // longer than the default
	late := broadcast.DefaultWait + 300*time.Millisecond  // the answer comes after the default
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	start := time.Now()
	type result struct {
		answers []broadcast.Answer
		err     error
		elapsed time.Duration
	}
	done := make(chan result, 1)
	go func() {
		a, err := (&broadcast.Seeker{}).Discover(ctx, netip.AddrPortFrom(loopback, port(r)).String())
		done <- result{a, err, time.Since(start)}
	}()
	q, err := recv(r, replyWait)
	f := strings.Fields(q.msg) // lenient: TestQuery checks the format
	if err != nil || len(f) < 2 || f[0] != "DISCOVER" {
		t.Fatalf("the responder received %s, %v; want a query \"DISCOVER <token>\"", short(q.msg), err)
	}
	time.Sleep(time.Until(start.Add(late))) // the responder's pace: part of the scenario
	send(t, r, q.from, "HERE "+f[1]+" slowpoke")

	var res result
	select {
	case res = <-done:
	case <-time.After(wait + 2*time.Second):
		t.Fatalf("Discover with a %v deadline did not return within %v", wait, wait+2*time.Second)
	}
	want := []broadcast.Answer{{Addr: netip.AddrPortFrom(loopback, port(r)), Name: "slowpoke"}}
	switch {
	case res.elapsed < wait-20*time.Millisecond:
		t.Errorf("Discover with ctx's deadline %v away returned after %v with %v, %v; want it to wait for ctx's deadline, even when it is longer than DefaultWait (%v): DefaultWait is only for a ctx without a deadline", wait, res.elapsed.Round(time.Millisecond), res.answers, res.err, broadcast.DefaultWait)
	case res.err != nil || fmt.Sprint(res.answers) != fmt.Sprint(want):
		t.Errorf("Discover with a %v deadline, an answer after %v = %v, %v; want %v, nil", wait, late, res.answers, res.err, want)
	}
}

func TestDiscoverCancel(t *testing.T) {
	labtest.NoLeaks(t)
	t.Run("no deadline", func(t *testing.T) {
		// Cancellation alone, no deadline: DefaultWait applies, but cancel
		// comes first.
		dst := netip.AddrPortFrom(loopback, uint16(freePort(t))).String() // nobody listens there
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		time.AfterFunc(100*time.Millisecond, cancel)
		got, elapsed, err := discover(t, &broadcast.Seeker{}, ctx, dst, broadcast.DefaultWait+2*time.Second)
		checkNobody(t, "context.WithCancel cancelled after 100ms (no deadline)", got, err, elapsed, 80*time.Millisecond, broadcast.DefaultWait-100*time.Millisecond)
	})
	t.Run("answers kept", func(t *testing.T) {
		r := udpSocket(t, "127.0.0.1:0", false)
		f := startFake(t, r, "alpha", 0)
		// A deadline far away, so that the cancel comes first however
		// long the seeker takes to read the answer.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		type result struct {
			answers []broadcast.Answer
			err     error
		}
		done := make(chan result, 1)
		go func() {
			a, err := (&broadcast.Seeker{}).Discover(ctx, netip.AddrPortFrom(loopback, port(r)).String())
			done <- result{a, err}
		}()
		if !labtest.Poll(replyWait, func() bool { return len(f.received()) > 0 }) {
			cancel()
			<-done
			t.Fatalf("the responder received no query within %v", replyWait)
		}
		// The answer left at once; give the seeker time to read it, then
		// cancel.
		time.Sleep(time.Second)
		cancel()
		var res result
		select {
		case res = <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("Discover did not return within 2s after its context was cancelled")
		}
		want := []broadcast.Answer{{Addr: netip.AddrPortFrom(loopback, port(r)), Name: "alpha"}}
		if res.err != nil || fmt.Sprint(res.answers) != fmt.Sprint(want) {
			t.Errorf("Discover cancelled after an answer arrived = %v, %v; want %v, nil: a cancelled discovery returns what it has collected, with a nil error", res.answers, res.err, want)
		}
	})
}

func TestDiscoverClosesSocket(t *testing.T) {
	labtest.NoLeaks(t)
	// No broadcast here: unicast to a port nobody listens on.
	nobody := netip.AddrPortFrom(loopback, uint16(freePort(t))).String()
	const n = 8
	t.Run("deadline", func(t *testing.T) {
		var err error
		labtest.NoFDLeak(t, n, "Discover with a 20ms deadline", func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			defer cancel()
			_, _, err = discover(t, &broadcast.Seeker{}, ctx, nobody, 2*time.Second)
		})
		if err != nil {
			t.Errorf("Discover(ctx, %q) with nobody listening: %v, want nil", nobody, err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		labtest.NoFDLeak(t, n, "Discover cancelled", func() {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(10*time.Millisecond, cancel)
			discover(t, &broadcast.Seeker{}, ctx, nobody, 2*time.Second)
		})
	})
	t.Run("send error", func(t *testing.T) {
		port0 := netip.AddrPortFrom(loopback, 0).String() // the query cannot be sent
		labtest.NoFDLeak(t, n, "Discover whose query cannot be sent", func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			discover(t, &broadcast.Seeker{}, ctx, port0, 2*time.Second)
		})
	})
}
