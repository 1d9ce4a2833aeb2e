package labtest

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"netlabs/grader/sandbox"
)

// IsolatedMain is TestMain for labs that broadcast or multicast: the whole
// test binary, and every program its scenarios start, runs in a network
// namespace of its own, so a plain go test is as safe as the grader. Under the
// grader, which already starts each test binary in a namespace, it runs the
// tests directly. Where no namespace can be made it runs them on the host,
// and RequireIsolatedNetwork skips the tests that need isolation.
//
//	func TestMain(m *testing.M) {
//		labtest.IsolatedMain(m, map[string]func(){
//			"beacon": labtest.Program(broadcast.BeaconMain),
//		})
//	}
func IsolatedMain(m *testing.M, commands map[string]func()) {
	sandbox.Init() // first: the re-executed binary is its own namespace setup
	testscript.Main(isolated{m}, commands)
}

// isolated runs the tests through sandbox.ReexecTestMain.
type isolated struct{ m *testing.M }

func (i isolated) Run() int { return sandbox.ReexecTestMain(i.m) }
