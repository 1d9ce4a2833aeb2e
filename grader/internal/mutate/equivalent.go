package mutate

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// EquivalentFile is the name of a lab's list of equivalent mutants, in the
// lab's folder of known-bad variants: grader/testdata/mutants/weekNN/<pkg>/.
const EquivalentFile = "equivalent.txt"

// Equivalents are a lab's mutants that no test can tell from the reference,
// by id, with the reason each one is equivalent.
type Equivalents map[string]string

// ParseEquivalents reads a list of equivalent mutants: one "<id> <reason>"
// per line (the id, then white space, then the reason, which must not be
// empty); blank lines and lines starting with "#" are comments. name is used
// in error messages. An id listed twice is an error.
func ParseEquivalents(name string, r io.Reader) (Equivalents, error) {
	eq := Equivalents{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason := line, ""
		if i := strings.IndexAny(line, " \t"); i >= 0 {
			id, reason = line[:i], strings.TrimSpace(line[i:])
		}
		switch {
		case !strings.Contains(id, ":") || !strings.Contains(id, "#"):
			return nil, fmt.Errorf("%s:%d: %q is not a mutant id (file:Func:operator:key#n)", name, n, id)
		case reason == "":
			return nil, fmt.Errorf("%s:%d: %s: say why the mutant is equivalent", name, n, id)
		case eq[id] != "":
			return nil, fmt.Errorf("%s:%d: %s is listed twice", name, n, id)
		}
		eq[id] = reason
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return eq, nil
}

// LoadEquivalents reads the file at path; a file that does not exist is an
// empty list.
func LoadEquivalents(path string) (Equivalents, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return Equivalents{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseEquivalents(path, f)
}

// Stale returns, sorted, the listed ids that are not among ids: entries left
// behind by a change to the reference.
func (eq Equivalents) Stale(ids map[string]bool) []string {
	var stale []string
	for id := range eq {
		if !ids[id] {
			stale = append(stale, id)
		}
	}
	slices.Sort(stale)
	return stale
}
