package netsim

import (
	"fmt"
	"time"
)

// Direction is one way through a relay.
type Direction uint8

// The two directions of a relay.
const (
	// Forward is client → target: datagrams the relay receives on its own
	// address and passes on to the target.
	Forward Direction = 0
	// Backward is target → client: the target's answers, which the relay
	// passes back to the client they are meant for.
	Backward Direction = 1
)

// String is "forward" or "backward".
func (d Direction) String() string {
	switch d {
	case Forward:
		return "forward"
	case Backward:
		return "backward"
	}
	return fmt.Sprintf("Direction(%d)", uint8(d))
}

// PacketInfo is what a Link may look at to decide a packet's fate.
type PacketInfo struct {
	Dir Direction
	// Index counts the packets of this direction from 0, in the order the
	// relay read them.
	Index uint64
	// At is when the packet arrived, on the relay's clock (time since the
	// relay started).
	At time.Duration
	// Data is the packet as received. A Link must neither change it nor keep
	// it after Fate returns.
	Data []byte
}

// Fate is what happens to one packet: it leaves the relay as zero copies
// (dropped), one copy, or several (duplicated), each with its own delay and
// damage.
type Fate struct {
	Copies []Copy
}

// Dropped tells whether the packet never leaves the relay.
func (f Fate) Dropped() bool { return len(f.Copies) == 0 }

// Duplicated tells whether more than one copy of the packet leaves.
func (f Fate) Duplicated() bool { return len(f.Copies) > 1 }

// Copy is the fate of one copy of a packet. The zero value leaves at once,
// intact.
type Copy struct {
	// Delay is how long after its arrival the copy becomes ready to leave.
	// A rate limit may hold it longer.
	Delay time.Duration
	// Reordered says that Delay includes an extra hold meant to let later
	// packets overtake this one.
	Reordered bool
	// Flip, when not zero, is XORed into byte FlipAt of the copy: exactly one
	// byte differs from the original. Zero means intact.
	Flip   byte
	FlipAt int
}

// Corrupted tells whether the copy has a byte flipped.
func (c Copy) Corrupted() bool { return c.Flip != 0 }

// A Link decides the fate of each packet crossing one direction of a relay.
// Fate must be a pure function of its arguments and the Link's own
// configuration: the relay hands it a random stream derived from (seed,
// direction, index), so that the same seed and the same packets give the same
// fates in every run. A Link may be called from several goroutines at once.
//
// Impairment is the Link that the relay uses unless told otherwise; tests
// write their own to force a fate on a chosen packet (a middlebox), and later
// labs wrap Links in link schedules and contact plans that consult
// PacketInfo.At.
type Link interface {
	Fate(p PacketInfo, r *Rand) Fate
}

// Rand is the random stream of one packet: a SplitMix64 sequence whose
// starting point is a keyed hash of (seed, channel, index). Streams of
// different packets are independent, so a packet's fate does not depend on
// how many draws other packets made, nor on when they arrived.
type Rand struct{ state uint64 }

// NewRand returns the stream of packet index on channel (a relay uses the
// Direction; a medium of many nodes may use one channel per link) under seed.
func NewRand(seed, channel, index uint64) *Rand {
	s := mix(seed ^ 0x6a09e667f3bcc908)
	s = mix(s ^ (channel+1)*0x9e3779b97f4a7c15)
	s = mix(s ^ (index+1)*0xbf58476d1ce4e5b9)
	return &Rand{state: s}
}

// Uint64 returns the next 64 random bits.
func (r *Rand) Uint64() uint64 {
	r.state += 0x9e3779b97f4a7c15
	return mix(r.state)
}

// Float64 returns a number in [0, 1).
func (r *Rand) Float64() float64 {
	return float64(r.Uint64()>>11) / (1 << 53)
}

// Chance draws one number and tells whether it falls below p: always false
// for p <= 0, always true for p >= 1.
func (r *Rand) Chance(p float64) bool { return r.Float64() < p }

// IntN returns a number in [0, n); n must be positive.
func (r *Rand) IntN(n int) int { return int(r.Uint64() % uint64(n)) }

// mix is SplitMix64's finaliser: a bijection on uint64 that spreads every
// input bit over the whole output.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
