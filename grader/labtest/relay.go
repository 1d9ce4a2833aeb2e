package labtest

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"netlabs/grader/netsim"
)

// DefaultCapture is how many bytes of each packet a script's relay keeps in
// its log unless -capture says otherwise: enough for the lab commands that
// check a program's figures against the relay's ground truth.
const DefaultCapture = 512

// relays holds each running script's relays by name.
var relays sync.Map // *testscript.TestScript -> map[string]*netsim.Relay

func scriptRelays(ts *testscript.TestScript) map[string]*netsim.Relay {
	m, loaded := relays.LoadOrStore(ts, map[string]*netsim.Relay{})
	if !loaded {
		ts.Defer(func() {
			for _, r := range m.(map[string]*netsim.Relay) {
				r.Close()
			}
			relays.Delete(ts)
		})
	}
	return m.(map[string]*netsim.Relay)
}

// ScriptRelay returns the relay that the script started as name with the
// relay command, for a lab's own script commands that compare a program's
// output with the relay's ground truth. It fails the script when there is
// none.
func ScriptRelay(ts *testscript.TestScript, name string) *netsim.Relay {
	r, ok := scriptRelays(ts)[name]
	if !ok {
		ts.Fatalf("no relay %q: start it with the relay command first", name)
	}
	return r
}

const relayUsage = "usage: relay NAME -to ADDR [-drop P] [-dup P] [-delay D] [-jitter D] [-reorder P] [-reorder-delay D] [-corrupt P] [-rate BYTES_PER_S] [-seed N] [-capture BYTES] [-forward|-both]"

// cmdRelay starts a netsim relay in the test process and sets $NAME to its
// address. It is closed when the script ends.
func cmdRelay(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "relay")
	if len(args) < 1 || strings.HasPrefix(args[0], "-") {
		ts.Fatalf("%s", relayUsage)
	}
	name := args[0]
	fs := flag.NewFlagSet("relay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		m       netsim.Impairment
		to      = fs.String("to", "", "")
		seed    = fs.String("seed", "", "")
		capture = fs.Int("capture", DefaultCapture, "")
		both    = fs.Bool("both", false, "")
		forward = fs.Bool("forward", false, "")
	)
	fs.Float64Var(&m.Drop, "drop", 0, "")
	fs.Float64Var(&m.Duplicate, "dup", 0, "")
	fs.DurationVar(&m.Delay, "delay", 0, "")
	fs.DurationVar(&m.Jitter, "jitter", 0, "")
	fs.Float64Var(&m.Reorder, "reorder", 0, "")
	fs.DurationVar(&m.ReorderDelay, "reorder-delay", 0, "")
	fs.Float64Var(&m.Corrupt, "corrupt", 0, "")
	fs.IntVar(&m.Rate, "rate", 0, "")
	if err := fs.Parse(args[1:]); err != nil {
		ts.Fatalf("relay: %v\n%s", err, relayUsage)
	}
	switch {
	case fs.NArg() > 0:
		ts.Fatalf("relay: unexpected argument %q\n%s", fs.Arg(0), relayUsage)
	case *to == "":
		ts.Fatalf("relay: -to is required\n%s", relayUsage)
	case *both && *forward:
		ts.Fatalf("relay: -both and -forward exclude each other")
	}
	if *seed == "" {
		*seed = ts.Getenv(EnvSeed)
	}
	s, err := strconv.ParseUint(*seed, 10, 64)
	if err != nil {
		ts.Fatalf("relay: seed %q (from -seed or $%s): want a non-negative integer", *seed, EnvSeed)
	}
	cfg := netsim.Config{Target: *to, Seed: s, Forward: m, Capture: *capture}
	if *both {
		cfg.Backward = m
	}
	rs := scriptRelays(ts)
	if _, ok := rs[name]; ok {
		ts.Fatalf("relay: %q is already running", name)
	}
	r, err := netsim.NewRelay(cfg)
	ts.Check(err)
	rs[name] = r
	ts.Setenv(name, r.Addr().String())
	ts.Logf("relay %s: %s -> %s, seed %d, forward: %v, backward: %v", name, r.Addr(), r.Target(), s, cfg.Forward, cfg.Backward)
}

// cmdRelayStats prints a relay's counters (netsim.Stats.String) on stdout.
func cmdRelayStats(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "relaystats")
	if len(args) != 1 {
		ts.Fatalf("usage: relaystats NAME")
	}
	fmt.Fprint(ts.Stdout(), ScriptRelay(ts, args[0]).Stats())
}

// cmdRelayWait waits until a relay has read at least -n packets forward and
// -back packets backward, and holds no copy waiting to leave.
func cmdRelayWait(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "relaywait")
	const usage = "usage: relaywait NAME [-n PACKETS] [-back PACKETS] [-timeout DURATION]"
	if len(args) < 1 || strings.HasPrefix(args[0], "-") {
		ts.Fatalf("%s", usage)
	}
	fs := flag.NewFlagSet("relaywait", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("n", 0, "")
	back := fs.Int("back", 0, "")
	timeout := fs.Duration("timeout", 10*time.Second, "")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		ts.Fatalf("relaywait: bad arguments %q\n%s", args[1:], usage)
	}
	r := ScriptRelay(ts, args[0])
	deadline := time.Now().Add(*timeout)
	for {
		s := r.Stats()
		pending := s.Forward.Pending() + s.Backward.Pending()
		if s.Forward.Packets >= *n && s.Backward.Packets >= *back && pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("relaywait %s: after %v, %d packets read forward (want %d), %d backward (want %d), %d copies still waiting",
				args[0], *timeout, s.Forward.Packets, *n, s.Backward.Packets, *back, pending)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
