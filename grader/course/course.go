// Package course is the rubric: the one source of truth for what netlabs grades.
//
// A course is a list of weeks; a week has a basic and an extra lab; a lab is one Go
// package under weeks/ whose graded tests decide its checks. Each check names the
// test that decides it (a Go test, or a testscript scenario run as the subtest
// TestScripts/<name>), its points, and the hint a student sees when it fails.
//
// Everything else is derived from this table: which test binaries the grader builds,
// which tests it runs, the scores it reports, and the grading table in each week's
// handout (see Markdown; the self-test fails when a handout disagrees).
//
// Paths are slash-separated and relative to the module root. A lab's reference
// solution mirrors its student files: weeks/week01/tcpack/tcpack.go is replaced by
// reference/week01/tcpack/tcpack.go when grading with -impl reference.
package course

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"
)

// Kind tells a week's two labs apart.
type Kind string

// The two kinds of lab in every week.
const (
	Basic Kind = "basic"
	Extra Kind = "extra"
)

// DefaultTimeout bounds one check's test process when the check sets no Timeout.
const DefaultTimeout = 30 * time.Second

// Week is one week of the course.
type Week struct {
	Number int
	Title  string
	Labs   []Lab // the basic lab first, then the extra lab
}

// Dir is the week's folder, "weeks/week01".
func (w Week) Dir() string { return fmt.Sprintf("weeks/week%02d", w.Number) }

// Lab is one graded package.
type Lab struct {
	Week  int
	Kind  Kind
	Title string
	// Package is the lab's folder, "weeks/week01/tcpack".
	Package string
	// Files are the student's files in Package: the non-test Go files that the
	// student edits and that the reference replaces one for one.
	Files []string
	// TestFiles are the graded test files in Package. Any other _test.go file
	// there is the student's own: reported and left out of the graded build.
	TestFiles []string
	Checks    []Check
}

// ID is the lab's id prefix, "w01.basic".
func (l Lab) ID() string { return fmt.Sprintf("w%02d.%s", l.Week, l.Kind) }

// ReferenceDir is the folder of the lab's reference solution, "reference/week01/tcpack".
func (l Lab) ReferenceDir() string {
	return path.Join("reference", strings.TrimPrefix(l.Package, "weeks/"))
}

// MaxScore is the sum of the points of the lab's non-bonus checks.
func (l Lab) MaxScore() int {
	n := 0
	for _, c := range l.Checks {
		if !c.Bonus {
			n += c.Points
		}
	}
	return n
}

// Check is one graded behaviour.
type Check struct {
	// ID is "w<NN>.<kind>.<slug>", unique in the course.
	ID string
	// Name says in a few words what the check proves.
	Name string
	// Test is the test that decides the check: "TestExchange", or
	// "TestScripts/cli_exchange" for the testscript scenario testdata/cli_exchange.txtar.
	Test   string
	Points int
	// Timeout bounds the check's test process; zero means DefaultTimeout.
	Timeout time.Duration
	// Hint names the usual mistake behind a failure, in a sentence or two.
	Hint string
	// Bonus checks are the syllabus's "future extension": scored, shown, and
	// outside the lab's MaxScore.
	Bonus bool
	// Race checks exercise the lab concurrently: their test always runs in a
	// build with the race detector, and a data race it reports fails the
	// check, whatever else the test saw.
	Race bool
}

// Limit is the check's timeout.
func (c Check) Limit() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// RunPattern is the -test.run pattern that selects exactly the check's test.
func (c Check) RunPattern() string {
	parts := strings.Split(c.Test, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// Weeks is the course, in order.
func Weeks() []Week {
	return []Week{week01, week02, week03, week04}
}

// Find returns the week numbered n.
func Find(n int) (Week, bool) {
	for _, w := range Weeks() {
		if w.Number == n {
			return w, true
		}
	}
	return Week{}, false
}

var idPattern = regexp.MustCompile(`^w[0-9]{2}\.(basic|extra)\.[a-z0-9_]+$`)

// Validate reports the first inconsistency in the rubric: a malformed or repeated
// id, a check without points, test or hint, a lab without files.
func Validate(weeks []Week) error {
	seen := map[string]bool{}
	for _, w := range weeks {
		if len(w.Labs) != 2 || w.Labs[0].Kind != Basic || w.Labs[1].Kind != Extra {
			return fmt.Errorf("week %d: want a basic and an extra lab, in that order", w.Number)
		}
		for _, l := range w.Labs {
			if l.Week != w.Number {
				return fmt.Errorf("lab %s: Week = %d, want %d", l.Package, l.Week, w.Number)
			}
			if len(l.Files) == 0 || len(l.TestFiles) == 0 || len(l.Checks) == 0 {
				return fmt.Errorf("lab %s: needs files, test files and checks", l.ID())
			}
			for _, c := range l.Checks {
				switch {
				case !idPattern.MatchString(c.ID) || !strings.HasPrefix(c.ID, l.ID()+"."):
					return fmt.Errorf("check %q: id must look like %s.<slug>", c.ID, l.ID())
				case seen[c.ID]:
					return fmt.Errorf("check %q: id used twice", c.ID)
				case c.Points <= 0:
					return fmt.Errorf("check %s: points must be positive", c.ID)
				case c.Test == "" || c.Name == "" || c.Hint == "":
					return fmt.Errorf("check %s: needs a name, a test and a hint", c.ID)
				}
				seen[c.ID] = true
			}
		}
	}
	return nil
}
