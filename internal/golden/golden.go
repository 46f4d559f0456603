// Package golden compares a test's output with a file kept under
// testdata, so that a change which should not alter an output cannot do so
// unnoticed.
package golden

import (
	"os"
	"strings"
	"testing"
)

// Check compares got with the file at path and fails tb at the first line
// that differs. With update set it writes got to path first, for use after
// a deliberate change (tests pass their -update flag).
func Check(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if string(got) == string(want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		g, w := "", ""
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			tb.Fatalf("output differs from %s at line %d:\n got: %s\nwant: %s", path, i+1, g, w)
		}
	}
}
