package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// benchDocs makes n documents by varying the fixture documents.
func benchDocs(tb testing.TB, n int) []kg.IndexDoc {
	base := MustLoadDocs(tb)
	docs := make([]kg.IndexDoc, n)
	for i := range docs {
		d := base[i%len(base)]
		d.URL = fmt.Sprintf("%s/%d", d.URL, i)
		d.ID = kg.DocumentID(d.URL)
		d.Text = fmt.Sprintf("%s Sida %d av %d.", d.Text, i, n)
		d.Date = d.Date.Add(time.Duration(i) * time.Hour)
		docs[i] = d
	}
	return docs
}

// benchOpeners open an empty index in memory and on disk.
var benchOpeners = []struct {
	name string
	open func(b *testing.B) (*index.Index, error)
}{
	{"mem", func(*testing.B) (*index.Index, error) { return index.OpenMem() }},
	{"disk", func(b *testing.B) (*index.Index, error) { return index.Open(filepath.Join(b.TempDir(), "index")) }},
}

// BenchmarkIndex indexes 1,000 documents in batches of 100.
func BenchmarkIndex(b *testing.B) {
	for _, o := range benchOpeners {
		b.Run(o.name, func(b *testing.B) { benchmarkIndex(b, o.open) })
	}
}

func benchmarkIndex(b *testing.B, open func(*testing.B) (*index.Index, error)) {
	const batch = 100
	docs := benchDocs(b, 1000)
	ctx := context.Background()
	for b.Loop() {
		ix, err := open(b)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(docs); i += batch {
			if err := ix.Index(ctx, docs[i:i+batch]); err != nil {
				b.Fatal(err)
			}
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkSearch runs a filtered, faceted, highlighted query over 1,000
// documents.
func BenchmarkSearch(b *testing.B) {
	for _, o := range benchOpeners {
		b.Run(o.name, func(b *testing.B) { benchmarkSearch(b, o.open) })
	}
}

func benchmarkSearch(b *testing.B, open func(*testing.B) (*index.Index, error)) {
	ctx := context.Background()
	ix, err := open(b)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Index(ctx, benchDocs(b, 1000)); err != nil {
		b.Fatal(err)
	}
	req := kg.SearchRequest{Query: `strategi "lokal mat" beredskapslager`, Lang: "sv", Size: 20}
	for b.Loop() {
		res, err := ix.Search(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Hits) == 0 {
			b.Fatal("no hits")
		}
	}
}
