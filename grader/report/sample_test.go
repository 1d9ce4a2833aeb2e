package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"netlabs/grader/result"
)

// The sample run in testdata/sample: one week, two labs, every status, a
// build error, a policy violation and a bonus check. Two outputs carry what
// its JSON cannot: hostile.q, the output of w01.basic.framing, holds invalid
// UTF-8 and control characters; w01.basic.concurrent gets bigOutput(100_000).
const (
	sampleDir       = "testdata/sample"
	hostileCheck    = "w01.basic.framing"
	bigCheck        = "w01.basic.concurrent"
	bigOutputSize   = 100_000
	sampleTableRows = 7 // checks of the basic lab, the first table
)

// sample returns the sample run with its hostile and big outputs.
func sample(t *testing.T) *result.Run {
	t.Helper()
	hostile, err := unquoteFile(filepath.Join(sampleDir, "hostile.q"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := loadRun(filepath.Join(sampleDir, "run.json"), map[string]string{
		hostileCheck: hostile,
		bigCheck:     bigOutput(bigOutputSize),
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// loadRun reads a Run from a JSON file and replaces the output of each check
// named in outputs.
func loadRun(file string, outputs map[string]string) (*result.Run, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var r result.Run
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for id, out := range outputs {
		if !setOutput(&r, id, out) {
			return nil, fmt.Errorf("%s: no check %s", file, id)
		}
	}
	return &r, nil
}

func setOutput(r *result.Run, id, out string) bool {
	for i := range r.Weeks {
		for j := range r.Weeks[i].Labs {
			checks := r.Weeks[i].Labs[j].Checks
			for k := range checks {
				if checks[k].ID == id {
					checks[k].Output = out
					return true
				}
			}
		}
	}
	return false
}

// unquoteFile reads a file of Go string literals, one a line, and returns
// them joined: a readable way to write bytes that JSON cannot hold.
func unquoteFile(file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		s, err := strconv.Unquote(sc.Text())
		if err != nil {
			return "", fmt.Errorf("%s:%d: %w", file, n, err)
		}
		b.WriteString(s)
	}
	return b.String(), sc.Err()
}

// bigOutput is a chatty test's log in numbered lines, as many as fit in size
// bytes.
func bigOutput(size int) string {
	var b strings.Builder
	for i := 1; ; i++ {
		line := fmt.Sprintf("    tcpack_test.go:88: client %d of 8 still waiting for its reply (poll %05d)\n", i%8+1, i)
		if b.Len()+len(line) > size {
			return b.String()
		}
		b.WriteString(line)
	}
}

func TestSampleTotals(t *testing.T) {
	r := sample(t)
	want := *r
	want.Weeks = append([]result.Week(nil), r.Weeks...)
	for i := range want.Weeks {
		want.Weeks[i].Labs = append([]result.Lab(nil), r.Weeks[i].Labs...)
	}
	want.Total()
	if got := fmt.Sprint(scores(r)); got != fmt.Sprint(scores(&want)) {
		t.Errorf("sample scores = %v, want %v (as Run.Total computes them)", got, scores(&want))
	}
}

// scores lists every score of r, from the run down to its labs.
func scores(r *result.Run) []int {
	s := []int{r.Score, r.MaxScore, r.Bonus}
	for _, w := range r.Weeks {
		s = append(s, w.Score, w.MaxScore, w.Bonus)
		for _, l := range w.Labs {
			s = append(s, l.Score, l.MaxScore, l.Bonus)
		}
	}
	return s
}
