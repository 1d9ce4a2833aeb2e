// Package netsim is netlabs' simulated network: a seeded UDP relay on
// loopback that drops, duplicates, delays, reorders and corrupts packets, caps
// a link's rate, and keeps the ground truth of everything it did, so that
// tests can assert exact figures ("the collector counted 17 lost readings
// because the relay dropped exactly those 17").
//
// # The relay
//
// A Relay listens on a loopback UDP address of its own and forwards what
// clients send there to a target. Each client address gets its own upstream
// socket towards the target, so the target sees one address per client, and
// whatever the target sends to that socket goes back to that client, through
// the relay's address (the quic-go test proxy works the same way). Datagrams
// that reach an upstream socket from anywhere but the target are ignored and
// counted as Stray.
//
//	r, err := netsim.NewRelay(netsim.Config{
//		Target:  collector.LocalAddr().String(),
//		Seed:    seed,
//		Forward: netsim.Impairment{Drop: 0.05, Duplicate: 0.01},
//		Capture: 64,
//	})
//	...
//	defer r.Close()
//	// clients send to r.Addr(); later: r.Truth(), r.Stats()
//
// Only loopback addresses are accepted (Config.Validate): netlabs traffic
// never leaves the machine.
//
// # Fates
//
// Each direction (Forward: client → target, Backward: target → client) has
// an Impairment. Every packet that enters the relay gets an index in its
// direction, from 0, in the order the relay read it, and its fate is a pure
// function of (Config.Seed, direction, index) and the packet: the relay
// seeds a small random stream (Rand, a keyed SplitMix64) for that packet
// alone. The fate does not depend on timing or on other packets' draws, so
// the same seed and the same packets in the same order give the same fates in
// every run. (Packets from several clients at once arrive in an order the
// scheduler decides; the log says which order it was.)
//
// A fate is a list of copies: none (dropped), one, or two (duplicated). The
// knobs, drawn in this order:
//
//	Drop       probability the packet is dropped. Nothing else is drawn.
//	Duplicate  probability the packet leaves as two copies.
//	then, for each copy:
//	Delay,     the copy waits a delay drawn uniformly from
//	Jitter     [Delay-Jitter, Delay+Jitter] (nanosecond resolution), clamped
//	           at 0; Jitter larger than Delay is allowed. Jitter alone
//	           already reorders copies whose delays cross.
//	Reorder    probability the copy is held back ReorderDelay more
//	           (default DefaultReorderDelay, 20ms), so that the packets that
//	           follow within that time overtake it.
//	Corrupt    probability one byte of the copy is flipped: a byte chosen
//	           uniformly is XORed with a non-zero mask, so exactly one byte
//	           differs. Empty packets are never corrupted. The two copies of a
//	           duplicated packet are corrupted (or not) independently.
//	Rate       bytes per second of the direction's outgoing link; 0 means
//	           unlimited. A copy that is ready while the link is busy QUEUES
//	           (never dropped): copies leave in the order they became ready,
//	           and a copy of n bytes keeps the link busy n/Rate seconds. So a
//	           copy never leaves before the link has had time for the bytes
//	           queued ahead of it: in a run of back-to-back copies, copy k
//	           leaves no earlier than (bytes of copies 0..k-1)/Rate after
//	           copy 0. Rate applies after the delays above.
//
// A probability of 0 never happens and 1 always does. Because every draw has
// its fixed place, raising Drop from 0.05 to 0.30 under the same seed drops
// the same packets and more, and the packets that survive keep their other
// decisions. Bad values are rejected with an error naming the field
// ("netsim: Forward.Drop = 1.5: want a probability in [0, 1]").
//
// # Ground truth
//
// Relay.Truth returns a snapshot of the log: a Record per packet, in arrival
// order (direction, index, client, arrival time, size, fate, the outcome and
// time of each copy, and the first Config.Capture bytes as received), and a
// Departure per copy that left, in the order the copies left the relay. One
// goroutine per direction does all the writes and logs each one as it makes
// it, so that order is the order of the write calls. Times are on the relay's clock: the time since
// NewRelay, which Relay.Epoch turns back into wall-clock time. Relay.Stats returns the counters of each direction; Stats.String
// is a stable text form for scripts.
//
// The capture (sizes in every record, payload prefixes with Config.Capture)
// is enough to count what crossed: readings per sensor, retransmissions of a
// sequence number, bytes per client.
//
// # Shutdown
//
// Close closes the relay's sockets and returns once every goroutine it
// started has ended (goleak-clean). Copies still waiting for their delay or
// for the link are DISCARDED, not flushed: the log marks them Discarded and
// counts them. Tests that want everything delivered wait until Pending is
// zero before they close.
//
// # Extending it: schedules, contact plans, a medium
//
// Later weeks need links that change over time (MANET topologies, store-
// and-forward link schedules, DTN contact plans). They plug in through the
// Link interface, without a rewrite:
//
//   - A Link decides a packet's fate from PacketInfo (direction, index, the
//     relay's clock At, the bytes) and the packet's Rand. Impairment is one
//     Link; Impairment.Link replaces it, and a test can wrap an Impairment
//     to force a fate on a chosen packet (a middlebox).
//   - A link schedule or contact plan is a Link that wraps another and
//     returns a dropped Fate (or a delay until the next contact) when
//     PacketInfo.At falls outside a contact; it stays deterministic because
//     the clock is an input, not a hidden source.
//   - A medium of many nodes (week 6) keeps one packet counter per (sender,
//     receiver) pair and calls the same Link with NewRand(seed, channel,
//     index), channel naming the pair: the fate function, the Rand streams,
//     the queue with its rate limit and the log types are reused as they are.
//
// # Performance
//
// A packet costs one read, one write, a copy of its bytes and a few short
// critical sections. Reading and writing happen in different goroutines (the
// reader hands every copy, even one due at once, to its direction's
// scheduler), so they overlap on two cores. BenchmarkRelay measures packets
// per second through a relay; on loopback the kernel's send path dominates.
package netsim
