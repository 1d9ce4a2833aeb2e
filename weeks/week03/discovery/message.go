package discovery

import (
	"fmt"
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
	// TODO(week03, step 1): read the two messages (ParseQuery and ParseOffer).
	//  1. Drop one "\n" at the very end (strings.TrimSuffix), nothing else.
	//  2. Split on single spaces (strings.Split with " "): an empty field
	//     then means two spaces in a row, or one at either end, which makes
	//     the message malformed. Check the verb ("SEARCH", "OFFER") and
	//     the number of fields.
	//  3. Check every word: 1 to MaxWord bytes, each from 0x21 to 0x7E.
	//     Loop over the bytes (s[i]), not the runes: "é" is two bytes, both
	//     out of range. Write it as a small function: Node.Serve (step 3)
	//     and Scanner.Scan (step 4) check names and kinds with it too.
	//  4. ParseQuery: the kind "*" becomes Kind "". ParseOffer: the kind
	//     may not be "*"; the port is digits only, no leading zero, 1 to
	//     65535.
	//  5. Every refusal wraps ErrMalformed: fmt.Errorf("%w: ...", ErrMalformed, ...),
	//     saying what was wrong.
	// Pitfall: strings.Fields and strconv.Atoi are too forgiving for a wire
	// format: Fields accepts "SEARCH  tok *" (two spaces), Atoi accepts
	// "+80" and "080". A message has exactly one valid spelling.
	// Checked by: TestWireFormat.
	_ = b
	return Query{}, ErrNotImplemented
}

// ParseOffer reads one offer datagram,
// "OFFER <token> <node> <service> <kind> <port>", as the package
// documentation describes; one "\n" at the very end is ignored. Anything
// else, a kind "*" or a port out of range included, returns an error
// wrapping ErrMalformed. For every valid b without that "\n",
// ParseOffer(b).String() == string(b).
func ParseOffer(b []byte) (Offer, error) {
	// TODO(week03, step 1): see ParseQuery.
	_ = b
	return Offer{}, ErrNotImplemented
}
