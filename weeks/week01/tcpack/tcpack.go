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
	"context"
	"errors"
	"net"
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
	// TODO(week01, step 1): accept clients until ctx is done.
	//  1. Loop on ln.Accept. Each connection gets its own deadline, taken
	//     when it is accepted: time.Now().Add(read timeout); use
	//     DefaultReadTimeout when s.ReadTimeout is zero or less.
	//  2. Answer the connection (step 2), then accept the next client. One at
	//     a time is enough; a goroutine per connection earns the bonus, and
	//     then Serve must wait for them all (sync.WaitGroup) before returning.
	//  3. A client that hangs up or stays silent is that client's problem:
	//     log it and go on serving. Only an Accept error ends the loop.
	//  4. Stop when ctx is done. Accept blocks, so something must wake it up:
	//     context.AfterFunc(ctx, ...) that closes ln does. After Accept fails,
	//     ctx.Err() tells a shutdown (return nil) from a real error (return
	//     fmt.Errorf("accept: %w", err)).
	//  5. Close ln on every return (defer), so the port is free at once.
	// Pitfall: returning after the first client ("accept one client") or on
	// the first client's error; forgetting to close ln, so a restart on the
	// same port fails with "address already in use".
	// Checked by: TestSequentialClients, TestRestartSamePort,
	// TestServeShutdown, TestShutdownWaits, TestListenerFails,
	// TestTwoListeners, TestReadTimeout, TestScripts/cli_shutdown, bonus
	// TestConcurrentClients.
	//
	// TODO(week01, step 2): answer one connection (write it as a method).
	//  1. defer conn.Close(): every connection ends closed, reply or not.
	//  2. Make a done ctx close conn too (context.AfterFunc, and call its stop
	//     function when the connection ends), or a silent client keeps
	//     Serve from returning.
	//  3. conn.SetDeadline(the deadline from step 1) before the first read.
	//  4. Read ONE line: the bytes up to and including the first "\n". Hints:
	//     bufio.Reader.ReadString; io.LimitReader to read at most
	//     MaxMessage+1 bytes, so a flood of bytes without a newline cannot
	//     make you wait or grow a buffer forever.
	//  5. A whole line: reply "ACK " + the message (strings.TrimSuffix the
	//     "\n"; do not trim spaces). MaxMessage+1 bytes and no newline: reply
	//     "ERR message too long". Anything else (EOF, timeout): no reply.
	//  6. Write the reply and its "\n", then call s.Logf (when not nil) with
	//     "reply to %s: %s", conn.RemoteAddr() and the reply.
	// Pitfall: taking one conn.Read as the whole message. TCP may deliver
	// "hel" and "lo\n" separately; keep reading until the newline.
	// Checked by: TestExchange, TestSplitRequest, TestTooLong, TestOneRequest,
	// TestSilentClient, TestReadTimeout, TestLogLine, TestScripts/cli_exchange.
	_ = ctx
	ln.Close() // Serve owns ln, even in this stub
	return ErrNotImplemented
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
	// TODO(week01, step 3): write the client.
	//  1. Refuse a message containing "\n" with ErrBadMessage (strings.Contains)
	//     before connecting.
	//  2. Work out the deadline: ctx.Deadline(), or time.Now().Add(DefaultSendTimeout).
	//  3. Connect with a net.Dialer (its Deadline field) and DialContext. On
	//     error, return the error at once: do not retry, do not wait.
	//  4. defer conn.Close(); conn.SetDeadline(deadline) so that no Read or
	//     Write can block past it; context.AfterFunc can cut it short when
	//     ctx is cancelled (then return an error wrapping ctx.Err(), which
	//     says context.Canceled, rather than the timeout that it caused).
	//  5. Write message + "\n", then read ONE line with bufio.Reader.ReadString.
	//     io.EOF before the newline means the server hung up without
	//     answering: return an error wrapping io.ErrUnexpectedEOF, never a
	//     reply.
	//  6. Return the line without its "\n" (strings.TrimSuffix).
	// Pitfall: a read without a deadline blocks forever when the server
	// accepts and never answers; net.Dial without the deadline and ctx
	// blocks when the server cannot take the connection; and one conn.Read
	// may hold only part of the reply ("AC"), or more than the reply.
	// Checked by: TestSend, TestSendNoServer, TestSendNoReply,
	// TestSendTimeouts, TestSendCancel, TestSendConnectTimeout, TestSendLeaks,
	// TestSendConcurrent, TestScripts/cli_exchange, TestScripts/cli_refused.
	_, _, _ = ctx, addr, message
	return "", ErrNotImplemented
}
