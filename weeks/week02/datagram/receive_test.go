package datagram_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/datagram"
)

// ---- Receive and Receiver.Serve, tested with raw UDP senders ----

func TestReceive(t *testing.T) {
	labtest.NoLeaks(t)
	rcv := listenUDP(t)
	addr := rcv.LocalAddr().String()
	alice, bob := dialUDP(t, addr), dialUDP(t, addr)
	random := make([]byte, 1400)
	rng := labtest.Rand(t)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	tests := []struct {
		name    string
		from    *net.UDPConn
		payload []byte
	}{
		{"text", alice, []byte("hello, UDP")},
		{"another sender", bob, []byte("bob here")},
		{"ends with a newline", alice, []byte("one line\n")},
		{"binary", bob, []byte{0, 1, 2, 0xff, '\n', 0, 0}},
		{"utf-8", alice, []byte("grüße, 世界 ✓")},
		{"1400 random bytes", bob, random},
	}
	buf := make([]byte, datagram.MaxPayload)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := tt.from.LocalAddr().String()
			write(t, tt.from, tt.payload)
			rcv.SetReadDeadline(time.Now().Add(ioWait))
			var d datagram.Datagram
			var err error
			within(t, ioWait+time.Second, "Receive", func() { d, err = datagram.Receive(rcv, buf) })
			switch {
			case err != nil:
				t.Fatalf("%s sent %s: Receive = %v; want the datagram", from, show(tt.payload), err)
			case !bytes.Equal(d.Payload, tt.payload):
				t.Errorf("%s sent %s: Receive returned the payload %s; want every byte as sent, nothing added or removed", from, show(tt.payload), show(d.Payload))
			case d.From == nil || d.From.String() != from:
				t.Errorf("%s sent a datagram: Receive returned From = %v; want the sender's address %s", from, d.From, from)
			}
		})
	}
}

func TestEmptyDatagram(t *testing.T) {
	labtest.NoLeaks(t)
	t.Run("Receive", func(t *testing.T) {
		rcv := listenUDP(t)
		s := dialUDP(t, rcv.LocalAddr().String())
		write(t, s, nil)
		rcv.SetReadDeadline(time.Now().Add(ioWait))
		var d datagram.Datagram
		var err error
		within(t, ioWait+time.Second, "Receive", func() { d, err = datagram.Receive(rcv, make([]byte, 64)) })
		from := s.LocalAddr().String()
		switch {
		case err != nil:
			t.Errorf("%s sent an empty datagram: Receive = %v; want a datagram with an empty payload and a nil error", from, err)
		case len(d.Payload) != 0:
			t.Errorf("%s sent an empty datagram: Receive returned the payload %s; want it empty", from, show(d.Payload))
		case d.From == nil || d.From.String() != from:
			t.Errorf("%s sent an empty datagram: Receive returned From = %v; want %s", from, d.From, from)
		}
	})
	t.Run("Serve", func(t *testing.T) {
		addr, rec, _ := serve(t, &datagram.Receiver{})
		s := dialUDP(t, addr)
		from := s.LocalAddr().String()
		write(t, s, nil)
		got := rec.wait(t, 1, "an empty datagram is a datagram")
		if r := got[0]; r.err != nil || len(r.d.Payload) != 0 || r.d.From == nil || r.d.From.String() != from {
			t.Fatalf("%s sent an empty datagram: Handle(%v, %s, %v); want Handle(%s, empty payload, nil)", from, r.d.From, show(r.d.Payload), r.err, from)
		}
		write(t, s, []byte("after"))
		got = rec.wait(t, 2, "a datagram after the empty one")
		if r := got[1]; r.err != nil || string(r.d.Payload) != "after" {
			t.Errorf("after the empty datagram, %s sent %q: Handle got %s, %v", from, "after", show(r.d.Payload), r.err)
		}
	})
}

func TestBoundaries(t *testing.T) {
	labtest.NoLeaks(t)
	addr, rec, _ := serve(t, &datagram.Receiver{})
	s := dialUDP(t, addr)
	rng := labtest.Rand(t)
	const n = 40
	sent := map[string]int{} // payload -> its number
	var order []string
	for i := range n {
		head := fmt.Sprintf("#%d:", i)
		body := make([]byte, rng.IntN(1400))
		for j := range body {
			body[j] = "abcdefghijklmnopqrstuvwxyz  "[rng.IntN(28)]
		}
		p := head + string(body) + "."
		sent[p] = i
		order = append(order, p)
	}
	// Back to back, as fast as the test can write: UDP keeps every one of
	// them apart, whatever their sizes.
	for _, p := range order {
		write(t, s, []byte(p))
	}
	got := rec.wait(t, n, fmt.Sprintf("%d datagrams sent back to back", n))

	seen := map[int]bool{}
	wrong := 0
	for k, r := range got {
		i, ok := sent[string(r.d.Payload)]
		var complaint string
		switch {
		case r.err != nil:
			complaint = fmt.Sprintf("call %d of Handle got the error %v", k+1, r.err)
		case !ok:
			complaint = fmt.Sprintf("Handle got %s, which was never sent as one datagram: each datagram must be reported whole, as sent; and Handle may keep d.Payload, so it must not share memory with the next read", show(r.d.Payload))
		case seen[i]:
			complaint = fmt.Sprintf("datagram #%d (%d bytes) was reported twice", i, len(r.d.Payload))
		}
		seen[i] = true
		if complaint != "" {
			if wrong++; wrong <= 3 {
				t.Error(complaint)
			}
		}
	}
	if wrong > 0 {
		t.Errorf("%d of the %d calls of Handle were wrong; the test sent %d datagrams of 4 to 1404 bytes", wrong, len(got), n)
	}
}

func TestEcho(t *testing.T) {
	labtest.NoLeaks(t)
	addr, rec, _ := serve(t, &datagram.Receiver{Echo: true})
	// Connected sockets: they receive datagrams from addr only.
	alice, bob := dialUDP(t, addr), dialUDP(t, addr)
	steps := []struct {
		who     string
		c       *net.UDPConn
		payload string
	}{
		{"alice", alice, "from alice, first"},
		{"bob", bob, "from bob"},
		{"alice", alice, "from alice, second"},
	}
	for _, st := range steps {
		write(t, st.c, []byte(st.payload))
		got, _, err := readDatagram(st.c, ioWait)
		switch {
		case err != nil:
			t.Fatalf("%s (%s) sent %q to an echo receiver: no echo came back (%v); want the datagram sent back to its sender's address", st.who, st.c.LocalAddr(), st.payload, err)
		case string(got) != st.payload:
			t.Fatalf("%s sent %q to an echo receiver: it got back %s; want its own datagram, unchanged", st.who, st.payload, show(got))
		}
	}
	rec.wait(t, len(steps), "echo mode reports every datagram too")

	t.Run("echo off", func(t *testing.T) {
		addr, rec, _ := serve(t, &datagram.Receiver{})
		c := dialUDP(t, addr)
		write(t, c, []byte("anybody?"))
		rec.wait(t, 1, "the datagram reported")
		// An echo would have been sent before Handle was called.
		if got, _, err := readDatagram(c, 200*time.Millisecond); err == nil {
			t.Errorf("a receiver with Echo false sent back %s; want no answer", show(got))
		}
	})
}

func TestServeShutdown(t *testing.T) {
	labtest.NoLeaks(t)
	addr, rec, stop := serve(t, &datagram.Receiver{})
	write(t, dialUDP(t, addr), []byte("are you there?"))
	rec.wait(t, 1, "the receiver is running")

	start := time.Now()
	err := stop()
	elapsed := time.Since(start)
	switch {
	case errors.Is(err, labtest.ErrStuck):
		t.Fatalf("%v, while it waited for the next datagram", err)
	case err != nil:
		t.Errorf("Serve returned %v after its context was cancelled; want nil", err)
	case elapsed > 500*time.Millisecond:
		t.Errorf("Serve took %v to return after its context was cancelled; want it at once: close conn to end the read in progress", elapsed.Round(time.Millisecond))
	}
	t.Logf("Serve returned %v after cancel", elapsed.Round(time.Millisecond))

	// Serve owns conn: the port is free again as soon as Serve has returned.
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	again, err := net.ListenUDP("udp", ua)
	if err != nil {
		t.Fatalf("listen again on %s after Serve returned: %v\n(Serve must close conn before it returns)", addr, err)
	}
	again.Close()
}
