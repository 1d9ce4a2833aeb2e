// Package result is the grader's result model: one run's scores per check, lab,
// week and in total. Every report format (text, JSON, Markdown, JUnit, …) is
// written from a Run, and the JSON encoding of a Run is the contract
// "netlabs/result/v1" that CI and gradebooks read.
package result

// Schema names the JSON encoding of Run.
const Schema = "netlabs/result/v1"

// Status is a check's verdict.
type Status string

// The verdicts. Only StatusPass earns points.
const (
	StatusPass    Status = "pass"    // the check's test sent its own pass event
	StatusFail    Status = "fail"    // the test failed
	StatusError   Status = "error"   // the lab did not build, broke a policy rule, or crashed
	StatusTimeout Status = "timeout" // the test ran out of time
	StatusLeak    Status = "leak"    // the test passed its assertions but left goroutines running
	StatusNotRun  Status = "not_run" // the test never reported a result
	// StatusGraderError is the grader's own failure, not the lab's: a build or
	// a test process killed from outside, twice. Regrade; the exit status is 3.
	StatusGraderError Status = "grader_error"
)

// Run is one grading run.
type Run struct {
	Schema     string `json:"schema"`
	Impl       string `json:"impl"` // "student" or "reference"
	Seed       uint64 `json:"seed"`
	Score      int    `json:"score"`
	MaxScore   int    `json:"max_score"`
	Bonus      int    `json:"bonus,omitempty"` // bonus points, outside Score and MaxScore
	DurationMS int64  `json:"duration_ms"`
	// Sandbox says how the tests' network was isolated: "netns", or why not.
	Sandbox   string `json:"sandbox"`
	GoVersion string `json:"go_version"`
	StartedAt string `json:"started_at"`     // RFC 3339, UTC
	Race      bool   `json:"race,omitempty"` // every check ran under the race detector
	// RaceNote says why the checks that always run under the race detector
	// (Check.Race) ran without it: no C toolchain, say. Empty when they did.
	RaceNote string `json:"race_note,omitempty"`
	// Integrity is "verified" when the checkout's protected files match its
	// manifest, "modified" when they do not (Changed says how), and empty
	// where there is no manifest (the instructor's repository).
	Integrity string   `json:"integrity,omitempty"`
	Changed   []string `json:"changed_files,omitempty"` // "grader/x.go: modified"
	Weeks     []Week   `json:"weeks"`
}

// Week is one week's result.
type Week struct {
	Week     int    `json:"week"`
	Title    string `json:"title"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
	Bonus    int    `json:"bonus,omitempty"`
	Labs     []Lab  `json:"labs"`
}

// Lab is one lab's result.
type Lab struct {
	Lab      string `json:"lab"` // "basic" or "extra"
	Title    string `json:"title"`
	Package  string `json:"package"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
	Bonus    int    `json:"bonus,omitempty"`
	// BuildError is the compiler's message when the lab's tests did not build.
	BuildError string `json:"build_error,omitempty"`
	// Violations are the policy rules the student's files broke.
	Violations []Violation `json:"violations,omitempty"`
	// Excluded are the student's own test files, left out of the graded build.
	Excluded []string `json:"excluded_files,omitempty"`
	Checks   []Check  `json:"checks"`
}

// Check is one check's result.
type Check struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Test is the Go test that decides the check: "TestExchange", or
	// "TestScripts/cli_exchange" for a testscript scenario.
	Test       string `json:"test,omitempty"`
	Points     int    `json:"points"`
	MaxPoints  int    `json:"max_points"`
	Bonus      bool   `json:"bonus,omitempty"`
	Status     Status `json:"status"`
	DurationMS int64  `json:"duration_ms"`
	Message    string `json:"message,omitempty"`
	Hint       string `json:"hint,omitempty"`
	// Output is an excerpt of the test's output, capped.
	Output string `json:"output,omitempty"`
	// Race is set when the check ran under the race detector, so a data race
	// fails it.
	Race bool `json:"race,omitempty"`
	// Flaky is set when the check passed only when the grader ran it again
	// after a failure of its own (StatusGraderError on the first run).
	Flaky bool `json:"flaky,omitempty"`
	// Repeats are the statuses of the check's further runs, one per extra
	// seed, when the caller asked for them (the self-test's stability step).
	Repeats []Status `json:"repeats,omitempty"`
}

// Violation is one broken policy rule in a student file.
type Violation struct {
	File string `json:"file"` // slash path relative to the module root
	Line int    `json:"line"`
	Rule string `json:"rule"` // short id, "init-func"
	Why  string `json:"why"`
}

// GraderErrors counts the checks that ended in StatusGraderError.
func (r *Run) GraderErrors() int {
	n := 0
	for _, w := range r.Weeks {
		for _, l := range w.Labs {
			for _, c := range l.Checks {
				if c.Status == StatusGraderError {
					n++
				}
			}
		}
	}
	return n
}

// Total fills in the scores of every lab and week and of the run from the
// checks' points. Bonus checks add to Bonus, never to Score or MaxScore, so a
// complete solution scores exactly MaxScore.
func (r *Run) Total() {
	r.Score, r.MaxScore, r.Bonus = 0, 0, 0
	for i := range r.Weeks {
		w := &r.Weeks[i]
		w.Score, w.MaxScore, w.Bonus = 0, 0, 0
		for j := range w.Labs {
			l := &w.Labs[j]
			l.Score, l.MaxScore, l.Bonus = 0, 0, 0
			for _, c := range l.Checks {
				if c.Bonus {
					l.Bonus += c.Points
					continue
				}
				l.Score += c.Points
				l.MaxScore += c.MaxPoints
			}
			w.Score += l.Score
			w.MaxScore += l.MaxScore
			w.Bonus += l.Bonus
		}
		r.Score += w.Score
		r.MaxScore += w.MaxScore
		r.Bonus += w.Bonus
	}
}
