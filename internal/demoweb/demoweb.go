package demoweb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Web is the running demo web: one HTTP server per site, each on its own
// port of 127.0.0.1. It is safe for concurrent use.
type Web struct {
	sites  map[string]*site
	order  []string // site names in siteSpecs order
	logger *slog.Logger

	closeOnce sync.Once
	closeErr  error
	done      chan struct{}
}

// site is one running demo site.
type site struct {
	spec      siteSpec
	base      string // "http://127.0.0.1:port"
	listener  net.Listener
	server    *http.Server
	resources map[string]resource
	pages     []Page
	logger    *slog.Logger

	mu       sync.Mutex
	hits     map[string]int  // requests by URL path
	failOnce map[string]bool // paths that answer 503 to their next request
}

// config holds the options of Start.
type config struct {
	logger   *slog.Logger
	failOnce map[string][]string // site → paths
}

// Option configures Start.
type Option func(*config)

// WithLogger sets the logger that records every request at debug level.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithUnavailableOnce makes site answer the first request for path with
// 503 Service Unavailable and "Retry-After: 0"; later requests are served
// as usual.
func WithUnavailableOnce(siteName, path string) Option {
	return func(c *config) {
		c.failOnce[siteName] = append(c.failOnce[siteName], path)
	}
}

// Start renders the demo sites and serves each on its own listener on
// 127.0.0.1. The servers run until Close is called or ctx is done.
func Start(ctx context.Context, opts ...Option) (*Web, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("starting demo web: %w", err)
	}
	cfg := config{logger: slog.New(slog.DiscardHandler), failOnce: map[string][]string{}}
	for _, o := range opts {
		o(&cfg)
	}
	w := &Web{sites: map[string]*site{}, logger: cfg.logger, done: make(chan struct{})}
	for name := range cfg.failOnce {
		if !slices.ContainsFunc(siteSpecs, func(s siteSpec) bool { return s.name == name }) {
			return nil, fmt.Errorf("starting demo web: unknown site %q", name)
		}
	}

	bases := map[string]string{}
	var lc net.ListenConfig
	for _, spec := range siteSpecs {
		ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
		if err != nil {
			w.closeListeners()
			return nil, fmt.Errorf("listening for demo site %s: %w", spec.name, err)
		}
		s := &site{spec: spec, listener: ln, base: "http://" + ln.Addr().String(), logger: cfg.logger,
			hits: map[string]int{}, failOnce: map[string]bool{}}
		for _, p := range cfg.failOnce[spec.name] {
			s.failOnce[p] = true
		}
		w.sites[spec.name] = s
		w.order = append(w.order, spec.name)
		bases[spec.name] = s.base
	}
	for _, name := range w.order {
		s := w.sites[name]
		r, err := render(s.spec, bases)
		if err != nil {
			w.closeListeners()
			return nil, fmt.Errorf("rendering demo web: %w", err)
		}
		s.resources, s.pages = r.resources, r.pages
	}
	for _, name := range w.order {
		s := w.sites[name]
		s.server = &http.Server{
			Handler:           s,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(cfg.logger.Handler(), slog.LevelWarn),
		}
		go func() {
			if err := s.server.Serve(s.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
				cfg.logger.Error("demo site stopped", "site", s.spec.name, "err", err)
			}
		}()
	}
	go func() {
		select {
		case <-ctx.Done():
			_ = w.Close()
		case <-w.done:
		}
	}()
	cfg.logger.Info("demo web started", "sites", bases)
	return w, nil
}

// closeListeners releases the listeners of a Start that failed.
func (w *Web) closeListeners() {
	for _, s := range w.sites {
		_ = s.listener.Close()
	}
}

// Close stops every server. Connections in flight are closed. Calling it
// again returns the first call's result.
func (w *Web) Close() error {
	w.closeOnce.Do(func() {
		close(w.done)
		var errs []error
		for _, name := range w.order {
			if err := w.sites[name].server.Close(); err != nil {
				errs = append(errs, fmt.Errorf("closing demo site %s: %w", name, err))
			}
		}
		w.closeErr = errors.Join(errs...)
	})
	return w.closeErr
}

// Sites returns the names of the demo sites, clusters first and the source
// last.
func (w *Web) Sites() []string { return slices.Clone(w.order) }

// Base returns the base URL of a site ("http://127.0.0.1:port", no
// trailing slash), or "" for an unknown site.
func (w *Web) Base(siteName string) string {
	s, ok := w.sites[siteName]
	if !ok {
		return ""
	}
	return s.base
}

// URL returns the absolute URL of path on a site, or "" for an unknown
// site. A path without a leading slash gets one.
func (w *Web) URL(siteName, path string) string {
	base := w.Base(siteName)
	if base == "" {
		return ""
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return base + path
}

// Hits returns how many requests a site has received for path (the URL
// path, without query), whatever their method or answer.
func (w *Web) Hits(siteName, path string) int {
	s, ok := w.sites[siteName]
	if !ok {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// Pages lists every page and document of every site, by site and then
// path, including those robots.txt disallows.
func (w *Web) Pages() []Page {
	var out []Page
	for _, name := range w.order {
		out = append(out, w.sites[name].pages...)
	}
	return out
}

// Registry returns the demo clusters and the demo source, with sites
// pointing at the running servers.
func (w *Web) Registry() kg.Registry {
	var reg kg.Registry
	for _, cs := range clusterSpecs {
		c := cs.cluster
		c.Aliases = slices.Clone(c.Aliases)
		if cs.site != "" {
			c.Sites = []string{w.URL(cs.site, "/")}
		}
		reg.Clusters = append(reg.Clusters, c)
	}
	reg.Sources = append(reg.Sources, kg.Source{
		ID:    SourceNatverket,
		Name:  "Nätverket för gröna kluster",
		Sites: []string{w.URL(SiteNatverket, "/")},
	})
	return reg
}

// ServeHTTP answers GET and HEAD for the site's resources, with
// Last-Modified, ETag and conditional requests; it counts every request.
func (s *site) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	s.mu.Lock()
	s.hits[p]++
	fail := s.failOnce[p]
	delete(s.failOnce, p)
	s.mu.Unlock()
	s.logger.Debug("demo request", "site", s.spec.name, "method", r.Method, "path", p)

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		rw.Header().Set("Allow", "GET, HEAD")
		http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if fail {
		rw.Header().Set("Retry-After", "0")
		http.Error(rw, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	if to, ok := s.spec.redirects[p]; ok {
		http.Redirect(rw, r, to, http.StatusMovedPermanently)
		return
	}
	res, ok := s.resources[p]
	if !ok {
		if _, dir := s.resources[p+"/"]; dir && !strings.HasSuffix(p, "/") {
			http.Redirect(rw, r, p+"/", http.StatusMovedPermanently)
			return
		}
		s.notFound(rw)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", res.contentType)
	h.Set("ETag", res.etag)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(rw, r, p, res.modified, bytes.NewReader(res.body))
}

// notFound answers 404 with a short page in the site's own encoding.
func (s *site) notFound(rw http.ResponseWriter) {
	ct := "text/html; charset=utf-8"
	if s.spec.latin1 {
		ct = "text/html"
	}
	rw.Header().Set("Content-Type", ct)
	rw.WriteHeader(http.StatusNotFound)
	_, _ = rw.Write([]byte("<!DOCTYPE html>\n<html><head><title>404</title></head><body><main><h1>404</h1><p>Page not found.</p></main></body></html>\n"))
}
