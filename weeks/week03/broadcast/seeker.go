package broadcast

import (
	"context"
	"net/netip"
	"time"
)

// DefaultWait bounds Seeker.Discover when its context has no deadline.
const DefaultWait = time.Second

// Answer is one responder's answer to a query.
type Answer struct {
	// Addr is where the answer came from: the responder's address and port,
	// an IPv4 address in its 4-byte form (as a "udp4" socket reports it).
	Addr netip.AddrPort
	// Name is the name the responder gave.
	Name string
}

// String is "<name> <address>", the line bcastscan prints.
func (a Answer) String() string { return a.Name + " " + a.Addr.String() }

// Seeker discovers responders. It holds only settings; the zero value sends
// one query per discovery.
type Seeker struct {
	// Resend, when positive, repeats the query every Resend until the
	// deadline, with the same token, so that a responder that missed a query
	// (lost, or started late) is still found. Zero or less: one query.
	Resend time.Duration
}

// Discover sends a query to dst ("host:port", normally a broadcast address
// such as "127.255.255.255:9303", though any IPv4 address works) from a socket
// of its own, collects the answers to it until ctx is done, closes the socket
// and returns the answers in the order they arrived, as the package
// documentation describes. Nobody answering is not an error: the result is
// then empty.
//
// Discover ends at ctx's deadline, or DefaultWait from now when ctx has none,
// or as soon as ctx is cancelled; either way it returns what it has collected,
// with a nil error. It never blocks longer than that.
//
// Errors: the error of resolving dst or of opening the socket, as it is, with
// no answers; an error wrapped as "send query: <error>" when the query cannot
// be sent (for example "network is unreachable"), at once, without waiting for
// the deadline; "read: <error>" when the socket fails for another reason, with
// the answers collected until then.
func (s *Seeker) Discover(ctx context.Context, dst string) ([]Answer, error) {
	// TODO(week03, step 4): send the query.
	//  1. net.ResolveUDPAddr("udp4", dst).
	//  2. Open the socket with net.ListenUDP("udp4", nil): any free port,
	//     not connected. defer its Close, and make a done ctx close it too
	//     (context.AfterFunc, as in step 2).
	//  3. The deadline: ctx.Deadline(), or time.Now().Add(DefaultWait) when
	//     ctx has none. conn.SetReadDeadline(deadline).
	//  4. A fresh token for every call: crypto/rand.Text() gives 26 random
	//     letters and digits. Send "DISCOVER " + token with conn.WriteToUDP.
	//     If that fails, return fmt.Errorf("send query: %w", err) at once.
	// Pitfall: net.DialUDP to the broadcast address. A connected UDP socket
	// only accepts datagrams from the address it is connected to, and no
	// answer comes from a broadcast address: you would hear nobody.
	// Checked by: TestQuery, TestDiscoverSendError, TestDiscoverBadDest,
	// TestDiscoverClosesSocket, TestDiscoverConcurrent, TestDiscover.
	//
	// TODO(week03, step 5): collect the answers until the deadline.
	//  1. Loop on conn.ReadFromUDPAddrPort with a buffer of MaxMessage+1
	//     bytes. The read deadline passing (errors.Is(err,
	//     os.ErrDeadlineExceeded)) or ctx being done is the normal end:
	//     return the answers and a nil error. Another error: return the
	//     answers and fmt.Errorf("read: %w", err).
	//  2. Keep a datagram only if it is exactly "HERE <token> <name>" with
	//     your token and a valid name (the rules of step 2 and 3). Addr is
	//     the source address, in 4-byte form (netip.Addr.Unmap).
	//  3. Skip an answer whose (Addr, Name) you already have: Answer is
	//     comparable, so a map[Answer]bool does it.
	// Pitfall: returning after the first answer, or when nothing arrives for
	// a moment (answers from other hosts take their time); keying answers
	// by address alone, when responders that share a port share an address.
	// Checked by: TestDiscover, TestDiscoverOrder, TestDiscoverIgnoresJunk,
	// TestDiscoverNobody, TestDiscoverLongDeadline, TestDiscoverCancel,
	// TestScripts/cli_discover, TestScripts/cli_nobody.
	//
	// TODO(week03, step 6, bonus): when s.Resend > 0, send the same query
	// again every s.Resend until the deadline. Set the read deadline to the
	// earlier of the next send and the end; when it passes, send again.
	// Checked by: bonus TestDiscoverResend.
	_, _, _ = ctx, dst, s
	return nil, ErrNotImplemented
}
