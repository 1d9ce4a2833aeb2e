package labtest

import (
	"testing"

	"go.uber.org/goleak"
)

// NoLeaks fails t if goroutines that t started are still running once t and all
// its cleanups have finished. Call it first in the test, so its cleanup runs last,
// and never in a parallel test: goleak cannot tell whose goroutine it sees.
// Goroutines that existed before the call are ignored.
func NoLeaks(t *testing.T) {
	t.Helper()
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}
