package helpdesk_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
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
