package netsim

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"
)

// maxDatagram is the relay's read buffer: larger than any UDP payload, so
// that nothing is ever cut short.
const maxDatagram = 64 << 10

// socketBuffer is the receive buffer the relay asks for on its sockets (the
// system may grant less), so that bursts wait in the kernel rather than being
// lost before the relay has seen them.
const socketBuffer = 1 << 20

// Config describes a relay. Target is required; the zero value of every
// other field is a transparent relay on a free port of 127.0.0.1.
type Config struct {
	// Target is the "host:port" the relay forwards to. It must be a loopback
	// address (127.0.0.0/8 or ::1).
	Target string
	// Listen is where the relay receives from clients: a loopback address,
	// port 0 for any free port. Default: "127.0.0.1:0" (or "[::1]:0" when the
	// target is IPv6).
	Listen string
	// Seed decides every fate, with the packet's direction and index.
	Seed uint64
	// Forward and Backward impair the two directions.
	Forward, Backward Impairment
	// Capture is how many bytes of each packet the log keeps, as received
	// (Record.Payload); 0 keeps none.
	Capture int
}

// Validate reports the first field that is out of range, by name.
func (c Config) Validate() error {
	if _, err := resolveLoopback("Target", c.Target, false); err != nil {
		return err
	}
	if c.Listen != "" {
		if _, err := resolveLoopback("Listen", c.Listen, true); err != nil {
			return err
		}
	}
	if c.Capture < 0 {
		return fmt.Errorf("netsim: Capture = %d: want a byte count >= 0", c.Capture)
	}
	if err := c.Forward.Validate("Forward"); err != nil {
		return err
	}
	return c.Backward.Validate("Backward")
}

// resolveLoopback resolves a UDP address that must be on loopback; port 0 is
// allowed only when anyPort.
func resolveLoopback(field, s string, anyPort bool) (netip.AddrPort, error) {
	if s == "" {
		return netip.AddrPort{}, fmt.Errorf("netsim: %s is empty: want host:port on loopback", field)
	}
	ua, err := net.ResolveUDPAddr("udp", s)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("netsim: %s %q: %w", field, s, err)
	}
	ap := ua.AddrPort()
	ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	switch {
	case !ap.Addr().IsLoopback():
		return netip.AddrPort{}, fmt.Errorf("netsim: %s %q: not a loopback address (netlabs traffic stays on this machine)", field, s)
	case ap.Port() == 0 && !anyPort:
		return netip.AddrPort{}, fmt.Errorf("netsim: %s %q: want a port, not 0", field, s)
	}
	return ap, nil
}

// Relay is a running UDP relay; see the package documentation. Its methods
// may be called from several goroutines at once.
type Relay struct {
	cfg    Config
	conn   *net.UDPConn // where clients send, and where answers go back from
	target netip.AddrPort
	start  time.Time
	links  [2]Link
	queues [2]*queue
	done   chan struct{}
	wg     sync.WaitGroup

	mu      sync.Mutex // guards what follows
	closed  bool
	clients map[netip.AddrPort]*upstream
	truth   truthLog
}

// upstream is one client's socket towards the target.
type upstream struct {
	client netip.AddrPort
	conn   *net.UDPConn
}

// NewRelay validates cfg, listens, and starts relaying at once. Close stops it.
func NewRelay(cfg Config) (*Relay, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	target, _ := resolveLoopback("Target", cfg.Target, false)
	listen := cfg.Listen
	if listen == "" {
		listen = "127.0.0.1:0"
		if target.Addr().Is6() {
			listen = "[::1]:0"
		}
	}
	la, _ := resolveLoopback("Listen", listen, true)
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(la))
	if err != nil {
		return nil, fmt.Errorf("netsim: listen on %s: %w", listen, err)
	}
	conn.SetReadBuffer(socketBuffer) // best effort
	r := &Relay{
		cfg:     cfg,
		conn:    conn,
		target:  target,
		start:   time.Now(),
		links:   [2]Link{cfg.Forward.link(), cfg.Backward.link()},
		queues:  [2]*queue{newQueue(cfg.Forward.Rate), newQueue(cfg.Backward.Rate)},
		done:    make(chan struct{}),
		clients: map[netip.AddrPort]*upstream{},
	}
	r.wg.Go(func() { r.schedule(Forward) })
	r.wg.Go(func() { r.schedule(Backward) })
	r.wg.Go(r.readClients)
	return r, nil
}

// Addr is the address clients send to.
func (r *Relay) Addr() netip.AddrPort {
	ap := r.conn.LocalAddr().(*net.UDPAddr).AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// Target is the address the relay forwards to.
func (r *Relay) Target() netip.AddrPort { return r.target }

// Config is the configuration the relay was started with.
func (r *Relay) Config() Config { return r.cfg }

// Epoch is the moment the relay's clock reads zero: the time of a Record or
// Departure is Epoch().Add(At).
func (r *Relay) Epoch() time.Time { return r.start }

// now is the relay's clock: the time since it started.
func (r *Relay) now() time.Duration { return time.Since(r.start) }

// Close stops the relay: it closes its sockets, discards the copies still
// waiting for their delay or the rate limit (the log marks them Discarded),
// and returns once every goroutine the relay started has ended. The log and
// counters stay readable. Close may be called more than once; it returns nil.
func (r *Relay) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		r.wg.Wait()
		return nil
	}
	r.closed = true
	close(r.done)
	r.conn.Close()
	for _, u := range r.clients {
		u.conn.Close()
	}
	r.mu.Unlock()
	r.wg.Wait()
	// Nothing runs any more: what is still queued will never leave.
	for d := range r.queues {
		for _, it := range r.queues[d].drain() {
			r.finish(Direction(d), it, Discarded)
		}
	}
	return nil
}

// readClients reads what clients send and passes it on, until Close.
func (r *Relay) readClients() {
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := r.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // a transient error of one datagram; the socket still works
		}
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		up, ok := r.upstreamFor(from)
		if !ok {
			return // closed
		}
		r.arrive(Forward, up, buf[:n])
	}
}

// upstreamFor returns the client's upstream socket, opening it (and its
// reader) on the client's first packet. ok is false once the relay is closed.
func (r *Relay) upstreamFor(client netip.AddrPort) (up *upstream, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, false
	}
	if up := r.clients[client]; up != nil {
		return up, true
	}
	local := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0)
	if r.target.Addr().Is6() {
		local = netip.AddrPortFrom(netip.IPv6Loopback(), 0)
	}
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(local))
	if err != nil {
		// Out of sockets: this packet is counted and dropped like any other
		// that cannot be sent; the next one tries again.
		return &upstream{client: client}, true
	}
	conn.SetReadBuffer(socketBuffer) // best effort
	up = &upstream{client: client, conn: conn}
	r.clients[client] = up
	r.wg.Go(func() { r.readTarget(up) })
	return up, true
}

// readTarget reads the target's answers to one client, until Close.
func (r *Relay) readTarget(up *upstream) {
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := up.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		if from != r.target {
			r.mu.Lock()
			r.truth.counters[Backward].Stray++
			r.mu.Unlock()
			continue
		}
		r.arrive(Backward, up, buf[:n])
	}
}

// arrive decides the fate of one packet, logs it, and queues its copies for
// the direction's scheduler, which sends them when they are due. data is
// reused after arrive returns.
//
// Even copies due at once go through the scheduler: then one goroutine reads
// while another writes, which passed a quarter to a half more packets per
// second through BenchmarkRelay, on two cores, than reading and writing in
// turn.
func (r *Relay) arrive(d Direction, up *upstream, data []byte) {
	at := r.now()
	r.mu.Lock()
	index := uint64(r.truth.counters[d].Packets)
	fate := r.links[d].Fate(PacketInfo{Dir: d, Index: index, At: at, Data: data}, NewRand(r.cfg.Seed, uint64(d), index))
	pos := r.truth.add(d, index, up.client, at, data, fate, r.cfg.Capture)
	r.mu.Unlock()

	for i, c := range fate.Copies {
		it := &item{ready: at + c.Delay, pos: pos, copy: i, up: up, data: append([]byte(nil), data...)}
		if c.Corrupted() {
			it.data[c.FlipAt] ^= c.Flip
		}
		r.queues[d].push(it)
	}
}

// send writes one copy and logs its departure. Only the direction's
// scheduler calls it, so Truth.Departures is the order of the writes.
func (r *Relay) send(d Direction, it *item) {
	var err error
	switch {
	case it.up.conn == nil:
		err = errors.New("no upstream socket")
	case d == Forward:
		_, err = it.up.conn.WriteToUDPAddrPort(it.data, r.target)
	default:
		_, err = r.conn.WriteToUDPAddrPort(it.data, it.up.client)
	}
	state := Sent
	if err != nil {
		state = Failed
		select {
		case <-r.done:
			state = Discarded // the socket was closed under it
		default:
		}
	}
	r.finish(d, it, state)
}

// finish logs the outcome of one copy.
func (r *Relay) finish(d Direction, it *item, state State) {
	r.mu.Lock()
	r.truth.leave(d, it.pos, it.copy, state, r.now())
	r.mu.Unlock()
}
