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
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
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
	n, _, flags, from, err := conn.ReadMsgUDP(buf, nil)
	if err != nil {
		return Datagram{}, err
	}
	if flags&syscall.MSG_TRUNC != 0 {
		return Datagram{From: from}, fmt.Errorf("%w: the datagram from %s is larger than the %d-byte buffer", ErrTruncated, from, len(buf))
	}
	return Datagram{From: from, Payload: buf[:n]}, nil
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
	// Closing conn is what wakes up a blocked read when ctx is done.
	defer conn.Close()
	defer onDone(ctx, func() { conn.Close() })()

	buf := make([]byte, r.bufferSize())
	for {
		d, err := Receive(conn, buf)
		switch {
		case errors.Is(err, ErrTruncated):
			r.handle(d, err)
			continue
		case err != nil:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("receive: %w", err)
		}
		// buf is read into again at once: hand out a copy that stays valid.
		d.Payload = bytes.Clone(d.Payload)
		if r.Echo {
			// An echo that fails is lost like any datagram; the sender
			// finds out by not getting it.
			conn.WriteToUDP(d.Payload, d.From)
		}
		r.handle(d, nil)
	}
}

func (r *Receiver) bufferSize() int {
	if r.BufferSize <= 0 {
		return MaxPayload
	}
	return r.BufferSize
}

func (r *Receiver) handle(d Datagram, err error) {
	if r.Handle != nil {
		r.Handle(d, err)
	}
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
	if err := checkSize(len(payload), MaxPayload); err != nil {
		return err
	}
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write(payload)
	return err
}

// checkSize refuses a payload of n bytes when it exceeds limit.
func checkSize(n, limit int) error {
	if n > limit {
		return fmt.Errorf("payload of %d bytes, more than the %d that fit in a datagram: %w", n, limit, syscall.EMSGSIZE)
	}
	return nil
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
	if err := checkSize(len(payload), MaxPayload); err != nil {
		return nil, err
	}
	x, err := dialExchange(ctx, addr)
	if err != nil {
		return nil, err
	}
	defer x.close()
	if _, err := x.conn.Write(payload); err != nil {
		return nil, err
	}
	buf := make([]byte, MaxPayload)
	n, err := x.conn.Read(buf)
	if err != nil {
		return nil, x.readError(err)
	}
	return bytes.Clone(buf[:n]), nil
}

// exchange is the connected socket of one Exchange, with its deadline.
type exchange struct {
	ctx      context.Context
	addr     string
	conn     net.Conn
	start    time.Time
	deadline time.Time
	stop     func()
}

// dialExchange connects a UDP socket to addr and bounds it by ctx: its
// deadline, or DefaultExchangeTimeout, and its cancellation.
func dialExchange(ctx context.Context, addr string) (*exchange, error) {
	x := &exchange{ctx: ctx, addr: addr, start: time.Now()}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = x.start.Add(DefaultExchangeTimeout)
	}
	x.deadline = deadline
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", addr)
	if err != nil {
		return nil, err
	}
	x.conn = conn
	conn.SetDeadline(deadline)
	x.stop = onDone(ctx, func() { conn.SetDeadline(time.Now()) })
	return x, nil
}

func (x *exchange) close() {
	x.stop()
	x.conn.Close()
}

// readError turns the error that ended the wait for a reply into Exchange's
// error.
func (x *exchange) readError(err error) error {
	switch {
	case errors.Is(x.ctx.Err(), context.Canceled):
		return fmt.Errorf("exchange with %s: %w", x.addr, x.ctx.Err())
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("%w from %s within %v", ErrNoReply, x.addr, x.deadline.Sub(x.start).Round(time.Millisecond))
	}
	return err
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
	if err := checkSize(len(payload), MaxPayload-SeqSize); err != nil {
		return nil, err
	}
	if every <= 0 {
		every = DefaultRetryInterval
	}
	x, err := dialExchange(ctx, addr)
	if err != nil {
		return nil, err
	}
	defer x.close()

	msg := make([]byte, SeqSize+len(payload))
	copy(msg[SeqSize:], payload)
	buf := make([]byte, MaxPayload)
	for seq := uint32(1); ; seq++ {
		binary.BigEndian.PutUint32(msg, seq)
		if _, err := x.conn.Write(msg); err != nil {
			return nil, err
		}
		x.conn.SetReadDeadline(minTime(time.Now().Add(every), x.deadline))
		for {
			n, err := x.conn.Read(buf)
			if errors.Is(err, os.ErrDeadlineExceeded) && x.ctx.Err() == nil && time.Now().Before(x.deadline) {
				break // this try went unanswered: send the next one
			}
			if err != nil {
				return nil, x.readError(err)
			}
			if n < SeqSize {
				continue
			}
			if k := binary.BigEndian.Uint32(buf); k >= 1 && k <= seq {
				return bytes.Clone(buf[SeqSize:n]), nil
			}
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
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
