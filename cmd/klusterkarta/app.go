package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klusterkarta/klusterkarta/crawler"
	"github.com/klusterkarta/klusterkarta/crawler/extract"
	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/crawlstate"
	"github.com/klusterkarta/klusterkarta/internal/ingest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/privacy"
	"github.com/klusterkarta/klusterkarta/internal/registry"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

// App is an opened data directory: the graph, the index, the registry and
// the topic vocabulary. It is the only place that names concrete backends.
type App struct {
	Graph    kg.GraphStore
	Index    kg.Searcher
	Registry kg.Registry
	Topics   []kg.Topic
	Logger   *slog.Logger
	// CrawlState remembers validators, hashes and the frontier between
	// crawls and across crashes (crawlstate.FileName in the data directory).
	CrawlState *crawlstate.Store
	// Suppressions lists the people erased on request; every crawl writes
	// through it (privacy.FileName in the data directory).
	Suppressions *privacy.List

	crawlMu sync.Mutex // one crawl at a time
}

// loadRegistry reads the registry from seeds, or the embedded default.
func loadRegistry(seeds string) (kg.Registry, error) {
	if seeds == "" {
		return registry.Default()
	}
	return registry.Load(seeds)
}

// OpenApp opens (or creates) the data directory dir with the embedded
// graph, and loads reg and the topic vocabulary into the graph.
func OpenApp(ctx context.Context, dir string, reg kg.Registry, logger *slog.Logger) (*App, error) {
	return openApp(ctx, dir, graphFlags{}, reg, logger)
}

// openApp opens the data directory dir and the graph store gf names.
func openApp(ctx context.Context, dir string, gf graphFlags, reg kg.Registry, logger *slog.Logger) (*App, error) {
	if err := gf.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	vocab, err := topics.Default()
	if err != nil {
		return nil, fmt.Errorf("loading topic vocabulary: %w", err)
	}
	graph, err := openGraph(ctx, gf, dir, logger)
	if err != nil {
		return nil, err
	}
	idx, err := openIndex(filepath.Join(dir, "index"), vocab, logger)
	if err != nil {
		graph.Close()
		return nil, fmt.Errorf("opening index in %s: %w", dir, err)
	}
	state, err := crawlstate.Open(filepath.Join(dir, crawlstate.FileName), crawlstate.WithLogger(logger))
	if err != nil {
		idx.Close()
		graph.Close()
		return nil, fmt.Errorf("opening crawl state in %s: %w", dir, err)
	}
	suppressions, err := privacy.Open(filepath.Join(dir, privacy.FileName))
	if err != nil {
		state.Close()
		idx.Close()
		graph.Close()
		return nil, fmt.Errorf("opening suppression list in %s: %w", dir, err)
	}
	app := &App{Graph: graph, Index: idx, Registry: reg, Topics: vocab, Logger: logger, CrawlState: state, Suppressions: suppressions}
	if err := ingest.LoadRegistry(ctx, graph, reg, vocab); err != nil {
		app.Close()
		return nil, err
	}
	return app, nil
}

// openIndex opens the index at path. An index built with another mapping
// is derived data the service can no longer read: it is removed and
// created anew, and the next crawl fills it (index.Index.NeedsRefill).
func openIndex(path string, vocab []kg.Topic, logger *slog.Logger) (*index.Index, error) {
	idx, err := index.Open(path, index.WithTopics(vocab))
	if !errors.Is(err, index.ErrIncompatible) {
		return idx, err
	}
	logger.Warn("the index was built by another version: building it anew; search is empty until the next crawl has written every page again",
		"path", path, "err", err)
	if err := os.RemoveAll(path); err != nil {
		return nil, fmt.Errorf("removing the index built by another version: %w", err)
	}
	return index.Open(path, index.WithTopics(vocab))
}

// refillable is an index that knows whether it was created empty and
// waits for a crawl to write every page into it (index.Index).
type refillable interface {
	NeedsRefill(ctx context.Context) (bool, error)
	MarkFilled(ctx context.Context) error
}

// Close closes the crawl state, the index and the graph.
func (a *App) Close() error {
	var stateErr error
	if a.CrawlState != nil {
		stateErr = a.CrawlState.Close()
	}
	return errors.Join(stateErr, a.Index.Close(), a.Graph.Close())
}

// Summary is what one crawl did.
type Summary struct {
	Entries       int              `json:"entries"`
	PagesFetched  int              `json:"pages_fetched"`
	PagesKept     int              `json:"pages_kept"`
	SkippedRobots int              `json:"skipped_robots"`
	SkippedScope  int              `json:"skipped_scope"`
	Refused       int              `json:"refused"`
	Errors        int              `json:"errors"`
	Bytes         int64            `json:"bytes"`
	Documents     int              `json:"documents"`
	Changed       int              `json:"documents_changed"`
	Unchanged     int              `json:"documents_unchanged"`
	Failed        int              `json:"documents_failed"`
	NotModified   int              `json:"not_modified"`
	Gone          int              `json:"documents_gone"`
	SkippedTrap   int              `json:"skipped_trap"`
	Resumed       bool             `json:"resumed"`
	TopicLinks    int              `json:"topic_links"`
	Failures      []ingest.Failure `json:"failures,omitempty"`
	Seconds       float64          `json:"seconds"`
	PagesPerSec   float64          `json:"pages_per_second"`
}

// Crawl crawls every registry entry with a site once and writes what it
// finds to the graph and the index. progress, if not nil, is called after
// every page.
func (a *App) Crawl(ctx context.Context, cfg crawler.Config, progress func(crawler.Stats)) (Summary, error) {
	a.crawlMu.Lock()
	defer a.crawlMu.Unlock()
	start := time.Now()
	// The crawler flushes the pipeline at each checkpoint, before it records
	// the pages as done; the pipeline writes nothing on its own in between.
	graph, idx := a.Graph, a.Index
	if a.Suppressions != nil {
		// Erased people stay out: their nodes are dropped and their names
		// redacted before anything is written.
		graph, idx = a.Suppressions.Graph(graph), a.Suppressions.Searcher(idx)
	}
	// A new index knows none of the pages the graph holds: fetch and
	// write every page, whatever the stored validators and hashes say.
	fillable, ok := a.Index.(refillable)
	filling := false
	if ok {
		var err error
		if filling, err = fillable.NeedsRefill(ctx); err != nil {
			return Summary{}, fmt.Errorf("crawl: %w", err)
		}
	}
	if filling {
		a.Logger.Info("the index is new: this crawl fetches and writes every page")
		cfg.Refetch = true
	}
	pipe := ingest.New(extract.New(a.Registry, topics.NewMatcher(a.Topics)), graph, idx, a.Registry,
		ingest.WithLogger(a.Logger), ingest.WithBatchSize(math.MaxInt), ingest.WithRewrite(cfg.Refetch))
	cfg.Progress = progress
	if cfg.State == nil && a.CrawlState != nil {
		cfg.State = a.CrawlState
	}
	c, err := crawler.New(cfg, pipe)
	if err != nil {
		return Summary{}, fmt.Errorf("configuring crawler: %w", err)
	}
	entries := siteEntries(a.Registry)
	cs, crawlErr := c.Crawl(ctx, entries)
	// Whatever was fetched before an interruption is still written.
	flushErr := pipe.Flush(context.WithoutCancel(ctx))
	ps := pipe.Stats()
	s := crawlSummary(cs, len(entries), time.Since(start))
	s.Documents, s.Changed, s.Unchanged, s.Failed = ps.Documents, ps.Changed, ps.Unchanged, ps.Failed
	s.TopicLinks, s.Failures, s.Gone = ps.TopicLinks, ps.Failures, ps.Gone
	// Pages answered 304 or with the same body are documents unchanged
	// without extraction.
	s.Documents += cs.NotModified + cs.Unchanged
	s.Unchanged += cs.NotModified + cs.Unchanged
	if err := errors.Join(crawlErr, flushErr); err != nil {
		return s, fmt.Errorf("crawl: %w", err)
	}
	if filling {
		if err := fillable.MarkFilled(ctx); err != nil {
			return s, fmt.Errorf("crawl: %w", err)
		}
	}
	return s, nil
}

// printSummary writes a human-readable crawl summary.
func printSummary(w io.Writer, s Summary) {
	fmt.Fprintf(w, "Crawled %d sites in %.1fs (%.1f pages/s)\n", s.Entries, s.Seconds, s.PagesPerSec)
	fmt.Fprintf(w, "  pages fetched       %d\n", s.PagesFetched)
	fmt.Fprintf(w, "  skipped by robots   %d\n", s.SkippedRobots)
	fmt.Fprintf(w, "  refused addresses   %d\n", s.Refused)
	fmt.Fprintf(w, "  errors              %d\n", s.Errors)
	fmt.Fprintf(w, "  documents           %d (%d new or changed, %d unchanged, %d failed)\n", s.Documents, s.Changed, s.Unchanged, s.Failed)
	fmt.Fprintf(w, "  not modified (304)  %d\n", s.NotModified)
	fmt.Fprintf(w, "  gone (retracted)    %d\n", s.Gone)
	fmt.Fprintf(w, "  topic links         %d\n", s.TopicLinks)
	for _, f := range s.Failures {
		fmt.Fprintf(w, "  failed: %s: %s\n", f.URL, f.Error)
	}
}

// progressBar draws crawl progress on a terminal, one line rewritten.
type progressBar struct {
	w    io.Writer
	mu   sync.Mutex
	last time.Time
}

func (p *progressBar) update(s crawler.Stats) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 24
	filled := s.Fetched % (width + 1)
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	fmt.Fprintf(p.w, "\r[%s] %d pages, %d kept, %d robots, %d errors ", bar, s.Fetched, s.Kept, s.SkippedRobots, s.Errors)
}

func (p *progressBar) done() {
	fmt.Fprintln(p.w)
}

// siteEntries returns the entries of reg that have a site to crawl.
func siteEntries(reg kg.Registry) []kg.Entry {
	var entries []kg.Entry
	for _, e := range reg.Entries() {
		if len(e.Sites) > 0 {
			entries = append(entries, e)
		}
	}
	return entries
}

// crawlSummary returns the part of a crawl's summary that the crawler's
// own counters give.
func crawlSummary(cs crawler.Stats, entries int, elapsed time.Duration) Summary {
	s := Summary{
		Entries: entries, PagesFetched: cs.Fetched, PagesKept: cs.Kept, SkippedRobots: cs.SkippedRobots,
		SkippedScope: cs.SkippedScope, Refused: cs.Refused, Errors: cs.Errors + cs.SinkErrors, Bytes: cs.Bytes,
		Seconds: elapsed.Seconds(), NotModified: cs.NotModified, SkippedTrap: cs.SkippedTrap, Resumed: cs.Resumed,
	}
	if elapsed > 0 {
		s.PagesPerSec = float64(cs.Fetched) / elapsed.Seconds()
	}
	return s
}
