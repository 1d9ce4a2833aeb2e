package selftest

import (
	"strings"
	"testing"

	"netlabs/grader/result"
)

func TestUnstableNamesTheCheckAndBothSeeds(t *testing.T) {
	run := &result.Run{Weeks: []result.Week{{Labs: []result.Lab{{Checks: []result.Check{
		{ID: "w01.basic.steady", Status: result.StatusFail, Repeats: []result.Status{result.StatusFail, result.StatusFail}},
		{ID: "w01.basic.flaky", Status: result.StatusPass, Repeats: []result.Status{result.StatusPass, result.StatusTimeout}},
		{ID: "w01.basic.once", Status: result.StatusPass},
		{ID: "w01.basic.racy", Status: result.StatusError, Repeats: []result.Status{result.StatusFail, result.StatusTimeout}},
	}}}}}}
	errs := unstable(run, 40)
	if len(errs) != 1 {
		t.Fatalf("unstable() = %v, want one error, for w01.basic.flaky", errs)
	}
	want := "w01.basic.flaky is unstable: pass with seed 40, timeout with seed 42"
	if got := errs[0].Error(); !strings.Contains(got, want) {
		t.Errorf("unstable() = %q, want %q", got, want)
	}
}
