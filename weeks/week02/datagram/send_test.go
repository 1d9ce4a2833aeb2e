package datagram_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/datagram"
)

// ---- Send and Exchange, tested with raw UDP sockets and fake servers ----

func TestSend(t *testing.T) {
	labtest.NoLeaks(t)
	raw := listenUDP(t)
	addr := raw.LocalAddr().String()
	random := make([]byte, 1400)
	rng := labtest.Rand(t)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	tests := []struct {
		name    string
		payload []byte
	}{
		{"text", []byte("hello, UDP")},
		{"spaces kept", []byte("  two spaces before, two after  ")},
		{"empty", []byte{}},
		{"newlines inside", []byte("two\nlines\n")},
		{"binary", []byte{0, 0xff, 0, '\n', 0}},
		{"1400 random bytes", random},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			within(t, ioWait, "Send", func() { err = datagram.Send(addr, tt.payload) })
			if err != nil {
				t.Fatalf("Send(%s, %s) = %v; want nil", addr, show(tt.payload), err)
			}
			got, from, err := readDatagram(raw, ioWait)
			switch {
			case err != nil:
				t.Fatalf("Send(%s, %s) returned nil, but no datagram arrived: %v", addr, show(tt.payload), err)
			case !bytes.Equal(got, tt.payload):
				t.Errorf("Send(%s, %s): the receiver got %s; want the payload exactly, in one datagram (no newline added: UDP keeps the boundaries)", addr, show(tt.payload), show(got))
			case !from.IP.IsLoopback():
				t.Errorf("the datagram came from %v, want a loopback address", from)
			}
		})
	}
	// One Send, one datagram: nothing more is waiting.
	write(t, dialUDP(t, addr), []byte("marker"))
	if got, _, err := readDatagram(raw, ioWait); err != nil || string(got) != "marker" {
		t.Errorf("after the test's Sends, the next datagram was %s (%v); want only the test's marker: one Send sends exactly one datagram", show(got), err)
	}
}

func TestSendFireAndForget(t *testing.T) {
	labtest.NoLeaks(t)
	const limit = 500 * time.Millisecond
	t.Run("receiver never answers", func(t *testing.T) {
		raw := listenUDP(t)
		var err error
		elapsed := within(t, ioWait, "Send", func() { err = datagram.Send(raw.LocalAddr().String(), []byte("fire")) })
		if err != nil {
			t.Fatalf("Send to a receiver = %v; want nil", err)
		}
		if elapsed > limit {
			t.Errorf("Send took %v; want it to return as soon as the datagram is sent: UDP has no acknowledgement to wait for", elapsed.Round(time.Millisecond))
		}
		if _, _, err := readDatagram(raw, ioWait); err != nil {
			t.Errorf("Send returned nil, but the receiver got nothing: %v", err)
		}
	})
	t.Run("nobody listens", func(t *testing.T) {
		addr := freeUDPAddr(t)
		for i := 1; i <= 3; i++ {
			var err error
			elapsed := within(t, ioWait, "Send", func() { err = datagram.Send(addr, []byte("forget")) })
			switch {
			case err != nil:
				t.Fatalf("Send %d to %s, where nobody listens = %v; want nil: a UDP sender cannot know whether anybody listens (fire and forget)", i, addr, err)
			case elapsed > limit:
				t.Fatalf("Send %d to %s took %v; want it to return at once, without waiting for an answer", i, addr, elapsed.Round(time.Millisecond))
			}
		}
	})
}

func TestExchange(t *testing.T) {
	labtest.NoLeaks(t)
	tests := []struct {
		name     string
		request  []byte
		reply    []byte
		stranger bool // a stranger writes to the client before the server answers
	}{
		{"echo", []byte("ping"), []byte("ping"), false},
		{"another reply", []byte("ping"), []byte("pong, with a newline\n"), false},
		{"empty request and reply", []byte{}, []byte{}, false},
		{"binary", []byte{0, '\n', 0xff}, []byte{0xff, 0, 0, '\n'}, false},
		{"a stranger answers first", []byte("who is there?"), []byte("the server"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requests := make(chan []byte, 1)
			addr, _ := fakeServer(t, func(c *net.UDPConn) {
				req, from, err := readDatagram(c, 3*time.Second)
				if err != nil {
					return
				}
				requests <- req
				if tt.stranger {
					if s, err := net.DialUDP("udp", nil, from); err == nil {
						s.Write([]byte("forged reply"))
						s.Close()
					}
				}
				c.WriteToUDP(tt.reply, from)
			})
			ctx, cancel := context.WithTimeout(context.Background(), ioWait)
			defer cancel()
			var got []byte
			var err error
			within(t, ioWait+time.Second, "Exchange", func() { got, err = datagram.Exchange(ctx, addr, tt.request) })
			switch {
			case err != nil:
				t.Fatalf("Exchange(%s) with a server that answers %s = %v", show(tt.request), show(tt.reply), err)
			case tt.stranger && string(got) == "forged reply":
				t.Errorf("Exchange returned %q, sent by another socket than the server; want only a datagram from the address it sent to (a connected socket: net.Dial \"udp\")", got)
			case !bytes.Equal(got, tt.reply):
				t.Errorf("Exchange(%s): the server answered %s, Exchange returned %s", show(tt.request), show(tt.reply), show(got))
			}
			select {
			case req := <-requests:
				if !bytes.Equal(req, tt.request) {
					t.Errorf("the server received %s; want the request %s exactly", show(req), show(tt.request))
				}
			default:
				t.Errorf("the server received no request")
			}
		})
	}
}

func TestExchangeNoReply(t *testing.T) {
	labtest.NoLeaks(t)
	t.Run("mute server", func(t *testing.T) {
		const timeout = 300 * time.Millisecond
		requests := make(chan []byte, 1)
		addr, _ := fakeServer(t, func(c *net.UDPConn) {
			if req, _, err := readDatagram(c, 3*time.Second); err == nil {
				requests <- req // and never answer; the socket stays open
			}
		})
		ctx := exactTimeout(t, timeout)
		var got []byte
		var err error
		elapsed := within(t, 3*time.Second, "Exchange", func() { got, err = datagram.Exchange(ctx, addr, []byte("hello?")) })
		switch {
		case err == nil:
			t.Errorf("Exchange = %s, nil; want an error, since the server never answered", show(got))
		case errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, datagram.ErrNoReply):
			t.Errorf("Exchange error = %v; want one wrapping ErrNoReply: when ctx's deadline passes, ctx.Err() is context.DeadlineExceeded, and that is \"no reply\", not a cancellation (only context.Canceled is)", err)
		case !errors.Is(err, datagram.ErrNoReply):
			t.Errorf("Exchange error = %v; want one wrapping ErrNoReply", err)
		case !strings.Contains(err.Error(), addr):
			t.Errorf("Exchange error = %q; want it to name the address %s", err, addr)
		case !namesDuration(err):
			t.Errorf("Exchange error = %q; want it to say how long Exchange waited (such as 300ms)", err)
		case elapsed < timeout-50*time.Millisecond:
			t.Errorf("Exchange gave up after %v; want it to wait for a reply until its context's deadline, %v", elapsed.Round(time.Millisecond), timeout)
		case elapsed > timeout+time.Second:
			t.Errorf("Exchange gave up after %v; want it to give up at its context's deadline, %v", elapsed.Round(time.Millisecond), timeout)
		}
		select {
		case req := <-requests:
			if string(req) != "hello?" {
				t.Errorf("the server received %s, want %q", show(req), "hello?")
			}
		case <-time.After(time.Second):
			t.Errorf("the server received no request")
		}
	})
	t.Run("nobody listens", func(t *testing.T) {
		addr := freeUDPAddr(t)
		ctx, cancel := context.WithTimeout(context.Background(), ioWait)
		defer cancel()
		var err error
		elapsed := within(t, ioWait+time.Second, "Exchange", func() { _, err = datagram.Exchange(ctx, addr, []byte("hello?")) })
		switch {
		case !errors.Is(err, syscall.ECONNREFUSED):
			t.Errorf("Exchange with %s, where nobody listens: error %v after %v; want the read's own error, matching syscall.ECONNREFUSED (a connected socket gets the ICMP \"port unreachable\")", addr, err, elapsed.Round(time.Millisecond))
		case elapsed > time.Second:
			t.Errorf("Exchange took %v to report %v; want it at once, not at the deadline (%v)", elapsed.Round(time.Millisecond), err, ioWait)
		}
	})
}

// namesDuration tells whether err's message holds a duration, such as 300ms,
// 0.3s or 1m2s.
func namesDuration(err error) bool {
	return regexp.MustCompile(`[0-9](ns|µs|us|ms|s|m|h)([^a-z]|$)`).MatchString(err.Error())
}
