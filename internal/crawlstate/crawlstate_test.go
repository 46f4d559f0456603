package crawlstate_test

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/crawler"
	"github.com/klusterkarta/klusterkarta/internal/crawlstate"
)

// MustOpen opens a store at path and closes it when the test ends.
func MustOpen(tb testing.TB, path string) *crawlstate.Store {
	tb.Helper()
	s, err := crawlstate.Open(path, crawlstate.WithLockTimeout(100*time.Millisecond))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func TestResumeAcrossReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), crawlstate.FileName)
	s := MustOpen(t, path)
	res, err := s.Begin(ctx, false)
	must(t, err)
	if res.Crawl != 1 || res.Resumed {
		t.Fatalf("first Begin = %+v", res)
	}
	q := func(k string, depth int) crawler.Queued {
		return crawler.Queued{Key: k, URL: k + "/", Site: "https://e.se/", Depth: depth}
	}
	rec := crawler.Record{Key: "a", URL: "a/", ETag: `"1"`, LastModified: "Sat, 01 Mar 2025 00:00:00 GMT", Status: 200,
		Hash: "h", Fetched: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Crawl: 1, DocURL: "https://e.se/a/",
		Links: []crawler.Link{{URL: "https://e.se/b"}}}
	must(t, s.Commit(ctx, crawler.Checkpoint{Crawl: 1, Queued: []crawler.Queued{q("a", 0), q("b", 1), q("c", 1)}}))
	must(t, s.Commit(ctx, crawler.Checkpoint{Crawl: 1, Done: []string{"a"}, Records: []crawler.Record{rec},
		Docs: map[string]string{"a": "https://e.se/a/"}}))
	// A checkpoint of another crawl is refused whole.
	if err := s.Commit(ctx, crawler.Checkpoint{Crawl: 7, Done: []string{"b"}}); err == nil {
		t.Error("a checkpoint of crawl 7 was accepted during crawl 1")
	}
	must(t, s.Close())

	// Another process cannot open it while it is open.
	s = MustOpen(t, path)
	if _, err := crawlstate.Open(path, crawlstate.WithLockTimeout(50*time.Millisecond)); !errors.Is(err, crawlstate.ErrLocked) {
		t.Errorf("second Open = %v, want ErrLocked", err)
	}
	res, err = s.Begin(ctx, false)
	must(t, err)
	var keys []string
	for _, f := range res.Frontier {
		keys = append(keys, f.Key)
	}
	if !res.Resumed || res.Crawl != 1 || !slices.Equal(keys, []string{"b", "c"}) || !slices.Equal(res.Done, []string{"a"}) {
		t.Errorf("resumed Begin = %+v", res)
	}
	got, ok, err := s.Record(ctx, "a")
	must(t, err)
	if !ok || got.ETag != rec.ETag || got.LastModified != rec.LastModified || got.Hash != "h" || !got.Fetched.Equal(rec.Fetched) ||
		len(got.Links) != 1 || got.DocURL != rec.DocURL {
		t.Errorf("Record(a) = %+v, %v", got, ok)
	}
	if u, ok, _ := s.Doc(ctx, "a"); !ok || u != "https://e.se/a/" {
		t.Errorf("Doc(a) = %q, %v", u, ok)
	}
	must(t, s.Commit(ctx, crawler.Checkpoint{Crawl: 1, Done: []string{"b", "c"}, Gone: []string{"a"}}))
	if _, ok, _ := s.Doc(ctx, "a"); ok {
		t.Error("a gone document is still listed")
	}
	must(t, s.Finish(ctx, 1))
	st, err := s.Stats(ctx)
	must(t, err)
	if st.Open || st.Frontier != 0 || st.Records != 1 || st.Crawl != 1 {
		t.Errorf("Stats after Finish = %+v", st)
	}
	res, err = s.Begin(ctx, false)
	must(t, err)
	if res.Resumed || res.Crawl != 2 || len(res.Frontier) != 0 {
		t.Errorf("Begin after Finish = %+v", res)
	}
	// Restart discards an unfinished crawl.
	must(t, s.Commit(ctx, crawler.Checkpoint{Crawl: 2, Queued: []crawler.Queued{q("z", 0)}}))
	res, err = s.Begin(ctx, true)
	must(t, err)
	if res.Resumed || res.Crawl != 3 || len(res.Frontier) != 0 {
		t.Errorf("restart Begin = %+v", res)
	}
}

func TestCrawlWithStore(t *testing.T) {
	// The crawler's MemoryState and the store answer alike for a crawler
	// that commits, resumes and finishes.
	ctx := t.Context()
	s := MustOpen(t, filepath.Join(t.TempDir(), crawlstate.FileName))
	for _, st := range []crawler.State{crawler.NewMemoryState(), s} {
		res, err := st.Begin(ctx, false)
		must(t, err)
		must(t, st.Commit(ctx, crawler.Checkpoint{Crawl: res.Crawl, Queued: []crawler.Queued{{Key: "x", URL: "x"}, {Key: "y", URL: "y"}}}))
		must(t, st.Commit(ctx, crawler.Checkpoint{Crawl: res.Crawl, Done: []string{"x"}, Records: []crawler.Record{{Key: "x", Crawl: res.Crawl}}}))
		again, err := st.Begin(ctx, false)
		must(t, err)
		if !again.Resumed || len(again.Frontier) != 1 || again.Frontier[0].Key != "y" || !slices.Equal(again.Done, []string{"x"}) {
			t.Errorf("%T: resumed %+v", st, again)
		}
	}
}
