package labtest

import (
	"hash/fnv"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

var (
	runSeedOnce sync.Once
	runSeed     uint64
	runSeedErr  error
)

// RunSeed is the run's seed: NETLABS_SEED, or a fresh one when it is unset.
func RunSeed() (uint64, error) {
	runSeedOnce.Do(func() {
		v := os.Getenv(EnvSeed)
		if v == "" {
			runSeed = uint64(time.Now().UnixNano())
			return
		}
		runSeed, runSeedErr = strconv.ParseUint(v, 10, 64)
	})
	return runSeed, runSeedErr
}

// Seed is the test's own seed, derived from the run's seed and the test's name, so
// adding a test does not change the others' random choices. It logs the run's seed
// and how to repeat it.
func Seed(t testing.TB) uint64 {
	t.Helper()
	s, err := RunSeed()
	if err != nil {
		t.Fatalf("%s: %v", EnvSeed, err)
	}
	t.Logf("seed %d (repeat with %s=%d)", s, EnvSeed, s)
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	return s ^ h.Sum64()
}

// Rand is a random source seeded with Seed(t).
func Rand(t testing.TB) *rand.Rand {
	t.Helper()
	s := Seed(t)
	return rand.New(rand.NewPCG(s, s>>32|s<<32))
}
