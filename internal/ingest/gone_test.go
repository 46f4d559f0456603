package ingest_test

import (
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/ingest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func TestHandleGone(t *testing.T) {
	ctx := t.Context()
	graph, idx := mustStores(t)
	p := ingest.New(fakeExtractor(), graph, idx, testRegistry)
	entry := kg.Entry{Kind: kg.EntryCluster, ID: "vreta-kluster"}
	for _, u := range []string{"https://vreta.se/a", "https://vreta.se/b"} {
		if err := p.HandlePage(ctx, kg.FetchedDoc{URL: u, FinalURL: u, Body: []byte("biogas " + u), Entry: entry}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.HandleGone(ctx, "https://vreta.se/a", 404); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := graph.SourceHash(ctx, kg.DocumentID("https://vreta.se/a")); ok {
		t.Error("the gone document's facts are still in the graph")
	}
	if _, ok, _ := graph.SourceHash(ctx, kg.DocumentID("https://vreta.se/b")); !ok {
		t.Error("the other document's facts were retracted")
	}
	if n, _ := idx.Count(ctx); n != 1 {
		t.Errorf("index holds %d documents, want 1", n)
	}
	// Retracting again, or an unknown URL, does nothing.
	if err := p.HandleGone(ctx, "https://vreta.se/a", 410); err != nil {
		t.Fatal(err)
	}
	if err := p.HandleGone(ctx, "https://vreta.se/aldrig", 404); err != nil {
		t.Fatal(err)
	}
	// A document still waiting to be written is dropped.
	if err := p.HandlePage(ctx, kg.FetchedDoc{URL: "https://vreta.se/c", Body: []byte("biogas c"), Entry: entry}); err != nil {
		t.Fatal(err)
	}
	if err := p.HandleGone(ctx, "https://vreta.se/c", 404); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := idx.Count(ctx); n != 1 {
		t.Errorf("index holds %d documents after a pending document went, want 1", n)
	}
	if s := p.Stats(); s.Gone != 1 {
		t.Errorf("Stats.Gone = %d, want 1", s.Gone)
	}
}
