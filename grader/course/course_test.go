package course

import (
	"strings"
	"testing"
)

func TestCourseIsValid(t *testing.T) {
	if err := Validate(Weeks()); err != nil {
		t.Fatal(err)
	}
}

func TestValidateRejects(t *testing.T) {
	good := func() Week {
		return Week{Number: 1, Labs: []Lab{
			{Week: 1, Kind: Basic, Package: "weeks/week01/a", Files: []string{"a.go"}, TestFiles: []string{"a_test.go"},
				Checks: []Check{{ID: "w01.basic.one", Name: "one", Test: "TestOne", Points: 1, Hint: "h"}}},
			{Week: 1, Kind: Extra, Package: "weeks/week01/b", Files: []string{"b.go"}, TestFiles: []string{"b_test.go"},
				Checks: []Check{{ID: "w01.extra.one", Name: "one", Test: "TestOne", Points: 1, Hint: "h"}}},
		}}
	}
	tests := []struct {
		name   string
		mutate func(w *Week)
		want   string
	}{
		{"bad id", func(w *Week) { w.Labs[0].Checks[0].ID = "w01.basic.One" }, "id must look like"},
		{"wrong lab prefix", func(w *Week) { w.Labs[0].Checks[0].ID = "w01.extra.two" }, "id must look like"},
		{"duplicate id", func(w *Week) { w.Labs[1].Checks[0].ID = "w01.basic.one"; w.Labs[1].Kind = Basic }, "basic and an extra"},
		{"no points", func(w *Week) { w.Labs[0].Checks[0].Points = 0 }, "points must be positive"},
		{"no hint", func(w *Week) { w.Labs[1].Checks[0].Hint = "" }, "needs a name, a test and a hint"},
		{"no files", func(w *Week) { w.Labs[1].Files = nil }, "needs files"},
		{"week mismatch", func(w *Week) { w.Labs[1].Week = 2 }, "Week = 2"},
	}
	if err := Validate([]Week{good()}); err != nil {
		t.Fatalf("Validate(good) = %v, want nil", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := good()
			tt.mutate(&w)
			err := Validate([]Week{w})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestRunPattern(t *testing.T) {
	tests := []struct{ give, want string }{
		{"TestExchange", "^TestExchange$"},
		{"TestScripts/cli_exchange", "^TestScripts$/^cli_exchange$"},
		{"TestA.b", `^TestA\.b$`},
	}
	for _, tt := range tests {
		if got := (Check{Test: tt.give}).RunPattern(); got != tt.want {
			t.Errorf("RunPattern(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}
