// Package discovery is week 3's extra lab: a tool that finds the services
// offered on a local network. Nodes announce what they offer (a name, a kind
// and a port each); a scanner broadcasts one query, collects the nodes'
// unicast answers for a fixed time, and lists what it found, sorted and
// without duplicates.
//
// # Protocol
//
// Every message is one UDP datagram of ASCII text: fields separated by one
// space, no space at either end, no newline. A receiver ignores one "\n" at
// the very end, so that a message typed into nc works too.
//
//	scanner → broadcast address, port P    SEARCH <token> <kind>
//	node    → the query's source address   OFFER <token> <node> <service> <kind> <port>
//
// <token>, <node>, <service> and <kind> are words: 1 to MaxWord bytes, each a
// printable ASCII character other than space (0x21 to 0x7E), case-sensitive.
// In a query, the kind "*" asks for every kind; "*" is never the kind of a
// service. <port> is the port the service listens on: 1 to 65535 in decimal,
// digits only, no leading zero. Anything else (another verb, a missing or
// extra field, two spaces in a row, a "\r", a second line) is malformed. Every
// valid message fits in MaxDatagram bytes with room to spare.
//
// # Nodes
//
// A node listens on the discovery port P (DefaultPort unless told otherwise)
// on the wildcard address 0.0.0.0, so that it hears datagrams sent to a
// broadcast address; several nodes on one host share the port. For each valid
// query it sends one OFFER per service of the asked kind (every service for
// "*"), with the query's token, from its discovery socket to the address the
// query came from. When no service matches, it sends nothing. It never
// answers a malformed datagram: a responder that answers whatever reaches a
// broadcast address can be made to flood a victim.
//
// # Scans
//
// A scan sends one query with a fresh token to the broadcast address and port
// P (DefaultDest), then reads every datagram that reaches its socket until
// Scanner.Wait has passed since the query left: one deadline for the whole
// scan, not one per datagram. Each datagram is one of:
//
//   - malformed: not a valid OFFER. Ignored and counted.
//   - stray: a valid offer that does not answer this scan: its token is not
//     this scan's, or the scan asked for one kind and the offer is of another.
//     Ignored and counted.
//   - duplicate: its node has already offered a service of that name in this
//     scan (nodes may answer twice). The first offer stands; counted.
//   - found: any other offer. The service's address is the IP address the
//     offer came from, with the offered port.
//
// The scan lists what it found sorted by node name, then by service name
// (byte order). A node is listed only if it answered this scan, so a node
// that went away drops out of the next scan.
//
// # Broadcast, kept at home
//
// 127.255.255.255 is the broadcast address of the loopback network: datagrams
// sent there reach every socket of this host bound to the port, and nothing
// else. Never use 255.255.255.255 in this lab: it leaves through the default
// route onto a real network. The tests run in a network namespace of their
// own, in which lo is the only interface.
//
// # Programs
//
// The programs disco-node and disco-scan (weeks/week03/cmd) wrap Node and
// Scanner; cli.go parses their flags:
//
//	disco-node -name NAME [-port 7979] [-addrfile FILE] [-group ADDR] -service NAME:KIND:PORT...
//	disco-scan [-addr 127.255.255.255:7979] [-kind KIND] [-timeout 1s]
package discovery

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"syscall"
	"time"
)

// Protocol numbers and defaults.
const (
	// DefaultPort is the discovery port that nodes listen on.
	DefaultPort = 7979
	// DefaultDest is where a scan sends its query when Scanner.Dest is empty:
	// the loopback network's broadcast address and DefaultPort.
	DefaultDest = "127.255.255.255:7979"
	// DefaultWait is how long a scan collects offers when Scanner.Wait is zero.
	DefaultWait = time.Second
	// MaxWord is the longest word (token, node, service or kind), in bytes.
	MaxWord = 63
	// MaxDatagram is a read buffer that holds every valid message with room
	// to spare (the longest valid offer is 268 bytes).
	MaxDatagram = 512
)

var (
	// ErrNotImplemented is returned by the parts of the lab still to be written.
	ErrNotImplemented = errors.New("discovery: not implemented")
	// ErrMalformed is wrapped by the errors of ParseQuery and ParseOffer.
	ErrMalformed = errors.New("discovery: malformed message")
	// ErrInvalid is wrapped by the errors about names, kinds, ports and
	// addresses that a caller passed in.
	ErrInvalid = errors.New("discovery: invalid name, kind, port or address")
)

// Listen opens the UDP socket on which a node hears queries: IPv4, bound to
// the wildcard address 0.0.0.0 and port (0 picks a free port), with
// SO_REUSEADDR set before the bind, so that several nodes of one host can
// listen on the same port and each of them receives every datagram sent to a
// broadcast address on that port. A socket bound to 127.0.0.1 would not
// receive those. The caller owns the socket and closes it (Node.Serve does).
// A port outside 0 to 65535 returns an error wrapping ErrInvalid.
func Listen(port int) (*net.UDPConn, error) {
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("listen: port %d: %w", port, ErrInvalid)
	}
	lc := net.ListenConfig{Control: reuseAddr}
	pc, err := lc.ListenPacket(context.Background(), "udp4", net.JoinHostPort("0.0.0.0", strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	return pc.(*net.UDPConn), nil
}

// reuseAddr sets SO_REUSEADDR on a socket before it is bound.
func reuseAddr(network, address string, c syscall.RawConn) error {
	var serr error
	if err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	}); err != nil {
		return err
	}
	return serr
}

// ListenGroup is the bonus: the socket of a node that hears queries sent to
// a multicast group instead of a broadcast address. group is "IP:port" with an
// IPv4 multicast IP ("239.255.0.79:7979"); ListenGroup joins the group on
// the interface ifi (nil: the system's choice) and listens on the port, so
// that a scan whose Scanner.Dest is the group finds the node. Several nodes of
// one host may join the same group and port. Any group that is not an IPv4
// multicast address returns an error wrapping ErrInvalid. The caller owns the
// socket.
func ListenGroup(ifi *net.Interface, group string) (*net.UDPConn, error) {
	ga, err := net.ResolveUDPAddr("udp4", group)
	if err != nil {
		return nil, fmt.Errorf("listen group: %w", err)
	}
	if !ga.IP.IsMulticast() || ga.IP.To4() == nil {
		return nil, fmt.Errorf("listen group: %s is not an IPv4 multicast address: %w", ga.IP, ErrInvalid)
	}
	return net.ListenMulticastUDP("udp4", ifi, ga)
}

// Node answers the queries of scanners with its services. Set its fields
// before Serve and leave them alone afterwards.
type Node struct {
	// Name is the node's name, a word, unique on the network.
	Name string
	// Services are what the node offers; their names must differ.
	Services []Service
	// Logf, when not nil, is called once for every query the node answers,
	// as Logf("answered %s with %d offers (kind %s)", <querier's address>,
	// <number of offers sent>, <kind as on the wire>), and may be called for
	// other events (ignored datagrams, errors) in any words.
	Logf func(format string, args ...any)
}

// Serve answers the queries that arrive on conn, as the package
// documentation describes, until ctx is done. Serve owns conn: it closes
// conn before returning, whatever the reason.
//
// Before it reads anything, Serve checks the node: a Name that is not a word,
// a service whose name or kind is not a word, whose kind is "*" or whose port
// is out of range, or two services of the same name, return an error wrapping
// ErrInvalid at once. Malformed datagrams are ignored, never answered; Serve
// goes on reading. When ctx is done, Serve returns nil promptly, even while
// it waits for a datagram. It returns an error only when conn fails for
// another reason, wrapped as "read: <error>".
func (n *Node) Serve(ctx context.Context, conn net.PacketConn) error {
	defer conn.Close()
	if err := n.check(); err != nil {
		return err
	}
	// Closing conn is what wakes up a ReadFrom that waits when ctx is done.
	defer onDone(ctx, func() { conn.Close() })()

	buf := make([]byte, MaxDatagram)
	for {
		size, from, err := conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("read: %w", err)
		}
		q, err := ParseQuery(buf[:size])
		if err != nil {
			n.logf("ignored %d bytes from %s: %v", size, from, err)
			continue
		}
		n.answer(conn, from, q)
	}
}

// answer sends to the querier one offer per service of the asked kind.
func (n *Node) answer(conn net.PacketConn, to net.Addr, q Query) {
	sent := 0
	for _, s := range n.Services {
		if q.Kind != "" && s.Kind != q.Kind {
			continue
		}
		o := Offer{Token: q.Token, Node: n.Name, Service: s}
		if _, err := conn.WriteTo([]byte(o.String()), to); err != nil {
			n.logf("offer to %s: %v", to, err)
			return
		}
		sent++
	}
	if sent > 0 {
		n.logf("answered %s with %d offers (kind %s)", to, sent, cmp.Or(q.Kind, "*"))
	}
}

// check reports what makes the node unable to offer its services, or nil.
func (n *Node) check() error {
	if !validWord(n.Name) {
		return fmt.Errorf("node name %q: %w", n.Name, ErrInvalid)
	}
	seen := map[string]bool{}
	for _, s := range n.Services {
		if err := s.check(); err != nil {
			return fmt.Errorf("node %s: %w", n.Name, err)
		}
		if seen[s.Name] {
			return fmt.Errorf("node %s: two services named %s: %w", n.Name, s.Name, ErrInvalid)
		}
		seen[s.Name] = true
	}
	return nil
}

func (n *Node) logf(format string, args ...any) {
	if n.Logf != nil {
		n.Logf(format, args...)
	}
}

// Scanner finds the services on the network. It holds only settings, so one
// Scanner may run several scans, one after another or at the same time (on
// different sockets). The zero value scans DefaultDest for DefaultWait.
type Scanner struct {
	// Dest is where the query goes, "IP:port": the broadcast address and
	// the nodes' port. Empty means DefaultDest.
	Dest string
	// Wait is how long a scan collects offers after sending its query. Zero
	// or less means DefaultWait.
	Wait time.Duration
}

// Found is one service that a scan found.
type Found struct {
	// Node is the name of the node that offers the service.
	Node    string
	Service Service
	// Addr is where the service is: the IP address the offer came from, and
	// Service.Port.
	Addr netip.AddrPort
}

// Result is what one scan found, and what it ignored.
type Result struct {
	// Found lists the services found, sorted by Node, then by Service.Name.
	Found []Found
	// Malformed counts the datagrams that were not valid offers.
	Malformed int
	// Duplicates counts the offers of a service that its node had already
	// offered in this scan.
	Duplicates int
	// Stray counts the valid offers that did not answer this scan: another
	// scan's token, or a kind the scan did not ask for.
	Stray int
}

// Scan runs one scan from conn, as the package documentation describes: it
// sends one query for kind ("" or "*": every kind) with a fresh token to
// s.Dest, collects the offers that reach conn until s.Wait has passed, and
// returns them sorted with the counts of what it ignored. A network where
// nobody answers gives an empty Result and a nil error, after s.Wait.
//
// The caller owns conn, which Scan neither closes nor keeps: the next scan
// may use it again. Scan sets conn's read deadline and clears it before
// returning. conn must not be read by anyone else during the scan.
//
// When ctx ends before s.Wait has passed, Scan returns at once what it has
// found so far, with ctx.Err(). A kind that is not a word returns an error
// wrapping ErrInvalid, and an s.Dest that is not an IPv4 "IP:port" an error,
// both before sending anything; an error of conn is returned wrapped.
func (s *Scanner) Scan(ctx context.Context, conn net.PacketConn, kind string) (Result, error) {
	if kind == "*" {
		kind = ""
	}
	if kind != "" && !validWord(kind) {
		return Result{}, fmt.Errorf("scan: kind %q: %w", kind, ErrInvalid)
	}
	dest, err := net.ResolveUDPAddr("udp4", cmp.Or(s.Dest, DefaultDest))
	if err != nil {
		return Result{}, fmt.Errorf("scan: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	q := Query{Token: rand.Text(), Kind: kind}
	if _, err := conn.WriteTo([]byte(q.String()), dest); err != nil {
		return Result{}, fmt.Errorf("scan: send query: %w", err)
	}
	// One deadline for the whole scan; ctx ending moves it to now.
	if err := conn.SetReadDeadline(time.Now().Add(s.wait())); err != nil {
		return Result{}, fmt.Errorf("scan: %w", err)
	}
	defer conn.SetReadDeadline(time.Time{})
	defer onDone(ctx, func() { conn.SetReadDeadline(time.Now()) })()

	c := collector{query: q, seen: map[[2]string]bool{}}
	buf := make([]byte, MaxDatagram)
	for {
		size, from, err := conn.ReadFrom(buf)
		if err != nil {
			c.sort()
			switch {
			case ctx.Err() != nil:
				return c.res, ctx.Err()
			case errors.Is(err, os.ErrDeadlineExceeded):
				return c.res, nil
			}
			return c.res, fmt.Errorf("scan: read: %w", err)
		}
		c.add(buf[:size], from)
	}
}

func (s *Scanner) wait() time.Duration {
	if s.Wait <= 0 {
		return DefaultWait
	}
	return s.Wait
}

// collector sorts the datagrams of one scan into its Result.
type collector struct {
	query Query
	seen  map[[2]string]bool // node and service names already found
	res   Result
}

func (c *collector) add(b []byte, from net.Addr) {
	o, err := ParseOffer(b)
	if err != nil {
		c.res.Malformed++
		return
	}
	if o.Token != c.query.Token || c.query.Kind != "" && o.Service.Kind != c.query.Kind {
		c.res.Stray++
		return
	}
	key := [2]string{o.Node, o.Service.Name}
	if c.seen[key] {
		c.res.Duplicates++
		return
	}
	src, err := netip.ParseAddrPort(from.String())
	if err != nil {
		c.res.Malformed++ // not from an IP address: nothing to list
		return
	}
	c.seen[key] = true
	c.res.Found = append(c.res.Found, Found{
		Node:    o.Node,
		Service: o.Service,
		Addr:    netip.AddrPortFrom(src.Addr().Unmap(), uint16(o.Service.Port)),
	})
}

func (c *collector) sort() {
	slices.SortFunc(c.res.Found, func(a, b Found) int {
		return cmp.Or(cmp.Compare(a.Node, b.Node), cmp.Compare(a.Service.Name, b.Service.Name))
	})
}

// onDone calls f in a goroutine of its own once ctx is done. The stop
// function it returns cancels the call, or waits until f has returned if it
// has started: after stop, nothing onDone started is still running.
func onDone(ctx context.Context, f func()) (stop func()) {
	finished := make(chan struct{})
	cancel := context.AfterFunc(ctx, func() {
		defer close(finished)
		f()
	})
	return func() {
		if !cancel() {
			<-finished
		}
	}
}
