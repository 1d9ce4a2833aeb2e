package labtest

import (
	"context"
	"errors"
	"testing"
	"time"
)

// StopTimeout is how long Background's stop waits for serve to return.
const StopTimeout = 2 * time.Second

// ErrStuck is what Background's stop returns when serve has not returned
// within StopTimeout after its context was cancelled.
var ErrStuck = errors.New("Serve did not return within 2s after its context was cancelled")

// Background runs serve, a server's Serve bound to its arguments, in a
// goroutine of its own for the rest of the test:
//
//	stop := labtest.Background(t, func(ctx context.Context) error { return srv.Serve(ctx, ln) })
//
// A server runs until it is told to stop, so serve returning before stop is
// called fails the test. stop cancels serve's context and returns serve's
// error, or ErrStuck when serve has not returned within StopTimeout; it may be
// called more than once. The test's cleanup calls stop and fails the test
// when serve is stuck.
func Background(t testing.TB, serve func(ctx context.Context) error) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		err := serve(ctx)
		if ctx.Err() == nil {
			t.Errorf("Serve returned before its context was cancelled: %v", err)
		}
		errc <- err
	}()
	var result error
	stopped := false
	stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			select {
			case result = <-errc:
			case <-time.After(StopTimeout):
				result = ErrStuck
			}
		}
		return result
	}
	t.Cleanup(func() {
		if err := stop(); errors.Is(err, ErrStuck) {
			t.Error(err)
		}
	})
	return stop
}
