//go:build linux

package sandbox

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExplain feeds explain the kernel settings of the usual obstacles; the
// real failures are made in TestCheckFailure.
func TestExplain(t *testing.T) {
	tests := []struct {
		name string
		give map[string]string // sysctl name -> value
		want string
	}{
		{
			name: "apparmor",
			give: map[string]string{"kernel/apparmor_restrict_unprivileged_userns": "1\n", "user/max_user_namespaces": "0"},
			want: "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0",
		},
		{
			name: "apparmor off",
			give: map[string]string{"kernel/apparmor_restrict_unprivileged_userns": "0\n", "user/max_user_namespaces": "0\n"},
			want: "user namespaces are disabled (user.max_user_namespaces=0)",
		},
		{
			name: "debian switch",
			give: map[string]string{"kernel/unprivileged_userns_clone": "0\n"},
			want: "sudo sysctl -w kernel.unprivileged_userns_clone=1",
		},
		{
			name: "unknown",
			give: map[string]string{"user/max_user_namespaces": "100\n"},
			want: "sandbox: cannot create a network namespace: operation not permitted",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, v := range tt.give {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			old := procSys
			procSys = dir + "/"
			t.Cleanup(func() { procSys = old })

			err := explain(syscall.EPERM)
			if !strings.Contains(err.Error(), tt.want) || !errors.Is(err, syscall.EPERM) {
				t.Fatalf("explain(EPERM) = %v, want it to contain %q and wrap EPERM", err, tt.want)
			}
		})
	}
}
