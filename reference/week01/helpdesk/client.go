package helpdesk

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
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

// errServerGone reports that the server closed the connection while the user
// was still talking.
var errServerGone = errors.New("helpdesk: the server closed the connection")

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
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("helpdesk: %w", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	r := bufio.NewReader(conn)
	conn.SetDeadline(time.Now().Add(HandshakeTimeout))
	joined, err := handshake(conn, r, nick)
	if err != nil {
		return failure(ctx, err)
	}
	conn.SetDeadline(time.Time{})
	if _, err := fmt.Fprintln(out, joined); err != nil {
		return err
	}

	// The receiving half: server lines to out, until the connection ends.
	done := make(chan struct{})
	var recvErr error
	go func() {
		defer close(done)
		recvErr = copyLines(out, r)
	}()
	gone := func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	}

	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if gone() {
			return failure(ctx, errServerGone)
		}
		if _, err := io.WriteString(conn, sc.Text()+"\n"); err != nil {
			conn.Close()
			<-done
			return failure(ctx, fmt.Errorf("helpdesk: send: %w", err))
		}
	}
	inErr := sc.Err()
	if gone() {
		return failure(ctx, errServerGone)
	}
	conn.SetReadDeadline(time.Now().Add(QuitTimeout))
	if _, err := io.WriteString(conn, "/quit\n"); err != nil {
		conn.Close()
		<-done
		return failure(ctx, fmt.Errorf("helpdesk: send: %w", err))
	}
	<-done
	if recvErr != nil {
		return failure(ctx, fmt.Errorf("helpdesk: waiting for the server to close after /quit: %w", recvErr))
	}
	if inErr != nil {
		return fmt.Errorf("helpdesk: read input: %w", inErr)
	}
	return nil
}

// handshake answers the prompt with nick and returns the server's answer, the
// join notice.
func handshake(conn net.Conn, r *bufio.Reader, nick string) (string, error) {
	prompt, err := r.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("helpdesk: waiting for NICK: %w", err)
	}
	if p := trimEOL(prompt); p != "NICK" {
		return "", fmt.Errorf("helpdesk: got %q, want the prompt NICK", p)
	}
	if _, err := io.WriteString(conn, nick+"\n"); err != nil {
		return "", fmt.Errorf("helpdesk: send nickname: %w", err)
	}
	answer, err := r.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("helpdesk: waiting for the join notice: %w", err)
	}
	answer = trimEOL(answer)
	if strings.HasPrefix(answer, "ERR ") {
		return "", fmt.Errorf("helpdesk: nickname %q refused: %s", nick, answer)
	}
	return answer, nil
}

// copyLines copies the server's lines to out until the stream ends; it returns
// nil at EOF.
func copyLines(out io.Writer, r *bufio.Reader) error {
	for {
		line, err := r.ReadString('\n')
		if line != "" && err == nil {
			if _, werr := fmt.Fprintln(out, trimEOL(line)); werr != nil {
				return werr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// failure prefers the context's error, which explains a closed connection.
func failure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("helpdesk: %w", ctx.Err())
	}
	return err
}

func trimEOL(s string) string {
	return strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")
}
