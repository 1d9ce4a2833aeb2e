//go:build !linux

package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
)

// errUnsupported is what Command and Check return outside Linux. It wraps
// errors.ErrUnsupported.
var errUnsupported = fmt.Errorf("sandbox: network namespaces need Linux, not %s: %w", runtime.GOOS, errors.ErrUnsupported)

// Init records that it ran; outside Linux there is no setup step to perform.
func Init() { initCalled.Store(true) }

// Command always fails outside Linux with an error that wraps
// errors.ErrUnsupported.
func Command(name string, args ...string) (*exec.Cmd, error) { return nil, errUnsupported }

// CommandContext always fails outside Linux; see Command.
func CommandContext(ctx context.Context, name string, args ...string) (*exec.Cmd, error) {
	return nil, errUnsupported
}

// Check always fails outside Linux with an error that wraps
// errors.ErrUnsupported, or ErrNoInit if Init has not run.
func Check() error {
	if !initCalled.Load() {
		return ErrNoInit
	}
	return errUnsupported
}

// Marker returns nothing: there is no setup step on this system.
func Marker(env []string) []string { return nil }
