package labtest

import (
	"strings"
	"testing"
)

// fakeTB records what RequireIsolatedNetwork does with a test.
type fakeTB struct {
	testing.TB
	skipped string
	logged  string
}

func (f *fakeTB) Helper()                          {}
func (f *fakeTB) Skipf(format string, args ...any) { f.skipped = format }
func (f *fakeTB) Logf(format string, args ...any)  { f.logged = format }
func (f *fakeTB) Log(args ...any)                  { f.logged = "log" }

func TestRequireIsolatedNetworkOnTheHost(t *testing.T) {
	tests := []struct {
		name, sandbox, host string
		wantSkip            bool
	}{
		{"no sandbox", "user namespaces are restricted", "", true},
		{"stray netns claim", "netns", "", true},
		{"opted in", "user namespaces are restricted", "1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvSandbox, tt.sandbox)
			t.Setenv(EnvHostNetwork, tt.host)
			f := &fakeTB{}
			RequireIsolatedNetwork(f)
			if (f.skipped != "") != tt.wantSkip {
				t.Errorf("skipped = %q, want skip %v", f.skipped, tt.wantSkip)
			}
			if !tt.wantSkip && !strings.Contains(f.logged, "HOST NETWORK") {
				t.Errorf("logged %q, want the opt-in said", f.logged)
			}
		})
	}
}
