package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// courseRoot finds the course's root from the working folder; when there is
// none it says so on stderr, prefixed with the command's name.
func courseRoot(name string, stderr io.Writer) (string, bool) {
	cwd, _ := os.Getwd()
	root, err := findRoot(cwd)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return "", false
	}
	return root, true
}

// parseArgs parses args with fs. When it returns ok false, the command returns
// code at once: exitOK after -h, exitUsage after a bad flag (the flag package
// has printed why and the usage).
func parseArgs(fs *flag.FlagSet, args []string) (code int, ok bool) {
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	case err != nil:
		return exitUsage, false
	}
	return exitOK, true
}

// findRoot walks up from dir to the folder whose go.mod declares module netlabs.
func findRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if isCourseRoot(d) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("not inside the netlabs course repository (no go.mod with \"module netlabs\" here or above); run the grader from your checkout")
		}
	}
}

func isCourseRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
			return fields[1] == "netlabs"
		}
	}
	return false
}

// isTerminal reports whether f is a character device, as a terminal is.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// colorOK reports whether colour may be written to f: a terminal, NO_COLOR
// unset (no-color.org), and not a dumb terminal.
func colorOK(f *os.File) bool {
	_, noColor := os.LookupEnv("NO_COLOR")
	return isTerminal(f) && !noColor && os.Getenv("TERM") != "dumb"
}
