package report

import (
	"regexp"
	"strings"
	"testing"

	"netlabs/grader/result"
)

func text(t *testing.T, r *result.Run, opt TextOptions) string {
	t.Helper()
	var b strings.Builder
	if err := Text(&b, r, opt); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestTextWithoutColorHasNoEscape(t *testing.T) {
	r := hostileSample(t)
	for _, opt := range []TextOptions{{}, {Verbose: true}} {
		if i := strings.IndexByte(text(t, r, opt), '\x1b'); i >= 0 {
			t.Errorf("Text(%+v) has an ESC byte at %d", opt, i)
		}
	}
}

var sgrSequence = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestTextColorOnlyAddsStyle(t *testing.T) {
	r := sample(t)
	plain := text(t, r, TextOptions{})
	colored := text(t, r, TextOptions{Color: true})
	if colored == plain {
		t.Fatal("Text with Color is the same as without")
	}
	if got := sgrSequence.ReplaceAllString(colored, ""); got != plain {
		t.Errorf("Text with Color, its colours removed, differs from Text without:\n%s\nwant:\n%s", got, plain)
	}
}

func TestTextVerboseShowsWholeOutput(t *testing.T) {
	r := sample(t)
	first := strings.SplitN(bigOutput(bigOutputSize), "\n", 2)[0]
	if strings.Contains(text(t, r, TextOptions{}), first) {
		t.Errorf("Text shows the first line of a %d-byte output, want only its end", bigOutputSize)
	}
	verbose := text(t, r, TextOptions{Verbose: true})
	if !strings.Contains(verbose, first) {
		t.Errorf("Text with Verbose lacks the first line of the output, %q", first)
	}
	if n, want := strings.Count(verbose, "still waiting"), strings.Count(bigOutput(bigOutputSize), "\n"); n != want {
		t.Errorf("Text with Verbose shows %d lines of the output, want %d", n, want)
	}
}

// TestTextColumnsAlign checks that every check line of the table has its
// points and time in the same columns, whatever the lengths of ids and names.
func TestTextColumnsAlign(t *testing.T) {
	r := hostileSample(t)
	r.Weeks[0].Labs[0].Checks[0].Name = strings.Repeat("a very long name ", 5)
	r.Weeks[0].Labs[1].Checks[0].Name = "naïve 界"
	trailer := regexp.MustCompile(`(  (fail|error|timeout|leak|not run|bonus))+$`)
	widths := map[int]bool{}
	for _, line := range strings.Split(text(t, r, TextOptions{}), "\n") {
		if strings.HasPrefix(line, "    ✓ ") || strings.HasPrefix(line, "    ✗ ") {
			widths[width(trailer.ReplaceAllString(line, ""))] = true
		}
	}
	if len(widths) != 1 {
		t.Errorf("check lines end their time column at %d different widths, want 1: %v", len(widths), widths)
	}
}

func TestTextListsWhatToFix(t *testing.T) {
	out := text(t, sample(t), TextOptions{})
	_, fixes, ok := strings.Cut(out, "What to fix")
	if !ok {
		t.Fatal(`Text has no "What to fix"`)
	}
	for _, want := range []string{
		"w01.basic.framing", "w01.basic.concurrent", "w01.basic.shutdown", "w01.basic.badinput",
		"w01.basic.cli", "w01.extra.handshake", "w01.extra.broadcast",
		"Hint: One Read can return part of a line",
		"helpdesk.go:41:9: undefined: nick",
		"weeks/week01/helpdesk/helpdesk.go:12 init-func",
		"go run ./grader -week 1 -lab basic -seed 20260504",
		"Total: 10/65 (15.4%)",
	} {
		if !strings.Contains(fixes, want) {
			t.Errorf("What to fix lacks %q", want)
		}
	}
	if strings.Contains(fixes, "w01.basic.exchange") {
		t.Error("What to fix lists w01.basic.exchange, which passed")
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name string
		give string
		want []string
	}{
		{"short", "one two", []string{"one two"}},
		{"long", "one two three four", []string{"one two", "three four"}},
		{"keeps indented short lines", "a:\n  - x\n  + y", []string{"a:", "  - x", "  + y"}},
		{"long word", "abcdefghijkl x", []string{"abcdefghijkl", "x"}},
		{"runs of spaces stay", "a  b   c d e f", []string{"a  b   c d", "e f"}},
		{"a quoted string is never broken", `x "a   b  " y`, []string{"x", `"a   b  "`, "y"}},
		{"escaped quote inside", `got "a\" b" z`, []string{"got", `"a\" b" z`}},
		{"indented long line keeps its indent", "  aaa bbb ccc", []string{"  aaa bbb", "  ccc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wrap(tt.give, 10); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrap(%q, 10) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}
