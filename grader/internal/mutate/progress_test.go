package mutate

import (
	"strings"
	"testing"

	"netlabs/grader/course"
)

func TestProgress(t *testing.T) {
	l := course.Lab{Week: 1, Kind: course.Basic}
	results := []Result{
		{Mutant: Mutant{ID: "a.go:F:negate:!ok#1", File: "a.go", Line: 3}, Fate: Killed},
		{Mutant: Mutant{ID: "a.go:F:const:1->2#1", File: "a.go", Line: 4}, Fate: Survived},
	}
	tests := []struct {
		name     string
		terminal bool
		want     []string
	}{
		{"plain", false, []string{
			"w01.basic: grading 2 mutants\n",
			"w01.basic 1/2 killed        a.go:F:negate:!ok#1 (0s)\n",
			"w01.basic 2/2 survived      a.go:F:const:1->2#1 (0s)\n",
		}},
		{"terminal", true, []string{
			"w01.basic: grading 2 mutants\n",
			"\r\x1b[Kw01.basic [..............................] 0/2",
			"\r\x1b[Kw01.basic [###############...............] 1/2  0 survived",
			"\r\x1b[K  survived: a.go:F:const:1->2#1 a.go:4 \n",
			"\r\x1b[Kw01.basic [##############################] 2/2  1 survived",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			p := NewProgress(&b, tt.terminal)
			p.Lab(l, len(results))
			for _, r := range results {
				p.Mutant(l, r)
			}
			p.Finish()
			out := b.String()
			at := 0
			for _, w := range tt.want {
				i := strings.Index(out[at:], w)
				if i < 0 {
					t.Fatalf("progress output lacks %q after byte %d:\n%q", w, at, out)
				}
				at += i + len(w)
			}
			if tt.terminal && !strings.HasSuffix(out, "\r\x1b[K") {
				t.Errorf("Finish does not erase the bar: %q", out)
			}
		})
	}
}
