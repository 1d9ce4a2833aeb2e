package broadcast_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/broadcast"
)

// ---- The seeker, tested with the test's own fake responders ----

func TestDiscover(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	// Three responders share one port and answer at their own pace.
	first := udpSocket(t, "0.0.0.0:0", true)
	p := port(first)
	startFake(t, first, "alpha", 0)
	startFake(t, udpSocket(t, fmt.Sprintf("0.0.0.0:%d", p), true), "bravo", 80*time.Millisecond)
	startFake(t, udpSocket(t, fmt.Sprintf("0.0.0.0:%d", p), true), "charlie", 200*time.Millisecond)

	const wait = 600 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	dst := to(p).String()
	got, elapsed, err := discover(t, &broadcast.Seeker{}, ctx, dst, wait+2*time.Second)
	from := netip.AddrPortFrom(loopback, p)
	want := []broadcast.Answer{{Addr: from, Name: "alpha"}, {Addr: from, Name: "bravo"}, {Addr: from, Name: "charlie"}}
	if err != nil {
		t.Errorf("Discover(ctx, %q) error = %v, want nil: reaching the deadline is how a discovery ends", dst, err)
	}
	if fmt.Sprint(sortAnswers(got)) != fmt.Sprint(want) {
		t.Errorf("Discover(ctx with a %v deadline, %q) = %v (after %v)\nwant (in any order) %v\nthree responders share port %d and answer after 0, 80ms and 200ms: read answers on the socket the query left from until the deadline; keep (address, name) pairs, several responders may share an address",
			wait, dst, got, elapsed.Round(time.Millisecond), want, p)
	}
}

func TestQuery(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	conn := udpSocket(t, "0.0.0.0:0", true)
	f := startFake(t, conn, "alpha", 0)
	dst := to(port(conn)).String()
	format := regexp.MustCompile(`^DISCOVER [0-9A-Za-z]{1,32}$`)

	var tokens []string
	for call := 1; call <= 2; call++ {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		_, _, err := discover(t, &broadcast.Seeker{}, ctx, dst, 2*time.Second)
		cancel()
		if err != nil {
			t.Errorf("Discover call %d: %v", call, err)
		}
		got := f.received()
		if len(got) != call {
			t.Fatalf("after %d Discover calls the responder received %d datagrams %v, want one query per call (Seeker.Resend is zero)", call, len(got), got)
		}
		q := got[call-1].msg
		if !format.MatchString(q) {
			t.Fatalf("Discover call %d sent %s, want exactly \"DISCOVER <token>\": one space, 1 to %d letters or digits, no line ending", call, short(q), broadcast.MaxToken)
		}
		tokens = append(tokens, strings.TrimPrefix(q, "DISCOVER "))
	}
	if tokens[0] == tokens[1] {
		t.Errorf("two Discover calls both used the token %q; want a fresh random token for every discovery (crypto/rand.Text)", tokens[0])
	}
}

func TestDiscoverIgnoresJunk(t *testing.T) {
	labtest.NoLeaks(t)
	// No broadcast here: the query goes to one responder by unicast.
	r1 := udpSocket(t, "127.0.0.1:0", false)
	r2 := udpSocket(t, "127.0.0.1:0", false)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	dst := netip.AddrPortFrom(loopback, port(r1))

	type result struct {
		answers []broadcast.Answer
		err     error
	}
	done := make(chan result, 1)
	go func() {
		a, err := (&broadcast.Seeker{}).Discover(ctx, dst.String())
		done <- result{a, err}
	}()
	q, err := recv(r1, replyWait)
	f := strings.Fields(q.msg) // lenient: TestQuery checks the format
	if err != nil || len(f) < 2 || f[0] != "DISCOVER" {
		t.Fatalf("the responder at %s received %s, %v; want a query \"DISCOVER <token>\"", dst, short(q.msg), err)
	}
	tok := f[1]
	longName := strings.Repeat("~", broadcast.MaxName)
	junk := []string{
		"HERE " + strings.Repeat("X", len(tok)) + " stray", // another query's answer
		"HERE " + tok,                                                  // no name
		"HERE " + tok + " ",                                            // empty name
		"HERE " + tok + " two words",                                   // space in the name
		"here " + tok + " lower",                                       // lower case
		"HERE  " + tok + " twospaces",                                  // two spaces
		"HERE " + tok + " newline\n",                                   // line ending
		"HERE " + tok + " crlf\r\n",                                    // CRLF
		"HERE " + tok + " del\x7f",                                     // DEL, just past '~'
		"HERE " + tok + "x longertoken",                                // not the token: longer
		"HERE " + tok[:len(tok)-1] + " prefix",                         // not the token: a prefix
		"HERE " + tok + " ünï",                                         // non-ASCII name
		"HERE " + tok + " " + strings.Repeat("n", broadcast.MaxName+1), // name too long
		"HERE " + tok + " " + strings.Repeat("m", 2000),                // 2000 bytes
		"DISCOVER " + tok,                                              // a query is not an answer
		"",                                                             // empty datagram
	}
	if other := swapCase(tok); other != tok {
		junk = append(junk, "HERE "+other+" othercase") // tokens are case-sensitive
	}
	valid := []string{
		"HERE " + tok + " alpha",
		"HERE " + tok + " alpha",       // the same answer again
		"HERE " + tok + " bravo",       // same address, another name
		"HERE " + tok + " !~",          // the edges of the name's range
		"HERE " + tok + " " + longName, // the longest name
	}
	for _, m := range append(junk, valid...) {
		send(t, r1, q.from, m)
	}
	send(t, r2, q.from, "HERE "+tok+" alpha") // another address, same name

	var res result
	select {
	case res = <-done:
	case <-time.After(1500*time.Millisecond + replyWait):
		t.Fatalf("Discover with a 1.5s deadline did not return within %v", 1500*time.Millisecond+replyWait)
	}
	a1, a2 := dst, netip.AddrPortFrom(loopback, port(r2))
	want := sortAnswers([]broadcast.Answer{{Addr: a1, Name: "alpha"}, {Addr: a2, Name: "alpha"}, {Addr: a1, Name: "bravo"}, {Addr: a1, Name: "!~"}, {Addr: a1, Name: longName}})
	if res.err != nil {
		t.Errorf("Discover error = %v, want nil", res.err)
	}
	if fmt.Sprint(sortAnswers(res.answers)) != fmt.Sprint(want) {
		t.Errorf("Discover = %v\nwant (in any order) %v\nthe responders sent, in this order: %q, then from %s %q\nkeep only exact \"HERE <your token> <name>\" answers, each (address, name) once", res.answers, want, append(junk, valid...), a2, "HERE "+tok+" alpha")
	}
}

func TestDiscoverNobody(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	dst := to(freePort(t)).String() // nobody listens there

	t.Run("deadline", func(t *testing.T) {
		const wait = 300 * time.Millisecond
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		got, elapsed, err := discover(t, &broadcast.Seeker{}, ctx, dst, wait+2*time.Second)
		checkNobody(t, "ctx with a 300ms deadline", got, err, elapsed, wait-20*time.Millisecond, wait+500*time.Millisecond)
	})
	t.Run("no deadline", func(t *testing.T) {
		got, elapsed, err := discover(t, &broadcast.Seeker{}, context.Background(), dst, broadcast.DefaultWait+2*time.Second)
		checkNobody(t, "ctx without a deadline", got, err, elapsed, broadcast.DefaultWait-20*time.Millisecond, broadcast.DefaultWait+500*time.Millisecond)
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		time.AfterFunc(100*time.Millisecond, cancel)
		got, elapsed, err := discover(t, &broadcast.Seeker{}, ctx, dst, 2*time.Second)
		checkNobody(t, "ctx cancelled after 100ms (deadline 10s)", got, err, elapsed, 80*time.Millisecond, 600*time.Millisecond)
	})
}

// checkNobody checks that a discovery with no responder found nobody and
// ended between lo and hi.
func checkNobody(t *testing.T, what string, got []broadcast.Answer, err error, elapsed, lo, hi time.Duration) {
	t.Helper()
	e := elapsed.Round(time.Millisecond)
	switch {
	case err != nil:
		t.Errorf("Discover with %s and nobody listening: error %v, want none: an empty result is the answer", what, err)
	case len(got) != 0:
		t.Errorf("Discover with %s and nobody listening = %v, want no answers", what, got)
	case elapsed < lo:
		t.Errorf("Discover with %s returned after %v; want it to wait until %v: answers may still be on their way", what, e, lo)
	case elapsed > hi:
		t.Errorf("Discover with %s returned after %v; want it to end by %v (read deadline from ctx, or DefaultWait; context.AfterFunc to stop when ctx is cancelled)", what, e, hi)
	}
}

func TestDiscoverSendError(t *testing.T) {
	labtest.NoLeaks(t)
	// Nothing can be sent to port 0: the kernel refuses the query (EINVAL).
	dst := netip.AddrPortFrom(loopback, 0).String()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	got, elapsed, err := discover(t, &broadcast.Seeker{}, ctx, dst, 4*time.Second)
	switch {
	case err == nil:
		t.Errorf("Discover(ctx, %q) = %v, nil after %v; want the error of sending the query", dst, got, elapsed.Round(time.Millisecond))
	case !errors.Is(err, syscall.EINVAL):
		t.Errorf("Discover(ctx, %q) error = %v; want the error of sending the query as it is (errors.Is(err, syscall.EINVAL)), wrapped with %%w", dst, err)
	case elapsed > 500*time.Millisecond:
		t.Errorf("Discover(ctx, %q) returned %v after %v; want it at once: there is nothing to wait for when the query was not sent", dst, err, elapsed.Round(time.Millisecond))
	}
}

// TestDiscoverResend is the bonus: a seeker that repeats its query finds a
// responder that started after the first query.
func TestDiscoverResend(t *testing.T) {
	labtest.NoLeaks(t)
	labtest.RequireIsolatedNetwork(t)
	p := freePort(t)
	const wait, resend, late = 800 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	type result struct {
		answers []broadcast.Answer
		err     error
	}
	done := make(chan result, 1)
	go func() {
		a, err := (&broadcast.Seeker{Resend: resend}).Discover(ctx, to(p).String())
		done <- result{a, err}
	}()
	time.Sleep(late) // the responder starts late: part of the scenario
	f := startFake(t, udpSocket(t, fmt.Sprintf("0.0.0.0:%d", p), true), "alpha", 0)

	var res result
	select {
	case res = <-done:
	case <-time.After(wait + 2*time.Second):
		t.Fatalf("Discover with an %v deadline did not return within %v", wait, wait+2*time.Second)
	}
	want := []broadcast.Answer{{Addr: netip.AddrPortFrom(loopback, p), Name: "alpha"}}
	if res.err != nil || fmt.Sprint(res.answers) != fmt.Sprint(want) {
		t.Errorf("Seeker{Resend: %v}.Discover with an %v deadline, responder started after %v = %v, %v; want %v, nil (repeat the query every Resend; keep each answer once)", resend, wait, late, res.answers, res.err, want)
	}
	got := f.received()
	if len(got) < 2 {
		t.Fatalf("the late responder received %d queries in %v, want one every %v", len(got), wait-late, resend)
	}
	for _, d := range got[1:] {
		if d.msg != got[0].msg {
			t.Errorf("repeated query %s differs from the first %s; repeat the same query, same token", short(d.msg), short(got[0].msg))
			break
		}
	}
}

func TestDiscoverOrder(t *testing.T) {
	labtest.NoLeaks(t)
	// No broadcast here: the query goes to one responder by unicast, and two
	// sockets answer, one after the other.
	r1 := udpSocket(t, "127.0.0.1:0", false)
	r2 := udpSocket(t, "127.0.0.1:0", false)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	dst := netip.AddrPortFrom(loopback, port(r1))
	type result struct {
		answers []broadcast.Answer
		err     error
	}
	done := make(chan result, 1)
	go func() {
		a, err := (&broadcast.Seeker{}).Discover(ctx, dst.String())
		done <- result{a, err}
	}()
	q, err := recv(r1, replyWait)
	f := strings.Fields(q.msg) // lenient: TestQuery checks the format
	if err != nil || len(f) < 2 || f[0] != "DISCOVER" {
		t.Fatalf("the responder at %s received %s, %v; want a query \"DISCOVER <token>\"", dst, short(q.msg), err)
	}
	// Names in no sorted order, from two addresses, interleaved: on
	// loopback, datagrams from one sender arrive in the order they were sent.
	var want []broadcast.Answer
	for i, name := range []string{"kilo", "alpha", "Zulu", "echo", "bravo", "kilo", "mike", "delta", "alpha", "charlie"} {
		r := r1
		if i%3 == 2 {
			r = r2
		}
		send(t, r, q.from, "HERE "+f[1]+" "+name)
		want = append(want, broadcast.Answer{Addr: netip.AddrPortFrom(loopback, port(r)), Name: name})
	}
	var res result
	select {
	case res = <-done:
	case <-time.After(1500*time.Millisecond + replyWait):
		t.Fatalf("Discover with a 1.5s deadline did not return within %v", 1500*time.Millisecond+replyWait)
	}
	if res.err != nil || fmt.Sprint(res.answers) != fmt.Sprint(want) {
		t.Errorf("Discover = %v, %v\nwant, in this order, %v, nil\nkeep the answers in the order they arrived (a slice, not a map; no sorting)", res.answers, res.err, want)
	}
}

func TestDiscoverBadDest(t *testing.T) {
	labtest.NoLeaks(t)
	for _, dst := range []string{"127.0.0.1", "127.0.0.1:65536", "127.0.0.1:-5", "[::1]:9303"} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		got, elapsed, err := discover(t, &broadcast.Seeker{}, ctx, dst, 4*time.Second)
		cancel()
		switch {
		case !errors.As(err, new(*net.AddrError)):
			t.Errorf("Discover(ctx, %q) = %v, %v after %v; want the error of resolving it, as it is (net.ResolveUDPAddr(\"udp4\", dst) gives a *net.AddrError): it is not an IPv4 host:port", dst, got, err, elapsed.Round(time.Millisecond))
		case len(got) != 0:
			t.Errorf("Discover(ctx, %q) = %v, %v; want no answers with the error", dst, got, err)
		case elapsed > 500*time.Millisecond:
			t.Errorf("Discover(ctx, %q) returned %v after %v; want it at once", dst, err, elapsed.Round(time.Millisecond))
		}
	}
}

// swapCase swaps the case of the ASCII letters of s.
func swapCase(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
	}
	return string(b)
}
