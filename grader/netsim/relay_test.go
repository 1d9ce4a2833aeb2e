package netsim_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"netlabs/grader/labtest"
	"netlabs/grader/netsim"
)

// ---- Helpers ----

// udp opens a UDP socket on a free port of 127.0.0.1, closed when the test ends.
func udp(t testing.TB) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func addrOf(c *net.UDPConn) netip.AddrPort { return c.LocalAddr().(*net.UDPAddr).AddrPort() }

// startRelay starts a relay to target, closed when the test ends.
func startRelay(t testing.TB, target *net.UDPConn, cfg netsim.Config) *netsim.Relay {
	t.Helper()
	cfg.Target = addrOf(target).String()
	r, err := netsim.NewRelay(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// packet is the test payload: its number, big-endian, then filler.
func packet(n uint64, size int) []byte {
	b := make([]byte, max(size, 8))
	binary.BigEndian.PutUint64(b, n)
	for i := 8; i < len(b); i++ {
		b[i] = byte(n*31 + uint64(i))
	}
	return b
}

// send writes one datagram from c to the relay.
func send(t testing.TB, c *net.UDPConn, r *netsim.Relay, b []byte) {
	t.Helper()
	if _, err := c.WriteToUDPAddrPort(b, r.Addr()); err != nil {
		t.Fatal(err)
	}
}

// sendPaced sends n packets numbered from 0 (sizes from size) from c to the
// relay, waiting every 32 packets until the relay has read them all, so that
// no socket buffer overflows on a busy machine.
func sendPaced(t testing.TB, c *net.UDPConn, r *netsim.Relay, n int, size func(i int) int) {
	t.Helper()
	base := r.Stats().Forward.Packets
	for i := range n {
		send(t, c, r, packet(uint64(i), size(i)))
		if i%32 == 31 || i == n-1 {
			labtest.Eventually(t, 3*time.Second, "the relay to read what was sent", func() bool {
				return r.Stats().Forward.Packets >= base+i+1
			})
		}
	}
}

type datagram struct {
	data []byte
	from netip.AddrPort
	at   time.Time
}

// receive reads n datagrams from c, each within 2s.
func receive(t testing.TB, c *net.UDPConn, n int) []datagram {
	t.Helper()
	var out []datagram
	buf := make([]byte, 65536)
	for len(out) < n {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		k, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			t.Fatalf("after %d datagrams of %d: %v", len(out), n, err)
		}
		out = append(out, datagram{bytes.Clone(buf[:k]), from, time.Now()})
	}
	return out
}

// inbox reads a socket in the background, so that nothing is lost to a full
// receive buffer however much arrives.
type inbox struct {
	mu   sync.Mutex
	got  []datagram
	done chan struct{}
}

// collect starts reading c until the test ends.
func collect(t testing.TB, c *net.UDPConn) *inbox {
	b := &inbox{done: make(chan struct{})}
	go func() {
		defer close(b.done)
		buf := make([]byte, 65536)
		for {
			k, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			b.mu.Lock()
			b.got = append(b.got, datagram{bytes.Clone(buf[:k]), from, time.Now()})
			b.mu.Unlock()
		}
	}()
	t.Cleanup(func() { c.Close(); <-b.done })
	return b
}

// wait returns the first n datagrams once they have arrived (within 2s), and
// fails the test if more than n arrive within the next 50ms.
func (b *inbox) wait(t testing.TB, n int) []datagram {
	t.Helper()
	count := func() int { b.mu.Lock(); defer b.mu.Unlock(); return len(b.got) }
	labtest.Eventually(t, 2*time.Second, fmt.Sprintf("%d datagrams", n), func() bool { return count() >= n })
	time.Sleep(50 * time.Millisecond) // a window for extra datagrams to show up
	if k := count(); k != n {
		t.Fatalf("%d datagrams arrived, want %d", k, n)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.got)
}

// quiet checks that nothing arrives on c within d.
func quiet(t testing.TB, c *net.UDPConn, d time.Duration) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	n, _, err := c.ReadFromUDPAddrPort(make([]byte, 65536))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("got %d bytes (%v), want nothing for %v", n, err, d)
	}
}

// settle waits until the relay has read want packets forward and has no
// copy waiting.
func settle(t testing.TB, r *netsim.Relay, want int) {
	t.Helper()
	labtest.Eventually(t, 3*time.Second, "the relay to pass everything on", func() bool {
		return r.Stats().Forward.Packets == want && r.Pending() == 0
	})
}

// wire is what the relay sent for a departure: the captured payload with the
// copy's corruption applied.
func wire(t testing.TB, truth *netsim.Truth, d netsim.Departure) []byte {
	t.Helper()
	rec, ok := truth.Record(d.Dir, d.Index)
	if !ok {
		t.Fatalf("departure %+v has no record", d)
	}
	b := bytes.Clone(rec.Payload)
	if c := rec.Fate.Copies[d.Copy]; c.Corrupted() {
		b[c.FlipAt] ^= c.Flip
	}
	return b
}

// ---- Tests ----

func TestRelayTransparent(t *testing.T) {
	labtest.NoLeaks(t)
	target := udp(t)
	r := startRelay(t, target, netsim.Config{})
	a, b := udp(t), udp(t)
	for i := range 20 {
		send(t, a, r, append([]byte("a"), packet(uint64(i), 20)...))
		send(t, b, r, append([]byte("b"), packet(uint64(i), 20)...))
	}
	got := receive(t, target, 40)
	sources := map[byte]netip.AddrPort{}
	next := map[byte]uint64{}
	for _, g := range got {
		who, n := g.data[0], binary.BigEndian.Uint64(g.data[1:])
		if n != next[who] {
			t.Fatalf("client %c: packet %d arrived, want %d (order kept on a clean relay)", who, n, next[who])
		}
		next[who]++
		if s, ok := sources[who]; ok && s != g.from {
			t.Fatalf("client %c arrives from %v and %v, want one upstream address per client", who, s, g.from)
		}
		sources[who] = g.from
		// Echo it: the answer must reach the right client.
		if _, err := target.WriteToUDPAddrPort(g.data, g.from); err != nil {
			t.Fatal(err)
		}
	}
	if sources['a'] == sources['b'] || sources['a'] == addrOf(a) || sources['b'] == addrOf(b) || !sources['a'].Addr().IsLoopback() {
		t.Errorf("upstream addresses %v, want one per client, on loopback, not the clients' own", sources)
	}
	for who, c := range map[byte]*net.UDPConn{'a': a, 'b': b} {
		for i, g := range receive(t, c, 20) {
			if g.data[0] != who || binary.BigEndian.Uint64(g.data[1:]) != uint64(i) || g.from != r.Addr() {
				t.Fatalf("client %c: answer %d is %q from %v, want its own packet %d from the relay %v", who, i, g.data, g.from, i, r.Addr())
			}
		}
	}
	settle(t, r, 40)
	s := r.Stats()
	if s.Forward.Sent != 40 || s.Backward.Packets != 40 || s.Backward.Sent != 40 || s.Clients != 2 {
		t.Errorf("stats:\n%v\nwant 40 sent each way, 2 clients", s)
	}
}

func TestRelayGroundTruth(t *testing.T) {
	labtest.NoLeaks(t)
	target := udp(t)
	r := startRelay(t, target, netsim.Config{Seed: labtest.Seed(t), Capture: 1 << 16,
		Forward: netsim.Impairment{Drop: 0.3, Duplicate: 0.2, Corrupt: 0.1, Jitter: 2 * time.Millisecond}})
	in := collect(t, target)
	c := udp(t)
	const n = 300
	sendPaced(t, c, r, n, func(i int) int { return 16 + i%50 })
	settle(t, r, n)
	truth := r.Truth()
	got := in.wait(t, len(truth.Departures))
	for i, d := range truth.Departures {
		if want := wire(t, &truth, d); !bytes.Equal(got[i].data, want) {
			t.Fatalf("datagram %d at the target = %x, want departure %+v: %x", i, got[i].data, d, want)
		}
	}
	// The counters agree with the records.
	var want netsim.Counters
	for i, rec := range truth.Records {
		if rec.Index != uint64(i) || rec.Size != 16+i%50 || !bytes.Equal(rec.Payload, packet(uint64(i), rec.Size)) {
			t.Fatalf("record %d: index %d, size %d, payload %x; want the packet sent %d-th", i, rec.Index, rec.Size, rec.Payload, i)
		}
		want.Packets++
		want.Bytes += rec.Size
		if rec.Fate.Dropped() {
			want.Dropped++
		}
		if rec.Fate.Duplicated() {
			want.Duplicated++
		}
		for j, cp := range rec.Fate.Copies {
			want.Copies++
			if cp.Corrupted() {
				want.Corrupted++
			}
			if rec.Out[j].State != netsim.Sent || rec.Out[j].At < rec.At+cp.Delay {
				t.Fatalf("record %d copy %d: %+v, want sent no earlier than %v", i, j, rec.Out[j], rec.At+cp.Delay)
			}
			want.Sent++
			want.SentBytes += rec.Size
		}
	}
	if truth.Stats.Forward != want {
		t.Errorf("forward counters\n %v\nwant\n %v", truth.Stats.Forward, want)
	}
	if want.Dropped == 0 || want.Duplicated == 0 || want.Corrupted == 0 {
		t.Errorf("no drop, duplicate or corruption in %d packets at 30%%/20%%/10%%: %v", n, want)
	}
}

func TestRelayDeterministic(t *testing.T) {
	labtest.NoLeaks(t)
	seed := labtest.Seed(t)
	run := func(seed uint64) []netsim.Fate {
		target := udp(t)
		r := startRelay(t, target, netsim.Config{Seed: seed, Forward: busy})
		c := udp(t)
		sendPaced(t, c, r, 200, func(int) int { return 30 })
		settle(t, r, 200)
		var fs []netsim.Fate
		for _, rec := range r.Truth().Records {
			fs = append(fs, rec.Fate)
		}
		return fs
	}
	a, b, other := run(seed), run(seed), run(seed+1)
	pure := fates(busy, seed, netsim.Forward, 200, 30)
	differ := 0
	for i := range a {
		if !sameFate(a[i], b[i]) {
			t.Fatalf("seed %d, packet %d: fates %+v then %+v", seed, i, a[i], b[i])
		}
		if !sameFate(a[i], other[i]) {
			differ++
		}
		if !sameFate(a[i], pure[i]) {
			t.Fatalf("packet %d: relay's fate %+v, Impairment.Fate says %+v", i, a[i], pure[i])
		}
	}
	if differ < 50 {
		t.Errorf("seeds %d and %d: only %d fates of 200 differ", seed, seed+1, differ)
	}
}
