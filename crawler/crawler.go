package crawler

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Crawler fetches the sites of registry entries. It is safe to run one
// crawl at a time; hosts keep their politeness state between crawls.
type Crawler struct {
	cfg       Config
	sink      kg.PageSink
	transport *politeTransport
	state     State
}

// Flusher is implemented by a sink that buffers documents. Flush returns
// once every document the sink accepted so far is durably stored; the
// crawler records a page as done only after a Flush that covers it.
type Flusher interface {
	Flush(ctx context.Context) error
}

// New returns a crawler that hands the documents it keeps to sink. Zero
// fields of cfg take the values of DefaultConfig.
func New(cfg Config, sink kg.PageSink) (*Crawler, error) {
	if sink == nil {
		return nil, errors.New("crawler: nil sink")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	st := cfg.State
	if st == nil {
		st = NewMemoryState()
	}
	return &Crawler{cfg: cfg, sink: sink, transport: newTransport(cfg), state: st}, nil
}

// errRequeued stops a redirect to an origin whose robots.txt is not read
// yet; the target is requested anew.
var errRequeued = errors.New("redirect target queued")

// metaKey is the colly context key of a request's reqMeta.
const metaKey = "klusterkarta.meta"

// site is one site root of an entry and the scopes it covers.
type site struct {
	entry    kg.Entry
	root     *url.URL
	deadline time.Time      // no request starts after it
	scopes   []scope        // guarded by run.mu
	pages    int            // requests queued for the site; guarded by run.mu
	patterns map[string]int // URLs queued by urlPattern; guarded by run.mu
	variants map[string]int // URLs queued by pathOf; guarded by run.mu
}

// reqMeta is what the crawler knows about one queued request.
type reqMeta struct {
	site     *site
	url      string // the normalized URL first queued
	key      string // urlKey of url: its frontier and record key
	depth    int
	docOnly  bool   // fetched for its content only: a PDF or iCal on another site
	budgeted bool   // counted in its site's pages
	collyKey string // the URL colly requests, for redirect lookups
	req      *colly.Request

	// Set while the request runs, in its own goroutine; read by done.
	html      bool    // the response was kept as HTML
	nofollow  bool    // the page asks not to follow its links
	prev      *Record // the record of the last crawl; nil if none
	out       *Record // the record to commit when done; nil keeps the old
	links     []Link  // links followed from the page
	kept      bool    // the sink accepted a document
	docKey    string  // key of the document kept
	abandoned bool    // stopped by cancellation: stays in the frontier
	requeued  bool    // redirected to a request of its own, which ends it
	finished  bool    // finish ran
}

// doneItem is a request that ended, waiting for the next checkpoint.
type doneItem struct {
	key    string
	rec    *Record
	kept   bool
	docKey string
}

// run is the state of one crawl.
type run struct {
	*Crawler
	ctx         context.Context
	log         *slog.Logger
	c           *colly.Collector
	fetchClient *http.Client

	crawlID uint64 // the crawl's number in State

	mu         sync.Mutex
	stats      Stats
	seen       map[string]bool       // URL keys queued or refused
	inflight   map[string]*reqMeta   // colly URL -> request in flight
	hosts      map[string]*hostState // origin -> robots state
	outOfScope map[string]bool       // links counted in SkippedScope
	overLimit  map[string]bool       // URLs counted in SkippedLimit
	trapped    map[string]bool       // URLs counted in SkippedTrap

	// Progress since the last checkpoint, guarded by mu.
	ckQueued   []Queued
	ckDone     []doneItem
	ckGone     []string
	sinkFailed bool

	sinkMu    sync.RWMutex  // held for reading by sink calls, for writing by a checkpoint
	sinkSlots chan struct{} // one token per page being handed to the sink
	ckMu      sync.Mutex    // one checkpoint at a time

	progressMu sync.Mutex
}

// Crawl crawls the sites of entries and returns what it did. It resumes
// the crawl State holds as interrupted, unless Config.Restart is set. It
// returns when every queued request is done, or soon after ctx is
// cancelled, in which case the error wraps ctx.Err() and the crawl is left
// to be resumed.
func (cr *Crawler) Crawl(ctx context.Context, entries []kg.Entry) (Stats, error) {
	r, err := cr.newRun(ctx)
	if err != nil {
		return Stats{}, err
	}
	res, err := cr.state.Begin(ctx, cr.cfg.Restart)
	if err != nil {
		return Stats{}, fmt.Errorf("reading crawl state: %w", err)
	}
	r.crawlID = res.Crawl
	r.stats.Crawl, r.stats.Resumed = res.Crawl, res.Resumed
	if res.Resumed {
		r.log.Info("resuming crawl", "crawl", res.Crawl, "done", len(res.Done), "queued", len(res.Frontier))
	}
	sites := map[string]*site{}
	var order []*site
	start := time.Now()
	for _, e := range entries {
		for _, raw := range e.Sites {
			u := normalizeURL(raw)
			if u == nil {
				r.log.Warn("site root is not an http(s) URL", "entry", e.ID, "site", raw)
				r.countError(ErrorKindOther)
				continue
			}
			if _, dup := sites[u.String()]; dup {
				continue
			}
			s := &site{entry: e, root: u, scopes: []scope{scopeOf(u)}, deadline: start.Add(cr.cfg.MaxSiteDuration),
				patterns: map[string]int{}, variants: map[string]int{}}
			sites[u.String()] = s
			order = append(order, s)
		}
	}
	var resumeQueue []*reqMeta
	if res.Resumed {
		for _, k := range res.Done {
			r.seen[k] = true
		}
		for _, q := range res.Frontier {
			s := sites[q.Site]
			u := normalizeURL(q.URL)
			if s == nil || u == nil || r.seen[q.Key] {
				r.ckDone = append(r.ckDone, doneItem{key: q.Key})
				continue
			}
			r.seen[q.Key] = true
			s.pages++
			s.patterns[urlPattern(u)]++
			s.variants[pathOf(u)]++
			resumeQueue = append(resumeQueue, &reqMeta{site: s, url: u.String(), key: q.Key, depth: q.Depth, docOnly: q.DocOnly, budgeted: true})
		}
	}

	stop := make(chan struct{})
	var tick sync.WaitGroup
	tick.Go(func() { r.checkpointLoop(stop) })
	var wg sync.WaitGroup
	for _, s := range order {
		wg.Go(func() { r.startSite(s) })
	}
	for _, m := range resumeQueue {
		r.request(m, m.url)
	}
	wg.Wait()
	r.c.Wait()
	close(stop)
	tick.Wait()
	ckErr := r.checkpoint()
	if ckErr == nil && ctx.Err() == nil {
		ckErr = cr.state.Finish(context.WithoutCancel(ctx), r.crawlID)
	}
	stats := r.snapshot()
	r.log.Info("crawl done", "crawl", r.crawlID, "fetched", stats.Fetched, "kept", stats.Kept,
		"not_modified", stats.NotModified, "errors", stats.Errors)
	if err := ctx.Err(); err != nil {
		return stats, errors.Join(fmt.Errorf("crawl stopped: %w", err), ckErr)
	}
	if ckErr != nil {
		return stats, fmt.Errorf("saving crawl state: %w", ckErr)
	}
	return stats, nil
}

// newRun sets up the collector of one crawl.
func (cr *Crawler) newRun(ctx context.Context) (*run, error) {
	r := &run{
		Crawler:    cr,
		ctx:        ctx,
		log:        cr.cfg.Logger,
		seen:       make(map[string]bool),
		inflight:   make(map[string]*reqMeta),
		hosts:      make(map[string]*hostState),
		outOfScope: make(map[string]bool),
		overLimit:  make(map[string]bool),
		trapped:    make(map[string]bool),
		stats:      Stats{ErrorsByKind: map[string]int{}, PerHost: map[string]int{}},
		sinkSlots:  make(chan struct{}, cr.cfg.SinkParallelism),
	}
	r.fetchClient = &http.Client{
		Transport:     cr.transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("creating cookie jar: %w", err)
	}
	c := colly.NewCollector(
		colly.Async(true),
		colly.UserAgent(cr.cfg.UserAgent),
		colly.MaxBodySize(cr.cfg.MaxBodyBytes),
		colly.StdlibContext(ctx),
		colly.ParseHTTPErrorResponse(),
	)
	c.AllowURLRevisit = false
	// robots.txt is read by run.host, which also takes Crawl-delay and
	// Sitemap lines from it; colly would read it a second time.
	c.IgnoreRobotsTxt = true
	c.SetClient(&http.Client{Transport: cr.transport, Jar: jar})
	c.SetRedirectHandler(r.checkRedirect)
	c.OnRequest(r.onRequest)
	c.OnResponseHeaders(r.onResponseHeaders)
	c.OnResponse(r.onResponse)
	c.OnHTML("html", r.onHTML)
	c.OnScraped(func(resp *colly.Response) { r.done(resp.Request) })
	c.OnError(r.onError)
	r.c = c
	return r, nil
}

// startSite queues a site's root and the pages its sitemaps list.
func (r *run) startSite(s *site) {
	r.log.Info("crawling site", "entry", s.entry.ID, "root", s.root.String())
	if r.cfg.MaxSiteDuration > 0 {
		// Each site's clock starts when its crawl does.
		r.mu.Lock()
		s.deadline = time.Now().Add(r.cfg.MaxSiteDuration)
		r.mu.Unlock()
	}
	r.enqueue(s, s.root, 0, false)
	r.readSitemaps(s)
}

// inScope reports whether u belongs to site s.
func (r *run) inScope(s *site, u *url.URL) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, sc := range s.scopes {
		if sc.contains(u) {
			return true
		}
	}
	return false
}

// enqueue queues u for site s unless it was queued before, looks like a
// crawler trap, or is beyond the site's limits. It does no network I/O.
func (r *run) enqueue(s *site, u *url.URL, depth int, docOnly bool) {
	if r.ctx.Err() != nil {
		return
	}
	key := urlKey(u)
	if err := r.refuseLiteral(u); err != nil {
		r.mu.Lock()
		dup := r.seen[key]
		if !dup {
			r.seen[key] = true
			r.stats.Refused++
		}
		r.mu.Unlock()
		if !dup {
			r.log.Warn("request refused", "url", key, "err", err)
		}
		return
	}
	trap := trapReason(u, time.Now())
	pattern, variant := urlPattern(u), pathOf(u)
	r.mu.Lock()
	if r.seen[key] {
		r.mu.Unlock()
		return
	}
	switch {
	case trap == "" && u.RawQuery != "" && s.variants[variant] >= r.cfg.MaxURLsPerPattern:
		trap = "too many query-string variants of one path"
	case trap == "" && s.patterns[pattern] >= r.cfg.MaxURLsPerPattern:
		trap = "too many URLs of one pattern"
	}
	if trap != "" {
		counted := r.trapped[key]
		if !counted {
			r.trapped[key] = true
			r.stats.SkippedTrap++
		}
		r.mu.Unlock()
		if !counted {
			r.log.Debug("crawler trap", "url", key, "why", trap)
		}
		return
	}
	if s.pages >= r.cfg.MaxPagesPerSite || time.Now().After(s.deadline) {
		r.countLimitLocked(key)
		r.mu.Unlock()
		return
	}
	m := &reqMeta{site: s, url: u.String(), key: key, depth: depth, docOnly: docOnly, budgeted: true}
	r.seen[key] = true
	s.pages++
	s.patterns[pattern]++
	if u.RawQuery != "" {
		s.variants[variant]++
	}
	r.ckQueued = append(r.ckQueued, Queued{Key: key, URL: m.url, Site: s.root.String(), Depth: depth, DocOnly: docOnly})
	r.mu.Unlock()
	r.request(m, m.url)
}

// request hands m to colly, to fetch target.
func (r *run) request(m *reqMeta, target string) {
	cctx := colly.NewContext()
	cctx.Put(metaKey, m)
	err := r.c.Request(http.MethodGet, target, nil, cctx, nil)
	var visited *colly.AlreadyVisitedError
	switch {
	case err == nil:
	case errors.As(err, &visited):
		// Reached before as the target of a redirect.
		r.finish(m)
	default:
		r.log.Warn("cannot queue request", "url", target, "err", err)
		r.countError(ErrorKindOther)
		r.finish(m)
	}
}

// refuseLiteral returns an error when u names a private address literally
// and private addresses are not allowed.
func (r *run) refuseLiteral(u *url.URL) error {
	if r.cfg.AllowPrivate {
		return nil
	}
	return literalPrivate(u.Hostname())
}

// meta returns the reqMeta of a colly request.
func meta(req *colly.Request) *reqMeta {
	if req == nil || req.Ctx == nil {
		return nil
	}
	m, _ := req.Ctx.GetAny(metaKey).(*reqMeta)
	return m
}

// onRequest checks robots.txt and the site's time before a request is
// sent, and makes it conditional when an earlier crawl stored validators.
// It runs in the request's own goroutine, before the request holds any
// host.
func (r *run) onRequest(req *colly.Request) {
	m := meta(req)
	if m == nil {
		req.Abort()
		return
	}
	if r.ctx.Err() != nil {
		req.Abort()
		m.abandoned = true
		r.finish(m)
		return
	}
	r.mu.Lock()
	late := time.Now().After(m.site.deadline)
	if late {
		r.countLimitLocked(m.key)
	}
	r.mu.Unlock()
	if late {
		// Left in the frontier for the next crawl.
		req.Abort()
		r.releasePage(m)
		m.abandoned = true
		r.finish(m)
		return
	}
	hs, err := r.host(req.URL)
	switch {
	case err != nil:
		req.Abort()
		r.releasePage(m)
		if r.ctx.Err() == nil {
			r.countFailure(req.URL.String(), err)
		} else {
			m.abandoned = true
		}
		r.finish(m)
		return
	case !hs.allowed(req.URL, r.cfg.UserAgent):
		req.Abort()
		r.releasePage(m)
		r.mu.Lock()
		r.stats.SkippedRobots++
		r.mu.Unlock()
		r.log.Debug("disallowed by robots.txt", "url", req.URL.String())
		r.finish(m)
		return
	}
	req.Headers.Set("Accept-Language", "sv, en;q=0.8")
	if m.key != "" && !r.cfg.Refetch {
		rec, ok, err := r.state.Record(r.ctx, m.key)
		if err != nil {
			r.log.Warn("reading crawl state", "url", m.url, "err", err)
		}
		if ok {
			m.prev = &rec
			if rec.ETag != "" {
				req.Headers.Set("If-None-Match", rec.ETag)
			}
			if rec.LastModified != "" {
				req.Headers.Set("If-Modified-Since", rec.LastModified)
			}
		}
	}
	m.req = req
	m.collyKey = req.URL.String()
	r.mu.Lock()
	r.inflight[m.collyKey] = m
	r.mu.Unlock()
}

// releasePage gives back the page a request took from its site's budget
// when the request is not made.
func (r *run) releasePage(m *reqMeta) {
	if !m.budgeted {
		return
	}
	r.mu.Lock()
	m.site.pages--
	r.mu.Unlock()
}

// checkRedirect decides whether colly follows a redirect. It runs while
// the previous response holds its host, so it never waits: a target whose
// origin is not known yet is queued as a request of its own.
func (r *run) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > r.cfg.MaxRedirects {
		return fmt.Errorf("stopped after %d redirects", r.cfg.MaxRedirects)
	}
	u := normalizeURL(req.URL.String())
	if u == nil {
		return fmt.Errorf("redirect to unsupported URL %s", req.URL.Redacted())
	}
	if err := r.refuseLiteral(u); err != nil {
		return err
	}
	r.mu.Lock()
	m := r.inflight[via[0].URL.String()]
	r.mu.Unlock()
	if m != nil && m.depth > 0 && !m.docOnly && !r.inScope(m.site, u) {
		// Outside the site only a PDF or iCal document is kept, as for
		// links; the redirect runs in the goroutine that reads m later.
		m.docOnly = true
	}
	hs, ok := r.readyHost(u)
	if !ok {
		if m == nil || m.req == nil {
			return fmt.Errorf("redirect to unknown origin %s", origin(u))
		}
		r.requeue(m, u)
		m.requeued = true
		return errRequeued
	}
	if hs.err != nil {
		return hs.err
	}
	if !hs.allowed(u, r.cfg.UserAgent) {
		return fmt.Errorf("redirect to %s: %w", u, colly.ErrRobotsTxtBlocked)
	}
	return nil
}

// requeue requests the redirect target u of m as a new request that keeps
// m's URL, site and depth.
func (r *run) requeue(m *reqMeta, u *url.URL) {
	key := u.String()
	r.mu.Lock()
	r.seen[urlKey(u)] = true
	r.mu.Unlock()
	next := &reqMeta{site: m.site, url: m.url, key: m.key, depth: m.depth, docOnly: m.docOnly}
	nr, err := m.req.New(http.MethodGet, key, nil)
	if err != nil {
		r.log.Warn("cannot queue redirect target", "url", key, "err", err)
		r.finish(next)
		return
	}
	nr.Ctx = colly.NewContext()
	nr.Ctx.Put(metaKey, next)
	nr.Depth = m.req.Depth
	// Retry skips colly's visited check: colly marked the target visited
	// when the redirect reached it.
	if err := nr.Retry(); err != nil {
		r.log.Warn("cannot queue redirect target", "url", key, "err", err)
		r.finish(next)
	}
}

// onResponseHeaders counts a response and stops the download of those
// that are not kept: errors, answers 304 Not Modified, and content types
// the crawler does not read. A 304 follows the links the page had; a 404 or
// 410 retracts the document the URL had.
func (r *run) onResponseHeaders(resp *colly.Response) {
	m := meta(resp.Request)
	if m == nil {
		resp.Request.Abort()
		return
	}
	ct := resp.Headers.Get("Content-Type")
	r.mu.Lock()
	r.stats.Fetched++
	r.stats.PerHost[resp.Request.URL.Host]++
	r.mu.Unlock()
	switch {
	case resp.StatusCode == http.StatusNotModified && m.prev != nil:
		resp.Request.Abort()
		r.notModified(m, resp)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		resp.Request.Abort()
		kind := ErrorKindOther
		switch {
		case resp.StatusCode >= 500:
			kind = ErrorKind5xx
		case resp.StatusCode >= 400:
			kind = ErrorKind4xx
		}
		r.countError(kind)
		r.log.Info("request failed", "url", resp.Request.URL.String(), "status", resp.StatusCode)
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
			r.gone(m, resp.StatusCode)
		}
	case ct != "" && !isBinaryType(ct) && !wanted(m, contentKind(ct)):
		resp.Request.Abort()
		r.countSkippedType(resp.Request.URL.String(), ct)
	}
}

// notModified handles a 304: the page is as the last crawl stored it, so
// it is not extracted again, and the links it had are followed.
func (r *run) notModified(m *reqMeta, resp *colly.Response) {
	rec := *m.prev
	rec.Status = resp.StatusCode
	rec.Fetched = time.Now().UTC()
	rec.Crawl = r.crawlID
	if et := resp.Headers.Get("ETag"); et != "" {
		rec.ETag = et
	}
	if lm := resp.Headers.Get("Last-Modified"); lm != "" {
		rec.LastModified = lm
	}
	m.out = &rec
	r.mu.Lock()
	r.stats.NotModified++
	r.mu.Unlock()
	r.log.Debug("not modified", "url", m.url)
	if m.docOnly {
		return
	}
	for _, l := range rec.Links {
		if u := normalizeURL(l.URL); u != nil {
			r.follow(m, u, l.Type)
		}
	}
}

// gone handles a 404 or 410: the document stored from the URL, if any, is
// retracted from the sink, and a document the URL led to elsewhere (by a
// redirect or a canonical link) is queued to be checked on its own.
func (r *run) gone(m *reqMeta, status int) {
	rec := Record{Key: m.key, URL: m.url, Site: m.site.root.String(), Status: status, Fetched: time.Now().UTC(), Crawl: r.crawlID}
	m.out = &rec
	r.retract(m.key, status)
	if m.prev == nil || m.prev.DocURL == "" {
		return
	}
	if u := normalizeURL(m.prev.DocURL); u != nil && urlKey(u) != m.key {
		r.enqueue(m.site, u, m.depth, m.docOnly)
	}
}

// retract tells a kg.GoneSink that the document stored under docKey is
// gone, if one is stored.
func (r *run) retract(docKey string, status int) {
	gs, ok := r.sink.(kg.GoneSink)
	if !ok {
		return
	}
	docURL, ok, err := r.state.Doc(r.ctx, docKey)
	if err != nil {
		r.log.Warn("reading crawl state", "doc", docKey, "err", err)
		return
	}
	if !ok {
		return
	}
	if err := gs.HandleGone(r.ctx, docURL, status); err != nil {
		r.log.Warn("retracting document", "url", docURL, "status", status, "err", err)
		r.mu.Lock()
		r.stats.SinkErrors++
		r.mu.Unlock()
		return
	}
	r.mu.Lock()
	r.stats.Gone++
	r.ckGone = append(r.ckGone, docKey)
	r.mu.Unlock()
	r.log.Info("document retracted", "url", docURL, "status", status)
}

// wanted reports whether a document of kind is kept for m.
func wanted(m *reqMeta, kind string) bool {
	if m.docOnly {
		return kind == typePDF || kind == typeICal
	}
	return kind != ""
}

// onResponse hands a kept response to the sink, unless it is marked
// noindex or its body is the one the last crawl stored.
func (r *run) onResponse(resp *colly.Response) {
	m := meta(resp.Request)
	if m == nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		return
	}
	final := resp.Request.URL
	ct := effectiveType(resp.Headers.Get("Content-Type"), final, resp.Body)
	kind := contentKind(ct)
	if !wanted(m, kind) || (kind == typeXML && isSitemap(resp.Body)) {
		r.countSkippedType(final.String(), ct)
		return
	}
	agent := agentToken(r.cfg.UserAgent)
	dir := headerDirectives(*resp.Headers, agent)
	if kind == typeHTML {
		dir = htmlDirectives(dir, resp.Body, agent)
	}
	header := maps.Clone(map[string][]string(*resp.Headers))
	if ct != resp.Headers.Get("Content-Type") {
		header["Content-Type"] = []string{ct}
	}
	now := time.Now().UTC()
	doc := kg.FetchedDoc{
		URL:         m.url,
		FinalURL:    final.String(),
		Status:      resp.StatusCode,
		ContentType: ct,
		Header:      header,
		Body:        resp.Body,
		FetchedAt:   now,
		Entry:       m.site.entry,
		Depth:       m.depth,
	}
	sum := sha256.Sum256(resp.Body)
	rec := Record{
		Key: m.key, URL: m.url, Site: m.site.root.String(), Status: resp.StatusCode, Hash: hex.EncodeToString(sum[:]),
		ETag: resp.Headers.Get("ETag"), LastModified: resp.Headers.Get("Last-Modified"), Fetched: now, Crawl: r.crawlID,
	}
	truncated := len(resp.Body) >= r.cfg.MaxBodyBytes
	r.mu.Lock()
	r.stats.Bytes += int64(len(resp.Body))
	if truncated {
		r.stats.Truncated++
	}
	if m.depth == 0 && !m.docOnly {
		// A root that redirects elsewhere brings its new home into scope.
		if fs := scopeOf(final); !containsScope(m.site.scopes, fs) {
			m.site.scopes = append(m.site.scopes, fs)
		}
	}
	m.html = kind == typeHTML
	m.nofollow = dir.nofollow
	r.mu.Unlock()
	if truncated {
		r.log.Info("body truncated", "url", doc.FinalURL, "limit", r.cfg.MaxBodyBytes)
	}
	if dir.canonical != "" && kind == typeHTML && !m.docOnly {
		if cu := normalizeURL(final.ResolveReference(mustParse(dir.canonical)).String()); cu != nil && urlKey(cu) != m.key {
			r.follow(m, cu, "")
		}
	}
	if r.ctx.Err() != nil {
		m.abandoned = true
		return
	}
	if dir.noindex {
		r.mu.Lock()
		r.stats.SkippedNoindex++
		r.mu.Unlock()
		r.log.Debug("noindex: not kept", "url", doc.FinalURL)
		// A page that turned noindex takes its stored document with it.
		r.retract(m.key, resp.StatusCode)
		m.out = &rec
		return
	}
	docURL := documentURL(final, dir.canonical)
	rec.DocURL = docURL.String()
	docKey := m.key
	if du := normalizeURL(rec.DocURL); du != nil {
		docKey = urlKey(du)
	}
	if p := m.prev; p != nil && !r.cfg.Refetch && p.Hash == rec.Hash && p.DocURL == rec.DocURL {
		if _, stored, err := r.state.Doc(r.ctx, docKey); err == nil && stored {
			r.mu.Lock()
			r.stats.Unchanged++
			r.mu.Unlock()
			r.log.Debug("unchanged", "url", doc.FinalURL)
			m.out = &rec
			return
		}
	}
	select {
	case r.sinkSlots <- struct{}{}:
	case <-r.ctx.Done():
		m.abandoned = true
		return
	}
	r.sinkMu.RLock()
	err := r.sink.HandlePage(r.ctx, doc)
	r.sinkMu.RUnlock()
	<-r.sinkSlots
	if err != nil {
		if r.ctx.Err() != nil {
			m.abandoned = true
			return
		}
		r.mu.Lock()
		r.stats.SinkErrors++
		r.sinkFailed = true
		r.mu.Unlock()
		r.log.Warn("handling page", "url", doc.FinalURL, "err", err)
		return
	}
	m.out = &rec
	m.kept = true
	m.docKey = docKey
	r.mu.Lock()
	r.stats.Kept++
	r.mu.Unlock()
	r.log.Debug("page kept", "url", doc.FinalURL, "entry", m.site.entry.ID, "depth", m.depth)
}

// mustParse parses a URL reference, returning an empty one on error.
func mustParse(ref string) *url.URL {
	u, err := url.Parse(ref)
	if err != nil {
		return &url.URL{}
	}
	return u
}

// containsScope reports whether scopes already covers sc.
func containsScope(scopes []scope, sc scope) bool {
	for _, s := range scopes {
		if s.host == sc.host && strings.HasPrefix(sc.prefix, s.prefix) {
			return true
		}
	}
	return false
}

// effectiveType returns the content type of a body: the header's, or when
// the header is missing or says only "binary", what the URL's extension or
// the body shows. When colly decoded a body from another charset the type
// says utf-8, as the body now is.
func effectiveType(ct string, u *url.URL, body []byte) string {
	if isBinaryType(ct) {
		switch extensionKind(u) {
		case typePDF:
			return "application/pdf"
		case typeICal:
			return "text/calendar"
		}
		sniffed := sniff(body)
		if k := contentKind(sniffed); ct == "" || k == typePDF || k == typeICal {
			return sniffed
		}
		return ct
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return ct
	}
	cs := strings.ToLower(params["charset"])
	if cs == "" || cs == "utf-8" || cs == "utf8" || !textual(mt) {
		return ct
	}
	params["charset"] = "utf-8"
	return mime.FormatMediaType(mt, params)
}

// sniff guesses the content type of body.
func sniff(body []byte) string {
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("BEGIN:VCALENDAR")) {
		return "text/calendar"
	}
	return http.DetectContentType(body)
}

// textual reports whether colly decodes bodies of media type mt to UTF-8.
func textual(mt string) bool {
	for _, p := range []string{"image/", "video/", "audio/", "font/"} {
		if strings.HasPrefix(mt, p) {
			return false
		}
	}
	return true
}

// onHTML follows the links of a kept HTML page, unless it is marked
// nofollow.
func (r *run) onHTML(e *colly.HTMLElement) {
	m := meta(e.Request)
	if m == nil || m.docOnly {
		return
	}
	r.mu.Lock()
	follow := m.html && !m.nofollow
	r.mu.Unlock()
	if !follow {
		return
	}
	e.ForEach("a[href], area[href], link[rel~=alternate][href]", func(_ int, el *colly.HTMLElement) {
		if hasToken(el.Attr("rel"), "nofollow") {
			return
		}
		u := normalizeURL(e.Request.AbsoluteURL(el.Attr("href")))
		if u == nil {
			return
		}
		m.links = append(m.links, Link{URL: u.String(), Type: el.Attr("type")})
		r.follow(m, u, el.Attr("type"))
	})
	if m.out != nil {
		m.out.Links = compactLinks(m.links)
	}
}

// compactLinks returns links without repeats, in first-seen order.
func compactLinks(links []Link) []Link {
	seen := map[Link]bool{}
	out := links[:0:0]
	for _, l := range links {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// follow queues a link found on the page of m if the crawl's scope and
// limits allow it.
func (r *run) follow(m *reqMeta, u *url.URL, typeAttr string) {
	depth := m.depth + 1
	inScope := r.inScope(m.site, u)
	key := urlKey(u)
	if !inScope && !linkedDocument(u, typeAttr) {
		r.mu.Lock()
		if !r.seen[key] && !r.outOfScope[key] {
			r.outOfScope[key] = true
			r.stats.SkippedScope++
		}
		r.mu.Unlock()
		return
	}
	if depth > r.cfg.MaxDepth {
		r.mu.Lock()
		if !r.seen[key] {
			r.countLimitLocked(key)
		}
		r.mu.Unlock()
		return
	}
	r.enqueue(m.site, u, depth, !inScope)
}

// onError counts a request that failed or was stopped.
func (r *run) onError(resp *colly.Response, err error) {
	var req *colly.Request
	if resp != nil {
		req = resp.Request
	}
	m := meta(req)
	var visited *colly.AlreadyVisitedError
	switch {
	case errors.Is(err, colly.ErrAbortedAfterHeaders), errors.Is(err, colly.ErrAbortedBeforeRequest),
		errors.Is(err, errRequeued), errors.As(err, &visited):
	case r.ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		if m != nil {
			m.abandoned = true
		}
	case resp != nil && resp.StatusCode != 0:
		// Counted by onResponseHeaders; this is a body that could not be read.
		r.countError(ErrorKindOther)
		r.log.Info("reading response", "url", req.URL.String(), "err", err)
	default:
		u := ""
		if req != nil {
			u = req.URL.String()
		}
		r.countFailure(u, err)
	}
	r.done(req)
}

// countFailure counts a request that got no response, by why.
func (r *run) countFailure(u string, err error) {
	r.mu.Lock()
	switch {
	case errors.Is(err, ErrPrivateAddress):
		r.stats.Refused++
		r.mu.Unlock()
		r.log.Warn("request refused", "url", u, "err", err)
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		r.stats.SkippedRobots++
		r.mu.Unlock()
		r.log.Debug("redirect disallowed by robots.txt", "url", u)
	default:
		kind := ErrorKindNetwork
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
			kind = ErrorKindTimeout
		}
		r.stats.Errors++
		r.stats.ErrorsByKind[kind]++
		r.mu.Unlock()
		r.log.Warn("request failed", "url", u, "err", err)
	}
}

// countError counts one failed request of the given kind.
func (r *run) countError(kind string) {
	r.mu.Lock()
	r.stats.Errors++
	r.stats.ErrorsByKind[kind]++
	r.mu.Unlock()
}

// countSkippedType counts a response whose content type is not kept.
func (r *run) countSkippedType(u, ct string) {
	r.mu.Lock()
	r.stats.SkippedType++
	r.mu.Unlock()
	r.log.Debug("content type not kept", "url", u, "content_type", ct)
}

// countLimitLocked counts key in SkippedLimit once. r.mu must be held.
func (r *run) countLimitLocked(key string) {
	if !r.overLimit[key] {
		r.overLimit[key] = true
		r.stats.SkippedLimit++
	}
}

// done ends a request: it leaves the in-flight set, waits for the next
// checkpoint, and progress is reported.
func (r *run) done(req *colly.Request) {
	m := meta(req)
	if m != nil && m.collyKey != "" {
		r.mu.Lock()
		if r.inflight[m.collyKey] == m {
			delete(r.inflight, m.collyKey)
		}
		r.mu.Unlock()
	}
	if m != nil {
		r.finish(m)
		return
	}
	r.progress()
}

// finish records that the request of m ended, for the next checkpoint,
// unless it goes on as another request or was stopped by cancellation.
// It checkpoints when enough requests ended since the last one.
func (r *run) finish(m *reqMeta) {
	if m.requeued || m.key == "" || m.finished {
		r.progress()
		return
	}
	m.finished = true
	r.mu.Lock()
	if !m.abandoned {
		r.ckDone = append(r.ckDone, doneItem{key: m.key, rec: m.out, kept: m.kept, docKey: m.docKey})
	}
	full := len(r.ckDone) >= r.cfg.CheckpointEvery
	r.mu.Unlock()
	r.progress()
	if full {
		if err := r.checkpointIfIdle(); err != nil {
			r.log.Warn("saving crawl state", "err", err)
		}
	}
}

// checkpointIfIdle checkpoints unless a checkpoint is already running.
// The requests that end meanwhile wait for the next one: without this,
// every request ending during a slow checkpoint queued a checkpoint of its
// own, and each of them waited for every sink call in flight.
func (r *run) checkpointIfIdle() error {
	if !r.ckMu.TryLock() {
		return nil
	}
	defer r.ckMu.Unlock()
	return r.checkpointLocked()
}

// checkpointLoop checkpoints every Config.CheckpointInterval until stop is
// closed.
func (r *run) checkpointLoop(stop <-chan struct{}) {
	t := time.NewTicker(r.cfg.CheckpointInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if err := r.checkpoint(); err != nil {
				r.log.Warn("saving crawl state", "err", err)
			}
		}
	}
}

// checkpoint makes the crawl's progress durable: it waits for the sink
// calls in flight, flushes the sink when it is a Flusher, and then commits
// to State the URLs queued and done since the last checkpoint. A page whose
// document the sink may not have stored (a flush failed, or the sink failed
// since the last checkpoint) is not recorded as done, so that it is fetched
// again when the crawl resumes and in full by the next crawl.
func (r *run) checkpoint() error {
	r.ckMu.Lock()
	defer r.ckMu.Unlock()
	return r.checkpointLocked()
}

// checkpointLocked is checkpoint with r.ckMu held.
func (r *run) checkpointLocked() error {
	ctx := context.WithoutCancel(r.ctx)

	r.sinkMu.Lock()
	r.mu.Lock()
	cp := Checkpoint{Crawl: r.crawlID, Queued: r.ckQueued, Docs: map[string]string{}, Gone: r.ckGone}
	done := r.ckDone
	failed := r.sinkFailed
	r.ckQueued, r.ckDone, r.ckGone, r.sinkFailed = nil, nil, nil, false
	r.mu.Unlock()
	var flushErr error
	if f, ok := r.sink.(Flusher); ok && len(done) > 0 {
		flushErr = f.Flush(ctx)
	}
	r.sinkMu.Unlock()

	if flushErr != nil {
		r.log.Warn("flushing documents", "err", flushErr)
	}
	for _, d := range done {
		if d.kept && (flushErr != nil || failed) {
			continue
		}
		cp.Done = append(cp.Done, d.key)
		if d.rec == nil {
			continue
		}
		cp.Records = append(cp.Records, *d.rec)
		if d.kept {
			cp.Docs[d.docKey] = d.rec.DocURL
		}
	}
	if len(cp.Queued)+len(cp.Done)+len(cp.Gone) == 0 {
		return flushErr
	}
	if err := r.state.Commit(ctx, cp); err != nil {
		// Keep the queue and the retractions for the next checkpoint; the
		// pages done are fetched again if the crawl resumes.
		r.mu.Lock()
		r.ckQueued = append(cp.Queued, r.ckQueued...)
		r.ckGone = append(cp.Gone, r.ckGone...)
		r.mu.Unlock()
		return errors.Join(flushErr, fmt.Errorf("committing checkpoint: %w", err))
	}
	r.mu.Lock()
	r.stats.Checkpoints++
	r.mu.Unlock()
	return flushErr
}

// progress calls Config.Progress with a copy of the statistics.
func (r *run) progress() {
	if r.cfg.Progress == nil {
		return
	}
	r.progressMu.Lock()
	defer r.progressMu.Unlock()
	r.cfg.Progress(r.snapshot())
}

// snapshot returns a copy of the statistics.
func (r *run) snapshot() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats.clone()
}

// readSitemaps queues the pages that a site's sitemaps list: <root>/sitemap.xml,
// /sitemap.xml and those robots.txt names, following sitemap indexes.
func (r *run) readSitemaps(s *site) {
	if r.refuseLiteral(s.root) != nil {
		return
	}
	hs, err := r.host(s.root)
	if err != nil {
		return
	}
	candidates := []string{origin(s.root) + "/sitemap.xml"}
	if sc := scopeOf(s.root); sc.prefix != "/" {
		candidates = append(candidates, origin(s.root)+sc.prefix+"sitemap.xml")
	}
	candidates = append(candidates, hs.sitemaps()...)
	tried := make(map[string]bool)
	for files := 0; len(candidates) > 0 && files < maxSitemapFiles && r.ctx.Err() == nil; {
		u := normalizeURL(candidates[0])
		candidates = candidates[1:]
		if u == nil || tried[u.String()] || siteHost(u) != siteHost(s.root) {
			continue
		}
		tried[u.String()] = true
		uhs, err := r.host(u)
		if err != nil || !uhs.allowed(u, r.cfg.UserAgent) {
			continue
		}
		files++
		body, status, err := r.get(u.String(), int64(r.cfg.MaxBodyBytes))
		if err != nil || status != http.StatusOK {
			r.log.Debug("no sitemap", "url", u.String(), "status", status, "err", err)
			continue
		}
		sm, err := parseSitemap(body)
		if err != nil {
			r.log.Info("unreadable sitemap", "url", u.String(), "err", err)
			continue
		}
		r.log.Debug("sitemap read", "url", u.String(), "urls", len(sm.URLs), "sitemaps", len(sm.Sitemaps))
		candidates = append(candidates, sm.Sitemaps...)
		for _, loc := range sm.URLs {
			lu := normalizeURL(loc)
			if lu == nil {
				continue
			}
			if !r.inScope(s, lu) {
				r.mu.Lock()
				if !r.seen[lu.String()] && !r.outOfScope[lu.String()] {
					r.outOfScope[lu.String()] = true
					r.stats.SkippedScope++
				}
				r.mu.Unlock()
				continue
			}
			if r.cfg.MaxDepth >= 1 {
				r.enqueue(s, lu, 1, false)
			}
		}
	}
}
