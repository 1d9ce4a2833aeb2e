package selftest

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompareAPI(t *testing.T) {
	dir := t.TempDir()
	stub := filepath.Join(dir, "stub.go")
	ref := filepath.Join(dir, "ref.go")
	writeFile(t, stub, `package lab

// Server serves.
type Server struct {
	// Timeout is how long.
	Timeout int
}

// Serve serves until ctx ends.
func (s *Server) Serve() error { return nil }

// Max is the most.
const Max = 10
`)
	writeFile(t, ref, `package lab

// Server serves.
type Server struct {
	// Timeout is how long.
	Timeout int
	mu      int // the reference's own
}

// Serve serves until the context ends.
func (s *Server) Serve() error { return s.serve() }

func (s *Server) serve() error { return nil }

// Max is the most.
const Max = 11

// Extra is not in the stub.
func Extra() {}
`)
	a, err := exportedAPI(stub)
	if err != nil {
		t.Fatal(err)
	}
	b, err := exportedAPI(ref)
	if err != nil {
		t.Fatal(err)
	}
	got := errors.Join(compareAPI("lab.go", a, b)...).Error()
	for _, want := range []string{
		"Extra is in the reference, not in the stub",
		"Max is declared differently",
		"Server.Serve's doc comment differs",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("compareAPI() does not say %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Server is declared differently") {
		t.Errorf("an unexported field of the reference counts as API:\n%s", got)
	}
}
