// Package sensors is week 2's extra lab: simulated IoT sensors that stream
// temperature readings over UDP and never retransmit, and a collector that
// tells, for each sensor, what arrived and what the network did to the rest.
//
// # The datagram
//
// One reading per UDP datagram, exactly DatagramSize (28) bytes. Integers are
// big-endian (network byte order):
//
//	offset  size  field
//	 0      2     magic     the bytes 'S' 'N' (0x53 0x4E)
//	 2      1     version   1
//	 3      1     flags     0
//	 4      4     sensor    the sensor's id, uint32
//	 8      4     seq       the reading's sequence number, uint32: 1 for a
//	                        sensor's first reading, one more for each next one
//	12      8     time      when the reading was taken, int64 microseconds
//	                        since the Unix epoch (UTC)
//	20      4     value     the temperature in hundredths of a degree
//	                        Celsius, int32: 2150 is 21.50 °C, -375 is -3.75 °C
//	24      4     checksum  CRC-32 (IEEE, hash/crc32.ChecksumIEEE) of bytes
//	                        0 to 23, uint32
//
// A datagram is malformed, and counted as such and otherwise ignored, when its
// length is not DatagramSize, or its magic, version or flags differ from the
// above, or its seq is 0, or its checksum does not match. The checksum catches
// any single damaged byte, wherever it is.
//
// # What the collector reports
//
// A reading is known by its sensor and seq. The first valid datagram of a
// reading is the reading; any later datagram with the same sensor and seq is
// a duplicate, counted and otherwise ignored (even if its time or value
// differ). Per sensor:
//
//	Received    readings received (each counted once)
//	Duplicates  datagrams that repeated a reading already received
//	Highest     the highest seq received
//	Lost        Highest - Received: readings numbered up to Highest that have
//	            not arrived. A reading that arrives late stops being lost; a
//	            sensor's last readings, if lost, cannot be seen.
//	Reordered   readings that arrived after a reading of the same sensor with
//	            a higher seq
//	Late        readings that arrived more than LateAfter after their time
//	            (arrival - time > LateAfter)
//	Latest      the value of the reading with the highest seq (not of the one
//	            that arrived last)
//	Mean        the mean of the values of the readings received, each once,
//	            in hundredths of a degree
//
// and for the whole collector, Malformed: the malformed datagrams.
//
// Sensors never retransmit: a reading the network loses is lost. UDP sockets
// also report nothing when nobody listens, except that a connected socket may
// fail its next write with "connection refused"; a sensor ignores that and
// carries on.
//
// # Programs
//
// The programs sensor and collector (weeks/week02/cmd) wrap Sensor and
// Collector; cli.go parses their flags:
//
//	sensor -to HOST:PORT -id N -count K -interval 100ms
//	collector -addr 127.0.0.1:0 -addrfile FILE -duration 5s -late 1s -report FILE
package sensors

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"time"
)

// The datagram's constants.
const (
	// DatagramSize is the length of every valid datagram.
	DatagramSize = 28
	// Version is the only version there is.
	Version = 1
	// MaxDatagram is the largest UDP payload over IPv4 (65535 - 20 - 8): a
	// reader needs a buffer this big to see every datagram whole.
	MaxDatagram = 65507
)

// Magic is the datagram's first two bytes.
const Magic = "SN"

var (
	// ErrNotImplemented is what the unfinished lab returns.
	ErrNotImplemented = errors.New("sensors: not implemented")
	// ErrMalformed is wrapped by every error of Decode.
	ErrMalformed = errors.New("sensors: malformed datagram")
)

// Reading is one temperature reading of one sensor.
type Reading struct {
	Sensor uint32    // the sensor's id
	Seq    uint32    // 1 for the sensor's first reading
	Time   time.Time // when it was taken; the datagram keeps whole microseconds
	Value  int32     // hundredths of a degree Celsius
}

// Encode returns r's datagram: DatagramSize bytes, as the package
// documentation lays them out. It does not check r: a Seq of 0 makes a
// datagram that Decode refuses.
func Encode(r Reading) []byte {
	b := make([]byte, DatagramSize)
	copy(b, Magic)
	b[2] = Version
	b[3] = 0
	binary.BigEndian.PutUint32(b[4:], r.Sensor)
	binary.BigEndian.PutUint32(b[8:], r.Seq)
	binary.BigEndian.PutUint64(b[12:], uint64(r.Time.UnixMicro()))
	binary.BigEndian.PutUint32(b[20:], uint32(r.Value))
	binary.BigEndian.PutUint32(b[24:], crc32.ChecksumIEEE(b[:24]))
	return b
}

// Decode parses one datagram. For a malformed one it returns an error that
// wraps ErrMalformed and says what is wrong ("sensors: malformed datagram:
// 29 bytes, want 28"). b may be of any length, nil included; Decode keeps no
// reference to it. The Time it returns is in UTC.
func Decode(b []byte) (Reading, error) {
	bad := func(format string, args ...any) (Reading, error) {
		return Reading{}, fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
	}
	switch {
	case len(b) != DatagramSize:
		return bad("%d bytes, want %d", len(b), DatagramSize)
	case string(b[:2]) != Magic:
		return bad("magic %q, want %q", b[:2], Magic)
	case b[2] != Version:
		return bad("version %d, want %d", b[2], Version)
	case b[3] != 0:
		return bad("flags %#x, want 0", b[3])
	}
	if sum, want := binary.BigEndian.Uint32(b[24:]), crc32.ChecksumIEEE(b[:24]); sum != want {
		return bad("checksum %#08x, want %#08x", sum, want)
	}
	r := Reading{
		Sensor: binary.BigEndian.Uint32(b[4:]),
		Seq:    binary.BigEndian.Uint32(b[8:]),
		Time:   time.UnixMicro(int64(binary.BigEndian.Uint64(b[12:]))).UTC(),
		Value:  int32(binary.BigEndian.Uint32(b[20:])),
	}
	if r.Seq == 0 {
		return bad("seq 0, want 1 or more")
	}
	return r, nil
}
