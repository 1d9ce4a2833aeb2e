package report

import (
	"bytes"
	"strings"
	"testing"
)

// A checkout whose protected files changed says so, file by file, in the text
// scorecard and the Markdown summary; a verified one says nothing.
func TestChangedFilesAreShown(t *testing.T) {
	r := sample(t)
	r.Integrity = "modified"
	r.Changed = []string{"weeks/week01/tcpack/tcpack_test.go: modified", "grader/x.go: added"}
	var text, md bytes.Buffer
	if err := Text(&text, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Markdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{text.String(), md.String()} {
		for _, c := range r.Changed {
			if !strings.Contains(out, c) {
				t.Errorf("report lacks %q:\n%s", c, out)
			}
		}
	}
	r.Integrity, r.Changed = "verified", nil
	text.Reset()
	Text(&text, r, TextOptions{})
	if strings.Contains(text.String(), "protected") {
		t.Errorf("a verified checkout's scorecard mentions protected files:\n%s", text.String())
	}
}
