// Package multicast is week 4's basic lab: IPv4 multicast group membership.
// A Member joins a group on a network interface and receives what is sent to
// the group; a Sender sends datagrams to a group; leaving the group stops the
// delivery.
//
// # Groups
//
// A group is an IPv4 multicast address and a UDP port, written
// "239.255.0.1:5000". The lab uses only administratively scoped groups,
// 239.0.0.0/8 (RFC 2365): the multicast counterpart of private addresses,
// which an organisation's border routers do not forward (239.255.0.0/16 is
// the local scope). Join and Dial refuse any other address with an error
// wrapping ErrNotAdminScoped; CheckGroup is the rule on its own.
//
// On Ethernet a group is also a MAC address: 01:00:5e followed by the low 23
// bits of the group address (RFC 1112 §6.4). EthernetAddr computes it; 32
// groups share each MAC address, so a network card lets through more than
// the host asked for and the IP layer filters the rest.
//
// # Datagrams
//
// A message is one UDP datagram, and its payload is the message byte for
// byte: no header, no newline, possibly empty. A Sender sends at most
// MaxPayload bytes, which fit one Ethernet frame without fragmentation.
// Nothing is acknowledged or retransmitted.
//
// # Membership
//
// Delivery follows membership. The kernel hands a datagram sent to G:P to
// the sockets bound to port P that have joined G on the interface it arrived
// on. On Linux it also hands it, by default, to every socket bound to
// 0.0.0.0:P, member or not, as soon as any socket of the host has joined G
// (the socket option IP_MULTICAST_ALL, on by default; see ip(7)). A Member
// turns that option off, so it gets the datagrams of its own group and no
// other. Several Members may join the same group and port; each gets its
// own copy of every datagram. Leave drops the membership and keeps the
// socket: from then on the group's datagrams no longer reach it.
//
// # TTL
//
// A multicast datagram leaves with IP time-to-live 1 unless its sender asks
// for more (RFC 1112 §6.1; IP_MULTICAST_TTL in ip(7)), so it never crosses a
// router; TTL 0 keeps it on this host. The socket option is
// IP_MULTICAST_TTL, not IP_TTL, which applies to unicast datagrams only.
//
// # Programs
//
// The programs mclisten and mcsend (weeks/week04/cmd) wrap Member and
// Sender; cli.go parses their flags:
//
//	mclisten -group 239.255.0.1:5000 -iface lo -addrfile FILE -count N -timeout D
//	mcsend   -group 239.255.0.1:5000 -iface lo -ttl N MESSAGE...
package multicast

import (
	"context"
	"errors"
	"net"
)

// Protocol limits and defaults.
const (
	// MaxPayload is the longest payload a Sender sends: a 1500-byte Ethernet
	// frame minus the 20-byte IPv4 header and the 8-byte UDP header.
	MaxPayload = 1472
	// DefaultTTL is the time-to-live of a new Sender's datagrams.
	DefaultTTL = 1
)

// ipMulticastAll is Linux's IP_MULTICAST_ALL socket option (ip(7),
// <linux/in.h>), at level IPPROTO_IP. The syscall package does not name it on
// every architecture, and other systems do not have it.
const ipMulticastAll = 0x31

var (
	// ErrNotImplemented is returned by the parts of the lab still to be written.
	ErrNotImplemented = errors.New("multicast: not implemented")
	// ErrNotAdminScoped is wrapped by the errors about an address outside 239.0.0.0/8.
	ErrNotAdminScoped = errors.New("multicast: not an administratively scoped group (239.0.0.0/8)")
	// ErrNotMulticast is wrapped by EthernetAddr's error for an address outside 224.0.0.0/4.
	ErrNotMulticast = errors.New("multicast: not an IPv4 multicast address (224.0.0.0/4)")
	// ErrBadTTL is wrapped by SetTTL's error for a TTL outside 0–255.
	ErrBadTTL = errors.New("multicast: TTL out of range 0-255")
	// ErrTooLong is wrapped by Send's error for a payload over MaxPayload bytes.
	ErrTooLong = errors.New("multicast: payload longer than MaxPayload")
)

// CheckGroup returns nil when ip is an IPv4 address in 239.0.0.0/8, in its
// 4-byte or 16-byte form, and otherwise an error that wraps
// ErrNotAdminScoped and names ip. It does no I/O.
func CheckGroup(ip net.IP) error {
	// TODO(week04, step 1): accept 239.0.0.0/8 and nothing else.
	//  1. ip.To4() gives the 4-byte form, or nil when ip is not IPv4 at all
	//     (an IPv6 address, nil). net.ParseIP("239.1.2.3") is 16 bytes long.
	//  2. The group is administratively scoped when its first byte is 239.
	//  3. Otherwise return fmt.Errorf with %w and ErrNotAdminScoped, and the
	//     address, so the message says which address was refused.
	// Pitfall: testing ip[0] on the 16-byte form (it is 0), or accepting all
	// of 224.0.0.0/4: 224.0.0.0/24 is link-local control traffic (mDNS is
	// 224.0.0.251) and most of the rest is global.
	// Checked by: TestCheckGroup, TestScripts/cli_bad_group.
	_ = ip
	return ErrNotImplemented
}

// EthernetAddr returns the Ethernet MAC address that carries the IPv4
// multicast group ip: 01:00:5e, then the low 23 bits of ip (RFC 1112 §6.4).
// Any group of 224.0.0.0/4 has one. For any other address it returns an
// error that wraps ErrNotMulticast and names ip. It does no I/O.
func EthernetAddr(ip net.IP) (net.HardwareAddr, error) {
	// TODO(week04, step 2): map a group to its MAC address.
	//  1. Take the 4-byte form (ip.To4()); 224.0.0.0/4 means the top four
	//     bits of the first byte are 1110.
	//  2. The MAC address is 6 bytes: 0x01, 0x00, 0x5e, then the second byte
	//     of the group with its top bit cleared (& 0x7f), then the third and
	//     fourth bytes as they are. A net.HardwareAddr is a []byte.
	// Pitfall: keeping all 24 low bits. Only 23 fit, which is why
	// 224.1.2.3 and 224.129.2.3 share 01:00:5e:01:02:03.
	// Checked by: TestEthernetAddr.
	_ = ip
	return nil, ErrNotImplemented
}

// Message is one datagram received by a Member.
type Message struct {
	// From is the address and port the datagram was sent from.
	From *net.UDPAddr
	// Payload is the datagram's payload, whole; it belongs to the caller.
	Payload []byte
}

// Member is a UDP socket that has joined one multicast group. Receive is
// meant for one goroutine at a time; Leave, Close and Group may be called
// from any goroutine, at any time.
type Member struct {
	// TODO(week04, step 3): the Member's state, for instance the socket
	// (*net.UDPConn), the group with its real port, what the kernel was told
	// at the join (a syscall.IPMreq, for the leave), and whether the Member
	// is still joined, under a sync.Mutex.
}

// Join opens a UDP socket on group's port and joins group on the interface
// ifi. It returns once the kernel has been told, so datagrams sent to the
// group from then on reach the Member. A nil ifi lets the kernel choose the
// interface from its routing table.
//
// The socket is bound to 0.0.0.0 and the port, with SO_REUSEADDR, so other
// Members (in this process or another) can join the same group and port;
// port 0 picks a free port, which Group reports. Join turns off Linux's
// IP_MULTICAST_ALL, so the Member receives its own group's datagrams only.
//
// Errors: an error wrapping ErrNotAdminScoped, before anything is opened,
// for a group outside 239.0.0.0/8 or a nil group; an error naming the group
// when the interface has no IPv4 address (or does not exist), or when the
// socket cannot be opened or the group joined. On error nothing is left open. The caller owns the Member
// and must Close it.
func Join(ifi *net.Interface, group *net.UDPAddr) (*Member, error) {
	// TODO(week04, step 3): open the socket and join the group.
	//  1. Refuse a nil group, and any group CheckGroup refuses, before
	//     opening anything (ErrNotAdminScoped for both).
	//  2. Find ifi's first IPv4 address: ifi.Addrs() gives *net.IPNet values.
	//     A nil ifi stands for 0.0.0.0, the kernel's choice.
	//  3. Open the socket with a net.ListenConfig whose Control function sets
	//     the options before the bind (syscall.RawConn's Control gives the
	//     file descriptor): SO_REUSEADDR = 1 (syscall.SetsockoptInt at level
	//     syscall.SOL_SOCKET) and, on Linux (runtime.GOOS), ipMulticastAll =
	//     0 at level syscall.IPPROTO_IP. Then ListenPacket "udp4" on
	//     "0.0.0.0:<port>" (net.JoinHostPort) and keep the *net.UDPConn.
	//  4. Join: syscall.SetsockoptIPMreq with syscall.IP_ADD_MEMBERSHIP and a
	//     syscall.IPMreq holding the group and the interface's address,
	//     through conn.SyscallConn(). Keep the IPMreq: Leave needs the same.
	//  5. Remember the group with the port the socket got
	//     (conn.LocalAddr()). On any error, close what you opened.
	// Another way: net.ListenMulticastUDP binds with SO_REUSEADDR and joins
	// in one call; you then turn IP_MULTICAST_ALL off on its conn.
	// Pitfall: leaving IP_MULTICAST_ALL on. The socket is bound to 0.0.0.0,
	// so Linux hands it the datagrams of every group that anybody on the
	// host joined on that port, yours or not. And without SO_REUSEADDR, a
	// second Member on the same port fails with "address already in use".
	// Checked by: TestReceive, TestTwoMembers, TestNonMember,
	// TestJoinInterface (a second interface), TestRefuse, TestDescriptors,
	// TestScripts/cli_receive, TestScripts/cli_bad_group.
	_, _ = ifi, group
	_ = ipMulticastAll
	return nil, ErrNotImplemented
}

// Group returns the Member's group with the port its socket is bound to,
// which is the port the system picked when Join was given port 0.
func (m *Member) Group() *net.UDPAddr {
	// TODO(week04, step 3): return a copy of the group, with the real port.
	// Checked by: TestScripts/cli_receive (mclisten -group 239.255.4.1:0),
	// TestJoinInterface, TestConcurrent.
	return nil
}

// Receive waits for the next datagram that reaches the Member and returns it
// whole, with its sender's address. An empty datagram is a Message with an
// empty Payload.
//
// Receive blocks until a datagram arrives, ctx is done, or the Member is
// closed. When ctx is done first it returns ctx.Err() (an already done ctx
// returns at once); after Close it returns an error wrapping net.ErrClosed.
// A Receive that ended with ctx does not affect the next one. After Leave,
// Receive still works, but the group's datagrams no longer arrive.
func (m *Member) Receive(ctx context.Context) (Message, error) {
	// TODO(week04, step 4): read one datagram, and stop when ctx ends.
	//  1. Return ctx.Err() at once if ctx is already done.
	//  2. ReadFromUDP blocks and knows nothing of ctx. Clear the read
	//     deadline (SetReadDeadline with the zero time.Time), then register
	//     context.AfterFunc(ctx, ...) that sets a deadline in the past
	//     (time.Now()), which wakes the read up. Stop it when Receive returns,
	//     and wait for it if it already started.
	//  3. Read into a buffer big enough for any UDP datagram (64 KiB). On a
	//     timeout (errors.Is os.ErrDeadlineExceeded) with ctx done, return
	//     ctx.Err(); wrap other errors ("receive: %w").
	//  4. Return a copy of the n bytes read and the sender's address. n may
	//     be 0: an empty datagram is a message too.
	// Pitfall: returning buf[:n] of a buffer you reuse, so the next Receive
	// overwrites the caller's message; or a deadline that outlives its
	// Receive, so every later Receive fails at once.
	// Checked by: TestReceive, TestReceiveStops, TestScripts/cli_shutdown.
	_ = ctx
	return Message{}, ErrNotImplemented
}

// Leave leaves the group (IP_DROP_MEMBERSHIP) and keeps the socket open: the
// group's datagrams no longer reach the Member, though datagrams that arrived
// before may still be waiting for Receive. Leave after Leave or after Close
// does nothing and returns nil.
func (m *Member) Leave() error {
	// TODO(week04, step 5): leave the group, keep the socket.
	//  1. Under the mutex: if the Member is no longer joined, return nil.
	//  2. syscall.SetsockoptIPMreq with syscall.IP_DROP_MEMBERSHIP and the
	//     same IPMreq as the join; then mark the Member as not joined.
	// Pitfall: closing the socket instead (Receive must keep working), or
	// dropping twice: the kernel answers the second drop with
	// "cannot assign requested address".
	// Checked by: TestLeave, TestJoinInterface, TestConcurrent (Leave from
	// several goroutines at once), TestScripts/cli_receive.
	return ErrNotImplemented
}

// Close closes the socket, which leaves the group if the Member is still
// joined, and makes a blocked Receive return. Call it once.
func (m *Member) Close() error {
	// TODO(week04, step 5): mark the Member as not joined and close the
	// socket. The kernel drops the memberships of a closed socket.
	// Checked by: TestReceiveStops, TestTwoMembers, TestDescriptors.
	return nil
}

// Sender sends datagrams to one multicast group. Its methods may be called
// from several goroutines at once.
type Sender struct {
	// TODO(week04, step 6): the socket and the group.
}

// Dial opens a UDP socket that sends to group through the interface ifi:
// the socket is bound to ifi's first IPv4 address (port chosen by the
// system), so members see a source address they can answer, and its
// IP_MULTICAST_IF is that address. A nil ifi lets the kernel choose the
// interface from its routing table. The datagrams leave with TTL DefaultTTL
// until SetTTL says otherwise. Dial sends nothing.
//
// Errors: an error wrapping ErrNotAdminScoped, before anything is opened, for
// a group outside 239.0.0.0/8 or a nil group; an error naming the group when
// the interface has no IPv4 address (or does not exist) or the socket cannot
// be opened. On error nothing is
// left open. The caller owns the Sender and must Close it.
func Dial(ifi *net.Interface, group *net.UDPAddr) (*Sender, error) {
	// TODO(week04, step 6): open the sending socket.
	//  1. Refuse a nil group and any group CheckGroup refuses, first.
	//  2. net.ListenUDP "udp4" on the interface's first IPv4 address (as in
	//     Join), port 0. This socket joins nothing: senders need not be
	//     members.
	//  3. When ifi is not nil, set IP_MULTICAST_IF to that address
	//     (syscall.SetsockoptInet4Addr through conn.SyscallConn()).
	//  4. Leave the TTL alone: the kernel's default for multicast is already
	//     1 (RFC 1112). Leave IP_MULTICAST_LOOP on too (its default), or the
	//     members on this host may not get your datagrams.
	// Pitfall: net.DialUDP to the group needs a route to 224.0.0.0/4 before
	// anything is sent; and a socket from net.ListenMulticastUDP has
	// IP_MULTICAST_LOOP turned off.
	// Checked by: TestSend, TestDefaultTTL, TestSendInterface (a second
	// interface), TestRefuse, TestDescriptors, TestScripts/cli_receive,
	// TestScripts/cli_bad_group.
	_, _ = ifi, group
	return nil, ErrNotImplemented
}

// Send sends payload to the group as one datagram. It does not wait for
// anybody: nothing is acknowledged, and a group without members swallows the
// datagram without a word.
//
// Errors: an error wrapping ErrTooLong, without sending, for a payload over
// MaxPayload bytes; the socket's error, wrapped with the group, otherwise
// (after Close, it wraps net.ErrClosed).
func (s *Sender) Send(payload []byte) error {
	// TODO(week04, step 6): one WriteToUDP to the group, after checking the
	// length. An empty payload is a datagram too.
	// Checked by: TestSend, TestConcurrent.
	_ = payload
	return ErrNotImplemented
}

// SetTTL sets the time-to-live of the datagrams sent from now on
// (IP_MULTICAST_TTL): 0 keeps them on this host, 1 on the local network, and
// each further unit lets them cross one more router. A ttl outside 0–255 is
// refused with an error wrapping ErrBadTTL, and the setting is unchanged.
func (s *Sender) SetTTL(ttl int) error {
	// TODO(week04, step 7): check the range yourself, then
	// syscall.SetsockoptInt(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_TTL, ttl)
	// through conn.SyscallConn().
	// Pitfall: syscall.IP_TTL, which sets the TTL of unicast datagrams and
	// leaves multicast at 1; and trusting the kernel to check the range
	// (Linux takes -1 to mean "the default").
	// Checked by: TestSetTTL.
	_ = ttl
	return ErrNotImplemented
}

// TTL reads the time-to-live of the Sender's datagrams back from the socket
// (getsockopt IP_MULTICAST_TTL): what the kernel will use, not what was asked.
func (s *Sender) TTL() (int, error) {
	// TODO(week04, step 7): syscall.GetsockoptInt with IPPROTO_IP and
	// IP_MULTICAST_TTL, through conn.SyscallConn(). Do not return a value
	// you stored: the point is to see what the socket really does.
	// Pitfall: IP_TTL again, which reads 64.
	// Checked by: TestDefaultTTL, TestSetTTL, TestConcurrent.
	return 0, ErrNotImplemented
}

// Close closes the Sender's socket. Call it once.
func (s *Sender) Close() error {
	// TODO(week04, step 6): close the socket.
	// Checked by: TestSend (Send after Close must fail), TestDescriptors.
	return nil
}
