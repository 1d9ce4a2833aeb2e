package classroom

import (
	"fmt"
	"net"
	"net/netip"
	"sync"
)

// Teacher sends the announcements of any number of classes from one UDP
// socket, numbering each class on its own. Its methods may be called from
// several goroutines at once.
type Teacher struct {
	port uint16
	conn *net.UDPConn

	mu   sync.Mutex        // guards next, and keeps each class's datagrams in number order
	next map[string]uint64 // the next number of each class; missing means 1
}

// NewTeacher opens the socket that sends announcements to the class groups
// on port (1 to 65535). The operating system's routing table chooses the
// interface they leave by. The caller closes the Teacher.
func NewTeacher(port int) (*Teacher, error) {
	if port < 1 || port > 65535 {
		return nil, fmt.Errorf("classroom: port %d out of range", port)
	}
	conn, err := net.ListenUDP("udp4", nil)
	if err != nil {
		return nil, fmt.Errorf("classroom: teacher: %w", err)
	}
	return &Teacher{port: uint16(port), conn: conn, next: make(map[string]uint64)}, nil
}

// SetNext makes seq the number of class's next announcement, so that a
// teacher who restarts can carry on where the lesson was instead of starting
// again at 1. It fails with ErrBadClass or ErrBadSeq (seq is 0).
func (t *Teacher) SetNext(class string, seq uint64) error {
	if !validClass(class) {
		return fmt.Errorf("%w: %q", ErrBadClass, class)
	}
	if seq == 0 {
		return ErrBadSeq
	}
	t.mu.Lock()
	t.next[class] = seq
	t.mu.Unlock()
	return nil
}

// Announce sends text to class's group as the class's next announcement and
// returns its number. It fails, without sending anything or using up a
// number, with ErrBadClass, ErrBadText, or the socket's error wrapped as
// "classroom: announce: <error>" (after Close, that error wraps net.ErrClosed).
func (t *Teacher) Announce(class, text string) (uint64, error) {
	group, err := Group(class)
	if err != nil {
		return 0, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	seq := t.next[class]
	if seq == 0 {
		seq = 1
	}
	b, err := Encode(Announcement{Class: class, Seq: seq, Text: text})
	if err != nil {
		return 0, err
	}
	if _, err := t.conn.WriteToUDPAddrPort(b, netip.AddrPortFrom(group, t.port)); err != nil {
		return 0, fmt.Errorf("classroom: announce: %w", err)
	}
	t.next[class] = seq + 1
	return seq, nil
}

// Close closes the teacher's socket. Announce fails afterwards.
func (t *Teacher) Close() error {
	return t.conn.Close()
}
