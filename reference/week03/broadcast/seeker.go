package broadcast

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
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
	to, err := net.ResolveUDPAddr("udp4", dst)
	if err != nil {
		return nil, err
	}
	// Not net.DialUDP: a connected socket accepts datagrams only from the
	// address it is connected to, the broadcast address, and no answer
	// comes from there.
	conn, err := net.ListenUDP("udp4", nil)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer onDone(ctx, func() { conn.Close() })()

	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(DefaultWait)
	}
	token := rand.Text() // 26 random letters and digits
	query := []byte("DISCOVER " + token)

	var answers []Answer
	seen := map[Answer]bool{}
	buf := make([]byte, MaxMessage+1) // one more: a longer datagram shows
	next := time.Now()                // when to send the query (again)
	for {
		now := time.Now()
		if !now.Before(deadline) {
			return answers, nil
		}
		if !now.Before(next) {
			if _, err := conn.WriteToUDP(query, to); err != nil {
				if ctx.Err() != nil {
					return answers, nil
				}
				return answers, fmt.Errorf("send query: %w", err)
			}
			next = deadline
			if s.Resend > 0 {
				next = now.Add(s.Resend)
			}
		}
		conn.SetReadDeadline(earlier(next, deadline))
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		switch {
		case ctx.Err() != nil:
			return answers, nil
		case errors.Is(err, os.ErrDeadlineExceeded):
			continue // time to send again, or to stop
		case err != nil:
			return answers, fmt.Errorf("read: %w", err)
		}
		name, ok := parseAnswer(string(buf[:n]), token)
		a := Answer{Addr: netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), Name: name}
		if ok && !seen[a] {
			seen[a] = true
			answers = append(answers, a)
		}
	}
}

// parseAnswer returns the name of a valid answer that carries token.
func parseAnswer(msg, token string) (name string, ok bool) {
	if len(msg) > MaxMessage {
		return "", false
	}
	f := strings.Split(msg, " ")
	if len(f) != 3 || f[0] != "HERE" || f[1] != token || !validName(f[2]) {
		return "", false
	}
	return f[2], true
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
