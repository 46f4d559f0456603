package main

import (
	"context"
	"fmt"
	"time"

	"github.com/klusterkarta/klusterkarta/crawler"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// fetchPages crawls every registry entry with a site once, as App.Crawl
// does, and discards every document it fetches: nothing is extracted,
// stored or remembered (the crawl state lives in memory), so that the speed
// of the crawler alone can be measured ("crawl --fetch-only").
func fetchPages(ctx context.Context, cfg crawler.Config, reg kg.Registry, progress func(crawler.Stats)) (Summary, error) {
	start := time.Now()
	cfg.Progress = progress
	cfg.State = nil
	discard := kg.PageSinkFunc(func(context.Context, kg.FetchedDoc) error { return nil })
	c, err := crawler.New(cfg, discard)
	if err != nil {
		return Summary{}, fmt.Errorf("configuring crawler: %w", err)
	}
	entries := siteEntries(reg)
	cs, err := c.Crawl(ctx, entries)
	s := crawlSummary(cs, len(entries), time.Since(start))
	if err != nil {
		return s, fmt.Errorf("crawl: %w", err)
	}
	return s, nil
}
