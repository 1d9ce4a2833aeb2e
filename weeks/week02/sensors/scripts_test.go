package sensors_test

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"netlabs/grader/labtest"
	"netlabs/grader/netsim"
	"netlabs/weeks/week02/sensors"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"sensor":    labtest.Program(sensors.SensorMain),
		"collector": labtest.Program(sensors.CollectorMain),
	})
}

// TestScripts runs the scenarios in testdata with the real programs, each a
// check of its own: TestScripts/cli_relay is testdata/cli_relay.txtar.
func TestScripts(t *testing.T) {
	labtest.ScriptsWith(t, "testdata", map[string]func(*testscript.TestScript, bool, []string){
		"waitreport": cmdWaitReport,
		"truth":      cmdTruth,
	})
}

// cmdWaitReport is "waitreport FILE REGEXP": it waits (up to 5s) until a
// line of FILE, which the collector keeps with -report, matches REGEXP.
func cmdWaitReport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitreport FILE REGEXP")
	}
	re, err := regexp.Compile("(?m)" + args[1])
	ts.Check(err)
	var text string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		b, _ := os.ReadFile(ts.MkAbs(args[0]))
		if text = string(b); re.MatchString(text) {
			return
		}
	}
	ts.Fatalf("waitreport: after 5s %s holds\n%s\nwith no line matching %q", args[0], text, args[1])
}

// cmdTruth is "truth [-late D] FILE RELAY...": it waits (up to 5s) until the
// report in FILE, which the collector keeps with -report, agrees with the
// report worked out from the logs of the relays (each sensor behind one of
// them; -late defaults to 1s, the collector's default), then prints
// "truth: match: N sensors; relays read R, dropped D, ...".
func cmdTruth(ts *testscript.TestScript, neg bool, args []string) {
	const usage = "usage: truth [-late DURATION] FILE RELAY..."
	late := time.Second
	if len(args) > 0 && args[0] == "-late" {
		if len(args) < 2 {
			ts.Fatalf("%s", usage)
		}
		var err error
		late, err = time.ParseDuration(args[1])
		ts.Check(err)
		args = args[2:]
	}
	if neg || len(args) < 2 {
		ts.Fatalf("%s", usage)
	}
	var relays []*netsim.Relay
	var f netsim.Counters
	for _, name := range args[1:] {
		r := labtest.ScriptRelay(ts, name)
		relays = append(relays, r)
		s := r.Stats().Forward
		f.Packets, f.Dropped, f.Duplicated, f.Reordered, f.Corrupted, f.Sent = f.Packets+s.Packets, f.Dropped+s.Dropped,
			f.Duplicated+s.Duplicated, f.Reordered+s.Reordered, f.Corrupted+s.Corrupted, f.Sent+s.Sent
	}
	want := expect(late, relays...)
	var diff, text string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		b, _ := os.ReadFile(ts.MkAbs(args[0]))
		text = string(b)
		got, err := parseReport(text)
		if err != nil {
			diff = err.Error()
			continue
		}
		// The program prints the mean rounded to hundredths of a degree.
		if diff = compareTol(got, want, 0.5+1e-6); diff == "" {
			fmt.Fprintf(ts.Stdout(), "truth: match: %d sensors; relays read %d, dropped %d, duplicated %d, held back %d, corrupted %d, sent %d\n",
				len(want.Sensors), f.Packets, f.Dropped, f.Duplicated, f.Reordered, f.Corrupted, f.Sent)
			return
		}
	}
	ts.Fatalf("truth: after 5s the collector's report\n%s\ndiffers from the relays' ground truth:\n%s", text, diff)
}

var (
	sensorLine    = regexp.MustCompile(`^sensor (\d+): received (\d+) lost (-?\d+) duplicates (\d+) reordered (\d+) late (\d+) highest (\d+) latest (-?\d+)\.(\d\d) mean (-?\d+\.\d\d)$`)
	malformedLine = regexp.MustCompile(`^malformed (\d+)$`)
)

// parseReport reads the collector program's report.
func parseReport(text string) (sensors.Report, error) {
	var rep sensors.Report
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) == 0 || !malformedLine.MatchString(lines[len(lines)-1]) {
		return rep, fmt.Errorf("no final line \"malformed N\" in %q", text)
	}
	rep.Malformed, _ = strconv.Atoi(malformedLine.FindStringSubmatch(lines[len(lines)-1])[1])
	for _, l := range lines[:len(lines)-1] {
		m := sensorLine.FindStringSubmatch(l)
		if m == nil {
			return rep, fmt.Errorf("line %q: not a sensor line", l)
		}
		n := make([]int64, 8)
		for i := range n {
			n[i], _ = strconv.ParseInt(m[i+1], 10, 64)
		}
		frac, _ := strconv.ParseInt(m[9], 10, 64)
		latest := n[7]*100 + frac
		if strings.HasPrefix(m[8], "-") {
			latest = n[7]*100 - frac
		}
		mean, _ := strconv.ParseFloat(m[10], 64)
		rep.Sensors = append(rep.Sensors, sensors.SensorReport{ID: uint32(n[0]), Received: int(n[1]), Lost: int(n[2]), Duplicates: int(n[3]),
			Reordered: int(n[4]), Late: int(n[5]), Highest: uint32(n[6]), Latest: int32(latest), Mean: mean * 100})
	}
	return rep, nil
}
