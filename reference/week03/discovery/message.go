package discovery

import (
	"fmt"
	"strings"
)

// Service is one service that a node offers.
type Service struct {
	// Name tells the node's services apart: "web", "printer-2". A word.
	Name string
	// Kind is what the service speaks: "http", "ipp", "ssh". A word, not "*".
	Kind string
	// Port is the TCP or UDP port the service listens on, 1 to 65535.
	Port int
}

// Query is a scanner's question: which services, of which kind, are there?
type Query struct {
	// Token identifies the scan; offers that answer it carry it back. A word.
	Token string
	// Kind is the kind of service asked for; "" asks for every kind, and
	// travels as "*".
	Kind string
}

// String is the query as it travels, without a newline:
// "SEARCH <token> <kind>", with "*" for an empty Kind.
func (q Query) String() string {
	kind := q.Kind
	if kind == "" {
		kind = "*"
	}
	return "SEARCH " + q.Token + " " + kind
}

// Offer is a node's answer to a query: one offer per service.
type Offer struct {
	// Token is the token of the query that the offer answers.
	Token string
	// Node is the name of the node that offers the service. A word.
	Node    string
	Service Service
}

// String is the offer as it travels, without a newline:
// "OFFER <token> <node> <service> <kind> <port>".
func (o Offer) String() string {
	return fmt.Sprintf("OFFER %s %s %s %s %d", o.Token, o.Node, o.Service.Name, o.Service.Kind, o.Service.Port)
}

// ParseQuery reads one query datagram, "SEARCH <token> <kind>", as the
// package documentation describes: a kind "*" gives an empty Kind, and one
// "\n" at the very end is ignored. Anything else returns an error wrapping
// ErrMalformed. For every valid b without that "\n",
// ParseQuery(b).String() == string(b).
func ParseQuery(b []byte) (Query, error) {
	f, err := split(b, "SEARCH", 2)
	if err != nil {
		return Query{}, err
	}
	q := Query{Token: f[0], Kind: f[1]}
	if q.Kind == "*" {
		q.Kind = ""
	}
	return q, nil
}

// ParseOffer reads one offer datagram,
// "OFFER <token> <node> <service> <kind> <port>", as the package
// documentation describes; one "\n" at the very end is ignored. Anything
// else, a kind "*" or a port out of range included, returns an error
// wrapping ErrMalformed. For every valid b without that "\n",
// ParseOffer(b).String() == string(b).
func ParseOffer(b []byte) (Offer, error) {
	f, err := split(b, "OFFER", 5)
	if err != nil {
		return Offer{}, err
	}
	if f[3] == "*" {
		return Offer{}, fmt.Errorf("%w: the kind of a service cannot be \"*\"", ErrMalformed)
	}
	port, ok := parsePort(f[4])
	if !ok {
		return Offer{}, fmt.Errorf("%w: port %q is not a number from 1 to 65535", ErrMalformed, f[4])
	}
	return Offer{Token: f[0], Node: f[1], Service: Service{Name: f[2], Kind: f[3], Port: port}}, nil
}

// split checks that b is verb followed by n words, each after one space, and
// returns the words.
func split(b []byte, verb string, n int) ([]string, error) {
	s := strings.TrimSuffix(string(b), "\n")
	f := strings.Split(s, " ")
	if len(f) != n+1 || f[0] != verb {
		return nil, fmt.Errorf("%w: want %q and %d fields separated by single spaces, got %.40q", ErrMalformed, verb, n, s)
	}
	for _, w := range f[1:] {
		if !validWord(w) {
			return nil, fmt.Errorf("%w: %.40q is not a word of 1 to %d printable ASCII characters", ErrMalformed, w, MaxWord)
		}
	}
	return f[1:], nil
}

// validWord tells whether s is 1 to MaxWord bytes, each from 0x21 to 0x7E.
func validWord(s string) bool {
	if len(s) < 1 || len(s) > MaxWord {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// parsePort reads a port: decimal digits, no leading zero, 1 to 65535.
func parsePort(s string) (int, bool) {
	if len(s) < 1 || len(s) > 5 || s[0] == '0' {
		return 0, false
	}
	port := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		port = port*10 + int(s[i]-'0')
	}
	return port, port <= 65535
}

// check reports why s cannot be offered, or nil.
func (s Service) check() error {
	switch {
	case !validWord(s.Name):
		return fmt.Errorf("service name %q: %w", s.Name, ErrInvalid)
	case !validWord(s.Kind) || s.Kind == "*":
		return fmt.Errorf("service %s: kind %q: %w", s.Name, s.Kind, ErrInvalid)
	case s.Port < 1 || s.Port > 65535:
		return fmt.Errorf("service %s: port %d: %w", s.Name, s.Port, ErrInvalid)
	}
	return nil
}
