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
func Scripts(t *testing.T, dir string) {
	seed, err := RunSeed()
	if err != nil {
		t.Fatalf("%s: %v", EnvSeed, err)
	}
	t.Logf("seed %d (repeat with %s=%d)", seed, EnvSeed, seed)
	testscript.Run(t, testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds:                Commands(),
		Setup: func(e *testscript.Env) error {
			e.Setenv(EnvSeed, strconv.FormatUint(seed, 10))
			for _, k := range []string{EnvSandbox, EnvHostNetwork} {
				if v, ok := os.LookupEnv(k); ok {
					e.Setenv(k, v)
				}
			}
			return nil
		},
	})
}
