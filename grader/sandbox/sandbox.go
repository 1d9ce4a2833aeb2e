package sandbox

import (
	"errors"
	"sync/atomic"
)

// Environment variables of the sandbox contract.
//
// EnvSandbox and EnvHostNetwork carry the same names as the constants of
// netlabs/grader/labtest. They are declared again here on purpose: labtest is a
// test toolkit that pulls in testscript and goleak, and it may one day call
// ReexecTestMain, so sandbox must not import it.
const (
	// EnvSandbox is "netns" in a process that runs inside a namespace made by
	// this package; ReexecTestMain sets it to the reason when none could be made.
	EnvSandbox = "NETLABS_SANDBOX"
	// EnvHostNetwork set to "1" lets tests that need broadcast or multicast use
	// the host's network when no namespace can be made. This package only
	// documents it; the tests decide.
	EnvHostNetwork = "NETLABS_HOST_NETWORK"

	// inside is the value of EnvSandbox inside a namespace.
	inside = "netns"
)

// ErrNoInit is returned by Command and Check when Init has not been called in
// this process. Without Init, the re-executed binary would run its own main (or
// all its tests) instead of setting up the namespace, so nothing is started.
var ErrNoInit = errors.New("sandbox: Init was not called first thing in main or TestMain")

// initCalled records that Init ran in this process and returned.
var initCalled atomic.Bool
