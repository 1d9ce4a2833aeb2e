package report

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestFormats(t *testing.T) {
	want := []string{"classroom", "gradescope", "json", "junit", "markdown", "text"}
	if got := Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	r := sample(t)
	for _, name := range want {
		write, err := Format(name)
		if err != nil {
			t.Fatalf("Format(%q) = %v", name, err)
		}
		if err := write(io.Discard, r); err != nil {
			t.Errorf("Format(%q) writing the sample: %v", name, err)
		}
	}
}

func TestFormatUnknown(t *testing.T) {
	_, err := Format("xml")
	if !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("Format(\"xml\") = %v, want ErrUnknownFormat", err)
	}
	for _, name := range Names() {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("Format(\"xml\") = %q, want it to list %q", err, name)
		}
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestFormatsReturnWriteErrors(t *testing.T) {
	r := sample(t)
	for _, name := range Names() {
		write, _ := Format(name)
		if err := write(failingWriter{}, r); !errors.Is(err, errWrite) {
			t.Errorf("Format(%q) to a failing writer = %v, want %v", name, err, errWrite)
		}
	}
}
