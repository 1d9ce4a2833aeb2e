package datagram_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/datagram"
)

// ---- How big a datagram may be ----

func TestTruncated(t *testing.T) {
	labtest.NoLeaks(t)
	const size = 16
	t.Run("Receive", func(t *testing.T) {
		rcv := listenUDP(t)
		s := dialUDP(t, rcv.LocalAddr().String())
		from := s.LocalAddr().String()
		buf := make([]byte, size)
		steps := []struct {
			name    string
			payload []byte
			cut     bool
		}{
			{"17 bytes", pattern(17), true},
			{"16 bytes", pattern(16), false},
			{"100 bytes", pattern(100), true},
			{"5 bytes (after the cut ones)", []byte("small"), false},
		}
		for _, st := range steps {
			write(t, s, st.payload)
			rcv.SetReadDeadline(time.Now().Add(ioWait))
			var d datagram.Datagram
			var err error
			within(t, ioWait+time.Second, "Receive", func() { d, err = datagram.Receive(rcv, buf) })
			what := "a datagram of " + st.name + " into a 16-byte buffer"
			switch {
			case st.cut && !errors.Is(err, datagram.ErrTruncated):
				t.Errorf("%s: Receive = %s, %v; want an error wrapping ErrTruncated, never a cut payload (ReadMsgUDP's flags hold syscall.MSG_TRUNC)", what, show(d.Payload), err)
			case st.cut && len(d.Payload) != 0:
				t.Errorf("%s: Receive returned the payload %s with its error; want no payload, since it is not the datagram that was sent", what, show(d.Payload))
			case st.cut && (d.From == nil || d.From.String() != from):
				t.Errorf("%s: Receive returned From = %v; want the sender's address %s, so the error can be traced", what, d.From, from)
			case st.cut && !namesSize(err, size, from):
				t.Errorf("%s: the error %q must name the sender (%s) and the buffer size (%d)", what, err, from, size)
			case !st.cut && (err != nil || !bytes.Equal(d.Payload, st.payload)):
				t.Errorf("%s: Receive = %s, %v; want the whole datagram and no error", what, show(d.Payload), err)
			}
		}
	})
	t.Run("Serve", func(t *testing.T) {
		addr, rec, _ := serve(t, &datagram.Receiver{BufferSize: size, Echo: true})
		s := dialUDP(t, addr)
		from := s.LocalAddr().String()
		write(t, s, pattern(40))
		r := rec.wait(t, 1, "a datagram longer than BufferSize is reported")[0]
		if !errors.Is(r.err, datagram.ErrTruncated) || len(r.d.Payload) != 0 || r.d.From == nil || r.d.From.String() != from {
			t.Fatalf("BufferSize 16, %s sent 40 bytes: Handle(%v, %s, %v); want Handle(%s, no payload, an error wrapping ErrTruncated)", from, r.d.From, show(r.d.Payload), r.err, from)
		}
		// In echo mode, an echo would have gone out before Handle was called.
		if got, _, err := readDatagram(s, 200*time.Millisecond); err == nil {
			t.Errorf("an echo receiver with BufferSize 16 sent back %s for a 40-byte datagram; want no echo for a truncated datagram", show(got))
		}
		write(t, s, []byte("fits"))
		r = rec.wait(t, 2, "the receiver goes on after a truncated datagram")[1]
		if r.err != nil || string(r.d.Payload) != "fits" {
			t.Errorf("after the truncated datagram, %s sent %q: Handle got %s, %v; want it whole", from, "fits", show(r.d.Payload), r.err)
		}
	})
}

// namesSize tells whether err's message holds the number size and the address from.
func namesSize(err error, size int, from string) bool {
	msg := err.Error()
	number := regexp.MustCompile(`(^|[^0-9])` + strconv.Itoa(size) + `([^0-9]|$)`)
	return number.MatchString(msg) && strings.Contains(msg, from)
}

func TestMaxPayload(t *testing.T) {
	labtest.NoLeaks(t)
	largest := pattern(datagram.MaxPayload)
	t.Run("Serve, default buffer", func(t *testing.T) {
		addr, rec, _ := serve(t, &datagram.Receiver{})
		write(t, dialUDP(t, addr), largest)
		r := rec.wait(t, 1, "a datagram of MaxPayload bytes")[0]
		if r.err != nil || !bytes.Equal(r.d.Payload, largest) {
			t.Errorf("BufferSize 0, a datagram of MaxPayload (65507) bytes: Handle got %s, %v; want it whole (the default buffer is MaxPayload bytes)", show(r.d.Payload), r.err)
		}
	})
	t.Run("Send", func(t *testing.T) {
		raw := listenUDP(t)
		var err error
		within(t, ioWait, "Send", func() { err = datagram.Send(raw.LocalAddr().String(), largest) })
		if err != nil {
			t.Fatalf("Send of MaxPayload (65507) bytes = %v; want nil", err)
		}
		if got, _, err := readDatagram(raw, ioWait); err != nil || !bytes.Equal(got, largest) {
			t.Errorf("Send of MaxPayload bytes: the receiver got %s, %v; want them all in one datagram", show(got), err)
		}
	})
	t.Run("Exchange", func(t *testing.T) {
		addr, _ := fakeServer(t, func(c *net.UDPConn) {
			if req, from, err := readDatagram(c, 3*time.Second); err == nil {
				c.WriteToUDP(req, from)
			}
		})
		ctx, cancel := context.WithTimeout(context.Background(), ioWait)
		defer cancel()
		var got []byte
		var err error
		within(t, ioWait+time.Second, "Exchange", func() { got, err = datagram.Exchange(ctx, addr, largest) })
		if err != nil || !bytes.Equal(got, largest) {
			t.Errorf("Exchange of MaxPayload bytes with an echo server = %s, %v; want the whole echo (read the reply into a buffer of MaxPayload bytes)", show(got), err)
		}
	})
}

func TestTooLarge(t *testing.T) {
	labtest.NoLeaks(t)
	over := pattern(datagram.MaxPayload + 1)
	tests := []struct {
		name string
		call func(addr string) error
	}{
		{"Send", func(addr string) error { return datagram.Send(addr, over) }},
		{"Exchange", func(addr string) error {
			ctx, cancel := context.WithTimeout(context.Background(), ioWait)
			defer cancel()
			_, err := datagram.Exchange(ctx, addr, over)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := listenUDP(t)
			addr := raw.LocalAddr().String()
			var err error
			elapsed := within(t, ioWait+time.Second, tt.name, func() { err = tt.call(addr) })
			switch {
			case !errors.Is(err, syscall.EMSGSIZE):
				t.Errorf("%s of MaxPayload+1 (65508) bytes: error %v; want one matching syscall.EMSGSIZE (message too long)", tt.name, err)
			case elapsed > time.Second:
				t.Errorf("%s of MaxPayload+1 bytes took %v to fail; want it refused at once", tt.name, elapsed.Round(time.Millisecond))
			}
			// Nothing may have been sent: not a cut datagram, not pieces.
			write(t, dialUDP(t, addr), []byte("marker"))
			for {
				got, _, err := readDatagram(raw, ioWait)
				if err != nil {
					t.Fatalf("the test's own marker datagram did not arrive: %v", err)
				}
				if string(got) == "marker" {
					break
				}
				t.Errorf("%s of MaxPayload+1 bytes sent a datagram of %d bytes; want nothing sent at all", tt.name, len(got))
			}
		})
	}
}
