package runner

import (
	"path"
	"regexp"
	"strings"
)

// markRace opens each report of the race detector in a test's output.
const markRace = "WARNING: DATA RACE"

// raceAccess is the first line of each of the two accesses in a race report:
// "Read at 0x00c000012345 by goroutine 7:", "Previous write at ...".
var raceAccess = regexp.MustCompile(`^(?:Previous )?((?:[Aa]tomic )?(?:read|write|Read|Write)) at 0x[0-9a-f]+ by (?:goroutine \d+|main goroutine):$`)

// raceSummary names the two accesses of the first data race in out, each by
// the first frame in the lab's own code (not a test file, not the standard
// library): "read at tcpack.go:118 in (*Server).handle". It returns "" when
// out holds no race report.
func raceSummary(out string) string {
	i := strings.Index(out, markRace)
	if i < 0 {
		return ""
	}
	lines := strings.Split(out[i:], "\n")
	var accesses []string
	for k := 1; k < len(lines) && len(accesses) < 2; k++ {
		m := raceAccess.FindStringSubmatch(strings.TrimSpace(lines[k]))
		if m == nil {
			continue
		}
		accesses = append(accesses, strings.ToLower(m[1])+" "+raceFrame(lines[k+1:]))
	}
	if len(accesses) < 2 {
		return "the race detector reported a data race (-v shows its report)"
	}
	return accesses[0] + ", and " + accesses[1] + " in another goroutine, with nothing ordering the two (a mutex, a channel, a WaitGroup.Wait)"
}

// raceFrame picks, from the stack that follows an access line (pairs of a
// function line and an indented file:line), the first frame of the lab's own
// code, else the first frame, as "at file.go:N in Func".
func raceFrame(lines []string) string {
	var first string
	for k := 0; k+1 < len(lines); k += 2 {
		fn, file := strings.TrimSpace(lines[k]), strings.TrimSpace(lines[k+1])
		if fn == "" || !strings.HasSuffix(fn, ")") {
			break // the end of this stack
		}
		file, _, _ = strings.Cut(file, " ")
		where := "at " + path.Base(file) + " in " + shortFunc(fn)
		if first == "" {
			first = where
		}
		if strings.HasPrefix(fn, "netlabs/weeks/") && !strings.HasSuffix(strings.SplitN(file, ":", 2)[0], "_test.go") {
			return where
		}
	}
	if first == "" {
		return "(no stack)"
	}
	return first
}

// shortFunc turns "netlabs/weeks/week01/tcpack.(*Server).handle()" into
// "(*Server).handle".
func shortFunc(fn string) string {
	fn = strings.TrimSuffix(fn, "()")
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	if _, rest, ok := strings.Cut(fn, "."); ok {
		return rest
	}
	return fn
}
