package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCrawlFetchOnly checks that "crawl --fetch-only" fetches the pages a
// full crawl fetches, and extracts and stores nothing.
func TestCrawlFetchOnly(t *testing.T) {
	_, seeds := MustStartDemoWeb(t)
	full := MustCrawl(t, seeds, t.TempDir())

	dataDir := filepath.Join(t.TempDir(), "untouched")
	got := mustCrawlWith(t, seeds, dataDir, "--fetch-only")
	if full.PagesFetched == 0 {
		t.Fatal("the full crawl fetched no pages")
	}
	if got.PagesFetched != full.PagesFetched {
		t.Errorf("fetch-only fetched %d pages, the full crawl %d", got.PagesFetched, full.PagesFetched)
	}
	if got.PagesKept != full.PagesKept {
		t.Errorf("fetch-only kept %d pages, the full crawl %d", got.PagesKept, full.PagesKept)
	}
	if got.Documents != 0 || got.TopicLinks != 0 {
		t.Errorf("fetch-only stored %d documents and %d topic links, want none", got.Documents, got.TopicLinks)
	}
	if got.Entries != full.Entries {
		t.Errorf("fetch-only crawled %d entries, the full crawl %d", got.Entries, full.Entries)
	}
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Errorf("fetch-only touched the data directory %s: %v", dataDir, err)
	}
}
