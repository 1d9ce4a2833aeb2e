// Package cli is the grader's command line: go run ./grader [command] [flags].
//
//	go run ./grader [flags]               grade (the default command)
//	go run ./grader report [flags] FILE   render a saved JSON result in another format
//	go run ./grader selftest [flags]      the course's own test suite
//	go run ./grader mutate [flags]        generated mutants of the references
//
// Exit status: 0 when the command completed, whatever the score; 1 when
// -fail-under is set and the score is below it, when the self-test fails, or
// when a lab's mutants are killed below the target;
// 2 for usage errors; 3 when the grader itself failed.
package cli

import (
	"fmt"
	"io"
	"os"
)

// Exit statuses.
const (
	exitOK       = 0
	exitLow      = 1
	exitUsage    = 2
	exitInternal = 3
)

// Main runs the grader with args (without the program name) and returns the
// exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "selftest":
			return selftestMain(args[1:], stdout, stderr)
		case "batch":
			return batchMain(args[1:], stdout, stderr)
		case "export":
			return exportMain(args[1:], stdout, stderr)
		case "handouts":
			return handoutsMain(args[1:], stdout, stderr)
		case "report":
			return reportMain(args[1:], stdout, stderr)
		case "mutate":
			return mutateMain(args[1:], stdout, stderr)
		case "help":
			fmt.Fprint(stdout, usage)
			return exitOK
		}
	}
	return gradeMain(args, stdout, stderr)
}

const usage = `netlabs grader: grades the course's labs and reports the scores.

Usage:
  go run ./grader [flags]                 grade weeks/ (your code): every week, scorecard on the terminal
  go run ./grader -week 3 -lab extra      one week (or a list: -week 1,2), one lab (basic or extra)
  go run ./grader -impl reference         grade the reference solutions (instructors)
  go run ./grader -format json -o FILE    write the report to FILE: text, json, markdown, junit,
                                          classroom (GitHub Classroom reporter), gradescope (results.json)
  go run ./grader -seed 42                repeat a run's simulated loss and timing
  go run ./grader -race -v                race detector; show the whole output of failing checks
  go run ./grader report -format markdown FILE.json   render a saved JSON result again
  go run ./grader selftest                the course's own test suite (maintainers)
  go run ./grader handouts                rewrite the grading tables in the handouts from the rubric
  go run ./grader mutate [-week N]        generated mutants of the references: kill rate per lab, survivors
  go run ./grader export [-git] DIR       write the student template (no reference) into DIR
  go run ./grader batch DIR               grade every student checkout in DIR: reports and gradebook.csv

Flags:
`

// fileOf returns w as an *os.File when it is one.
func fileOf(w io.Writer) *os.File {
	f, _ := w.(*os.File)
	return f
}
