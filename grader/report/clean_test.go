package report

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name string
		give string
		want string
	}{
		{"plain", "hello\n\tworld", "hello\n\tworld"},
		{"invalid UTF-8", "a\xff\xfeb\xc3", "a\uFFFDb\uFFFD"},
		{"colour", "\x1b[1;31mred\x1b[0m", "red"},
		{"hyperlink", "\x1b]8;;http://x.invalid\x07link\x1b]8;;\x1b\\", "link"},
		{"other escape", "a\x1bcb", "ab"},
		{"escape at end", "a\x1b", "a"},
		{"controls", "a\x00b\x07c\x7fd\u0085e", "abcde"},
		{"line ends", "a\r\nb\rc", "a\nb\nc"},
		{"bidi", "x\u202eevil\u202cy\u2066z", "xevilyz"},
		{"non-characters", "a\uFFFEb\uFFFF", "ab"},
		{"wide and accented", "naïve 界", "naïve 界"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.give); got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestTail(t *testing.T) {
	tests := []struct {
		name         string
		give         string
		lines, bytes int
		want         string
		shown, total int
		wantCut      bool
	}{
		{"empty", "", 3, 100, "", 0, 0, false},
		{"whole", "a\nb\n", 3, 100, "a\nb", 2, 2, false},
		{"last lines", "1\n2\n3\n4\n5\n", 2, 100, "4\n5", 2, 5, true},
		{"bytes drop lines", "aaaa\nbbbb\ncccc", 0, 9, "bbbb\ncccc", 2, 3, true},
		{"one long line", "abcdefghij", 5, 4, "…ghij", 1, 1, true},
		{"cut inside a rune", "ééééé", 5, 3, "…é", 1, 1, true},
		{"no limits", "1\n2\n3", 0, 0, "1\n2\n3", 3, 3, false},
		{"cleaned first", "a\x1b[31m\nb\x00", 5, 100, "a\nb", 2, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tail(tt.give, tt.lines, tt.bytes)
			if e.Text != tt.want || e.Shown != tt.shown || e.Total != tt.total || e.Cut() != tt.wantCut {
				t.Errorf("tail(%q, %d, %d) = %q %d/%d cut %v, want %q %d/%d cut %v", tt.give, tt.lines, tt.bytes,
					e.Text, e.Shown, e.Total, e.Cut(), tt.want, tt.shown, tt.total, tt.wantCut)
			}
		})
	}
}

func TestTailBoundsBigOutput(t *testing.T) {
	big := strings.TrimSuffix(bigOutput(bigOutputSize), "\n")
	last := big[strings.LastIndex(big, "\n")+1:]
	e := tail(big, textLines, textBytes)
	if len(e.Text) > textBytes || e.Shown > textLines {
		t.Errorf("tail of %d bytes = %d bytes in %d lines, want at most %d bytes in %d lines",
			bigOutputSize, len(e.Text), e.Shown, textBytes, textLines)
	}
	if !strings.HasSuffix(e.Text, "\n"+last) {
		t.Errorf("tail does not end with the output's last line %q", last)
	}
}
