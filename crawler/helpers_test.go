package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// hit is one request a test site received.
type hit struct {
	path       string
	start, end time.Time
}

// testSite is an httptest server that serves fixed routes and records
// every request, and how many were in flight at once.
type testSite struct {
	srv *httptest.Server

	mu          sync.Mutex
	hits        []hit
	inflight    int
	maxInflight int
}

// newSite starts a site serving routes; other paths get 404. The server is
// closed when the test ends.
func newSite(t *testing.T, routes map[string]http.HandlerFunc) *testSite {
	t.Helper()
	s := &testSite{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.mu.Lock()
		s.inflight++
		s.maxInflight = max(s.maxInflight, s.inflight)
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.inflight--
			s.hits = append(s.hits, hit{path: r.URL.RequestURI(), start: start, end: time.Now()})
			s.mu.Unlock()
		}()
		time.Sleep(2 * time.Millisecond) // long enough for overlapping requests to show
		h, ok := routes[r.URL.RequestURI()]
		if !ok {
			h, ok = routes[r.URL.Path]
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// url returns the absolute URL of path on the site.
func (s *testSite) url(path string) string { return s.srv.URL + path }

// paths returns the paths requested, in order of completion.
func (s *testSite) paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, h := range s.hits {
		out = append(out, h.path)
	}
	return out
}

// requested reports how many times path was requested.
func (s *testSite) requested(path string) int {
	n := 0
	for _, p := range s.paths() {
		if p == path {
			n++
		}
	}
	return n
}

// hitList returns a copy of the recorded requests ordered by start.
func (s *testSite) hitList() []hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.hits)
	slices.SortFunc(out, func(a, b hit) int { return a.start.Compare(b.start) })
	return out
}

// page serves an HTML page linking to hrefs.
func page(hrefs ...string) http.HandlerFunc {
	return typed("text/html; charset=utf-8", htmlLinks(hrefs...))
}

// htmlLinks returns an HTML document linking to hrefs.
func htmlLinks(hrefs ...string) string {
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><title>Testsida</title></head><body><p>Gröna näringar.</p>")
	for _, h := range hrefs {
		fmt.Fprintf(&b, `<a href="%s">länk</a>`, h)
	}
	b.WriteString("</body></html>")
	return b.String()
}

// typed serves body with the given content type.
func typed(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, body)
	}
}

// robots serves a robots.txt.
func robots(body string) http.HandlerFunc { return typed("text/plain", body) }

// sink collects the documents a crawl keeps.
type sink struct {
	mu   sync.Mutex
	docs []kg.FetchedDoc
	fail func(kg.FetchedDoc) error
}

// HandlePage implements kg.PageSink.
func (s *sink) HandlePage(_ context.Context, doc kg.FetchedDoc) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		if err := s.fail(doc); err != nil {
			return err
		}
	}
	s.docs = append(s.docs, doc)
	return nil
}

// byURL returns the kept documents by requested URL.
func (s *sink) byURL() map[string]kg.FetchedDoc {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]kg.FetchedDoc)
	for _, d := range s.docs {
		out[d.URL] = d
	}
	return out
}

// urls returns the sorted URLs of the kept documents.
func (s *sink) urls() []string {
	var out []string
	for u := range s.byURL() {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// testConfig returns a configuration with short delays that may crawl
// loopback test servers.
func testConfig(t *testing.T) Config {
	cfg := DefaultConfig()
	cfg.Delay = 20 * time.Millisecond
	cfg.RetryWaitMin = 10 * time.Millisecond
	cfg.RetryWaitMax = 50 * time.Millisecond
	cfg.RequestTimeout = 5 * time.Second
	cfg.AllowPrivate = true
	cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	return cfg
}

// entry returns a cluster entry with the given sites.
func entry(id string, sites ...string) kg.Entry {
	return kg.Entry{Kind: kg.EntryCluster, ID: id, Name: id, Sites: sites}
}

// crawl runs one crawl and fails the test on error.
func crawl(t *testing.T, cfg Config, entries ...kg.Entry) (Stats, *sink) {
	t.Helper()
	s := &sink{}
	c, err := New(cfg, s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	stats, err := c.Crawl(t.Context(), entries)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	return stats, s
}
