package crawler

import (
	"bytes"
	"context"
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
	return &Crawler{cfg: cfg, sink: sink, transport: newTransport(cfg)}, nil
}

// errRequeued stops a redirect to an origin whose robots.txt is not read
// yet; the target is requested anew.
var errRequeued = errors.New("redirect target queued")

// metaKey is the colly context key of a request's reqMeta.
const metaKey = "klusterkarta.meta"

// site is one site root of an entry and the scopes it covers.
type site struct {
	entry  kg.Entry
	root   *url.URL
	scopes []scope // guarded by run.mu
	pages  int     // requests queued for the site; guarded by run.mu
}

// reqMeta is what the crawler knows about one queued request.
type reqMeta struct {
	site     *site
	url      string // the normalized URL first queued
	depth    int
	docOnly  bool   // fetched for its content only: a PDF or iCal on another site
	budgeted bool   // counted in its site's pages
	collyKey string // the URL colly requests, for redirect lookups
	html     bool   // set when the response was kept as HTML
	req      *colly.Request
}

// run is the state of one crawl.
type run struct {
	*Crawler
	ctx         context.Context
	log         *slog.Logger
	c           *colly.Collector
	fetchClient *http.Client

	mu         sync.Mutex
	stats      Stats
	seen       map[string]bool       // normalized URLs queued or refused
	inflight   map[string]*reqMeta   // colly URL -> request in flight
	hosts      map[string]*hostState // origin -> robots state
	outOfScope map[string]bool       // links counted in SkippedScope
	overLimit  map[string]bool       // URLs counted in SkippedLimit

	progressMu sync.Mutex
}

// Crawl crawls the sites of entries and returns what it did. It returns
// when every queued request is done, or soon after ctx is cancelled, in
// which case the error wraps ctx.Err().
func (cr *Crawler) Crawl(ctx context.Context, entries []kg.Entry) (Stats, error) {
	r, err := cr.newRun(ctx)
	if err != nil {
		return Stats{}, err
	}
	var wg sync.WaitGroup
	for _, e := range entries {
		for _, raw := range e.Sites {
			u := normalizeURL(raw)
			if u == nil {
				r.log.Warn("site root is not an http(s) URL", "entry", e.ID, "site", raw)
				r.countError(ErrorKindOther)
				continue
			}
			s := &site{entry: e, root: u, scopes: []scope{scopeOf(u)}}
			wg.Go(func() { r.startSite(s) })
		}
	}
	wg.Wait()
	r.c.Wait()
	stats := r.snapshot()
	r.log.Info("crawl done", "fetched", stats.Fetched, "kept", stats.Kept, "errors", stats.Errors)
	if err := ctx.Err(); err != nil {
		return stats, fmt.Errorf("crawl stopped: %w", err)
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
		stats:      Stats{ErrorsByKind: map[string]int{}, PerHost: map[string]int{}},
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

// enqueue queues u for site s unless it was queued before or is beyond the
// site's page limit. It does no network I/O.
func (r *run) enqueue(s *site, u *url.URL, depth int, docOnly bool) {
	if r.ctx.Err() != nil {
		return
	}
	key := u.String()
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
	r.mu.Lock()
	if r.seen[key] {
		r.mu.Unlock()
		return
	}
	if s.pages >= r.cfg.MaxPagesPerSite {
		r.countLimitLocked(key)
		r.mu.Unlock()
		return
	}
	m := &reqMeta{site: s, url: key, depth: depth, docOnly: docOnly, budgeted: true}
	r.seen[key] = true
	s.pages++
	r.mu.Unlock()
	r.request(m, key)
}

// request hands m to colly, to fetch target.
func (r *run) request(m *reqMeta, target string) {
	cctx := colly.NewContext()
	cctx.Put(metaKey, m)
	err := r.c.Request(http.MethodGet, target, nil, cctx, nil)
	var visited *colly.AlreadyVisitedError
	if err != nil && !errors.As(err, &visited) {
		r.log.Warn("cannot queue request", "url", target, "err", err)
		r.countError(ErrorKindOther)
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

// onRequest checks robots.txt before a request is sent. It runs in the
// request's own goroutine, before the request holds any host.
func (r *run) onRequest(req *colly.Request) {
	m := meta(req)
	if m == nil || r.ctx.Err() != nil {
		req.Abort()
		return
	}
	hs, err := r.host(req.URL)
	switch {
	case err != nil:
		req.Abort()
		r.releasePage(m)
		if r.ctx.Err() == nil {
			r.countFailure(req.URL.String(), err)
		}
		return
	case !hs.allowed(req.URL, r.cfg.UserAgent):
		req.Abort()
		r.releasePage(m)
		r.mu.Lock()
		r.stats.SkippedRobots++
		r.mu.Unlock()
		r.log.Debug("disallowed by robots.txt", "url", req.URL.String())
		r.progress()
		return
	}
	req.Headers.Set("Accept-Language", "sv, en;q=0.8")
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
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
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
	r.seen[key] = true
	r.mu.Unlock()
	nr, err := m.req.New(http.MethodGet, key, nil)
	if err != nil {
		r.log.Warn("cannot queue redirect target", "url", key, "err", err)
		return
	}
	next := &reqMeta{site: m.site, url: m.url, depth: m.depth, docOnly: m.docOnly}
	nr.Ctx = colly.NewContext()
	nr.Ctx.Put(metaKey, next)
	nr.Depth = m.req.Depth
	// Retry skips colly's visited check: colly marked the target visited
	// when the redirect reached it.
	if err := nr.Retry(); err != nil {
		r.log.Warn("cannot queue redirect target", "url", key, "err", err)
	}
}

// onResponseHeaders counts a response and stops the download of those
// that are not kept: errors and content types the crawler does not read.
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
	case ct != "" && !isBinaryType(ct) && !wanted(m, contentKind(ct)):
		resp.Request.Abort()
		r.countSkippedType(resp.Request.URL.String(), ct)
	}
}

// wanted reports whether a document of kind is kept for m.
func wanted(m *reqMeta, kind string) bool {
	if m.docOnly {
		return kind == typePDF || kind == typeICal
	}
	return kind != ""
}

// onResponse hands a kept response to the sink.
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
	header := maps.Clone(map[string][]string(*resp.Headers))
	if ct != resp.Headers.Get("Content-Type") {
		header["Content-Type"] = []string{ct}
	}
	doc := kg.FetchedDoc{
		URL:         m.url,
		FinalURL:    final.String(),
		Status:      resp.StatusCode,
		ContentType: ct,
		Header:      header,
		Body:        resp.Body,
		FetchedAt:   time.Now().UTC(),
		Entry:       m.site.entry,
		Depth:       m.depth,
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
	r.mu.Unlock()
	if truncated {
		r.log.Info("body truncated", "url", doc.FinalURL, "limit", r.cfg.MaxBodyBytes)
	}
	if r.ctx.Err() != nil {
		return
	}
	if err := r.sink.HandlePage(r.ctx, doc); err != nil {
		r.mu.Lock()
		r.stats.SinkErrors++
		r.mu.Unlock()
		r.log.Warn("handling page", "url", doc.FinalURL, "err", err)
		return
	}
	r.mu.Lock()
	r.stats.Kept++
	r.mu.Unlock()
	r.log.Debug("page kept", "url", doc.FinalURL, "entry", m.site.entry.ID, "depth", m.depth)
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

// onHTML follows the links of a kept HTML page.
func (r *run) onHTML(e *colly.HTMLElement) {
	m := meta(e.Request)
	if m == nil || m.docOnly {
		return
	}
	r.mu.Lock()
	isHTML := m.html
	r.mu.Unlock()
	if !isHTML {
		return
	}
	if robots := strings.ToLower(e.ChildAttr(`meta[name="robots" i]`, "content")); strings.Contains(robots, "nofollow") || strings.Contains(robots, "none") {
		return
	}
	e.ForEach("a[href], area[href], link[rel~=alternate][href]", func(_ int, el *colly.HTMLElement) {
		u := normalizeURL(e.Request.AbsoluteURL(el.Attr("href")))
		if u == nil {
			return
		}
		r.follow(m, u, el.Attr("type"))
	})
}

// follow queues a link found on the page of m if the crawl's scope and
// limits allow it.
func (r *run) follow(m *reqMeta, u *url.URL, typeAttr string) {
	depth := m.depth + 1
	inScope := r.inScope(m.site, u)
	if !inScope && !linkedDocument(u, typeAttr) {
		r.mu.Lock()
		if !r.seen[u.String()] && !r.outOfScope[u.String()] {
			r.outOfScope[u.String()] = true
			r.stats.SkippedScope++
		}
		r.mu.Unlock()
		return
	}
	if depth > r.cfg.MaxDepth {
		r.mu.Lock()
		if !r.seen[u.String()] {
			r.countLimitLocked(u.String())
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
	var visited *colly.AlreadyVisitedError
	switch {
	case errors.Is(err, colly.ErrAbortedAfterHeaders), errors.Is(err, colly.ErrAbortedBeforeRequest),
		errors.Is(err, errRequeued), errors.As(err, &visited):
	case r.ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
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
		return
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
	r.progress()
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

// done ends a request: it leaves the in-flight set and progress is
// reported.
func (r *run) done(req *colly.Request) {
	if m := meta(req); m != nil && m.collyKey != "" {
		r.mu.Lock()
		if r.inflight[m.collyKey] == m {
			delete(r.inflight, m.collyKey)
		}
		r.mu.Unlock()
	}
	r.progress()
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
