package multicast_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/multicast"
)

// The Member, tested with the tests' own sender (a plain UDP socket).

func TestReceive(t *testing.T) {
	ifi := isolated(t)
	rng := labtest.Rand(t)
	g := groups(t, rng, 1)[0]
	m := join(t, ifi, g, "member")
	src := source(t)
	from := src.LocalAddr().(*net.UDPAddr)

	random := make([]byte, multicast.MaxPayload)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	payloads := []struct {
		name    string
		payload []byte
	}{
		{"text", []byte("hello, group")},
		{"empty datagram", []byte{}},
		{"binary with newlines and zeros", []byte("a\x00b\nc\r\n\xff")},
		{"MaxPayload random bytes", random},
		{"after the big one", []byte("still there")},
	}
	var got []multicast.Message
	for _, p := range payloads {
		send(t, src, g, p.payload)
		got = append(got, wantMessage(t, m, p.name, p.payload, from))
	}
	// Each Message is the caller's: later Receives must not change it.
	for i, p := range payloads {
		if string(got[i].Payload) != string(p.payload) {
			t.Errorf("%s: after later Receives, the first Message's payload is %s, want %s (return a copy, not a slice of a buffer you reuse)",
				p.name, show(got[i].Payload), show(p.payload))
		}
	}
}

func TestTwoMembers(t *testing.T) {
	ifi := isolated(t)
	g := groups(t, labtest.Rand(t), 1)[0]
	m1 := join(t, ifi, g, "first member")
	m2 := join(t, ifi, g, "second member, same group and port")
	src := source(t)
	from := src.LocalAddr().(*net.UDPAddr)

	for i := 1; i <= 4; i++ {
		p := []byte(fmt.Sprintf("news %d for %v", i, g))
		send(t, src, g, p)
		wantMessage(t, m1, "first member", p, from)
		wantMessage(t, m2, "second member", p, from)
	}
	// One member going away changes nothing for the other.
	if err := m1.Close(); err != nil {
		t.Errorf("first member: Close = %v", err)
	}
	p := []byte("after the first member closed")
	send(t, src, g, p)
	wantMessage(t, m2, "second member, after the first closed", p, from)
}

func TestNonMember(t *testing.T) {
	ifi := isolated(t)
	gs := groups(t, labtest.Rand(t), 3)
	a := gs[0]
	b := &net.UDPAddr{IP: gs[1].IP, Port: a.Port} // another group, same port
	c := &net.UDPAddr{IP: a.IP, Port: gs[2].Port} // same group, another port
	members := []struct {
		addr *net.UDPAddr
		m    *multicast.Member
	}{{addr: a}, {addr: b}, {addr: c}}
	for i := range members {
		members[i].m = join(t, ifi, members[i].addr, fmt.Sprintf("member of %v", members[i].addr))
	}
	src := source(t)

	// Every datagram is sent before anything is read: the kernel delivers a
	// datagram to all the sockets that get it at once, so once a member's
	// queue has been quiet for a while, it holds all it will ever get.
	for _, mb := range members {
		send(t, src, mb.addr, []byte(fmt.Sprintf("sent to %v", mb.addr)))
	}
	for _, mb := range members {
		want := fmt.Sprintf("sent to %v", mb.addr)
		var got []string
		for wait := arrival; ; wait = quiet {
			msg, err := receive(mb.m, wait)
			if err != nil {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("member of %v: Receive = %v", mb.addr, err)
				}
				break
			}
			got = append(got, string(msg.Payload))
		}
		switch {
		case len(got) == 0:
			t.Errorf("member of %v received nothing, want %q", mb.addr, want)
		case len(got) > 1 || got[0] != want:
			t.Errorf("member of %v received %q, want only %q. It joined %v alone: a socket bound to 0.0.0.0 gets, on Linux, the datagrams of every group joined on its port anywhere on the host, unless IP_MULTICAST_ALL is 0",
				mb.addr, got, want, mb.addr)
		}
	}
}

func TestLeave(t *testing.T) {
	ifi := isolated(t)
	gs := groups(t, labtest.Rand(t), 2)
	g, other := gs[0], gs[1]
	m := join(t, ifi, g, "member")
	witness := join(t, ifi, other, "witness in another group")
	src := source(t)
	from := src.LocalAddr().(*net.UDPAddr)

	send(t, src, g, []byte("before the leave"))
	wantMessage(t, m, "member, before leaving", []byte("before the leave"), from)

	if !slices.ContainsFunc(joinedGroups(t, ifi.Name), g.IP.Equal) {
		t.Errorf("after Join, the kernel does not list %v as joined on %s (/proc/net/igmp)", g.IP, ifi.Name)
	}
	if err := m.Leave(); err != nil {
		t.Fatalf("Leave = %v, want nil", err)
	}
	if slices.ContainsFunc(joinedGroups(t, ifi.Name), g.IP.Equal) {
		t.Errorf("after Leave, the kernel still lists %v as joined on %s (/proc/net/igmp), though no other socket joined it: Leave must drop the membership (IP_DROP_MEMBERSHIP)", g.IP, ifi.Name)
	}
	send(t, src, g, []byte("after the leave"))
	send(t, src, other, []byte("for the witness"))
	wantMessage(t, witness, "witness", []byte("for the witness"), from)
	msg, err := receive(m, quiet)
	switch {
	case err == nil:
		t.Errorf("after Leave, the member received %s; want nothing: it left %v", show(msg.Payload), g)
	case errors.Is(err, net.ErrClosed):
		t.Errorf("after Leave, Receive = %v; Leave must drop the membership and keep the socket open", err)
	case !errors.Is(err, context.DeadlineExceeded):
		t.Errorf("after Leave, Receive = %v; want nothing until its context ends (context.DeadlineExceeded)", err)
	}
	if err := m.Leave(); err != nil {
		t.Errorf("second Leave = %v, want nil (leaving a group already left does nothing)", err)
	}
	if err := m.Close(); err != nil {
		t.Errorf("Close after Leave = %v, want nil", err)
	}
	if err := m.Leave(); err != nil {
		t.Errorf("Leave after Close = %v, want nil", err)
	}
}

func TestReceiveStops(t *testing.T) {
	ifi := isolated(t)
	g := groups(t, labtest.Rand(t), 1)[0]
	m := join(t, ifi, g, "member")
	src := source(t)

	t.Run("context already cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := receiveCtx(ctx, m); !errors.Is(err, context.Canceled) {
			t.Errorf("Receive with a cancelled context = %v, want context.Canceled", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		start := time.Now()
		_, err := receive(m, 100*time.Millisecond)
		elapsed := time.Since(start)
		switch {
		case !errors.Is(err, context.DeadlineExceeded):
			t.Errorf("Receive with nothing to read and a 100ms context = %v, want context.DeadlineExceeded", err)
		case elapsed > time.Second:
			t.Errorf("Receive returned %v after its 100ms context ended", (elapsed - 100*time.Millisecond).Round(time.Millisecond))
		}
	})
	t.Run("cancel while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		if _, err := receiveCtx(ctx, m); !errors.Is(err, context.Canceled) {
			t.Errorf("Receive whose context is cancelled while it waits = %v, want context.Canceled", err)
		}
	})
	t.Run("next Receive still works", func(t *testing.T) {
		p := []byte("after three Receives that ended early")
		send(t, src, g, p)
		wantMessage(t, m, "member", p, src.LocalAddr().(*net.UDPAddr))
	})
	t.Run("Close", func(t *testing.T) {
		errc := make(chan error, 1)
		go func() {
			_, err := m.Receive(context.Background())
			errc <- err
		}()
		time.Sleep(50 * time.Millisecond) // let Receive block: part of the scenario
		if err := m.Close(); err != nil {
			t.Errorf("Close = %v, want nil", err)
		}
		select {
		case err := <-errc:
			if !errors.Is(err, net.ErrClosed) {
				t.Errorf("Receive blocked when the Member was closed = %v, want an error wrapping net.ErrClosed", err)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("Receive still blocked 2s after Close")
		}
	})
}
