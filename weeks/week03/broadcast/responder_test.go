package broadcast_test

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/broadcast"
)

// ---- The responder, tested with the test's own seeker socket ----

func TestAnswer(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	rng := labtest.Rand(t)
	tests := []struct{ name, responder, token string }{
		{"short token", "alpha", "a"},
		{"mixed case", "Bravo-2", "Zz09"},
		{"every edge of the token's ranges", "d", "AZaz09"},
		{"longest token", "c", token(rng, broadcast.MaxToken)},
		{"punctuation in the name", "lab-pc_07.room#3!", token(rng, 1+rng.IntN(broadcast.MaxToken))},
		{"longest name", strings.Repeat("~n", broadcast.MaxName/2), token(rng, 8)},
	}
	for _, tt := range tests {
		ok := t.Run(tt.name, func(t *testing.T) {
			conn := udpSocket(t, "0.0.0.0:0", true) // receives broadcasts
			serve(t, &broadcast.Responder{Name: tt.responder, Logf: t.Logf}, conn)
			seeker := udpSocket(t, "127.0.0.1:0", false)
			query := "DISCOVER " + tt.token
			send(t, seeker, to(port(conn)), query)

			d, err := recv(seeker, replyWait)
			want := "HERE " + tt.token + " " + tt.responder
			wantFrom := netip.AddrPortFrom(loopback, port(conn))
			switch {
			case isTimeout(err):
				t.Fatalf("broadcast %q to %s: no answer within %v; want %q sent back to the query's source address %s", query, to(port(conn)), replyWait, want, seeker.LocalAddr())
			case err != nil:
				t.Fatalf("broadcast %q: read the answer: %v", query, err)
			case d.msg != want:
				t.Errorf("broadcast %q: answer %s, want %s", query, short(d.msg), short(want))
			case d.from != wantFrom:
				t.Errorf("broadcast %q: the answer came from %s, want %s: answer from the socket the query arrived on (conn.WriteToUDPAddrPort)", query, d.from, wantFrom)
			}
		})
		if !ok {
			return // the other cases would most likely fail the same way
		}
	}
}

func TestSharedPort(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	const n = 4
	var conns []*net.UDPConn
	addr := "0.0.0.0:0"
	for i := range n {
		c, err := broadcast.ListenShared(addr)
		if err != nil {
			t.Fatalf("ListenShared(%q), with %d ListenShared sockets already on that port: %v", addr, i, err)
		}
		t.Cleanup(func() { c.Close() })
		la, ok := c.LocalAddr().(*net.UDPAddr)
		if !ok || !la.AddrPort().Addr().Is4() || !la.AddrPort().Addr().IsUnspecified() {
			t.Fatalf("ListenShared(%q): socket bound to %v, want 0.0.0.0 and a port (IPv4, the wildcard address)", addr, c.LocalAddr())
		}
		conns = append(conns, c)
		addr = fmt.Sprintf("0.0.0.0:%d", port(conns[0]))
	}

	rng := labtest.Rand(t)
	query := "DISCOVER " + token(rng, 12)
	seeker := udpSocket(t, "127.0.0.1:0", false)
	send(t, seeker, to(port(conns[0])), query)
	for i, c := range conns {
		d, err := recv(c, replyWait)
		if err != nil || d.msg != query {
			t.Errorf("socket %d of %d on port %d: read %s, %v; want the broadcast %q: every socket on the port gets its own copy", i+1, n, port(c), short(d.msg), err, query)
		}
	}
}

func TestIgnoresMalformed(t *testing.T) {
	labtest.NoLeaks(t)
	// No broadcast here: the datagrams go to the responder by unicast.
	conn := udpSocket(t, "127.0.0.1:0", false)
	serve(t, &broadcast.Responder{Name: "alpha", Logf: t.Logf}, conn)
	dst := netip.AddrPortFrom(loopback, port(conn))
	seeker := udpSocket(t, "127.0.0.1:0", false)

	long := strings.Repeat("t", broadcast.MaxToken)
	// Each malformed query has a token of its own, so that an answer tells
	// which one it answers.
	bad := []struct{ why, msg string }{
		{"empty datagram", ""},
		{"no token", "DISCOVER"},
		{"empty token", "DISCOVER "},
		{"lower case", "discover lower"},
		{"no space", "DISCOVERnospace"},
		{"tab", "DISCOVER\ttab"},
		{"two spaces", "DISCOVER  twospaces"},
		{"leading space", " DISCOVER leading"},
		{"trailing space", "DISCOVER trailing "},
		{"line ending", "DISCOVER newline\n"},
		{"CRLF", "DISCOVER crlf\r\n"},
		{"extra field", "DISCOVER extra field"},
		{"dash in the token", "DISCOVER da-sh"},
		{"'/' before '0'", "DISCOVER sl/sh"},
		{"':' after '9'", "DISCOVER co:lon"},
		{"'@' before 'A'", "DISCOVER a@t"},
		{"'[' after 'Z'", "DISCOVER br[ack"},
		{"'`' before 'a'", "DISCOVER back`tick"},
		{"'{' after 'z'", "DISCOVER br{ace"},
		{"NUL in the token", "DISCOVER nu\x00l"},
		{"non-ASCII token", "DISCOVER çava"},
		{"token too long", "DISCOVER " + long + "u"},
		{"2000 bytes", "DISCOVER " + strings.Repeat("w", 2000)},
		{"an answer", "HERE answer bravo"},
	}
	for _, b := range bad {
		send(t, seeker, dst, b.msg)
	}
	valid := strings.Repeat("g", broadcast.MaxToken)
	good := "DISCOVER " + valid
	send(t, seeker, dst, good)

	// The responder reads its datagrams in order: anything before the answer
	// to the valid query last is an answer to a malformed one.
	for {
		d, err := recv(seeker, replyWait)
		if err != nil {
			t.Fatalf("no answer to the valid query %q, sent after %d malformed datagrams: %v (ignore a bad datagram and go on reading)", good, len(bad), err)
		}
		if d.msg == "HERE "+valid+" alpha" {
			return
		}
		t.Errorf("answered %s; a responder must ignore a datagram that is not exactly \"DISCOVER <token>\"", describe(d.msg, bad))
	}
}

// describe names the malformed datagram an answer answers, when it can tell.
func describe(answer string, bad []struct{ why, msg string }) string {
	f := strings.SplitN(answer, " ", 3)
	for _, b := range bad {
		if len(f) > 1 && f[1] != "" && strings.Contains(b.msg, f[1]) {
			return fmt.Sprintf("%s with %s (%s?)", short(b.msg), short(answer), b.why)
		}
	}
	return short(answer)
}

func TestResponderName(t *testing.T) {
	labtest.NoLeaks(t)
	tests := []struct{ why, name string }{
		{"empty", ""},
		{"space", "two words"},
		{"tab", "tab\there"},
		{"newline", "line\n"},
		{"non-ASCII", "café"},
		{"DEL", "del\x7f"},
		{"too long", strings.Repeat("n", broadcast.MaxName+1)},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			conn := udpSocket(t, "127.0.0.1:0", false)
			addr := conn.LocalAddr().(*net.UDPAddr)
			done := make(chan error, 1)
			go func() {
				done <- (&broadcast.Responder{Name: tt.name, Logf: t.Logf}).Serve(t.Context(), conn)
			}()
			select {
			case err := <-done:
				if !errors.Is(err, broadcast.ErrBadName) {
					t.Errorf("Serve with Name %q = %v, want ErrBadName", tt.name, err)
				}
			case <-time.After(time.Second):
				conn.Close() // ends a Serve that went on serving
				<-done
				t.Fatalf("Serve with Name %q still running after 1s; want ErrBadName at once", tt.name)
			}
			if c, err := net.ListenUDP("udp4", addr); err != nil {
				t.Errorf("Serve returned, but its socket %s is still open (%v): Serve owns conn and closes it on every return", addr, err)
			} else {
				c.Close()
			}
		})
	}
}

func TestServeShutdown(t *testing.T) {
	labtest.NoLeaks(t)
	conn := udpSocket(t, "127.0.0.1:0", false)
	addr := conn.LocalAddr().(*net.UDPAddr)
	stop := serve(t, &broadcast.Responder{Name: "alpha", Logf: t.Logf}, conn)
	seeker := udpSocket(t, "127.0.0.1:0", false)
	send(t, seeker, addr.AddrPort(), "DISCOVER before")
	if d, err := recv(seeker, replyWait); err != nil || d.msg != "HERE before alpha" {
		t.Fatalf("before the shutdown: answer %s, %v; want %q", short(d.msg), err, "HERE before alpha")
	}

	// Serve is now blocked reading the next datagram.
	start := time.Now()
	err := stop()
	switch {
	case errors.Is(err, labtest.ErrStuck):
		t.Fatalf("%v; close conn when ctx is done (context.AfterFunc) to wake the blocked read", err)
	case err != nil:
		t.Errorf("Serve returned %v after its context was cancelled, want nil", err)
	}
	if elapsed := time.Since(start); elapsed > 500*time.Millisecond {
		t.Errorf("Serve took %v to return after cancel; want it at once (close conn, do not poll with read deadlines)", elapsed.Round(time.Millisecond))
	}
	if c, err := net.ListenUDP("udp4", addr); err != nil {
		t.Errorf("Serve returned, but its socket %s is still open (%v): Serve owns conn and closes it", addr, err)
	} else {
		c.Close()
	}
}

func TestAnswerEveryQuery(t *testing.T) {
	labtest.NoLeaks(t)
	// No broadcast here: the queries go to the responder by unicast.
	conn := udpSocket(t, "127.0.0.1:0", false)
	serve(t, &broadcast.Responder{Name: "alpha", Logf: t.Logf}, conn)
	dst := netip.AddrPortFrom(loopback, port(conn))
	seeker := udpSocket(t, "127.0.0.1:0", false)

	// The same query three times, then another: four answers, in order.
	queries := []string{"DISCOVER again", "DISCOVER again", "DISCOVER again", "DISCOVER other"}
	for _, q := range queries {
		send(t, seeker, dst, q)
	}
	for i, q := range queries {
		want := "HERE " + strings.TrimPrefix(q, "DISCOVER ") + " alpha"
		d, err := recv(seeker, replyWait)
		if err != nil {
			t.Fatalf("sent %q; answer %d of %d: %v; want %q: answer every valid query, as often as it is asked", queries, i+1, len(queries), err, want)
		}
		if d.msg != want {
			t.Fatalf("sent %q; answer %d of %d is %s, want %q", queries, i+1, len(queries), short(d.msg), want)
		}
	}
	// And nothing more: one answer per query.
	if d, err := recv(seeker, quiet); err == nil {
		t.Errorf("sent %d queries and got their %d answers, then one more: %s; want exactly one answer per query", len(queries), len(queries), short(d.msg))
	}
}

func TestAnswerLog(t *testing.T) {
	labtest.NoLeaks(t)
	conn := udpSocket(t, "127.0.0.1:0", false)
	var log labtest.LogLines
	serve(t, &broadcast.Responder{Name: "alpha", Logf: log.Logf}, conn)
	dst := netip.AddrPortFrom(loopback, port(conn))

	// Two seekers, each at its own address: each answer is logged once,
	// with the address of the seeker it went to.
	for i, tok := range []string{"first", "second"} {
		seeker := udpSocket(t, "127.0.0.1:0", false)
		send(t, seeker, dst, "DISCOVER "+tok)
		if d, err := recv(seeker, replyWait); err != nil || d.msg != "HERE "+tok+" alpha" {
			t.Fatalf("seeker %d: answer %s, %v; want %q", i+1, short(d.msg), err, "HERE "+tok+" alpha")
		}
		want := fmt.Sprintf("answer to %s: HERE %s alpha", seeker.LocalAddr(), tok)
		if !labtest.Poll(replyWait, func() bool { return log.Count(want) > 0 }) {
			t.Fatalf("answered %s, but Logf(%q) was not called within %v; Logf was called with\n%s", seeker.LocalAddr(), want, replyWait, log.String())
		}
		if n := log.Count(want); n != 1 {
			t.Errorf("Logf(%q) called %d times for one answer, want once; Logf was called with\n%s", want, n, log.String())
		}
	}

	t.Run("nil Logf", func(t *testing.T) {
		conn := udpSocket(t, "127.0.0.1:0", false)
		serve(t, &broadcast.Responder{Name: "bravo"}, conn) // Logf nil: log nothing
		seeker := udpSocket(t, "127.0.0.1:0", false)
		send(t, seeker, netip.AddrPortFrom(loopback, port(conn)), "DISCOVER nolog")
		if d, err := recv(seeker, replyWait); err != nil || d.msg != "HERE nolog bravo" {
			t.Errorf("Responder with a nil Logf: answer %s, %v; want %q (Logf is optional: call it only when it is not nil)", short(d.msg), err, "HERE nolog bravo")
		}
	})
}
