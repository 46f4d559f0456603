package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/klusterkarta/klusterkarta/index"
)

// indexCount returns how many documents the index in dataDir holds.
func indexCount(t *testing.T, dataDir string) uint64 {
	t.Helper()
	ix, err := index.Open(filepath.Join(dataDir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := ix.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCrawlRefillsALostIndex checks that after the index is removed, or
// was built by another version, the next crawl writes every page into it
// again, though the graph holds them all unchanged, and that the crawl
// after that is incremental again.
func TestCrawlRefillsALostIndex(t *testing.T) {
	_, seeds := MustStartDemoWeb(t)
	data := t.TempDir()
	MustCrawl(t, seeds, data)
	want := indexCount(t, data)
	if want == 0 {
		t.Fatal("the first crawl indexed nothing")
	}
	for _, tt := range []struct {
		name  string
		spoil func(t *testing.T, path string)
	}{
		{"removed", func(t *testing.T, path string) {
			if err := os.RemoveAll(path); err != nil {
				t.Fatal(err)
			}
		}},
		{"built by another version", func(t *testing.T, path string) {
			b, err := bleve.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := b.SetInternal([]byte("klusterkarta.mapping_version"), []byte("0")); err != nil {
				t.Fatal(err)
			}
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.spoil(t, filepath.Join(data, "index"))
			refill := MustCrawl(t, seeds, data)
			if got := indexCount(t, data); got != want {
				t.Errorf("after the refill the index holds %d documents, want %d", got, want)
			}
			if refill.Changed != 0 || refill.NotModified != 0 {
				t.Errorf("refill crawl: %d changed, %d not modified; want every page fetched and none changed", refill.Changed, refill.NotModified)
			}
			next := MustCrawl(t, seeds, data)
			if next.Changed != 0 || next.Unchanged != next.Documents {
				t.Errorf("crawl after the refill: %d of %d documents unchanged, %d changed", next.Unchanged, next.Documents, next.Changed)
			}
			if got := indexCount(t, data); got != want {
				t.Errorf("after the next crawl the index holds %d documents, want %d", got, want)
			}
		})
	}
}
