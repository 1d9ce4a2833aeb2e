package mutate

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Write writes the report: a table with a row per lab, then each lab's
// survivors with their diffs, errors, and stale equivalents.
func (rep *Report) Write(w io.Writer) {
	what := "every mutant"
	if rep.Sample > 0 {
		what = fmt.Sprintf("a sample of %d mutants per lab", rep.Sample)
	}
	fmt.Fprintf(w, "mutation run, seed %d, %s, target %.0f%% killed\n\n", rep.Seed, what, Target*100)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "lab\tgenerated\tnot compiling\tequivalent\tgraded\tkilled\tsurvived\tkill rate\ttime\t")
	for _, lr := range rep.Labs {
		if lr.Err != nil {
			fmt.Fprintf(tw, "%s\t%d\t-\t-\t-\t-\t-\terror\t%s\t\n", lr.Lab.ID(), lr.Generated, lr.Duration.Round(time.Second))
			continue
		}
		rate := "-"
		if r, ok := lr.KillRate(); ok {
			rate = fmt.Sprintf("%.1f%%", r*100)
			if r < Target {
				rate += " LOW"
			}
		}
		k, s := lr.Count(Killed), lr.Count(Survived)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", lr.Lab.ID(), lr.Generated, lr.Count(NotCompiling),
			lr.Count(Equivalent), k+s+lr.Count(Errored), k, s, rate, lr.Duration.Round(time.Second))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nkill rate = killed / (killed + survived); took %s\n", rep.Duration.Round(time.Second))

	for _, lr := range rep.Labs {
		if lr.Err != nil {
			fmt.Fprintf(w, "\n%s: not mutated: %v\n", lr.Lab.ID(), lr.Err)
			continue
		}
		for _, f := range []Fate{Survived, Errored} {
			n := lr.Count(f)
			if n == 0 {
				continue
			}
			fmt.Fprintf(w, "\n%s: %d %s\n", lr.Lab.ID(), n, map[Fate]string{Survived: "survived", Errored: "could not be graded"}[f])
			for _, r := range lr.Results {
				if r.Fate != f {
					continue
				}
				fmt.Fprintf(w, "\n%s:%d  %s  %s\n", lr.Lab.ReferenceDir()+"/"+r.Mutant.File, r.Mutant.Line, r.Mutant.Op, r.Mutant.ID)
				if r.Why != "" {
					fmt.Fprintf(w, "  %s\n", r.Why)
				}
				for _, l := range strings.Split(strings.TrimRight(r.Diff, "\n"), "\n") {
					fmt.Fprintf(w, "  %s\n", l)
				}
			}
		}
		if len(lr.Stale) > 0 {
			fmt.Fprintf(w, "\n%s: %s lists %d mutants that no longer exist (remove them):\n", lr.Lab.ID(), EquivalentsPath(lr.Lab), len(lr.Stale))
			for _, id := range lr.Stale {
				fmt.Fprintf(w, "  %s\n", id)
			}
		}
	}
}

// OK reports whether every lab reached the target without errors.
func (rep *Report) OK() bool {
	for _, lr := range rep.Labs {
		if !lr.OK() {
			return false
		}
	}
	return true
}
