package report

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"netlabs/grader/result"
)

// A Writer writes one report of r to w. It returns the first error from w.
type Writer func(w io.Writer, r *result.Run) error

// ErrUnknownFormat is returned, wrapped, by Format for a name no format has.
var ErrUnknownFormat = errors.New("unknown report format")

// formats holds every format by name. Each format's file adds itself from its
// init function, so adding a format touches no other file.
var formats = map[string]Writer{}

// register adds a format. A name used twice is a programming error.
func register(name string, write Writer) {
	if _, dup := formats[name]; dup {
		panic("report: format " + name + " registered twice")
	}
	formats[name] = write
}

// Format returns the writer of the format called name ("text", "json",
// "markdown", "junit"). For an unknown name the error wraps ErrUnknownFormat
// and lists the valid names.
func Format(name string) (Writer, error) {
	if write, ok := formats[name]; ok {
		return write, nil
	}
	return nil, fmt.Errorf("%w %q (valid formats: %s)", ErrUnknownFormat, name, strings.Join(Names(), ", "))
}

// Names returns the names of every format, sorted.
func Names() []string {
	names := make([]string, 0, len(formats))
	for name := range formats {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
