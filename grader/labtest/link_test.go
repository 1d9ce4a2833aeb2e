package labtest

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"testing"
)

func TestParseIGMP(t *testing.T) {
	// The kernel prints each group as a number in the host's byte order.
	hex := func(a string) string {
		b := netip.MustParseAddr(a).As4()
		return fmt.Sprintf("%08X", binary.NativeEndian.Uint32(b[:]))
	}
	text := "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n" +
		"1\tlo        :     2      V3\n" +
		"\t\t\t\t" + hex("239.1.2.3") + "     1 0:00000000\t\t0\n" +
		"\t\t\t\t" + hex("224.0.0.1") + "     1 0:00000000\t\t0\n" +
		"3\tveth0     :     2      V3\n" +
		"\t\t\t\t" + hex("239.255.221.176") + "     1 0:00000000\t\t0\n"
	tests := []struct {
		ifname string
		want   []string
	}{
		{"lo", []string{"239.1.2.3", "224.0.0.1"}},
		{"veth0", []string{"239.255.221.176"}},
		{"veth1", nil},
	}
	for _, tt := range tests {
		got, err := parseIGMP(text, tt.ifname)
		var want []netip.Addr
		for _, a := range tt.want {
			want = append(want, netip.MustParseAddr(a))
		}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("parseIGMP(%s) = %v, %v; want %v", tt.ifname, got, err, want)
		}
	}
	if _, err := parseIGMP("1\tlo        :     1      V3\n\t\t\t\tXYZ     1 0:00000000\t\t0\n", "lo"); err == nil {
		t.Errorf("parseIGMP of a bad line = nil error")
	}
}
