package course

import (
	"fmt"
	"regexp"
	"strings"
)

// GradingTable is the Markdown table of a lab's checks that its week's handout
// carries between the markers of TableMarkers.
func GradingTable(l Lab) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| Check | What it proves | Points |\n|---|---|---:|\n")
	for _, c := range l.Checks {
		pts := fmt.Sprint(c.Points)
		if c.Bonus {
			pts += " (bonus)"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.ID, c.Name, pts)
	}
	fmt.Fprintf(&b, "| | **Total** | **%d** |\n", l.MaxScore())
	return b.String()
}

// TableMarkers are the lines in a handout that enclose lab l's grading table.
func TableMarkers(l Lab) (begin, end string) {
	return "<!-- rubric:" + l.ID() + " -->", "<!-- end rubric:" + l.ID() + " -->"
}

// UpdateHandout returns the handout text with lab l's grading table put
// between its markers; a lone begin marker gets the table and the end marker
// after it. It reports an error when the begin marker is missing.
func UpdateHandout(text string, l Lab) (string, error) {
	begin, end := TableMarkers(l)
	table := begin + "\n" + GradingTable(l) + end
	re := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(begin) + `.*?` + regexp.QuoteMeta(end))
	switch {
	case re.MatchString(text):
		return re.ReplaceAllLiteralString(text, table), nil
	case strings.Contains(text, begin):
		return strings.Replace(text, begin, table, 1), nil
	}
	return "", fmt.Errorf("the handout has no %s line where the grading table goes", begin)
}
