package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/klusterkarta/klusterkarta/crawler"
	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// serverFlags configure how the HTTP server protects itself.
type serverFlags struct {
	adminToken     string
	rateLimit      float64
	rateBurst      int
	trustedProxies string
	corsOrigins    string
	requestTimeout time.Duration
}

func (s *serverFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.adminToken, "admin-token", "", "bearer token of the admin endpoints, at least 16 characters (prefer KLUSTERKARTA_ADMIN_TOKEN); empty turns them off")
	fs.Float64Var(&s.rateLimit, "rate-limit", 20, "requests per second one client may make on average; 0 turns rate limiting off")
	fs.IntVar(&s.rateBurst, "rate-burst", 40, "requests one client may make at once")
	fs.StringVar(&s.trustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed")
	fs.StringVar(&s.corsOrigins, "cors-origins", "", `comma-separated origins whose pages may read the JSON API ("*" for any); empty allows none`)
	fs.DurationVar(&s.requestTimeout, "request-timeout", api.DefaultRequestTimeout, "longest time one request may work")
}

// apply sets the server's protections from the flags.
func (s *serverFlags) apply(srv *api.Server) {
	srv.AdminToken = s.adminToken
	srv.RateLimit = api.RateLimit{PerSecond: s.rateLimit, Burst: s.rateBurst}
	srv.TrustedProxies = splitList(s.trustedProxies)
	srv.CORSOrigins = splitList(s.corsOrigins)
	srv.RequestTimeout = s.requestTimeout
	if s.requestTimeout == 0 {
		srv.RequestTimeout = -1 // 0 on the command line means no bound
	}
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// serveOptions is what serve needs besides the app and the address.
type serveOptions struct {
	flags serverFlags
	// crawl is the configuration of crawls that admin requests start; nil
	// leaves the server without a crawler.
	crawl *crawler.Config
}

// crawlStarter runs the crawls that admin requests start, one at a time,
// in the background; a request while one runs queues one more.
type crawlStarter struct {
	ctx context.Context
	app *App
	cfg crawler.Config

	mu            sync.Mutex
	running       bool
	queued        bool
	queuedRefetch bool
	wg            sync.WaitGroup
}

// start implements api.Server.StartCrawl.
func (s *crawlStarter) start(refetch bool) (string, error) {
	if s.ctx.Err() != nil {
		return "", kg.Errorf(kg.EUNAVAIL, "the server is shutting down")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		s.queued = true
		s.queuedRefetch = s.queuedRefetch || refetch
		return "queued", nil
	}
	s.running = true
	s.wg.Add(1)
	go s.loop(refetch)
	return "started", nil
}

// loop crawls, then again while crawls were queued meanwhile.
func (s *crawlStarter) loop(refetch bool) {
	defer s.wg.Done()
	for {
		cfg := s.cfg
		cfg.Refetch = cfg.Refetch || refetch
		sum, err := s.app.Crawl(s.ctx, cfg, nil)
		if err != nil && s.ctx.Err() == nil {
			s.app.Logger.Error("requested crawl failed", "err", err)
		} else {
			s.app.Logger.Info("requested crawl done", "pages", sum.PagesFetched, "documents", sum.Documents, "changed", sum.Changed, "refetch", cfg.Refetch)
		}
		s.mu.Lock()
		if !s.queued || s.ctx.Err() != nil {
			s.running = false
			s.mu.Unlock()
			return
		}
		refetch = s.queuedRefetch
		s.queued, s.queuedRefetch = false, false
		s.mu.Unlock()
	}
}

// wait waits for the running crawl to end; cancel its context first.
func (s *crawlStarter) wait() { s.wg.Wait() }

// configure sets up srv with the flags, the suppression list and, if the
// options have a crawl, the crawler that admin requests start. The returned
// function waits for such a crawl to end, after ctx is cancelled.
func (o serveOptions) configure(ctx context.Context, srv *api.Server, app *App) (wait func()) {
	o.flags.apply(srv)
	srv.Suppressions = app.Suppressions
	if o.crawl == nil {
		return func() {}
	}
	st := &crawlStarter{ctx: ctx, app: app, cfg: *o.crawl}
	srv.StartCrawl = st.start
	return st.wait
}

// describe returns a line on the server's protections, for the start-up
// message.
func (o serveOptions) describe() string {
	limit := "rate limit off"
	if o.flags.rateLimit > 0 {
		limit = fmt.Sprintf("rate limit %g requests/s per client", o.flags.rateLimit)
	}
	if o.flags.adminToken == "" {
		return limit + "; admin endpoints off (set KLUSTERKARTA_ADMIN_TOKEN to enable them)"
	}
	return limit + "; admin endpoints on: POST /api/v1/admin/crawl, DELETE /api/v1/people/{id}"
}
