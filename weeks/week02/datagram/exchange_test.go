package datagram_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/datagram"
)

// ---- Exchange's deadlines and cancellation, errors and resources ----

// muteServer is a fake server that reads requests and never answers. It
// returns its address and a function that stops it and returns every
// request it received.
func muteServer(t *testing.T) (addr string, first <-chan struct{}, requests func() [][]byte) {
	t.Helper()
	var got [][]byte
	arrived := make(chan struct{})
	addr, stop := fakeServer(t, func(c *net.UDPConn) {
		for {
			req, _, err := readDatagram(c, 3*time.Second)
			if err != nil {
				return
			}
			if got = append(got, req); len(got) == 1 {
				close(arrived)
			}
		}
	})
	return addr, arrived, func() [][]byte {
		stop() // got is the server goroutine's until it has returned
		return got
	}
}

// oneRequest fails the test unless the server got exactly one request,
// "hello?": Exchange sends one datagram, and no more.
func oneRequest(t *testing.T, requests [][]byte) {
	t.Helper()
	switch {
	case len(requests) == 0:
		t.Errorf("the server received no request")
	case len(requests) > 1 || string(requests[0]) != "hello?":
		t.Errorf("the server received %d datagrams, %q; want one, %q: Exchange sends one datagram and waits", len(requests), requests, "hello?")
	}
}

func TestExchangeDeadline(t *testing.T) {
	labtest.NoLeaks(t)
	t.Run("no deadline: DefaultExchangeTimeout", func(t *testing.T) {
		addr, _, requests := muteServer(t)
		var err error
		elapsed := within(t, datagram.DefaultExchangeTimeout+2*time.Second, "Exchange with a context that has no deadline",
			func() { _, err = datagram.Exchange(context.Background(), addr, []byte("hello?")) })
		// Which error it is (ErrNoReply) is TestExchangeNoReply's business.
		switch {
		case err == nil:
			t.Errorf("Exchange(context.Background()) with a mute server returned no error after %v; want it to give up after DefaultExchangeTimeout (%v)", elapsed.Round(time.Millisecond), datagram.DefaultExchangeTimeout)
		case elapsed < datagram.DefaultExchangeTimeout-50*time.Millisecond:
			t.Errorf("Exchange(context.Background()) gave up after %v; want it to wait DefaultExchangeTimeout (%v) when ctx has no deadline", elapsed.Round(time.Millisecond), datagram.DefaultExchangeTimeout)
		}
		oneRequest(t, requests())
	})
	t.Run("a deadline later than the default", func(t *testing.T) {
		const late = datagram.DefaultExchangeTimeout + 500*time.Millisecond
		c := listenUDP(t)
		c.SetDeadline(time.Now().Add(10 * time.Second))
		served := make(chan struct{})
		go func() {
			defer close(served)
			req, from, err := readDatagram(c, 10*time.Second)
			if err != nil {
				return
			}
			// A slow server: it answers after the default timeout has passed.
			time.Sleep(late)
			c.WriteToUDP(append([]byte("late: "), req...), from)
		}()
		t.Cleanup(func() { c.Close(); <-served })
		ctx := exactTimeout(t, late+3*time.Second)
		var got []byte
		var err error
		within(t, late+4*time.Second, "Exchange", func() { got, err = datagram.Exchange(ctx, c.LocalAddr().String(), []byte("hello?")) })
		// The reply's bytes are TestExchange's business: here, that one came.
		if err != nil || !bytes.HasPrefix(got, []byte("late: hello?")) {
			t.Errorf("Exchange with a deadline %v ahead, a server that answers after %v = %s, %v; want the reply: a deadline of ctx's later than DefaultExchangeTimeout is waited for in full", late+3*time.Second, late, show(got), err)
		}
	})
}

func TestExchangeCancel(t *testing.T) {
	labtest.NoLeaks(t)
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{"context.WithCancel, no deadline", func() (context.Context, context.CancelFunc) {
			return context.WithCancel(context.Background())
		}},
		{"cancelled long before its deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), time.Minute)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, first, requests := muteServer(t)
			ctx, cancel := tt.ctx()
			defer cancel()
			go func() {
				// Cancel once Exchange is surely waiting: its request has arrived.
				select {
				case <-first:
				case <-time.After(ioWait):
				}
				cancel()
			}()
			var err error
			within(t, ioWait+time.Second, "Exchange after its context was cancelled", func() { _, err = datagram.Exchange(ctx, addr, []byte("hello?")) })
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Exchange whose context was cancelled while it waited (%s): error %v; want one wrapping context.Canceled, at once: cancellation ends the wait even without a deadline (context.AfterFunc)", tt.name, err)
			}
			oneRequest(t, requests())
		})
	}
	t.Run("cancelled before the call", func(t *testing.T) {
		addr, _, _ := muteServer(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var err error
		within(t, time.Second, "Exchange with a cancelled context", func() { _, err = datagram.Exchange(ctx, addr, []byte("hello?")) })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Exchange with a context cancelled before the call: error %v; want one wrapping context.Canceled, at once", err)
		}
	})
}

func TestBadAddress(t *testing.T) {
	labtest.NoLeaks(t)
	// Addresses that cannot be resolved without asking anybody: net.Dial
	// refuses them at once.
	for _, addr := range []string{"127.0.0.1:65536", "127.0.0.1:99999", "127.0.0.1:-1", "127.0.0.1", ""} {
		t.Run("Send "+addr, func(t *testing.T) {
			var err error
			within(t, time.Second, "Send", func() { err = datagram.Send(addr, []byte("x")) })
			if ne := net.Error(nil); !errors.As(err, &ne) {
				t.Errorf("Send(%q) = %v; want the error of net.Dial (or of net.ResolveUDPAddr: a net.Error), as it is or wrapped with %%w: the address cannot be used and no datagram was sent. Fire and forget is about the answer, not about errors the sender itself hits", addr, err)
			}
		})
		t.Run("Exchange "+addr, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), ioWait)
			defer cancel()
			var err error
			within(t, time.Second, "Exchange", func() { _, err = datagram.Exchange(ctx, addr, []byte("x")) })
			if ne := net.Error(nil); !errors.As(err, &ne) {
				t.Errorf("Exchange(%q) = %v; want the error of the dialer (or of net.ResolveUDPAddr: a net.Error), as it is or wrapped with %%w, at once", addr, err)
			}
		})
	}
}

func TestNoFDLeak(t *testing.T) {
	labtest.NoLeaks(t)
	const n = 20
	t.Run("Send", func(t *testing.T) {
		addr := listenUDP(t).LocalAddr().String()
		labtest.NoFDLeak(t, n, "Send", func() { datagram.Send(addr, []byte("x")) })
	})
	t.Run("Send, nobody listens", func(t *testing.T) {
		addr := freeUDPAddr(t)
		labtest.NoFDLeak(t, n, "Send", func() { datagram.Send(addr, []byte("x")) })
	})
	t.Run("Exchange, answered", func(t *testing.T) {
		addr, _ := fakeServer(t, func(c *net.UDPConn) {
			for {
				req, from, err := readDatagram(c, 3*time.Second)
				if err != nil {
					return
				}
				c.WriteToUDP(req, from)
			}
		})
		labtest.NoFDLeak(t, n, "Exchange", func() {
			ctx, cancel := context.WithTimeout(context.Background(), ioWait)
			defer cancel()
			if _, err := datagram.Exchange(ctx, addr, []byte("ping")); err != nil {
				t.Fatalf("Exchange with an echo server = %v; this check needs Exchange to work first (see exchange)", err)
			}
		})
	})
	t.Run("Exchange, nobody listens", func(t *testing.T) {
		addr := freeUDPAddr(t)
		labtest.NoFDLeak(t, n, "Exchange", func() {
			// Short: an Exchange that misses the ICMP (no_reply's business)
			// waits for it.
			datagram.Exchange(exactTimeout(t, 200*time.Millisecond), addr, []byte("ping"))
		})
	})
	t.Run("Exchange, no reply", func(t *testing.T) {
		addr, _, _ := muteServer(t)
		// Few calls where each waits: a leak shows all the same, one per call,
		// and an Exchange that waits too long (that is no_reply's business)
		// does not make this check run out of time.
		labtest.NoFDLeak(t, 2, "Exchange", func() { datagram.Exchange(exactTimeout(t, 20*time.Millisecond), addr, []byte("ping")) })
	})
	t.Run("Exchange, cancelled", func(t *testing.T) {
		addr, _, _ := muteServer(t)
		labtest.NoFDLeak(t, 2, "Exchange", func() {
			// The deadline only bounds an Exchange that misses the cancellation.
			ctx, cancel := context.WithCancel(exactTimeout(t, 100*time.Millisecond))
			time.AfterFunc(10*time.Millisecond, cancel)
			datagram.Exchange(ctx, addr, []byte("ping"))
		})
	})
}
