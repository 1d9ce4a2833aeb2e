package program

import (
	"bytes"
	"flag"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOK   bool
	}{
		{"fine", []string{"-n", "3"}, ExitOK, true},
		{"help", []string{"-h"}, ExitOK, false},
		{"bad flag", []string{"-x"}, ExitUsage, false},
		{"bad value", []string{"-n", "three"}, ExitUsage, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("prog", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			fs.Int("n", 0, "")
			code, ok := Parse(fs, tt.args)
			if code != tt.wantCode || ok != tt.wantOK {
				t.Errorf("Parse(%q) = %d, %v; want %d, %v", tt.args, code, ok, tt.wantCode, tt.wantOK)
			}
		})
	}
}

func TestUsageError(t *testing.T) {
	var out bytes.Buffer
	fs := flag.NewFlagSet("prog", flag.ContinueOnError)
	fs.SetOutput(&out)
	fs.Usage = func() { out.WriteString("usage: prog\n") }
	if code := UsageError(fs, "bad %s", "thing"); code != ExitUsage || out.String() != "prog: bad thing\nusage: prog\n" {
		t.Errorf("UsageError() = %d, output %q", code, out.String())
	}
}

func TestListenWritesAddrFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "addr")
	var logs bytes.Buffer
	ln, err := Listen("127.0.0.1:0", file, log.New(&logs, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	b, err := os.ReadFile(file)
	if err != nil || string(b) != ln.Addr().String()+"\n" {
		t.Errorf("addr file = %q, %v; want %q", b, err, ln.Addr().String()+"\n")
	}
	if !strings.Contains(logs.String(), "listening on "+ln.Addr().String()) {
		t.Errorf("log = %q, want the address", logs.String())
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("folder holds %d files, want only the address file", len(entries))
	}
}

func TestListenFailsCleanly(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	if _, err := Listen(busy.Addr().String(), "", log.New(io.Discard, "", 0)); err == nil {
		t.Error("Listen on a busy port succeeded, want an error")
	}
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "addr")
	if _, err := Listen("127.0.0.1:0", missing, log.New(io.Discard, "", 0)); err == nil || !strings.Contains(err.Error(), "addrfile") {
		t.Errorf("Listen with an unwritable addrfile = %v, want an addrfile error", err)
	}
}

func TestListenUDPWritesAddrFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "addr")
	conn, err := ListenUDP("127.0.0.1:0", file, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if b, err := os.ReadFile(file); err != nil || string(b) != conn.LocalAddr().String()+"\n" {
		t.Errorf("addr file = %q, %v; want %q", b, err, conn.LocalAddr().String()+"\n")
	}
}
