package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Request kinds that are not resources of the web.
const (
	KindMissing    = "missing"    // a path the web does not have: 404
	KindDisallowed = "disallowed" // a path robots.txt forbids: 404, and a crawler that asked broke the rules
)

// Counter counts the requests the web answers. It is safe for concurrent
// use.
type Counter struct {
	mu    sync.Mutex
	start time.Time
	last  time.Time
	gets  map[string]int // GET requests by kind
	heads int
	bytes int64
	hosts map[string]int // GET requests by host
}

// NewCounter returns an empty counter.
func NewCounter() *Counter {
	c := &Counter{}
	c.Reset()
	return c
}

// Reset forgets every request counted so far.
func (c *Counter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.start, c.last = time.Time{}, time.Time{}
	c.gets, c.hosts = map[string]int{}, map[string]int{}
	c.heads, c.bytes = 0, 0
}

// add counts one request.
func (c *Counter) add(method, host, kind string, n int) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.start.IsZero() {
		c.start = now
	}
	c.last = now
	if method == http.MethodHead {
		c.heads++
		return
	}
	c.gets[kind]++
	c.hosts[host]++
	c.bytes += int64(n)
}

// Snapshot is what a Counter counted.
type Snapshot struct {
	// Pages are the GET requests answered with a resource other than
	// robots.txt and sitemap.xml: what a crawler fetched.
	Pages int `json:"pages"`
	// ByKind are the GET requests by kind of resource, KindMissing and
	// KindDisallowed included.
	ByKind map[string]int `json:"by_kind"`
	// ByHost are the GET requests by host and port.
	ByHost map[string]int `json:"by_host"`
	// Heads are the HEAD requests.
	Heads int   `json:"heads"`
	Bytes int64 `json:"bytes"`
	// Seconds is the time from the first request to the last.
	Seconds float64 `json:"seconds"`
}

// Snapshot returns the counts so far.
func (c *Counter) Snapshot() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Snapshot{ByKind: map[string]int{}, ByHost: map[string]int{}, Heads: c.heads, Bytes: c.bytes}
	for k, n := range c.gets {
		s.ByKind[k] = n
	}
	for k, n := range c.hosts {
		s.ByHost[k] = n
	}
	s.Pages = c.gets[KindHTML] + c.gets[KindPDF] + c.gets[KindICal] + c.gets[KindFeed]
	if !c.start.IsZero() {
		s.Seconds = c.last.Sub(c.start).Seconds()
	}
	return s
}

// hostHandler serves one host's resources from memory.
type hostHandler struct {
	host       *Host
	counter    *Counter
	disallowed map[string]bool
}

// Handler returns the handler that serves h and counts its requests in c.
func Handler(h *Host, c *Counter) http.Handler {
	hh := &hostHandler{host: h, counter: c, disallowed: map[string]bool{}}
	for _, d := range h.Disallowed {
		hh.disallowed[d] = true
	}
	return hh
}

func (hh *hostHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	res, ok := hh.host.Resources[r.URL.Path]
	if !ok {
		kind := KindMissing
		if hh.disallowed[r.URL.Path] {
			kind = KindDisallowed
		}
		hh.counter.add(r.Method, r.Host, kind, 0)
		http.NotFound(w, r)
		return
	}
	hh.counter.add(r.Method, r.Host, res.Kind, len(res.Body))
	hd := w.Header()
	hd.Set("Content-Type", res.ContentType)
	hd.Set("Content-Length", strconv.Itoa(len(res.Body)))
	hd.Set("Last-Modified", res.Modified.UTC().Format(http.TimeFormat))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(res.Body)
}

// controlHandler answers GET /stats with the counter's Snapshot as JSON
// and POST /reset by resetting it.
func controlHandler(c *Counter, w *Web) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		json.NewEncoder(rw).Encode(c.Snapshot())
	})
	mux.HandleFunc("POST /reset", func(rw http.ResponseWriter, _ *http.Request) {
		c.Reset()
		rw.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /web", func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		json.NewEncoder(rw).Encode(map[string]any{"hosts": len(w.Hosts), "fetchable": w.Fetchable(), "by_kind": w.Counts()})
	})
	return mux
}
