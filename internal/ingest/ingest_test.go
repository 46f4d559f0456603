package ingest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/ingest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// extractFunc adapts a function to ingest.Extractor.
type extractFunc func(ctx context.Context, fd kg.FetchedDoc) (kg.Document, error)

func (f extractFunc) Extract(ctx context.Context, fd kg.FetchedDoc) (kg.Document, error) {
	return f(ctx, fd)
}

// failingIndex fails every Index call while fail is set.
type failingIndex struct {
	kg.Searcher
	fail bool
}

func (f *failingIndex) Index(ctx context.Context, docs []kg.IndexDoc) error {
	if f.fail {
		return errors.New("disk full")
	}
	return f.Searcher.Index(ctx, docs)
}

var testRegistry = kg.Registry{Clusters: []kg.Cluster{
	{ID: "vreta-kluster", Name: "Vreta Kluster", County: "Östergötlands län"},
	{ID: "agrovast", Name: "Agroväst", County: "Västra Götalands län"},
}}

var testTopics = []kg.Topic{{ID: "bioenergy", SV: "Bioenergi", EN: "Bioenergy", Terms: []string{"biogas"}}}

// pages maps a URL to the body text the fake extractor turns into a
// document about biogas by the cluster named in the body.
func fakeExtractor() ingest.Extractor {
	return extractFunc(func(_ context.Context, fd kg.FetchedDoc) (kg.Document, error) {
		body := string(fd.Body)
		if body == "" {
			return kg.Document{}, errors.New("no text")
		}
		return kg.Document{
			ID: kg.DocumentID(fd.URL), URL: fd.URL, Host: "example.se", Title: body, Text: body,
			Lang: "sv", Kind: kg.KindNews, Clusters: []string{fd.Entry.ID},
			Topics:      []kg.TopicMatch{{TopicID: "bioenergy", Term: "biogas", Snippet: body, Count: 1}},
			ContentHash: "h:" + body,
		}, nil
	})
}

func mustStores(t *testing.T) (*embedded.Store, *index.Index) {
	t.Helper()
	g, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	idx, err := index.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if err := ingest.LoadRegistry(context.Background(), g, testRegistry, testTopics); err != nil {
		t.Fatal(err)
	}
	return g, idx
}

func page(url, cluster, body string) kg.FetchedDoc {
	return kg.FetchedDoc{URL: url, FinalURL: url, Status: 200, Body: []byte(body),
		Entry: kg.Entry{Kind: kg.EntryCluster, ID: cluster}}
}

func TestPipelineWritesChangesOnce(t *testing.T) {
	ctx := context.Background()
	g, idx := mustStores(t)
	p := ingest.New(fakeExtractor(), g, idx, testRegistry, ingest.WithBatchSize(2))
	for _, fd := range []kg.FetchedDoc{
		page("https://vretakluster.se/a", "vreta-kluster", "Biogas på gården"),
		page("https://vretakluster.se/b", "vreta-kluster", "Mer biogas"),
		page("https://agrovast.se/c", "agrovast", "Biogas i Skara"),
	} {
		if err := p.HandlePage(ctx, fd); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if s := p.Stats(); s.Documents != 3 || s.Changed != 3 || s.Unchanged != 0 || s.TopicLinks != 3 {
		t.Errorf("first pass stats = %+v", s)
	}
	ranked, err := g.TopicClusters(ctx, "bioenergy")
	if err != nil {
		t.Fatal(err)
	}
	if len(ranked) != 2 || ranked[0].ClusterID != "vreta-kluster" || len(ranked[0].Evidence) != 2 {
		t.Errorf("ranking after ingest = %+v", ranked)
	}
	res, err := idx.Search(ctx, kg.SearchRequest{County: "Västra Götalands län"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].URL != "https://agrovast.se/c" {
		t.Errorf("county filter on indexed documents = %+v", res)
	}

	// The same pages again change nothing; a changed page is rewritten.
	p2 := ingest.New(fakeExtractor(), g, idx, testRegistry)
	for _, fd := range []kg.FetchedDoc{
		page("https://vretakluster.se/a", "vreta-kluster", "Biogas på gården"),
		page("https://vretakluster.se/b", "vreta-kluster", "Biogas, nu uppdaterad"),
	} {
		if err := p2.HandlePage(ctx, fd); err != nil {
			t.Fatal(err)
		}
	}
	if err := p2.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if s := p2.Stats(); s.Unchanged != 1 || s.Changed != 1 {
		t.Errorf("second pass stats = %+v, want 1 unchanged and 1 changed", s)
	}
	if n, _ := idx.Count(ctx); n != 3 {
		t.Errorf("index holds %d documents, want 3", n)
	}
}

func TestPipelineRecordsFailuresAndGoesOn(t *testing.T) {
	ctx := context.Background()
	g, idx := mustStores(t)
	p := ingest.New(fakeExtractor(), g, idx, testRegistry)
	err := p.HandlePage(ctx, page("https://vretakluster.se/trasig.pdf", "vreta-kluster", ""))
	if err == nil || !strings.Contains(err.Error(), "trasig.pdf") {
		t.Errorf("failure error %v does not name the document", err)
	}
	if err := p.HandlePage(ctx, page("https://vretakluster.se/ok", "vreta-kluster", "Biogas")); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	s := p.Stats()
	if s.Failed != 1 || s.Changed != 1 || len(s.Failures) != 1 || s.Failures[0].URL != "https://vretakluster.se/trasig.pdf" {
		t.Errorf("stats = %+v", s)
	}
}

// TestIndexFailureLeavesDocumentToRewrite checks the write order: when the
// index write fails, the graph keeps no hash, so the next crawl writes the
// document again instead of calling it unchanged.
func TestIndexFailureLeavesDocumentToRewrite(t *testing.T) {
	ctx := context.Background()
	g, idx := mustStores(t)
	flaky := &failingIndex{Searcher: idx, fail: true}
	p := ingest.New(fakeExtractor(), g, flaky, testRegistry)
	fd := page("https://vretakluster.se/a", "vreta-kluster", "Biogas")
	if err := p.HandlePage(ctx, fd); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(ctx); err == nil {
		t.Fatal("Flush hid the index failure")
	}
	if _, ok, _ := g.SourceHash(ctx, kg.DocumentID(fd.URL)); ok {
		t.Fatal("graph stored the document although the index write failed")
	}
	flaky.fail = false
	p = ingest.New(fakeExtractor(), g, flaky, testRegistry)
	if err := p.HandlePage(ctx, fd); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if s := p.Stats(); s.Changed != 1 {
		t.Errorf("retry after a failed index write: %+v", s)
	}
	if n, _ := idx.Count(ctx); n != 1 {
		t.Errorf("index holds %d documents, want 1", n)
	}
}

// failingBatch is a graph store whose batch writes always fail, so that
// the pipeline must fall back to writing documents one by one.
type failingBatch struct {
	kg.GraphStore
	calls int
}

func (f *failingBatch) ReplaceFactsBatch(context.Context, []kg.FactSet) ([]bool, error) {
	f.calls++
	return nil, errors.New("transaction too large")
}

func TestFailedBatchWriteFallsBackToOneByOne(t *testing.T) {
	ctx := context.Background()
	g, idx := mustStores(t)
	graph := &failingBatch{GraphStore: g}
	p := ingest.New(fakeExtractor(), graph, idx, testRegistry)
	for _, fd := range []kg.FetchedDoc{
		page("https://vretakluster.se/a", "vreta-kluster", "Biogas på gården"),
		page("https://agrovast.se/c", "agrovast", "Biogas i Skara"),
	} {
		if err := p.HandlePage(ctx, fd); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatalf("Flush after a failed batch write: %v", err)
	}
	if graph.calls != 1 {
		t.Errorf("batch writes tried = %d, want 1", graph.calls)
	}
	if s := p.Stats(); s.Changed != 2 {
		t.Errorf("stats = %+v, want both documents written", s)
	}
	for _, url := range []string{"https://vretakluster.se/a", "https://agrovast.se/c"} {
		if _, ok, err := g.SourceHash(ctx, kg.DocumentID(url)); err != nil || !ok {
			t.Errorf("%s not in the graph after the fallback: %v", url, err)
		}
	}
}

// TestPipelineRewriteRefillsAnIndex checks that a pipeline that rewrites
// fills an empty index with pages the graph already holds unchanged,
// and counts them as unchanged, while one that does not leaves it empty.
func TestPipelineRewriteRefillsAnIndex(t *testing.T) {
	ctx := context.Background()
	g, idx := mustStores(t)
	pages := []kg.FetchedDoc{
		page("https://vretakluster.se/a", "vreta-kluster", "Biogas på gården"),
		page("https://agrovast.se/c", "agrovast", "Biogas i Skara"),
	}
	run := func(ix kg.Searcher, opts ...ingest.Option) ingest.Stats {
		t.Helper()
		p := ingest.New(fakeExtractor(), g, ix, testRegistry, opts...)
		for _, fd := range append(pages, pages[0]) { // a page twice in one crawl
			if err := p.HandlePage(ctx, fd); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		return p.Stats()
	}
	run(idx)

	for _, tt := range []struct {
		name    string
		rewrite bool
		want    uint64
	}{
		{"without rewrite", false, 0},
		{"with rewrite", true, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			empty, err := index.OpenMem()
			if err != nil {
				t.Fatal(err)
			}
			defer empty.Close()
			s := run(empty, ingest.WithRewrite(tt.rewrite))
			if s.Documents != 3 || s.Unchanged != 3 || s.Changed != 0 {
				t.Errorf("stats = %+v, want 3 documents, all unchanged", s)
			}
			if n, err := empty.Count(ctx); err != nil || n != tt.want {
				t.Errorf("index holds %d documents (%v), want %d", n, err, tt.want)
			}
		})
	}
}
