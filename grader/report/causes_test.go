package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"netlabs/grader/result"
)

func TestCommonCauses(t *testing.T) {
	fail := func(id, msg string) result.Check {
		return result.Check{ID: id, Status: result.StatusFail, Message: msg}
	}
	lab := result.Lab{Checks: []result.Check{
		fail("w01.basic.exchange", "background.go:34: Serve returned before its context was cancelled: accept tcp 127.0.0.1:39765: use of closed network connection"),
		fail("w01.basic.sequential", "background.go:34: Serve returned before its context was cancelled: accept tcp 127.0.0.1:4113: use of closed network connection\ntcpack_test.go:61: dial: refused"),
		{ID: "w01.basic.restart", Status: result.StatusPass},
		fail("w01.basic.split", "background.go:35: Serve returned before its context was cancelled: accept tcp 127.0.0.1:5000: use of closed network connection"),
		fail("w01.basic.too_long", "tcpack_test.go:80: reply = \"ERR\", want \"ERR message too long\""),
		fail("w01.basic.silent", "tcpack_test.go:90: timed out"),
		fail("w01.basic.shutdown", "tcpack_test.go:91: timed out"),
	}}
	got := commonCauses(lab)
	want := []cause{{complaint: "background.go:34: Serve returned before its context was cancelled: accept tcp 127.0.0.1:39765: use of closed network connection", ids: []string{"w01.basic.exchange", "w01.basic.sequential", "w01.basic.split"}}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(cause{})); diff != "" {
		t.Errorf("commonCauses() mismatch (-want +got):\n%s", diff)
	}
	lab.BuildError = "x.go:1: syntax error"
	if got := commonCauses(lab); got != nil {
		t.Errorf("commonCauses() of a lab that does not build = %v, want none: the build error is the cause", got)
	}
}
