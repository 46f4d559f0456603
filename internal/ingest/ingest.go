// Package ingest is the one write path from fetched documents to the
// knowledge graph and the search index: it extracts each document, skips
// what has not changed, and writes the rest to both stores in batches.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Extractor turns a fetched document into an extracted one.
type Extractor interface {
	Extract(ctx context.Context, doc kg.FetchedDoc) (kg.Document, error)
}

// DefaultBatchSize is how many changed documents are buffered before they
// are written.
const DefaultBatchSize = 64

// maxFailures is how many extraction failures Stats keeps verbatim.
const maxFailures = 100

// Failure is a document that could not be extracted.
type Failure struct {
	URL   string `json:"url"`
	Error string `json:"error"`
}

// Stats counts what the pipeline did.
type Stats struct {
	Documents  int       `json:"documents"`   // documents extracted
	Changed    int       `json:"changed"`     // new or changed documents written
	Unchanged  int       `json:"unchanged"`   // documents whose facts were already stored
	Failed     int       `json:"failed"`      // documents that could not be extracted
	TopicLinks int       `json:"topic_links"` // cluster→topic assertions written
	Gone       int       `json:"gone"`        // documents retracted because their page is gone
	Failures   []Failure `json:"failures,omitempty"`
}

// Pipeline implements kg.PageSink. It is safe for concurrent use.
type Pipeline struct {
	extractor Extractor
	graph     kg.GraphStore
	index     kg.Searcher
	counties  map[string]string // cluster id → county
	logger    *slog.Logger
	batchSize int
	rewrite   bool // write documents the graph already holds unchanged

	mu      sync.Mutex
	pending []kg.Document
	stats   Stats
}

// Option configures a Pipeline.
type Option func(*Pipeline)

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(p *Pipeline) { p.logger = l } }

// WithBatchSize sets how many changed documents are buffered per write.
func WithBatchSize(n int) Option {
	return func(p *Pipeline) {
		if n > 0 {
			p.batchSize = n
		}
	}
}

// WithRewrite makes the pipeline write every document, also those whose
// facts the graph already holds with the same hash (they still count as
// unchanged): an index that lost its documents, or was built anew, is
// filled again while the graph stays as it is.
func WithRewrite(rewrite bool) Option { return func(p *Pipeline) { p.rewrite = rewrite } }

// New returns a pipeline that writes to graph and index.
func New(ex Extractor, graph kg.GraphStore, index kg.Searcher, reg kg.Registry, opts ...Option) *Pipeline {
	p := &Pipeline{
		extractor: ex,
		graph:     graph,
		index:     index,
		counties:  map[string]string{},
		logger:    slog.New(slog.DiscardHandler),
		batchSize: DefaultBatchSize,
	}
	for _, c := range reg.Clusters {
		p.counties[c.ID] = c.County
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// LoadRegistry writes the registry and the topic vocabulary into the graph,
// replacing the previous registry's facts.
func LoadRegistry(ctx context.Context, graph kg.GraphStore, reg kg.Registry, topics []kg.Topic) error {
	if _, err := graph.ReplaceFacts(ctx, kg.RegistryFacts(reg, topics)); err != nil {
		return fmt.Errorf("writing registry to graph: %w", err)
	}
	return nil
}

// HandlePage extracts doc and, if its facts changed (or the pipeline
// rewrites every document), queues it for writing.
// An extraction failure is recorded and returned; the caller's crawl goes on.
func (p *Pipeline) HandlePage(ctx context.Context, fd kg.FetchedDoc) error {
	doc, err := p.extractor.Extract(ctx, fd)
	if err != nil {
		p.mu.Lock()
		p.stats.Failed++
		if len(p.stats.Failures) < maxFailures {
			p.stats.Failures = append(p.stats.Failures, Failure{URL: fd.URL, Error: err.Error()})
		}
		p.mu.Unlock()
		p.logger.Warn("extraction failed", "url", fd.URL, "err", err)
		return fmt.Errorf("extracting %s: %w", fd.URL, err)
	}
	hash, ok, err := p.graph.SourceHash(ctx, doc.ID)
	if err != nil {
		return fmt.Errorf("reading stored hash of %s: %w", doc.URL, err)
	}
	p.mu.Lock()
	p.stats.Documents++
	stored := ok && hash == doc.ContentHash
	queued := slices.ContainsFunc(p.pending, func(q kg.Document) bool {
		return q.ID == doc.ID && q.ContentHash == doc.ContentHash
	})
	if stored || queued {
		p.stats.Unchanged++
	}
	if queued || (stored && !p.rewrite) {
		p.mu.Unlock()
		return nil
	}
	p.pending = append(p.pending, doc)
	full := len(p.pending) >= p.batchSize
	p.mu.Unlock()
	if full {
		return p.Flush(ctx)
	}
	return nil
}

// Flush writes every queued document: first to the index, then to the
// graph, so that a crash in between leaves the graph without the new hash
// and the next crawl writes the document again.
func (p *Pipeline) Flush(ctx context.Context) error {
	p.mu.Lock()
	batch := p.pending
	p.pending = nil
	p.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	// The last version of a document in the batch wins.
	latest := map[string]kg.Document{}
	for _, d := range batch {
		latest[d.ID] = d
	}
	ids := make([]string, 0, len(latest))
	for id := range latest {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	docs := make([]kg.IndexDoc, 0, len(ids))
	for _, id := range ids {
		docs = append(docs, p.indexDoc(latest[id]))
	}
	if err := p.index.Index(ctx, docs); err != nil {
		return fmt.Errorf("indexing %d documents: %w", len(docs), err)
	}
	changed, links := 0, 0
	if bw, ok := p.graph.(kg.BatchWriter); ok {
		sets := make([]kg.FactSet, len(ids))
		for i, id := range ids {
			sets[i] = kg.DocumentFacts(latest[id])
		}
		did, err := bw.ReplaceFactsBatch(ctx, sets)
		if err == nil {
			for i, id := range ids {
				if did[i] {
					changed++
					links += len(latest[id].Clusters) * len(latest[id].Topics)
				}
			}
			p.count(changed, links)
			return nil
		}
		// One bad document must not keep the others out: write them
		// one by one, each with its own error.
		p.logger.Warn("batch graph write failed, writing documents one by one", "documents", len(ids), "err", err)
	}
	var errs []error
	for _, id := range ids {
		d := latest[id]
		did, err := p.graph.ReplaceFacts(ctx, kg.DocumentFacts(d))
		if err != nil {
			errs = append(errs, fmt.Errorf("writing facts of %s: %w", d.URL, err))
			continue
		}
		if did {
			changed++
			links += len(d.Clusters) * len(d.Topics)
		}
	}
	p.count(changed, links)
	return errors.Join(errs...)
}

// count adds written documents and their cluster-topic links to the
// counters.
func (p *Pipeline) count(changed, links int) {
	p.mu.Lock()
	p.stats.Changed += changed
	p.stats.TopicLinks += links
	p.mu.Unlock()
}

// Stats returns a copy of the counters.
func (p *Pipeline) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Failures = append([]Failure(nil), p.stats.Failures...)
	return s
}

func (p *Pipeline) indexDoc(d kg.Document) kg.IndexDoc {
	seen := map[string]bool{}
	var counties []string
	for _, c := range d.Clusters {
		if county := p.counties[c]; county != "" && !seen[county] {
			seen[county] = true
			counties = append(counties, county)
		}
	}
	sort.Strings(counties)
	return kg.IndexDoc{Document: d, Counties: counties}
}
