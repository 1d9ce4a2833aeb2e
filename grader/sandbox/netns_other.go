//go:build !linux

package sandbox

import "net/netip"

// Netns is a network namespace of its own; outside Linux there is none, and
// NewNetns always fails (see netns_linux.go for the contract).
type Netns struct{}

// NewNetns fails outside Linux with an error that wraps errors.ErrUnsupported.
func NewNetns() (*Netns, error) { return nil, errUnsupported }

// Do runs f.
func (n *Netns) Do(f func()) { f() }

// Close does nothing.
func (n *Netns) Close() {}

// AddAddr fails outside Linux.
func (n *Netns) AddAddr(ifname string, p netip.Prefix) error { return errUnsupported }

// AddRoute fails outside Linux.
func (n *Netns) AddRoute(dst netip.Prefix, ifname string) error { return errUnsupported }

// Veth fails outside Linux.
func Veth(a *Netns, aName string, aAddr netip.Prefix, b *Netns, bName string, bAddr netip.Prefix) error {
	return errUnsupported
}
