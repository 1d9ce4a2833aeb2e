package sensors

import (
	"context"
	"net"
	"time"
)

// Sensor is a simulated temperature sensor. Set its fields, then call Run.
type Sensor struct {
	ID    uint32
	Count int // how many readings to send, with seq 1 to Count
	// Interval is the time between two readings: reading seq is taken
	// (seq-1)*Interval after the first one, so delays do not add up. Zero
	// sends them back to back.
	Interval time.Duration
	// Value gives the temperature of reading seq, in hundredths of a degree.
	// Nil means Synthetic(ID).
	Value func(seq uint32) int32
}

// Synthetic is a made-up temperature series for sensor id: between 18.00 and
// 23.99 °C, different for each sensor, the same in every run.
func Synthetic(id uint32) func(seq uint32) int32 {
	return func(seq uint32) int32 {
		return 1800 + int32((id*7919+seq*131)%600)
	}
}

// Run sends s's Count readings to addr ("host:port") over UDP, one datagram
// per reading, the first at once and then one every Interval, each stamped
// with the time it is sent. It never reads and never sends a reading twice.
// A write that fails (a connected UDP socket reports "connection refused"
// after an earlier datagram found nobody listening) loses that reading, and
// Run carries on with the next.
//
// Run returns nil once the last reading is sent, ctx.Err() as soon as ctx is
// done, or the error that kept it from opening its socket, at once. It closes
// its socket before returning. Count <= 0 sends nothing.
func (s *Sensor) Run(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	value := s.Value
	if value == nil {
		value = Synthetic(s.ID)
	}
	start := time.Now()
	for seq := uint32(1); int64(seq) <= int64(s.Count); seq++ {
		if wait := time.Until(start.Add(time.Duration(seq-1) * s.Interval)); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		r := Reading{Sensor: s.ID, Seq: seq, Time: time.Now(), Value: value(seq)}
		conn.Write(Encode(r)) // fire and forget: a failed write is a lost reading
	}
	return nil
}
