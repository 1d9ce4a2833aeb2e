package multicast_test

import (
	"errors"
	"net"
	"strings"
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week04/multicast"
)

// These tests call pure functions: no socket, no network.

func TestCheckGroup(t *testing.T) {
	labtest.NoLeaks(t)
	tests := []struct {
		name string
		give net.IP
		ok   bool
	}{
		{"local scope", net.ParseIP("239.255.0.1"), true},
		{"organisation-local scope", net.ParseIP("239.192.152.143"), true},
		{"first of 239/8", net.ParseIP("239.0.0.0"), true},
		{"last of 239/8", net.ParseIP("239.255.255.255"), true},
		{"4-byte form", net.IPv4(239, 1, 2, 3).To4(), true},
		{"IPv4-mapped IPv6 form", net.ParseIP("::ffff:239.1.2.3"), true},
		{"all hosts, link-local", net.ParseIP("224.0.0.1"), false},
		{"mDNS, link-local", net.ParseIP("224.0.0.251"), false},
		{"global multicast", net.ParseIP("233.252.0.1"), false},
		{"just below 239/8", net.ParseIP("238.255.255.255"), false},
		{"just above 239/8 (class E)", net.ParseIP("240.0.0.1"), false},
		{"loopback unicast", net.ParseIP("127.0.0.1"), false},
		{"limited broadcast", net.ParseIP("255.255.255.255"), false},
		{"unspecified", net.IPv4zero, false},
		{"IPv6 multicast", net.ParseIP("ff05::1:3"), false},
		{"second byte 239", net.ParseIP("10.239.0.1"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := multicast.CheckGroup(tt.give)
			switch {
			case tt.ok && err != nil:
				t.Errorf("CheckGroup(%v) = %v, want nil: it is in 239.0.0.0/8", tt.give, err)
			case !tt.ok && !errors.Is(err, multicast.ErrNotAdminScoped):
				t.Errorf("CheckGroup(%v) = %v, want an error wrapping ErrNotAdminScoped", tt.give, err)
			case !tt.ok && tt.give != nil && !strings.Contains(err.Error(), tt.give.String()):
				t.Errorf("CheckGroup(%v) = %q, want the message to name the address %v", tt.give, err, tt.give)
			}
		})
	}
}

func TestEthernetAddr(t *testing.T) {
	labtest.NoLeaks(t)
	tests := []struct {
		name string
		give net.IP
		want string // "" when EthernetAddr must fail
	}{
		// Computed by RFC 1112 §6.4: 01:00:5e and the low 23 bits.
		{"SSDP", net.ParseIP("239.255.255.250"), "01:00:5e:7f:ff:fa"},
		{"mDNS", net.ParseIP("224.0.0.251"), "01:00:5e:00:00:fb"},
		{"all hosts", net.ParseIP("224.0.0.1"), "01:00:5e:00:00:01"},
		{"239.1.2.3", net.ParseIP("239.1.2.3"), "01:00:5e:01:02:03"},
		{"224.129.2.3 shares it", net.ParseIP("224.129.2.3"), "01:00:5e:01:02:03"},
		{"high bit of the second byte dropped", net.ParseIP("239.128.0.1"), "01:00:5e:00:00:01"},
		{"bottom of 224/4", net.ParseIP("224.0.0.0"), "01:00:5e:00:00:00"},
		{"top of 224/4", net.ParseIP("239.255.255.255"), "01:00:5e:7f:ff:ff"},
		{"4-byte form", net.IPv4(225, 10, 20, 30).To4(), "01:00:5e:0a:14:1e"},
		{"unicast", net.ParseIP("127.0.0.1"), ""},
		{"class E", net.ParseIP("240.0.0.1"), ""},
		{"just above 224/4", net.ParseIP("240.0.0.0"), ""},
		{"just below 224/4", net.ParseIP("223.255.255.255"), ""},
		{"IPv6 multicast", net.ParseIP("ff02::1"), ""},
		{"nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := multicast.EthernetAddr(tt.give)
			switch {
			case tt.want == "" && !errors.Is(err, multicast.ErrNotMulticast):
				t.Errorf("EthernetAddr(%v) = %v, %v; want an error wrapping ErrNotMulticast", tt.give, got, err)
			case tt.want != "" && (err != nil || got.String() != tt.want):
				t.Errorf("EthernetAddr(%v) = %v, %v; want %s", tt.give, got, err, tt.want)
			case tt.want == "" && tt.give != nil && !strings.Contains(err.Error(), tt.give.String()):
				t.Errorf("EthernetAddr(%v) = %q, want the message to name the address %v", tt.give, err, tt.give)
			}
		})
	}
}
