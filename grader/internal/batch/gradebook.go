package batch

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"netlabs/grader/course"
)

// Gradebook writes rows as CSV: student, one column per lab and per week of
// weeks, total, max, status, seed. A checkout that could not be graded has
// empty score cells and its reason in status.
func Gradebook(w io.Writer, weeks []course.Week, rows []Row) error {
	cw := csv.NewWriter(w)
	header := []string{"student"}
	for _, wk := range weeks {
		for _, l := range wk.Labs {
			header = append(header, l.ID())
		}
		header = append(header, fmt.Sprintf("w%02d", wk.Number))
	}
	header = append(header, "total", "max", "status", "seed")
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.Student}
		scores := map[string]int{}
		if r.Run != nil {
			for _, wk := range r.Run.Weeks {
				scores[fmt.Sprintf("w%02d", wk.Week)] = wk.Score
				for _, l := range wk.Labs {
					scores[fmt.Sprintf("w%02d.%s", wk.Week, l.Lab)] = l.Score
				}
			}
		}
		cell := func(key string) string {
			if r.Run == nil {
				return ""
			}
			return strconv.Itoa(scores[key])
		}
		for _, wk := range weeks {
			for _, l := range wk.Labs {
				rec = append(rec, cell(l.ID()))
			}
			rec = append(rec, cell(fmt.Sprintf("w%02d", wk.Number)))
		}
		total, maxScore, seed := "", "", ""
		if r.Run != nil {
			total, maxScore, seed = strconv.Itoa(r.Run.Score), strconv.Itoa(r.Run.MaxScore), strconv.FormatUint(r.Run.Seed, 10)
		}
		rec = append(rec, total, maxScore, strings.Join(r.Status, ";"), seed)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
