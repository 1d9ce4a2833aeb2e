package runner

import (
	"encoding/json"
	"regexp"
	"strings"

	"netlabs/grader/result"
)

// event is one line of test2json output (go doc cmd/test2json).
type event struct {
	Action  string
	Test    string
	Output  string
	Elapsed float64
}

// verdict accumulates the events of one check's test process and decides the
// check's status. A check passes only on an explicit pass event of its own test
// in a process that exited cleanly and reported no test it was not asked to run.
type verdict struct {
	test    string // the check's test, "TestX" or "TestScripts/name"
	started bool   // saw "run" for test
	final   string // "pass", "fail", "skip", or "" (no terminal event)
	foreign string // a test outside the check's test and its subtests
	output  *capture
	// complaints are what the test said when it failed (complaint.go); cur
	// is the one that following deeper-indented lines continue.
	complaints []*complaint
	cur        *complaint
	passed     map[string]bool // subtests that passed: their lines are no complaint
	labFiles   []string        // the lab's source files, whose log lines come last
	skipped    string
	// stderr is the latest "[stderr]" block of a testscript log: what the
	// failing command said, quoted with the FAIL line that follows it.
	stderr   []string
	inStderr bool
}

func newVerdict(test string, outputLimit int) *verdict {
	return &verdict{test: test, output: newCapture(outputLimit), passed: map[string]bool{}}
}

// ours reports whether name is the check's test, one of its parents, or one of
// its subtests: everything a -test.run pattern for the check may start.
func (v *verdict) ours(name string) bool {
	return name == "" || name == v.test ||
		strings.HasPrefix(v.test, name+"/") || strings.HasPrefix(name, v.test+"/")
}

var (
	logLine    = regexp.MustCompile(`^\s+\S+\.go:\d+: `)
	scriptFail = regexp.MustCompile(`^\s*FAIL: `)
	workLine   = regexp.MustCompile(`testscript\.go:\d+: WORK=`)
	// Lines labtest logs in every test: the seed, and how the network is
	// isolated. Reports say both already; neither is a complaint.
	seedLine = regexp.MustCompile(`\.go:\d+: (seed \d+ \(repeat with NETLABS_SEED=\d+\)|network: .*)$`)
)

// add takes one line of test2json output. Lines that are not JSON events
// (test2json's own complaints) are kept as output.
func (v *verdict) add(line []byte) {
	var e event
	if err := json.Unmarshal(line, &e); err != nil {
		v.output.WriteString(string(line) + "\n")
		return
	}
	if !v.ours(e.Test) && e.Action != "output" && v.foreign == "" {
		v.foreign = e.Test
	}
	switch e.Action {
	case "output":
		if !v.ours(e.Test) {
			return
		}
		v.output.WriteString(e.Output)
		out := strings.TrimRight(e.Output, "\n")
		v.scriptStderr(out)
		switch {
		case scriptFail.MatchString(out):
			c := newComplaint(e.Test, out, nil)
			for _, l := range v.stderr {
				c.lines = append(c.lines, "  "+l)
			}
			v.complaints = append(v.complaints, c)
			v.cur = nil
		// labtest's seed and network lines are in every report already, and
		// testscript's WORK line (the whole script log) says nothing more than
		// its FAIL line.
		case logLine.MatchString(out) && (seedLine.MatchString(out) || workLine.MatchString(out)):
			v.cur = nil
		case logLine.MatchString(out):
			v.cur = newComplaint(e.Test, out, v.labFiles)
			v.complaints = append(v.complaints, v.cur)
		case v.cur.continues(e.Test, out):
			v.cur.add(out)
		default:
			v.cur = nil
		}
		if e.Test == v.test && strings.Contains(out, "--- SKIP") {
			v.skipped = out
		}
	case "run":
		if e.Test == v.test {
			v.started = true
		}
	case "pass", "fail", "skip":
		if e.Test == v.test {
			v.final = e.Action
		}
		if e.Action == "pass" && e.Test != "" {
			v.passed[e.Test] = true
		}
	}
}

// scriptStderr follows testscript's log: the lines between "[stderr]" and
// the next marker are what the last command wrote on stderr (at most 3 kept).
func (v *verdict) scriptStderr(line string) {
	t := strings.TrimSpace(line)
	switch {
	case t == "[stderr]":
		v.inStderr, v.stderr = true, nil
	case strings.HasPrefix(t, "> "):
		// A new command: an earlier command's stderr is not its output.
		v.inStderr, v.stderr = false, nil
	case strings.HasPrefix(t, "[") || strings.HasPrefix(t, "#") || scriptFail.MatchString(t):
		v.inStderr = false
	case v.inStderr && t != "" && len(v.stderr) < 3:
		v.stderr = append(v.stderr, t)
	}
}

// Markers in a test's output that name why it failed.
const (
	markTimeout  = "panic: test timed out after"
	markLeakTest = "found unexpected goroutines"
	markLeakProg = "LEAK: goroutines still running"
	markPanic    = "panic: "
)

// decide returns the check's status and a one-paragraph message. exitOK says
// whether the test process exited with status 0; killed, whether the grader
// had to kill it at its hard deadline.
func (v *verdict) decide(exitOK, killed bool) (result.Status, string) {
	out := v.output.String()
	switch {
	case v.foreign != "":
		return result.StatusError, "the test binary reported a result for " + quote(v.foreign) +
			", which it was not asked to run: results are being forged or the graded tests were changed"
	case killed:
		return result.StatusTimeout, "the test did not finish and was stopped: something blocks forever (a read, an Accept, a channel, a lock); set deadlines and close what you start"
	case strings.Contains(out, markTimeout):
		return result.StatusTimeout, "the test ran out of time: " + firstLine(out, markTimeout) + "; something blocks forever (a read, an Accept, a channel, a lock)"
	case v.final == "pass" && exitOK:
		return result.StatusPass, ""
	case v.final == "pass":
		return result.StatusError, "the test passed but its process then failed: " + v.summary(out)
	case v.final == "skip":
		return result.StatusNotRun, "the test was skipped: " + strings.TrimSpace(v.skipped)
	case v.final == "fail" && v.onlyLeaked(out):
		return result.StatusLeak, "goroutines were still running after the test ended: " + v.leakTop(out)
	case v.final == "fail" && strings.Contains(out, markRace):
		return result.StatusFail, "data race: " + raceSummary(out)
	case v.final == "fail":
		return result.StatusFail, v.summary(out)
	case v.started && strings.Contains(out, markPanic):
		return result.StatusError, "the test crashed: " + firstLine(out, markPanic)
	case v.started:
		return result.StatusNotRun, "the test started but never reported a result (the process exited in the middle of it)"
	default:
		return result.StatusNotRun, "the test never started: the test binary exited before running it"
	}
}

// onlyLeaked reports whether the test's one complaint is a goroutine leak.
// A test that also failed an assertion is a plain failure: whether its
// goroutines had ended by the time the leak check looked is a matter of
// timing, and the same code must always get the same verdict.
func (v *verdict) onlyLeaked(out string) bool {
	if !strings.Contains(out, markLeakTest) && !strings.Contains(out, markLeakProg) {
		return false
	}
	for _, c := range v.complaints {
		if f := c.lines[0]; !c.lab && !strings.Contains(f, markLeakTest) && !strings.Contains(f, "LEAK") {
			return false
		}
	}
	return true
}

// summary is the test's complaints (see message), or the end of its output
// when it said nothing recognisable.
func (v *verdict) summary(out string) string {
	if m := message(v.complaints, v.passed); m != "" {
		return m
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.Join(lines[max(0, len(lines)-5):], "\n")
}

// leakTop names the first leaked goroutine in the lab's terms (leakSummary).
func (v *verdict) leakTop(out string) string {
	const fix = "make Close/Shutdown stop and wait for every goroutine it started"
	if s := leakSummary(out); s != "" {
		return s + "; " + fix
	}
	return fix
}

func firstLine(out, prefix string) string {
	i := strings.Index(out, prefix)
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(out[i:], "\n")
	return strings.TrimSpace(line)
}

func quote(s string) string { return "\"" + s + "\"" }
