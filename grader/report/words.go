package report

import (
	"fmt"
	"regexp"
	"strings"

	"netlabs/grader/result"
)

// statusWord is how reports name a status: "fail", "not run".
func statusWord(s result.Status) string {
	switch s {
	case result.StatusNotRun:
		return "not run"
	case result.StatusGraderError:
		return "grader error"
	}
	return string(s)
}

// labID is the prefix of a lab's check ids, "w01.basic".
func labID(w result.Week, l result.Lab) string {
	return fmt.Sprintf("w%02d.%s", w.Week, l.Lab)
}

// points is a check's "3/5".
func points(c result.Check) string {
	return fmt.Sprintf("%d/%d", c.Points, c.MaxPoints)
}

// score is "57/200".
func score(got, of int) string {
	return fmt.Sprintf("%d/%d", got, of)
}

// percent is "28.5%", or "" when there is nothing to score.
func percent(got, of int) string {
	if of <= 0 {
		return ""
	}
	return fmt.Sprintf("%.1f%%", 100*float64(got)/float64(of))
}

// duration is a check's time, "0.12s", or "-" for a check that did not run.
func duration(c result.Check) string {
	if c.DurationMS == 0 && c.Status != result.StatusPass {
		return "-"
	}
	return seconds(c.DurationMS)
}

// seconds formats milliseconds as "12.35s".
func seconds(ms int64) string {
	return fmt.Sprintf("%.2fs", float64(ms)/1000)
}

// repeatCommand is the command that repeats r with its seed; week > 0 and lab
// narrow it to one lab.
func repeatCommand(r *result.Run, week int, lab string) string {
	args := []string{"go run ./grader"}
	if week > 0 {
		args = append(args, fmt.Sprintf("-week %d -lab %s", week, lab))
	}
	if r.Impl != "" && r.Impl != "student" {
		args = append(args, "-impl "+r.Impl)
	}
	if r.Race {
		args = append(args, "-race")
	}
	args = append(args, fmt.Sprintf("-seed %d", r.Seed))
	return strings.Join(args, " ")
}

// needsFix reports whether a lab has anything to fix: a build error, a policy
// violation or a check that did not pass.
func needsFix(l result.Lab) bool {
	if l.BuildError != "" || len(l.Violations) > 0 {
		return true
	}
	for _, c := range l.Checks {
		if c.Status != result.StatusPass {
			return true
		}
	}
	return false
}

// runAlone is the command that runs check c's test alone with go test, in
// the lab's package pkg: "go test ./weeks/week02/sensors -run '^TestBigDatagram$' -v".
// It is "" when the check names no test.
func runAlone(pkg string, c result.Check) string {
	if c.Test == "" || pkg == "" {
		return ""
	}
	parts := strings.Split(c.Test, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return fmt.Sprintf("go test ./%s -run '%s' -v", pkg, strings.Join(parts, "/"))
}

// runAloneFor is runAlone for a student's run, and "" for the reference's,
// whose tests go test would not run against the reference.
func runAloneFor(r *result.Run, l result.Lab, c result.Check) string {
	if r.Impl == "reference" {
		return ""
	}
	return runAlone(l.Package, c)
}
