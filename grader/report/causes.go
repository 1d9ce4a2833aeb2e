package report

import (
	"regexp"
	"strings"

	"netlabs/grader/result"
)

// minShared is how many failing checks of a lab must share a complaint for
// the report to call it a common cause.
const minShared = 3

// A cause is a complaint that several failing checks of one lab share: most
// likely one mistake, to fix before anything else. Their hints, each about a
// different usual mistake, give way to it.
type cause struct {
	complaint string   // the first line of the first such check's message
	ids       []string // the checks that share it
}

var (
	logPrefix = regexp.MustCompile(`^\S+\.go:\d+: `)
	digits    = regexp.MustCompile(`[0-9]+`)
)

// causeKey is what two complaints must share to count as one: the first line
// of the message without the file:line it was logged from, with every number
// (ports, counts, durations) made alike.
func causeKey(msg string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
	first = logPrefix.ReplaceAllString(first, "")
	return digits.ReplaceAllString(first, "N")
}

// commonCauses lists the complaints that at least minShared failing checks of
// l share, in the order of their first check.
func commonCauses(l result.Lab) []cause {
	if l.BuildError != "" || len(l.Violations) > 0 {
		return nil // the build error or the violations are the cause, said above
	}
	var order []string
	groups := map[string]*cause{}
	for _, c := range l.Checks {
		if c.Status == result.StatusPass || c.Message == "" {
			continue
		}
		k := causeKey(c.Message)
		g, ok := groups[k]
		if !ok {
			first, _, _ := strings.Cut(strings.TrimSpace(c.Message), "\n")
			g = &cause{complaint: first}
			groups[k] = g
			order = append(order, k)
		}
		g.ids = append(g.ids, c.ID)
	}
	var out []cause
	for _, k := range order {
		if len(groups[k].ids) >= minShared {
			out = append(out, *groups[k])
		}
	}
	return out
}

// sharesCause reports whether check id is one of the causes' checks.
func sharesCause(causes []cause, id string) bool {
	for _, c := range causes {
		for _, x := range c.ids {
			if x == id {
				return true
			}
		}
	}
	return false
}

// shortIDs turns "w01.basic.exchange" into "exchange", for lists of checks
// of one lab.
func shortIDs(ids []string) string {
	var s []string
	for _, id := range ids {
		s = append(s, id[strings.LastIndex(id, ".")+1:])
	}
	return strings.Join(s, ", ")
}
