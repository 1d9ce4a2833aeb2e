package report

import (
	"strings"
	"unicode/utf8"
)

// SGR codes of the few styles the scorecard uses.
const (
	sgrBold   = "1"
	sgrDim    = "2"
	sgrRed    = "31"
	sgrGreen  = "32"
	sgrYellow = "33"
	sgrCyan   = "36"
)

// sgr joins style codes: sgr(sgrBold, sgrRed) is "1;31". Empty codes are left out.
func sgr(codes ...string) string {
	var nonEmpty []string
	for _, c := range codes {
		if c != "" {
			nonEmpty = append(nonEmpty, c)
		}
	}
	return strings.Join(nonEmpty, ";")
}

// A palette paints text with ANSI styles, or leaves it plain when off.
type palette struct{ on bool }

// paint wraps s in the style code; plain when the palette is off or s empty.
func (p palette) paint(code, s string) string {
	if !p.on || s == "" || code == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// width is the number of terminal columns s takes, counting one per rune.
func width(s string) int { return utf8.RuneCountInString(s) }

// padRight pads plain s with spaces to n columns, then paints it, so that
// colour never upsets alignment.
func (p palette) padRight(code, s string, n int) string {
	return p.paint(code, s) + spaces(n-width(s))
}

// padLeft right-aligns plain s in n columns, then paints it.
func (p palette) padLeft(code, s string, n int) string {
	return spaces(n-width(s)) + p.paint(code, s)
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

// truncate shortens s to n columns, ending it with "…" when cut.
func truncate(s string, n int) string {
	if width(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
