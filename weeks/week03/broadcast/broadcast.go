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
	"net"
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
	// TODO(week03, step 1): open a UDP socket that shares its port.
	//  1. A net.ListenConfig whose Control function sets the option: Control
	//     runs after the socket is created and before it is bound, the only
	//     moment when the option counts.
	//  2. In Control, call c.Control with a function of the file descriptor
	//     that calls syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET,
	//     syscall.SO_REUSEADDR, 1); return its error (and c.Control's).
	//  3. lc.ListenPacket(ctx, "udp4", addr) (context.Background() will do),
	//     then a type assertion to *net.UDPConn.
	// Pitfall: net.ListenUDP binds at once, too early to set any option, so
	// the second socket on the port fails with "address already in use".
	// SO_REUSEPORT would do as well, but package syscall lacks it on
	// linux/amd64; SO_REUSEADDR is enough for UDP.
	// Checked by: TestSharedPort, TestListenSharedErrors,
	// TestScripts/cli_discover.
	_ = addr
	return nil, ErrNotImplemented
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
	// TODO(week03, step 2): read datagrams until ctx is done.
	//  1. defer conn.Close() first of all: Serve owns conn on every return.
	//  2. Check r.Name: 1 to MaxName bytes, each from 0x21 ('!') to 0x7E
	//     ('~'). Otherwise return fmt.Errorf("%w: %q", ErrBadName, r.Name).
	//  3. ReadFromUDPAddrPort blocks, so something must wake it up when ctx
	//     is done: context.AfterFunc(ctx, ...) that closes conn. Call its
	//     stop function before returning, and wait for the function if it
	//     already started.
	//  4. Loop on conn.ReadFromUDPAddrPort with a buffer of MaxMessage+1
	//     bytes: a datagram that fills it is too long. On error, ctx.Err()
	//     tells a shutdown (return nil) from a failure (return
	//     fmt.Errorf("read: %w", err)).
	//  5. Answer each datagram (step 3), then read the next.
	// Pitfall: a small buffer silently cuts a long datagram (week 2), and the
	// cut may look like a valid query. Polling ctx with short read deadlines
	// makes the shutdown slow; returning ctx.Err() makes it look like a
	// failure.
	// Checked by: TestServeShutdown, TestServeSocketClosed, TestResponderName,
	// TestIgnoresMalformed, TestResponderConcurrent, TestScripts/cli_shutdown.
	//
	// TODO(week03, step 3): answer one datagram (write it as a method).
	//  1. A query is exactly "DISCOVER <token>": strings.Split on " " gives
	//     exactly two fields, the first "DISCOVER", the second 1 to MaxToken
	//     ASCII letters or digits. No more than MaxMessage bytes.
	//  2. Anything else gets no answer (log it if you like) and Serve goes on.
	//  3. Send "HERE <token> <name>" with conn.WriteToUDPAddrPort to the
	//     address ReadFromUDPAddrPort returned: unicast, to the seeker alone,
	//     from this same socket.
	//  4. Then call r.Logf (when not nil) with "answer to %s: %s", the
	//     seeker's address and the answer.
	// Pitfall: strings.Fields and strings.TrimSpace accept spacing and line
	// endings the protocol refuses; and a responder that answers answers can
	// end up talking to another responder for ever.
	// Checked by: TestAnswer, TestAnswerEveryQuery, TestAnswerLog,
	// TestIgnoresMalformed, TestScripts/cli_discover.
	_ = ctx
	conn.Close() // Serve owns conn, even in this stub
	return ErrNotImplemented
}
