package multicast_test

import (
	"net"
	"net/netip"
	"slices"
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/multicast"
)

// These tests need a second interface, which the test's namespace lacks:
// labtest.Link makes two hosts of their own, cabled by a veth pair, with
// addresses from TEST-NET-1 (192.0.2.0/24) that exist only there. The code
// under test runs on host, which has lo and veth0; the tests' own sockets
// play the other machine on the link, peer (veth1).

// multicastRoute is where a host sends the multicast that names no interface.
var multicastRoute = netip.MustParsePrefix("224.0.0.0/4")

func TestJoinInterface(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	host, peer := labtest.Link(t)
	host.Route(t, multicastRoute, host.Iface) // nil: the routing table says veth0
	lo, eth := host.Interface(t, "lo"), host.Interface(t, host.Iface)
	gs := groups(t, labtest.Rand(t), 3)
	onEth := &net.UDPAddr{IP: gs[0].IP.To16(), Port: gs[0].Port} // net.ParseIP's 16-byte form
	onLo, byRoute := gs[1], gs[2]

	mEth := joinOn(t, host, eth, onEth)
	mLo := joinOn(t, host, lo, onLo)
	mRoute := joinOn(t, host, nil, byRoute)
	if g := mEth.Group(); g == nil || !g.IP.Equal(onEth.IP) || g.Port != onEth.Port {
		t.Errorf("Group() = %v, want %v: the group that was joined", g, onEth)
	}

	// Membership is per interface: the kernel lists where each group was joined.
	ethGroups, loGroups := host.Groups(t, eth.Name), host.Groups(t, "lo")
	for _, c := range []struct {
		g     *net.UDPAddr
		where string
		want  []netip.Addr
		other []netip.Addr
		how   string
	}{
		{onEth, eth.Name, ethGroups, loGroups, "Join(" + eth.Name + ", ...)"},
		{onLo, "lo", loGroups, ethGroups, "Join(lo, ...)"},
		{byRoute, eth.Name, ethGroups, loGroups, "Join(nil, ...), whose routing table sends 224.0.0.0/4 to " + eth.Name + ","},
	} {
		a := addrOf(c.g)
		if !slices.Contains(c.want, a) {
			t.Errorf("after %s the kernel does not list %v as joined on %s (/proc/net/igmp): join on the interface given (the IPMreq's Interface is its first IPv4 address)", c.how, a, c.where)
		}
		if slices.Contains(c.other, a) {
			t.Errorf("after %s the kernel lists %v as joined on the other interface too (/proc/net/igmp)", c.how, a)
		}
	}

	// What the other machine sends arrives on veth0: the members joined there
	// get it, the member joined on lo does not.
	src := peerSender(t, peer)
	from := src.LocalAddr().(*net.UDPAddr)
	send(t, src, onEth, []byte("to the member on veth0"))
	wantMessage(t, mEth, "member joined on "+eth.Name, []byte("to the member on veth0"), from)
	send(t, src, byRoute, []byte("to the member joined by route"))
	wantMessage(t, mRoute, "member joined with a nil interface", []byte("to the member joined by route"), from)
	send(t, src, onLo, []byte("arrives on veth0, joined on lo"))
	if msg, err := receive(mLo, quiet); err == nil {
		t.Errorf("the member joined on lo received %s, which arrived on %s: it should have joined on lo only", show(msg.Payload), eth.Name)
	}
}

func TestSendInterface(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	host, peer := labtest.Link(t)
	lo, eth := host.Interface(t, "lo"), host.Interface(t, host.Iface)
	g := groups(t, labtest.Rand(t), 1)[0]
	p := peerProbe(t, peer, g)
	want := &net.UDPAddr{IP: net.IP(host.Addr.AsSlice())}

	// The host has no multicast route yet: only the interface that Dial is
	// given can take the datagram out.
	s := dialOn(t, host, eth, &net.UDPAddr{IP: g.IP.To16(), Port: g.Port})
	if err := s.Send([]byte("out of veth0")); err != nil {
		t.Fatalf("Send through %s = %v, want nil", eth.Name, err)
	}
	dg := wantDatagram(t, p, "the other machine, after a Send through "+eth.Name, []byte("out of veth0"))
	if !dg.from.IP.Equal(want.IP) || dg.from.Port == 0 {
		t.Errorf("the datagram came from %v; want the first IPv4 address of %s, %v, and a port (bind the socket to it)", dg.from, eth.Name, want.IP)
	}

	// A Sender on lo sends on lo: nothing reaches the other machine.
	s = dialOn(t, host, lo, g)
	if err := s.Send([]byte("on lo")); err != nil {
		t.Fatalf("Send through lo = %v, want nil", err)
	}
	if dg, err := readProbe(p, quiet); err == nil {
		t.Errorf("a Sender dialled on lo sent %s out of %s (from %v): send through the interface given", show(dg.payload), eth.Name, dg.from)
	}

	// With no interface, the routing table decides: now veth0.
	host.Route(t, multicastRoute, eth.Name)
	s = dialOn(t, host, nil, g)
	if err := s.Send([]byte("by route")); err != nil {
		t.Fatalf("Send of a Sender dialled with a nil interface = %v, want nil", err)
	}
	wantDatagram(t, p, "the other machine, after a Send with a nil interface (the route says "+eth.Name+")", []byte("by route"))
}

// joinOn joins group on ifi, inside host.
func joinOn(t *testing.T, host *labtest.Host, ifi *net.Interface, group *net.UDPAddr) *multicast.Member {
	t.Helper()
	var m *multicast.Member
	var err error
	host.Do(func() { m, err = multicast.Join(ifi, group) })
	name := "nil"
	if ifi != nil {
		name = ifi.Name
	}
	if err != nil || m == nil {
		t.Fatalf("Join(%s, %v) = %v, %v; want a Member", name, group, m, err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// dialOn opens a Sender to group through ifi, inside host.
func dialOn(t *testing.T, host *labtest.Host, ifi *net.Interface, group *net.UDPAddr) *multicast.Sender {
	t.Helper()
	var s *multicast.Sender
	var err error
	host.Do(func() { s, err = multicast.Dial(ifi, group) })
	name := "nil"
	if ifi != nil {
		name = ifi.Name
	}
	if err != nil || s == nil {
		t.Fatalf("Dial(%s, %v) = %v, %v; want a Sender", name, group, s, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// peerSender is the other machine's sending socket, bound to its address.
func peerSender(t *testing.T, peer *labtest.Host) *net.UDPConn {
	t.Helper()
	var c *net.UDPConn
	var err error
	peer.Do(func() { c, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IP(peer.Addr.AsSlice())}) })
	if err != nil {
		t.Fatalf("test sender on the other machine: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// peerProbe is the other machine's member of group, on its end of the link.
func peerProbe(t *testing.T, peer *labtest.Host, group *net.UDPAddr) *net.UDPConn {
	t.Helper()
	ifi := peer.Interface(t, peer.Iface)
	var c *net.UDPConn
	var err error
	peer.Do(func() {
		if c, err = net.ListenMulticastUDP("udp4", ifi, group); err == nil {
			err = setRecvTTL(c)
		}
	})
	if err != nil {
		t.Fatalf("test receiver on the other machine: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// addrOf is group's address as a netip.Addr.
func addrOf(group *net.UDPAddr) netip.Addr {
	a, _ := netip.AddrFromSlice(group.IP.To4())
	return a
}
