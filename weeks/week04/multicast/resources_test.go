package multicast_test

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
	"netlabs/weeks/week04/multicast"
)

// Refusals, descriptors, and calls from several goroutines at once.

func TestRefuse(t *testing.T) {
	ifi := isolated(t)
	good := groups(t, labtest.Rand(t), 1)[0]
	bad := []*net.UDPAddr{
		{IP: net.IPv4(224, 0, 0, 251).To4(), Port: good.Port}, // mDNS, 4-byte form
		{IP: net.ParseIP("224.0.0.1"), Port: good.Port},       // all hosts, 16-byte form
		{IP: net.ParseIP("238.255.255.255"), Port: good.Port},
		{IP: net.ParseIP("240.0.0.1"), Port: good.Port},
		{IP: net.ParseIP("127.0.0.1"), Port: good.Port},
		{IP: net.ParseIP("ff05::1:3"), Port: good.Port},
		nil,
	}
	// An interface that does not exist: no address, no index the kernel knows.
	ghost := &net.Interface{Index: 999999, Name: "ghost0", Flags: net.FlagUp | net.FlagMulticast}
	refuseAll := func() {
		for _, g := range bad {
			m, err := multicast.Join(ifi, g)
			if m != nil || !errors.Is(err, multicast.ErrNotAdminScoped) {
				t.Errorf("Join(%s, %v) = %v, %v; want nil and an error wrapping ErrNotAdminScoped", ifi.Name, g, m, err)
			}
			s, err := multicast.Dial(ifi, g)
			if s != nil || !errors.Is(err, multicast.ErrNotAdminScoped) {
				t.Errorf("Dial(%s, %v) = %v, %v; want nil and an error wrapping ErrNotAdminScoped", ifi.Name, g, s, err)
			}
		}
		m, err := multicast.Join(ghost, good)
		if m != nil || err == nil || !strings.Contains(err.Error(), good.IP.String()) {
			t.Errorf("Join(%s, %v) = %v, %v; want nil and an error that names the group: the interface does not exist", ghost.Name, good, m, err)
		}
		s, err := multicast.Dial(ghost, good)
		if s != nil || err == nil || !strings.Contains(err.Error(), good.IP.String()) {
			t.Errorf("Dial(%s, %v) = %v, %v; want nil and an error that names the group: the interface does not exist", ghost.Name, good, s, err)
		}
	}
	refuseAll()
	if t.Failed() {
		return
	}
	labtest.NoFDLeak(t, 10, "Join and Dial that fail", refuseAll)

	// A port that a socket without SO_REUSEADDR holds: the bind fails.
	busy, err := net.ListenUDP("udp4", &net.UDPAddr{Port: freePort(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	g := &net.UDPAddr{IP: good.IP, Port: busy.LocalAddr().(*net.UDPAddr).Port}
	if m, err := multicast.Join(ifi, g); m != nil || err == nil || !strings.Contains(err.Error(), good.IP.String()) {
		if m != nil {
			m.Close()
		}
		t.Errorf("Join(%s, %v) on a port held without SO_REUSEADDR = %v, %v; want nil and an error that names the group", ifi.Name, g, m, err)
	}
}

func TestDescriptors(t *testing.T) {
	ifi := isolated(t)
	g := groups(t, labtest.Rand(t), 1)[0]
	src := source(t)
	i := 0
	labtest.NoFDLeak(t, 10, "Join, Receive, Leave and Close", func() {
		i++
		m, err := multicast.Join(ifi, g)
		if err != nil {
			t.Fatalf("Join(%s, %v) = %v", ifi.Name, g, err)
		}
		defer m.Close()
		p := []byte(fmt.Sprintf("round %d", i))
		send(t, src, g, p)
		wantMessage(t, m, "member", p, nil)
		m.Leave()
		m.Close()
	})
	p := probe(t, ifi, g)
	labtest.NoFDLeak(t, 10, "Dial, Send, SetTTL, TTL and Close", func() {
		s, err := multicast.Dial(ifi, g)
		if err != nil {
			t.Fatalf("Dial(%s, %v) = %v", ifi.Name, g, err)
		}
		defer s.Close()
		if err := s.SetTTL(1); err != nil {
			t.Errorf("SetTTL(1) = %v", err)
		}
		if _, err := s.TTL(); err != nil {
			t.Errorf("TTL() = %v", err)
		}
		if err := s.Send([]byte("counted")); err != nil {
			t.Errorf("Send = %v", err)
		}
		wantDatagram(t, p, "the group's member", []byte("counted"))
		s.Close()
	})
}

func TestConcurrent(t *testing.T) {
	ifi := isolated(t)
	g := groups(t, labtest.Rand(t), 1)[0]
	m := join(t, ifi, g, "member")
	s := dial(t, ifi, g)
	const senders, each = 4, 8

	// One goroutine receives, as the contract allows; the others send, set
	// and read the TTL, and ask for the group, all at once.
	got := make(chan string, senders*each)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			msg, err := m.Receive(ctx)
			if err != nil {
				return
			}
			got <- string(msg.Payload)
		}
	})
	var errs sync.Map
	var senderWG sync.WaitGroup
	for i := range senders {
		senderWG.Go(func() {
			for j := range each {
				if err := s.SetTTL(1); err != nil {
					errs.Store("SetTTL(1)", err)
				}
				if _, err := s.TTL(); err != nil {
					errs.Store("TTL()", err)
				}
				if err := s.Send([]byte(fmt.Sprintf("sender %d, datagram %d", i, j))); err != nil {
					errs.Store("Send", err)
				}
				if gr := m.Group(); gr == nil || !gr.IP.Equal(g.IP) || gr.Port != g.Port {
					errs.Store("Group()", fmt.Errorf("%v", gr))
				}
			}
		})
	}
	senderWG.Wait()
	seen := map[string]int{}
	deadline := time.After(arrival)
collect:
	for len(seen) < senders*each {
		select {
		case p := <-got:
			seen[p]++
		case <-deadline:
			break collect
		}
	}
	// Every datagram once, and nothing more.
	select {
	case p := <-got:
		seen[p]++
	case <-time.After(quiet):
	}
	// Leave from several goroutines at once, while Receive waits: what
	// they return is TestLeave's business, the race detector watches them.
	var leaveWG sync.WaitGroup
	for range 4 {
		leaveWG.Go(func() { m.Leave() })
	}
	leaveWG.Wait()
	cancel()
	wg.Wait()
	errs.Range(func(k, v any) bool {
		t.Errorf("%s from several goroutines at once = %v", k, v)
		return true
	})
	for i := range senders {
		for j := range each {
			p := fmt.Sprintf("sender %d, datagram %d", i, j)
			if seen[p] != 1 {
				t.Errorf("the member received %q %d times, want once: each Send is one datagram, also when goroutines send at once", p, seen[p])
			}
		}
	}
	if len(seen) > senders*each {
		t.Errorf("the member received %d different payloads, want %d", len(seen), senders*each)
	}
}
