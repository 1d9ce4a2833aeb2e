package labtest

import (
	"os"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// Scripts runs every .txtar file in dir as a subtest of t, named after the file
// without its extension: testdata/cli_exchange.txtar is TestScripts/cli_exchange.
// Scripts must name the programs they run ("exec ackserver ..."), and may use the
// commands of Commands. Each script sees the run's seed as $NETLABS_SEED.
func Scripts(t *testing.T, dir string) { ScriptsWith(t, dir, nil) }

// ScriptsWith is Scripts with more commands: a lab's own, for instance one
// that compares a program's output with a relay's ground truth (ScriptRelay).
// They must not reuse the names of Commands.
func ScriptsWith(t *testing.T, dir string, cmds map[string]func(ts *testscript.TestScript, neg bool, args []string)) {
	all := Commands()
	for name, cmd := range cmds {
		if _, ok := all[name]; ok {
			t.Fatalf("script command %q is already one of labtest's", name)
		}
		all[name] = cmd
	}
	seed, err := RunSeed()
	if err != nil {
		t.Fatalf("%s: %v", EnvSeed, err)
	}
	t.Logf("seed %d (repeat with %s=%d)", seed, EnvSeed, seed)
	testscript.Run(t, testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds:                all,
		Setup: func(e *testscript.Env) error {
			e.Setenv(EnvSeed, strconv.FormatUint(seed, 10))
			// A race-enabled program sleeps a second at exit unless told not to.
			if os.Getenv("GORACE") == "" {
				e.Setenv("GORACE", "atexit_sleep_ms=0")
			}
			for _, k := range []string{EnvSandbox, EnvHostNetwork} {
				if v, ok := os.LookupEnv(k); ok {
					e.Setenv(k, v)
				}
			}
			return nil
		},
	})
}
