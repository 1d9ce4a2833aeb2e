package report

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"

	"netlabs/grader/result"
)

func init() { register("classroom", Classroom) }

// classroomResult is version 1 of the result that GitHub Classroom's
// autograding reporter (classroom-resources/autograding-grading-reporter)
// reads from a runner's base64-encoded "result" output.
type classroomResult struct {
	Version  int             `json:"version"`
	Status   string          `json:"status"` // pass, fail or error
	MaxScore int             `json:"max_score"`
	Tests    []classroomTest `json:"tests"`
}

type classroomTest struct {
	Name     string `json:"name"`
	Status   string `json:"status"` // pass, fail or error
	Score    int    `json:"score"`
	Message  string `json:"message"`
	TestCode string `json:"test_code"`
	Filename string `json:"filename"`
	LineNo   int    `json:"line_no"`
	Duration int64  `json:"duration"` // milliseconds
}

// Classroom writes r as the Classroom reporter's result: one line of base64
// JSON, version 1, one test per check, for a workflow step to set as its
// "result" output. The reporter sums tests[].score against max_score, so bonus
// checks are left out (they would lift the score above the maximum).
func Classroom(w io.Writer, r *result.Run) error {
	out := classroomResult{Version: 1, Status: "pass", MaxScore: r.MaxScore, Tests: []classroomTest{}}
	for _, wk := range r.Weeks {
		for _, l := range wk.Labs {
			for _, c := range l.Checks {
				if c.Bonus {
					continue
				}
				t := classroomTest{
					Name:     c.ID + ": " + c.Name,
					Status:   classroomStatus(c.Status),
					Score:    c.Points,
					Message:  classroomMessage(c),
					TestCode: fmt.Sprintf("go run ./grader -week %d -lab %s", wk.Week, l.Lab),
					Filename: l.Package,
					Duration: c.DurationMS,
				}
				out.Tests = append(out.Tests, t)
				out.Status = worse(out.Status, t.Status)
			}
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, base64.StdEncoding.EncodeToString(b))
	return err
}

func classroomStatus(s result.Status) string {
	switch s {
	case result.StatusPass:
		return "pass"
	case result.StatusFail, result.StatusLeak:
		return "fail"
	}
	return "error"
}

func classroomMessage(c result.Check) string {
	if c.Flaky {
		return "flaky: passed when run again after a grader error"
	}
	if c.Status == result.StatusPass {
		return ""
	}
	msg := clean(c.Message)
	if c.Hint != "" {
		msg += "\nHint: " + clean(c.Hint)
	}
	return msg
}

// worse is the worse of two statuses: error over fail over pass.
func worse(a, b string) string {
	rank := map[string]int{"pass": 0, "fail": 1, "error": 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
