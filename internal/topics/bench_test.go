package topics

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/golden"
)

// update rewrites the golden file of the matcher's benchmark page.
var update = flag.Bool("update", false, "rewrite testdata/bench/golden.txt")

// benchPage is the main text of a cluster's news page (about 9 KB) about
// farm biogas, preparedness and a project.
func benchPage(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "bench", "page.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestMatchPageGolden pins what the default vocabulary finds on the
// benchmark page, so that making Match faster cannot change it. Run with
// -update after a deliberate change.
func TestMatchPageGolden(t *testing.T) {
	ms := defaultMatcher(t).Match(benchPage(t))
	var b bytes.Buffer
	for _, m := range ms {
		fmt.Fprintf(&b, "%s %q count=%d\n  %s\n", m.TopicID, m.Term, m.Count, m.Snippet)
	}
	golden.Check(t, filepath.Join("testdata", "bench", "golden.txt"), b.Bytes(), *update)
	if len(ms) < 5 {
		t.Errorf("found %d topics on a page about biogas, preparedness and food, want at least 5", len(ms))
	}
}

// BenchmarkMatchPage matches the default vocabulary over the benchmark
// page.
func BenchmarkMatchPage(b *testing.B) {
	m := defaultMatcher(b)
	text := benchPage(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		m.Match(text)
	}
}
