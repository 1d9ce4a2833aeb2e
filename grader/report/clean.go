package report

import (
	"strings"
	"unicode/utf8"
)

// clean makes untrusted text safe to show in any report. Invalid UTF-8 becomes
// U+FFFD (once per run of bad bytes); "\r\n" and a lone "\r" become "\n";
// terminal escape sequences (CSI and OSC) are dropped whole; every other
// control character except tab and newline is dropped, as are the Unicode
// controls that reorder text (bidi overrides) and the non-characters
// U+FFFE and U+FFFF, which XML forbids.
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
			for i < len(s) {
				if r, size := utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || size != 1 {
					break
				}
				i++
			}
			continue
		case r == '\x1b':
			i += escapeLen(s[i:])
			continue
		case r == '\r':
			if !strings.HasPrefix(s[i:], "\r\n") {
				b.WriteByte('\n')
			}
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20, r >= 0x7f && r < 0xa0, isBidiControl(r), r == 0xfffe, r == 0xffff:
			// dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeLen is the length of the escape sequence at the start of s, which
// begins with ESC: a CSI sequence ("\x1b[31m") up to its final byte, an OSC
// sequence ("\x1b]8;;url\x07") up to BEL or ST, otherwise ESC and one byte.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	case ']':
		for i := 2; i < len(s); i++ {
			if s[i] == '\a' {
				return i + 1
			}
			if s[i] == '\x1b' && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return len(s)
	}
	_, size := utf8.DecodeRuneInString(s[1:])
	return 1 + size
}

func isBidiControl(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// oneLine cleans s and joins its lines with single spaces, for places that
// hold one line: a table cell, an XML attribute, a summary.
//
// Only line breaks and the indentation around them go: spaces inside a line,
// inside quoted strings above all, stay as the test printed them.
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(clean(s), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// An excerpt is the end of a cleaned output: the part shown and how much of
// the whole it is.
type excerpt struct {
	Text  string // the lines shown, without a final newline
	Shown int    // lines shown; the first may be cut at its front
	Total int    // lines in the whole output
}

// Cut reports whether part of the output was left out.
func (e excerpt) Cut() bool { return e.Shown < e.Total || strings.HasPrefix(e.Text, "…") }

// tail cleans out and keeps its last maxLines lines and at most about maxBytes
// bytes of them. It drops whole lines where it can; a single longer line keeps
// its end, after "…". Zero limits keep everything.
func tail(out string, maxLines, maxBytes int) excerpt {
	s := strings.TrimRight(clean(out), "\n")
	if s == "" {
		return excerpt{}
	}
	lines := strings.Split(s, "\n")
	e := excerpt{Total: len(lines)}
	if maxLines > 0 && len(lines) > maxLines {
		lines = lines[len(lines)-maxLines:]
	}
	if maxBytes > 0 {
		size := len(lines) - 1
		for _, l := range lines {
			size += len(l)
		}
		for len(lines) > 1 && size > maxBytes {
			size -= len(lines[0]) + 1
			lines = lines[1:]
		}
		if last := lines[0]; len(last) > maxBytes {
			cut := len(last) - maxBytes
			for cut < len(last) && !utf8.RuneStart(last[cut]) {
				cut++
			}
			lines[0] = "…" + last[cut:]
		}
	}
	e.Text = strings.Join(lines, "\n")
	e.Shown = len(lines)
	return e
}
