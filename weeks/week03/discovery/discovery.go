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
	"context"
	"errors"
	"net"
	"net/netip"
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
	// TODO(week03, step 2): open a socket that several nodes can share.
	//  1. Refuse a port outside 0 to 65535 (ErrInvalid).
	//  2. A net.ListenConfig whose Control function sets the option on the
	//     raw socket before the bind: syscall.RawConn's Control method gives
	//     you the file descriptor, syscall.SetsockoptInt sets
	//     syscall.SO_REUSEADDR (level syscall.SOL_SOCKET) to 1. Return the
	//     error of SetsockoptInt too, not only the one of Control.
	//  3. ListenPacket with "udp4" and "0.0.0.0:<port>" (net.JoinHostPort,
	//     strconv.Itoa); the result is a *net.UDPConn.
	// Pitfall: binding 127.0.0.1 (a node then hears no broadcast at all), or
	// no SO_REUSEADDR (the second node on the port gets "address already in
	// use"). Go already sets SO_BROADCAST on every UDP socket; you need not.
	// Checked by: TestListenShared, TestListenPorts, TestScripts/cli_scan,
	// TestScripts/cli_leave.
	_ = port
	return nil, ErrNotImplemented
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
	// TODO(week03, step 5, bonus): compare with multicast.
	//  1. net.ResolveUDPAddr("udp4", group); refuse an IP that is not an
	//     IPv4 multicast address (IP.IsMulticast, IP.To4) with ErrInvalid.
	//  2. net.ListenMulticastUDP joins the group on ifi and listens on the
	//     port (it sets SO_REUSEADDR for you).
	// Then run disco-node with -group 239.255.0.79 and disco-scan with
	// -addr 239.255.0.79:PORT: who receives a query now, and who did before?
	// Checked by: TestListenGroup.
	_, _ = ifi, group
	return nil, ErrNotImplemented
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
	// TODO(week03, step 3): answer queries until ctx is done.
	//  1. defer conn.Close(): Serve owns conn, whatever happens.
	//  2. Check the node first (the word function of step 1; a map of the
	//     service names seen), and return an error wrapping ErrInvalid.
	//  3. ReadFrom blocks, so something must wake it when ctx is done:
	//     context.AfterFunc(ctx, ...) that closes conn. Call the stop
	//     function it returns before Serve returns. After ReadFrom fails,
	//     ctx.Err() tells a shutdown (return nil) from a real failure
	//     (return fmt.Errorf("read: %w", err)). Never loop on a failing
	//     read: a closed socket fails at once, for ever.
	//  4. Read each datagram into a buffer of MaxDatagram bytes and parse it
	//     with ParseQuery. Malformed: log it if you like, and read the next.
	//  5. For each service of the asked kind (every service when Query.Kind
	//     is ""), send Offer{...}.String() with conn.WriteTo to the address
	//     ReadFrom gave you. Nothing matches: send nothing.
	//  6. Call n.Logf (when not nil) once per answered query, as its doc says.
	// Pitfall: answering to a fixed port, or to the broadcast address: the
	// scanner listens on the port its query came from. And answering what you
	// cannot parse ("ERR ..."): every node on the network would answer one
	// forged broadcast, all at once, to whoever the forger names.
	// Checked by: TestNodeAnswers, TestNodeInvalid, TestNodeKind,
	// TestNodeIgnoresJunk, TestNodeNewline, TestNodeLog, TestNodeShutdown,
	// TestNodeSocketClosed, TestScripts/cli_scan, TestScripts/cli_leave.
	_ = ctx
	conn.Close() // Serve owns conn, even in this stub
	return ErrNotImplemented
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
	// TODO(week03, step 4): send one query, then collect until the time is up.
	//  1. Check kind (ErrInvalid) and resolve the destination
	//     (net.ResolveUDPAddr with "udp4"; DefaultDest when s.Dest is "").
	//  2. A fresh token for every scan: crypto/rand's Text is one call.
	//     Send Query{...}.String() to the destination with conn.WriteTo.
	//  3. ONE deadline for the whole scan: conn.SetReadDeadline(time.Now().Add(wait)),
	//     once, right after sending (DefaultWait when s.Wait <= 0). Clear it
	//     before returning (a zero time.Time). When ctx ends, move it to
	//     now (context.AfterFunc; stop it before you clear the deadline).
	//  4. Loop on conn.ReadFrom into a buffer of MaxDatagram bytes. The read
	//     fails when the time is up: if ctx.Err() is set, return what you
	//     have and ctx.Err(); if errors.Is(err, os.ErrDeadlineExceeded), the
	//     scan is over: return what you have and nil; otherwise wrap the
	//     error.
	//  5. Classify each datagram as the package documentation says, in this
	//     order: malformed (ParseOffer fails), stray (another token, or
	//     another kind when kind is not ""), duplicate (a map keyed by node
	//     and service name), found. Found.Addr is the source IP of the
	//     datagram with the offered port: netip.ParseAddrPort of the source
	//     address's String, then netip.AddrPortFrom.
	//  6. Sort Found by node, then service name (slices.SortFunc,
	//     cmp.Compare, cmp.Or).
	// Pitfall: resetting the deadline after every datagram (a node that
	// keeps talking then keeps the scan alive for ever), and trusting any
	// offer that arrives (a late answer to the previous scan on the same
	// socket brings back a node that has gone: check the token).
	// Checked by: TestScanSeveral, TestScanTimeout, TestScanDefaults,
	// TestScanCancel, TestScanConn, TestScanMalformed, TestScanFraming,
	// TestScanDedup, TestScanNodeLeft, TestScanKind, TestScanConcurrent,
	// TestScripts/cli_scan, TestScripts/cli_empty, TestScripts/cli_leave.
	_, _, _ = ctx, conn, kind
	return Result{}, ErrNotImplemented
}
