package netsim_test

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/grader/netsim"
)

func TestRelayReorder(t *testing.T) {
	labtest.NoLeaks(t)
	target := udp(t)
	r := startRelay(t, target, netsim.Config{Seed: labtest.Seed(t),
		Forward: netsim.Impairment{Reorder: 0.2, ReorderDelay: 40 * time.Millisecond}})
	c := udp(t)
	const n = 150
	for i := range n {
		send(t, c, r, packet(uint64(i), 8))
		time.Sleep(300 * time.Microsecond) // pacing: later packets come within the hold
	}
	settle(t, r, n)
	got := receive(t, target, n)
	truth := r.Truth()
	highest, overtaken := -1, 0
	for i, g := range got {
		k := int(binary.BigEndian.Uint64(g.data))
		if want := truth.Departures[i].Index; uint64(k) != want {
			t.Fatalf("datagram %d at the target is packet %d, the log says %d left %d-th", i, k, want, i)
		}
		rec, _ := truth.Record(netsim.Forward, uint64(k))
		if k < highest {
			overtaken++
			if !rec.Fate.Copies[0].Reordered {
				t.Errorf("packet %d arrived after packet %d without being held back: %+v", k, highest, rec)
			}
		}
		highest = max(highest, k)
	}
	if overtaken == 0 || truth.Stats.Forward.Reordered == 0 {
		t.Errorf("%d of %d packets held back, none overtaken: reordering does not reorder", truth.Stats.Forward.Reordered, n)
	}
	t.Logf("%d packets held back, %d overtaken", truth.Stats.Forward.Reordered, overtaken)
}

func TestRelayCorrupt(t *testing.T) {
	labtest.NoLeaks(t)
	target := udp(t)
	r := startRelay(t, target, netsim.Config{Seed: labtest.Seed(t), Capture: 100, Forward: netsim.Impairment{Corrupt: 1}})
	c := udp(t)
	const n = 100
	sendPaced(t, c, r, n, func(int) int { return 40 })
	settle(t, r, n)
	truth := r.Truth()
	for i, g := range receive(t, target, n) {
		rec := truth.Records[i]
		orig := packet(uint64(i), 40)
		diff := 0
		for j := range orig {
			if orig[j] != g.data[j] {
				diff++
			}
		}
		cp := rec.Fate.Copies[0]
		if diff != 1 || len(g.data) != len(orig) || g.data[cp.FlipAt] != orig[cp.FlipAt]^cp.Flip {
			t.Fatalf("packet %d: %d bytes differ (%x, sent %x), want exactly byte %d XOR %#x", i, diff, g.data, orig, cp.FlipAt, cp.Flip)
		}
		if !bytes.Equal(rec.Payload, orig) {
			t.Fatalf("packet %d: captured %x, want it as received: %x", i, rec.Payload, orig)
		}
	}
	if s := r.Stats().Forward; s.Corrupted != n {
		t.Errorf("counters: %v; want corrupted=%d", s, n)
	}
}

func TestRelayDuplicate(t *testing.T) {
	labtest.NoLeaks(t)
	target := udp(t)
	r := startRelay(t, target, netsim.Config{Seed: labtest.Seed(t), Forward: netsim.Impairment{Duplicate: 1}})
	c := udp(t)
	for i := range 30 {
		send(t, c, r, packet(uint64(i), 12))
	}
	settle(t, r, 30)
	seen := map[uint64]int{}
	for _, g := range receive(t, target, 60) {
		seen[binary.BigEndian.Uint64(g.data)]++
	}
	quiet(t, target, 50*time.Millisecond)
	for i := range uint64(30) {
		if seen[i] != 2 {
			t.Errorf("packet %d arrived %d times, want 2", i, seen[i])
		}
	}
	if s := r.Stats().Forward; s.Duplicated != 30 || s.Copies != 60 || s.Sent != 60 {
		t.Errorf("counters: %v; want duplicated=30 copies=60 sent=60", s)
	}
}

func TestRelayDelay(t *testing.T) {
	labtest.NoLeaks(t)
	target := udp(t)
	r := startRelay(t, target, netsim.Config{Seed: labtest.Seed(t),
		Forward: netsim.Impairment{Delay: 30 * time.Millisecond, Jitter: 10 * time.Millisecond}})
	c := udp(t)
	sent := map[uint64]time.Time{}
	for i := range 20 {
		sent[uint64(i)] = time.Now()
		send(t, c, r, packet(uint64(i), 8))
	}
	got := receive(t, target, 20)
	settle(t, r, 20)
	truth := r.Truth()
	for _, g := range got {
		k := binary.BigEndian.Uint64(g.data)
		rec, _ := truth.Record(netsim.Forward, k)
		d := rec.Fate.Copies[0].Delay
		if d < 20*time.Millisecond || d > 40*time.Millisecond {
			t.Errorf("packet %d: planned delay %v, want within [20ms, 40ms]", k, d)
		}
		if took := g.at.Sub(sent[k]); took < d {
			t.Errorf("packet %d: arrived %v after it was sent, before its delay %v", k, took, d)
		}
	}
}

func TestRelayRate(t *testing.T) {
	labtest.NoLeaks(t)
	target := udp(t)
	const rate, size, n = 200_000, 1000, 50 // 5ms per packet, 245ms for the lot
	r := startRelay(t, target, netsim.Config{Forward: netsim.Impairment{Rate: rate}})
	c := udp(t)
	for i := range n {
		send(t, c, r, packet(uint64(i), size))
	}
	got := receive(t, target, n)
	settle(t, r, n)
	truth := r.Truth()
	start := truth.Records[0].At
	for k, d := range truth.Departures {
		if d.Index != uint64(k) || binary.BigEndian.Uint64(got[k].data) != uint64(k) {
			t.Fatalf("departure %d is packet %d (target got %d): want the arrival order", k, d.Index, binary.BigEndian.Uint64(got[k].data))
		}
		if earliest := time.Duration(k) * size * time.Second / rate; d.At-start < earliest {
			t.Fatalf("packet %d left %v after the first arrived, before the link allows: %v", k, d.At-start, earliest)
		}
	}
	last := truth.Departures[n-1].At - start
	if last > 245*time.Millisecond+time.Second {
		t.Errorf("the last packet left %v after the first arrived; at %d B/s it should take about 245ms", last, rate)
	}
	t.Logf("%d packets of %d bytes at %d B/s: the last left after %v (ideal 245ms)", n, size, rate, last.Round(time.Millisecond))
}

func TestRelayBackward(t *testing.T) {
	labtest.NoLeaks(t)
	target := udp(t)
	r := startRelay(t, target, netsim.Config{Seed: labtest.Seed(t), Backward: netsim.Impairment{Drop: 1}})
	c := udp(t)
	send(t, c, r, []byte("ping"))
	g := receive(t, target, 1)[0]
	if _, err := target.WriteToUDPAddrPort([]byte("pong"), g.from); err != nil {
		t.Fatal(err)
	}
	// Someone other than the target writes to the client's upstream socket.
	stranger := udp(t)
	if _, err := stranger.WriteToUDPAddrPort([]byte("spam"), g.from); err != nil {
		t.Fatal(err)
	}
	quiet(t, c, 100*time.Millisecond)
	labtest.Eventually(t, time.Second, "the answer and the stray datagram counted", func() bool {
		s := r.Stats().Backward
		return s.Packets == 1 && s.Dropped == 1 && s.Stray == 1
	})
}

func TestRelayClose(t *testing.T) {
	labtest.NoLeaks(t)
	target := udp(t)
	r := startRelay(t, target, netsim.Config{Forward: netsim.Impairment{Delay: time.Hour}})
	c := udp(t)
	for i := range 10 {
		send(t, c, r, packet(uint64(i), 8))
	}
	labtest.Eventually(t, 2*time.Second, "10 copies waiting", func() bool { return r.Pending() == 10 })
	start := time.Now()
	if err := r.Close(); err != nil {
		t.Fatalf("Close = %v, want nil", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Close took %v with copies waiting an hour; it must not wait for them", took)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	truth := r.Truth()
	for _, rec := range truth.Records {
		if rec.Out[0].State != netsim.Discarded {
			t.Errorf("packet %d: %v after Close, want discarded", rec.Index, rec.Out[0].State)
		}
	}
	if s := truth.Stats.Forward; s.Discarded != 10 || s.Sent != 0 || s.Pending() != 0 {
		t.Errorf("counters after Close: %v; want discarded=10 sent=0, nothing pending", s)
	}
	quiet(t, target, 50*time.Millisecond)
}
