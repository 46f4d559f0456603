package index_test

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/bench/indexbench/docgen"
	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

// benchGenDocs is the number of generated documents the Generated
// benchmarks index; the full-scale figures come from bench/indexbench.
var benchGenDocs = flag.Int("bench.gendocs", 10_000, "documents of the Generated benchmarks")

// genBatch is the number of documents per Index call in the benchmarks.
const genBatch = 500

// newDocGenerator returns the generator of bench/indexbench over the
// index's own word lists; general.txt is used when it was generated.
func newDocGenerator(tb testing.TB) (*docgen.Generator, []string, []string) {
	tb.Helper()
	domain, err := docgen.ReadWords("dict/domain.txt")
	if err != nil {
		tb.Fatal(err)
	}
	general, err := docgen.ReadWords("dict/general.txt")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		tb.Fatal(err)
	}
	v, err := docgen.DefaultVocabulary(domain, general)
	if err != nil {
		tb.Fatal(err)
	}
	g, err := docgen.New(1, v)
	if err != nil {
		tb.Fatal(err)
	}
	return g, domain, general
}

func openWithTopics(tb testing.TB, path string) *index.Index {
	tb.Helper()
	vocab, err := topics.Default()
	if err != nil {
		tb.Fatal(err)
	}
	var ix *index.Index
	if path == "" {
		ix, err = index.OpenMem(index.WithTopics(vocab))
	} else {
		ix, err = index.Open(path, index.WithTopics(vocab))
	}
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

func indexInBatches(tb testing.TB, ix *index.Index, docs []kg.IndexDoc) {
	tb.Helper()
	for i := 0; i < len(docs); i += genBatch {
		if err := ix.Index(context.Background(), docs[i:min(i+genBatch, len(docs))]); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestGeneratedDocuments checks that generated documents go through the
// analysis real pages get: a compound of the generated text is found by
// each of its parts, and the facets count every document.
func TestGeneratedDocuments(t *testing.T) {
	g, domain, general := newDocGenerator(t)
	docs := g.Docs(0, 120, 2)
	ix := openWithTopics(t, "")
	defer ix.Close()
	indexInBatches(t, ix, docs)

	n, err := ix.Count(context.Background())
	if err != nil || n != uint64(len(docs)) {
		t.Fatalf("Count = %d, %v; want %d", n, err, len(docs))
	}
	// Near-duplicates collapse into one hit; the facets count them all.
	all := MustSearch(t, ix, kg.SearchRequest{})
	sum := 0
	for _, f := range all.Facets["lang"] {
		sum += f.Count
	}
	if sum != len(docs) {
		t.Errorf("lang facet counts %d documents, want %d: %v", sum, len(docs), all.Facets["lang"])
	}

	dict := index.NewDictionary(domain, general)
	checked := 0
	for _, d := range docs {
		if d.Lang != "sv" || checked == 3 {
			continue
		}
		c := firstCompound(g, d.Text)
		if c == "" {
			continue
		}
		parts := dict.Split(c)
		if len(parts) < 2 {
			t.Errorf("generated compound %q does not split", c)
			continue
		}
		checked++
		for _, p := range parts {
			// Narrow to the document's cluster, kind and language so
			// that it is on the first page.
			req := kg.SearchRequest{Query: p.Text, Cluster: d.Clusters[0], Kind: d.Kind, Lang: d.Lang, Size: kg.MaxPageSize}
			res := MustSearch(t, ix, req)
			if !slices.Contains(ids(res.Hits), d.ID) {
				t.Errorf("part %q of %q does not find %s (%d hits)", p.Text, c, d.ID, res.Total)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no Swedish document with a compound in base form")
	}
}

// firstCompound returns the first word of text that is one of g's
// compounds in base form.
func firstCompound(g *docgen.Generator, text string) string {
	comp := map[string]bool{}
	for _, c := range g.Compounds() {
		comp[c] = true
	}
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if w = strings.Trim(w, ".,"); comp[w] {
			return w
		}
	}
	return ""
}

// BenchmarkIndexGenerated indexes -bench.gendocs generated documents on
// disk in batches of 500, as the ingest pipeline writes them, until the
// index is closed.
func BenchmarkIndexGenerated(b *testing.B) {
	g, _, _ := newDocGenerator(b)
	docs := g.Docs(0, *benchGenDocs, 2)
	var size int64
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "index")
		ix := openWithTopics(b, path)
		indexInBatches(b, ix, docs)
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		size = dirBytes(b, path)
		b.StartTimer()
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(size)/float64(len(docs)), "bytes/doc")
}

func dirBytes(tb testing.TB, path string) int64 {
	var n int64
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// BenchmarkSearchGenerated searches an on-disk index of -bench.gendocs
// generated documents with one, two and three query terms and every
// facet, as the API asks, and with a cluster and a year filter.
func BenchmarkSearchGenerated(b *testing.B) {
	g, _, _ := newDocGenerator(b)
	path := filepath.Join(b.TempDir(), "index")
	ix := openWithTopics(b, path)
	indexInBatches(b, ix, g.Docs(0, *benchGenDocs, 2))
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	ix = openWithTopics(b, path)
	defer ix.Close()
	ctx := context.Background()
	clusters := []string{}
	for _, d := range g.Docs(0, 200, 2) {
		for _, c := range d.Clusters {
			if !slices.Contains(clusters, c) {
				clusters = append(clusters, c)
			}
		}
	}
	for _, c := range []struct {
		name    string
		terms   int
		filters bool
	}{
		{"terms=1", 1, false},
		{"terms=2", 2, false},
		{"terms=3", 3, false},
		{"terms=2+filters", 2, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			var lat []time.Duration
			i := 0
			for b.Loop() {
				req := kg.SearchRequest{Query: g.Query(i%500, c.terms)}
				if c.filters {
					req.Cluster, req.Year = clusters[i%len(clusters)], docgen.End.Year()-i%5
				}
				start := time.Now()
				if _, err := ix.Search(ctx, req); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				i++
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50-ms")
			b.ReportMetric(float64(lat[(len(lat)*99+99)/100-1])/1e6, "p99-ms")
		})
	}
}
