package selftest

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSampleFixtures(t *testing.T) {
	root := "/course"
	var paths []string
	for _, lab := range []string{"week01/tcpack", "week01/helpdesk", "week02/datagram"} {
		for _, f := range []string{"a", "b", "c", "d", "e"} {
			paths = append(paths, filepath.Join(root, mutantDir, lab, f+".txtar"))
		}
	}
	cheats := []string{filepath.Join(root, cheatDir, "exit.txtar"), filepath.Join(root, cheatDir, "init.txtar")}
	paths = append(paths, cheats...)

	got := sampleFixtures(root, paths, 2, 7)
	if len(got) != 3*2+len(cheats) {
		t.Fatalf("kept %d paths, want 2 per lab and both cheats: %v", len(got), got)
	}
	for _, c := range cheats {
		if !slices.Contains(got, c) {
			t.Errorf("cheat %s left out", c)
		}
	}
	perLab := map[string]int{}
	for _, p := range got {
		if strings.Contains(p, mutantDir) {
			perLab[filepath.Dir(p)]++
		}
	}
	for lab, n := range perLab {
		if n != 2 {
			t.Errorf("%s: %d kept, want 2", lab, n)
		}
	}
	if !slices.IsSortedFunc(got, func(a, b string) int { return slices.Index(paths, a) - slices.Index(paths, b) }) {
		t.Errorf("order changed: %v", got)
	}
	if again := sampleFixtures(root, paths, 2, 7); !slices.Equal(again, got) {
		t.Errorf("same seed, another sample: %v then %v", got, again)
	}
	differs := false
	for seed := uint64(8); seed < 18 && !differs; seed++ {
		differs = !slices.Equal(sampleFixtures(root, paths, 2, seed), got)
	}
	if !differs {
		t.Error("ten other seeds all drew the same sample")
	}
	if all := sampleFixtures(root, paths, 9, 7); len(all) != len(paths) {
		t.Errorf("a sample larger than every lab kept %d of %d", len(all), len(paths))
	}
}
