package report

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// The adapters' outputs are checked against the fields, types and value sets
// their documented schemas require (GitHub Classroom's grading reporter,
// version 1; Gradescope's results.json specification).

func TestClassroomSchema(t *testing.T) {
	r := sample(t)
	var out bytes.Buffer
	if err := Classroom(&out, r); err != nil {
		t.Fatal(err)
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(out.String()))
	if err != nil {
		t.Fatalf("output is not base64: %v", err)
	}
	var doc struct {
		Version  *int    `json:"version"`
		Status   *string `json:"status"`
		MaxScore *int    `json:"max_score"`
		Tests    []struct {
			Name     *string `json:"name"`
			Status   *string `json:"status"`
			Score    *int    `json:"score"`
			Message  *string `json:"message"`
			TestCode *string `json:"test_code"`
			Filename *string `json:"filename"`
			LineNo   *int    `json:"line_no"`
			Duration *int64  `json:"duration"`
		} `json:"tests"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decoded JSON does not fit the schema: %v", err)
	}
	if doc.Version == nil || *doc.Version != 1 || doc.Status == nil || !oneOf(*doc.Status, "pass", "fail", "error") || doc.MaxScore == nil {
		t.Fatalf("header = version %v status %v max_score %v; want 1, pass|fail|error, a number", doc.Version, doc.Status, doc.MaxScore)
	}
	sum := 0
	for _, tc := range doc.Tests {
		if tc.Name == nil || tc.Status == nil || tc.Score == nil || tc.Message == nil || tc.TestCode == nil || tc.Filename == nil || tc.LineNo == nil || tc.Duration == nil {
			t.Fatalf("test %+v lacks a required field", tc)
		}
		if !oneOf(*tc.Status, "pass", "fail", "error") {
			t.Errorf("test %s: status %q", *tc.Name, *tc.Status)
		}
		sum += *tc.Score
	}
	if sum != r.Score || *doc.MaxScore != r.MaxScore {
		t.Errorf("tests[].score sums to %d of max_score %d; want %d of %d (bonus left out)", sum, *doc.MaxScore, r.Score, r.MaxScore)
	}
}

func TestGradescopeSchema(t *testing.T) {
	r := sample(t)
	var out bytes.Buffer
	if err := Gradescope(&out, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ExecutionTime *int64  `json:"execution_time"`
		Output        *string `json:"output"`
		OutputFormat  string  `json:"output_format"`
		Visibility    string  `json:"visibility"`
		Tests         []struct {
			Score        *float64 `json:"score"`
			MaxScore     *float64 `json:"max_score"`
			Status       string   `json:"status"`
			Name         string   `json:"name"`
			Number       string   `json:"number"`
			Output       string   `json:"output"`
			OutputFormat string   `json:"output_format"`
			Tags         []string `json:"tags"`
			Visibility   string   `json:"visibility"`
		} `json:"tests"`
	}
	dec := json.NewDecoder(&out)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("results.json does not fit the schema: %v", err)
	}
	formats := []string{"text", "html", "simple_format", "md", "ansi"}
	visibilities := []string{"hidden", "after_due_date", "after_published", "visible"}
	if doc.ExecutionTime == nil || doc.Output == nil || !oneOf(doc.OutputFormat, formats...) || !oneOf(doc.Visibility, visibilities...) {
		t.Fatalf("header = %+v", doc)
	}
	var sum, bonus float64
	for _, tc := range doc.Tests {
		if tc.Score == nil || tc.MaxScore == nil || tc.Name == "" || !oneOf(tc.Status, "passed", "failed") ||
			!oneOf(tc.OutputFormat, formats...) || !oneOf(tc.Visibility, visibilities...) {
			t.Fatalf("test %+v breaks the schema", tc)
		}
		if *tc.MaxScore == 0 {
			bonus += *tc.Score
		} else {
			sum += *tc.Score
		}
	}
	if int(sum) != r.Score || int(bonus) != r.Bonus {
		t.Errorf("scores sum to %v + %v bonus, want %d + %d", sum, bonus, r.Score, r.Bonus)
	}
}

func oneOf(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}
