package helpdesk

import (
	"context"
	"io"
	"time"
)

// Client timing.
const (
	// HandshakeTimeout bounds Chat's wait for the prompt and for the answer to
	// the nickname.
	HandshakeTimeout = 5 * time.Second
	// QuitTimeout bounds Chat's wait for the server to close the connection
	// after "/quit".
	QuitTimeout = 2 * time.Second
)

// Chat joins the helpdesk at addr as nick and runs one session, line by line:
//
//   - It dials addr, waits for the prompt "NICK" and answers with nick. If the
//     server refuses the nickname (a line starting "ERR "), Chat closes the
//     connection and returns an error that quotes the server's line; it does
//     not try another name.
//   - From the server's answer to the nickname (the join notice) on, it writes
//     every line the server sends to out, each followed by "\n".
//   - It sends every line of in to the server.
//   - When in ends (EOF, or a read error), it sends "/quit", keeps printing
//     until the server closes the connection, and returns nil (or in's error).
//
// The handshake must complete within HandshakeTimeout and the server must
// close the connection within QuitTimeout of "/quit"; otherwise Chat returns
// an error. Chat reads in on the calling goroutine, so it cannot return while
// a Read on in is blocked: if the server closes the connection first, or ctx
// is done, Chat notices at in's next line or EOF, and returns an error.
// Cancelling ctx closes the connection at once. Chat's own goroutines have
// ended when it returns; it writes to out from one goroutine at a time.
func Chat(ctx context.Context, addr, nick string, in io.Reader, out io.Writer) error {
	// TODO(week01, step 6): the line client used by helpdesk-client.
	//  1. Dial with a net.Dialer's DialContext; defer conn.Close(). Register
	//     context.AfterFunc(ctx, ...) to close the connection when ctx ends.
	//  2. Handshake under conn.SetDeadline(time.Now().Add(HandshakeTimeout)):
	//     read "NICK" (a bufio.Reader's ReadString('\n')), send nick, read the
	//     answer. "ERR ..." is an error that quotes it; anything else is the
	//     join notice: print it. Then clear the deadline (the zero time.Time).
	//  3. Start one goroutine that copies the server's lines to out until the
	//     connection ends, and closes a channel when it is done.
	//  4. On this goroutine, read in with a bufio.Scanner and send each line.
	//     If the receiving goroutine is already done, the server has gone:
	//     stop and return an error.
	//  5. At the end of in: set a read deadline QuitTimeout ahead, send
	//     "/quit", wait for the receiving goroutine, return nil.
	// Pitfall: returning (or closing the connection) right after "/quit".
	// Lines the server sent just before are still on their way: keep reading
	// until the server closes the connection.
	// Checked by: TestChat, TestChatErrors, TestChatCancel,
	// TestScripts/cli_client.
	return ErrNotImplemented
}
