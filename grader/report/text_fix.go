package report

import (
	"fmt"
	"strings"

	"netlabs/grader/result"
)

// wrapWidth is where messages and hints wrap in "What to fix".
const wrapWidth = 100

// fixes writes "What to fix": per lab with anything to fix, the command that
// regrades just that lab, its build error, its policy violations and every
// check that did not pass.
func (s *scorecard) fixes() {
	first := true
	for _, wk := range s.r.Weeks {
		for _, l := range wk.Labs {
			if !needsFix(l) {
				continue
			}
			if first {
				s.line()
				s.line(s.p.paint(sgr(sgrBold, sgrRed), "What to fix"))
				first = false
			}
			s.line()
			s.line(s.p.paint(sgrBold, fmt.Sprintf("Week %d %s · %s", wk.Week, oneLine(l.Lab), oneLine(l.Package))))
			s.line(s.p.paint(sgrDim, "  rerun: "+repeatCommand(s.r, wk.Week, l.Lab)))
			s.labFixes(l)
		}
	}
	if first && len(s.r.Weeks) > 0 {
		s.line()
		s.line(s.p.paint(sgrGreen, "Nothing to fix: every check passed."))
	}
}

func (s *scorecard) labFixes(l result.Lab) {
	red := func(t string) string { return s.p.paint(sgrRed, t) }
	if l.BuildError != "" {
		s.line()
		s.line("  ", red("✗ does not build"), " (every check of this lab scores 0):")
		s.output("Compiler output", l.BuildError)
	}
	for _, v := range l.Violations {
		s.line()
		s.line("  ", red("✗ policy"), " ", fmt.Sprintf("%s:%d %s", oneLine(v.File), v.Line, oneLine(v.Rule)))
		s.para("", v.Why)
	}
	causes := commonCauses(l)
	for _, cs := range causes {
		s.line()
		s.line("  ", red("! "+fmt.Sprintf("%d checks fail with the same complaint: most likely one mistake, fix it first", len(cs.ids))))
		s.para("", cs.complaint)
		s.para(s.p.paint(sgrDim, "checks:")+" ", shortIDs(cs.ids))
	}
	for _, c := range l.Checks {
		if c.Status == result.StatusPass {
			continue
		}
		head := fmt.Sprintf("%s · %s (%s, %s", oneLine(c.ID), oneLine(c.Name), statusWord(c.Status), points(c))
		if c.Bonus {
			head += ", bonus"
		}
		s.line()
		s.line("  ", s.mark(c), " ", s.p.paint(sgrBold, head+")"))
		s.para("", c.Message)
		if l.BuildError != "" && c.Status == result.StatusError {
			continue // the build error above says it all
		}
		if sharesCause(causes, c.ID) {
			s.line("      ", s.p.paint(sgrDim, "(the common complaint above comes first; this check's hint is for after)"))
		} else {
			s.para(s.p.paint(sgrCyan, "Hint:")+" ", c.Hint)
		}
		if cmd := runAloneFor(s.r, l, c); cmd != "" {
			s.line("      ", s.p.paint(sgrDim, "run alone: "+oneLine(cmd)))
		}
		// A plain failure's message already holds the test's own complaints;
		// its whole output is one -v away. Crashes, timeouts and leaks show it.
		if c.Status == result.StatusFail && !s.opt.Verbose && c.Message != "" {
			if strings.TrimSpace(c.Output) != "" {
				s.line("      ", s.p.paint(sgrDim, "(-v shows the test's output)"))
			}
			continue
		}
		s.output("Output", c.Output)
	}
}

// para writes untrusted text wrapped and indented under a fix, after label.
func (s *scorecard) para(label, text string) {
	text = strings.TrimSpace(clean(text))
	if text == "" {
		return
	}
	const indent = "      "
	first := true
	for _, l := range wrap(text, wrapWidth-len(indent)) {
		if first {
			s.line(indent, label, l)
			first = false
			continue
		}
		s.line(indent, l)
	}
}

// output writes the end of an untrusted output (all of it when Verbose) in a
// gutter that sets it apart from the scorecard's own words, under a heading
// that starts with name.
func (s *scorecard) output(name, out string) {
	lines, bytes := textLines, textBytes
	if s.opt.Verbose {
		lines, bytes = 0, 0
	}
	e := tail(out, lines, bytes)
	if e.Total == 0 {
		return
	}
	head := name + ":"
	switch {
	case e.Shown < e.Total:
		head = fmt.Sprintf("%s, last %d of %d lines (-v shows all):", name, e.Shown, e.Total)
	case e.Cut():
		head = name + ", shortened (-v shows all):"
	}
	s.line("      ", s.p.paint(sgrDim, head))
	for _, l := range strings.Split(e.Text, "\n") {
		if l == "" {
			s.line("      ", s.p.paint(sgrDim, "│"))
			continue
		}
		s.line("      ", s.p.paint(sgrDim, "│"), " ", l)
	}
}

func (s *scorecard) footer() {
	r := s.r
	s.line()
	s.line(fmt.Sprintf("Seed %d · repeat this run: %s", r.Seed, repeatCommand(r, 0, "")))
	total := "Total: " + score(r.Score, r.MaxScore)
	if pct := percent(r.Score, r.MaxScore); pct != "" {
		total += " (" + pct + ")"
	}
	line := s.p.paint(sgr(sgrBold, ratioColour(r.Score, r.MaxScore)), total)
	if r.Bonus != 0 {
		line += " · " + s.bonusNote(r.Bonus) + " outside the total"
	}
	s.line(line)
}

// wrap breaks the lines of text that are longer than n columns at spaces.
// Shorter lines stay as they are, indentation and all, so that a diff in a
// message keeps its shape. Wrapping never alters what a line says: a run of
// spaces inside a line stays as it is (only a run at a break gives way to the
// break), a double-quoted string is never broken, and a word or quoted string
// longer than n gets a line of its own.
func wrap(text string, n int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		para = strings.TrimRight(para, " \t")
		if width(para) <= n {
			out = append(out, para)
			continue
		}
		indent := para[:len(para)-len(strings.TrimLeft(para, " \t"))]
		line := indent
		for _, t := range tokens(para[len(indent):]) {
			switch {
			case strings.TrimSpace(line) == "":
				line = indent + t.word
			case width(line)+width(t.space)+width(t.word) > n:
				out = append(out, line)
				line = indent + t.word
			default:
				line += t.space + t.word
			}
		}
		out = append(out, line)
	}
	return out
}

// token is a word of a line and the spaces before it, kept as they were.
type token struct{ space, word string }

// tokens splits s at runs of spaces and tabs, keeping each run with the word
// that follows it; a double-quoted string (with backslash escapes) is one
// word, spaces and all.
func tokens(s string) []token {
	var out []token
	for s != "" {
		rest := strings.TrimLeft(s, " \t")
		t := token{space: s[:len(s)-len(rest)]}
		end, quoted := 0, false
		for end < len(rest) {
			c := rest[end]
			switch {
			case c == '\\' && quoted:
				end++
			case c == '"':
				quoted = !quoted
			case (c == ' ' || c == '\t') && !quoted:
				goto done
			}
			end++
		}
	done:
		end = min(end, len(rest))
		t.word, s = rest[:end], rest[end:]
		if t.word == "" {
			break
		}
		out = append(out, t)
	}
	return out
}
