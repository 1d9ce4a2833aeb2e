package labtest

import (
	"fmt"
	"os"
	"runtime/debug"
	"testing"
)

// OpenFDs returns how many file descriptors this process has open, from
// /proc/self/fd, and ok false where that cannot be read (not Linux).
func OpenFDs() (n int, ok bool) {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	// ReadDir's own descriptor of the directory is among the entries.
	return len(entries) - 1, true
}

// NoFDLeak calls f n times and fails t when the process has more descriptors
// open afterwards than before: a socket or file that f opens and never closes
// shows as n more. f runs once before the count is taken, so whatever it sets
// up once per process (the runtime's poller, a resolver's files) is not
// counted. Garbage collection is off meanwhile, so that no finalizer closes
// a leaked socket before it is counted. what names the call in the failure message. Where descriptors
// cannot be counted, the check is skipped with the reason.
//
//	labtest.NoFDLeak(t, 20, "Send", func() { datagram.Send(addr, nil) })
func NoFDLeak(t testing.TB, n int, what string, f func()) {
	t.Helper()
	if _, ok := OpenFDs(); !ok {
		t.Skip("cannot count open file descriptors here: /proc/self/fd is not readable")
	}
	// A socket left open is closed by its finalizer after a garbage
	// collection, which would hide the leak only on some runs: no collection
	// while counting.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	f()
	before, _ := OpenFDs()
	for range n {
		f()
	}
	after, _ := OpenFDs()
	if after > before {
		t.Errorf("%s", fmt.Sprintf("after %d calls of %s, %d more file descriptors are open than before (%d, then %d): every call must close what it opened (a socket: defer conn.Close())", n, what, after-before, before, after))
	}
}
