// Package classroom is week 4's extra lab: a classroom announcement system
// over IP multicast. One teacher sends numbered announcements to the group of
// a class; any number of listeners opt in by joining that group, and each one
// can tell which announcements it missed.
//
// # Classes and groups
//
// A class name is 1 to MaxClass bytes, each a lowercase ASCII letter, a
// digit or '-': "net101", "physics-2a". Every class has its own multicast
// group in the IPv4 Local Scope 239.255.0.0/16 (RFC 2365), found by a fixed
// rule, so that teacher and listeners agree without asking anybody:
//
//	h     = FNV-1a, 32 bits, of the class name's bytes (hash/fnv New32a)
//	group = 239.255.X.Y  where X = byte(h >> 8) and Y = byte(h)
//
// "net101" is 239.255.221.176 and "math" is 239.255.153.143. Only 65536
// groups exist, so two classes may share one: "physics984" and
// "chemistry200" both map to 239.255.68.29. All classes use the same UDP
// port (DefaultPort unless the programs are told otherwise). A listener
// therefore receives datagrams that are not for its class: those of a class
// sharing its group and, on Linux, those sent to any group that any socket of
// the host joined on its port (a socket bound to 0.0.0.0:port gets them all;
// that is how net.ListenMulticastUDP binds). Every listener checks the class
// name in each datagram and ignores the others.
//
// # Announcements
//
// One UDP datagram carries one announcement, as text, with no newline at the
// end:
//
//	ANN <class> <seq> <text>
//
// "ANN", the class name, the sequence number and the text, separated by
// single spaces. The space before the text is always there, even when the
// text is empty ("ANN net101 7 "). The sequence number is decimal, from 1 to
// 18446744073709551615 (Encode writes it without leading zeros). The text is
// at most MaxText bytes of anything but "\n", spaces included, kept exactly.
// A datagram is therefore at most MaxDatagram bytes. Anything else is
// malformed: a listener ignores it and carries on.
//
// The teacher numbers each class's announcements 1, 2, 3, ... on its own
// (net101 and math both have a number 1), one number per announcement it
// actually sent. Its datagrams leave with TTL 1, the default of a UDP socket:
// announcements stay on the local network.
//
// # What a listener reports
//
// A listener delivers each announcement of its class once, in the order it
// arrives, and keeps count. The first number it receives is its start:
// nothing before it counts as missed, because a listener that joins late
// never expected what was said before it came. After that, with Last the
// highest number received so far, an announcement numbered n is:
//
//	n > Last               delivered; Last+1 .. n-1, if any, become a gap
//	n inside a gap         delivered late; n is no longer missing
//	n already delivered    a duplicate: counted, not delivered again
//	n below the start      from before the listener joined: dropped silently
//
// A gap is a range of numbers, kept as a range: one announcement can open a
// gap of billions of numbers. Report gives the figures at any time.
//
// # Membership
//
// Listening is opt-in: Join makes the host a member of the class's group
// (IGMP tells the routers), Leave ends the membership, so nothing more is
// delivered and, once the last member on the host has left, the host no
// longer accepts the group's datagrams at all.
//
// # Programs
//
// The programs teacher and listener (weeks/week04/cmd) wrap Teacher and
// Listener; cli.go parses their flags:
//
//	teacher -class NAME [-port N] [-seq N] [-msg TEXT]
//	listener -class NAME [-port N] [-iface NAME] [-count N] [-timeout D] [-addrfile FILE]
package classroom

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"net/netip"
	"strconv"
	"strings"
)

// Protocol limits and defaults.
const (
	// DefaultPort is the UDP port of every class group unless told otherwise.
	DefaultPort = 5007
	// MaxClass is the longest class name, in bytes.
	MaxClass = 32
	// MaxText is the longest announcement text, in bytes.
	MaxText = 1024
	// MaxDatagram is the longest valid announcement datagram: "ANN ", the
	// longest class, a space, a 20-digit number, a space and the longest text.
	MaxDatagram = len("ANN ") + MaxClass + 1 + 20 + 1 + MaxText
)

var (
	// ErrNotImplemented is returned by the parts of the lab still to be written.
	ErrNotImplemented = errors.New("classroom: not implemented")
	// ErrBadClass is returned for a class name that breaks the rules.
	ErrBadClass = errors.New("classroom: invalid class name")
	// ErrBadText is returned for a text longer than MaxText or containing "\n".
	ErrBadText = errors.New("classroom: invalid announcement text")
	// ErrBadSeq is returned for the sequence number 0.
	ErrBadSeq = errors.New("classroom: invalid sequence number")
	// ErrMalformed is wrapped by Decode's errors.
	ErrMalformed = errors.New("classroom: malformed announcement")
	// ErrLeft is returned by Receive once the listener has left its class.
	ErrLeft = errors.New("classroom: left the class")
)

// Announcement is one numbered message to a class.
type Announcement struct {
	Class string
	Seq   uint64
	Text  string
}

// validClass reports whether class follows the naming rule.
func validClass(class string) bool {
	if len(class) == 0 || len(class) > MaxClass {
		return false
	}
	for i := 0; i < len(class); i++ {
		c := class[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validText reports whether text may be announced.
func validText(text string) bool {
	return len(text) <= MaxText && !strings.Contains(text, "\n")
}

// Group returns the multicast group of class, by the rule in the package
// documentation, or ErrBadClass for a name that breaks the naming rule.
func Group(class string) (netip.Addr, error) {
	if !validClass(class) {
		return netip.Addr{}, fmt.Errorf("%w: %q", ErrBadClass, class)
	}
	h := fnv.New32a()
	h.Write([]byte(class))
	sum := h.Sum32()
	return netip.AddrFrom4([4]byte{239, 255, byte(sum >> 8), byte(sum)}), nil
}

// Encode returns the datagram of a. It fails with ErrBadClass, ErrBadSeq
// (a.Seq is 0) or ErrBadText, so that it never produces a datagram that
// Decode would refuse.
func Encode(a Announcement) ([]byte, error) {
	switch {
	case !validClass(a.Class):
		return nil, fmt.Errorf("%w: %q", ErrBadClass, a.Class)
	case a.Seq == 0:
		return nil, ErrBadSeq
	case !validText(a.Text):
		return nil, ErrBadText
	}
	b := make([]byte, 0, len("ANN ")+len(a.Class)+22+len(a.Text))
	b = append(b, "ANN "...)
	b = append(b, a.Class...)
	b = append(b, ' ')
	b = strconv.AppendUint(b, a.Seq, 10)
	b = append(b, ' ')
	b = append(b, a.Text...)
	return b, nil
}

// Decode parses one datagram. Every error wraps ErrMalformed: a datagram that
// does not start with "ANN ", a missing field, an invalid class name, a
// number that is not decimal digits or is out of 1..2^64-1, a text longer
// than MaxText or containing "\n".
func Decode(b []byte) (Announcement, error) {
	rest, ok := bytes.CutPrefix(b, []byte("ANN "))
	if !ok {
		return Announcement{}, fmt.Errorf("%w: does not start with %q", ErrMalformed, "ANN ")
	}
	class, rest, ok := bytes.Cut(rest, []byte(" "))
	if !ok {
		return Announcement{}, fmt.Errorf("%w: no sequence number", ErrMalformed)
	}
	num, text, ok := bytes.Cut(rest, []byte(" "))
	if !ok {
		return Announcement{}, fmt.Errorf("%w: no space before the text", ErrMalformed)
	}
	if !validClass(string(class)) {
		return Announcement{}, fmt.Errorf("%w: invalid class name %q", ErrMalformed, class)
	}
	seq, err := strconv.ParseUint(string(num), 10, 64)
	if err != nil || seq == 0 {
		return Announcement{}, fmt.Errorf("%w: invalid sequence number %q", ErrMalformed, num)
	}
	if !validText(string(text)) {
		return Announcement{}, fmt.Errorf("%w: text too long or with a newline", ErrMalformed)
	}
	return Announcement{Class: string(class), Seq: seq, Text: string(text)}, nil
}
