package helpdesk_test

// The server's contract at its edges: "\r\n" on every line, text relayed
// exactly, a shutdown that tells nobody, a listener that fails, and what a
// newcomer sees of a busy room.

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week01/helpdesk"
)

func TestCRLF(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{})

	// At the prompt, "/quit\r\n" is /quit.
	z := dial(t, addr, "visitor")
	z.expect("NICK")
	z.sendRaw("/quit\r\n")
	z.expectClosed(true)

	a := dial(t, addr, "alice")
	a.expect("NICK")
	a.sendRaw("alice\r\n")
	a.expect("alice joined the chat!") // the server's own lines end in a bare "\n"
	b := join(t, addr, "bob")
	a.expect("bob joined the chat!")

	tests := []struct {
		name, give string
		want       string // what bob gets; "" for nothing
	}{
		{"a chat line", "hi bob\r\n", "alice: hi bob"},
		{"an empty line", "\r\n", ""},
		{"only one \\r is removed", "two\r\r\n", "alice: two\r"},
		{"a \\r inside the line stays", "mid\rline\r\n", "alice: mid\rline"},
	}
	for _, tt := range tests {
		a.sendRaw(tt.give)
		a.sendRaw("marker\r\n")
		if tt.want != "" {
			got, err := b.readLine()
			if err != nil || got != tt.want {
				t.Fatalf("%s: alice sent %.60q; bob got %.60q (%v), want %.60q", tt.name, tt.give, got, err, tt.want)
			}
		}
		got, err := b.readLine()
		if tt.want == "" && got == "alice: " {
			// An empty line relayed, but without its "\r": TestRelay's
			// concern, not this test's.
			got, err = b.readLine()
		}
		if err != nil || got != "alice: marker" {
			t.Fatalf("%s: alice sent %.60q then \"marker\\r\\n\"; bob got %.60q (%v), want %q", tt.name, tt.give, got, err, "alice: marker")
		}
	}

	b.sendRaw("/quit\r\n")
	b.expectClosed(false)
	a.next("bob left the chat!")
}

func TestTextExact(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{})
	a := join(t, addr, "alice")
	b := join(t, addr, "bob")
	a.expect("bob joined the chat!")
	for _, text := range []string{
		"  two spaces before and after  ",
		"   ",
		"a\ttab",
		"grüße, 世界 ✓",
		" /quit",
		"/quit ",
		"/quit now",
		"/QUIT",
		"/Quit",
		"NICK",
		"bob: not really bob",
	} {
		a.send(text)
		got, err := b.readLine()
		if err != nil || got != "alice: "+text {
			t.Fatalf("alice sent %q; bob got %q (%v), want %q: the text exactly as received (only \"/quit\" itself leaves)", text, got, err, "alice: "+text)
		}
	}
	b.send("you are still here")
	a.next("bob: you are still here")
}

func TestCloseQuiet(t *testing.T) {
	labtest.NoLeaks(t)
	var mu sync.Mutex
	var logged []string
	srv := &helpdesk.Server{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		logged = append(logged, fmt.Sprintf(format, args...))
	}}
	ln := labtest.Listen(t)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() { closeWithin(srv, 3*time.Second); <-served })
	a := join(t, ln.Addr().String(), "alice")
	b := join(t, ln.Addr().String(), "bob")
	a.expect("bob joined the chat!")

	if err := closeWithin(srv, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	// Clients are not told: their connections just close.
	a.expectClosed(true)
	b.expectClosed(true)

	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{"alice left the chat!", "bob left the chat!"} {
		n := 0
		for _, l := range logged {
			if l == want {
				n++
			}
		}
		if n != 1 {
			t.Errorf("Logf got %q %d times, want once (a Close is a leave too); Logf got:\n%s", want, n, strings.Join(logged, "\n"))
		}
	}
}

func TestListenerFails(t *testing.T) {
	labtest.NoLeaks(t)
	srv := &helpdesk.Server{}
	ln := labtest.Listen(t)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() { closeWithin(srv, 3*time.Second) })
	a := join(t, ln.Addr().String(), "alice")
	b := join(t, ln.Addr().String(), "bob")
	a.expect("bob joined the chat!")

	ln.Close() // by someone else: the server was not closed
	select {
	case err := <-served:
		switch {
		case errors.Is(err, helpdesk.ErrServerClosed) || err == nil:
			t.Errorf("the listener failed (closed under Serve, no Close): Serve() = %v; want the error that made Accept fail", err)
		case !errors.Is(err, net.ErrClosed):
			t.Errorf("the listener failed (closed under Serve): Serve() = %v; want an error wrapping Accept's, net.ErrClosed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Serve did not return within 2s after its listener failed")
	}

	// The clients already connected carry on (until Close, which TestClose
	// grades: here they hang up themselves).
	a.send("are we still on?")
	b.expect("alice: are we still on?")
	b.send("yes")
	a.next("bob: yes")
	b.conn.Close()
	a.next("bob left the chat!")
	a.conn.Close()
}

func TestNewcomer(t *testing.T) {
	labtest.NoLeaks(t)
	// Logf is slow for joins: whatever the server does between admitting a
	// newcomer and announcing it has time to go wrong.
	addr := startServer(t, &helpdesk.Server{Logf: func(format string, args ...any) {
		if strings.HasSuffix(fmt.Sprintf(format, args...), " joined the chat!") {
			time.Sleep(10 * time.Millisecond)
		}
	}})
	watcher := join(t, addr, "watcher")
	chatter := join(t, addr, "chatter")
	watcher.expect("chatter joined the chat!")

	// A visitor at the prompt hears nothing of the room.
	visitor := dial(t, addr, "visitor")
	visitor.expect("NICK")
	chatter.send("before anyone new")
	watcher.expect("chatter: before anyone new")
	visitor.silent(300*time.Millisecond, "a client at the NICK prompt has not joined: lines of the room are not for it")

	// The chatter talks all the time while newcomers join one after another.
	stop := make(chan struct{})
	var talking sync.WaitGroup
	talking.Go(func() {
		for k := 0; ; k++ {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond): // the chatter's pace
			}
			chatter.conn.SetWriteDeadline(time.Now().Add(readTimeout))
			if _, err := fmt.Fprintf(chatter.conn, "line %d\n", k); err != nil {
				return
			}
		}
	})
	go io.Copy(io.Discard, chatter.r) // ends with the connection

	// Each newcomer's first line is its own join notice (join checks it);
	// its first line from the chatter is the first one the watcher got after
	// that notice: nothing from before, nothing missed.
	first := map[string]string{}
	newcomers := []*client{visitor}
	visitor.send("visitor")
	visitor.expect("visitor joined the chat!")
	for i := range 8 {
		newcomers = append(newcomers, join(t, addr, fmt.Sprintf("newcomer%d", i)))
	}
	for _, n := range newcomers {
		for {
			line, err := n.readLine()
			if err != nil {
				t.Fatalf("%s: waiting for the chatter's lines: %v", n.nick, err)
			}
			if strings.HasPrefix(line, "chatter: ") {
				first[n.nick] = line
				break
			}
			if !isNotice(line) {
				t.Fatalf("%s: got %q, want the chatter's lines and notices", n.nick, line)
			}
		}
		n.conn.Close()
	}
	close(stop)
	talking.Wait()
	chatter.send("that's all")

	var pending []string // newcomers whose notice the watcher got, and no chatter line since
	for {
		line, err := watcher.readLine()
		if err != nil {
			t.Fatalf("watcher: waiting for %q: %v", "chatter: that's all", err)
		}
		if line == "chatter: that's all" {
			break
		}
		if nick, ok := strings.CutSuffix(line, " joined the chat!"); ok {
			pending = append(pending, nick)
			continue
		}
		if !strings.HasPrefix(line, "chatter: ") {
			continue
		}
		for _, nick := range pending {
			if got, ok := first[nick]; ok && got != line {
				t.Errorf("%s: its first line from the chatter was %q, but the first one sent after its join notice was %q (the watcher got the notice, then that line): admitting a newcomer and announcing it must be one step under the mutex",
					nick, got, line)
			}
		}
		pending = pending[:0]
	}
}
