package datagram_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/weeks/week02/datagram"
)

// TestExchangeRetry is the bonus: retransmission with sequence numbers.
func TestExchangeRetry(t *testing.T) {
	labtest.NoLeaks(t)
	const every = 100 * time.Millisecond
	payload := []byte("are you there?")
	tests := []struct {
		name    string
		timeout time.Duration
		// answer is called with every try the server receives, numbered from
		// 1, and returns the datagrams to send back.
		answer   func(n int, try []byte, tries [][]byte) [][]byte
		wantErr  bool
		minTries int
		maxTries int
	}{
		{"two tries lost", ioWait, func(n int, try []byte, _ [][]byte) [][]byte {
			if n < 3 {
				return nil
			}
			stale := binary.BigEndian.AppendUint32(nil, 99)
			return [][]byte{{1, 2}, append(stale, "not for you"...), try}
		}, false, 3, 4},
		{"late answer to the first try", ioWait, func(n int, _ []byte, tries [][]byte) [][]byte {
			if n == 2 {
				return [][]byte{tries[0]}
			}
			return nil
		}, false, 2, 3},
		{"never answered", 450 * time.Millisecond, func(int, []byte, [][]byte) [][]byte { return nil }, true, 2, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tries [][]byte
			addr, stopServer := fakeServer(t, func(c *net.UDPConn) {
				for {
					try, from, err := readDatagram(c, 3*time.Second)
					if err != nil {
						return
					}
					tries = append(tries, try)
					for _, d := range tt.answer(len(tries), try, tries) {
						c.WriteToUDP(d, from)
					}
				}
			})
			ctx := exactTimeout(t, tt.timeout)
			var got []byte
			var err error
			elapsed := within(t, tt.timeout+3*time.Second, "ExchangeRetry", func() { got, err = datagram.ExchangeRetry(ctx, addr, payload, every) })
			stopServer() // tries is the server goroutine's until it has returned
			switch {
			case tt.wantErr && !errors.Is(err, datagram.ErrNoReply):
				t.Errorf("ExchangeRetry with a mute server = %s, %v; want an error wrapping ErrNoReply at the deadline", show(got), err)
			case !tt.wantErr && (err != nil || !bytes.Equal(got, payload)):
				t.Errorf("ExchangeRetry = %s, %v; want %s, the echo without its sequence number", show(got), err, show(payload))
			case elapsed > tt.timeout+2*time.Second: // generous: a busy machine is slow, not wrong
				t.Errorf("ExchangeRetry took %v; want it done by its deadline, %v", elapsed.Round(time.Millisecond), tt.timeout)
			}
			if t.Failed() {
				t.Logf("the server received %d tries: %q", len(tries), tries)
				return
			}
			var seqs []uint32
			for i, try := range tries {
				if len(try) != datagram.SeqSize+len(payload) || !bytes.Equal(try[datagram.SeqSize:], payload) {
					t.Fatalf("try %d was %s; want a %d-byte sequence number, then the payload", i+1, show(try), datagram.SeqSize)
				}
				seqs = append(seqs, binary.BigEndian.Uint32(try))
			}
			want := []uint32{}
			for i := range len(tries) {
				want = append(want, uint32(i+1))
			}
			if len(tries) < tt.minTries || len(tries) > tt.maxTries || !slices.Equal(seqs, want) {
				t.Errorf("the server received %d tries numbered %v, every %v for %v; want %d to %d tries, numbered 1, 2, 3, ...", len(tries), seqs, every, elapsed.Round(time.Millisecond), tt.minTries, tt.maxTries)
			}
		})
	}
}
