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
	"errors"
	"net/netip"
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

// Group returns the multicast group of class, by the rule in the package
// documentation, or ErrBadClass for a name that breaks the naming rule.
func Group(class string) (netip.Addr, error) {
	// TODO(week04, step 1): map a class name to its group.
	//  1. Check the name: 1 to MaxClass bytes, each 'a'-'z', '0'-'9' or '-'.
	//     Anything else (upper case, spaces, '_', non-ASCII) is ErrBadClass;
	//     wrap it with the name (fmt.Errorf and %w) if you like. Write the
	//     check as a helper: Encode, Decode, SetNext and Join need it too.
	//  2. Hash the name's bytes with hash/fnv's New32a (FNV-1a, not FNV-1:
	//     New32 gives other groups) and take Sum32.
	//  3. The group is 239.255.X.Y with X the second-lowest byte of the sum
	//     and Y the lowest: netip.AddrFrom4.
	// Pitfall: a "close enough" rule (another hash, other bytes of it) still
	// lets your own teacher and listeners meet, but not anyone else's.
	// Checked by: TestGroup.
	_ = class
	return netip.Addr{}, ErrNotImplemented
}

// Encode returns the datagram of a. It fails with ErrBadClass, ErrBadSeq
// (a.Seq is 0) or ErrBadText, so that it never produces a datagram that
// Decode would refuse.
func Encode(a Announcement) ([]byte, error) {
	// TODO(week04, step 2): write an announcement as a datagram.
	//  1. Refuse an invalid class (ErrBadClass), the number 0 (ErrBadSeq),
	//     and a text over MaxText bytes or containing "\n" (ErrBadText).
	//  2. Build "ANN <class> <seq> <text>": the number in decimal
	//     (strconv.AppendUint or strconv.FormatUint), single spaces, and the
	//     space before the text even when the text is empty. No newline at
	//     the end: the datagram is the frame.
	// Checked by: TestEncode, TestAnnounce.
	_ = a
	return nil, ErrNotImplemented
}

// Decode parses one datagram. Every error wraps ErrMalformed: a datagram that
// does not start with "ANN ", a missing field, an invalid class name, a
// number that is not decimal digits or is out of 1..2^64-1, a text longer
// than MaxText or containing "\n".
func Decode(b []byte) (Announcement, error) {
	// TODO(week04, step 2, continued): read a datagram back.
	//  1. Cut off "ANN " (bytes.CutPrefix), then cut at the next space for
	//     the class and at the space after it for the number (bytes.Cut):
	//     the text is everything after that second space, spaces and all.
	//     A missing space is malformed.
	//  2. Check the class like Group does; parse the number with
	//     strconv.ParseUint(s, 10, 64), which refuses signs, letters and
	//     numbers above 2^64-1; refuse 0 too.
	//  3. Check the text like Encode does.
	//  4. Wrap every error with ErrMalformed: fmt.Errorf("%w: ...", ErrMalformed).
	// Pitfall: strings.Fields or a split on every space loses the text's own
	// spaces; and a datagram is untrusted input, so check everything before
	// you believe its number.
	// Checked by: TestDecode, TestReceive, TestMalformed, and every listener test.
	_ = b
	return Announcement{}, ErrNotImplemented
}
