package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"netlabs/grader/result"
)

func init() { register("gradescope", Gradescope) }

// gradescopeResults is Gradescope's results.json (autograder specification,
// gradescope/autograder_samples docs/specs.md).
type gradescopeResults struct {
	ExecutionTime int64            `json:"execution_time"` // seconds
	Output        string           `json:"output"`
	OutputFormat  string           `json:"output_format"`
	Visibility    string           `json:"visibility"`
	Tests         []gradescopeTest `json:"tests"`
}

type gradescopeTest struct {
	Score        int      `json:"score"`
	MaxScore     int      `json:"max_score"`
	Status       string   `json:"status"` // passed or failed
	Name         string   `json:"name"`
	Number       string   `json:"number"`
	Output       string   `json:"output,omitempty"`
	OutputFormat string   `json:"output_format"`
	Tags         []string `json:"tags"`
	Visibility   string   `json:"visibility"`
}

// Gradescope writes r as Gradescope's results.json: one test per check, the
// total left to Gradescope, which sums the tests' scores. Bonus checks have
// max_score 0, which is how Gradescope shows extra credit.
func Gradescope(w io.Writer, r *result.Run) error {
	out := gradescopeResults{
		ExecutionTime: (r.DurationMS + 999) / 1000,
		Output:        fmt.Sprintf("netlabs grader, impl %s, seed %d: %d/%d. Repeat with: go run ./grader -seed %d", r.Impl, r.Seed, r.Score, r.MaxScore, r.Seed),
		OutputFormat:  "text",
		Visibility:    "visible",
		Tests:         []gradescopeTest{},
	}
	for _, wk := range r.Weeks {
		for _, l := range wk.Labs {
			for i, c := range l.Checks {
				t := gradescopeTest{
					Score:        c.Points,
					MaxScore:     c.MaxPoints,
					Status:       "failed",
					Name:         c.ID + ": " + c.Name,
					Number:       fmt.Sprintf("%d.%s.%d", wk.Week, l.Lab, i+1),
					OutputFormat: "text",
					Tags:         []string{fmt.Sprintf("week%02d", wk.Week), l.Lab, string(c.Status)},
					Visibility:   "visible",
				}
				if c.Bonus {
					t.MaxScore = 0
				}
				if c.Flaky {
					t.Tags = append(t.Tags, "flaky")
				}
				if c.Status == result.StatusPass {
					t.Status = "passed"
				} else {
					t.Output = gradescopeOutput(c)
				}
				out.Tests = append(out.Tests, t)
			}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func gradescopeOutput(c result.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s", c.Status, clean(c.Message))
	if c.Hint != "" {
		fmt.Fprintf(&b, "\n\nHint: %s", clean(c.Hint))
	}
	if c.Output != "" {
		e := tail(c.Output, textLines, textBytes)
		fmt.Fprintf(&b, "\n\nOutput:\n%s", e.Text)
	}
	return b.String()
}
