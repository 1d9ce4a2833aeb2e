package report

import (
	"fmt"
	"io"
	"path"
	"strings"

	"netlabs/grader/result"
)

// TextOptions are the choices of the terminal scorecard.
type TextOptions struct {
	// Color adds ANSI colours and bold. The caller decides, typically: the
	// output is a terminal and NO_COLOR is unset (https://no-color.org).
	// Without Color the scorecard contains no escape byte at all.
	Color bool
	// Verbose shows the whole captured output of every check that did not
	// pass, rather than its last lines.
	Verbose bool
}

func init() {
	register("text", func(w io.Writer, r *result.Run) error {
		return Text(w, r, TextOptions{})
	})
}

// Limits of the output excerpts in the scorecard, unless Verbose.
const (
	textLines = 15
	textBytes = 1500
)

// maxNameWidth caps the name column; longer names end in "…".
const maxNameWidth = 44

// Text writes r as the terminal scorecard: a header (impl, seed, sandbox, Go
// version), per week a table with a line per lab and per check, then "What to
// fix" with every check that did not pass (message, hint, the end of its
// output), build errors and policy violations, and last the seed, the command
// that repeats the run, and the total. Bonus checks are marked "bonus" and
// stay outside the total. Text writes to w once, at the end, and returns its
// error.
func Text(w io.Writer, r *result.Run, opt TextOptions) error {
	s := &scorecard{r: r, opt: opt, p: palette{on: opt.Color}}
	s.measure()
	s.header()
	for _, wk := range r.Weeks {
		s.week(wk)
	}
	s.fixes()
	s.footer()
	_, err := io.WriteString(w, s.b.String())
	return err
}

// A scorecard lays out one run's text report.
type scorecard struct {
	r   *result.Run
	opt TextOptions
	p   palette
	b   strings.Builder
	// Column widths of the check table, the same for every week so that all
	// the scores line up.
	idW, nameW, ptsW, durW int
}

func (s *scorecard) line(parts ...string) {
	for _, p := range parts {
		s.b.WriteString(p)
	}
	s.b.WriteByte('\n')
}

func (s *scorecard) measure() {
	for _, wk := range s.r.Weeks {
		s.ptsW = max(s.ptsW, width(score(wk.Score, wk.MaxScore)))
		for _, l := range wk.Labs {
			s.ptsW = max(s.ptsW, width(score(l.Score, l.MaxScore)))
			for _, c := range l.Checks {
				s.idW = max(s.idW, width(oneLine(c.ID)))
				s.nameW = max(s.nameW, width(oneLine(c.Name)))
				s.ptsW = max(s.ptsW, width(points(c)))
				s.durW = max(s.durW, width(duration(c)))
			}
		}
	}
	s.nameW = min(s.nameW, maxNameWidth)
}

// scoreCol is the column where the points of checks, labs and weeks begin.
func (s *scorecard) scoreCol() int {
	const indent, mark, gaps = 4, 2, 4 // "    ", "✓ ", and two gaps of two
	return indent + mark + s.idW + s.nameW + gaps
}

// label writes a week's or lab's line: its label, then its score right-aligned
// under the checks' points, then an optional note.
func (s *scorecard) label(code, text string, got, of int, note string) {
	gap := max(s.scoreCol()-width(text), 2)
	pts := score(got, of)
	line := s.p.paint(code, text) + spaces(gap) + s.p.padLeft(sgr(sgrBold, ratioColour(got, of)), pts, s.ptsW)
	if note != "" {
		line += "  " + note
	}
	s.line(line)
}

func (s *scorecard) header() {
	r := s.r
	parts := []string{s.p.paint(sgrBold, "netlabs grader"), "impl " + oneLine(r.Impl), fmt.Sprintf("seed %d", r.Seed)}
	if r.GoVersion != "" {
		parts = append(parts, oneLine(r.GoVersion))
	}
	if r.Race {
		parts = append(parts, "race detector on")
	}
	s.line(strings.Join(parts, " · "))
	var more []string
	if r.Sandbox == "netns" {
		more = append(more, "sandbox netns")
	}
	if r.StartedAt != "" {
		more = append(more, "started "+oneLine(r.StartedAt))
	}
	more = append(more, "took "+seconds(r.DurationMS))
	s.line(strings.Join(more, " · "))
	if r.Sandbox != "" && r.Sandbox != "netns" {
		s.line(s.p.paint(sgrYellow, "no network sandbox: "+oneLine(r.Sandbox)))
		if !strings.HasPrefix(r.Sandbox, "host network") {
			s.line(s.p.paint(sgrYellow, "  so the broadcast and multicast checks do not run here (not run, 0 points); CI on Linux runs them, and its score counts"))
		}
	}
	if r.RaceNote != "" {
		s.line(s.p.paint(sgrYellow, "no race detector: "+oneLine(r.RaceNote)+"; the concurrency checks ran without it, so a data race cannot fail them here (CI has one)"))
	}
	if r.Integrity == "modified" {
		s.line(s.p.paint(sgrRed, fmt.Sprintf("protected course files changed (%d): restore them, they are not yours to edit:", len(r.Changed))))
		for _, c := range r.Changed {
			s.line("  ", s.p.paint(sgrRed, "✗"), " ", oneLine(c))
		}
	}
}

func (s *scorecard) week(wk result.Week) {
	s.line()
	s.label(sgrBold, fmt.Sprintf("Week %d  %s", wk.Week, oneLine(wk.Title)), wk.Score, wk.MaxScore, s.bonusNote(wk.Bonus))
	for _, l := range wk.Labs {
		var notes []string
		if l.BuildError != "" {
			notes = append(notes, s.p.paint(sgrRed, "does not build"))
		}
		if n := len(l.Violations); n > 0 {
			notes = append(notes, s.p.paint(sgrRed, fmt.Sprintf("%d policy violation%s", n, plural(n))))
		}
		if l.Bonus != 0 {
			notes = append(notes, s.bonusNote(l.Bonus))
		}
		s.label("", fmt.Sprintf("  %-5s  %s · %s", oneLine(l.Lab), path.Base(oneLine(l.Package)), oneLine(l.Title)), l.Score, l.MaxScore, strings.Join(notes, " · "))
		for _, c := range l.Checks {
			s.check(c)
		}
	}
}

func (s *scorecard) check(c result.Check) {
	line := "    " + s.mark(c) + " " +
		s.p.padRight("", oneLine(c.ID), s.idW) + "  " +
		s.p.padRight("", truncate(oneLine(c.Name), s.nameW), s.nameW) + "  " +
		s.p.padLeft(checkColour(c), points(c), s.ptsW) + "  " +
		s.p.padLeft(sgrDim, duration(c), s.durW)
	if c.Status != result.StatusPass {
		line += "  " + s.p.paint(checkColour(c), statusWord(c.Status))
	}
	if c.Bonus {
		line += "  " + s.p.paint(sgrCyan, "bonus")
	}
	if c.Flaky {
		line += "  " + s.p.paint(sgrYellow, "flaky: passed when run again after a grader error")
	}
	s.line(line)
}

// mark is a check's status mark: ✓ for a pass, ✗ for anything else.
func (s *scorecard) mark(c result.Check) string {
	if c.Status == result.StatusPass {
		return s.p.paint(sgrGreen, "✓")
	}
	return s.p.paint(checkColour(c), "✗")
}

func (s *scorecard) bonusNote(n int) string {
	if n == 0 {
		return ""
	}
	return s.p.paint(sgrCyan, fmt.Sprintf("+%d bonus", n))
}

// checkColour is red for a check that lost points, yellow for a bonus check
// that did (it costs nothing), green for a pass.
func checkColour(c result.Check) string {
	switch {
	case c.Status == result.StatusPass:
		return sgrGreen
	case c.Bonus:
		return sgrYellow
	}
	return sgrRed
}

// ratioColour is green for full marks, red for none, yellow in between.
func ratioColour(got, of int) string {
	switch {
	case of <= 0:
		return ""
	case got >= of:
		return sgrGreen
	case got <= 0:
		return sgrRed
	}
	return sgrYellow
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
