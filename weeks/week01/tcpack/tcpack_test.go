package tcpack_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week01/tcpack"
)

// replyWait bounds how long a test client waits for the server's whole answer.
const replyWait = 2 * time.Second

// ---- The server, tested with raw clients ----

func TestExchange(t *testing.T) {
	labtest.NoLeaks(t)
	addr, _ := serve(t, &tcpack.Server{Logf: t.Logf})
	tests := []struct{ name, message string }{
		{"word", "hello"},
		{"sentence", "hello, TCP world"},
		{"spaces kept", "  two spaces before, two after  "},
		{"empty", ""},
		{"utf-8", "grüße, 世界 ✓"},
		{"looks like a reply", "ERR 42 ACK"},
		{"control characters kept", "a tab\there, a carriage return\r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := request(t, addr, 0, tt.message+"\n")
			wantReply(t, "", got, err, "ACK "+tt.message+"\n")
		})
	}
}

func TestSequentialClients(t *testing.T) {
	labtest.NoLeaks(t)
	// Every client takes its time but stays within its own read timeout; all
	// of them together take longer than one read timeout.
	const timeout, typing = 500 * time.Millisecond, 150 * time.Millisecond
	addr, _ := serve(t, &tcpack.Server{ReadTimeout: timeout, Logf: t.Logf})
	rng := labtest.Rand(t)
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"}
	for i := 1; i <= 6; i++ {
		if i == 3 {
			// A client that connects and leaves without a request must not
			// stop the server.
			labtest.Dial(t, addr).Close()
			continue
		}
		msg := fmt.Sprintf("client %d says %s %s", i, words[rng.IntN(len(words))], words[rng.IntN(len(words))])
		got, err := request(t, addr, typing, msg+"\n")
		if !wantReply(t, fmt.Sprintf("client %d of 6, each %v after the previous one, read timeout %v (client 3 hung up without a request)", i, typing, timeout), got, err, "ACK "+msg+"\n") {
			t.FailNow()
		}
	}
}

func TestRestartSamePort(t *testing.T) {
	labtest.NoLeaks(t)
	srv := &tcpack.Server{Logf: t.Logf}
	ln := labtest.Listen(t)
	addr := ln.Addr().String()
	for round := 1; round <= 3; round++ {
		if round > 1 {
			ln = relisten(t, addr, round)
		}
		_, stop := serveOn(t, srv, ln)
		msg := fmt.Sprintf("round %d", round)
		got, err := request(t, addr, 0, msg+"\n")
		wantReply(t, msg, got, err, "ACK "+msg+"\n")
		if err := stop(); errors.Is(err, labtest.ErrStuck) {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// relisten listens on addr again, right after Serve returned. It allows the
// operating system a moment to finish closing the old listener.
func relisten(t *testing.T, addr string, round int) net.Listener {
	t.Helper()
	start := time.Now()
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			t.Cleanup(func() { ln.Close() })
			return ln
		}
		if time.Since(start) > time.Second {
			t.Fatalf("round %d: listen again on %s: %v\n(Serve must close its listener before it returns)", round, addr, err)
		}
		time.Sleep(10 * time.Millisecond) // polling: the port is not free yet
	}
}

func TestSplitRequest(t *testing.T) {
	labtest.NoLeaks(t)
	addr, _ := serve(t, &tcpack.Server{Logf: t.Logf})
	rng := labtest.Rand(t)
	long := "a message cut at random places, sent in several writes"
	var cuts []string
	for rest := long + "\n"; rest != ""; {
		n := min(1+rng.IntN(15), len(rest))
		cuts, rest = append(cuts, rest[:n]), rest[n:]
	}
	tests := []struct {
		name   string
		pieces []string
		want   string
	}{
		{"three pieces", []string{"hel", "lo, wo", "rld\n"}, "ACK hello, world\n"},
		{"newline alone", []string{"almost done", "\n"}, "ACK almost done\n"},
		{"inside a utf-8 letter", []string{"caf\xc3", "\xa9 crème\n"}, "ACK café crème\n"},
		{"random cuts", cuts, "ACK " + long + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := request(t, addr, 30*time.Millisecond, tt.pieces...)
			wantReply(t, fmt.Sprintf("request sent in %d writes, 30ms apart: %q", len(tt.pieces), tt.pieces), got, err, tt.want)
		})
	}
}

func TestTooLong(t *testing.T) {
	labtest.NoLeaks(t)
	// A long read timeout: waiting for a newline that never comes shows up
	// as a missing reply, not as a closed connection.
	addr, _ := serve(t, &tcpack.Server{ReadTimeout: 5 * time.Second, Logf: t.Logf})
	longest := strings.Repeat("x", tcpack.MaxMessage)
	over := strings.Repeat("y", tcpack.MaxMessage+1)
	tests := []struct {
		name   string
		pieces []string
		want   string
	}{
		{"exactly MaxMessage bytes", []string{longest + "\n"}, "ACK " + longest + "\n"},
		{"MaxMessage+1 bytes, no newline yet", []string{over}, "ERR message too long\n"},
		{"MaxMessage+1 bytes, then the newline", []string{over + "\n"}, "ERR message too long\n"},
		{"MaxMessage bytes, then a hang-up", []string{longest}, ""},
		// The limit counts bytes, not letters: "é" is two bytes.
		{"MaxMessage bytes of 2-byte letters", []string{strings.Repeat("é", tcpack.MaxMessage/2) + "\n"}, "ACK " + strings.Repeat("é", tcpack.MaxMessage/2) + "\n"},
		{"MaxMessage+1 bytes, far fewer letters", []string{strings.Repeat("é", tcpack.MaxMessage/2) + "!"}, "ERR message too long\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hangUp := tt.want == ""
			got, err := requestThenHangUp(t, addr, hangUp, tt.pieces...)
			if hangUp && strings.HasPrefix(got, "ACK ") && err == nil {
				t.Skipf("server sent %q: an answer to a hang-up, which TestOneRequest grades; not too long, anyway", short(got))
			}
			why := ""
			if hangUp {
				why = "the client shut down its sending side after MaxMessage bytes without a newline"
			}
			wantReply(t, why, got, err, tt.want)
		})
	}
}

// requestThenHangUp is request, and with hangUp the client shuts down its
// sending side after the pieces: not a newline, the end of its request.
func requestThenHangUp(t *testing.T, addr string, hangUp bool, pieces ...string) (string, error) {
	t.Helper()
	if !hangUp {
		return request(t, addr, 0, pieces...)
	}
	c := labtest.Dial(t, addr)
	defer c.Close()
	for _, p := range pieces {
		io.WriteString(c, p)
	}
	c.(*net.TCPConn).CloseWrite()
	c.SetReadDeadline(time.Now().Add(replyWait))
	b, err := io.ReadAll(c)
	if closedByPeer(err) {
		err = nil
	}
	return string(b), err
}

func TestSilentClient(t *testing.T) {
	labtest.NoLeaks(t)
	addr, _ := serve(t, &tcpack.Server{ReadTimeout: 300 * time.Millisecond, Logf: t.Logf})
	quiet := labtest.Dial(t, addr) // connects first, never sends
	got, err := request(t, addr, 0, "next\n")
	wantReply(t, "a client connected before this one and never sent anything; read timeout 300ms", got, err, "ACK next\n")

	quiet.SetReadDeadline(time.Now().Add(replyWait))
	n, err := quiet.Read(make([]byte, 64))
	if n != 0 || !closedByPeer(err) {
		t.Errorf("silent client: Read = %d bytes, %v; want the server to close the connection without a reply once its read timeout (300ms) has passed", n, err)
	}
}

func TestServeShutdown(t *testing.T) {
	labtest.NoLeaks(t)
	addr, stop := serve(t, &tcpack.Server{ReadTimeout: 10 * time.Second, Logf: t.Logf})
	got, err := request(t, addr, 0, "before\n")
	wantReply(t, "", got, err, "ACK before\n")

	// A client that has not sent its request yet, with 10s of read timeout left.
	idle := labtest.Dial(t, addr)
	// Serve must hold the connection when it is told to stop: one still in
	// the listener's queue would be reset by the listener's close alone.
	labtest.WaitAccepted(t, addr)
	start := time.Now()
	err = stop()
	switch {
	case errors.Is(err, labtest.ErrStuck):
		t.Fatalf("%v, while a client was still connected", err)
	case err != nil:
		t.Errorf("Serve returned %v after its context was cancelled, want nil", err)
	}
	t.Logf("Serve returned %v after cancel", time.Since(start).Round(time.Millisecond))

	idle.SetReadDeadline(time.Now().Add(time.Second))
	n, err := idle.Read(make([]byte, 64))
	if n != 0 || !closedByPeer(err) {
		t.Errorf("connected client: Read = %d bytes, %v; want its connection closed by the shutdown, without a reply", n, err)
	}
}

// TestConcurrentClients is the bonus: clients are served at the same time.
func TestConcurrentClients(t *testing.T) {
	labtest.NoLeaks(t)
	addr, _ := serve(t, &tcpack.Server{ReadTimeout: 5 * time.Second, Logf: t.Logf})
	slow := labtest.Dial(t, addr)
	if _, err := io.WriteString(slow, "still typ"); err != nil {
		t.Fatal(err)
	}
	got, err := request(t, addr, 0, "quick\n")
	wantReply(t, "another client is connected and typing slowly (read timeout 5s); this one must not wait for it", got, err, "ACK quick\n")
	slow.Close()
}

// ---- The client, tested with fake servers ----

func TestSend(t *testing.T) {
	labtest.NoLeaks(t)
	tests := []struct {
		name    string
		message string
		reply   []string // written by the fake server, 30ms apart
		hangup  bool     // the fake server closes right after the reply
		want    string   // "" when Send must fail
	}{
		{"one write", "hello", []string{"ACK hello\n"}, false, "ACK hello"},
		{"reply in pieces", "hello, world", []string{"AC", "K hello", ", world\n"}, false, "ACK hello, world"},
		{"more after the line", "hi", []string{"ACK hi\nnot part of the reply\n"}, false, "ACK hi"},
		{"ERR reply", strings.Repeat("z", 2000), []string{"ERR message too long\n"}, true, "ERR message too long"},
		{"spaces and utf-8", "  ça va ", []string{"ACK   ça va \n"}, true, "ACK   ça va "},
		{"carriage return kept", "cr\r", []string{"ACK cr\r\n"}, true, "ACK cr\r"},
		{"empty message", "", []string{"ACK \n"}, true, "ACK "},
		{"reply cut short", "hello", []string{"ACK hel"}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := make(chan string, 1)
			clientClosed := make(chan bool, 1)
			addr := fakeServer(t, func(c net.Conn, r *bufio.Reader) {
				line, _ := r.ReadString('\n')
				lines <- line
				for i, p := range tt.reply {
					if i > 0 {
						time.Sleep(30 * time.Millisecond) // make the reply arrive in pieces
					}
					io.WriteString(c, p)
				}
				if !tt.hangup {
					_, err := io.Copy(io.Discard, r)
					clientClosed <- err == nil
				}
			})
			ctx, cancel := context.WithTimeout(context.Background(), replyWait)
			defer cancel()
			got, err := tcpack.Send(ctx, addr, tt.message)
			switch {
			case tt.want == "" && !errors.Is(err, io.ErrUnexpectedEOF):
				t.Fatalf("server sent %q and closed: Send = %q, %v; want an error wrapping io.ErrUnexpectedEOF", tt.reply, got, err)
			case tt.want != "" && (got != tt.want || err != nil):
				t.Fatalf("server sent %q (in %d writes): Send = %q, %v; want %q, nil", tt.reply, len(tt.reply), short(got), err, tt.want)
			}
			// The fake server has read the request: it answers only after that.
			if line := <-lines; line != tt.message+"\n" {
				t.Errorf("the server received %q, want the message and one newline: %q", short(line), short(tt.message+"\n"))
			}
			if !tt.hangup && !<-clientClosed {
				t.Errorf("Send returned but did not close its connection")
			}
		})
	}
	// A message with a newline anywhere is refused before any connection:
	// the listener below must have nobody waiting to be accepted.
	ln := labtest.Listen(t)
	for _, msg := range []string{"two\nlines", "trailing newline\n", "windows line\r\n", "\n"} {
		t.Run(fmt.Sprintf("newline in %q", msg), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), replyWait)
			defer cancel()
			if got, err := tcpack.Send(ctx, ln.Addr().String(), msg); !errors.Is(err, tcpack.ErrBadMessage) {
				t.Errorf("Send(%q) = %q, %v; want ErrBadMessage", msg, got, err)
			}
			ln.(*net.TCPListener).SetDeadline(time.Now().Add(50 * time.Millisecond))
			if c, err := ln.Accept(); err == nil {
				c.Close()
				t.Errorf("Send(%q) connected to the server; want ErrBadMessage without connecting", msg)
			}
		})
	}
}

func TestSendNoServer(t *testing.T) {
	labtest.NoLeaks(t)
	addr := labtest.FreeAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), replyWait)
	defer cancel()
	start := time.Now()
	got, err := tcpack.Send(ctx, addr, "anyone there?")
	elapsed := time.Since(start)
	switch {
	case err == nil:
		t.Fatalf("Send to %s, where nobody listens = %q, nil; want an error", addr, got)
	case elapsed > 500*time.Millisecond:
		t.Errorf("Send took %v to fail (%v); a refused connection must be reported at once, not retried until the deadline", elapsed.Round(time.Millisecond), err)
	case !errors.Is(err, syscall.ECONNREFUSED):
		t.Errorf("Send error = %v; want the dial error itself, with errors.Is(err, syscall.ECONNREFUSED)", err)
	case !strings.Contains(err.Error(), addr):
		t.Errorf("Send error = %q; want it to name the address %s", err, addr)
	}
}

func TestSendNoReply(t *testing.T) {
	labtest.NoLeaks(t)
	tests := []struct {
		name    string
		silent  bool // the server keeps the connection open and never answers
		timeout time.Duration
	}{
		{"server never answers", true, 300 * time.Millisecond},
		{"server hangs up", false, replyWait},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := make(chan string, 1)
			addr := fakeServer(t, func(c net.Conn, r *bufio.Reader) {
				line, _ := r.ReadString('\n')
				lines <- line
				if tt.silent {
					io.Copy(io.Discard, r) // until the client gives up, or 3s
				}
			})
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			start := time.Now()
			got, err := tcpack.Send(ctx, addr, "hello?")
			elapsed := time.Since(start)
			switch {
			case err == nil:
				t.Errorf("Send = %q, nil; want an error, since the server never answered", got)
			case tt.silent && elapsed > tt.timeout+time.Second:
				t.Errorf("Send gave up after %v (%v); want it to give up at its context's deadline, %v", elapsed.Round(time.Millisecond), err, tt.timeout)
			case tt.silent && !isTimeout(err):
				t.Errorf("Send error = %v; want a timeout error (os.ErrDeadlineExceeded)", err)
			case !tt.silent && !errors.Is(err, io.ErrUnexpectedEOF):
				t.Errorf("Send error = %v; want an error wrapping io.ErrUnexpectedEOF", err)
			case !tt.silent && elapsed > time.Second:
				t.Errorf("Send took %v to notice that the server hung up", elapsed.Round(time.Millisecond))
			}
			select {
			case line := <-lines:
				if line != "hello?\n" {
					t.Errorf("the server received %q, want %q", line, "hello?\n")
				}
			case <-time.After(time.Second):
				t.Errorf("the server received no request")
			}
		})
	}
}

// ---- Helpers ----

// serve runs srv.Serve on a fresh loopback listener; see serveOn.
func serve(t *testing.T, srv *tcpack.Server) (addr string, stop func() error) {
	t.Helper()
	return serveOn(t, srv, labtest.Listen(t))
}

// serveOn runs srv.Serve(ctx, ln) in a goroutine. stop cancels ctx and
// returns Serve's error, or labtest.ErrStuck when Serve has not returned within 2s.
// The test's cleanup calls stop, and fails the test if Serve is stuck. A
// Serve that returns on its own fails the test.
func serveOn(t *testing.T, srv *tcpack.Server, ln net.Listener) (addr string, stop func() error) {
	t.Helper()
	stop = labtest.Background(t, func(ctx context.Context) error { return srv.Serve(ctx, ln) })
	return ln.Addr().String(), stop
}

// request connects to addr, writes the pieces (waiting pause before each)
// and returns everything the server sent until it closed the connection; err
// is the error that ended the read, nil on a close (a reset included). It gives up after
// replyWait. A write error ends the writing: the server may have answered.
func request(t *testing.T, addr string, pause time.Duration, pieces ...string) (string, error) {
	t.Helper()
	c := labtest.Dial(t, addr)
	defer c.Close()
	for _, p := range pieces {
		time.Sleep(pause) // the client's own pace, part of the scenario
		if _, err := io.WriteString(c, p); err != nil {
			t.Logf("write: %v", err)
			break
		}
	}
	c.SetReadDeadline(time.Now().Add(replyWait))
	b, err := io.ReadAll(c)
	if errors.Is(err, syscall.ECONNRESET) {
		// A server that closes with bytes of the request still unread (a
		// request longer than it needs, more than one line) resets the
		// connection; what it wrote before still arrives first.
		err = nil
	}
	return string(b), err
}

// wantReply reports a server whose answer was not want followed by a close,
// after the context of the exchange, why, if any. It tells whether all went well.
func wantReply(t *testing.T, why string, got string, err error, want string) bool {
	t.Helper()
	if got == want && err == nil {
		return true
	}
	if why != "" {
		t.Log(why)
	}
	switch {
	case isTimeout(err):
		t.Errorf("server sent %q, then nothing for %v; want %q and the connection closed", short(got), replyWait, short(want))
	case err != nil:
		t.Errorf("server sent %q, then %v; want %q and the connection closed", short(got), err, short(want))
	default:
		t.Errorf("server sent %q and closed; want %q", short(got), short(want))
	}
	return false
}

// fakeServer accepts one connection on a fresh listener and runs handle on
// it in a goroutine, with a 3s deadline; the connection is closed when handle
// returns. It returns the listener's address. The test's cleanup waits for it.
func fakeServer(t *testing.T, handle func(c net.Conn, r *bufio.Reader)) string {
	t.Helper()
	ln := labtest.Listen(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(3 * time.Second))
		handle(c, bufio.NewReader(c))
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &ne) && ne.Timeout()
}

// closedByPeer tells whether a Read error means the peer closed the connection.
func closedByPeer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)
}

// short abbreviates long strings in messages.
func short(s string) string {
	if len(s) <= 60 {
		return s
	}
	return fmt.Sprintf("%s…(%d bytes)…%s", s[:20], len(s), s[len(s)-20:])
}
