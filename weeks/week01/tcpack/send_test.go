package tcpack_test

// The client's contract at its edges: the deadline and its default, a
// caller's deadline longer than the default, cancellation without a
// deadline, a connection that cannot be made, sockets left open, concurrent
// callers.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week01/tcpack"
)

// slowServer accepts connections on a fresh listener until the test ends and
// runs handle on each in a goroutine, with a deadline hold ahead; the
// connection is closed when handle returns. The test's cleanup waits for all.
// idle waits (up to 3s) until no connection is open on the server's side.
func slowServer(t *testing.T, hold time.Duration, handle func(c net.Conn, r *bufio.Reader)) (addr string, idle func()) {
	t.Helper()
	ln := labtest.Listen(t)
	var wg sync.WaitGroup
	var open atomic.Int32
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			open.Add(1)
			wg.Go(func() {
				defer open.Add(-1)
				defer c.Close()
				c.SetDeadline(time.Now().Add(hold))
				handle(c, bufio.NewReader(c))
			})
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	idle = func() {
		labtest.Eventually(t, 3*time.Second, "the test server to close its connections", func() bool { return open.Load() == 0 })
	}
	return ln.Addr().String(), idle
}

// sendAsync calls Send in a goroutine and delivers its result.
type sendResult struct {
	reply   string
	err     error
	elapsed time.Duration
}

func sendAsync(ctx context.Context, addr, message string) <-chan sendResult {
	res := make(chan sendResult, 1)
	start := time.Now()
	go func() {
		reply, err := tcpack.Send(ctx, addr, message)
		res <- sendResult{reply, err, time.Since(start)}
	}()
	return res
}

// waitSend waits up to d for Send's result and fails the test if none comes.
func waitSend(t *testing.T, res <-chan sendResult, d time.Duration, what string) sendResult {
	t.Helper()
	select {
	case r := <-res:
		return r
	case <-time.After(d):
		t.Fatalf("Send did not return within %v (%s)", d, what)
		return sendResult{}
	}
}

func TestSendTimeouts(t *testing.T) {
	labtest.NoLeaks(t)

	t.Run("no deadline: DefaultSendTimeout", func(t *testing.T) {
		// A server that reads the request and never answers, for 8s.
		addr, _ := slowServer(t, 8*time.Second, func(c net.Conn, r *bufio.Reader) { io.Copy(io.Discard, r) })
		r := waitSend(t, sendAsync(context.Background(), addr, "no deadline"), tcpack.DefaultSendTimeout+3*time.Second,
			"context.Background(), a server that never answers: give up after DefaultSendTimeout")
		switch {
		case r.err == nil:
			t.Errorf("Send = %q, nil; want a timeout error, since the server never answered", r.reply)
		case !isTimeout(r.err):
			t.Errorf("Send error = %v; want a timeout error (os.ErrDeadlineExceeded)", r.err)
		case r.elapsed < tcpack.DefaultSendTimeout:
			t.Errorf("Send gave up after %v with context.Background(); want DefaultSendTimeout (%v)", r.elapsed.Round(time.Millisecond), tcpack.DefaultSendTimeout)
		}
	})

	t.Run("a deadline later than the default", func(t *testing.T) {
		late := tcpack.DefaultSendTimeout + 500*time.Millisecond
		addr, _ := slowServer(t, 8*time.Second, func(c net.Conn, r *bufio.Reader) {
			if _, err := r.ReadString('\n'); err == nil {
				time.Sleep(late) // the server's pace, part of the scenario
				io.WriteString(c, "ACK slow\n")
			}
		})
		ctx, cancel := context.WithTimeout(context.Background(), late+2*time.Second)
		defer cancel()
		r := waitSend(t, sendAsync(ctx, addr, "slow"), late+3*time.Second, "a server that answers after "+late.String())
		if r.reply != "ACK slow" || r.err != nil {
			t.Errorf("ctx deadline %v ahead, reply after %v: Send = %q, %v; want %q, nil (the caller's deadline wins over DefaultSendTimeout)",
				late+2*time.Second, late, r.reply, r.err, "ACK slow")
		}
	})
}

func TestSendCancel(t *testing.T) {
	labtest.NoLeaks(t)

	t.Run("waiting for the reply", func(t *testing.T) {
		got := make(chan struct{})
		addr, _ := slowServer(t, 8*time.Second, func(c net.Conn, r *bufio.Reader) {
			if _, err := r.ReadString('\n'); err == nil {
				close(got)
			}
			io.Copy(io.Discard, r)
		})
		ctx, cancel := context.WithCancel(context.Background()) // no deadline
		defer cancel()
		res := sendAsync(ctx, addr, "cancel me")
		select {
		case <-got:
		case r := <-res:
			t.Fatalf("Send returned %q, %v before the server got the request", r.reply, r.err)
		case <-time.After(2 * time.Second):
			t.Fatal("the server received no request within 2s")
		}
		cancel()
		checkCancelled(t, waitSend(t, res, time.Second, "ctx cancelled while waiting for the reply"))
	})

	t.Run("connecting", func(t *testing.T) {
		addr := unreachable(t)
		ctx, cancel := context.WithCancel(context.Background()) // no deadline
		defer cancel()
		res := sendAsync(ctx, addr, "cancel me")
		select {
		case r := <-res:
			t.Fatalf("Send to a server whose accept queue is full returned %q, %v at once; want it to wait for the connection", r.reply, r.err)
		case <-time.After(300 * time.Millisecond):
		}
		cancel()
		checkCancelled(t, waitSend(t, res, time.Second, "ctx cancelled while connecting"))
	})
}

// checkCancelled wants Send's error after its context was cancelled.
func checkCancelled(t *testing.T, r sendResult) {
	t.Helper()
	if !errors.Is(r.err, context.Canceled) {
		t.Errorf("ctx cancelled (no deadline): Send = %q, %v; want an error wrapping context.Canceled", r.reply, r.err)
	}
}

func TestSendConnectTimeout(t *testing.T) {
	labtest.NoLeaks(t)
	addr := unreachable(t)
	const timeout = 500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	r := waitSend(t, sendAsync(ctx, addr, "anyone?"), timeout+2*time.Second,
		"ctx deadline 500ms, a server whose accept queue is full: connecting is part of the exchange")
	if r.err == nil || !isTimeout(r.err) {
		t.Errorf("Send = %q, %v; want a timeout error once ctx's deadline has passed", r.reply, r.err)
	}
}

// unreachable returns the address of a listener whose accept queue is full:
// the kernel drops further connection attempts, so a dial there waits until
// it gives up. The listener is closed when the test ends.
func unreachable(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("socket: %v", err)
	}
	f := os.NewFile(uintptr(fd), "listener")
	defer f.Close()
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatalf("bind: %v", err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatalf("listen: %v", err)
	}
	ln, err := net.FileListener(f)
	if err != nil {
		t.Fatalf("listener: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	addr := ln.Addr().String()
	// Fill the queue: connect until a connection attempt is no longer answered.
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			break
		}
		t.Cleanup(func() { c.Close() })
		if i == 20 {
			t.Fatal("cannot fill a listener's accept queue here")
		}
	}
	return addr
}

func TestSendLeaks(t *testing.T) {
	labtest.NoLeaks(t)
	addr, idle := slowServer(t, 3*time.Second, func(c net.Conn, r *bufio.Reader) {
		line, err := r.ReadString('\n')
		switch {
		case err != nil:
		case line == "ok\n":
			io.WriteString(c, "ACK ok\n")
		case line == "cut\n":
			io.WriteString(c, "ACK c")
		case line == "mute\n":
			io.Copy(io.Discard, r)
		}
	})
	free := labtest.FreeAddr(t)
	send := func(ctx context.Context, addr, msg string) {
		ctx, cancel := context.WithTimeout(ctx, replyWait)
		defer cancel()
		tcpack.Send(ctx, addr, msg)
		idle() // the test server's descriptors are counted too
	}
	paths := []struct {
		name string
		f    func()
	}{
		{"a reply", func() { send(context.Background(), addr, "ok") }},
		{"a reply cut short", func() { send(context.Background(), addr, "cut") }},
		{"a hang-up without reply", func() { send(context.Background(), addr, "bye") }},
		{"nobody listening", func() { send(context.Background(), free, "hello?") }},
		{"a deadline passed", func() {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			send(ctx, addr, "mute")
		}},
		{"a cancel", func() {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(50*time.Millisecond, cancel)
			send(ctx, addr, "mute")
		}},
	}
	ctx, cancel := context.WithTimeout(context.Background(), replyWait)
	defer cancel()
	if got, err := tcpack.Send(ctx, addr, "ok"); got != "ACK ok" || err != nil {
		t.Fatalf("Send(%q) = %q, %v; want %q, nil", "ok", got, err, "ACK ok")
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			labtest.NoFDLeak(t, 5, "Send with "+p.name, p.f)
		})
	}
}

func TestSendConcurrent(t *testing.T) {
	labtest.NoLeaks(t)
	addr, _ := slowServer(t, 3*time.Second, func(c net.Conn, r *bufio.Reader) {
		line, err := r.ReadString('\n')
		if err == nil {
			io.WriteString(c, "ACK "+line)
		}
	})
	const callers = 8
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := range callers {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*replyWait)
			defer cancel()
			msg := fmt.Sprintf("caller %d of %d", i, callers)
			if got, err := tcpack.Send(ctx, addr, msg); got != "ACK "+msg || err != nil {
				errs <- fmt.Errorf("Send(%q) = %q, %v; want %q, nil", msg, got, err, "ACK "+msg)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
