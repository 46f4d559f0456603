package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/privacy"
	"github.com/klusterkarta/klusterkarta/internal/ratelimit"
	"github.com/klusterkarta/klusterkarta/web"
)

// Request limits.
const (
	// DefaultRequestTimeout bounds the work of one request when
	// Server.RequestTimeout is zero.
	DefaultRequestTimeout = 10 * time.Second
	// MaxURLBytes bounds the path plus the query string of a request.
	MaxURLBytes = 4096
	// MaxBodyBytes bounds a request body; no endpoint reads one larger.
	MaxBodyBytes = 64 << 10
	// MaxQueryTerms bounds the words of a search query.
	MaxQueryTerms = 32
	// MaxQueryPatterns bounds the wildcard, fuzzy and regular-expression
	// terms of a search query, the costly ones.
	MaxQueryPatterns = 4
	// MaxResultWindow bounds how deep a search may page: page × size.
	MaxResultWindow = 10_000
)

// Protocol error codes: they describe the request, not the application,
// so they are not kg codes.
const (
	codeRateLimited  = "rate_limited"
	codeUnauthorized = "unauthorized"
	codeTooLarge     = "too_large"
)

// RateLimit limits how often one client may call. A client is the address
// the connection comes from or, behind a trusted proxy, the address the
// proxy names.
type RateLimit struct {
	// PerSecond is the sustained rate; zero turns rate limiting off.
	PerSecond float64
	// Burst is how many requests a client may make at once; zero means
	// twice PerSecond, at least 1.
	Burst int
}

// newLimiter returns the limiter of rl, or nil if it is off.
func newLimiter(rl RateLimit) (*ratelimit.Limiter, error) {
	if rl.PerSecond == 0 {
		return nil, nil
	}
	burst := rl.Burst
	if burst == 0 {
		burst = max(1, int(math.Ceil(2*rl.PerSecond)))
	}
	return ratelimit.New(ratelimit.Config{Rate: rl.PerSecond, Burst: burst})
}

// limitRequest refuses requests whose URL or body is larger than any
// endpoint takes, and caps what a handler can read of a body.
func (h *handlers) limitRequest(c *gin.Context) {
	if len(c.Request.URL.Path)+len(c.Request.URL.RawQuery) > MaxURLBytes {
		h.refuse(c, http.StatusRequestURITooLong, codeTooLarge, fmt.Sprintf("the URL is longer than %d bytes", MaxURLBytes))
		return
	}
	if c.Request.ContentLength > MaxBodyBytes {
		h.refuse(c, http.StatusRequestEntityTooLarge, codeTooLarge, fmt.Sprintf("the request body is larger than %d bytes", MaxBodyBytes))
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes)
	}
	c.Next()
}

// refuse answers a request the server will not serve, in JSON for the API
// and as an error page otherwise.
func (h *handlers) refuse(c *gin.Context, status int, code, message string) {
	if isAPIPath(c.Request.URL.Path) {
		h.writeError(c, status, code, message)
		return
	}
	lang := h.pageLang(c)
	h.errorPage(c, lang, status, pageHeading(lang, status), message)
}

// pageHeading is the heading of an error page of status.
func pageHeading(lang string, status int) string {
	if m, ok := statusHeadings[status]; ok {
		if s, ok := m[lang]; ok {
			return s
		}
		return m[web.DefaultLang]
	}
	return web.T(lang, fmt.Sprintf("error.%d", status))
}

// statusHeadings names the statuses the page messages do not.
var statusHeadings = map[int]map[string]string{
	http.StatusTooManyRequests:       {"sv": "För många förfrågningar", "en": "Too many requests"},
	http.StatusRequestURITooLong:     {"sv": "För lång adress", "en": "Address too long"},
	http.StatusRequestEntityTooLarge: {"sv": "För stor förfrågan", "en": "Request too large"},
}

// retryMessages tell a rate-limited user how long to wait.
var retryMessages = map[string]string{
	"sv": "Vänta %d sekunder och försök igen.",
	"en": "Please wait %d seconds and try again.",
}

// rateLimit answers 429 with Retry-After to a client that has used up its
// bucket. Static assets are not counted: a page brings its own.
func (h *handlers) rateLimit(c *gin.Context) {
	if h.limiter == nil || strings.HasPrefix(c.Request.URL.Path, "/static/") {
		c.Next()
		return
	}
	ok, wait := h.limiter.Allow(c.ClientIP())
	if ok {
		c.Next()
		return
	}
	secs := int(math.Ceil(wait.Seconds()))
	c.Header("Retry-After", strconv.Itoa(secs))
	if isAPIPath(c.Request.URL.Path) {
		h.writeError(c, http.StatusTooManyRequests, codeRateLimited,
			fmt.Sprintf("too many requests from this client; retry after %d s", secs))
		return
	}
	lang := h.pageLang(c)
	msg, ok := retryMessages[lang]
	if !ok {
		msg = retryMessages[web.DefaultLang]
	}
	h.errorPage(c, lang, http.StatusTooManyRequests, pageHeading(lang, http.StatusTooManyRequests), fmt.Sprintf(msg, secs))
}

// deadline gives every request a context that ends after the request
// timeout; the graph and the index stop their work when it does.
func (h *handlers) deadline(c *gin.Context) {
	if h.timeout <= 0 {
		c.Next()
		return
	}
	ctx, cancel := context.WithTimeoutCause(c.Request.Context(), h.timeout, errRequestTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// errRequestTimeout is the cause of a request context that ran out of
// time.
var errRequestTimeout = errors.New("request timeout")

// timedOut returns an EUNAVAIL error in place of err if err comes from the
// request's own deadline, so that a slow request answers 503, not 500.
func (h *handlers) timedOut(c *gin.Context, err error) error {
	ctx := c.Request.Context()
	if errors.Is(err, context.DeadlineExceeded) && errors.Is(context.Cause(ctx), errRequestTimeout) {
		return kg.Errorf(kg.EUNAVAIL, "The request took longer than %s and was stopped; try a narrower one.", h.timeout)
	}
	return err
}

// cors answers cross-origin requests from the allowed origins: reads of
// the JSON API only. With no origins configured it adds nothing, and
// browsers keep other sites from reading the API.
func (h *handlers) cors(c *gin.Context) {
	origin := c.GetHeader("Origin")
	if len(h.corsOrigins) == 0 || origin == "" || !strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.Next()
		return
	}
	c.Writer.Header().Add("Vary", "Origin")
	allowed := slices.Contains(h.corsOrigins, "*") || slices.Contains(h.corsOrigins, origin)
	if !allowed || strings.HasPrefix(c.Request.URL.Path, adminPrefix) || strings.HasPrefix(c.Request.URL.Path, "/api/v1/people/") && c.Request.Method != http.MethodGet {
		c.Next()
		return
	}
	hd := c.Writer.Header()
	if slices.Contains(h.corsOrigins, "*") {
		hd.Set("Access-Control-Allow-Origin", "*")
	} else {
		hd.Set("Access-Control-Allow-Origin", origin)
	}
	hd.Set("Access-Control-Expose-Headers", RequestIDHeader+", Retry-After")
	if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
		hd.Set("Access-Control-Allow-Methods", "GET, HEAD")
		hd.Set("Access-Control-Max-Age", "600")
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}

// checkOrigins validates configured CORS origins: "*" or scheme://host[:port].
func checkOrigins(origins []string) error {
	for _, o := range origins {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil || u.Fragment != "" {
			return fmt.Errorf("CORS origin %q is not \"*\" or scheme://host[:port]", o)
		}
	}
	return nil
}

// checkSearchParams refuses, on every route, a search query that would
// cost the index more than any user needs: too many terms, too many
// pattern terms, control characters, or paging too deep. The handlers check
// the rest of their parameters themselves.
func (h *handlers) checkSearchParams(c *gin.Context) {
	q, err := url.ParseQuery(c.Request.URL.RawQuery)
	if err != nil || !q.Has("q") && !q.Has("page") {
		c.Next() // nothing to check, or the handler reports the malformed query
		return
	}
	req := kg.SearchRequest{Query: q.Get("q")}
	req.Page, _ = strconv.Atoi(q.Get("page"))
	req.Size, _ = strconv.Atoi(q.Get("size"))
	if err := checkQuery(req); err != nil {
		if isAPIPath(c.Request.URL.Path) {
			h.fail(c, err)
			return
		}
		lang := h.pageLang(c)
		h.errorPage(c, lang, http.StatusBadRequest, web.T(lang, "error.400"), kg.ErrorMessage(err))
		return
	}
	c.Next()
}

// checkQuery returns EINVALID for a request past the limits.
func checkQuery(req kg.SearchRequest) error {
	if !utf8.ValidString(req.Query) {
		return invalidf("q is not valid UTF-8")
	}
	for _, r := range req.Query {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return invalidf("q contains control characters")
		}
	}
	size := req.Size
	if size <= 0 {
		size = kg.DefaultPageSize
	}
	if req.Page > 0 && req.Page <= MaxResultWindow && size <= MaxResultWindow && req.Page*size > MaxResultWindow {
		return invalidf("page × size must be at most %d; narrow the search instead of paging this deep", MaxResultWindow)
	}
	terms, patterns := queryCost(req.Query)
	if terms > MaxQueryTerms {
		return invalidf("q has %d terms; at most %d are allowed", terms, MaxQueryTerms)
	}
	if patterns > MaxQueryPatterns {
		return invalidf("q has %d wildcard, fuzzy or pattern terms; at most %d are allowed", patterns, MaxQueryPatterns)
	}
	return nil
}

// queryCost counts the terms of a query (runs of letters and digits) and
// its pattern terms (words with *, ?, ~ or inside /.../).
func queryCost(q string) (terms, patterns int) {
	for _, f := range strings.Fields(q) {
		if strings.ContainsAny(f, "*?~/") {
			patterns++
		}
		inWord := false
		for _, r := range f {
			word := r == '_' || r == '\'' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > utf8.RuneSelf
			if word && !inWord {
				terms++
			}
			inWord = word
		}
	}
	return terms, patterns
}

// harden sets up the handlers' limits, admin token, CORS and erasure from
// the server's configuration.
func (h *handlers) harden(s *Server) error {
	if s.AdminToken != "" && len(s.AdminToken) < MinAdminTokenLength {
		return fmt.Errorf("the admin token must be at least %d bytes", MinAdminTokenLength)
	}
	if strings.TrimSpace(s.AdminToken) != s.AdminToken {
		return errors.New("the admin token must not start or end with white space")
	}
	h.adminToken = newSecret(s.AdminToken)
	limiter, err := newLimiter(s.RateLimit)
	if err != nil {
		return fmt.Errorf("rate limit: %w", err)
	}
	h.limiter = limiter
	h.timeout = s.RequestTimeout
	if h.timeout == 0 {
		h.timeout = DefaultRequestTimeout
	}
	if err := checkOrigins(s.CORSOrigins); err != nil {
		return err
	}
	h.corsOrigins = slices.Clone(s.CORSOrigins)
	if s.Suppressions != nil {
		h.eraser = &privacy.Eraser{Graph: s.Graph, Index: s.Search, List: s.Suppressions, Logger: h.logger}
	}
	h.startCrawl = s.StartCrawl
	return nil
}
