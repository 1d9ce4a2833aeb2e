package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"netlabs/grader/course"
)

// handoutsMain rewrites the grading tables in every week's handout from the
// rubric: go run ./grader handouts.
func handoutsMain(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: go run ./grader handouts")
		return exitUsage
	}
	root, ok := courseRoot("grader handouts", stderr)
	if !ok {
		return exitUsage
	}
	for _, w := range course.Weeks() {
		path := filepath.Join(root, filepath.FromSlash(w.Dir()), "README.md")
		b, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "grader handouts: %v\n", err)
			return exitInternal
		}
		text := string(b)
		for _, l := range w.Labs {
			if text, err = course.UpdateHandout(text, l); err != nil {
				fmt.Fprintf(stderr, "grader handouts: %s: %v\n", path, err)
				return exitInternal
			}
		}
		if text != string(b) {
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				fmt.Fprintf(stderr, "grader handouts: %v\n", err)
				return exitInternal
			}
			fmt.Fprintf(stdout, "updated %s/README.md\n", w.Dir())
		}
	}
	return exitOK
}
