package policy

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// writeLab writes files into root/lab and returns root.
func writeLab(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "lab")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestCheckRules(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // rules broken, in order
	}{
		{"clean", `package lab
import ("errors"; "fmt"; "net"; "regexp"; "time"; "syscall")
var ErrX = errors.New("x")
var errY = fmt.Errorf("y: %w", ErrX)
var re = regexp.MustCompile("a+")
var d = time.Duration(5) * time.Second
var b = []byte("abc")
var n = int64(3)
var _ = syscall.SIGTERM
func Serve(ln net.Listener) error { return nil }`, nil},
		{"init func", "package lab\nfunc init() {}\n", []string{"init-func"}},
		{"method named init is fine", "package lab\ntype T struct{}\nfunc (T) init() {}\n", nil},
		{"os.Exit", "package lab\nimport \"os\"\nfunc F() { os.Exit(0) }\n", []string{"exit-call"}},
		{"syscall.Exit", "package lab\nimport \"syscall\"\nfunc F() { syscall.Exit(0) }\n", []string{"exit-call"}},
		{"package init call", "package lab\nimport \"os\"\nvar home = os.Getenv(\"HOME\")\n", []string{"package-init"}},
		{"package init func literal", "package lab\nvar f = func() int { return 1 }()\n", []string{"package-init"}},
		{"package init own function", "package lab\nvar x = setup()\nfunc setup() int { return 1 }\n", []string{"package-init"}},
		{"unsafe", "package lab\nimport _ \"unsafe\"\n", []string{"import"}},
		{"os/exec", "package lab\nimport _ \"os/exec\"\n", []string{"import"}},
		{"testing", "package lab\nimport _ \"testing\"\n", []string{"import"}},
		{"cgo", "package lab\nimport \"C\"\n", []string{"import"}},
		{"third party", "package lab\nimport _ \"github.com/x/y\"\n", []string{"import"}},
		{"course package", "package lab\nimport _ \"netlabs/grader/labtest\"\n", []string{"import"}},
		{"the shared plumbing", "package lab\nimport _ \"netlabs/weeks/program\"\n", nil},
		{"linkname", "package lab\nimport _ \"unsafe\"\n//go:linkname f runtime.f\nfunc f()\n", []string{"import", "linkname"}},
		{"framing byte string", "package lab\nconst s = \"\\x16--- PASS\"\n", []string{"framing-byte"}},
		{"framing byte rune", "package lab\nconst r = '\\026'\n", []string{"framing-byte"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeLab(t, map[string]string{"lab.go": tt.src})
			vs, _, err := Check(root, "lab", nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.Rule)
				if v.File != "lab/lab.go" || v.Line < 1 || v.Why == "" {
					t.Errorf("violation %+v: want file lab/lab.go, a line and a reason", v)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check() rules = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckFiles(t *testing.T) {
	root := writeLab(t, map[string]string{
		"lab.go":       "package lab\n",
		"lab_test.go":  "package lab\n",
		"mine_test.go": "package lab\nfunc init() {}\n",
		"evil.s":       "TEXT ·f(SB),0,$0\n",
		"broken.go":    "package lab\nfunc {\n",
	})
	vs, excluded, err := Check(root, "lab", []string{"lab_test.go"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(excluded, []string{"lab/mine_test.go"}) {
		t.Errorf("excluded = %v, want [lab/mine_test.go]", excluded)
	}
	if len(vs) != 1 || vs[0].Rule != "foreign-source" || vs[0].File != "lab/evil.s" {
		t.Errorf("violations = %+v, want one foreign-source in lab/evil.s (test files and unparsable files are not violations)", vs)
	}
}
