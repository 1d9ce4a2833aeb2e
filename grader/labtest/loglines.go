package labtest

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// LogLines records what a Logf function is called with, one formatted line
// per call, for tests that check a lab's log lines. It is safe for
// concurrent use; the zero value is ready.
type LogLines struct {
	mu  sync.Mutex
	all []string
}

// Logf records one line; pass it as the lab's Logf.
func (l *LogLines) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, fmt.Sprintf(format, args...))
}

// Count is how many recorded lines equal line.
func (l *LogLines) Count(line string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.all {
		if s == line {
			n++
		}
	}
	return n
}

// String lists the recorded lines, indented, for a failure message.
func (l *LogLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.all) == 0 {
		return "  (nothing)"
	}
	return "  " + strings.Join(l.all, "\n  ")
}

// Poll calls cond every few milliseconds until it holds or d has passed, and
// tells whether it held: Eventually for a test that words its own failure.
func Poll(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for wait := time.Millisecond; ; wait = min(2*wait, 20*time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(wait)
	}
}
