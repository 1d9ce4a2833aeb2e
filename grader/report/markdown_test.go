package report

import (
	"regexp"
	"strings"
	"testing"

	"netlabs/grader/result"
)

// hostile is text a student's code could put anywhere: table syntax, HTML,
// Markdown, code fences, control characters and invalid UTF-8.
const hostile = "x | y |\n| --- |\n<script>alert(1)</script></pre></details>\n`code` ``` **b** [l](http://x.invalid)\n\x1b[2J\x00\xff\n\n\n# heading"

// hostileSample is the sample run with hostile text added to every string a
// report shows.
func hostileSample(t *testing.T) *result.Run {
	t.Helper()
	r := sample(t)
	for i := range r.Weeks[0].Labs {
		l := &r.Weeks[0].Labs[i]
		l.Title += hostile
		l.Package += hostile
		l.BuildError += hostile
		l.Violations = append(l.Violations, result.Violation{File: hostile, Line: 1, Rule: hostile, Why: hostile})
		for j := range l.Checks {
			c := &l.Checks[j]
			c.Name += hostile
			c.Message += hostile
			c.Hint += hostile
			c.Output += hostile
		}
	}
	r.Weeks[0].Title += hostile
	r.Sandbox += hostile
	return r
}

func markdown(t *testing.T, r *result.Run) string {
	t.Helper()
	var b strings.Builder
	if err := Markdown(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMarkdownHostileTextKeepsTables(t *testing.T) {
	r := hostileSample(t)
	out := markdown(t, r)

	// Every line that starts with | is a table row, and a row of ours has
	// exactly five cell borders that are not escaped.
	var rows int
	border := regexp.MustCompile(`(^|[^\\])\|`)
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		rows++
		if n := len(border.FindAllString(line, -1)); n != 5 {
			t.Errorf("table row has %d cell borders, want 5: %s", n, line)
		}
	}
	if want := 2*len(r.Weeks[0].Labs) + len(r.Weeks[0].Labs[0].Checks) + len(r.Weeks[0].Labs[1].Checks); rows != want {
		t.Errorf("Markdown has %d table rows, want %d (a header and a rule per lab, a row per check)", rows, want)
	}
	for _, bad := range []string{"<script", "</pre></details>", "\x1b", "\x00"} {
		if strings.Contains(out, bad) {
			t.Errorf("Markdown contains %q from student text", bad)
		}
	}
	// Outside the HTML blocks, where Markdown applies, no student markup is
	// left unescaped.
	markdownOnly := regexp.MustCompile(`(?s)<pre>\n.*?\n</pre>\n`).ReplaceAllString(out, "")
	markdownOnly = regexp.MustCompile(`(?m)^<(p|li|details)>[^\n]*$`).ReplaceAllString(markdownOnly, "")
	if !strings.Contains(markdownOnly, "| Check |") || !strings.Contains(markdownOnly, "**Total:") {
		t.Fatalf("removing the HTML blocks removed Markdown too:\n%s", markdownOnly)
	}
	for _, bad := range []string{"\n# heading", "[l](http", "**b**", "`code`"} {
		if strings.Contains(markdownOnly, bad) {
			t.Errorf("Markdown outside HTML blocks contains %q from student text", bad)
		}
	}
	for _, tag := range []string{"details", "pre", "p", "ul"} {
		if open, end := strings.Count(out, "<"+tag+">"), strings.Count(out, "</"+tag+">"); open != end {
			t.Errorf("Markdown opens <%s> %d times and closes it %d times", tag, open, end)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;") {
		t.Error("Markdown lost the escaped student text, want it shown as &lt;script&gt;")
	}
}

// TestMarkdownPreStartsABlock checks the rule that keeps student text
// out of Markdown: a <pre> block starts after a blank line, so that it is an
// HTML block of its own, which only </pre> ends.
func TestMarkdownPreStartsABlock(t *testing.T) {
	out := markdown(t, sample(t))
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		if line == "<pre>" && i > 0 && lines[i-1] != "" {
			t.Errorf("line %d: <pre> follows %q, want a blank line", i+1, lines[i-1])
		}
	}
}

func TestMarkdownSummarisesRun(t *testing.T) {
	out := markdown(t, sample(t))
	for _, want := range []string{
		"## Week 1 · TCP client–server: 10/65 (15.4%)",
		"| `w01.basic.framing` a request split across writes is one request | 0/10 | ❌ fail | 0.31s |",
		"| `w01.basic.stats` per-client byte counts | 3/3 (bonus) | ✅ pass | 0.20s |",
		"<details><summary>⏱️ <code>w01.basic.concurrent</code>",
		"**Total: 10/65 (15.4%)** · +3 bonus outside the total · seed 20260504",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}
