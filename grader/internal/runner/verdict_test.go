package runner

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"netlabs/grader/result"
)

// stream renders events as test2json lines.
func stream(t *testing.T, events ...event) [][]byte {
	t.Helper()
	var lines [][]byte
	for _, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, b)
	}
	return lines
}

func out(test, text string) event   { return event{Action: "output", Test: test, Output: text} }
func act(action, test string) event { return event{Action: action, Test: test} }

func TestDecide(t *testing.T) {
	tests := []struct {
		name    string
		test    string
		events  []event
		exitOK  bool
		killed  bool
		want    result.Status
		message string
	}{
		{"pass", "TestA", []event{act("run", "TestA"), act("pass", "TestA")}, true, false, result.StatusPass, ""},
		{"pass but process failed", "TestA", []event{act("run", "TestA"), act("pass", "TestA")}, false, false, result.StatusError, "process then failed"},
		{"fail with message", "TestA", []event{act("run", "TestA"), out("TestA", "    a_test.go:12: Send() = \"\", want \"ACK hi\"\n"), act("fail", "TestA")}, false, false, result.StatusFail, `a_test.go:12: Send() = "", want "ACK hi"`},
		{"subtest pass", "TestScripts/cli", []event{act("run", "TestScripts"), act("run", "TestScripts/cli"), act("pass", "TestScripts/cli"), act("pass", "TestScripts")}, true, false, result.StatusPass, ""},
		{"script fail line", "TestScripts/cli", []event{act("run", "TestScripts/cli"), out("TestScripts/cli", "        FAIL: testdata/cli.txtar:7: unexpected stdout\n"), act("fail", "TestScripts/cli")}, false, false, result.StatusFail, "FAIL: testdata/cli.txtar:7"},
		{"script stderr quoted", "TestScripts/cli", []event{act("run", "TestScripts/cli"),
			out("TestScripts/cli", "        testscript.go:609: WORK=$WORK\n"),
			out("TestScripts/cli", "            > exec ackclient hello\n"), out("TestScripts/cli", "            [stderr]\n"),
			out("TestScripts/cli", "            ackclient: not implemented\n"), out("TestScripts/cli", "            [exit status 1]\n"),
			out("TestScripts/cli", "            FAIL: testdata/cli.txtar:9: unexpected command failure\n"), act("fail", "TestScripts/cli")},
			false, false, result.StatusFail, "FAIL: testdata/cli.txtar:9: unexpected command failure\n  ackclient: not implemented"},
		{"labtest's own lines are no complaint", "TestA", []event{act("run", "TestA"),
			out("TestA", "    isolated.go:19: network: isolated (a network namespace with only lo)\n"),
			out("TestA", "    seed.go:40: seed 42 (repeat with NETLABS_SEED=42)\n"),
			out("TestA", "    a_test.go:9: got 1, want 2\n"), act("fail", "TestA")},
			false, false, result.StatusFail, "a_test.go:9: got 1, want 2"},
		{"leak", "TestA", []event{act("run", "TestA"), out("TestA", "    leaks.go:78: found unexpected goroutines:\n        [Goroutine 7 in state IO wait, with internal/poll.runtime_pollWait on top of the stack:\n"), act("fail", "TestA")}, false, false, result.StatusLeak, "internal/poll.runtime_pollWait"},
		{"a failed assertion and a leak is a failure", "TestA", []event{act("run", "TestA"), out("TestA", "    a_test.go:9: Serve returned early\n"), out("TestA", "    leak.go:20: found unexpected goroutines:\n        [Goroutine 7 in state IO wait, with internal/poll.runtime_pollWait on top of the stack:\n"), act("fail", "TestA")}, false, false, result.StatusFail, "a_test.go:9: Serve returned early"},
		{"program leak in a script", "TestScripts/x", []event{act("run", "TestScripts/x"), out("TestScripts/x", "LEAK: goroutines still running after the program returned\n"), act("fail", "TestScripts/x")}, false, false, result.StatusLeak, "still running"},
		{"timeout", "TestA", []event{act("run", "TestA"), out("TestA", "panic: test timed out after 2s\n")}, false, false, result.StatusTimeout, "test timed out after 2s"},
		{"killed", "TestA", []event{act("run", "TestA")}, false, true, result.StatusTimeout, "stopped"},
		{"crash in goroutine", "TestA", []event{act("run", "TestA"), out("TestA", "panic: boom\n\ngoroutine 9 [running]:\n")}, false, false, result.StatusError, "panic: boom"},
		{"exit mid-test", "TestA", []event{act("run", "TestA")}, true, false, result.StatusNotRun, "never reported"},
		{"never started", "TestA", nil, true, false, result.StatusNotRun, "never started"},
		{"skipped", "TestA", []event{act("run", "TestA"), out("TestA", "--- SKIP: TestA (0.00s)\n"), act("skip", "TestA")}, true, false, result.StatusNotRun, "skipped"},
		{"forged other test", "TestA", []event{act("run", "TestB"), act("pass", "TestB"), act("run", "TestA"), act("pass", "TestA")}, true, false, result.StatusError, "not asked to run"},
		{"data race", "TestA", []event{act("run", "TestA"), out("TestA", raceReport), out("TestA", "    testing.go:1712: race detected during execution of test\n"), act("fail", "TestA")},
			false, false, result.StatusFail, "data race: read at tcpack.go:118 in (*Server).handle, and write at tcpack.go:120 in (*Server).count in another goroutine"},
		{"pass of a parent only", "TestScripts/cli", []event{act("run", "TestScripts"), act("pass", "TestScripts")}, true, false, result.StatusNotRun, "never started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerdict(tt.test, 1<<10)
			for _, line := range stream(t, tt.events...) {
				v.add(line)
			}
			got, msg := v.decide(tt.exitOK, tt.killed)
			if got != tt.want || !strings.Contains(msg, tt.message) {
				t.Errorf("decide() = %s, %q; want %s, message containing %q", got, msg, tt.want, tt.message)
			}
		})
	}
}

func TestVerdictKeepsNonJSONLines(t *testing.T) {
	v := newVerdict("TestA", 1<<10)
	v.add([]byte("test2json: exit status 2"))
	if !strings.Contains(v.output.String(), "exit status 2") {
		t.Errorf("output = %q, want the raw line kept", v.output.String())
	}
}

func TestCaptureKeepsTheEnd(t *testing.T) {
	c := newCapture(10)
	c.WriteString("0123456789")
	c.WriteString("abcdef")
	got := c.String()
	if !strings.HasSuffix(got, "6789abcdef") || !strings.Contains(got, "[6 earlier bytes of output omitted]") {
		t.Errorf("String() = %q, want the last 10 bytes and a note of 6 omitted", got)
	}
}

func TestReadLinesCutsLongLines(t *testing.T) {
	long := strings.Repeat("x", maxEventLine+1000)
	var got []int
	readLines(strings.NewReader("a\n"+long+"\nb"), func(b []byte) { got = append(got, len(b)) })
	if len(got) != 3 || got[0] != 1 || got[1] > maxEventLine || got[2] != 1 {
		t.Errorf("line lengths = %v, want [1 <=%d 1]", got, maxEventLine)
	}
}

func TestMessageLeavesOutLabtestLines(t *testing.T) {
	v := newVerdict("TestA", 1<<10)
	for _, line := range stream(t, act("run", "TestA"),
		out("TestA", "    isolated.go:19: network: isolated (a network namespace with only lo)\n"),
		out("TestA", "    seed.go:40: seed 42 (repeat with NETLABS_SEED=42)\n"),
		out("TestA", "    a_test.go:9: got 1, want 2\n"), act("fail", "TestA")) {
		v.add(line)
	}
	if _, msg := v.decide(false, false); msg != "a_test.go:9: got 1, want 2" {
		t.Errorf("message = %q, want only the test's complaint", msg)
	}
}

// raceReport is a race detector's report as a race-enabled test binary
// prints it: the lab's frames sit under the test's and the runtime's.
const raceReport = `==================
WARNING: DATA RACE
Read at 0x00000097aef8 by goroutine 12:
  netlabs/weeks/week01/tcpack.(*Server).handle()
      /src/weeks/week01/tcpack/tcpack.go:118 +0x7d
  netlabs/weeks/week01/tcpack.(*Server).Serve.func2()
      /src/weeks/week01/tcpack/tcpack.go:109 +0x98

Previous write at 0x00000097aef8 by goroutine 11:
  sync/atomic.AddInt32()
      /usr/local/go/src/sync/atomic/doc.go:1 +0x1
  netlabs/weeks/week01/tcpack_test.helper()
      /src/weeks/week01/tcpack/tcpack_test.go:12 +0x1
  netlabs/weeks/week01/tcpack.(*Server).count()
      /src/weeks/week01/tcpack/tcpack.go:120 +0x98

Goroutine 12 (running) created at:
  sync.(*WaitGroup).Go()
      /usr/local/go/src/sync/waitgroup.go:238 +0x72
==================
`

func TestLeakSummaryInTheLabsTerms(t *testing.T) {
	tests := []struct {
		name, report, want string
	}{
		{"lab frame under the standard library", leakReport,
			"(*Server).handle at tcpack.go:71, waiting in net.(*conn).Read (IO wait), started by (*Server).Serve at tcpack.go:109"},
		{"no lab frame", `found unexpected goroutines:
        [Goroutine 3 in state chan receive, with netlabs/weeks/week01/tcpack_test.TestX.func1 on top of the stack:
        netlabs/weeks/week01/tcpack_test.TestX.func1()
        	/src/weeks/week01/tcpack/tcpack_test.go:23 +0x19
        created by netlabs/weeks/week01/tcpack_test.TestX in goroutine 23
        	/src/weeks/week01/tcpack/tcpack_test.go:23 +0x138
        ]`, "netlabs/weeks/week01/tcpack_test.TestX.func1 (chan receive)"},
		{"no report", "--- FAIL: TestX", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := leakSummary(tt.report); got != tt.want {
				t.Errorf("leakSummary() = %q\nwant %q", got, tt.want)
			}
		})
	}
}

// leakReport is goleak's report of a server goroutine blocked in a read, as
// a graded test prints it (indented by the testing package).
const leakReport = `    tcpack_test.go:24: found unexpected goroutines:
        [Goroutine 24 in state IO wait, with internal/poll.runtime_pollWait on top of the stack:
        internal/poll.runtime_pollWait(0x7f186cc33e00, 0x72)
        	/usr/local/go/src/runtime/netpoll.go:351 +0x85
        internal/poll.(*pollDesc).waitRead(...)
        	/usr/local/go/src/internal/poll/fd_poll_runtime.go:89
        internal/poll.(*FD).Read(0x29a846224000, {0x29a8461d00b0, 0xa, 0xa})
        	/usr/local/go/src/internal/poll/fd_unix.go:165 +0x2ae
        net.(*conn).Read(0x29a8461be028, {0x29a8461d00b0?, 0x4f4700?, 0x29a8462e2248?})
        	/usr/local/go/src/net/net.go:196 +0x45
        netlabs/weeks/week01/tcpack.(*Server).handle(0x29a846286a00, {0x5ea4d0?, 0x29a846286a00?})
        	/src/weeks/week01/tcpack/tcpack.go:71 +0x63
        netlabs/weeks/week01/tcpack.(*Server).Serve.func2()
        	/src/weeks/week01/tcpack/tcpack.go:109 +0x98
        created by netlabs/weeks/week01/tcpack.(*Server).Serve in goroutine 23
        	/src/weeks/week01/tcpack/tcpack.go:109 +0xb8
         Goroutine 3 in state chan receive, with leakdemo.TestLeak.func1 on top of the stack:
        leakdemo.TestLeak.func1()
        	/tmp/nl/leak/leak_test.go:23 +0x19
        ]`

func TestMessageIsWhole(t *testing.T) {
	tests := []struct {
		name   string
		test   string
		events []event
		want   string
	}{
		{"a multi-line complaint keeps its lines", "TestEncode", []event{act("run", "TestEncode"),
			out("TestEncode", "    wire_test.go:71: Encode({Sensor:1 Seq:1}) =\n"),
			out("TestEncode", "        got  01 00\n"),
			out("TestEncode", "        want 00 01\n"),
			act("fail", "TestEncode")},
			"wire_test.go:71: Encode({Sensor:1 Seq:1}) =\n    got  01 00\n    want 00 01"},
		{"passing subtests are left out, failing ones kept", "TestRelayLoss", []event{act("run", "TestRelayLoss"),
			act("run", "TestRelayLoss/seed_1"), out("TestRelayLoss/seed_1", "        relay_test.go:40: figures match: true\n"), act("pass", "TestRelayLoss/seed_1"),
			act("run", "TestRelayLoss/seed_2"), out("TestRelayLoss/seed_2", "        relay_test.go:40: figures match: false\n"),
			out("TestRelayLoss/seed_2", "        relay_test.go:44: Lost = 3, want 2\n"), act("fail", "TestRelayLoss/seed_2"),
			act("fail", "TestRelayLoss")},
			"relay_test.go:40: figures match: false\nrelay_test.go:44: Lost = 3, want 2"},
		{"the lab's log comes after the complaint, cut to a line", "TestExchange", []event{act("run", "TestExchange"),
			out("TestExchange", "    tcpack.go:168: reply to 127.0.0.1:4000: "+strings.Repeat("x", 300)+"\n"),
			out("TestExchange", "    tcpack_test.go:50: reply = \"ack hi\", want \"ACK hi\"\n"),
			act("fail", "TestExchange")},
			"tcpack_test.go:50: reply = \"ack hi\", want \"ACK hi\"\ntcpack.go:168: reply to 127.0.0.1:4000: " + strings.Repeat("x", 59) + "…"},
		{"a scenario quotes the failing command's stderr, not an earlier one's", "TestScripts/cli", []event{act("run", "TestScripts/cli"),
			out("TestScripts/cli", "        testscript.go:609: WORK=$WORK\n"),
			out("TestScripts/cli", "            > exec sensor -n 3\n"), out("TestScripts/cli", "            [stderr]\n"),
			out("TestScripts/cli", "            sensor: sent 3\n"),
			out("TestScripts/cli", "            > waitreport $WORK/report 5s\n"),
			out("TestScripts/cli", "            FAIL: testdata/cli.txtar:9: waitreport: after 5s $WORK/report holds \"\"\n"), act("fail", "TestScripts/cli")},
			"FAIL: testdata/cli.txtar:9: waitreport: after 5s $WORK/report holds \"\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerdict(tt.test, 1<<12)
			v.labFiles = []string{"tcpack.go"}
			for _, line := range stream(t, tt.events...) {
				v.add(line)
			}
			if _, msg := v.decide(false, false); msg != tt.want {
				t.Errorf("message =\n%s\nwant\n%s", msg, tt.want)
			}
		})
	}
}

func TestMessageIsBounded(t *testing.T) {
	events := []event{act("run", "TestA")}
	for i := range 100 {
		events = append(events, out("TestA", fmt.Sprintf("    a_test.go:%d: line %d\n", i, i)))
	}
	v := newVerdict("TestA", 1<<16)
	for _, line := range stream(t, append(events, act("fail", "TestA"))...) {
		v.add(line)
	}
	_, msg := v.decide(false, false)
	lines := strings.Split(msg, "\n")
	if len(lines) != maxMessageLines+1 || lines[maxMessageLines] != "(60 more lines; -v shows the whole output)" {
		t.Errorf("message has %d lines ending %q; want %d and a note of 60 cut", len(lines), lines[len(lines)-1], maxMessageLines+1)
	}
}
