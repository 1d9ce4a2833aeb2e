package sensors

import (
	"context"
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
	// TODO(week02, step 3): send the readings, never twice.
	//  1. Open a UDP socket towards addr: a net.Dialer's DialContext with
	//     "udp" (no packet is sent: UDP has no handshake). Return its error
	//     at once; defer conn.Close().
	//  2. For seq from 1 to s.Count: wait until start + (seq-1)*s.Interval
	//     (time.Until; a time.Timer in a select with ctx.Done(), so that a
	//     cancelled ctx ends the wait at once and Run returns ctx.Err()).
	//  3. Build Reading{s.ID, seq, time.Now(), value(seq)} (value is s.Value,
	//     or Synthetic(s.ID) when nil), Encode it, one conn.Write per reading.
	//  4. Ignore the Write's error: the reading is lost, the sensor goes on.
	// Pitfall: returning on the first Write error. After one datagram found
	// no listener, the kernel reports ECONNREFUSED on the connected socket's
	// next write; a sensor that gives up then stops for good, while the
	// collector may be back a second later.
	// Checked by: TestSensor, TestSensorNoListener, TestSensorCount,
	// TestSensorSocket, TestScripts/cli_stream.
	_, _ = ctx, addr
	return ErrNotImplemented
}
