package classroom_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/classroom"
)

// class32 is a class name of exactly MaxClass bytes.
const class32 = "introduction-to-network-programm"

func TestGroup(t *testing.T) {
	labtest.NoLeaks(t)
	if len(class32) != classroom.MaxClass {
		t.Fatalf("test bug: len(class32) = %d", len(class32))
	}
	valid := []struct {
		give string
		want string
	}{
		{"net101", "239.255.221.176"},
		{"math", "239.255.153.143"},
		{"a", "239.255.41.44"},
		{"0", "239.255.168.175"},
		{"-", "239.255.148.56"},
		{"z", "239.255.83.173"},
		{"9", "239.255.179.180"},
		{"physics-2a", "239.255.93.148"},
		{class32, "239.255.35.198"},
		{strings.Repeat("z", classroom.MaxClass), "239.255.220.197"},
		// Two classes that share a group: listeners must check the class name.
		{"physics984", "239.255.68.29"},
		{"chemistry200", "239.255.68.29"},
	}
	for _, tt := range valid {
		got, err := classroom.Group(tt.give)
		if err != nil || got != netip.MustParseAddr(tt.want) {
			t.Errorf("Group(%q) = %v, %v; want %s, nil", tt.give, got, err, tt.want)
		}
	}
	invalid := []struct{ name, give string }{
		{"empty", ""},
		{"upper case", "Net101"},
		{"space", "net 101"},
		{"underscore", "net_101"},
		{"dot", "net.101"},
		{"slash", "net/101"},
		{"not ASCII", "café"},
		{"just below 'a'", "net`101"},
		{"just above 'z'", "net{101"},
		{"just below '0'", "net/0"},
		{"just above '9'", "net:101"},
		{"just below '-'", "net,101"},
		{"'A'", "A"},
		{"'Z'", "Z"},
		{"tab", "net\t101"},
		{"newline", "net101\n"},
		{"MaxClass+1 bytes", strings.Repeat("z", classroom.MaxClass+1)},
	}
	for _, tt := range invalid {
		got, err := classroom.Group(tt.give)
		if !errors.Is(err, classroom.ErrBadClass) {
			t.Errorf("Group(%q) (%s) = %v, %v; want an error wrapping ErrBadClass", tt.give, tt.name, got, err)
		}
	}
}

// runes is a text of exactly MaxText bytes but far fewer runes: the limit is
// in bytes.
var runes = strings.Repeat("€", classroom.MaxText/3) + strings.Repeat("x", classroom.MaxText%3)

func TestEncode(t *testing.T) {
	labtest.NoLeaks(t)
	long := strings.Repeat("0123456789", classroom.MaxText/10+1)[:classroom.MaxText]
	valid := []struct {
		give classroom.Announcement
		want string
	}{
		{classroom.Announcement{Class: "net101", Seq: 1, Text: "welcome"}, "ANN net101 1 welcome"},
		{classroom.Announcement{Class: "net101", Seq: 7, Text: ""}, "ANN net101 7 "},
		{classroom.Announcement{Class: "math", Seq: 42, Text: "  two  spaces  "}, "ANN math 42   two  spaces  "},
		{classroom.Announcement{Class: "math", Seq: 18446744073709551615, Text: "last"}, "ANN math 18446744073709551615 last"},
		{classroom.Announcement{Class: "net101", Seq: 3, Text: "café ☕ ANN x 9 y\r"}, "ANN net101 3 café ☕ ANN x 9 y\r"},
		{classroom.Announcement{Class: class32, Seq: 10, Text: long}, "ANN " + class32 + " 10 " + long},
		{classroom.Announcement{Class: "net101", Seq: 11, Text: runes}, "ANN net101 11 " + runes},
	}
	for _, tt := range valid {
		got, err := classroom.Encode(tt.give)
		if err != nil || string(got) != tt.want {
			t.Errorf("Encode(%+.60v) = %.80q, %v; want %.80q, nil", tt.give, got, err, tt.want)
		}
	}
	invalid := []struct {
		name string
		give classroom.Announcement
		want error
	}{
		{"no class", classroom.Announcement{Seq: 1, Text: "x"}, classroom.ErrBadClass},
		{"bad class", classroom.Announcement{Class: "Net 101", Seq: 1, Text: "x"}, classroom.ErrBadClass},
		{"number 0", classroom.Announcement{Class: "net101", Seq: 0, Text: "x"}, classroom.ErrBadSeq},
		{"newline", classroom.Announcement{Class: "net101", Seq: 1, Text: "two\nlines"}, classroom.ErrBadText},
		{"MaxText+1 bytes", classroom.Announcement{Class: "net101", Seq: 1, Text: long + "!"}, classroom.ErrBadText},
		{"MaxText+1 bytes in fewer runes", classroom.Announcement{Class: "net101", Seq: 1, Text: runes + "!"}, classroom.ErrBadText},
		{"trailing newline", classroom.Announcement{Class: "net101", Seq: 1, Text: "one line\n"}, classroom.ErrBadText},
		{"CRLF", classroom.Announcement{Class: "net101", Seq: 1, Text: "one line\r\n"}, classroom.ErrBadText},
		{"bad class at the top of the range", classroom.Announcement{Class: "net{", Seq: 1, Text: "x"}, classroom.ErrBadClass},
	}
	for _, tt := range invalid {
		got, err := classroom.Encode(tt.give)
		if !errors.Is(err, tt.want) {
			t.Errorf("Encode(%+.60v) (%s) = %.60q, %v; want an error wrapping %v", tt.give, tt.name, got, err, tt.want)
		}
	}
}

func TestDecode(t *testing.T) {
	labtest.NoLeaks(t)
	long := strings.Repeat("abcdefghij", classroom.MaxText/10+1)[:classroom.MaxText]
	valid := []struct {
		give string
		want classroom.Announcement
	}{
		{"ANN net101 1 welcome", classroom.Announcement{Class: "net101", Seq: 1, Text: "welcome"}},
		{"ANN net101 7 ", classroom.Announcement{Class: "net101", Seq: 7, Text: ""}},
		{"ANN math 42   two  spaces  ", classroom.Announcement{Class: "math", Seq: 42, Text: "  two  spaces  "}},
		{"ANN math 18446744073709551615 last", classroom.Announcement{Class: "math", Seq: 18446744073709551615, Text: "last"}},
		{"ANN net101 3 café ☕ ANN x 9 y\r", classroom.Announcement{Class: "net101", Seq: 3, Text: "café ☕ ANN x 9 y\r"}},
		{"ANN " + class32 + " 10 " + long, classroom.Announcement{Class: class32, Seq: 10, Text: long}},
		{"ANN net101 11 " + runes, classroom.Announcement{Class: "net101", Seq: 11, Text: runes}},
		{"ANN z-9 12 ends with CR\r", classroom.Announcement{Class: "z-9", Seq: 12, Text: "ends with CR\r"}},
	}
	for _, tt := range valid {
		got, err := classroom.Decode([]byte(tt.give))
		if err != nil || got != tt.want {
			t.Errorf("Decode(%.80q) = %+.60v, %v; want %+.60v, nil", tt.give, got, err, tt.want)
		}
	}
	invalid := []struct{ name, give string }{
		{"empty", ""},
		{"no fields", "ANN"},
		{"no number", "ANN net101"},
		{"no space before the text", "ANN net101 1"},
		{"lower-case tag", "ann net101 1 x"},
		{"other tag", "NOTE net101 1 x"},
		{"two spaces after the tag", "ANN  net101 1 x"},
		{"bad class", "ANN Net101 1 x"},
		{"class too long", "ANN " + strings.Repeat("z", classroom.MaxClass+1) + " 1 x"},
		{"number 0", "ANN net101 0 x"},
		{"negative number", "ANN net101 -1 x"},
		{"plus sign", "ANN net101 +1 x"},
		{"letters in the number", "ANN net101 1x x"},
		{"hexadecimal", "ANN net101 0x1 x"},
		{"number above 2^64-1", "ANN net101 18446744073709551616 x"},
		{"newline in the text", "ANN net101 1 two\nlines"},
		{"text of MaxText+1 bytes", "ANN net101 1 " + long + "!"},
		{"text of MaxText+1 bytes in fewer runes", "ANN net101 1 " + runes + "!"},
		{"trailing newline", "ANN net101 1 x\n"},
		{"CRLF", "ANN net101 1 x\r\n"},
		{"empty number", "ANN net101  x"},
		{"class just above 'z'", "ANN net{ 1 x"},
		{"class just above '9'", "ANN net: 1 x"},
	}
	for _, tt := range invalid {
		got, err := classroom.Decode([]byte(tt.give))
		if !errors.Is(err, classroom.ErrMalformed) {
			t.Errorf("Decode(%.60q) (%s) = %+.60v, %v; want an error wrapping ErrMalformed", tt.give, tt.name, got, err)
		}
	}
}
