package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/klusterkarta/klusterkarta/bench/indexbench/docgen"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The floor is Bleve on its own, over the same documents and queries: one
// text field (title and text) with Bleve's standard analyser, the six
// facet fields as keywords with doc values, and a plain match query with
// the same facets. It has none of the index's language work (no Swedish
// stemming, decompounding, topic expansion, spelling, headings, stored
// text or highlights), so no index built on Bleve indexes faster or
// answers sooner on this machine than the floor.

// Fields of the floor index.
const (
	floorText    = "text"
	floorCluster = "cluster"
	floorTopics  = "topics"
	floorKind    = "kind"
	floorLang    = "lang"
	floorCounty  = "county"
	floorYear    = "year"
)

// floorFacets are the facet fields of the floor, as index.Search asks for.
var floorFacets = []string{floorCluster, floorTopics, floorKind, floorLang, floorCounty, floorYear}

// floorResult is what one floor run measured.
type floorResult struct {
	Build     buildResult   `json:"build"`
	Latencies []latencyStat `json:"latencies"`
}

// floorMapping returns the mapping of the floor index.
func floorMapping() *mapping.IndexMappingImpl {
	im := mapping.NewIndexMapping()
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	doc := mapping.NewDocumentMapping()
	doc.Dynamic = false
	text := mapping.NewTextFieldMapping()
	text.Analyzer = standard.Name
	text.Store, text.IncludeTermVectors, text.IncludeInAll, text.DocValues = false, false, false, false
	doc.AddFieldMappingsAt(floorText, text)
	for _, f := range floorFacets {
		k := mapping.NewKeywordFieldMapping()
		k.Store, k.IncludeTermVectors, k.IncludeInAll, k.DocValues = false, false, false, true
		doc.AddFieldMappingsAt(f, k)
	}
	im.DefaultMapping = doc
	return im
}

// floorDoc is d as the floor indexes it.
func floorDoc(d kg.IndexDoc) map[string]any {
	m := map[string]any{floorText: d.Title + "\n" + d.Text, floorKind: d.Kind, floorLang: d.Lang}
	if len(d.Clusters) > 0 {
		m[floorCluster] = d.Clusters
	}
	if len(d.Counties) > 0 {
		m[floorCounty] = d.Counties
	}
	topics := make([]string, 0, len(d.Topics))
	for _, t := range d.Topics {
		topics = append(topics, t.TopicID)
	}
	if len(topics) > 0 {
		m[floorTopics] = topics
	}
	if !d.Date.IsZero() {
		m[floorYear] = strconv.Itoa(d.Date.UTC().Year())
	}
	return m
}

// floorRun builds the floor index in DIR/floor in batches of the run's
// size, one writer after another as buildPhase writes, and measures the
// searches of every shape at one client.
func floorRun(ctx context.Context, cfg config, docs []kg.IndexDoc, g *docgen.Generator, stderr io.Writer) (floorResult, error) {
	path := filepath.Join(cfg.dir, "floor")
	if err := os.RemoveAll(path); err != nil {
		return floorResult{}, fmt.Errorf("removing old floor index: %w", err)
	}
	runtime.GC()
	start, cpuStart := time.Now(), cpuTime()
	b, err := bleve.New(path, floorMapping())
	if err != nil {
		return floorResult{}, fmt.Errorf("creating floor index: %w", err)
	}
	for lo := 0; lo < len(docs); lo += cfg.batch {
		if err := ctx.Err(); err != nil {
			_ = b.Close()
			return floorResult{}, err
		}
		batch := b.NewBatch()
		for i, d := range docs[lo:min(lo+cfg.batch, len(docs))] {
			if err := batch.Index(strconv.Itoa(lo+i), floorDoc(d)); err != nil {
				_ = b.Close()
				return floorResult{}, fmt.Errorf("floor: indexing document %d: %w", lo+i, err)
			}
		}
		if err := b.Batch(batch); err != nil {
			_ = b.Close()
			return floorResult{}, fmt.Errorf("floor: writing batch at %d: %w", lo, err)
		}
	}
	if err := b.Close(); err != nil {
		return floorResult{}, fmt.Errorf("closing floor index: %w", err)
	}
	total := time.Since(start)
	build, err := newBuildResult(len(docs), total, total, cpuTime()-cpuStart, path)
	if err != nil {
		return floorResult{}, err
	}
	res := floorResult{Build: build}
	fmt.Fprintf(stderr, "floor: %.0f docs/s\n", res.Build.DocsPerSec)

	b, err = bleve.Open(path)
	if err != nil {
		return floorResult{}, fmt.Errorf("opening floor index: %w", err)
	}
	defer b.Close()
	search := func(ctx context.Context, req kg.SearchRequest) (uint64, error) {
		r, err := b.SearchInContext(ctx, floorRequest(req))
		if err != nil {
			return 0, err
		}
		return r.Total, nil
	}
	clusters := clusterIDs(g)
	for i := range cfg.warmup {
		if _, err := search(ctx, request(g, clusters, shapes[i%len(shapes)], 1_000_000+i)); err != nil {
			return floorResult{}, fmt.Errorf("floor search: %w", err)
		}
	}
	for _, s := range shapes {
		st, _, err := measure(ctx, search, g, clusters, s, 1, cfg.queries)
		if err != nil {
			return floorResult{}, fmt.Errorf("floor search: %w", err)
		}
		res.Latencies = append(res.Latencies, st)
	}
	return res, nil
}

// floorRequest is req as a plain Bleve search: the words as a match
// query on the text, the filters as terms, every facet, the first page.
func floorRequest(req kg.SearchRequest) *bleve.SearchRequest {
	mq := query.NewMatchQuery(strings.TrimSpace(req.Query))
	mq.SetField(floorText)
	var q query.Query = mq
	var filters []query.Query
	if req.Cluster != "" {
		tq := query.NewTermQuery(req.Cluster)
		tq.SetField(floorCluster)
		filters = append(filters, tq)
	}
	if req.Year != 0 {
		tq := query.NewTermQuery(strconv.Itoa(req.Year))
		tq.SetField(floorYear)
		filters = append(filters, tq)
	}
	if len(filters) > 0 {
		q = query.NewConjunctionQuery(append([]query.Query{mq}, filters...))
	}
	sr := bleve.NewSearchRequestOptions(q, req.Size, 0, false)
	for _, f := range floorFacets {
		sr.AddFacet(f, bleve.NewFacetRequest(f, 20))
	}
	return sr
}
