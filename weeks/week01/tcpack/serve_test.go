package tcpack_test

// The server's contract at its edges: one request per connection, the read
// timeout and its default, a listener that fails, a shutdown that waits, the
// log line, and one Server on two listeners.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week01/tcpack"
)

func TestOneRequest(t *testing.T) {
	labtest.NoLeaks(t)
	// A long read timeout: a server that waits for more shows up as a missing
	// reply or a connection left open, not as a closed connection.
	addr, _ := serve(t, &tcpack.Server{ReadTimeout: 5 * time.Second, Logf: t.Logf})
	tests := []struct {
		name      string
		pieces    []string
		halfClose bool // the client shuts down its sending side after the pieces
		want      string
	}{
		{"two lines in one write", []string{"first\nsecond\n"}, false, "ACK first\n"},
		{"a line and the start of another", []string{"only this\nnot th"}, false, "ACK only this\n"},
		{"half-close after the newline", []string{"hello\n"}, true, "ACK hello\n"},
		{"half-close before the newline", []string{"no newline"}, true, ""},
		{"half-close before any byte", nil, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := labtest.Dial(t, addr)
			defer c.Close()
			for _, p := range tt.pieces {
				if _, err := io.WriteString(c, p); err != nil {
					t.Fatalf("write: %v", err)
				}
			}
			if tt.halfClose {
				if err := c.(*net.TCPConn).CloseWrite(); err != nil {
					t.Fatalf("CloseWrite: %v", err)
				}
			}
			c.SetReadDeadline(time.Now().Add(replyWait))
			b, err := io.ReadAll(c)
			if closedByPeer(err) {
				err = nil
			}
			why := fmt.Sprintf("the client wrote %q", tt.pieces)
			if tt.halfClose {
				why += " and shut down its sending side (CloseWrite); the server read timeout is 5s"
			}
			wantReply(t, why, string(b), err, tt.want)
		})
	}
}

func TestReadTimeout(t *testing.T) {
	labtest.NoLeaks(t)

	t.Run("zero value: DefaultReadTimeout", func(t *testing.T) {
		addr, _ := serve(t, &tcpack.Server{}) // no Logf either: the zero value is ready to use
		got, err := request(t, addr, 300*time.Millisecond, "zero value\n")
		wantReply(t, "Server{} (ReadTimeout 0, Logf nil)", got, err, "ACK zero value\n")

		start := time.Now()
		quiet := labtest.Dial(t, addr)
		quiet.SetReadDeadline(start.Add(tcpack.DefaultReadTimeout + 3*time.Second))
		n, err := quiet.Read(make([]byte, 64))
		elapsed := time.Since(start)
		switch {
		case n != 0 || !closedByPeer(err):
			t.Errorf("silent client, ReadTimeout 0: Read = %d bytes, %v after %v; want the connection closed without a reply after DefaultReadTimeout (%v)",
				n, err, elapsed.Round(time.Millisecond), tcpack.DefaultReadTimeout)
		case elapsed < tcpack.DefaultReadTimeout:
			t.Errorf("silent client, ReadTimeout 0: closed after %v; want DefaultReadTimeout (%v)", elapsed.Round(time.Millisecond), tcpack.DefaultReadTimeout)
		}
	})

	t.Run("negative: DefaultReadTimeout", func(t *testing.T) {
		addr, _ := serve(t, &tcpack.Server{ReadTimeout: -time.Second, Logf: t.Logf})
		got, err := request(t, addr, 100*time.Millisecond, "negative timeout\n")
		wantReply(t, "ReadTimeout -1s means DefaultReadTimeout; the request came 100ms after the connection", got, err, "ACK negative timeout\n")
	})

	t.Run("longer than the default", func(t *testing.T) {
		addr, _ := serve(t, &tcpack.Server{ReadTimeout: 5 * time.Second, Logf: t.Logf})
		pause := tcpack.DefaultReadTimeout + 500*time.Millisecond
		got, err := request(t, addr, pause, "took my time\n")
		wantReply(t, fmt.Sprintf("ReadTimeout 5s; the client sent its line %v after connecting", pause), got, err, "ACK took my time\n")
	})

	t.Run("counted from the accept", func(t *testing.T) {
		// A client that sends one byte every 50ms never pauses as long as
		// the read timeout, yet its time is up 400ms after it was accepted.
		const timeout, trickle = 400 * time.Millisecond, 3 * time.Second
		addr, _ := serve(t, &tcpack.Server{ReadTimeout: timeout, Logf: t.Logf})
		c := labtest.Dial(t, addr)
		got := make(chan string, 1)
		go func() {
			c.SetReadDeadline(time.Now().Add(trickle + time.Second))
			b, _ := io.ReadAll(c)
			got <- string(b)
		}()
		start := time.Now()
		for {
			select {
			case reply := <-got:
				// Whether it replied, other checks grade: here, when it closed.
				t.Logf("the server sent %q and closed the connection after %v", short(reply), time.Since(start).Round(time.Millisecond))
				return
			case <-time.After(50 * time.Millisecond): // the client's pace, part of the scenario
			}
			if time.Since(start) > trickle {
				t.Fatalf("a client sent one byte every 50ms, never a newline, for %v and is still connected; the read timeout (%v) counts from the accept, not from the last byte", trickle, timeout)
			}
			c.Write([]byte("x")) // fails once the server has closed: the reader then ends
		}
	})
}

// failingListener is a listener whose Accept fails with err; it records Close.
type failingListener struct {
	net.Listener
	err    error
	mu     sync.Mutex
	closed bool
}

func (l *failingListener) Accept() (net.Conn, error) { return nil, l.err }

func (l *failingListener) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	return l.Listener.Close()
}

func (l *failingListener) wasClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

// serveUntilReturn runs srv.Serve(ctx, ln) with a context that is never
// cancelled before Serve returns, and returns Serve's error; it fails the test
// when Serve has not returned within 2s.
func serveUntilReturn(t *testing.T, srv *tcpack.Server, ln net.Listener, meanwhile func()) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ctx, ln) }()
	if meanwhile != nil {
		meanwhile()
	}
	select {
	case err := <-errc:
		return err
	case <-time.After(2 * time.Second):
		cancel()
		select {
		case <-errc:
		case <-time.After(2 * time.Second):
		}
		t.Fatal("Serve did not return within 2s after its listener failed (an Accept error other than a shutdown ends Serve)")
		return nil
	}
}

func TestListenerFails(t *testing.T) {
	labtest.NoLeaks(t)

	t.Run("Accept fails", func(t *testing.T) {
		broken := errors.New("accept failed in this test")
		ln := &failingListener{Listener: labtest.Listen(t), err: broken}
		err := serveUntilReturn(t, &tcpack.Server{Logf: t.Logf}, ln, nil)
		switch {
		case !errors.Is(err, broken):
			t.Errorf("Accept failed with %q, ctx not done: Serve = %v; want an error wrapping Accept's", broken, err)
		case !strings.Contains(err.Error(), "accept: "+broken.Error()):
			t.Errorf("Serve = %q; want Accept's error wrapped as \"accept: <error>\"", err)
		}
		if !ln.wasClosed() {
			t.Errorf("Serve returned without closing its listener: Serve owns ln and closes it whatever the reason")
		}
	})

	t.Run("listener closed by someone else", func(t *testing.T) {
		ln := labtest.Listen(t)
		err := serveUntilReturn(t, &tcpack.Server{Logf: t.Logf}, ln, func() {
			got, err := request(t, ln.Addr().String(), 0, "before\n")
			wantReply(t, "", got, err, "ACK before\n")
			ln.Close()
		})
		switch {
		case err == nil:
			t.Errorf("the listener was closed under Serve, ctx not done: Serve = nil; want the Accept error (nil is for a shutdown by ctx)")
		case !errors.Is(err, net.ErrClosed):
			t.Errorf("the listener was closed under Serve: Serve = %v; want an error wrapping Accept's, net.ErrClosed", err)
		}
	})
}

func TestShutdownWaits(t *testing.T) {
	labtest.NoLeaks(t)
	// Logf blocks for the reply to "hold" until the test lets it go: the
	// connection's work is not over, so Serve must not return yet.
	inside, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	srv := &tcpack.Server{Logf: func(format string, args ...any) {
		if strings.HasSuffix(fmt.Sprintf(format, args...), ": ACK hold") {
			close(inside)
			<-release
		}
	}}
	ln := labtest.Listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()

	c := labtest.Dial(t, ln.Addr().String())
	io.WriteString(c, "hold\n")
	if line, err := bufio.NewReader(c).ReadString('\n'); line != "ACK hold\n" {
		t.Fatalf("server sent %q, %v; want %q", line, err, "ACK hold\n")
	}
	select {
	case <-inside:
	case <-time.After(2 * time.Second):
		t.Fatal(`Logf was not called with the "reply to" line within 2s of the reply`)
	}

	cancel()
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) while the connection it had started was still at work (inside Logf); Serve must wait until everything it started has ended", err)
	case <-time.After(time.Second): // a Serve that does not wait returns at once
	}
	once.Do(func() { close(release) })
	select {
	case <-served: // what it returns, TestServeShutdown grades
	case <-time.After(2 * time.Second):
		t.Fatal("Serve did not return within 2s after its context was cancelled and its last connection ended")
	}
}

// logLines collects what a server passes to Logf, safely for any goroutine.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

// count tells how many lines equal line.
func (l *logLines) count(line string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.lines {
		if s == line {
			n++
		}
	}
	return n
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func TestLogLine(t *testing.T) {
	labtest.NoLeaks(t)
	var log logLines
	addr, _ := serve(t, &tcpack.Server{ReadTimeout: 5 * time.Second, Logf: log.Logf})
	tests := []struct{ name, request, reply string }{
		{"ACK", "log me\n", "ACK log me"},
		{"ERR", strings.Repeat("w", tcpack.MaxMessage+1), "ERR message too long"},
		{"another client", "me too\n", "ACK me too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := labtest.Dial(t, addr)
			io.WriteString(c, tt.request)
			b, _ := io.ReadAll(c)
			if string(b) != tt.reply+"\n" && tt.name == "ERR" {
				// TestTooLong grades that reply; this test, the log of
				// the replies the server wrote.
				t.Skipf("server sent %q, not %q: no log line to look for", short(string(b)), tt.reply+"\n")
			}
			if string(b) != tt.reply+"\n" {
				t.Fatalf("server sent %q, want %q", short(string(b)), tt.reply+"\n")
			}
			// The log names the client's address: the far end of the
			// server's connection, this side's local address.
			want := fmt.Sprintf("reply to %s: %s", c.LocalAddr(), tt.reply)
			labtest.Eventually(t, 2*time.Second, fmt.Sprintf("the log line %q; Logf got:\n%s", want, &log), func() bool {
				return log.count(want) > 0
			})
			c.Close()
		})
	}
	// Every reply logged once, not once per attempt or per goroutine.
	for _, tt := range tests {
		for _, line := range strings.Split(log.String(), "\n") {
			if strings.HasSuffix(line, ": "+tt.reply) && log.count(line) > 1 {
				t.Errorf("Logf got %q %d times; want it once per reply written", line, log.count(line))
			}
		}
	}
}

func TestTwoListeners(t *testing.T) {
	labtest.NoLeaks(t)
	// One Server, two listeners at the same time, clients on both at once.
	var log logLines
	srv := &tcpack.Server{ReadTimeout: 3 * time.Second, Logf: log.Logf}
	addrA, stopA := serve(t, srv)
	addrB, stopB := serve(t, srv)

	const perListener = 4
	var wg sync.WaitGroup
	errs := make(chan error, 2*perListener)
	for i := range 2 * perListener {
		addr := []string{addrA, addrB}[i%2]
		wg.Go(func() {
			msg := fmt.Sprintf("client %d on %s", i, addr)
			c, err := net.DialTimeout("tcp", addr, replyWait)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(4 * replyWait))
			io.WriteString(c, msg+"\n")
			b, err := io.ReadAll(c)
			if string(b) != "ACK "+msg+"\n" || err != nil {
				errs <- fmt.Errorf("%s: server sent %q (%v), want %q and a close", msg, b, err, "ACK "+msg+"\n")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// Stopping one Serve leaves the other serving. (What Serve returns
	// after a stop, TestServeShutdown grades.)
	if err := stopA(); errors.Is(err, labtest.ErrStuck) {
		t.Fatalf("first Serve: %v", err)
	}
	got, err := request(t, addrB, 0, "still there?\n")
	wantReply(t, "the Server's other Serve, on another listener, was stopped", got, err, "ACK still there?\n")
	if err := stopB(); errors.Is(err, labtest.ErrStuck) {
		t.Fatalf("second Serve: %v", err)
	}
}
