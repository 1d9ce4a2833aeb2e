package classroom_test

import (
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/classroom"
)

// These tests need a second interface, which the test's namespace lacks:
// labtest.Link makes two hosts of their own, cabled by a veth pair, with
// addresses from TEST-NET-1 (192.0.2.0/24) that exist only there. The code
// under test runs on host (lo and veth0); the tests' own sockets play the
// other machine on the link, peer (veth1).

// multicastRoute is where a host sends the multicast that names no interface.
var multicastRoute = netip.MustParsePrefix("224.0.0.0/4")

func TestJoinInterface(t *testing.T) {
	isolated(t)
	host, peer := labtest.Link(t)
	host.Route(t, multicastRoute, host.Iface) // nil: the routing table says veth0
	lo, eth := host.Interface(t, "lo"), host.Interface(t, host.Iface)
	// A port each, so that no listener sees another's datagrams.
	ethPort, loPort, routePort := freePort(t), freePort(t), freePort(t)
	onEth := joinOn(t, host, "net101", ethPort, eth)
	joinOn(t, host, "math", loPort, lo)
	byRoute := joinOn(t, host, "physics-2a", routePort, nil)

	// Membership is per interface: the kernel lists where each group was joined.
	ethGroups, loGroups := host.Groups(t, eth.Name), host.Groups(t, "lo")
	for _, c := range []struct {
		class, how  string
		want, other []netip.Addr
		where       string
	}{
		{"net101", "Join(net101, port, " + eth.Name + ")", ethGroups, loGroups, eth.Name},
		{"math", "Join(math, port, lo)", loGroups, ethGroups, "lo"},
		{"physics-2a", "Join(physics-2a, port, nil), whose routing table sends 224.0.0.0/4 to " + eth.Name + ",", ethGroups, loGroups, eth.Name},
	} {
		g := group(t, c.class)
		if !slices.Contains(c.want, g) {
			t.Errorf("after %s the kernel does not list %v as joined on %s (/proc/net/igmp): join on the interface given (nil: the routing table's)", c.how, g, c.where)
		}
		if slices.Contains(c.other, g) {
			t.Errorf("after %s the kernel lists %v as joined on the other interface too (/proc/net/igmp)", c.how, g)
		}
	}

	// What the other machine sends arrives on veth0, for the listeners there.
	peerSender(t, peer, ethPort).send("net101", 1)
	expect(t, "listener joined on "+eth.Name, onEth, "net101", 1)
	peerSender(t, peer, routePort).send("physics-2a", 1)
	expect(t, "listener joined with a nil interface", byRoute, "physics-2a", 1)
}

func TestAnnounceRoute(t *testing.T) {
	isolated(t)
	host, peer := labtest.Link(t)
	host.Route(t, multicastRoute, host.Iface)
	port := freePort(t)
	c := peerCapture(t, peer, port, group(t, "net101"))

	tch := teacherOn(t, host, port)
	if n, err := tch.Announce("net101", "through the routing table"); err != nil || n != 1 {
		t.Fatalf("Announce(net101, ...) = %d, %v; want 1, nil", n, err)
	}
	c.expectPayload(group(t, "net101"), "ANN net101 1 through the routing table")
}

func TestAnnounceUnsent(t *testing.T) {
	isolated(t)
	host, peer := labtest.Link(t)
	port := freePort(t)
	c := peerCapture(t, peer, port, group(t, "net101"))
	tch := teacherOn(t, host, port)

	// No route for 224.0.0.0/4 yet: the datagram cannot be sent.
	for range 2 {
		n, err := tch.Announce("net101", "nowhere to go")
		if err == nil {
			t.Fatalf("Announce with no route to the group = %d, nil; want the socket's error (network is unreachable)", n)
		}
		if !strings.HasPrefix(err.Error(), "classroom: announce: ") {
			t.Errorf("Announce with no route to the group = %q; want it wrapped as \"classroom: announce: <error>\"", err)
		}
	}

	// Once there is a route, the first announcement sent is number 1.
	host.Route(t, multicastRoute, host.Iface)
	if n, err := tch.Announce("net101", "now it goes"); err != nil || n != 1 {
		t.Fatalf("Announce(net101, ...) after two failed sends = %d, %v; want 1, nil: a number is used only by an announcement sent", n, err)
	}
	c.expectPayload(group(t, "net101"), "ANN net101 1 now it goes")
}

// joinOn joins class on port and ifi, inside host.
func joinOn(t *testing.T, host *labtest.Host, class string, port int, ifi *net.Interface) *classroom.Listener {
	t.Helper()
	var l *classroom.Listener
	var err error
	host.Do(func() { l, err = classroom.Join(class, port, ifi) })
	name := "nil"
	if ifi != nil {
		name = ifi.Name
	}
	if err != nil || l == nil {
		t.Fatalf("Join(%q, %d, %s) = %v, %v; want a listener", class, port, name, l, err)
	}
	t.Cleanup(func() { l.Leave() })
	return l
}

// teacherOn starts a teacher inside host.
func teacherOn(t *testing.T, host *labtest.Host, port int) *classroom.Teacher {
	t.Helper()
	var tch *classroom.Teacher
	var err error
	host.Do(func() { tch, err = classroom.NewTeacher(port) })
	if err != nil || tch == nil {
		t.Fatalf("NewTeacher(%d) = %v, %v", port, tch, err)
	}
	t.Cleanup(func() { tch.Close() })
	return tch
}

// peerSender is the test playing teacher on the other machine.
func peerSender(t *testing.T, peer *labtest.Host, port int) *sender {
	t.Helper()
	var c *net.UDPConn
	var err error
	peer.Do(func() { c, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IP(peer.Addr.AsSlice())}) })
	if err != nil {
		t.Fatalf("sender on the other machine: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return &sender{t: t, conn: c, port: port}
}

// peerCapture is a capture on the other machine's end of the link.
func peerCapture(t *testing.T, peer *labtest.Host, port int, groups ...netip.Addr) *capture {
	t.Helper()
	ifi := peer.Interface(t, peer.Iface)
	var c *capture
	var err error
	peer.Do(func() { c, err = openCapture(t, ifi, port, groups...) })
	if err != nil {
		t.Fatalf("capture on the other machine: %v", err)
	}
	return c
}
