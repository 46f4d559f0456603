package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records a failure instead of stopping.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = format
	panic(r)
}

func (r *recorder) Fatal(args ...any) { r.Fatalf("fatal") }

// check runs Check and returns the failure it reported, if any.
func check(t *testing.T, path string, got string, update bool) (failed string) {
	r := &recorder{TB: t}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
		failed = r.failed
	}()
	Check(r, path, []byte(got), update)
	return ""
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "golden.txt")
	if f := check(t, path, "a\nb\n", false); !strings.Contains(f, "reading golden file") {
		t.Errorf("a missing file: failure %q, want a read error", f)
	}
	if f := check(t, path, "a\nb\n", true); f != "" {
		t.Errorf("update: failure %q", f)
	}
	if b, _ := os.ReadFile(path); string(b) != "a\nb\n" {
		t.Errorf("update wrote %q", b)
	}
	if f := check(t, path, "a\nb\n", false); f != "" {
		t.Errorf("equal output: failure %q", f)
	}
	if f := check(t, path, "a\nc\n", false); !strings.Contains(f, "differs") {
		t.Errorf("a changed line: failure %q, want a difference", f)
	}
}
