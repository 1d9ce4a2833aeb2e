package classroom

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"
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
	class string
	conn  *net.UDPConn
	buf   []byte // used by Receive only

	mu   sync.Mutex // guards the fields below
	left bool
	rep  Report
}

// Join makes the host a member of class's group on the interface ifi (nil:
// the one the routing table gives for the group) and returns a listener that
// receives the class's announcements sent to port (1 to 65535). Several
// listeners, in one process or several, may join the same class or different
// classes on the same port at the same time. Join fails with ErrBadClass, or
// with the socket's error. The caller must Leave.
func Join(class string, port int, ifi *net.Interface) (*Listener, error) {
	group, err := Group(class)
	if err != nil {
		return nil, err
	}
	if port < 1 || port > 65535 {
		return nil, fmt.Errorf("classroom: port %d out of range", port)
	}
	addr := net.UDPAddrFromAddrPort(netip.AddrPortFrom(group, uint16(port)))
	conn, err := net.ListenMulticastUDP("udp4", ifi, addr)
	if err != nil {
		return nil, fmt.Errorf("classroom: join %s: %w", class, err)
	}
	return &Listener{
		class: class,
		conn:  conn,
		buf:   make([]byte, MaxDatagram+1), // one byte more: a bigger datagram shows as n > MaxDatagram
		rep:   Report{Class: class},
	}, nil
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
	if l.hasLeft() {
		return Announcement{}, ErrLeft
	}
	if err := ctx.Err(); err != nil {
		return Announcement{}, err
	}
	// A previous Receive may have cut its read short with a past deadline.
	l.conn.SetReadDeadline(time.Time{})
	woken := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		l.conn.SetReadDeadline(time.Unix(1, 0)) // in the past: the read returns now
		close(woken)
	})
	defer func() {
		if !stop() {
			<-woken // its deadline is set: the next Receive clears it
		}
	}()
	for {
		n, _, err := l.conn.ReadFromUDPAddrPort(l.buf)
		if err != nil {
			switch {
			case l.hasLeft():
				return Announcement{}, ErrLeft
			case ctx.Err() != nil:
				return Announcement{}, ctx.Err()
			}
			return Announcement{}, fmt.Errorf("classroom: receive: %w", err)
		}
		if n > MaxDatagram {
			continue // cut by the buffer: it was too long to be valid
		}
		a, err := Decode(l.buf[:n])
		if err != nil || a.Class != l.class {
			continue
		}
		if l.track(a.Seq) {
			return a, nil
		}
	}
}

// track records number n and reports whether its announcement is delivered.
func (l *Listener) track(n uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := &l.rep
	switch {
	case r.First == 0:
		r.First, r.Last = n, n
	case n > r.Last:
		if n > r.Last+1 {
			r.Gaps = append(r.Gaps, Gap{From: r.Last + 1, To: n - 1})
			r.Missed += n - 1 - r.Last
		}
		r.Last = n
	case n < r.First:
		return false // sent before this listener joined
	default:
		i := slices.IndexFunc(r.Gaps, func(g Gap) bool { return g.From <= n && n <= g.To })
		if i < 0 {
			r.Duplicates++
			return false
		}
		g := r.Gaps[i]
		var parts []Gap
		if g.From < n {
			parts = append(parts, Gap{From: g.From, To: n - 1})
		}
		if n < g.To {
			parts = append(parts, Gap{From: n + 1, To: g.To})
		}
		r.Gaps = slices.Replace(r.Gaps, i, i+1, parts...)
		r.Missed--
	}
	r.Received++
	return true
}

// Report returns the listener's figures so far; after Leave, the final ones.
// The caller may keep and change the result: it shares nothing with the
// listener.
func (l *Listener) Report() Report {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.rep
	r.Gaps = slices.Clone(r.Gaps)
	return r
}

// Leave ends the membership and closes the listener's socket. A Receive
// blocked at that moment returns ErrLeft, and so does every later one. Leave
// may be called more than once; it returns nil.
func (l *Listener) Leave() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.left {
		return nil
	}
	l.left = true
	l.conn.Close() // closing the socket drops its membership too
	return nil
}

func (l *Listener) hasLeft() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.left
}
