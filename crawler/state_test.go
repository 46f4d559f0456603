package crawler

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// versioned serves body with an ETag and Last-Modified, answering 304 to
// matching conditional requests, as http.ServeContent does.
func versioned(body *string, mu *sync.Mutex) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b := *body
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", fmt.Sprintf(`"%x"`, len(b)*31+int(b[len(b)-3])))
		http.ServeContent(w, r, "", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), strings.NewReader(b))
	}
}

// goneSink is a sink that buffers documents until Flush, and records
// retractions and the order of events.
type goneSink struct {
	mu      sync.Mutex
	pending []kg.FetchedDoc
	stored  map[string]bool // FinalURL → durably stored
	gone    []string
	handled int
}

func newGoneSink() *goneSink { return &goneSink{stored: map[string]bool{}} }

func (s *goneSink) HandlePage(_ context.Context, doc kg.FetchedDoc) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handled++
	s.pending = append(s.pending, doc)
	return nil
}

func (s *goneSink) Flush(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.pending {
		s.stored[d.FinalURL] = true
	}
	s.pending = nil
	return nil
}

func (s *goneSink) HandleGone(_ context.Context, url string, _ int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gone = append(s.gone, url)
	delete(s.stored, url)
	return nil
}

func (s *goneSink) isStored(u string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stored[u]
}

// checkedState is a MemoryState that fails the test when a checkpoint
// records a document the sink has not durably stored.
type checkedState struct {
	*MemoryState
	t    *testing.T
	sink *goneSink
}

func (c checkedState) Commit(ctx context.Context, cp Checkpoint) error {
	for _, u := range cp.Docs {
		if !c.sink.isStored(u) {
			c.t.Errorf("checkpoint records %s before the sink stored it", u)
		}
	}
	return c.MemoryState.Commit(ctx, cp)
}

func TestIncrementalRecrawl(t *testing.T) {
	var mu sync.Mutex
	root := htmlLinks("/a", "/b")
	a := htmlLinks("/deep")
	b := htmlLinks()
	deep := htmlLinks()
	missing := false
	site := newSite(t, map[string]http.HandlerFunc{
		"/":     versioned(&root, &mu),
		"/a":    versioned(&a, &mu),
		"/deep": versioned(&deep, &mu),
		"/b": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			gone := missing
			mu.Unlock()
			if gone {
				http.Error(w, "borta", http.StatusGone)
				return
			}
			versioned(&b, &mu)(w, r)
		},
	})
	s := newGoneSink()
	cfg := testConfig(t)
	cfg.State = checkedState{MemoryState: NewMemoryState(), t: t, sink: s}
	c, err := New(cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	e := entry("k", site.url("/"))
	first, err := c.Crawl(t.Context(), []kg.Entry{e})
	if err != nil {
		t.Fatal(err)
	}
	if first.Kept != 4 || first.NotModified != 0 || first.Crawl != 1 {
		t.Fatalf("first crawl: %+v", first)
	}

	// Second crawl: /a changed, /b is gone, the rest is as it was.
	mu.Lock()
	a = htmlLinks("/deep") + "<p>ny text</p>"
	missing = true
	mu.Unlock()
	handledBefore := s.handled
	second, err := c.Crawl(t.Context(), []kg.Entry{e})
	if err != nil {
		t.Fatal(err)
	}
	if second.Crawl != 2 || second.Resumed {
		t.Errorf("second crawl is crawl %d, resumed %v", second.Crawl, second.Resumed)
	}
	if second.NotModified != 2 || second.Kept != 1 || second.Gone != 1 {
		t.Errorf("second crawl: %+v; want 2 not modified (/ and /deep), 1 kept (/a), 1 gone (/b)", second)
	}
	if got := s.handled - handledBefore; got != 1 {
		t.Errorf("sink handled %d pages on the second crawl, want only the changed one", got)
	}
	if !slices.Equal(s.gone, []string{site.url("/b")}) {
		t.Errorf("retracted %v, want /b", s.gone)
	}
	// /deep is linked only from /a; / answered 304 and its stored links
	// still led to /a and /b.
	if site.requested("/deep") != 2 || site.requested("/b") != 2 {
		t.Errorf("requests: %v", site.paths())
	}
}

func TestResumeAfterCancel(t *testing.T) {
	routes := map[string]http.HandlerFunc{}
	var links []string
	for i := range 12 {
		p := fmt.Sprintf("/p%d", i)
		links = append(links, p)
		routes[p] = page()
	}
	routes["/"] = page(links...)
	site := newSite(t, routes)
	st := NewMemoryState()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var mu sync.Mutex
	var keptFirst []string
	sinkFirst := kg.PageSinkFunc(func(_ context.Context, d kg.FetchedDoc) error {
		mu.Lock()
		defer mu.Unlock()
		keptFirst = append(keptFirst, d.URL)
		if len(keptFirst) == 4 {
			cancel()
		}
		return nil
	})
	cfg := testConfig(t)
	cfg.State = st
	cfg.Parallelism = 1
	c, err := New(cfg, sinkFirst)
	if err != nil {
		t.Fatal(err)
	}
	first, err := c.Crawl(ctx, []kg.Entry{entry("k", site.url("/"))})
	if err == nil {
		t.Fatal("cancelled crawl returned no error")
	}
	mu.Lock()
	n := len(keptFirst)
	mu.Unlock()
	if n >= 13 {
		t.Fatalf("cancel did not stop the crawl: %+v", first)
	}

	second := &sink{}
	cfg.State = st
	c2, err := New(cfg, second)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := c2.Crawl(t.Context(), []kg.Entry{entry("k", site.url("/"))})
	if err != nil {
		t.Fatal(err)
	}
	if !stats.Resumed || stats.Crawl != 1 {
		t.Errorf("second crawl did not resume crawl 1: %+v", stats)
	}
	all := map[string]bool{}
	for _, u := range keptFirst {
		all[u] = true
	}
	for _, u := range second.urls() {
		if all[u] {
			t.Errorf("%s was kept by the interrupted crawl and again by the resumed one", u)
		}
		all[u] = true
	}
	if len(all) != 13 {
		t.Errorf("%d pages kept over both runs, want 13", len(all))
	}
	if site.requested("/") != 1 {
		t.Errorf("root requested %d times, want 1", site.requested("/"))
	}
	// The crawl is complete: the next one is new and conditional-less
	// pages are fetched again.
	third, err := c2.Crawl(t.Context(), []kg.Entry{entry("k", site.url("/"))})
	if err != nil || third.Resumed || third.Crawl != 2 {
		t.Errorf("third crawl %+v, %v; want a new crawl 2", third, err)
	}
}

func TestMemoryStateFrontier(t *testing.T) {
	ctx := t.Context()
	st := NewMemoryState()
	res, err := st.Begin(ctx, false)
	if err != nil || res.Crawl != 1 || res.Resumed {
		t.Fatalf("Begin = %+v, %v", res, err)
	}
	q := func(k string) Queued { return Queued{Key: k, URL: k, Site: "s", Depth: 1} }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Commit(ctx, Checkpoint{Crawl: 1, Queued: []Queued{q("a"), q("b"), q("c")}}))
	must(st.Commit(ctx, Checkpoint{Crawl: 1, Done: []string{"b"}, Records: []Record{{Key: "b", Crawl: 1, DocURL: "B"}},
		Docs: map[string]string{"b": "B"}}))
	must(st.Commit(ctx, Checkpoint{Crawl: 1, Queued: []Queued{q("b"), q("d")}, Done: []string{"b"}}))
	res, err = st.Begin(ctx, false)
	must(err)
	var keys []string
	for _, f := range res.Frontier {
		keys = append(keys, f.Key)
	}
	if !res.Resumed || !slices.Equal(keys, []string{"a", "c", "d"}) || !slices.Equal(res.Done, []string{"b"}) {
		t.Errorf("resume = %+v", res)
	}
	if u, ok, _ := st.Doc(ctx, "b"); !ok || u != "B" {
		t.Errorf("Doc(b) = %q, %v", u, ok)
	}
	must(st.Finish(ctx, 1))
	res, err = st.Begin(ctx, false)
	must(err)
	if res.Resumed || res.Crawl != 2 || len(res.Frontier) != 0 {
		t.Errorf("after Finish, Begin = %+v", res)
	}
	res, err = st.Begin(ctx, true)
	must(err)
	if res.Resumed || res.Crawl != 3 {
		t.Errorf("restart Begin = %+v", res)
	}
}
