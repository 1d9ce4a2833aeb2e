// Package runner runs one graded check: the check's test, alone, in a child
// process, converted by test2json and judged by its own events.
//
// The grader never links student code. A lab's tests are compiled once into a
// test binary (package build); the runner starts that binary once per check with
// -test.run selecting exactly the check's test, inside a fresh network namespace
// when one can be made (package sandbox), with its own temporary directory and a
// hard deadline. A panic, an os.Exit, a hang or a flood of output in student code
// ends that process only; the check gets a verdict and the others run on.
package runner

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"time"

	"netlabs/grader/course"
	"netlabs/grader/result"
	"netlabs/grader/sandbox"
)

// OutputLimit caps the output kept per check; the rest is counted and dropped.
const OutputLimit = 64 << 10

// maxEventLine caps one test2json line; a longer line is cut.
const maxEventLine = 256 << 10

// grace is how long past a check's timeout the grader waits before it kills the
// process; by then the test binary's own -test.timeout should have fired.
const grace = 5 * time.Second

// Runner runs checks of compiled test binaries.
type Runner struct {
	Test2JSON string // path of the test2json binary
	Seed      uint64
	// Sandboxed runs every test process in a fresh network namespace.
	Sandboxed bool
	// SandboxNote is passed as NETLABS_SANDBOX when Sandboxed is false: why not.
	SandboxNote string
	// HostNetwork lets tests that need broadcast or multicast run without a sandbox.
	HostNetwork bool
	// Timeout, when positive, caps every check's own time limit.
	Timeout time.Duration
}

// Binary is a compiled lab: its test binary and the folder its tests run in.
type Binary struct {
	Path    string // the test binary
	Dir     string // the package's folder, the tests' working directory
	Package string // import path, for test2json's events
	// LabFiles are the names of the lab's own source files ("tcpack.go"):
	// lines the tests log from them are the lab's log, quoted after the
	// tests' complaints.
	LabFiles []string
}

// command builds the process for args, in a sandbox if the runner has one.
func (r *Runner) command(b Binary, tmp string, args ...string) (*exec.Cmd, error) {
	var cmd *exec.Cmd
	if r.Sandboxed {
		c, err := sandbox.Command(args[0], args[1:]...)
		if err != nil {
			return nil, err
		}
		cmd = c
	} else {
		cmd = exec.Command(args[0], args[1:]...)
		newProcessGroup(cmd)
	}
	cmd.Dir = b.Dir
	// The test process gets a minimal environment, not the grader's: no CI
	// tokens, no GOFLAGS, nothing that changes a test's behaviour.
	cmd.Env = append(sandbox.Marker(cmd.Env), r.env(tmp)...)
	return cmd, nil
}

// env is the test process's environment: enough to run, nothing secret.
func (r *Runner) env(tmp string) []string {
	env := []string{
		"TMPDIR=" + tmp,
		"HOME=" + tmp,
		"NETLABS_SEED=" + strconv.FormatUint(r.Seed, 10),
		"GOTRACEBACK=all",
	}
	for _, k := range []string{"PATH", "LANG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	// A race-enabled binary sleeps a second at exit unless told not to;
	// testscript passes GORACE on to the programs a scenario runs.
	if v, ok := os.LookupEnv("GORACE"); ok {
		env = append(env, "GORACE="+v)
	} else {
		env = append(env, "GORACE=atexit_sleep_ms=0")
	}
	if !r.Sandboxed {
		env = append(env, "NETLABS_SANDBOX="+r.SandboxNote)
		if r.HostNetwork {
			env = append(env, "NETLABS_HOST_NETWORK=1")
		}
	}
	return env
}

// NewCheck is check c's result before it has a verdict: every result.Check
// of a run starts here.
func NewCheck(c course.Check) result.Check {
	return result.Check{ID: c.ID, Name: c.Name, Test: c.Test, MaxPoints: c.Points, Bonus: c.Bonus}
}

// Run runs check c of binary b and returns its result.
func (r *Runner) Run(ctx context.Context, b Binary, c course.Check) (res result.Check) {
	res = NewCheck(c)
	start := time.Now()
	defer func() { res.DurationMS = time.Since(start).Milliseconds() }()

	tmp, err := os.MkdirTemp("", "netlabs-check-")
	if err != nil {
		res.Status, res.Message = result.StatusError, "grader: "+err.Error()
		return res
	}
	defer os.RemoveAll(tmp)

	limit := c.Limit()
	if r.Timeout > 0 {
		limit = min(limit, r.Timeout)
	}
	v := newVerdict(c.Test, OutputLimit)
	v.labFiles = b.LabFiles
	// -test.paniconexit0 is what go test passes too: os.Exit(0) during a test
	// panics instead of ending the process "successfully".
	p, err := r.exec(ctx, b, tmp, limit+grace, v,
		b.Path, "-test.v=test2json", "-test.paniconexit0", "-test.run="+c.RunPattern(), "-test.count=1",
		"-test.timeout="+limit.String())
	switch {
	case err != nil:
		res.Status, res.Message = result.StatusGraderError, "grader: "+err.Error()
	case p.signal != "" && !p.fired:
		// Nothing in the lab can send a signal (the policy sees to that), and
		// the grader sent none: something outside killed the test.
		res.Status, res.Message = result.StatusGraderError, "grader: the test process was killed by a signal the grader did not send ("+p.signal+"): another program, or the machine ran out of memory"
	default:
		res.Status, res.Message = v.decide(p.exitOK, p.killed)
	}
	if res.Status == result.StatusPass {
		res.Points = c.Points
	} else {
		res.Hint = c.Hint
		res.Output = v.output.String()
	}
	return res
}

// process is how a test process ended.
type process struct {
	exitOK bool   // it exited with status 0
	fired  bool   // the grader killed it (its deadline passed, or ctx ended)
	killed bool   // the grader killed it because its deadline passed
	signal string // the signal that ended it, if one did
}

// exec runs the test binary (args) with a hard deadline, its output converted
// by test2json and fed to v line by line. The test binary is started here,
// not by test2json, so that the grader sees how it ended: an exit status, or
// a signal, and who sent it. The grader kills the whole process group when the
// deadline passes or ctx ends.
func (r *Runner) exec(ctx context.Context, b Binary, tmp string, deadline time.Duration, v *verdict, args ...string) (process, error) {
	var p process
	test, err := r.command(b, tmp, args...)
	if err != nil {
		return p, err
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return p, err
	}
	defer pr.Close()
	defer pw.Close()
	test.Stdout, test.Stderr = pw, pw
	conv := exec.Command(r.Test2JSON, "-p", b.Package)
	conv.Stdin = pr
	conv.Env = []string{}
	events, err := conv.StdoutPipe()
	if err != nil {
		return p, err
	}
	var stderr bytes.Buffer
	conv.Stderr = &limitWriter{w: &stderr, n: 8 << 10}
	if err := conv.Start(); err != nil {
		return p, fmt.Errorf("start test2json: %w", err)
	}
	if err := test.Start(); err != nil {
		pw.Close()
		conv.Wait()
		return p, fmt.Errorf("start %s: %w", args[0], err)
	}
	// The children hold their own ends of the pipe now: test2json ends when
	// the test and everything it started have closed theirs.
	pw.Close()
	pr.Close()
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	var fired atomic.Bool
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(done)
		fired.Store(true)
		killProcessGroup(test)
	})
	readLines(events, v.add)
	waitErr := test.Wait()
	convErr := conv.Wait()
	if !stop() {
		<-done // the kill ran: let it finish before reading fired
	}
	p.fired = fired.Load()
	p.killed = p.fired && ctx.Err() == context.DeadlineExceeded
	// Whatever the test started and left behind goes with it.
	killProcessGroup(test)
	if stderr.Len() > 0 {
		v.output.WriteString(stderr.String())
	}
	var exitErr *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exitErr) {
		return p, waitErr
	}
	if convErr != nil {
		return p, fmt.Errorf("test2json: %w", convErr)
	}
	p.exitOK = waitErr == nil
	p.signal = signalOf(test.ProcessState)
	return p, nil
}

// readLines calls f with each line of rd, cutting lines longer than
// maxEventLine, until rd ends.
func readLines(rd io.Reader, f func([]byte)) {
	br := bufio.NewReaderSize(rd, 64<<10)
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) <= maxEventLine {
			line = append(line, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if len(line) > 0 {
			f(bytes.TrimRight(line, "\n"))
		}
		line = line[:0]
		if err != nil {
			return
		}
	}
}

// limitWriter keeps the first n bytes written to it and discards the rest.
type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
