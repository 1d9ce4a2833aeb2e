package sensors_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/sensors"
)

// The tests' own codec, written from the package documentation and nothing
// else: the graded tests never judge the lab's code with the lab's code.

// wire is one reading as the datagram carries it.
type wire struct {
	sensor, seq uint32
	micros      int64
	value       int32
}

func encodeWire(w wire) []byte {
	b := []byte{'S', 'N', 1, 0}
	b = binary.BigEndian.AppendUint32(b, w.sensor)
	b = binary.BigEndian.AppendUint32(b, w.seq)
	b = binary.BigEndian.AppendUint64(b, uint64(w.micros))
	b = binary.BigEndian.AppendUint32(b, uint32(w.value))
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// decodeWire returns the reading of a valid datagram; ok is false for a
// malformed one.
func decodeWire(b []byte) (w wire, ok bool) {
	if len(b) != 28 || string(b[:4]) != "SN\x01\x00" || binary.BigEndian.Uint32(b[24:]) != crc32.ChecksumIEEE(b[:24]) {
		return wire{}, false
	}
	w = wire{
		sensor: binary.BigEndian.Uint32(b[4:]),
		seq:    binary.BigEndian.Uint32(b[8:]),
		micros: int64(binary.BigEndian.Uint64(b[12:])),
		value:  int32(binary.BigEndian.Uint32(b[20:])),
	}
	return w, w.seq != 0
}

// ---- The datagram ----

func TestEncode(t *testing.T) {
	labtest.NoLeaks(t)
	tests := []struct {
		name string
		give sensors.Reading
		want string // hex, worked out by hand from the layout
	}{
		{"first reading", sensors.Reading{Sensor: 1, Seq: 1, Time: time.UnixMicro(1700000000123456), Value: 2150},
			"534e0100 00000001 00000001 00060a2418202240 00000866 393f90dc"},
		{"big numbers, below zero", sensors.Reading{Sensor: 0xDEADBEEF, Seq: 0xFFFFFFFF, Time: time.Unix(0, 0), Value: -375},
			"534e0100 deadbeef ffffffff 0000000000000000 fffffe89 d7ba5a3d"},
		{"nanoseconds dropped", sensors.Reading{Sensor: 42, Seq: 7, Time: time.Unix(1700000000, 123456789), Value: -2147483648},
			"534e0100 0000002a 00000007 00060a2418202240 80000000 83a291bf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, _ := hex.DecodeString(string(bytes.ReplaceAll([]byte(tt.want), []byte(" "), nil)))
			got := sensors.Encode(tt.give)
			if !bytes.Equal(got, want) {
				t.Errorf("Encode(%+v) =\n% x\nwant\n% x\n(magic, version, flags, sensor, seq, time in µs, value, CRC-32 of bytes 0-23; all big-endian)", tt.give, got, want)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	labtest.NoLeaks(t)
	valid := wire{sensor: 9, seq: 3, micros: 1700000000654321, value: -1234}
	good := encodeWire(valid)
	// resum recomputes the checksum, so that only the damage meant is there.
	resum := func(b []byte) []byte {
		binary.BigEndian.PutUint32(b[24:], crc32.ChecksumIEEE(b[:24]))
		return b
	}
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	t.Run("valid", func(t *testing.T) {
		for _, w := range []wire{valid, {sensor: 0, seq: 1, micros: 0, value: 0}, {sensor: 0xFFFFFFFF, seq: 0xFFFFFFFF, micros: -5, value: 2147483647}} {
			r, err := sensors.Decode(encodeWire(w))
			if err != nil || r.Sensor != w.sensor || r.Seq != w.seq || r.Time.UnixMicro() != w.micros || r.Value != w.value {
				t.Errorf("Decode(% x) = %+v (time %d µs), %v; want %+v", encodeWire(w), r, r.Time.UnixMicro(), err, w)
			} else if r.Time.Location() != time.UTC {
				t.Errorf("Decode(% x): Time %v is in the location %q; want UTC (time.UnixMicro(...).UTC())", encodeWire(w), r.Time, r.Time.Location())
			}
		}
	})
	tests := []struct {
		name string
		give []byte
	}{
		{"nil", nil},
		{"empty", []byte{}},
		{"27 bytes", good[:27]},
		{"29 bytes", append(bytes.Clone(good), 0)},
		{"text", []byte("sensor 9 seq 3 value 21.50\n")},
		{"bad magic", edit(func(b []byte) []byte { b[0] = 'X'; return resum(b) })},
		{"version 2", edit(func(b []byte) []byte { b[2] = 2; return resum(b) })},
		{"flags not 0", edit(func(b []byte) []byte { b[3] = 0x80; return resum(b) })},
		{"seq 0", edit(func(b []byte) []byte { binary.BigEndian.PutUint32(b[8:], 0); return resum(b) })},
		{"value damaged", edit(func(b []byte) []byte { b[21] ^= 0x10; return b })},
		{"checksum damaged", edit(func(b []byte) []byte { b[27] ^= 0x01; return b })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := sensors.Decode(tt.give)
			if !errors.Is(err, sensors.ErrMalformed) {
				t.Errorf("Decode(% x) = %+v, %v; want an error wrapping ErrMalformed", tt.give, r, err)
			}
		})
	}
}
