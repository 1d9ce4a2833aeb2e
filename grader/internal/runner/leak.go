package runner

import (
	"path"
	"regexp"
	"strings"
)

// goroutineHeader opens each goroutine of a goleak report:
// "[Goroutine 7 in state IO wait, with net.(*conn).Read on top of the stack:".
var goroutineHeader = regexp.MustCompile(`Goroutine \d+ in state ([^,]+), with (\S+) on top of the stack:`)

// leakSummary names the first leaked goroutine of a goleak report in the
// lab's terms: the first frame of the lab's own code, what it waits in, and
// where it was started:
//
//	(*Server).handle at tcpack.go:71, waiting in net.(*conn).Read (IO wait), started by (*Server).Serve at tcpack.go:109
//
// It falls back to the function on top of the stack when no frame is the
// lab's, and returns "" when out holds no goleak report.
func leakSummary(out string) string {
	loc := goroutineHeader.FindStringSubmatchIndex(out)
	if loc == nil {
		return ""
	}
	state, top := out[loc[2]:loc[3]], out[loc[4]:loc[5]]
	rest := out[loc[1]:]
	if next := goroutineHeader.FindStringIndex(rest); next != nil {
		rest = rest[:next[0]]
	}
	var frames []frame
	var created frame
	lines := strings.Split(rest, "\n")
	for k := 0; k+1 < len(lines); k++ {
		fn := strings.TrimSpace(lines[k])
		file := strings.TrimSpace(lines[k+1])
		if fn == "" || !strings.Contains(file, ".go:") {
			continue
		}
		file, _, _ = strings.Cut(file, " ")
		f := frame{fn: fn, file: file}
		if by, ok := strings.CutPrefix(fn, "created by "); ok {
			by, _, _ = strings.Cut(by, " in goroutine")
			f.fn = by
			created = f
			break
		}
		frames = append(frames, f)
		k++
	}
	mine := -1
	for i, f := range frames {
		if f.lab() {
			mine = i
			break
		}
	}
	if mine < 0 {
		return top + " (" + state + ")"
	}
	s := frames[mine].String()
	if mine > 0 {
		s += ", waiting in " + qualified(frames[mine-1].fn) + " (" + state + ")"
	} else {
		s += " (" + state + ")"
	}
	if created.fn != "" && created.lab() {
		s += ", started by " + created.String()
	}
	return s
}

// frame is one function of a goroutine's stack and its file:line.
type frame struct{ fn, file string }

// lab reports whether the frame is the lab's own code: a package under
// weeks/, not a test file.
func (f frame) lab() bool {
	name, _, _ := strings.Cut(f.file, ":")
	return strings.HasPrefix(f.fn, "netlabs/weeks/") && !strings.HasSuffix(name, "_test.go")
}

// String is "(*Server).handle at tcpack.go:71".
func (f frame) String() string {
	return shortFunc(stripArgs(f.fn)) + " at " + path.Base(f.file)
}

// stripArgs cuts the argument list off a stack frame's function line:
// "net.(*conn).Read(0xc000010000, {0x1, 0x2})" becomes "net.(*conn).Read".
func stripArgs(fn string) string {
	if strings.HasSuffix(fn, ")") {
		if i := strings.LastIndex(fn, "("); i > 0 {
			return fn[:i]
		}
	}
	return fn
}

// qualified is a frame's function with its package's last path element:
// "internal/poll.(*FD).Read(...)" becomes "poll.(*FD).Read".
func qualified(fn string) string {
	fn = stripArgs(fn)
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}
