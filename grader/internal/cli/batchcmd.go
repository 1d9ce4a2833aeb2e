package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"netlabs/grader/internal/batch"
	"netlabs/grader/internal/grading"
	"netlabs/grader/report"
)

// batchMain grades a class: go run ./grader batch [flags] DIR.
func batchMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("grader batch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f gradeFlags
	fs.StringVar(&f.weeks, "week", "", "weeks to grade, e.g. 3 or 1,2 (default: all)")
	fs.StringVar(&f.seed, "seed", "", "seed for every checkout (default: a fresh one, printed)")
	out := fs.String("o", "netlabs-batch", "write the reports and gradebook.csv into `DIR`")
	jobs := fs.Int("jobs", 0, "checkouts graded at once (default: half the CPUs)")
	timeout := fs.Duration("timeout", 0, "cap every check's time limit (default: each check's own)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./grader batch [flags] DIR")
		fmt.Fprintln(stderr, "Grades every student checkout in DIR (one folder each) with this repository's grader and")
		fmt.Fprintln(stderr, "tests, taking only the students' files; writes one report per checkout and gradebook.csv.")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	root, ok := courseRoot("grader batch", stderr)
	if !ok {
		return exitUsage
	}
	f.impl = grading.Student
	gopt, err := f.options(root)
	if err != nil {
		fmt.Fprintf(stderr, "grader batch: %v\n", err)
		return exitUsage
	}
	weeks, err := grading.Select(gopt)
	if err != nil {
		fmt.Fprintf(stderr, "grader batch: %v\n", err)
		return exitUsage
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "grader batch: %v\n", err)
		return exitInternal
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	start := time.Now()
	fmt.Fprintf(stderr, "grading the checkouts in %s, seed %d\n", fs.Arg(0), gopt.Seed)
	bar := &batchProgress{w: stderr, tty: isTerminal(fileOf(stderr))}
	rows, err := batch.Grade(ctx, batch.Options{
		Root: root, Dir: fs.Arg(0), Weeks: gopt.Weeks, Seed: gopt.Seed, Jobs: *jobs, Timeout: *timeout,
		Done: bar.done,
	})
	bar.finish()
	if err != nil {
		fmt.Fprintf(stderr, "grader batch: %v\n", err)
		return exitInternal
	}
	for _, r := range rows {
		if r.Run == nil {
			continue
		}
		if err := write(filepath.Join(*out, r.Student+".json"), nil, func(w io.Writer) error { return report.JSON(w, r.Run) }); err != nil {
			fmt.Fprintf(stderr, "grader batch: %v\n", err)
			return exitInternal
		}
		if err := write(filepath.Join(*out, r.Student+".txt"), nil, func(w io.Writer) error {
			return report.Text(w, r.Run, report.TextOptions{})
		}); err != nil {
			fmt.Fprintf(stderr, "grader batch: %v\n", err)
			return exitInternal
		}
	}
	book := filepath.Join(*out, "gradebook.csv")
	if err := write(book, nil, func(w io.Writer) error { return batch.Gradebook(w, weeks, rows) }); err != nil {
		fmt.Fprintf(stderr, "grader batch: %v\n", err)
		return exitInternal
	}
	d := time.Since(start)
	fmt.Fprintf(stdout, "graded %d checkouts in %v (%v each); gradebook: %s\n", len(rows), d.Round(100*time.Millisecond), (d / time.Duration(len(rows))).Round(100*time.Millisecond), book)
	return exitOK
}

// batchProgress shows how far a batch is: a bar on a terminal, a line per
// checkout elsewhere.
type batchProgress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	finished int
}

func (p *batchProgress) done(r batch.Row) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished++
	score := "-"
	if r.Run != nil {
		score = fmt.Sprintf("%d/%d", r.Run.Score, r.Run.MaxScore)
	}
	line := fmt.Sprintf("%3d done  %-20s %9s  %s", p.finished, r.Student, score, strings.Join(r.Status, ", "))
	if p.tty {
		fmt.Fprintf(p.w, "\r\x1b[K%s", line)
		return
	}
	fmt.Fprintln(p.w, line)
}

func (p *batchProgress) finish() {
	if p.tty {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
