package report

import (
	"encoding/json"
	"io"

	"netlabs/grader/result"
)

func init() { register("json", JSON) }

// JSON writes r as indented JSON, the contract "netlabs/result/v1" (see
// package result). An empty Schema is written as result.Schema, and missing
// lists as empty ones, so that readers always find weeks, labs and checks
// arrays. Strings are written as they are, except that invalid UTF-8 becomes
// U+FFFD; JSON escapes every control character. r is not modified.
func JSON(w io.Writer, r *result.Run) error {
	out := *r
	if out.Schema == "" {
		out.Schema = result.Schema
	}
	out.Weeks = make([]result.Week, len(r.Weeks))
	for i, wk := range r.Weeks {
		labs := make([]result.Lab, len(wk.Labs))
		for j, l := range wk.Labs {
			if l.Checks == nil {
				l.Checks = []result.Check{}
			}
			labs[j] = l
		}
		wk.Labs = labs
		out.Weeks[i] = wk
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&out)
}
