package netsim

import (
	"fmt"
	"time"
)

// DefaultReorderDelay is the extra hold of a reordered copy when
// Impairment.ReorderDelay is zero.
const DefaultReorderDelay = 20 * time.Millisecond

// Impairment is what one direction of a relay does to the packets that cross
// it. The zero value passes every packet on at once, intact. The package
// documentation gives the exact semantics of each knob.
type Impairment struct {
	// Drop is the probability that a packet is dropped.
	Drop float64
	// Duplicate is the probability that a packet that is not dropped leaves
	// as two copies.
	Duplicate float64
	// Delay and Jitter: each copy waits a delay drawn uniformly from
	// [Delay-Jitter, Delay+Jitter], clamped at 0. Jitter may exceed Delay.
	Delay, Jitter time.Duration
	// Reorder is the probability that a copy is held back ReorderDelay more
	// (DefaultReorderDelay when zero), so that later packets overtake it.
	Reorder      float64
	ReorderDelay time.Duration
	// Corrupt is the probability that a copy has one byte flipped (XOR with
	// a non-zero mask). Empty packets are never corrupted.
	Corrupt float64
	// Rate, in bytes per second, is the capacity of the direction's outgoing
	// link; 0 means unlimited. Copies that find the link busy queue, in the
	// order they became ready; none is dropped for want of capacity.
	Rate int
	// Link, when not nil, decides every packet's fate instead of the knobs
	// above, which must then be zero (Rate still applies).
	Link Link
}

// Validate reports the first knob that is out of range, naming it after
// field (for instance "Forward").
func (m Impairment) Validate(field string) error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"Drop", m.Drop}, {"Duplicate", m.Duplicate}, {"Reorder", m.Reorder}, {"Corrupt", m.Corrupt}} {
		if !(p.v >= 0 && p.v <= 1) { // also catches NaN
			return fmt.Errorf("netsim: %s.%s = %v: want a probability in [0, 1]", field, p.name, p.v)
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"Delay", m.Delay}, {"Jitter", m.Jitter}, {"ReorderDelay", m.ReorderDelay}} {
		if d.v < 0 {
			return fmt.Errorf("netsim: %s.%s = %v: want a duration >= 0", field, d.name, d.v)
		}
	}
	if m.Rate < 0 {
		return fmt.Errorf("netsim: %s.Rate = %d: want bytes per second >= 0 (0: unlimited)", field, m.Rate)
	}
	if m.Link != nil && m.knobs() {
		return fmt.Errorf("netsim: %s.Link is set: leave the other knobs of %s at zero (Rate excepted)", field, field)
	}
	return nil
}

// knobs tells whether any fate knob is set.
func (m Impairment) knobs() bool {
	return m.Drop != 0 || m.Duplicate != 0 || m.Delay != 0 || m.Jitter != 0 ||
		m.Reorder != 0 || m.ReorderDelay != 0 || m.Corrupt != 0
}

// link is the Link that decides fates: m.Link, or m itself.
func (m Impairment) link() Link {
	if m.Link != nil {
		return m.Link
	}
	return m
}

// Fate draws the fate of p from r, in a fixed order so that each knob's
// decision does not depend on the others' values:
//
//	1 number       dropped when it is below Drop (then nothing else is drawn)
//	1 number       two copies when it is below Duplicate
//	per copy, 5:   jitter, reorder, corrupt, which byte, which mask
//
// So with one seed, raising Drop from 5% to 30% drops the same packets and
// more; the surviving packets keep their other decisions.
func (m Impairment) Fate(p PacketInfo, r *Rand) Fate {
	if r.Chance(m.Drop) {
		return Fate{}
	}
	n := 1
	if r.Chance(m.Duplicate) {
		n = 2
	}
	copies := make([]Copy, n)
	for i := range copies {
		uJitter, reorder, corrupt := r.Float64(), r.Chance(m.Reorder), r.Chance(m.Corrupt)
		at, mask := r.Uint64(), byte(1+r.IntN(255))
		c := &copies[i]
		c.Delay = m.Delay
		if m.Jitter > 0 {
			// Uniform over the 2*Jitter+1 nanoseconds of [Delay-Jitter, Delay+Jitter].
			c.Delay += time.Duration(uJitter*float64(2*m.Jitter+1)) - m.Jitter
			c.Delay = max(c.Delay, 0)
		}
		if reorder {
			c.Reordered = true
			c.Delay += m.reorderDelay()
		}
		if corrupt && len(p.Data) > 0 {
			c.Flip, c.FlipAt = mask, int(at%uint64(len(p.Data)))
		}
	}
	return Fate{Copies: copies}
}

func (m Impairment) reorderDelay() time.Duration {
	if m.ReorderDelay == 0 {
		return DefaultReorderDelay
	}
	return m.ReorderDelay
}

// String lists the knobs that are set, as the relay command's flags would:
// "drop=0.05 delay=10ms", or "none".
func (m Impairment) String() string {
	s := ""
	add := func(format string, v any) { s += " " + fmt.Sprintf(format, v) }
	if m.Link != nil {
		add("link=%T", m.Link)
	}
	if m.Drop != 0 {
		add("drop=%v", m.Drop)
	}
	if m.Duplicate != 0 {
		add("dup=%v", m.Duplicate)
	}
	if m.Delay != 0 {
		add("delay=%v", m.Delay)
	}
	if m.Jitter != 0 {
		add("jitter=%v", m.Jitter)
	}
	if m.Reorder != 0 {
		add("reorder=%v", m.Reorder)
		add("reorder-delay=%v", m.reorderDelay())
	}
	if m.Corrupt != 0 {
		add("corrupt=%v", m.Corrupt)
	}
	if m.Rate != 0 {
		add("rate=%dB/s", m.Rate)
	}
	if s == "" {
		return "none"
	}
	return s[1:]
}
