package runner

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// A complaint is one thing a failing test said: a t.Error or t.Log line with
// the lines that continue it (a multi-line message, a go-cmp diff), or a
// scenario's FAIL line with what the failing command printed on stderr.
type complaint struct {
	test   string // the (sub)test whose output it is
	lines  []string
	indent int  // the first line's indentation; deeper lines continue it
	lab    bool // logged from the lab's own code (its Logf), not a _test.go file
}

// Bounds of a check's message.
const (
	maxMessageLines   = 40  // lines of complaints a message quotes
	maxComplaintLines = 60  // lines kept of one complaint
	labLineWidth      = 100 // a lab's log line is cut to this many characters
)

// logFile captures the file of a t.Log line: "    tcpack_test.go:71: ...".
var logFile = regexp.MustCompile(`^\s+(\S+\.go):\d+: `)

// newComplaint starts a complaint with its first line; it is the lab's own
// log when the line was logged from one of labFiles.
func newComplaint(test, line string, labFiles []string) *complaint {
	c := &complaint{test: test, indent: indentOf(line), lines: []string{strings.TrimSpace(line)}}
	if m := logFile.FindStringSubmatch(line); m != nil {
		c.lab = slices.Contains(labFiles, m[1])
	}
	return c
}

// continues reports whether line, printed by test, is a continuation of c:
// the testing package indents the later lines of a message deeper than its
// first.
func (c *complaint) continues(test, line string) bool {
	return c != nil && test == c.test && len(line) > c.indent && indentOf(line) > c.indent
}

// add appends a continuation line, keeping its indentation relative to the
// first line's text.
func (c *complaint) add(line string) {
	if len(c.lines) < maxComplaintLines {
		c.lines = append(c.lines, strings.TrimRight(line[c.indent:], " \t"))
	}
}

func (c *complaint) text() string { return strings.Join(c.lines, "\n") }

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

// message puts the complaints of a failed test together: the test's own
// complaints first, whole (a failing subtest's before the lab's log lines),
// then the lab's own log lines, each cut to one screen line; never the
// complaints of subtests that passed, never the same complaint twice; at most
// maxMessageLines lines, with a note of what was cut.
func message(complaints []*complaint, passed map[string]bool) string {
	var tests, labs []string
	seen := map[string]bool{}
	for _, c := range complaints {
		t := c.text()
		if passed[c.test] || seen[t] {
			continue
		}
		seen[t] = true
		if c.lab {
			labs = append(labs, cut(c.lines[0], labLineWidth))
			continue
		}
		tests = append(tests, c.lines...)
	}
	lines := append(tests, labs...)
	if n := len(lines) - maxMessageLines; n > 0 {
		lines = append(lines[:maxMessageLines], fmt.Sprintf("(%d more lines; -v shows the whole output)", n))
	}
	return strings.Join(lines, "\n")
}

// cut shortens s to n characters, marking the cut with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
