package datagram_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/datagram"
)

// ---- Receive's errors, and Receiver.Serve's rarer paths ----

func TestReceiveErrors(t *testing.T) {
	labtest.NoLeaks(t)
	t.Run("the caller's deadline passes", func(t *testing.T) {
		rcv := listenUDP(t)
		rcv.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		var d datagram.Datagram
		var err error
		within(t, ioWait, "Receive after its conn's read deadline", func() { d, err = datagram.Receive(rcv, make([]byte, 64)) })
		if !errors.Is(err, os.ErrDeadlineExceeded) || d.Payload != nil {
			t.Errorf("Receive on a socket whose read deadline passes with nothing to read = %s, %v; want no payload and the read error as it is (errors.Is os.ErrDeadlineExceeded)", show(d.Payload), err)
		}
	})
	t.Run("conn closed", func(t *testing.T) {
		rcv := listenUDP(t)
		rcv.Close()
		var err error
		within(t, ioWait, "Receive on a closed socket", func() { _, err = datagram.Receive(rcv, make([]byte, 64)) })
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Receive on a closed socket = %v; want the read error as it is (errors.Is net.ErrClosed)", err)
		}
	})
}

func TestServeError(t *testing.T) {
	labtest.NoLeaks(t)
	conn := listenUDP(t)
	rcv := &datagram.Receiver{}
	errc := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { errc <- rcv.Serve(ctx, conn) }()
	// Somebody else closes Serve's socket, while it reads or just before;
	// ctx is not done, so this is no shutdown.
	conn.Close()
	select {
	case err := <-errc:
		switch {
		case err == nil:
			t.Errorf("Serve returned nil after its socket was closed by somebody else while ctx was not done; want the read error, wrapped as \"receive: <error>\": only a shutdown returns nil")
		case !errors.Is(err, net.ErrClosed) || !strings.Contains(err.Error(), "receive: "):
			t.Errorf("Serve returned %q after its socket was closed under it; want the read error wrapped as \"receive: <error>\" (errors.Is net.ErrClosed)", err)
		}
	case <-time.After(ioWait):
		cancel()
		<-errc
		t.Fatalf("Serve had not returned %v after its socket was closed by somebody else; want it to return the read error at once, not to read on", ioWait)
	}
}

// TestHandleOneAtATime runs Handle slowly on the first datagram of each of
// two rounds, a truncated one and then a whole one: while it runs, Serve
// must not call it again, and the datagrams that arrive meanwhile come next,
// in order.
func TestHandleOneAtATime(t *testing.T) {
	labtest.NoLeaks(t)
	release := make(chan struct{}, 1)
	entered := make(chan string, 10)
	calls := 0
	rcv := &datagram.Receiver{BufferSize: 64, Handle: func(d datagram.Datagram, err error) {
		calls++ // Handle's own state: a data race if Handle is called concurrently
		p := string(d.Payload)
		if err != nil {
			p = "(truncated)"
		}
		entered <- p
		if calls == 1 || calls == 4 { // the first of each round
			select {
			case <-release:
			case <-time.After(3 * ioWait):
			}
		}
	}}
	conn := listenUDP(t)
	stop := labtest.Background(t, func(ctx context.Context) error { return rcv.Serve(ctx, conn) })
	s := dialUDP(t, conn.LocalAddr().String())
	next := func() (string, bool) {
		select {
		case p := <-entered:
			return p, true
		case <-time.After(ioWait):
			return "", false
		}
	}
	for _, round := range [][]string{{"(truncated)", "second", "third"}, {"fourth", "fifth", "sixth"}} {
		first := []byte(round[0])
		if round[0] == "(truncated)" {
			first = pattern(100)
		}
		write(t, s, first)
		if _, ok := next(); !ok {
			release <- struct{}{}
			t.Fatalf("Handle was not called within %v for a datagram", ioWait)
		}
		write(t, s, []byte(round[1]))
		write(t, s, []byte(round[2]))
		// A quiet period: Handle is still running, so Serve must not call it.
		select {
		case p := <-entered:
			release <- struct{}{}
			t.Fatalf("Handle was called for %q while it was still running for %q; want one call at a time, from Serve's goroutine: Serve reads the next datagram only after Handle has returned, truncated or not", p, round[0])
		case <-time.After(300 * time.Millisecond):
		}
		release <- struct{}{}
		var order []string
		for len(order) < 2 {
			p, ok := next()
			if !ok {
				t.Fatalf("after Handle returned for %q, it was called for %q only; want %q then %q", round[0], order, round[1], round[2])
			}
			order = append(order, p)
		}
		if order[0] != round[1] || order[1] != round[2] {
			t.Errorf("Handle was called for %q; want %q then %q, in the order received", order, round[1], round[2])
		}
	}
	stop() // what Serve returns then is TestServeShutdown's business
}

// TestEchoFirst: the echo goes out before Handle is called, once per
// datagram. (No echo for a truncated datagram is TestTruncated's.)
func TestEchoFirst(t *testing.T) {
	labtest.NoLeaks(t)
	t.Run("before Handle", func(t *testing.T) {
		echoed := make(chan struct{})
		conn := listenUDP(t)
		waited := make(chan bool, 1)
		rcv := &datagram.Receiver{Echo: true, Handle: func(d datagram.Datagram, err error) {
			// Handle holds on until the sender has its echo (or gives up).
			select {
			case <-echoed:
				waited <- true
			case <-time.After(ioWait):
				waited <- false
			}
		}}
		labtest.Background(t, func(ctx context.Context) error { return rcv.Serve(ctx, conn) })
		s := dialUDP(t, conn.LocalAddr().String())
		write(t, s, []byte("echo me first"))
		got, _, err := readDatagram(s, ioWait)
		close(echoed)
		if err != nil || string(got) != "echo me first" {
			t.Fatalf("while Handle ran for %q, the sender got %s, %v; want its echo already: with Echo, the datagram goes back to its sender before Handle is called", "echo me first", show(got), err)
		}
		if !<-waited {
			t.Fatalf("Handle was called only after the echo had been waited for")
		}
		// One datagram, one echo: nothing more comes back.
		if got, _, err := readDatagram(s, 200*time.Millisecond); err == nil {
			t.Errorf("after the echo, the sender got another datagram, %s; want exactly one echo per datagram", show(got))
		}
	})
}

// TestEchoNilHandle: Handle may be nil; an echo receiver then only echoes.
func TestEchoNilHandle(t *testing.T) {
	labtest.NoLeaks(t)
	conn := listenUDP(t)
	rcv := &datagram.Receiver{Echo: true}
	labtest.Background(t, func(ctx context.Context) error { return rcv.Serve(ctx, conn) })
	s := dialUDP(t, conn.LocalAddr().String())
	for _, p := range []string{"one", "two"} {
		write(t, s, []byte(p))
		if got, _, err := readDatagram(s, ioWait); err != nil || string(got) != p {
			t.Fatalf("an echo receiver with a nil Handle sent back %s, %v for %q; want it unchanged (Handle nil means: report nothing, and go on)", show(got), err, p)
		}
	}
}

// TestBufferSize: a negative BufferSize means MaxPayload, as zero does: the
// same datagrams get the same outcome. (Whether that outcome is right is
// TestMaxPayload's and TestTruncated's business.)
func TestBufferSize(t *testing.T) {
	labtest.NoLeaks(t)
	outcome := func(size int) []record {
		addr, rec, _ := serve(t, &datagram.Receiver{BufferSize: size})
		s := dialUDP(t, addr)
		write(t, s, pattern(datagram.MaxPayload))
		write(t, s, pattern(2000))
		return rec.wait(t, 2, fmt.Sprintf("two datagrams, BufferSize %d", size))
	}
	describe := func(rs []record) string {
		var outcomes []string // in any order: the order of Handle's calls is TestHandleOneAtATime's business
		for _, r := range rs {
			outcomes = append(outcomes, fmt.Sprintf("[%d bytes, truncated %v]", len(r.d.Payload), errors.Is(r.err, datagram.ErrTruncated)))
		}
		slices.Sort(outcomes)
		return strings.Join(outcomes, " ")
	}
	zero := describe(outcome(0))
	for _, size := range []int{-1, -datagram.MaxPayload} {
		if got := describe(outcome(size)); got != zero {
			t.Errorf("datagrams of %d and 2000 bytes: with BufferSize %d Handle got %s; with BufferSize 0, %s: want the same, since zero or less means MaxPayload", datagram.MaxPayload, size, got, zero)
		}
	}
}
