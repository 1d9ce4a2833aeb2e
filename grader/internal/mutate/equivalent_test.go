package mutate

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestParseEquivalents(t *testing.T) {
	tests := []struct {
		name, give string
		want       Equivalents
		wantErr    string
	}{
		{"empty", "", Equivalents{}, ""},
		{"comments and blanks", "# a comment\n\n   \n", Equivalents{}, ""},
		{"entries", "a.go:F:negate:!ok#1  no test can see it\na.go:G:const:1->2#1\tthe same value\n",
			Equivalents{"a.go:F:negate:!ok#1": "no test can see it", "a.go:G:const:1->2#1": "the same value"}, ""},
		{"no reason", "a.go:F:negate:!ok#1\n", nil, "eq.txt:1: a.go:F:negate:!ok#1: say why"},
		{"not an id", "# header\nthis is prose\n", nil, `eq.txt:2: "this" is not a mutant id`},
		{"twice", "a.go:F:op:k#1 one\na.go:F:op:k#1 two\n", nil, "eq.txt:2: a.go:F:op:k#1 is listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEquivalents("eq.txt", strings.NewReader(tt.give))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseEquivalents(%q) error = %v, want %q", tt.give, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("ParseEquivalents(%q) = %v, want %v", tt.give, got, tt.want)
			}
		})
	}
}

func TestStale(t *testing.T) {
	eq := Equivalents{"a#1": "x", "b#1": "y", "c#1": "z"}
	got := eq.Stale(map[string]bool{"b#1": true})
	if want := []string{"a#1", "c#1"}; !slices.Equal(got, want) {
		t.Errorf("Stale = %v, want %v", got, want)
	}
}
