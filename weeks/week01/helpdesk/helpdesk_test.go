package helpdesk_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week01/helpdesk"
)

// readTimeout bounds every wait for one line: a correct server answers in
// milliseconds.
const readTimeout = 3 * time.Second

// startServer runs srv on a fresh loopback listener and returns its address.
// When the test ends, it closes srv and waits for Serve to return.
func startServer(t *testing.T, srv *helpdesk.Server) string {
	t.Helper()
	ln := labtest.Listen(t)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		t.Fatalf("Serve returned at once: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	t.Cleanup(func() {
		closed := make(chan struct{})
		go func() { srv.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(3 * time.Second):
			t.Errorf("Close did not return within 3s")
			return
		}
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Errorf("Serve did not return within 2s of Close")
		}
	})
	return ln.Addr().String()
}

// client is one test connection that speaks the line protocol.
type client struct {
	t    *testing.T
	nick string // for messages, and to recognise echoes once joined
	conn net.Conn
	r    *bufio.Reader
}

// dial connects a client; name only labels its messages until it joins.
func dial(t *testing.T, addr, name string) *client {
	t.Helper()
	c := labtest.Dial(t, addr)
	return &client{t: t, nick: name, conn: c, r: bufio.NewReader(c)}
}

// join connects and goes through the handshake as nick.
func join(t *testing.T, addr, nick string) *client {
	t.Helper()
	c := dial(t, addr, nick)
	c.expect("NICK")
	c.send(nick)
	c.expect(nick + " joined the chat!")
	return c
}

// sendRaw writes s as it is.
func (c *client) sendRaw(s string) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(readTimeout))
	if _, err := io.WriteString(c.conn, s); err != nil {
		c.t.Fatalf("%s: send %.40q: %v", c.nick, s, err)
	}
}

// send writes line and "\n".
func (c *client) send(line string) {
	c.t.Helper()
	c.sendRaw(line + "\n")
}

// readLine returns the next line without its "\n", within readTimeout. The
// server ends its lines with a bare "\n": a "\r" before it stays in the line.
func (c *client) readLine() (string, error) {
	c.conn.SetReadDeadline(time.Now().Add(readTimeout))
	line, err := c.r.ReadString('\n')
	if err != nil {
		if line != "" {
			return "", fmt.Errorf("%w, after a partial line %.60q", err, line)
		}
		return "", err
	}
	return strings.TrimSuffix(line, "\n"), nil
}

// silent fails the test if a line arrives within d.
func (c *client) silent(d time.Duration, why string) {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(d))
	line, err := c.r.ReadString('\n')
	c.conn.SetReadDeadline(time.Now().Add(readTimeout))
	if err == nil || line != "" {
		c.t.Fatalf("%s: got line %.80q, want nothing (%s)", c.nick, line, why)
	}
}

// expect reads the very next line, which must be want.
func (c *client) expect(want string) {
	c.t.Helper()
	got, err := c.readLine()
	if err != nil {
		c.t.Fatalf("%s: waiting for %.80q: %v", c.nick, want, err)
	}
	if got != want {
		c.t.Fatalf("%s: got line %.80q, want %.80q", c.nick, got, want)
	}
}

// await skips join and leave notices, echoes of the client's own lines and
// relayed "/quit" lines (TestJoinLeave, TestRelay and TestQuit grade those),
// then the next line must be want.
func (c *client) await(want string) {
	c.t.Helper()
	for {
		got, err := c.readLine()
		if err != nil {
			c.t.Fatalf("%s: waiting for %.80q: %v", c.nick, want, err)
		}
		if isNotice(got) || strings.HasPrefix(got, c.nick+": ") || strings.HasSuffix(got, ": /quit") {
			continue
		}
		if got != want {
			c.t.Fatalf("%s: got line %.80q, want %.80q", c.nick, got, want)
		}
		return
	}
}

// next skips echoes of the client's own lines and relayed "/quit" lines
// (TestRelay and TestQuit grade those), then the next line must be want.
func (c *client) next(want string) {
	c.t.Helper()
	for {
		got, err := c.readLine()
		if err != nil {
			c.t.Fatalf("%s: waiting for %.80q: %v", c.nick, want, err)
		}
		if strings.HasPrefix(got, c.nick+": ") || strings.HasSuffix(got, ": /quit") {
			continue
		}
		if got != want {
			c.t.Fatalf("%s: got line %.80q, want %.80q", c.nick, got, want)
		}
		return
	}
}

// afterJoins skips join notices (TestJoinLeave grades them), then the next
// line must be want.
func (c *client) afterJoins(want string) {
	c.t.Helper()
	for {
		got, err := c.readLine()
		if err != nil {
			c.t.Fatalf("%s: waiting for %.80q: %v", c.nick, want, err)
		}
		if strings.HasSuffix(got, " joined the chat!") {
			continue
		}
		if got != want {
			c.t.Fatalf("%s: got line %.80q, want %.80q", c.nick, got, want)
		}
		return
	}
}

// expectClosed reads until the server closes the connection, within 2s.
// With strict, no line may come first.
func (c *client) expectClosed(strict bool) {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	for {
		line, err := c.r.ReadString('\n')
		if err == nil && !strict {
			continue
		}
		switch {
		case err == nil:
			c.t.Fatalf("%s: got line %.80q, want the server to close the connection", c.nick, line)
		case errors.Is(err, io.EOF), isReset(err):
			return
		default:
			c.t.Fatalf("%s: want the server to close the connection: %v", c.nick, err)
		}
	}
}

func isNotice(line string) bool {
	return strings.HasSuffix(line, " joined the chat!") || strings.HasSuffix(line, " left the chat!")
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

func TestHandshake(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{})

	a := dial(t, addr, "alice")
	a.expect("NICK") // before the client has said anything
	a.sendRaw("alice\r\n")
	a.expect("alice joined the chat!")

	b := dial(t, addr, "bob")
	b.expect("NICK")
	b.send("bob")
	b.expect("bob joined the chat!") // the newcomer's first line is its own notice
}

func TestRelay(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{})
	a := join(t, addr, "alice")
	b := join(t, addr, "bob")
	c := join(t, addr, "carol")

	a.send("hello everyone")
	b.afterJoins("alice: hello everyone")
	c.expect("alice: hello everyone")

	a.send("") // not relayed
	a.send("is anyone there?")
	b.expect("alice: is anyone there?")
	c.expect("alice: is anyone there?")

	// alice gets no copy of her own lines: bob's answer is her next message.
	b.send("yes, bob here")
	a.afterJoins("bob: yes, bob here")
	c.expect("bob: yes, bob here")

	c.send("carol too")
	a.expect("carol: carol too")
	b.expect("carol: carol too")
}

func TestJoinLeave(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{})
	a := join(t, addr, "alice")

	// Two visitors leave before they join: nobody hears of them.
	p := dial(t, addr, "visitor1")
	p.expect("NICK")
	p.conn.Close()
	q := dial(t, addr, "visitor2")
	q.expect("NICK")
	q.send("no way")
	q.expect("ERR invalid nickname")
	q.expect("NICK")
	q.conn.Close()

	b := join(t, addr, "bob")
	a.expect("bob joined the chat!")
	c := join(t, addr, "carol")
	a.expect("carol joined the chat!")
	b.expect("carol joined the chat!")

	b.conn.Close() // no /quit: the end of the stream is a leave too
	a.expect("bob left the chat!")
	c.expect("bob left the chat!")

	c.send("bye bob")
	a.expect("carol: bye bob")
}

func TestQuit(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{})

	z := dial(t, addr, "visitor")
	z.expect("NICK")
	z.send("/quit") // at the prompt: not a nickname, the server just hangs up
	z.expectClosed(true)

	a := join(t, addr, "alice")
	b := join(t, addr, "bob")
	a.send("/quit")
	a.expectClosed(false)
	b.expect("alice left the chat!") // and no "alice: /quit"
}

func TestSequential(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{})
	op := join(t, addr, "operator")

	// One caller after another, each with the same nickname, freed when the
	// previous caller left, whichever way it left.
	leave := []struct {
		how  string
		exit func(c *client)
	}{
		{"hangs up", func(c *client) { c.conn.Close() }},
		{"says /quit", func(c *client) { c.send("/quit"); c.expectClosed(false) }},
		{"shuts down its sending side", func(c *client) { c.conn.(*net.TCPConn).CloseWrite(); c.expectClosed(false) }},
		{"hangs up again", func(c *client) { c.conn.Close() }},
	}
	for i, l := range leave {
		c := joinWhenFree(t, addr, "caller")
		c.send(fmt.Sprintf("question %d", i))
		op.await(fmt.Sprintf("caller: question %d", i))
		t.Logf("caller %d %s", i, l.how)
		l.exit(c)
	}
}

// joinWhenFree joins as nick, answering the prompt again while the server
// says the nickname is taken (its last holder's leave may not be processed
// yet), for up to 2s.
func joinWhenFree(t *testing.T, addr, nick string) *client {
	t.Helper()
	c := dial(t, addr, nick)
	c.expect("NICK")
	labtest.Eventually(t, 2*time.Second, fmt.Sprintf("the nickname %q to be free again after its holder left", nick), func() bool {
		c.send(nick)
		got, err := c.readLine()
		switch {
		case err != nil:
			t.Fatalf("%s: waiting for the join notice: %v", nick, err)
		case got == nick+" joined the chat!":
			return true
		case got != "ERR nickname taken":
			t.Fatalf("%s: got line %q, want %q", nick, got, nick+" joined the chat!")
		}
		c.expect("NICK")
		return false
	})
	return c
}

func TestVanish(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{})

	// At the prompt: a nickname without its "\n" is not a nickname, so no
	// join notice comes before the server closes the connection.
	g := dial(t, addr, "ghost")
	g.expect("NICK")
	g.sendRaw("ghost")
	g.conn.(*net.TCPConn).CloseWrite()
	g.expectClosed(true)

	op := join(t, addr, "operator")
	v := join(t, addr, "caller")
	op.expect("caller joined the chat!")

	v.sendRaw("my printer is on fi") // ... and the line never ends
	v.conn.Close()
	op.expect("caller left the chat!") // the partial line is not relayed

	h := join(t, addr, "helper")
	op.expect("helper joined the chat!")
	h.send("still here?")
	op.expect("helper: still here?")
}

func TestLongLine(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{})

	a := dial(t, addr, "alice")
	a.expect("NICK")
	a.send(strings.Repeat("n", 3*helpdesk.MaxLine)) // an over-long nickname line
	a.expect("ERR line too long")
	a.expect("NICK")
	a.send("alice")
	a.expect("alice joined the chat!")
	b := join(t, addr, "bob")

	exact := strings.Repeat("0123456789", helpdesk.MaxLine/10+1)[:helpdesk.MaxLine]
	a.send(exact) // MaxLine bytes is allowed
	b.expect("alice: " + exact)

	a.send(exact + "!") // one byte too many
	a.await("ERR line too long")
	a.send(strings.Repeat("z", 10*helpdesk.MaxLine))
	a.await("ERR line too long")

	// A "\r" before the "\n" counts: MaxLine bytes with it are fine, one
	// more is too long.
	a.sendRaw(exact[1:] + "\r\n")
	if got, err := b.readLine(); err != nil || strings.TrimSuffix(got, "\r") != "alice: "+exact[1:] { // TestCRLF grades the "\r"
		t.Fatalf("alice sent MaxLine-1 bytes and \"\\r\\n\"; bob got %.60q (%v), want %.60q", got, err, "alice: "+exact[1:])
	}
	a.sendRaw(exact + "\r\n")
	a.await("ERR line too long")

	a.send("still connected")
	b.expect("alice: still connected") // nothing of the long lines came through
}

func TestNickname(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{})

	c := dial(t, addr, "newcomer")
	c.expect("NICK")
	invalid := []struct{ name, give string }{
		{"empty", ""},
		{"a space", " "},
		{"inner space", "help desk"},
		{"trailing space", "alice "},
		{"tab", "help\tdesk"},
		{"control character", "bell\a"},
		{"DEL", "del\x7f"},
		{"not ASCII", "zoë"},
		{"MaxNick+1 bytes", strings.Repeat("n", helpdesk.MaxNick+1)},
	}
	for _, tt := range invalid {
		c.send(tt.give)
		got, err := c.readLine()
		if err != nil || got != "ERR invalid nickname" {
			t.Fatalf("nickname %q (%s): got %q (%v), want %q", tt.give, tt.name, got, err, "ERR invalid nickname")
		}
		c.expect("NICK")
	}
	c.send("alice")
	c.expect("alice joined the chat!")

	long := strings.Repeat("Nick-", helpdesk.MaxNick)[:helpdesk.MaxNick]
	join(t, addr, long)         // exactly MaxNick bytes
	join(t, addr, "a.b_c-d!?#") // punctuation is fine
	join(t, addr, "!")          // 0x21, the first printable character
	join(t, addr, "~~")         // 0x7E, the last one

	d := dial(t, addr, "second alice")
	d.expect("NICK")
	d.send("alice")
	d.expect("ERR nickname taken")
	d.expect("NICK")
	d.send("Alice") // nicknames are case-sensitive
	d.expect("Alice joined the chat!")
}
