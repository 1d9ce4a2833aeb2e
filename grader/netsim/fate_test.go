package netsim_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"netlabs/grader/netsim"
)

// fates computes the fates of n packets of size bytes, as a relay with this
// seed would for direction d.
func fates(m netsim.Impairment, seed uint64, d netsim.Direction, n, size int) []netsim.Fate {
	out := make([]netsim.Fate, n)
	data := make([]byte, size)
	for i := range out {
		p := netsim.PacketInfo{Dir: d, Index: uint64(i), Data: data}
		out[i] = m.Fate(p, netsim.NewRand(seed, uint64(d), uint64(i)))
	}
	return out
}

func sameFate(a, b netsim.Fate) bool {
	if len(a.Copies) != len(b.Copies) {
		return false
	}
	for i := range a.Copies {
		if a.Copies[i] != b.Copies[i] {
			return false
		}
	}
	return true
}

var busy = netsim.Impairment{Drop: 0.2, Duplicate: 0.2, Delay: 5 * time.Millisecond, Jitter: 3 * time.Millisecond,
	Reorder: 0.2, ReorderDelay: 10 * time.Millisecond, Corrupt: 0.2}

func TestFateDeterministic(t *testing.T) {
	a := fates(busy, 42, netsim.Forward, 1000, 100)
	b := fates(busy, 42, netsim.Forward, 1000, 100)
	for i := range a {
		if !sameFate(a[i], b[i]) {
			t.Fatalf("packet %d: same seed, fates %+v and %+v", i, a[i], b[i])
		}
	}
	for _, other := range []struct {
		name string
		f    []netsim.Fate
	}{
		{"another seed", fates(busy, 43, netsim.Forward, 1000, 100)},
		{"the other direction", fates(busy, 42, netsim.Backward, 1000, 100)},
	} {
		differ := 0
		for i := range a {
			if !sameFate(a[i], other.f[i]) {
				differ++
			}
		}
		if differ < 500 {
			t.Errorf("%s: only %d fates of 1000 differ from seed 42's", other.name, differ)
		}
	}
}

func TestFateExtremes(t *testing.T) {
	const n = 2000
	count := func(fs []netsim.Fate, pred func(netsim.Fate) bool) int {
		k := 0
		for _, f := range fs {
			if pred(f) {
				k++
			}
		}
		return k
	}
	anyCopy := func(pred func(netsim.Copy) bool) func(netsim.Fate) bool {
		return func(f netsim.Fate) bool {
			for _, c := range f.Copies {
				if pred(c) {
					return true
				}
			}
			return false
		}
	}
	tests := []struct {
		name string
		m    netsim.Impairment
		pred func(netsim.Fate) bool
		want int
	}{
		{"drop 0", netsim.Impairment{}, netsim.Fate.Dropped, 0},
		{"drop 1", netsim.Impairment{Drop: 1}, netsim.Fate.Dropped, n},
		{"duplicate 0", netsim.Impairment{}, netsim.Fate.Duplicated, 0},
		{"duplicate 1", netsim.Impairment{Duplicate: 1}, netsim.Fate.Duplicated, n},
		{"corrupt 0", netsim.Impairment{}, anyCopy(netsim.Copy.Corrupted), 0},
		{"corrupt 1", netsim.Impairment{Corrupt: 1}, anyCopy(netsim.Copy.Corrupted), n},
		{"reorder 0", netsim.Impairment{}, anyCopy(func(c netsim.Copy) bool { return c.Reordered }), 0},
		{"reorder 1", netsim.Impairment{Reorder: 1}, anyCopy(func(c netsim.Copy) bool { return c.Reordered && c.Delay == netsim.DefaultReorderDelay }), n},
		{"no delay", netsim.Impairment{}, anyCopy(func(c netsim.Copy) bool { return c.Delay != 0 }), 0},
		{"drop 1 wins", netsim.Impairment{Drop: 1, Duplicate: 1, Corrupt: 1}, netsim.Fate.Dropped, n},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := count(fates(tt.m, 7, netsim.Forward, n, 50), tt.pred); got != tt.want {
				t.Errorf("%v: %d packets of %d, want %d", tt.m, got, n, tt.want)
			}
		})
	}
	t.Run("empty packets are not corrupted", func(t *testing.T) {
		for i, f := range fates(netsim.Impairment{Corrupt: 1}, 7, netsim.Forward, 100, 0) {
			if f.Copies[0].Corrupted() {
				t.Fatalf("packet %d: empty, corrupted: %+v", i, f)
			}
		}
	})
}

// TestFateStatistics checks each rate over 10,000 packets, within 5 standard
// deviations of the binomial: a false alarm is rarer than 1 in 10^6.
func TestFateStatistics(t *testing.T) {
	const n = 10000
	within := func(t *testing.T, what string, got int, trials int, p float64) {
		t.Helper()
		mean, sd := float64(trials)*p, math.Sqrt(float64(trials)*p*(1-p))
		if math.Abs(float64(got)-mean) > 5*sd {
			t.Errorf("%s: %d of %d, want %.0f ± %.0f (p=%v)", what, got, trials, mean, 5*sd, p)
		}
	}
	for _, p := range []float64{0.05, 0.3} {
		m := netsim.Impairment{Drop: p, Duplicate: p, Reorder: p, Corrupt: p, Delay: 10 * time.Millisecond, Jitter: 4 * time.Millisecond}
		var kept, dup, copies, reordered, corrupted int
		var sum, lo, hi time.Duration = 0, time.Hour, 0
		for _, f := range fates(m, 1234, netsim.Forward, n, 64) {
			if f.Dropped() {
				continue
			}
			kept++
			if f.Duplicated() {
				dup++
			}
			for _, c := range f.Copies {
				copies++
				if c.Reordered {
					reordered++
				}
				if c.Corrupted() {
					corrupted++
				}
				d := c.Delay
				if c.Reordered {
					d -= netsim.DefaultReorderDelay
				}
				sum, lo, hi = sum+d, min(lo, d), max(hi, d)
			}
		}
		within(t, "dropped", n-kept, n, p)
		within(t, "duplicated", dup, kept, p)
		within(t, "reordered", reordered, copies, p)
		within(t, "corrupted", corrupted, copies, p)
		if lo < 6*time.Millisecond || hi > 14*time.Millisecond {
			t.Errorf("delays in [%v, %v], want within [6ms, 14ms]", lo, hi)
		}
		// Uniform over ±4ms: the mean of the copies' delays is 10ms within
		// 5 standard deviations (4ms/sqrt(3)/sqrt(copies)).
		mean := sum / time.Duration(copies)
		if tol := time.Duration(5 * float64(4*time.Millisecond) / math.Sqrt(3*float64(copies))); (mean - 10*time.Millisecond).Abs() > tol {
			t.Errorf("mean delay %v, want 10ms ± %v", mean, tol)
		}
	}
}

func TestFateJitterClamped(t *testing.T) {
	m := netsim.Impairment{Delay: time.Millisecond, Jitter: 5 * time.Millisecond}
	zero := 0
	for i, f := range fates(m, 9, netsim.Forward, 2000, 10) {
		d := f.Copies[0].Delay
		if d < 0 || d > 6*time.Millisecond {
			t.Fatalf("packet %d: delay %v, want within [0, 6ms]", i, d)
		}
		if d == 0 {
			zero++
		}
	}
	if zero < 2000/3 { // [-4ms, 0] of [-4ms, 6ms] clamps to 0: 40%
		t.Errorf("%d delays of 2000 clamped to 0, want about 800", zero)
	}
}

// TestFateMonotone: under one seed a higher drop rate drops a superset, and
// the survivors keep their fates.
func TestFateMonotone(t *testing.T) {
	low := fates(netsim.Impairment{Drop: 0.05, Duplicate: 0.1, Corrupt: 0.1}, 5, netsim.Forward, 5000, 30)
	high := fates(netsim.Impairment{Drop: 0.3, Duplicate: 0.1, Corrupt: 0.1}, 5, netsim.Forward, 5000, 30)
	for i := range low {
		switch {
		case low[i].Dropped() && !high[i].Dropped():
			t.Fatalf("packet %d: dropped at 5%% but not at 30%%", i)
		case !high[i].Dropped() && !sameFate(low[i], high[i]):
			t.Fatalf("packet %d: survives both, fates %+v and %+v", i, low[i], high[i])
		}
	}
}

func TestValidate(t *testing.T) {
	ok := netsim.Config{Target: "127.0.0.1:9"}
	tests := []struct {
		name string
		cfg  func(c *netsim.Config)
		want string // in the error
	}{
		{"drop above 1", func(c *netsim.Config) { c.Forward.Drop = 1.5 }, "Forward.Drop"},
		{"negative duplicate", func(c *netsim.Config) { c.Backward.Duplicate = -0.1 }, "Backward.Duplicate"},
		{"NaN corrupt", func(c *netsim.Config) { c.Forward.Corrupt = math.NaN() }, "Forward.Corrupt"},
		{"reorder above 1", func(c *netsim.Config) { c.Forward.Reorder = 2 }, "Forward.Reorder"},
		{"negative delay", func(c *netsim.Config) { c.Forward.Delay = -time.Millisecond }, "Forward.Delay"},
		{"negative jitter", func(c *netsim.Config) { c.Backward.Jitter = -1 }, "Backward.Jitter"},
		{"negative reorder delay", func(c *netsim.Config) { c.Forward.ReorderDelay = -1 }, "Forward.ReorderDelay"},
		{"negative rate", func(c *netsim.Config) { c.Forward.Rate = -5 }, "Forward.Rate"},
		{"link and knobs", func(c *netsim.Config) { c.Forward.Link = netsim.Impairment{}; c.Forward.Drop = 0.1 }, "Forward.Link"},
		{"no target", func(c *netsim.Config) { c.Target = "" }, "Target"},
		{"unknown target", func(c *netsim.Config) { c.Target = "no-such-host.invalid:9" }, "Target"},
		{"target port 0", func(c *netsim.Config) { c.Target = "127.0.0.1:0" }, "Target"},
		{"target off loopback", func(c *netsim.Config) { c.Target = "192.0.2.1:9" }, "Target"},
		{"listen off loopback", func(c *netsim.Config) { c.Listen = "0.0.0.0:0" }, "Listen"},
		{"negative capture", func(c *netsim.Config) { c.Capture = -1 }, "Capture"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.cfg(&cfg)
			r, err := netsim.NewRelay(cfg)
			if err == nil {
				r.Close()
				t.Fatalf("NewRelay(%+v) = nil error, want one naming %s", cfg, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewRelay error %q does not name %s", err, tt.want)
			}
		})
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("Validate(%+v) = %v, want nil", ok, err)
	}
	withJitter := ok
	withJitter.Forward = netsim.Impairment{Delay: time.Millisecond, Jitter: time.Second}
	if err := withJitter.Validate(); err != nil {
		t.Errorf("jitter above delay: Validate = %v, want nil (clamped at 0)", err)
	}
}
