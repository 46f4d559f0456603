package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/privacy"
	"github.com/klusterkarta/klusterkarta/internal/ratelimit"
	"github.com/klusterkarta/klusterkarta/web"
)

// Server is the HTTP front of Klusterkarta. Set its fields, then call
// Handler.
type Server struct {
	Graph  kg.GraphStore // the knowledge graph; required
	Search kg.Searcher   // the full-text index; required
	Logger *slog.Logger  // request and error log; nil discards

	// TrustedProxies lists the addresses or CIDRs of reverse proxies whose
	// X-Forwarded-For header names the client. Nil trusts none, so the
	// client is the address the connection came from.
	TrustedProxies []string

	Version string // shown in the page footer and by /healthz

	// AdminToken is the bearer token of the admin endpoints (start a
	// crawl, erase a person), at least MinAdminTokenLength bytes. Empty
	// turns the admin endpoints off: they answer 404.
	AdminToken string
	// RateLimit limits requests per client; the zero value is off.
	RateLimit RateLimit
	// RequestTimeout bounds the work of one request: 0 means
	// DefaultRequestTimeout, a negative value no bound.
	RequestTimeout time.Duration
	// CORSOrigins lists the origins ("https://example.org", or "*") whose
	// pages may read the JSON API. Nil allows none.
	CORSOrigins []string
	// Suppressions is the list of erased people; nil turns
	// DELETE /api/v1/people/{id} off.
	Suppressions *privacy.List
	// StartCrawl starts a crawl in the background and returns at once
	// with "started", or "queued" if one is running and another will
	// follow it. With refetch the crawl ignores stored validators and
	// hashes and extracts every page again. Nil turns
	// POST /api/v1/admin/crawl off.
	StartCrawl func(refetch bool) (status string, err error)
}

// handlers holds what the route handlers share.
type handlers struct {
	graph     kg.GraphStore
	index     kg.Searcher
	logger    *slog.Logger
	templates *web.Templates
	version   string

	adminToken  *secret
	limiter     *ratelimit.Limiter
	timeout     time.Duration
	corsOrigins []string
	eraser      *privacy.Eraser
	startCrawl  func(refetch bool) (string, error)
}

// Handler builds the HTTP handler: the JSON API under /api/v1, /healthz,
// the HTML pages and the static assets. It fails if a dependency is
// missing, a template does not parse or a trusted proxy is malformed.
//
// Handler does not change gin's global mode; the caller sets it with
// gin.SetMode (release mode in production).
func (s *Server) Handler() (http.Handler, error) {
	if s.Graph == nil {
		return nil, errors.New("api: Server.Graph is nil")
	}
	if s.Search == nil {
		return nil, errors.New("api: Server.Search is nil")
	}
	logger := s.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	tmpl, err := web.ParseTemplates()
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	static, err := newStaticFiles(web.Static())
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	h := &handlers{graph: s.Graph, index: s.Search, logger: logger, templates: tmpl, version: s.Version}
	if err := h.harden(s); err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}

	e := gin.New()
	e.HandleMethodNotAllowed = true
	if err := e.SetTrustedProxies(s.TrustedProxies); err != nil {
		return nil, fmt.Errorf("api: trusted proxies %v: %w", s.TrustedProxies, err)
	}
	e.Use(assignRequestID, h.logRequest, h.recoverPanic, securityHeaders, h.limitRequest, h.cors, h.rateLimit, h.checkSearchParams, h.deadline)

	v1 := e.Group("/api/v1")
	get(v1, "/search", h.apiSearch)
	get(v1, "/clusters", h.apiClusters)
	get(v1, "/clusters/:id", h.apiCluster)
	get(v1, "/topics", h.apiTopics)
	get(v1, "/topics/:id/clusters", h.apiTopicClusters)
	get(e, "/healthz", h.healthz)
	get(e, "/openapi.json", h.openAPI)
	v1.POST("/admin/crawl", h.requireAdmin, h.adminCrawl)
	v1.DELETE("/people/:id", hidePathInLog, h.requireAdmin, h.erasePerson)
	v1.POST("/cypher", h.requireAdmin, h.cypher)

	get(e, "/", h.searchPage)
	get(e, "/clusters", h.clustersPage)
	get(e, "/clusters/:id", h.clusterPage)
	get(e, "/topics", h.topicsPage)
	get(e, "/topics/:id", h.topicPage)
	get(e, "/static/*path", static.serve(h))
	h.routeExplore(e, v1)
	h.routeEntities(e, v1)

	e.NoRoute(h.noRoute)
	e.NoMethod(h.noMethod)
	return e, nil
}

// get routes GET and HEAD requests for path to handler.
func get(r gin.IRoutes, path string, handler gin.HandlerFunc) {
	r.GET(path, handler)
	r.HEAD(path, handler)
}

// isAPIPath reports whether path is answered in JSON rather than HTML:
// the API, the health check, the OpenAPI document and the feeds, which
// programs read.
func isAPIPath(path string) bool {
	return path == "/api" || strings.HasPrefix(path, "/api/") || path == "/healthz" ||
		path == "/openapi.json" || strings.HasPrefix(path, "/feeds/")
}

// noRoute answers a request for a path no route serves.
func (h *handlers) noRoute(c *gin.Context) {
	if isAPIPath(c.Request.URL.Path) {
		h.writeError(c, statusOf(kg.ENOTFOUND), kg.ENOTFOUND,
			fmt.Sprintf("no route %s %s", c.Request.Method, truncate(c.Request.URL.Path, 200)))
		return
	}
	h.notFoundPage(c, h.pageLang(c), "")
}

// noMethod answers a request whose method the path does not accept; gin
// has set the Allow header.
func (h *handlers) noMethod(c *gin.Context) {
	if isAPIPath(c.Request.URL.Path) {
		h.writeError(c, http.StatusMethodNotAllowed, codeMethodNotAllowed,
			fmt.Sprintf("method %s is not allowed on %s", c.Request.Method, truncate(c.Request.URL.Path, 200)))
		return
	}
	lang := h.pageLang(c)
	h.errorPage(c, lang, http.StatusMethodNotAllowed, web.T(lang, "error.405"), "")
}
