package report

import (
	"fmt"
	"io"
	"path"
	"strings"

	"netlabs/grader/result"
)

func init() { register("markdown", Markdown) }

// Limits of the output excerpts in Markdown. GitHub caps a job summary at
// 1 MiB; the whole output is in the JSON report.
const (
	markdownLines = 15
	markdownBytes = 1500
)

// Markdown writes r as GitHub-flavoured Markdown for a GitHub Actions job
// summary ($GITHUB_STEP_SUMMARY): per week a heading with its score, per lab a
// heading, its build error and policy violations, a table of its checks (id
// and name, points, status with an emoji, time) and, for every check that did
// not pass, a collapsed <details> with its message, hint and the end of its
// output; last the total and the seed.
//
// Untrusted text (messages, output, compiler errors, file names) is written
// only inside HTML blocks, HTML-escaped, with | and ` as entities too, so it
// can neither end a table nor add markup; everything else is escaped for the
// table cell or heading it is in.
func Markdown(w io.Writer, r *result.Run) error {
	var b strings.Builder
	for _, wk := range r.Weeks {
		fmt.Fprintf(&b, "## Week %d · %s: %s%s\n\n", wk.Week, mdText(wk.Title),
			score(wk.Score, wk.MaxScore), parenthesised(percent(wk.Score, wk.MaxScore)))
		for _, l := range wk.Labs {
			markdownLab(&b, r, wk, l)
		}
	}
	markdownFooter(&b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownLab(b *strings.Builder, r *result.Run, wk result.Week, l result.Lab) {
	fmt.Fprintf(b, "### %s · %s · %s: %s", l.Lab, mdText(path.Base(l.Package)), mdText(l.Title), score(l.Score, l.MaxScore))
	if l.Bonus != 0 {
		fmt.Fprintf(b, " · +%d bonus", l.Bonus)
	}
	b.WriteString("\n\n")
	if l.BuildError != "" {
		b.WriteString("<p>💥 <b>Does not build</b>: every check of this lab scores 0.</p>\n\n")
		htmlPre(b, tail(l.BuildError, markdownLines, markdownBytes))
		b.WriteString("\n")
	}
	if len(l.Violations) > 0 {
		b.WriteString("<p>🚫 <b>Policy violations</b></p>\n<ul>\n")
		for _, v := range l.Violations {
			fmt.Fprintf(b, "<li><code>%s:%d</code> <b>%s</b>: %s</li>\n",
				htmlText(oneLine(v.File)), v.Line, htmlText(oneLine(v.Rule)), htmlText(oneLine(v.Why)))
		}
		b.WriteString("</ul>\n\n")
	}
	b.WriteString("| Check | Points | Status | Time |\n| :-- | --: | :-- | --: |\n")
	for _, c := range l.Checks {
		pts := points(c)
		if c.Bonus {
			pts += " (bonus)"
		}
		st := statusWord(c.Status)
		if c.Flaky {
			st += " (flaky: passed when run again after a grader error)"
		}
		fmt.Fprintf(b, "| %s %s | %s | %s %s | %s |\n",
			mdCode(c.ID), mdText(c.Name), pts, emoji(c.Status), st, duration(c))
	}
	b.WriteString("\n")
	causes := commonCauses(l)
	for _, cs := range causes {
		fmt.Fprintf(b, "> [!IMPORTANT]\n> %d checks fail with the same complaint: most likely one mistake, fix it first.<br>\n> <code>%s</code><br>\n> Checks: %s\n\n",
			len(cs.ids), htmlText(oneLine(cs.complaint)), htmlText(shortIDs(cs.ids)))
	}
	for _, c := range l.Checks {
		// The build error above explains the errors of a lab that does not build.
		if c.Status != result.StatusPass && (l.BuildError == "" || c.Status != result.StatusError) {
			if sharesCause(causes, c.ID) {
				c.Hint = ""
			}
			markdownFix(b, c, runAloneFor(r, l, c))
		}
	}
	if needsFix(l) {
		fmt.Fprintf(b, "Rerun this lab: `%s`\n\n", repeatCommand(r, wk.Week, l.Lab))
	}
}

// markdownFix writes a failed check's details, all of it inside HTML blocks:
// a <details> line, <p> lines without blank lines between them, and <pre>,
// which no blank line ends.
func markdownFix(b *strings.Builder, c result.Check, alone string) {
	fmt.Fprintf(b, "<details><summary>%s <code>%s</code> %s: %s</summary>\n\n",
		emoji(c.Status), htmlText(c.ID), htmlText(oneLine(c.Name)), statusWord(c.Status))
	msg := strings.TrimSpace(clean(c.Message))
	switch {
	case strings.Contains(msg, "\n"):
		htmlPre(b, excerpt{Text: msg})
		b.WriteString("\n")
	case msg != "":
		fmt.Fprintf(b, "<p>%s</p>\n", htmlText(msg))
	}
	if hint := oneLine(c.Hint); hint != "" {
		fmt.Fprintf(b, "<p><b>Hint:</b> %s</p>\n", htmlText(hint))
	}
	if alone != "" {
		fmt.Fprintf(b, "<p>Run alone: <code>%s</code></p>\n", htmlText(oneLine(alone)))
	}
	if e := tail(c.Output, markdownLines, markdownBytes); e.Total > 0 {
		head := "Output:"
		if e.Shown < e.Total {
			head = fmt.Sprintf("Output, last %d of %d lines:", e.Shown, e.Total)
		} else if e.Cut() {
			head = "Output, shortened:"
		}
		fmt.Fprintf(b, "<p>%s</p>\n\n", head)
		htmlPre(b, e)
	}
	b.WriteString("\n</details>\n\n")
}

// htmlPre writes cleaned text as a <pre> block: a block that only a line with
// </pre> ends, which escaped text cannot contain.
func htmlPre(b *strings.Builder, e excerpt) {
	fmt.Fprintf(b, "<pre>\n%s\n</pre>\n", htmlText(e.Text))
}

func markdownFooter(b *strings.Builder, r *result.Run) {
	b.WriteString("---\n\n")
	if r.Integrity == "modified" {
		fmt.Fprintf(b, "<p>⚠️ <b>Protected course files changed</b> (%d): they are not yours to edit.</p>\n<ul>\n", len(r.Changed))
		for _, c := range r.Changed {
			fmt.Fprintf(b, "<li><code>%s</code></li>\n", htmlText(c))
		}
		b.WriteString("</ul>\n\n")
	}
	fmt.Fprintf(b, "**Total: %s%s**", score(r.Score, r.MaxScore), parenthesised(percent(r.Score, r.MaxScore)))
	if r.Bonus != 0 {
		fmt.Fprintf(b, " · +%d bonus outside the total", r.Bonus)
	}
	fmt.Fprintf(b, " · seed %d · repeat with `%s`\n\n", r.Seed, repeatCommand(r, 0, ""))
	facts := []string{"impl " + r.Impl}
	if r.GoVersion != "" {
		facts = append(facts, r.GoVersion)
	}
	if r.Race {
		facts = append(facts, "race detector on")
	}
	if r.Sandbox != "" {
		facts = append(facts, "sandbox "+oneLine(r.Sandbox))
	}
	if r.RaceNote != "" {
		facts = append(facts, "no race detector for the concurrency checks: "+oneLine(r.RaceNote))
	}
	if r.StartedAt != "" {
		facts = append(facts, "started "+r.StartedAt)
	}
	facts = append(facts, "took "+seconds(r.DurationMS))
	fmt.Fprintf(b, "<p><sub>%s</sub></p>\n", htmlText(strings.Join(facts, " · ")))
}

// emoji marks a status in Markdown.
func emoji(s result.Status) string {
	switch s {
	case result.StatusPass:
		return "✅"
	case result.StatusFail:
		return "❌"
	case result.StatusError:
		return "💥"
	case result.StatusTimeout:
		return "⏱️"
	case result.StatusLeak:
		return "💧"
	case result.StatusGraderError:
		return "🛠️"
	}
	return "❔"
}

func parenthesised(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// htmlEscaper escapes text for HTML, and | and ` too, which mean nothing to
// HTML but end a table cell or start code in Markdown.
var htmlEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;",
	"|", "&#124;", "`", "&#96;",
)

// htmlText is cleaned s, escaped for an HTML block.
func htmlText(s string) string { return htmlEscaper.Replace(clean(s)) }

// mdEscaper escapes text for a Markdown heading or table cell: HTML's
// characters as entities, Markdown's punctuation with a backslash.
var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "`", "\\`", "|", `\|`, "*", `\*`, "_", `\_`,
	"[", `\[`, "]", `\]`, "~", `\~`, "#", `\#`,
)

// mdText is s on one line, escaped for a heading or table cell.
func mdText(s string) string { return mdEscaper.Replace(oneLine(s)) }

// mdCode is s as code in a table cell, or escaped text when s holds a
// character that code cannot.
func mdCode(s string) string {
	s = oneLine(s)
	if s == "" || strings.ContainsAny(s, "`|") {
		return mdText(s)
	}
	return "`" + s + "`"
}
