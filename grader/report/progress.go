package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"netlabs/grader/result"
)

// Progress shows how far grading has got while checks run. On a terminal it
// keeps one line, rewritten in place after every check:
//
//	[ 7/26] ✓ w01.basic.exchange   6 passed, 1 not passed
//
// Elsewhere (a CI log, a pipe) it writes one plain line per finished check:
//
//	PASS    w01.basic.exchange (0.12s)
//	TIMEOUT w01.basic.concurrent (30.00s)
//
// Its methods are safe for concurrent use. Errors from the writer are
// ignored: progress is a courtesy, and the report proper is written later.
type Progress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	total    int
	done     int
	passed   int
	finished bool
}

// NewProgress returns a Progress that writes to w for a run of total checks;
// tty says whether w is a terminal that understands "\r" and ANSI
// clear-to-end-of-line.
func NewProgress(w io.Writer, total int, tty bool) *Progress {
	return &Progress{w: w, tty: tty, total: total}
}

// Done records that the check id finished with status after d, and shows it.
// Calls after Finish are ignored.
func (p *Progress) Done(id string, status result.Status, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.done++
	if status == result.StatusPass {
		p.passed++
	}
	id = oneLine(id)
	if !p.tty {
		fmt.Fprintf(p.w, "%-7s %s (%.2fs)\n", strings.ToUpper(statusWord(status)), id, d.Seconds())
		return
	}
	mark := "✓"
	if status != result.StatusPass {
		mark = "✗"
	}
	digits := len(fmt.Sprint(max(p.total, p.done)))
	fmt.Fprintf(p.w, "\r\x1b[K[%*d/%d] %s %s   %d passed, %d not passed",
		digits, p.done, p.total, mark, id, p.passed, p.done-p.passed)
}

// Finish ends the display: on a terminal it clears the progress line, so
// that what is written next starts on a clean line. It is safe to call more
// than once.
func (p *Progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.finished = true
	if p.tty && p.done > 0 {
		_, _ = io.WriteString(p.w, "\r\x1b[K")
	}
}
