package report

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"netlabs/grader/result"
)

var update = flag.Bool("update", false, "rewrite the want files of testdata/*.txtar with the actual output")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"render": func() { os.Exit(render(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the golden scripts in testdata. Each starts with the files
// of testdata/sample in its work directory; go test -update rewrites their
// want files from what the renderers write now.
func TestScripts(t *testing.T) {
	sampleFiles, err := filepath.Abs(sampleDir)
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Setup: func(e *testscript.Env) error {
			return os.CopyFS(e.WorkDir, os.DirFS(sampleFiles))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"unescape":     cmdUnescape,
			"bigoutput":    cmdBigOutput,
			"base64decode": cmdBase64Decode,
		},
	})
}

// render is the scripts' command:
//
//	render [-format F] [-color] [-v] [-output ID=FILE]... RUN.json
//
// It reads a Run from RUN.json and writes its report to stdout. -output
// replaces check ID's output with FILE's bytes, which may be anything,
// including what JSON cannot hold. Exit status 2 for usage errors, 1 when the
// report cannot be written.
func render(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "report `format`: "+strings.Join(Names(), ", "))
	color := fs.Bool("color", false, "text: ANSI colours")
	verbose := fs.Bool("v", false, "text: whole outputs")
	outputs := map[string]string{}
	fs.Func("output", "replace check ID's output with FILE's bytes (`ID=FILE`, repeatable)", func(v string) error {
		id, file, ok := strings.Cut(v, "=")
		if !ok {
			return errors.New("want ID=FILE")
		}
		data, err := os.ReadFile(file)
		outputs[id] = string(data)
		return err
	})
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: render [-format F] [-color] [-v] [-output ID=FILE]... RUN.json")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	write, err := Format(*format)
	if err != nil {
		fmt.Fprintln(stderr, "render:", err)
		return 2
	}
	if *format == "text" {
		write = func(w io.Writer, r *result.Run) error {
			return Text(w, r, TextOptions{Color: *color, Verbose: *verbose})
		}
	} else if *color || *verbose {
		fmt.Fprintln(stderr, "render: -color and -v apply to -format text only")
		return 2
	}
	r, err := loadRun(fs.Arg(0), outputs)
	if err != nil {
		fmt.Fprintln(stderr, "render:", err)
		return 1
	}
	if err := write(stdout, r); err != nil {
		fmt.Fprintln(stderr, "render:", err)
		return 1
	}
	return 0
}

// cmdUnescape: unescape IN OUT writes to OUT the Go string literals of IN,
// one a line, joined.
func cmdUnescape(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: unescape IN OUT")
	}
	s, err := unquoteFile(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(s), 0o666))
}

// cmdBigOutput: bigoutput FILE BYTES writes BYTES bytes of a chatty test's
// log to FILE.
func cmdBigOutput(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bigoutput FILE BYTES")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(bigOutput(n)), 0o666))
}

// cmdBase64Decode decodes the base64 in FILE ("stdout" for the last command's
// output) and writes it to OUT, indented when it is JSON: base64decode FILE OUT.
func cmdBase64Decode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: base64decode FILE OUT")
	}
	text := ts.ReadFile(args[0])
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	ts.Check(err)
	var buf bytes.Buffer
	if json.Indent(&buf, b, "", "  ") == nil {
		buf.WriteByte('\n')
		b = buf.Bytes()
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), b, 0o644))
}
