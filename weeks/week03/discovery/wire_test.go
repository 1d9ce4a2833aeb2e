package discovery_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"netlabs/grader/labtest"
	"netlabs/weeks/week03/discovery"
)

// longest is a word of MaxWord bytes that uses every kind of character a
// word may hold.
var longest = strings.Repeat("aZ0!~", 12) + "x-_"

func TestWireFormat(t *testing.T) {
	labtest.NoLeaks(t)
	if len(longest) != discovery.MaxWord {
		t.Fatalf("test bug: longest word has %d bytes, MaxWord is %d", len(longest), discovery.MaxWord)
	}
	t.Run("queries", func(t *testing.T) {
		valid := []struct {
			give string
			want discovery.Query
		}{
			{"SEARCH t1 *", discovery.Query{Token: "t1", Kind: ""}},
			{"SEARCH 5F3A http", discovery.Query{Token: "5F3A", Kind: "http"}},
			{"SEARCH " + longest + " " + longest, discovery.Query{Token: longest, Kind: longest}},
			{"SEARCH ! ~", discovery.Query{Token: "!", Kind: "~"}},
			{"SEARCH tok ipp\n", discovery.Query{Token: "tok", Kind: "ipp"}},
		}
		for _, tt := range valid {
			got, err := discovery.ParseQuery([]byte(tt.give))
			if got != tt.want || err != nil {
				t.Errorf("ParseQuery(%q) = %s, %v; want %s, nil", tt.give, showQuery(got), err, showQuery(tt.want))
				continue
			}
			if text := strings.TrimSuffix(tt.give, "\n"); got.String() != text {
				t.Errorf("ParseQuery(%q).String() = %q, want %q", tt.give, got.String(), text)
			}
		}
		invalid := []string{
			"",
			"SEARCH",
			"SEARCH tok",
			"SEARCH tok * extra",
			"search tok *",
			"SEARCH  tok *",
			" SEARCH tok *",
			"SEARCH tok * ",
			"SEARCH tok\t*",
			"SEARCH tok *\r\n",
			"SEARCH tok *\n\n",
			"SEARCH tok *\nSEARCH tok2 *",
			"SEARCH " + longest + "x *",
			"SEARCH café *",
			"SEARCH to\x00k *",
			"SEARCH tok de\x7fl",
			"SEARCH tok\x7f *",
			"SEARCH tok *\n ",
			"OFFER tok alpha web http 80",
		}
		for _, give := range invalid {
			if got, err := discovery.ParseQuery([]byte(give)); !errors.Is(err, discovery.ErrMalformed) {
				t.Errorf("ParseQuery(%q) = %s, %v; want an error wrapping ErrMalformed", short(give), showQuery(got), err)
			}
		}
	})
	t.Run("offers", func(t *testing.T) {
		offer := func(token, node, name, kind string, port int) discovery.Offer {
			return discovery.Offer{Token: token, Node: node, Service: discovery.Service{Name: name, Kind: kind, Port: port}}
		}
		valid := []struct {
			give string
			want discovery.Offer
		}{
			{"OFFER t1 alpha web http 8080", offer("t1", "alpha", "web", "http", 8080)},
			{"OFFER t1 alpha web http 1", offer("t1", "alpha", "web", "http", 1)},
			{"OFFER t1 alpha web http 65535", offer("t1", "alpha", "web", "http", 65535)},
			{"OFFER t1 alpha web http 10009", offer("t1", "alpha", "web", "http", 10009)},
			{"OFFER ! ~ !~ ~! 9\n", offer("!", "~", "!~", "~!", 9)},
			{"OFFER T-2 Beta.local printer_2 ipp 631\n", offer("T-2", "Beta.local", "printer_2", "ipp", 631)},
			{"OFFER " + strings.Repeat(longest+" ", 4) + "10", offer(longest, longest, longest, longest, 10)},
		}
		for _, tt := range valid {
			got, err := discovery.ParseOffer([]byte(tt.give))
			if got != tt.want || err != nil {
				t.Errorf("ParseOffer(%q) = %s, %v; want %s, nil", short(tt.give), showOffer(got), err, showOffer(tt.want))
				continue
			}
			if text := strings.TrimSuffix(tt.give, "\n"); got.String() != text {
				t.Errorf("ParseOffer(%q).String() = %q, want %q", short(tt.give), got.String(), text)
			}
		}
		invalid := []string{
			"",
			"OFFER t1 alpha web http",
			"OFFER t1 alpha web http 80 extra",
			"offer t1 alpha web http 80",
			"OFFER t1 alpha  web http 80",
			"OFFER t1 alpha web http 80 ",
			"OFFER t1 alpha web http 80\r",
			"OFFER t1 alpha web * 80",
			"OFFER t1 alpha web http 0",
			"OFFER t1 alpha web http 65536",
			"OFFER t1 alpha web http 99999",
			"OFFER t1 alpha web http 080",
			"OFFER t1 alpha web http +80",
			"OFFER t1 alpha web http -1",
			"OFFER t1 alpha web http 8o8o",
			"OFFER t1 alpha web http 8:",
			"OFFER t1 alpha web http 8/",
			"OFFER t1 alpha web http :8",
			"OFFER t1 alpha web http 100000",
			"OFFER t1 alpha web http 65535\n\n",
			"OFFER t1 alpha web ht\x7fp 80",
			"OFFER t1 alpha\x7f web http 80",
			"OFFER t1 alpha web http 18446744073709551696",
			"OFFER t1 " + longest + "x web http 80",
			"OFFER t1 alpha wéb http 80",
			"OFFER t1 alpha web http 80\nOFFER t1 alpha ftp ftp 21",
			"SEARCH t1 *",
		}
		for _, give := range invalid {
			if got, err := discovery.ParseOffer([]byte(give)); !errors.Is(err, discovery.ErrMalformed) {
				t.Errorf("ParseOffer(%q) = %s, %v; want an error wrapping ErrMalformed", short(give), showOffer(got), err)
			}
		}
	})
}

// showQuery and showOffer print the fields, not String's wire text.
func showQuery(q discovery.Query) string {
	return fmt.Sprintf("Query{Token: %q, Kind: %q}", short(q.Token), q.Kind)
}

func showOffer(o discovery.Offer) string {
	return fmt.Sprintf("Offer{Token: %q, Node: %q, Service: {%q, %q, %d}}", short(o.Token), short(o.Node), short(o.Service.Name), short(o.Service.Kind), o.Service.Port)
}
