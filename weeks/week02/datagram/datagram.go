// Package datagram is week 2's basic lab: a UDP sender and a UDP receiver,
// and an echo mode in which the receiver sends every datagram back to where
// it came from.
//
// # Datagrams, not a stream
//
// UDP carries messages. One write on a UDP socket sends exactly one datagram,
// and one read returns exactly one datagram: whole, never a piece of one, never
// two glued together. Week 1's TCP was the opposite, a stream of bytes that you
// had to cut into messages at each "\n". Here there is no framing: the payload
// of a datagram is the message. It may hold any bytes, "\n" and zero bytes
// included, and it may be empty: an empty datagram is still a datagram.
//
// UDP promises nothing else. A datagram may be lost, duplicated or overtaken
// by a later one, and nobody tells the sender. On 127.0.0.1 that is rare, but
// nothing in this package counts on order or delivery.
//
// # Sizes
//
// A UDP payload over IPv4 holds at most MaxPayload = 65,507 bytes: the IPv4
// length field allows 65,535 bytes, minus 20 for the IP header and 8 for the
// UDP header. Send and Exchange refuse a longer payload and send nothing; the
// error matches syscall.EMSGSIZE ("message too long"), which is what the
// kernel says too.
//
// A reader hands the kernel a buffer. A datagram longer than the buffer is cut
// to fit and the rest is thrown away. Read and ReadFromUDP return the cut
// length as if nothing had happened; ReadMsgUDP also returns the flags of
// recvmsg(2), where syscall.MSG_TRUNC says that the datagram was cut. Receive
// reports such a datagram as an error wrapping ErrTruncated, never as a
// shorter payload.
//
// # Echo
//
// A Receiver in echo mode sends every whole datagram it receives back to the
// address it came from, unchanged. Exchange is the other side: it sends one
// datagram and waits, until its deadline, for one datagram in reply from the
// address it sent to.
//
// # Programs
//
// The programs udprecv and udpsend (weeks/week02/cmd) wrap Receiver, Send and
// Exchange; cli.go parses their flags:
//
//	udprecv -addr 127.0.0.1:0 -addrfile FILE [-echo] [-size BYTES] [-count N] [-timeout D]
//	udpsend -to HOST:PORT [-echo] [-timeout D] MESSAGE...
//
// udprecv prints one line per datagram on stdout, "from <sender>: <payload>",
// and the errors of truncated datagrams on stderr.
package datagram

import (
	"context"
	"errors"
	"net"
	"time"
)

// Sizes and default timeouts.
const (
	// MaxPayload is the largest UDP payload over IPv4, in bytes:
	// 65,535 - 20 (IPv4 header) - 8 (UDP header).
	MaxPayload = 65507
	// DefaultExchangeTimeout bounds Exchange and ExchangeRetry when their
	// context has no deadline.
	DefaultExchangeTimeout = 2 * time.Second
	// SeqSize is the size of the sequence number in front of every datagram
	// of ExchangeRetry (the bonus).
	SeqSize = 4
	// DefaultRetryInterval is ExchangeRetry's wait between two tries when its
	// every argument is zero or less.
	DefaultRetryInterval = 200 * time.Millisecond
)

var (
	// ErrNotImplemented is returned by the parts of the lab still to be written.
	ErrNotImplemented = errors.New("datagram: not implemented")
	// ErrTruncated is wrapped by the error of a datagram larger than the
	// buffer it was read into.
	ErrTruncated = errors.New("datagram: truncated")
	// ErrNoReply is wrapped by the error of Exchange when no reply came
	// before the deadline.
	ErrNoReply = errors.New("datagram: no reply")
)

// Datagram is one datagram received.
type Datagram struct {
	// From is the address of the socket that sent the datagram: where an
	// answer must go.
	From *net.UDPAddr
	// Payload is the datagram's content: every byte that was sent, nothing
	// else. It may be empty.
	Payload []byte
}

// Send sends payload to addr ("host:port") in one datagram and returns as
// soon as the datagram is handed to the kernel. It never waits for an answer:
// UDP has no acknowledgements, so Send cannot know whether anybody received
// the datagram, or even listens at addr, and returns nil either way.
//
// Errors: a payload longer than MaxPayload is refused, nothing sent, with an
// error matching syscall.EMSGSIZE (the kernel's own "message too long" does;
// an error that names both sizes is kinder); an address that does not
// resolve, or a socket that cannot be opened or written, gives the error as
// it is.
func Send(addr string, payload []byte) error {
	// TODO(week02, step 1): send one datagram, and only that.
	//  1. Refuse a payload longer than MaxPayload before sending anything:
	//     return an error that wraps syscall.EMSGSIZE (fmt.Errorf with %w)
	//     and, kindly, names both sizes.
	//  2. Open a UDP socket towards addr: net.Dial("udp", addr). Nothing goes
	//     over the network yet: a "connected" UDP socket only remembers its
	//     peer. defer its Close.
	//  3. One Write of the payload is one datagram. Return its error.
	//  4. Return. Do NOT read: no answer is coming, and if one came it would
	//     not be Send's business.
	// Pitfall: TCP habits. Adding a "\n" to frame the message (UDP keeps the
	// boundaries for you), skipping an empty payload (it is a datagram too),
	// or waiting for an acknowledgement that UDP never sends.
	// Checked by: TestSend, TestSendFireAndForget, TestMaxPayload,
	// TestTooLarge, TestBadAddress, TestNoFDLeak, TestScripts/cli_receive.
	_, _ = addr, payload
	return ErrNotImplemented
}

// Receive waits for the next datagram on conn and returns it, read into buf:
// d.Payload is buf[:n], valid until buf is used again, and d.From is the
// address of the socket that sent it.
//
// A datagram larger than buf is never returned cut. Receive returns it with
// d.From set and a nil d.Payload, and an error wrapping ErrTruncated that
// names the sender and len(buf). The rest of that datagram is lost; the next
// call returns the next datagram. A datagram of exactly len(buf) bytes fits.
//
// An empty datagram is a datagram: d.Payload has length 0 and err is nil.
//
// Receive blocks until a datagram arrives, conn's read deadline passes or
// conn is closed, and returns the read error as it is then (errors.Is matches
// os.ErrDeadlineExceeded or net.ErrClosed). It sets no deadline of its own.
func Receive(conn *net.UDPConn, buf []byte) (Datagram, error) {
	// TODO(week02, step 2): read one datagram, and notice when it was cut.
	//  1. Read with conn.ReadMsgUDP(buf, nil): besides n and the sender's
	//     address it returns flags, the msg_flags of recvmsg(2).
	//  2. A read error goes back as it is, with an empty Datagram.
	//  3. flags&syscall.MSG_TRUNC != 0 means the datagram did not fit: return
	//     Datagram{From: from} and an error wrapping ErrTruncated (%w) that
	//     names from and len(buf). Do not return the cut bytes.
	//  4. Otherwise return Datagram{From: from, Payload: buf[:n]}. n may be 0:
	//     an empty datagram, not an end of stream (UDP has no such thing).
	// Pitfall: ReadFromUDP or Read cut a long datagram silently, and "n ==
	// len(buf) means it was cut" is wrong too: a datagram of exactly
	// len(buf) bytes fits. Only the MSG_TRUNC flag tells.
	// Checked by: TestReceive, TestEmptyDatagram, TestTruncated,
	// TestReceiveErrors.
	_, _ = conn, buf
	return Datagram{}, ErrNotImplemented
}

// Receiver receives datagrams and reports each one to Handle, sending it back
// first in echo mode. It holds only settings; the zero value reads into a
// MaxPayload buffer, reports nothing and does not echo.
type Receiver struct {
	// BufferSize is the size of the buffer every datagram is read into; a
	// longer datagram is reported to Handle with an error wrapping
	// ErrTruncated. Zero or less means MaxPayload, which fits every IPv4
	// datagram.
	BufferSize int
	// Echo, when true, sends every whole datagram back to its sender,
	// unchanged, before Handle is called for it. A truncated datagram is not
	// echoed. An echo that cannot be sent is dropped, like any lost datagram.
	Echo bool
	// Handle, when not nil, is called once for every datagram received, in
	// the order received, one at a time, from the goroutine that runs Serve;
	// Serve reads the next datagram only after Handle has returned. For a
	// whole datagram err is nil and d.Payload is d's own copy, which Handle
	// may keep. For a datagram larger than the buffer, d.From is set,
	// d.Payload is nil and err wraps ErrTruncated.
	Handle func(d Datagram, err error)
}

// Serve reads datagrams from conn and deals with each one as the Receiver's
// fields say, until ctx is done. Serve owns conn: it closes conn before
// returning, whatever the reason.
//
// When ctx is done, Serve closes conn, which ends the read in progress
// (datagrams still queued in the socket are lost), and returns nil once
// everything it started has ended. A truncated datagram does not stop Serve.
// Serve returns an error only when reading from conn fails for another
// reason, wrapped as "receive: <error>".
func (r *Receiver) Serve(ctx context.Context, conn *net.UDPConn) error {
	// TODO(week02, step 3): receive until ctx is done.
	//  1. Make a buffer of BufferSize bytes, MaxPayload when BufferSize is
	//     zero or less, once, before the loop.
	//  2. Loop on Receive(conn, buf). A truncated datagram (errors.Is(err,
	//     ErrTruncated)) goes to Handle with its error; then read on.
	//  3. A whole datagram: copy its payload out of buf (bytes.Clone), since
	//     the next Receive overwrites buf and Handle may keep what it got.
	//     With Echo, send the copy back with conn.WriteToUDP(payload,
	//     d.From); then call Handle (when not nil).
	//  4. Stop when ctx is done. The read blocks, so something must wake it
	//     up: context.AfterFunc(ctx, ...) that closes conn does. Once the read
	//     has failed, ctx.Err() tells a shutdown (return nil) from a real
	//     error (return fmt.Errorf("receive: %w", err)). Before returning,
	//     call the stop function AfterFunc gave you, and if it says the
	//     function already started, make sure it has finished (a channel it
	//     closes): Serve leaves nothing running.
	//  5. Close conn on every return (defer).
	// Pitfall: handing Handle buf[:n] itself, so every payload it kept turns
	// into the latest datagram; echoing with conn.Write (the socket is not
	// connected: there is no one "the" peer); checking ctx only between
	// reads with a read deadline, so shutdown waits for that deadline.
	// Checked by: TestEmptyDatagram, TestTruncated, TestBoundaries,
	// TestMaxPayload, TestEcho, TestServeShutdown, TestServeError,
	// TestHandleOneAtATime, TestEchoFirst, TestEchoNilHandle, TestBufferSize,
	// TestScripts/cli_receive,
	// TestScripts/cli_echo, TestScripts/cli_shutdown.
	_ = ctx
	conn.Close() // Serve owns conn, even in this stub
	return ErrNotImplemented
}

// Exchange sends payload to addr in one datagram, waits for one datagram in
// reply and returns its payload (a slice of its own). Only a datagram from
// addr counts as the reply; datagrams from anyone else are ignored. A
// connected socket (net.Dial "udp") gets the kernel to drop them.
//
// The wait ends at the deadline: ctx's, or DefaultExchangeTimeout after the
// call when ctx has none. A deadline of ctx's later than that default is
// waited for in full. Cancelling ctx (calling its cancel function, whether or
// not it has a deadline) ends the wait at once. Exchange never blocks longer.
//
// Errors: a payload longer than MaxPayload is refused as by Send, nothing
// sent. An address that does not resolve, or a socket that cannot be opened,
// gives the error as it is. With no reply by the deadline, an error wrapping
// ErrNoReply that names addr and how long Exchange waited; that holds for
// ctx's deadline too, although ctx.Err() is then context.DeadlineExceeded (the
// error may wrap that as well). When nothing listens at addr, the kernel
// usually learns it at once (an ICMP "port unreachable" comes back) and the
// read fails with an error matching syscall.ECONNREFUSED: Exchange returns
// that error at once, without waiting for the deadline. When ctx is cancelled
// before the deadline, an error wrapping context.Canceled, at once.
func Exchange(ctx context.Context, addr string, payload []byte) ([]byte, error) {
	// TODO(week02, step 4): ask, and wait for one answer, not for ever.
	//  1. Refuse a payload longer than MaxPayload, as Send does.
	//  2. Work out the deadline: ctx.Deadline(), or
	//     time.Now().Add(DefaultExchangeTimeout) when ctx has none.
	//  3. Connect a UDP socket to addr (net.Dialer.DialContext with "udp").
	//     Connected, it receives datagrams from addr only, and it hears
	//     about an ICMP "port unreachable" as ECONNREFUSED on its next read.
	//     defer its Close.
	//  4. conn.SetDeadline(deadline); context.AfterFunc can set it to
	//     time.Now() when ctx is cancelled (stop it before returning).
	//  5. Write the payload, then Read into a buffer of MaxPayload bytes.
	//  6. When the read fails: if errors.Is(ctx.Err(), context.Canceled),
	//     return an error wrapping ctx.Err(). Otherwise a read that failed
	//     with os.ErrDeadlineExceeded means no reply came: return
	//     fmt.Errorf("%w from %s within %v", ErrNoReply, addr, waited). Any
	//     other error (ECONNREFUSED) goes back as it is, at once.
	//  7. Return a copy of buf[:n].
	// Pitfall: a Read without a deadline blocks for ever when the answer is
	// lost, and a datagram is lost without a trace. A buffer of 1024 bytes
	// silently cuts a long reply. And "ctx.Err() != nil, so it was
	// cancelled" is wrong: when ctx's deadline passes, ctx.Err() is
	// context.DeadlineExceeded, and that is no reply, not a cancellation.
	// Checked by: TestExchange, TestExchangeNoReply, TestExchangeDeadline,
	// TestExchangeCancel, TestMaxPayload, TestTooLarge, TestNoFDLeak,
	// TestBadAddress, TestScripts/cli_echo.
	_, _, _ = ctx, addr, payload
	return nil, ErrNotImplemented
}

// ExchangeRetry is the bonus: Exchange made reliable against lost datagrams by
// sending the request again, with sequence numbers that tell the tries apart.
//
// Try k (1, 2, 3, ...) is one datagram: k as a SeqSize-byte big-endian
// unsigned number, then payload. When no reply has come every after a try,
// ExchangeRetry sends the next one (every zero or less means
// DefaultRetryInterval). A reply counts when it comes from addr, holds at
// least SeqSize bytes and starts with the number of a try already sent; any
// other datagram is ignored. ExchangeRetry returns the first reply that
// counts, without its sequence number. An echo Receiver sends every try back
// as it is, so against it the result is payload.
//
// Deadline, cancellation and errors are those of Exchange, except that the
// longest payload is MaxPayload-SeqSize bytes; ErrNoReply means that no try
// was answered by the deadline.
func ExchangeRetry(ctx context.Context, addr string, payload []byte, every time.Duration) ([]byte, error) {
	// TODO(week02, bonus): retransmit until answered.
	//  1. Set up as in Exchange: size check (MaxPayload-SeqSize), deadline,
	//     connected socket.
	//  2. For seq = 1, 2, 3, ...: write seq (binary.BigEndian.PutUint32 into
	//     the first SeqSize bytes) followed by payload.
	//  3. Read with a read deadline of the earlier of now+every and the
	//     overall deadline. A timeout before the overall deadline: next try.
	//  4. Ignore replies shorter than SeqSize or numbered 0 or above seq;
	//     any other reply is the answer: return it without its header.
	// Pitfall: accepting only the reply to the latest try: the answer to an
	// earlier one, late but good, is then thrown away.
	// Checked by: TestExchangeRetry (bonus).
	_, _, _, _ = ctx, addr, payload, every
	return nil, ErrNotImplemented
}
