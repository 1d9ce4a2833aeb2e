// Package broadcast is week 3's basic lab: finding who is on the local
// network by asking everybody at once. A seeker broadcasts one query; every
// responder listening on the discovery port receives it and answers the
// seeker alone, by unicast; the seeker collects the answers until its
// deadline.
//
// # Protocol
//
// Every message is one UDP datagram over IPv4 holding ASCII text: fields
// separated by single spaces, no line ending (a datagram is a whole message
// already). There are two messages:
//
//	seeker → <broadcast address>:<port>   DISCOVER <token>
//	responder → seeker, unicast           HERE <token> <name>
//
// The token is 1 to MaxToken letters or digits (A-Z, a-z, 0-9). The seeker
// picks a fresh random one for every discovery, and an answer carries it back
// unchanged, so a seeker can tell the answers to its own query from stray
// ones. The name is 1 to MaxName bytes, each a printable ASCII character other
// than space (0x21 to 0x7E). No valid message is longer than MaxMessage bytes.
//
// A responder answers every valid query, as often as it is asked, from the
// socket the query arrived on (so the answer's source port is the discovery
// port), to the query's source address and port. Any other datagram gets no
// answer: another keyword or case, a missing, extra or empty field, two
// spaces, a line ending, a token or a name that is too long or holds other
// characters, an answer, anything longer than MaxMessage bytes.
//
// A seeker sends its query from a socket of its own (bound to any free port,
// not connected), and reads the answers on that same socket until its
// deadline. It keeps every valid answer that carries its token, in the order
// they arrive, and ignores everything else, including an answer that repeats
// one it already has (same source address and same name). Responders that
// share a port answer from the same address, so the name tells them apart.
//
// # Broadcast on one machine
//
// A broadcast datagram goes to every host on the link, and every socket bound
// to its port on those hosts receives a copy. The limited broadcast address
// 255.255.255.255 means "everyone on this link"; routers never forward it. A
// directed broadcast uses the all-ones host part of one network, such as
// 192.168.1.255 for 192.168.1.0/24. The course uses 127.255.255.255
// (DefaultBroadcast), the directed broadcast of the loopback network
// 127.0.0.0/8: it reaches every socket of this machine on the port, and never
// leaves it. Tests run in a network namespace of their own where lo is the
// only interface.
//
// Only a socket bound to the wildcard address 0.0.0.0 receives broadcasts; a
// socket bound to 127.0.0.1 does not. Several sockets (in one program or in
// several) may listen on one port only if every one of them sets SO_REUSEADDR
// before it binds; each of them then receives its own copy of every broadcast.
// Sending to a broadcast address needs SO_BROADCAST, which Go sets on every
// UDP socket (in C or Python, sendto fails with EACCES until you set it).
//
// # Programs
//
// The programs bcastd (a responder) and bcastscan (a seeker) in
// weeks/week03/cmd wrap Responder and Seeker; cli.go parses their flags:
//
//	bcastd -addr 0.0.0.0:9303 -name NAME -addrfile FILE
//	bcastscan -addr 127.255.255.255:9303 -timeout 1s -resend 0
package broadcast

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"syscall"
)

// Protocol limits and defaults.
const (
	// MaxToken is the longest token in bytes.
	MaxToken = 32
	// MaxName is the longest responder name in bytes.
	MaxName = 64
	// MaxMessage is the longest valid message: an answer with the longest
	// token and the longest name. A longer datagram is invalid, whatever it
	// starts with.
	MaxMessage = len("HERE ") + MaxToken + len(" ") + MaxName
	// DefaultPort is the discovery port of the programs.
	DefaultPort = 9303
	// DefaultBroadcast is the broadcast address of the course: the loopback
	// network's, which never leaves the machine.
	DefaultBroadcast = "127.255.255.255"
)

var (
	// ErrNotImplemented is returned by the parts of the lab still to be written.
	ErrNotImplemented = errors.New("broadcast: not implemented")
	// ErrBadName is returned by Responder.Serve when the responder's name
	// breaks the rules of the protocol.
	ErrBadName = errors.New("broadcast: invalid name")
)

// ListenShared opens a UDP socket over IPv4 bound to addr ("host:port"; port
// 0 picks a free port) that shares its port: SO_REUSEADDR is set before the
// bind, so further ListenShared sockets, in this process or another, may bind
// the same port, and each of them receives every broadcast sent to it. Bind to
// 0.0.0.0 to receive broadcasts. The caller owns the socket and closes it.
//
// Errors: the error of resolving addr, setting the option or binding, as it
// is (a port held by a socket that does not share it gives
// syscall.EADDRINUSE).
func ListenShared(addr string) (*net.UDPConn, error) {
	lc := net.ListenConfig{Control: reuseAddr}
	pc, err := lc.ListenPacket(context.Background(), "udp4", addr)
	if err != nil {
		return nil, err
	}
	return pc.(*net.UDPConn), nil
}

// reuseAddr sets SO_REUSEADDR on a socket before it is bound.
func reuseAddr(network, address string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	})
	if err != nil {
		return err
	}
	return os.NewSyscallError("setsockopt", serr)
}

// Responder answers discovery queries. It holds only settings, so one
// Responder may serve several sockets, one after another or at the same time.
type Responder struct {
	// Name is what the responder answers: 1 to MaxName bytes, each a
	// printable ASCII character other than space.
	Name string
	// Logf, when not nil, is called once for every answer the responder
	// sends, as Logf("answer to %s: %s", <seeker address>, <answer>), and
	// may be called for other events (ignored datagrams, errors) in any
	// words. It may be called from several goroutines at once.
	Logf func(format string, args ...any)
}

// Serve reads datagrams from conn and answers every valid query, as the
// package documentation describes, until ctx is done. Serve owns conn: it
// closes conn before returning, whatever the reason.
//
// When ctx is done, Serve stops reading, closes conn and returns nil, at once.
// It returns ErrBadName (wrapped, with the name) without reading anything when
// r.Name is not a valid name, and an error wrapped as "read: <error>" when conn
// fails for another reason. An invalid datagram is not an error: Serve ignores
// it and goes on.
func (r *Responder) Serve(ctx context.Context, conn *net.UDPConn) error {
	defer conn.Close()
	if !validName(r.Name) {
		return fmt.Errorf("%w: %q", ErrBadName, r.Name)
	}
	defer onDone(ctx, func() { conn.Close() })()

	buf := make([]byte, MaxMessage+1) // one more: a longer datagram shows
	for {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("read: %w", err)
		}
		r.answer(conn, string(buf[:n]), from)
	}
}

// answer answers one datagram msg from the address from, if it is a query.
func (r *Responder) answer(conn *net.UDPConn, msg string, from netip.AddrPort) {
	token, ok := parseQuery(msg)
	if !ok {
		r.logf("ignored %d bytes from %s: not a query", len(msg), from)
		return
	}
	reply := "HERE " + token + " " + r.Name
	if _, err := conn.WriteToUDPAddrPort([]byte(reply), from); err != nil {
		r.logf("answer to %s: %v", from, err)
		return
	}
	r.logf("answer to %s: %s", from, reply)
}

func (r *Responder) logf(format string, args ...any) {
	if r.Logf != nil {
		r.Logf(format, args...)
	}
}

// parseQuery returns the token of a valid query.
func parseQuery(msg string) (token string, ok bool) {
	if len(msg) > MaxMessage {
		return "", false
	}
	f := strings.Split(msg, " ")
	if len(f) != 2 || f[0] != "DISCOVER" || !validToken(f[1]) {
		return "", false
	}
	return f[1], true
}

// validToken tells whether s is 1 to MaxToken ASCII letters or digits.
func validToken(s string) bool {
	if len(s) < 1 || len(s) > MaxToken {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// validName tells whether s is 1 to MaxName printable ASCII characters other
// than space.
func validName(s string) bool {
	if len(s) < 1 || len(s) > MaxName {
		return false
	}
	for _, c := range []byte(s) {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// onDone runs f in its own goroutine when ctx is done. The returned stop
// function cancels that, or waits until f has returned if it already started,
// so nothing started here outlives the caller.
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
