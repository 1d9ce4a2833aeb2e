// Package helpdesk is a line-based chat server and its client: the week 1
// extra lab of netlabs.
//
// Callers and staff of a helpdesk connect over TCP, each picks a nickname, and
// every line one of them types reaches all the others. The protocol is the one
// of the course's Python chat example, so clients of either server interoperate.
//
// # Lines
//
// Both directions carry text lines that end in "\n". The server removes one
// "\r" before the "\n" of every line it reads (telnet and "nc -C" send
// "\r\n") and itself sends bare "\n". A line holds at most MaxLine bytes
// before its "\n" (a "\r" counts). An over-long line is read up to its "\n"
// and thrown away, none of it relayed; the sender gets "ERR line too long" and
// stays connected. Bytes that the stream ends with, without a "\n" (a client
// that vanished mid-line), are dropped.
//
// # A session
//
//	S: NICK                     as soon as the client connects
//	C: alice                    the nickname
//	S: alice joined the chat!   to every joined client, alice included
//
// A nickname is 1 to MaxNick bytes, each a printable ASCII character other than
// space (0x21 to 0x7E), not held by another joined client. Nicknames are
// case-sensitive: "Alice" and "alice" are two people. A refused nickname gets
// one of these lines, then a new prompt; the client may try again:
//
//	S: ERR invalid nickname
//	S: ERR nickname taken
//	S: ERR line too long
//	S: NICK
//
// The line "/quit" at the prompt is not a nickname: the server closes the
// connection without a word.
//
// Once joined, each line the client sends goes to every OTHER joined client as
// "<nick>: <text>", the text exactly as received. The sender gets no copy.
// Empty lines are ignored. The line "/quit" (exactly) leaves: the server closes
// the connection. Whenever a joined client leaves, by /quit, by closing its end,
// after a read or write error or because it was too slow (below), the others get
//
//	S: alice left the chat!
//
// and the nickname is free again. A client that leaves before it joined is not
// announced.
//
// # Order
//
// Clients receive whole lines, never parts of two lines mixed together. The
// lines of one sender reach every receiver in the order they were sent. A
// newcomer's first line after its nickname is its own join notice; it then
// receives what is sent after it joined, and nothing from before.
//
// # Slow clients
//
// A client that stops reading must not stall the room. Every write to a
// client has a deadline Server.WriteTimeout ahead; a client whose write fails
// or misses its deadline is disconnected and announced as left. So a stuck
// client delays the others once, by at most WriteTimeout.
//
// # Shutdown
//
// Server.Close closes the listener and every connection, whether its client
// joined or is still at the prompt, and returns once every goroutine the
// server started has ended. Clients are not told; they see their connection
// close.
package helpdesk

import (
	"errors"
	"net"
	"time"
)

// Protocol limits.
const (
	// MaxLine is the longest line, in bytes before its "\n", that the server
	// accepts.
	MaxLine = 1024
	// MaxNick is the longest nickname, in bytes.
	MaxNick = 32
	// DefaultWriteTimeout is the write deadline of a Server whose WriteTimeout
	// is zero.
	DefaultWriteTimeout = 2 * time.Second
)

// ErrNotImplemented is what the unfinished lab returns.
var ErrNotImplemented = errors.New("helpdesk: not implemented")

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("helpdesk: server closed")

// Server is a helpdesk chat room. The zero value is ready to use. Set the
// fields before Serve and leave them alone afterwards.
type Server struct {
	// WriteTimeout bounds every write to a client: a client that cannot take a
	// line within it is disconnected. Zero means DefaultWriteTimeout.
	WriteTimeout time.Duration

	// Logf, if not nil, receives one line per event, without a newline:
	// "<nick> joined the chat!" when a nickname is accepted and
	// "<nick> left the chat!" when a joined client leaves for any reason,
	// Close included. It may be called from several goroutines at once, and
	// never after Close has returned.
	Logf func(format string, args ...any)

	// TODO(week01, step 1): add the server's state.
	//  1. A sync.Mutex guarding everything below. Keep the zero value usable:
	//     make the maps when you first need them.
	//  2. A closed flag, and the listener Serve got, so that Close can close it.
	//  3. Every open connection, joined or still at the prompt (a
	//     map[net.Conn]struct{}): Close must close them all.
	//  4. The joined clients by nickname (a map[string]net.Conn).
	//  5. A sync.WaitGroup counting the connection goroutines.
	// Pitfall: tracking only joined clients. A client sitting at the NICK
	// prompt also has a goroutine blocked in Read, and Close must end it too.
	// Checked by: TestClose, TestScripts/cli_shutdown.
}

// Serve accepts connections on ln and runs a session for each in a goroutine
// of its own, until Close. It blocks. Serve always closes ln before it
// returns. It returns ErrServerClosed after Close (also if Close came
// first), or the error that made Accept fail; in that case the clients already
// connected carry on until Close. Call Serve at most once.
func (s *Server) Serve(ln net.Listener) error {
	// TODO(week01, step 2): accept clients, one goroutine each.
	//  1. Remember ln under the mutex (if Close came first, close ln and return
	//     ErrServerClosed); defer ln.Close().
	//  2. Loop on ln.Accept. When it fails, return ErrServerClosed if Close
	//     was called, otherwise the error, wrapped ("accept: %w").
	//  3. Record the connection and start its goroutine with wg.Go, both under
	//     the mutex and only if the server is not closed: a WaitGroup must not
	//     grow once Close has started waiting.
	// Pitfall: asking for the nickname in the accept loop, as the Python
	// example does. One visitor who never answers NICK then blocks everyone
	// who comes after. Do the whole handshake in the connection's goroutine.
	// Checked by: TestConcurrent, TestSequential, TestClose,
	// TestListenerFails.
	//
	// TODO(week01, step 3): the handshake, in the connection's goroutine.
	//  1. Wrap the connection in bufio.NewReaderSize(conn, MaxLine+1) and read
	//     lines with ReadSlice('\n'): bufio.ErrBufferFull means the line is
	//     longer than MaxLine. Keep reading (and dropping) up to its "\n",
	//     then answer "ERR line too long". Strip the "\n" and one "\r"
	//     (strings.TrimSuffix).
	//  2. Send "NICK". Read the answer: "/quit" ends the session; an invalid
	//     name gets "ERR invalid nickname"; a name already joined gets
	//     "ERR nickname taken". After an ERR line, prompt again.
	//  3. Accept the name under the mutex: check it is free, add the client,
	//     and send "<nick> joined the chat!" to every joined client, the
	//     newcomer included, before unlocking: nothing may reach the newcomer
	//     before its own notice.
	// Pitfall: a stream that ends in the middle of a line (ReadSlice returns
	// the bytes and io.EOF) is a client that vanished: drop the bytes, never
	// relay them. bufio.Scanner gets this wrong for you: it returns the
	// unterminated rest as a last line, and it gives up on long lines.
	// Checked by: TestHandshake, TestNickname, TestLongLine, TestVanish,
	// TestQuit, TestCRLF, TestNewcomer.
	//
	// TODO(week01, step 4): the chat, in the same goroutine.
	//  1. Read lines until an error or "/quit". Skip empty lines. Send every
	//     other line as "<nick>: <text>" to each joined client but the sender,
	//     under the mutex, so that lines never mix.
	//  2. Write each line and its "\n" in one Write, after
	//     conn.SetWriteDeadline(time.Now().Add(timeout)). If the write fails,
	//     close that client's connection: its own goroutine's Read then fails
	//     and it leaves like any other client.
	//  3. Leaving (deferred, for every way out of the loop, but only once the
	//     client has joined): delete the nickname, send "<nick> left the chat!"
	//     to the others, close the connection, forget it, wg.Done.
	//  4. Call Logf (when it is not nil) for every join and leave, outside
	//     the mutex.
	// Pitfall: a write without a deadline to a client that stopped reading
	// blocks once its socket buffers are full, with the mutex held: the whole
	// room freezes.
	// Checked by: TestRelay, TestTextExact, TestCRLF, TestJoinLeave, TestQuit,
	// TestSequential, TestConcurrent, TestNewcomer, TestSlowReader,
	// TestScripts/cli_chat.
	return ErrNotImplemented
}

// Close closes the listener and every client connection, joined or still at
// the prompt, and returns when every goroutine the server started has ended.
// It may wait up to WriteTimeout for a write in progress. Close may be called
// more than once, and before Serve; it returns nil.
func (s *Server) Close() error {
	// TODO(week01, step 5): stop everything.
	//  1. Under the mutex: mark the server closed, close the listener (if
	//     Serve has one) and every connection you recorded.
	//  2. Unlock, then wait for the WaitGroup: the connection goroutines need
	//     the mutex to leave.
	// Pitfall: returning before the goroutines are done. They may still call
	// Logf or write to a connection after Close returned; goleak sees them.
	// Checked by: TestClose, TestCloseQuiet, TestScripts/cli_shutdown.
	return nil
}
