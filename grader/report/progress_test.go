package report

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"netlabs/grader/result"
)

// syncBuffer is a strings.Builder safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressPlain(t *testing.T) {
	var b syncBuffer
	p := NewProgress(&b, 3, false)
	p.Done("w01.basic.exchange", result.StatusPass, 120*time.Millisecond)
	p.Done("w01.basic.concurrent", result.StatusTimeout, 30*time.Second)
	p.Done("w01.basic.cli", result.StatusNotRun, 0)
	p.Finish()
	p.Done("w01.basic.late", result.StatusPass, 0)
	want := "PASS    w01.basic.exchange (0.12s)\n" +
		"TIMEOUT w01.basic.concurrent (30.00s)\n" +
		"NOT RUN w01.basic.cli (0.00s)\n"
	if got := b.String(); got != want {
		t.Errorf("progress without a tty:\n%q\nwant\n%q", got, want)
	}
}

func TestProgressTTY(t *testing.T) {
	var b syncBuffer
	p := NewProgress(&b, 12, true)
	p.Done("w01.basic.exchange", result.StatusPass, time.Second)
	p.Done("w01.basic.framing", result.StatusFail, time.Second)
	p.Finish()
	p.Finish()
	want := "\r\x1b[K[ 1/12] ✓ w01.basic.exchange   1 passed, 0 not passed" +
		"\r\x1b[K[ 2/12] ✗ w01.basic.framing   1 passed, 1 not passed" +
		"\r\x1b[K"
	if got := b.String(); got != want {
		t.Errorf("progress on a tty:\n%q\nwant\n%q", got, want)
	}
}

func TestProgressConcurrent(t *testing.T) {
	const n = 64
	var b syncBuffer
	p := NewProgress(&b, n, true)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			status := result.StatusPass
			if i%4 == 0 {
				status = result.StatusFail
			}
			p.Done(fmt.Sprintf("w01.basic.c%02d", i), status, time.Millisecond)
		})
	}
	wg.Wait()
	out := b.String()
	if got := strings.Count(out, "\r\x1b[K"); got != n {
		t.Errorf("%d progress lines, want %d", got, n)
	}
	if want := fmt.Sprintf("[%d/%d]", n, n); !strings.Contains(out, want) {
		t.Errorf("progress never reached %s", want)
	}
	if want := fmt.Sprintf("%d passed, %d not passed", n*3/4, n/4); !strings.HasSuffix(out, want) {
		t.Errorf("last progress line does not end with %q", want)
	}
}
