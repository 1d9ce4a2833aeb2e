package mutate

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"netlabs/grader/course"
)

// Progress hears of a run as it goes. Mutant may be called from several
// goroutines at once.
type Progress interface {
	// Lab says that n mutants of lab l are about to be graded.
	Lab(l course.Lab, n int)
	// Mutant gives the fate of one of them.
	Mutant(l course.Lab, r Result)
	// Finish ends the display.
	Finish()
}

// NewProgress writes progress to w: a bar redrawn in place when terminal is
// set, else a line per mutant.
func NewProgress(w io.Writer, terminal bool) Progress {
	return &progress{w: w, terminal: terminal}
}

type progress struct {
	w        io.Writer
	terminal bool

	mu                     sync.Mutex
	lab                    string
	total, done, survivors int
	start                  time.Time
	drawn                  bool
}

func (p *progress) Lab(l course.Lab, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	p.lab, p.total, p.done, p.survivors, p.start = l.ID(), n, 0, 0, time.Now()
	fmt.Fprintf(p.w, "%s: grading %d mutants\n", p.lab, n)
	p.draw()
}

func (p *progress) Mutant(l course.Lab, r Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if r.Fate == Survived {
		p.survivors++
	}
	if !p.terminal {
		fmt.Fprintf(p.w, "%s %d/%d %-13s %s (%s)\n", p.lab, p.done, p.total, r.Fate, r.Mutant.ID, r.Duration.Round(100*time.Millisecond))
		return
	}
	if r.Fate == Survived || r.Fate == Errored {
		p.clear()
		fmt.Fprintf(p.w, "  %s: %s %s:%d %s\n", r.Fate, r.Mutant.ID, r.Mutant.File, r.Mutant.Line, r.Why)
	}
	p.draw()
}

func (p *progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

// draw writes the bar: lab, bar, count, survivors, elapsed and remaining time.
func (p *progress) draw() {
	if !p.terminal {
		return
	}
	const width = 30
	filled := 0
	if p.total > 0 {
		filled = width * p.done / p.total
	}
	elapsed := time.Since(p.start)
	eta := "?"
	if p.done > 0 {
		eta = (elapsed / time.Duration(p.done) * time.Duration(p.total-p.done)).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r\033[K%s [%s%s] %d/%d  %d survived  %s elapsed, ~%s left",
		p.lab, strings.Repeat("#", filled), strings.Repeat(".", width-filled),
		p.done, p.total, p.survivors, elapsed.Round(time.Second), eta)
	p.drawn = true
}

// clear erases the bar so that a line can be written.
func (p *progress) clear() {
	if p.terminal && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}
