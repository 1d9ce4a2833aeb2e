package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"netlabs/grader/result"
)

func init() { register("junit", JUnit) }

// Limits of the output in a JUnit failure: more than a scorecard shows, since
// CI tools fold it, yet bounded.
const (
	junitLines = 100
	junitBytes = 8 << 10
)

// The JUnit XML elements, in the shape gotestsum and most CI tools use.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Timestamp  string          `xml:"timestamp,attr,omitempty"`
		Properties []junitProperty `xml:"properties>property"`
		Cases      []junitCase     `xml:"testcase"`
		SystemErr  *junitText      `xml:"system-err"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Classname string        `xml:"classname,attr"`
		Name      string        `xml:"name,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitProblem `xml:"failure"`
		Error     *junitProblem `xml:"error"`
		SystemOut *junitText    `xml:"system-out"` // a flaky check's note
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",cdata"`
	}
	// junitText is text kept as CDATA, so that its lines stay lines.
	junitText struct {
		Text string `xml:",cdata"`
	}
)

// JUnit writes r as JUnit XML: a <testsuites> with the run's counts and time;
// per lab a <testsuite> named by its id prefix and package, with the run's
// seed, impl, Go version and sandbox as properties; per check a <testcase>
// with classname the lab's package and name the check's id. A fail or a leak
// is a <failure>, an error, a timeout or a check that never ran an <error>;
// either has the message as attribute and the message, hint and end of the
// output as text. Text from student code is cleaned of anything XML forbids,
// so the file parses whatever the output held.
func JUnit(w io.Writer, r *result.Run) error {
	doc := junitSuites{Name: "netlabs", Time: junitSeconds(r.DurationMS)}
	// Every string from the run goes through clean or oneLine: even the
	// grader's own fields may quote student code.
	for _, wk := range r.Weeks {
		for _, l := range wk.Labs {
			s := junitLab(r, wk, l)
			doc.Tests += s.Tests
			doc.Failures += s.Failures
			doc.Errors += s.Errors
			doc.Suites = append(doc.Suites, s)
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitLab(r *result.Run, wk result.Week, l result.Lab) junitSuite {
	s := junitSuite{
		Name:      labID(wk, l) + " " + oneLine(l.Package),
		Timestamp: oneLine(r.StartedAt),
		Properties: []junitProperty{
			{"seed", fmt.Sprint(r.Seed)},
			{"impl", oneLine(r.Impl)},
			{"go.version", oneLine(r.GoVersion)},
			{"sandbox", oneLine(r.Sandbox)},
		},
	}
	var ms int64
	for _, c := range l.Checks {
		ms += c.DurationMS
		tc := junitCase{Classname: oneLine(l.Package), Name: oneLine(c.ID), Time: junitSeconds(c.DurationMS)}
		if c.Flaky {
			tc.SystemOut = &junitText{Text: "flaky: passed when run again after a grader error"}
		}
		switch c.Status {
		case result.StatusPass:
		case result.StatusFail, result.StatusLeak:
			tc.Failure = junitFault(l, c)
			s.Failures++
		default:
			tc.Error = junitFault(l, c)
			s.Errors++
		}
		s.Tests++
		s.Cases = append(s.Cases, tc)
	}
	s.Time = junitSeconds(ms)
	if problems := labProblems(l); problems != "" {
		s.SystemErr = &junitText{problems + "\n"}
	}
	return s
}

// junitFault is the <failure> or <error> of a check that did not pass.
func junitFault(l result.Lab, c result.Check) *junitProblem {
	msg := oneLine(c.Message)
	if msg == "" {
		msg = statusWord(c.Status)
	}
	parts := []string{fmt.Sprintf("%s: %s (%s, %s points)", oneLine(c.ID), oneLine(c.Name), statusWord(c.Status), points(c))}
	if m := strings.TrimSpace(clean(c.Message)); m != "" {
		parts = append(parts, m)
	}
	out := c.Output
	if l.BuildError != "" && c.Status == result.StatusError {
		out = "" // the build error says it all; the hint is beside the point
	} else if h := strings.TrimSpace(clean(c.Hint)); h != "" {
		parts = append(parts, "Hint: "+h)
	}
	if c.Status == result.StatusError {
		if problems := labProblems(l); problems != "" {
			parts = append(parts, problems)
		}
	}
	if e := tail(out, junitLines, junitBytes); e.Total > 0 {
		head := "Output:"
		if e.Cut() {
			head = fmt.Sprintf("Output, last %d of %d lines:", e.Shown, e.Total)
		}
		parts = append(parts, head+"\n"+e.Text)
	}
	return &junitProblem{Message: msg, Type: string(c.Status), Text: strings.Join(parts, "\n\n") + "\n"}
}

// labProblems is the build error and the policy violations of a lab, the
// reasons its checks may all be errors.
func labProblems(l result.Lab) string {
	var parts []string
	if e := tail(l.BuildError, junitLines, junitBytes); e.Total > 0 {
		parts = append(parts, "Does not build:\n"+e.Text)
	}
	if len(l.Violations) > 0 {
		lines := []string{"Policy violations:"}
		for _, v := range l.Violations {
			lines = append(lines, fmt.Sprintf("%s:%d %s: %s", oneLine(v.File), v.Line, oneLine(v.Rule), oneLine(v.Why)))
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n\n")
}

func junitSeconds(ms int64) string {
	return fmt.Sprintf("%.3f", float64(ms)/1000)
}
