package helpdesk_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week01/helpdesk"
)

// syncBuffer is a bytes.Buffer that Chat may write while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestChat runs Chat against a scripted server played by the test, so only
// the client is graded here.
func TestChat(t *testing.T) {
	labtest.NoLeaks(t)
	ln := labtest.Listen(t)
	in, typing := io.Pipe()
	t.Cleanup(func() { in.Close() })
	var out syncBuffer
	chatErr := make(chan error, 1)
	go func() { chatErr <- helpdesk.Chat(t.Context(), ln.Addr().String(), "alice", in, &out) }()

	type result struct {
		conn net.Conn
		err  error
	}
	accepted := make(chan result, 1)
	go func() {
		c, err := ln.Accept()
		accepted <- result{c, err}
	}()
	var srv *client
	select {
	case res := <-accepted:
		if res.err != nil {
			t.Fatalf("accept: %v", res.err)
		}
		res.conn.SetDeadline(time.Now().Add(labtest.IOTimeout))
		t.Cleanup(func() { res.conn.Close() })
		srv = &client{t: t, nick: "server", conn: res.conn, r: bufio.NewReader(res.conn)}
	case err := <-chatErr:
		t.Fatalf("Chat returned before connecting: %v", err)
	case <-time.After(2 * time.Second):
		t.Fatal("Chat did not connect within 2s")
	}
	printed := func(want string) {
		t.Helper()
		labtest.Eventually(t, 2*time.Second, "Chat to print "+strings.TrimSpace(want), func() bool {
			return strings.HasSuffix(out.String(), want)
		})
	}

	srv.send("NICK")
	srv.expect("alice") // the nickname answers the prompt
	srv.send("alice joined the chat!")
	printed("alice joined the chat!\n")

	go io.WriteString(typing, "hello bob\n") // the user types a line
	srv.expect("hello bob")
	srv.send("bob: hi alice")
	printed("bob: hi alice\n")

	typing.Close() // end of input: Chat says /quit ...
	srv.expect("/quit")
	srv.send("carol: goodbye alice") // ... and still prints what was on its way
	srv.conn.Close()
	select {
	case err := <-chatErr:
		if err != nil {
			t.Fatalf("Chat() = %v after /quit and the server's close, want nil", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Chat did not return within 3s of the server closing the connection")
	}
	want := "alice joined the chat!\nbob: hi alice\ncarol: goodbye alice\n"
	if got := out.String(); got != want {
		t.Errorf("Chat printed %q, want %q", got, want)
	}

	t.Run("no server", func(t *testing.T) {
		err := make(chan error, 1)
		go func() {
			err <- helpdesk.Chat(t.Context(), labtest.FreeAddr(t), "alice", strings.NewReader(""), io.Discard)
		}()
		select {
		case e := <-err:
			if e == nil {
				t.Error("Chat() = nil with nobody listening, want an error")
			}
		case <-time.After(2 * time.Second):
			t.Fatal("Chat did not give up within 2s with nobody listening")
		}
	})
}

// scriptedServer accepts one connection from Chat and hands it to play, as
// a client of the test's own protocol code, with a deadline 8s ahead.
func scriptedServer(t *testing.T, play func(srv *client)) string {
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
		c.SetDeadline(time.Now().Add(8 * time.Second))
		play(&client{t: t, nick: "server", conn: c, r: bufio.NewReader(c)})
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

// chatAsync runs Chat in a goroutine and delivers its error.
func chatAsync(ctx context.Context, addr, nick string, in io.Reader, out io.Writer) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- helpdesk.Chat(ctx, addr, nick, in, out) }()
	return errc
}

// chatResult waits up to d for Chat to return.
func chatResult(t *testing.T, errc <-chan error, d time.Duration, what string) error {
	t.Helper()
	select {
	case err := <-errc:
		return err
	case <-time.After(d):
		t.Fatalf("Chat did not return within %v (%s)", d, what)
		return nil
	}
}

// peerClosed tells whether the server side sees Chat's connection end
// within d, with no more lines from it.
func peerClosed(srv *client, d time.Duration) error {
	srv.conn.SetReadDeadline(time.Now().Add(d))
	line, err := srv.r.ReadString('\n')
	switch {
	case err == nil:
		return fmt.Errorf("Chat sent %q", line)
	case errors.Is(err, io.EOF), isReset(err):
		return nil
	default:
		return err
	}
}

// oneWriter is an io.Writer that reports writes from two goroutines at once.
type oneWriter struct {
	busy    atomic.Bool
	overlap atomic.Bool
	syncBuffer
}

func (w *oneWriter) Write(p []byte) (int, error) {
	if !w.busy.CompareAndSwap(false, true) {
		w.overlap.Store(true)
		return w.syncBuffer.Write(p)
	}
	defer w.busy.Store(false)
	time.Sleep(time.Millisecond) // a slow terminal
	return w.syncBuffer.Write(p)
}

func TestChatErrors(t *testing.T) {
	labtest.NoLeaks(t)

	t.Run("the input fails", func(t *testing.T) {
		broken := errors.New("keyboard on fire")
		quit := make(chan error, 1)
		addr := scriptedServer(t, func(srv *client) {
			srv.send("NICK")
			srv.expect("alice")
			srv.send("alice joined the chat!")
			srv.expect("typed before the failure")
			line, err := srv.readLine()
			if err == nil && line != "/quit" {
				err = fmt.Errorf("got %q, want /quit", line)
			}
			quit <- err
		})
		in := io.MultiReader(strings.NewReader("typed before the failure\n"), iotest.ErrReader(broken))
		err := chatResult(t, chatAsync(t.Context(), addr, "alice", in, io.Discard), 4*time.Second, "the input fails")
		if !errors.Is(err, broken) {
			t.Errorf("the input failed with %q: Chat() = %v; want in's error", broken, err)
		}
		select {
		case e := <-quit:
			if e != nil {
				t.Errorf("at the end of a failing input, Chat must say /quit: %v", e)
			}
		case <-time.After(labtest.IOTimeout):
			t.Errorf("at the end of a failing input, Chat must say /quit: the server heard nothing of it within %v", labtest.IOTimeout)
		}
	})

	t.Run("the server never closes after /quit", func(t *testing.T) {
		addr := scriptedServer(t, func(srv *client) {
			srv.send("NICK")
			srv.expect("alice")
			srv.send("alice joined the chat!")
			srv.expect("/quit")
			peerClosed(srv, 8*time.Second) // and never closes
		})
		err := chatResult(t, chatAsync(t.Context(), addr, "alice", strings.NewReader(""), io.Discard),
			helpdesk.QuitTimeout+2*time.Second, "a server that never closes after /quit: give up after QuitTimeout")
		if err == nil {
			t.Error("the server never closed the connection after /quit: Chat() = nil, want an error")
		}
	})

	t.Run("one writer at a time", func(t *testing.T) {
		addr := scriptedServer(t, func(srv *client) {
			srv.send("NICK")
			srv.expect("alice")
			srv.sendRaw("alice joined the chat!\nbob: one\nbob: two\nbob: three\n")
			srv.expect("/quit")
		})
		var out oneWriter
		if err := chatResult(t, chatAsync(t.Context(), addr, "alice", strings.NewReader(""), &out), 4*time.Second, "a short session"); err != nil {
			t.Errorf("Chat() = %v, want nil", err)
		}
		if out.overlap.Load() {
			t.Error("Chat wrote to out from two goroutines at once")
		}
		if want := "alice joined the chat!\nbob: one\nbob: two\nbob: three\n"; out.String() != want {
			t.Errorf("Chat printed %q, want %q", out.String(), want)
		}
	})
}

func TestChatCancel(t *testing.T) {
	labtest.NoLeaks(t)
	closed := make(chan error, 1)
	addr := scriptedServer(t, func(srv *client) {
		srv.send("NICK")
		srv.expect("alice")
		srv.send("alice joined the chat!")
		closed <- peerClosed(srv, 8*time.Second)
	})
	in, typing := io.Pipe()
	defer typing.Close()
	ctx, cancel := context.WithCancel(context.Background()) // no deadline
	defer cancel()
	var out syncBuffer
	errc := chatAsync(ctx, addr, "alice", in, &out)
	labtest.Eventually(t, 3*time.Second, "Chat to print the join notice", func() bool { return out.String() != "" })

	cancel()
	select {
	case e := <-closed:
		if e != nil {
			t.Errorf("ctx cancelled: %v", e)
		}
	case <-time.After(time.Second):
		t.Fatal("ctx was cancelled, but Chat's connection was still open 1s later: cancelling ctx closes it at once")
	}
	// The user's input ends, so that Chat can return; with an error, not EOF,
	// so that a Chat whose end of input and cancellation race to decide its
	// result returns an error either way: this check grades the cancellation.
	typing.CloseWithError(errors.New("the test closed the input"))
	if err := chatResult(t, errc, 2*time.Second, "ctx cancelled, then the input ended"); err == nil {
		t.Error("ctx was cancelled: Chat() = nil, want an error")
	}
}
