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
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
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
	if ip4 := ip.To4(); ip4 == nil || ip4[0] != 239 {
		return fmt.Errorf("%w: %v", ErrNotAdminScoped, ip)
	}
	return nil
}

// EthernetAddr returns the Ethernet MAC address that carries the IPv4
// multicast group ip: 01:00:5e, then the low 23 bits of ip (RFC 1112 §6.4).
// Any group of 224.0.0.0/4 has one. For any other address it returns an
// error that wraps ErrNotMulticast and names ip. It does no I/O.
func EthernetAddr(ip net.IP) (net.HardwareAddr, error) {
	ip4 := ip.To4()
	if ip4 == nil || ip4[0]&0xf0 != 0xe0 {
		return nil, fmt.Errorf("%w: %v", ErrNotMulticast, ip)
	}
	return net.HardwareAddr{0x01, 0x00, 0x5e, ip4[1] & 0x7f, ip4[2], ip4[3]}, nil
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
	conn  *net.UDPConn
	group *net.UDPAddr
	mreq  syscall.IPMreq // the group and the interface, as the kernel was told at the join
	buf   []byte         // Receive's buffer, big enough for any datagram

	mu     sync.Mutex
	joined bool
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
	if group == nil {
		return nil, fmt.Errorf("join: no group: %w", ErrNotAdminScoped)
	}
	if err := CheckGroup(group.IP); err != nil {
		return nil, err
	}
	ifaddr, err := interfaceAddr(ifi)
	if err != nil {
		return nil, fmt.Errorf("join %v: %w", group, err)
	}
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		return control(c, func(fd int) error {
			if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
				return fmt.Errorf("SO_REUSEADDR: %w", err)
			}
			if runtime.GOOS == "linux" {
				if err := syscall.SetsockoptInt(fd, syscall.IPPROTO_IP, ipMulticastAll, 0); err != nil {
					return fmt.Errorf("IP_MULTICAST_ALL: %w", err)
				}
			}
			return nil
		})
	}}
	pc, err := lc.ListenPacket(context.Background(), "udp4", net.JoinHostPort("0.0.0.0", strconv.Itoa(group.Port)))
	if err != nil {
		return nil, fmt.Errorf("join %v: %w", group, err)
	}
	conn := pc.(*net.UDPConn)
	m := &Member{
		conn:  conn,
		group: &net.UDPAddr{IP: group.IP.To4(), Port: conn.LocalAddr().(*net.UDPAddr).Port},
		buf:   make([]byte, 1<<16),
	}
	copy(m.mreq.Multiaddr[:], group.IP.To4())
	m.mreq.Interface = ifaddr
	if err := m.membership(syscall.IP_ADD_MEMBERSHIP); err != nil {
		conn.Close()
		return nil, fmt.Errorf("join %v: %w", group, err)
	}
	m.joined = true
	return m, nil
}

// Group returns the Member's group with the port its socket is bound to,
// which is the port the system picked when Join was given port 0.
func (m *Member) Group() *net.UDPAddr {
	return &net.UDPAddr{IP: m.group.IP, Port: m.group.Port}
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
	if err := ctx.Err(); err != nil {
		return Message{}, err
	}
	// Clear what a previous Receive's context may have left behind.
	if err := m.conn.SetReadDeadline(time.Time{}); err != nil {
		return Message{}, fmt.Errorf("receive: %w", err)
	}
	// A deadline in the past wakes up the blocked read when ctx ends.
	defer onDone(ctx, func() { m.conn.SetReadDeadline(time.Now()) })()

	n, from, err := m.conn.ReadFromUDP(m.buf)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, os.ErrDeadlineExceeded) {
			return Message{}, ctx.Err()
		}
		return Message{}, fmt.Errorf("receive: %w", err)
	}
	return Message{From: from, Payload: append([]byte{}, m.buf[:n]...)}, nil
}

// Leave leaves the group (IP_DROP_MEMBERSHIP) and keeps the socket open: the
// group's datagrams no longer reach the Member, though datagrams that arrived
// before may still be waiting for Receive. Leave after Leave or after Close
// does nothing and returns nil.
func (m *Member) Leave() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.joined {
		return nil
	}
	if err := m.membership(syscall.IP_DROP_MEMBERSHIP); err != nil {
		return fmt.Errorf("leave %v: %w", m.group, err)
	}
	m.joined = false
	return nil
}

// Close closes the socket, which leaves the group if the Member is still
// joined, and makes a blocked Receive return. Call it once.
func (m *Member) Close() error {
	m.mu.Lock()
	m.joined = false
	m.mu.Unlock()
	return m.conn.Close()
}

// membership adds or drops (opt) the Member's group membership.
func (m *Member) membership(opt int) error {
	rc, err := m.conn.SyscallConn()
	if err != nil {
		return err
	}
	return control(rc, func(fd int) error {
		return syscall.SetsockoptIPMreq(fd, syscall.IPPROTO_IP, opt, &m.mreq)
	})
}

// Sender sends datagrams to one multicast group. Its methods may be called
// from several goroutines at once.
type Sender struct {
	conn  *net.UDPConn
	group *net.UDPAddr
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
	if group == nil {
		return nil, fmt.Errorf("dial: no group: %w", ErrNotAdminScoped)
	}
	if err := CheckGroup(group.IP); err != nil {
		return nil, err
	}
	ifaddr, err := interfaceAddr(ifi)
	if err != nil {
		return nil, fmt.Errorf("dial %v: %w", group, err)
	}
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IP(ifaddr[:])})
	if err != nil {
		return nil, fmt.Errorf("dial %v: %w", group, err)
	}
	if ifi != nil {
		err := rawControl(conn, func(fd int) error {
			return syscall.SetsockoptInet4Addr(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_IF, ifaddr)
		})
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("dial %v: IP_MULTICAST_IF: %w", group, err)
		}
	}
	return &Sender{conn: conn, group: &net.UDPAddr{IP: group.IP.To4(), Port: group.Port}}, nil
}

// Send sends payload to the group as one datagram. It does not wait for
// anybody: nothing is acknowledged, and a group without members swallows the
// datagram without a word.
//
// Errors: an error wrapping ErrTooLong, without sending, for a payload over
// MaxPayload bytes; the socket's error, wrapped with the group, otherwise
// (after Close, it wraps net.ErrClosed).
func (s *Sender) Send(payload []byte) error {
	if len(payload) > MaxPayload {
		return fmt.Errorf("%w: %d bytes", ErrTooLong, len(payload))
	}
	if _, err := s.conn.WriteToUDP(payload, s.group); err != nil {
		return fmt.Errorf("send to %v: %w", s.group, err)
	}
	return nil
}

// SetTTL sets the time-to-live of the datagrams sent from now on
// (IP_MULTICAST_TTL): 0 keeps them on this host, 1 on the local network, and
// each further unit lets them cross one more router. A ttl outside 0–255 is
// refused with an error wrapping ErrBadTTL, and the setting is unchanged.
func (s *Sender) SetTTL(ttl int) error {
	if ttl < 0 || ttl > 255 {
		return fmt.Errorf("%w: %d", ErrBadTTL, ttl)
	}
	err := rawControl(s.conn, func(fd int) error {
		return syscall.SetsockoptInt(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_TTL, ttl)
	})
	if err != nil {
		return fmt.Errorf("set TTL: %w", err)
	}
	return nil
}

// TTL reads the time-to-live of the Sender's datagrams back from the socket
// (getsockopt IP_MULTICAST_TTL): what the kernel will use, not what was asked.
func (s *Sender) TTL() (int, error) {
	var ttl int
	err := rawControl(s.conn, func(fd int) error {
		var err error
		ttl, err = syscall.GetsockoptInt(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_TTL)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("get TTL: %w", err)
	}
	return ttl, nil
}

// Close closes the Sender's socket. Call it once.
func (s *Sender) Close() error {
	return s.conn.Close()
}

// interfaceAddr returns the first IPv4 address of ifi, or 0.0.0.0 (the
// kernel's choice) when ifi is nil.
func interfaceAddr(ifi *net.Interface) ([4]byte, error) {
	if ifi == nil {
		return [4]byte{}, nil
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return [4]byte{}, fmt.Errorf("interface %s: %w", ifi.Name, err)
	}
	for _, a := range addrs {
		if ipnet, ok := a.(*net.IPNet); ok {
			if ip4 := ipnet.IP.To4(); ip4 != nil {
				return [4]byte(ip4), nil
			}
		}
	}
	return [4]byte{}, fmt.Errorf("interface %s has no IPv4 address", ifi.Name)
}

// rawControl runs f on conn's file descriptor.
func rawControl(conn *net.UDPConn, f func(fd int) error) error {
	rc, err := conn.SyscallConn()
	if err != nil {
		return err
	}
	return control(rc, f)
}

// control runs f on c's file descriptor and returns the first error.
func control(c syscall.RawConn, f func(fd int) error) error {
	var ferr error
	if err := c.Control(func(fd uintptr) { ferr = f(int(fd)) }); err != nil {
		return err
	}
	return ferr
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
