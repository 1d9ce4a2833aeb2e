package labtest

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"netlabs/grader/sandbox"
)

// A Host is a network namespace of its own, made by Link inside the test's
// sandbox: a second machine, or the same machine with a second interface, for
// tests that must see which interface something happened on (a sandbox has
// only lo). It has lo, up, and one Ethernet interface, Iface, with the address
// Addr from 192.0.2.0/24 (TEST-NET-1, RFC 5737: routed nowhere), cabled to the
// other Host of its Link. It has no route but those of its addresses until
// the test adds one.
//
// Code whose result depends on the namespace it runs in (opening a socket,
// looking up an interface) must run inside Do; a socket opened there stays on
// the Host whichever goroutine uses it later.
type Host struct {
	ns    *sandbox.Netns
	Iface string     // the name of the interface cabled to the other host
	Addr  netip.Addr // Iface's IPv4 address
}

// The two ends of a Link.
var (
	hostAddr = netip.MustParsePrefix("192.0.2.1/24")
	peerAddr = netip.MustParsePrefix("192.0.2.2/24")
)

// Link makes two Hosts joined by a veth pair, host's "veth0" (192.0.2.1/24)
// and peer's "veth1" (192.0.2.2/24), and removes them when t ends. Whatever
// is sent out of one interface arrives on the other, broadcast and multicast
// included; nothing reaches the test's own namespace, nor leaves the sandbox.
// It skips t when no namespace can be made (outside a sandbox, as a rule).
func Link(t *testing.T) (host, peer *Host) {
	t.Helper()
	if !sandbox.InSandbox() {
		t.Skipf("needs a network namespace of its own to make a second interface in: %s", reason())
	}
	a, err := sandbox.NewNetns()
	if err != nil {
		t.Skipf("cannot make a host for the test: %v", err)
	}
	t.Cleanup(a.Close)
	b, err := sandbox.NewNetns()
	if err != nil {
		t.Fatalf("cannot make a second host for the test: %v", err)
	}
	t.Cleanup(b.Close)
	if err := sandbox.Veth(a, "veth0", hostAddr, b, "veth1", peerAddr); err != nil {
		t.Fatalf("cannot cable the test's hosts: %v", err)
	}
	host = &Host{ns: a, Iface: "veth0", Addr: hostAddr.Addr()}
	peer = &Host{ns: b, Iface: "veth1", Addr: peerAddr.Addr()}
	// The kernel turns a new link on a moment after both ends are up (its
	// link watch may take a second); until then the link drops what is sent.
	// So the link is ready once a datagram has crossed it both ways.
	if err := ping(host, peer); err != nil {
		t.Fatalf("the test's hosts: %v", err)
	}
	if err := ping(peer, host); err != nil {
		t.Fatalf("the test's hosts: %v", err)
	}
	return host, peer
}

// ping sends datagrams from a to b until one arrives, within linkTimeout.
func ping(a, b *Host) error {
	var src, dst *net.UDPConn
	var err error
	a.Do(func() { src, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IP(a.Addr.AsSlice())}) })
	if err != nil {
		return err
	}
	defer src.Close()
	b.Do(func() { dst, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IP(b.Addr.AsSlice())}) })
	if err != nil {
		return err
	}
	defer dst.Close()
	buf := make([]byte, 16)
	deadline := time.Now().Add(linkTimeout)
	for wait := time.Millisecond; time.Now().Before(deadline); wait = min(2*wait, 100*time.Millisecond) {
		if _, err := src.WriteToUDP([]byte("ping"), dst.LocalAddr().(*net.UDPAddr)); err != nil {
			return fmt.Errorf("link check: %w", err)
		}
		dst.SetReadDeadline(time.Now().Add(wait))
		if _, _, err := dst.ReadFromUDP(buf); err == nil {
			return nil
		}
	}
	return fmt.Errorf("nothing crossed the link from %v to %v within %v", a.Addr, b.Addr, linkTimeout)
}

// linkTimeout bounds the wait for a new link to carry traffic.
const linkTimeout = 10 * time.Second

// Do runs f inside the host, on a thread of its own, and returns when f has.
// f must not call Do of the same host, and must not call t.FailNow (Fatal):
// record what went wrong and fail after Do.
func (h *Host) Do(f func()) { h.ns.Do(f) }

// Interface returns the host's interface called name ("lo" or h.Iface), or
// fails t.
func (h *Host) Interface(t testing.TB, name string) *net.Interface {
	t.Helper()
	var ifi *net.Interface
	var err error
	h.Do(func() { ifi, err = net.InterfaceByName(name) })
	if err != nil {
		t.Fatalf("host %v: interface %s: %v", h.Addr, name, err)
	}
	return ifi
}

// Route routes dst through the host's interface ifname ("ip route add DST dev
// IFNAME"), or fails t: Route(t, 224.0.0.0/4, "lo") sends the multicast that
// names no interface out of lo.
func (h *Host) Route(t testing.TB, dst netip.Prefix, ifname string) {
	t.Helper()
	if err := h.ns.AddRoute(dst, ifname); err != nil {
		t.Fatalf("host %v: %v", h.Addr, err)
	}
}

// Groups lists the IPv4 multicast groups that the host has joined on its
// interface ifname, as Groups does for the test's own namespace.
func (h *Host) Groups(t testing.TB, ifname string) []netip.Addr {
	t.Helper()
	var groups []netip.Addr
	var err error
	h.Do(func() { groups, err = readIGMP("/proc/thread-self/net/igmp", ifname) })
	if err != nil {
		t.Fatalf("host %v: %v", h.Addr, err)
	}
	return groups
}

// Groups lists the IPv4 multicast groups that the test's namespace has joined
// on its interface ifname, each once however many sockets joined it, as the
// kernel shows them in /proc/net/igmp; or fails t. This is where a membership
// shows whichever socket made it.
func Groups(t testing.TB, ifname string) []netip.Addr {
	t.Helper()
	// This thread's namespace: the process's (/proc/self) may be another if
	// the main thread ever entered one.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	groups, err := readIGMP("/proc/thread-self/net/igmp", ifname)
	if err != nil {
		t.Fatal(err)
	}
	return groups
}

// readIGMP reads the groups of ifname from the igmp file at path.
func readIGMP(path, ifname string) ([]netip.Addr, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the kernel's group list: %w", err)
	}
	groups, err := parseIGMP(string(text), ifname)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return groups, nil
}

// parseIGMP reads the groups of the interface ifname from the text of
// /proc/net/igmp: a line per interface ("1\tlo        :     1      V3"),
// followed by a tab-indented line per group, the address in hexadecimal as a
// number in the host's byte order.
func parseIGMP(text, ifname string) ([]netip.Addr, error) {
	var groups []netip.Addr
	current := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		switch {
		case len(fields) < 2 || fields[0] == "Idx":
		case !strings.HasPrefix(line, "\t"):
			current = fields[1]
		case current == ifname:
			b, err := hex.DecodeString(fields[0])
			if err != nil || len(b) != 4 {
				return nil, fmt.Errorf("unexpected line %q", line)
			}
			var a [4]byte
			binary.BigEndian.PutUint32(a[:], binary.NativeEndian.Uint32(b))
			groups = append(groups, netip.AddrFrom4(a))
		}
	}
	return groups, nil
}
