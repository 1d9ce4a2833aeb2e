package classroom

import (
	"context"
	"net"
)

// Gap is a range of missed numbers, From to To inclusive.
type Gap struct {
	From, To uint64
}

// Report is what a listener has seen of its class so far.
type Report struct {
	// Class is the listener's class.
	Class string
	// Received counts the announcements delivered, late ones included.
	Received int
	// First is the first number received (the listener's start) and Last
	// the highest; both are 0 until something arrives.
	First, Last uint64
	// Gaps are the numbers between First and Last still missing, as ranges
	// in ascending order; nil or empty when nothing is missing.
	Gaps []Gap
	// Missed is how many numbers Gaps holds in all.
	Missed uint64
	// Duplicates counts the datagrams dropped because their number had been
	// delivered already.
	Duplicates int
}

// Listener is one opt-in membership of one class. Receive must be called from
// one goroutine at a time; Report and Leave may be called from any goroutine,
// also while Receive blocks.
type Listener struct {
	// TODO(week04, step 4): the listener's state.
	//  1. The class, the *net.UDPConn from Join, and a receive buffer of
	//     MaxDatagram+1 bytes, made once.
	//  2. A sync.Mutex and, under it, a "left" flag and the Report so far
	//     (with Class filled in from the start).
	// Checked by: TestLeave, TestReceive.
}

// Join makes the host a member of class's group on the interface ifi (nil:
// the one the routing table gives for the group) and returns a listener that
// receives the class's announcements sent to port (1 to 65535). Several
// listeners, in one process or several, may join the same class or different
// classes on the same port at the same time. Join fails with ErrBadClass, or
// with the socket's error. The caller must Leave.
func Join(class string, port int, ifi *net.Interface) (*Listener, error) {
	// TODO(week04, step 4): join the class's group.
	//  1. Find the group (Group); refuse a port outside 1..65535.
	//  2. net.ListenMulticastUDP("udp4", ifi, group:port) binds the port with
	//     SO_REUSEADDR, so several listeners share it, and joins the group
	//     (IP_ADD_MEMBERSHIP) on ifi.
	//  3. Return a Listener whose Report already says which class it is.
	// Pitfall: net.ListenUDP on the port, as for unicast. It joins nothing,
	// so no announcement arrives, and a second listener on the same port
	// fails with "address already in use".
	// Checked by: TestReceive, TestLateJoin, TestOtherClass, TestLeave,
	// TestJoinInterface (a second interface), TestArguments.
	_, _, _ = class, port, ifi
	return nil, ErrNotImplemented
}

// Receive returns the next announcement of the listener's class to deliver,
// as the package documentation describes, and updates the report. It skips
// datagrams that are malformed, longer than MaxDatagram, of another class,
// duplicates or from before the start, and keeps waiting. It blocks until an
// announcement is delivered, ctx is done (it returns ctx.Err()), or the
// listener leaves (it returns ErrLeft, at once if it has left already).
// Another error of the socket comes back wrapped as "classroom: receive:
// <error>". A Receive that returned because of ctx leaves the listener as
// it was: the next Receive works normally.
func (l *Listener) Receive(ctx context.Context) (Announcement, error) {
	// TODO(week04, step 5): wait for the next announcement to deliver.
	//  1. Return ErrLeft at once after Leave, and ctx.Err() at once if ctx is
	//     done already.
	//  2. A read does not watch ctx, so make ctx cut it short: clear any
	//     old deadline (conn.SetReadDeadline with the zero time.Time), then
	//     context.AfterFunc(ctx, ...) that sets a deadline in the past. When
	//     Receive returns, call the stop function AfterFunc gave you; if it
	//     says the function already started, wait until it has finished (a
	//     channel it closes), or its deadline could land on your next call.
	//  3. Loop: read one datagram into the buffer (ReadFromUDPAddrPort). A
	//     read error means you left (ErrLeft), ctx ended (ctx.Err()), or a
	//     real failure (wrap it).
	//  4. n > MaxDatagram: too long, skip it. That is why the buffer has one
	//     byte more: with a buffer of exactly MaxDatagram bytes, a longer
	//     datagram is cut silently and may look valid.
	//  5. Decode it; skip it if it is malformed or of another class.
	//  6. Track its number (step 6); deliver it or read the next one.
	// Pitfall: trusting the group to sort the classes. On Linux a socket
	// bound to 0.0.0.0:port gets the datagrams of every group joined on the
	// host on that port, and two classes can share a group. Check the class
	// name in every datagram.
	// Checked by: TestReceive, TestReceiveContext, TestOtherClass,
	// TestMalformed, TestScripts/cli_shutdown.
	//
	// TODO(week04, step 6): track the numbers, under the mutex.
	//  1. The first number is the start: First = Last = n, no gap before it.
	//  2. n > Last: deliver; if n > Last+1, append the gap Last+1..n-1 and
	//     add its size to Missed; Last = n.
	//  3. n < First: from before the join; drop it, count nothing.
	//  4. Otherwise, n inside a gap arrived late: deliver it and take it out
	//     of its gap (the gap shrinks, splits in two, or goes); Missed
	//     goes down by one. Any other n was delivered already: a duplicate.
	//  5. Count every delivery in Received.
	// Pitfall: starting at 1. A listener that joins during announcement 40
	// did not miss 1 to 39. And keep gaps as ranges, never one entry per
	// missed number: one datagram can jump a billion numbers ahead.
	// Checked by: TestGaps, TestDuplicates, TestLateArrival, TestLateJoin,
	// TestScripts/cli_report.
	_ = ctx
	return Announcement{}, ErrNotImplemented
}

// Report returns the listener's figures so far; after Leave, the final ones.
// The caller may keep and change the result: it shares nothing with the
// listener.
func (l *Listener) Report() Report {
	// TODO(week04, step 6, continued): return a copy of the report, made
	// under the mutex, with its own copy of Gaps (slices.Clone).
	// Checked by: TestGaps, TestConcurrentReport, TestScripts/cli_report.
	return Report{}
}

// Leave ends the membership and closes the listener's socket. A Receive
// blocked at that moment returns ErrLeft, and so does every later one. Leave
// may be called more than once; it returns nil.
func (l *Listener) Leave() error {
	// TODO(week04, step 4, continued): leave the class.
	//  1. Under the mutex: if already left, return nil; else mark it.
	//  2. Close the socket: the kernel drops its membership, and a Read
	//     blocked on it returns at once (with net.ErrClosed, which Receive
	//     turns into ErrLeft).
	//  3. Keep the report: it is the final one.
	// Pitfall: only setting the flag. A Receive blocked in a read never sees
	// it, and the host stays in the group.
	// Checked by: TestLeave, TestConcurrentReport, TestScripts/cli_shutdown.
	return nil
}
