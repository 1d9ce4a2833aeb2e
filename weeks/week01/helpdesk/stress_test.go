package helpdesk_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"netlabs/grader/labtest"
	"netlabs/weeks/week01/helpdesk"
)

func TestConcurrent(t *testing.T) {
	labtest.NoLeaks(t)
	const clients, perClient = 20, 10
	rng := labtest.Rand(t)
	addr := startServer(t, &helpdesk.Server{})

	// A visitor that sits at the prompt must not hold up the others.
	idle := dial(t, addr, "idle")
	idle.expect("NICK")

	nicks := make([]string, clients)
	msgs := make([][]string, clients)
	for j := range clients {
		nicks[j] = fmt.Sprintf("user%02d", j)
		for k := range perClient {
			pad := strings.Repeat(string(rune('a'+j)), rng.IntN(400))
			msgs[j] = append(msgs[j], fmt.Sprintf("m%d.%d %s", j, k, pad))
		}
	}

	// Everyone joins at once.
	conns := make([]net.Conn, clients)
	readers := make([]*bufio.Reader, clients)
	var wg sync.WaitGroup
	errs := make(chan error, 2*clients)
	for j := range clients {
		c := labtest.Dial(t, addr)
		c.SetDeadline(time.Now().Add(8 * time.Second))
		conns[j], readers[j] = c, bufio.NewReader(c)
		wg.Go(func() { errs <- joinRaw(c, readers[j], nicks[j]) })
	}
	wg.Wait()
	for range clients {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}

	// Everyone has seen its own join notice, so all are in the room: all talk
	// at once, in writes that split and merge lines at random.
	for j := range clients {
		chunks := splitRandomly(rng, strings.Join(msgs[j], "\n")+"\n")
		wg.Go(func() {
			for _, ch := range chunks {
				if _, err := io.WriteString(conns[j], ch); err != nil {
					errs <- fmt.Errorf("%s: send: %v", nicks[j], err)
					return
				}
			}
		})
		wg.Go(func() { errs <- receiveAll(readers[j], j, nicks, msgs) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	idle.conn.Close()
}

// joinRaw is join for goroutines other than the test's.
func joinRaw(c net.Conn, r *bufio.Reader, nick string) error {
	if line, err := r.ReadString('\n'); err != nil || line != "NICK\n" {
		return fmt.Errorf("%s: got %q (%v), want the prompt NICK", nick, line, err)
	}
	if _, err := io.WriteString(c, nick+"\n"); err != nil {
		return fmt.Errorf("%s: send nickname: %v", nick, err)
	}
	for {
		// Others' join notices before its own: TestNewcomer's concern.
		line, err := r.ReadString('\n')
		switch {
		case err == nil && line == nick+" joined the chat!\n":
			return nil
		case err == nil && strings.HasSuffix(line, " joined the chat!\n"):
			continue
		}
		return fmt.Errorf("%s: got %q (%v), want its join notice", nick, line, err)
	}
}

// receiveAll reads until client j has every other client's messages, each
// exactly once and in order. Notices and echoes are skipped: other tests
// grade them.
func receiveAll(r *bufio.Reader, j int, nicks []string, msgs [][]string) error {
	next := make([]int, len(nicks))
	want := (len(nicks) - 1) * len(msgs[0])
	for got := 0; got < want; {
		line, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("%s: received %d of %d messages, then: %v", nicks[j], got, want, err)
		}
		line = strings.TrimSuffix(line, "\n")
		if isNotice(line) || strings.HasPrefix(line, nicks[j]+": ") {
			continue
		}
		from := -1
		for i, n := range nicks {
			if strings.HasPrefix(line, n+": ") {
				from = i
			}
		}
		switch {
		case from < 0:
			return fmt.Errorf("%s: got %.80q, not a line of any client (lines mixed together?)", nicks[j], line)
		case next[from] >= len(msgs[from]):
			return fmt.Errorf("%s: got %.80q, but already had all of %s's messages (duplicate?)", nicks[j], line, nicks[from])
		case line != nicks[from]+": "+msgs[from][next[from]]:
			return fmt.Errorf("%s: got %.80q, want %s's message %d %.60q (lost, reordered or mixed lines?)",
				nicks[j], line, nicks[from], next[from], msgs[from][next[from]])
		}
		next[from]++
		got++
	}
	return nil
}

// splitRandomly cuts s into chunks of 1 to 700 bytes.
func splitRandomly(rng interface{ IntN(int) int }, s string) []string {
	var chunks []string
	for s != "" {
		n := min(1+rng.IntN(700), len(s))
		chunks = append(chunks, s[:n])
		s = s[n:]
	}
	return chunks
}

func TestSlowReader(t *testing.T) {
	labtest.NoLeaks(t)
	addr := startServer(t, &helpdesk.Server{WriteTimeout: 500 * time.Millisecond})
	sender := join(t, addr, "sender")
	reader := join(t, addr, "reader")
	stuck := join(t, addr, "stuck") // from now on it reads nothing
	// Several MB must pass before the stuck client's buffers are full: on a
	// loaded machine that takes seconds.
	deadline := time.Now().Add(20 * time.Second)

	// The sender talks until the reader hears that the stuck client is gone;
	// its lines fill the stuck client's socket buffers long before. It stays
	// at most window lines ahead of the reader, so the reader, however slowly
	// it is scheduled, never looks stuck itself.
	const window = 64
	credits := make(chan struct{}, window)
	for range window {
		credits <- struct{}{}
	}
	stop, quit := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() { close(quit) })
	sent := make(chan error, 1)
	go io.Copy(io.Discard, sender.r) // the sender reads what it gets; this ends with the connection
	pad := strings.Repeat("z", 1000)
	go func() {
		sender.conn.SetWriteDeadline(deadline)
		for k := 0; ; k++ {
			select {
			case <-stop:
				_, err := io.WriteString(sender.conn, "done\n")
				sent <- err
				return
			case <-quit:
				return
			case <-credits:
			}
			if _, err := fmt.Fprintf(sender.conn, "%d %s\n", k, pad); err != nil {
				sent <- err
				return
			}
		}
	}()

	next, dropped := 0, false
	for done := false; !done; {
		reader.conn.SetReadDeadline(deadline)
		line, err := reader.r.ReadString('\n')
		if err != nil {
			t.Fatalf("reader: got %d of the sender's lines, stuck client dropped: %v; then: %v", next, dropped, err)
		}
		switch line = strings.TrimSuffix(line, "\n"); {
		case line == "stuck left the chat!":
			if !dropped {
				dropped = true
				close(stop)
			}
		case line == "sender: done":
			done = true
		case strings.HasSuffix(line, " joined the chat!"):
		case line == fmt.Sprintf("sender: %d %s", next, pad):
			next++
			credits <- struct{}{}
		default:
			t.Fatalf("reader: got %.60q, want the sender's line %d", line, next)
		}
	}
	if !dropped {
		t.Fatal("reader: the sender finished, but the stuck client was never dropped")
	}
	if err := <-sent; err != nil {
		t.Fatalf("sender: %v", err)
	}
	t.Logf("the stuck client was dropped after %d lines of %d bytes", next, len(pad)+6)

	// The server closed the stuck client's connection.
	stuck.conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := io.Copy(io.Discard, stuck.r); err != nil && !isReset(err) {
		t.Fatalf("stuck: want the server to close the connection: %v", err)
	}
}

func TestClose(t *testing.T) {
	labtest.NoLeaks(t)
	before := goleak.IgnoreCurrent()

	// Logf lines written while Close runs are slow on purpose: Close must wait
	// for the goroutines that write them.
	var closing, returned atomic.Bool
	var inside, late atomic.Int32
	srv := &helpdesk.Server{Logf: func(string, ...any) {
		if returned.Load() {
			late.Add(1)
		}
		if closing.Load() {
			inside.Add(1)
			time.Sleep(50 * time.Millisecond)
			inside.Add(-1)
		}
	}}
	ln := labtest.Listen(t)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		t.Fatalf("Serve returned at once: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	t.Cleanup(func() { closeWithin(srv, 3*time.Second) })
	a := join(t, ln.Addr().String(), "alice")
	b := join(t, ln.Addr().String(), "bob")

	closing.Store(true)
	if err := closeWithin(srv, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	returned.Store(true)
	if n := inside.Load(); n > 0 {
		t.Errorf("Close returned while %d connection goroutine(s) were still running (inside Logf): wait for all of them", n)
	}
	select {
	case err := <-served:
		if !errors.Is(err, helpdesk.ErrServerClosed) {
			t.Errorf("Serve() = %v after Close, want ErrServerClosed", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Serve did not return within 1s of Close")
	}
	a.expectClosed(false)
	b.expectClosed(false)
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Error("a new client could connect after Close: close the listener")
	}

	if err := closeWithin(srv, time.Second); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ln2 := labtest.Listen(t)
	go func() { served <- srv.Serve(ln2) }()
	select {
	case err := <-served:
		if !errors.Is(err, helpdesk.ErrServerClosed) {
			t.Errorf("Serve() = %v after Close, want ErrServerClosed", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Serve after Close did not return within 1s")
	}

	// Whatever the server started is gone; wait as goleak does, then look for
	// log lines written after Close returned.
	if err := goleak.Find(before); err != nil {
		t.Errorf("goroutines still running after Close: %v", err)
	}
	if n := late.Load(); n > 0 {
		t.Errorf("Logf was called %d time(s) after Close returned: Close must wait for every connection goroutine", n)
	}
}

// closeWithin calls srv.Close and gives it d to return nil.
func closeWithin(srv *helpdesk.Server, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- srv.Close() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("Close() = %v, want nil", err)
		}
		return nil
	case <-time.After(d):
		return fmt.Errorf("Close did not return within %v: close every client connection, so that their goroutines end", d)
	}
}
