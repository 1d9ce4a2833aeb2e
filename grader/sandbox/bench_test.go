//go:build linux

package sandbox_test

import (
	"os"
	"os/exec"
	"testing"

	"netlabs/grader/sandbox"
)

// The overhead of a sandbox is the difference between the two benchmarks of
// each pair: with Command, the setup step (this binary, started in fresh user
// and network namespaces, configuring lo over rtnetlink) runs before the
// target.

func BenchmarkCommandHelper(b *testing.B) {
	for b.Loop() {
		if r := run(b, helperCmd(b, "true")); r.code != 0 {
			b.Fatal(r)
		}
	}
}

func BenchmarkPlainHelper(b *testing.B) {
	exe := executable(b)
	for b.Loop() {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), envHelper+"=true")
		if r := run(b, cmd); r.code != 0 {
			b.Fatal(r)
		}
	}
}

const trueProgram = "/bin/true"

func BenchmarkCommandTrue(b *testing.B) {
	skipWithoutTrue(b)
	for b.Loop() {
		cmd, err := sandbox.Command(trueProgram)
		if err != nil {
			b.Fatal(err)
		}
		if r := run(b, cmd); r.code != 0 {
			b.Fatal(r)
		}
	}
}

func BenchmarkPlainTrue(b *testing.B) {
	skipWithoutTrue(b)
	for b.Loop() {
		if r := run(b, exec.Command(trueProgram)); r.code != 0 {
			b.Fatal(r)
		}
	}
}

func skipWithoutTrue(b *testing.B) {
	if _, err := os.Stat(trueProgram); err != nil {
		b.Skip(err)
	}
}
