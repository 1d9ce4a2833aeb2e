// Package tcpack is week 1's basic lab: a TCP server that acknowledges one
// message per connection, and the client that sends the message.
//
// # Protocol
//
// A connection carries exactly one request and at most one reply. Both are
// lines of text ending in a single "\n" (no "\r"):
//
//	client → server   <message>\n
//	server → client   ACK <message>\n          then the server closes the connection
//
// The message is every byte before the first "\n", unchanged: it may be empty
// (the reply is then "ACK \n"), may hold spaces anywhere, leading and trailing
// ones included, and any UTF-8 text, but never a "\n". It is at most
// MaxMessage bytes long. When MaxMessage+1 bytes have arrived and none of
// them is a "\n", the server answers at once, without waiting for the rest:
//
//	server → client   ERR message too long\n   then the server closes the connection
//
// A client that has not sent its whole request line within the server's read
// timeout (counted from the moment the server accepted it), or that hangs up
// before its "\n", gets no reply: the server closes the connection.
//
// TCP is a byte stream, not a message service: one Write may arrive as several
// Reads, and several Writes as one Read. Both sides therefore read up to the
// newline, never "one Read is one message".
//
// # Programs
//
// The programs ackserver and ackclient (weeks/week01/cmd) wrap Server and Send;
// cli.go parses their flags:
//
//	ackserver -addr 127.0.0.1:0 -addrfile FILE -timeout 2s
//	ackclient -addr HOST:PORT -timeout 3s MESSAGE...
package tcpack

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// Protocol limits and default timeouts.
const (
	// MaxMessage is the longest message in bytes, not counting its "\n".
	MaxMessage = 1024
	// DefaultReadTimeout is the server's read timeout when Server.ReadTimeout is zero.
	DefaultReadTimeout = 2 * time.Second
	// DefaultSendTimeout bounds Send when its context has no deadline.
	DefaultSendTimeout = 3 * time.Second
)

var (
	// ErrNotImplemented is returned by the parts of the lab still to be written.
	ErrNotImplemented = errors.New("tcpack: not implemented")
	// ErrBadMessage is returned by Send for a message that contains a "\n".
	ErrBadMessage = errors.New("tcpack: message contains a newline")
)

// Server answers acknowledgement requests. It holds only settings, so one
// Server may serve several listeners, one after another or at the same time.
// The zero value is ready to use.
type Server struct {
	// ReadTimeout is how long a client has, from the moment it is accepted,
	// to send its whole request line. Zero or less means DefaultReadTimeout.
	ReadTimeout time.Duration
	// Logf, when not nil, is called once for every reply the server writes, as
	// Logf("reply to %s: %s", <client address>, <reply without "\n">), and
	// may be called for other events (timeouts, errors) in any words. It may
	// be called from several goroutines at once.
	Logf func(format string, args ...any)
}

// Serve accepts connections on ln and answers each one as the package
// documentation describes, until ctx is done. Serve owns ln: it closes ln
// before returning, whatever the reason.
//
// When ctx is done, Serve stops accepting, closes every connection it still
// has open (a client in the middle of its request gets no reply), waits until
// everything it started has ended (a call to Logf included), and returns nil.
// It returns an error only when ln fails for another reason (closed by
// someone else, say), at once, wrapped as "accept: <error>".
//
// Serving clients one at a time is enough for the lab; serving them at the
// same time is the bonus. Either way, a client that sends nothing can hold up
// the others for at most the read timeout.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// Closing ln is what wakes up a blocked Accept when ctx is done.
	defer ln.Close()
	defer onDone(ctx, func() { ln.Close() })()

	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("accept: %w", err)
		}
		deadline := time.Now().Add(s.readTimeout())
		wg.Go(func() { s.handle(ctx, conn, deadline) })
	}
}

// handle answers the one request of conn, which must be complete by deadline,
// and closes conn. It returns early when ctx is done.
func (s *Server) handle(ctx context.Context, conn net.Conn, deadline time.Time) {
	defer conn.Close()
	defer onDone(ctx, func() { conn.Close() })()
	conn.SetDeadline(deadline)

	// Read at most MaxMessage+1 bytes: a message and its newline, or the proof
	// that the message is too long.
	line, err := bufio.NewReader(io.LimitReader(conn, MaxMessage+1)).ReadString('\n')
	var reply string
	switch {
	case err == nil:
		reply = "ACK " + strings.TrimSuffix(line, "\n")
	case len(line) > MaxMessage:
		reply = "ERR message too long"
	default:
		s.logf("%s: no request: %v", conn.RemoteAddr(), err)
		return
	}
	if _, err := io.WriteString(conn, reply+"\n"); err != nil {
		s.logf("%s: write reply: %v", conn.RemoteAddr(), err)
		return
	}
	s.logf("reply to %s: %s", conn.RemoteAddr(), reply)
}

func (s *Server) readTimeout() time.Duration {
	if s.ReadTimeout <= 0 {
		return DefaultReadTimeout
	}
	return s.ReadTimeout
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

func (s *Server) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}

// Send connects to the server at addr, sends message as one request line,
// waits for the reply line, closes the connection and returns the reply
// without its "\n": "ACK <message>", or the server's "ERR ..." line as it is
// (an ERR reply is not an error of Send).
//
// The whole exchange, connecting included, ends by ctx's deadline, or
// DefaultSendTimeout from now when ctx has none; cancelling ctx ends it too.
// Send never blocks longer than that.
//
// Errors: ErrBadMessage, without connecting, when message contains a "\n"
// anywhere; the dial error as it is (it names the address, and errors.Is
// matches syscall.ECONNREFUSED when nobody listens there), at once, without
// retrying; an error wrapping os.ErrDeadlineExceeded or
// context.DeadlineExceeded when the time runs out; an error wrapping
// context.Canceled when ctx is cancelled; an error wrapping
// io.ErrUnexpectedEOF when the server closes the connection before a whole
// reply line. Send does not check MaxMessage: the server does. Send closes
// its connection before it returns, whatever the outcome.
func Send(ctx context.Context, addr, message string) (string, error) {
	if strings.Contains(message, "\n") {
		return "", ErrBadMessage
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(DefaultSendTimeout)
	}
	d := net.Dialer{Deadline: deadline}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	conn.SetDeadline(deadline)
	defer onDone(ctx, func() { conn.SetDeadline(time.Now()) })()

	if _, err := io.WriteString(conn, message+"\n"); err != nil {
		return "", fmt.Errorf("send to %s: %w", addr, cancelled(ctx, err))
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read reply from %s: connection closed before a whole line: %w", addr, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return "", fmt.Errorf("read reply from %s: %w", addr, cancelled(ctx, err))
	}
	return strings.TrimSuffix(reply, "\n"), nil
}

// cancelled explains an I/O error that cancelling ctx caused (through the
// deadline it set): it wraps context.Canceled, not a timeout.
func cancelled(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return ctx.Err()
	}
	return err
}
