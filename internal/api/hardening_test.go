package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// doFrom sends a request to h from the client address remote.
func doFrom(t *testing.T, h http.Handler, remote, method, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t)
	f.Server.RateLimit = api.RateLimit{PerSecond: 0.5, Burst: 2}
	h := f.MustHandler(t)
	const a, b = "198.51.100.7:4000", "198.51.100.8:4000"
	for i := range 2 {
		if rec := doFrom(t, h, a, "GET", "/api/v1/clusters"); rec.Code != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i+1, rec.Code)
		}
	}
	rec := doFrom(t, h, a, "GET", "/api/v1/clusters")
	wantError(t, rec, http.StatusTooManyRequests, "rate_limited", "retry after 2 s")
	if got := rec.Header().Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After = %q, want 2 (one token at 0.5/s)", got)
	}
	if rec.Header().Get(api.RequestIDHeader) == "" {
		t.Error("a refused request has no request id")
	}
	// Pages are limited too, with an HTML answer.
	rec = doFrom(t, h, a, "GET", "/topics?lang=en")
	wantHTML(t, rec, http.StatusTooManyRequests, []string{"Too many requests", "wait 2 seconds"})
	if rec.Header().Get("Retry-After") != "2" {
		t.Errorf("page Retry-After = %q", rec.Header().Get("Retry-After"))
	}
	// Static assets are not counted; another client has its own bucket.
	if rec := doFrom(t, h, a, "GET", "/static/style.css"); rec.Code != http.StatusOK {
		t.Errorf("static asset refused: %d", rec.Code)
	}
	if rec := doFrom(t, h, b, "GET", "/api/v1/clusters"); rec.Code != http.StatusOK {
		t.Errorf("another client was limited: %d", rec.Code)
	}
}

func TestRateLimitOffByDefault(t *testing.T) {
	f := newFixture(t)
	h := f.MustHandler(t)
	for i := range 50 {
		if rec := do(t, h, "GET", "/api/v1/topics"); rec.Code != http.StatusOK {
			t.Fatalf("request %d: %d", i, rec.Code)
		}
	}
}

// A client cannot escape its limit by sending X-Forwarded-For or
// X-Real-IP unless it is a trusted proxy.
func TestRateLimitIgnoresSpoofedForwarding(t *testing.T) {
	tests := []struct {
		name     string
		proxies  []string
		limited  bool // whether the third request, with a new forwarded address, is limited
		remoteIP string
	}{
		{"no proxy trusted", nil, true, "203.0.113.5:1234"},
		{"another proxy trusted", []string{"192.0.2.0/24"}, true, "203.0.113.5:1234"},
		{"from a trusted proxy", []string{"203.0.113.0/24"}, false, "203.0.113.5:1234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.Server.RateLimit = api.RateLimit{PerSecond: 0.1, Burst: 2}
			f.Server.TrustedProxies = tt.proxies
			h := f.MustHandler(t)
			for i, hdr := range [][]string{
				{"X-Forwarded-For", "10.1.1.1"},
				{"X-Real-IP", "10.2.2.2"},
				{"X-Forwarded-For", "10.3.3.3, 10.4.4.4"},
			} {
				rec := doFrom(t, h, tt.remoteIP, "GET", "/healthz", hdr...)
				if i < 2 && rec.Code != http.StatusOK {
					t.Fatalf("request %d: %d", i+1, rec.Code)
				}
				if i == 2 && (rec.Code == http.StatusTooManyRequests) != tt.limited {
					t.Errorf("third request = %d, limited want %v", rec.Code, tt.limited)
				}
			}
		})
	}
}

func TestRequestTimeout(t *testing.T) {
	f := newFixture(t)
	f.Server.RequestTimeout = 10 * time.Millisecond
	f.Index.SearchFn = func(ctx context.Context, _ kg.SearchRequest) (kg.SearchResult, error) {
		<-ctx.Done()
		return kg.SearchResult{}, ctx.Err()
	}
	h := f.MustHandler(t)
	wantError(t, do(t, h, "GET", "/api/v1/search?q=lager"), http.StatusServiceUnavailable, kg.EUNAVAIL, "longer than 10ms")
	wantHTML(t, do(t, h, "GET", "/?q=lager&lang=en"), http.StatusServiceUnavailable, []string{"Service unavailable"})
	if strings.Contains(f.Logs.String(), "internal error") {
		t.Errorf("a timeout was logged as an internal error: %s", f.Logs)
	}
}

func TestRequestsHaveADeadline(t *testing.T) {
	tests := []struct {
		timeout time.Duration
		want    bool
	}{
		{0, true}, // the default
		{time.Minute, true},
		{-1, false},
	}
	for _, tt := range tests {
		f := newFixture(t)
		f.Server.RequestTimeout = tt.timeout
		var has bool
		f.Graph.ClustersFn = func(ctx context.Context) ([]kg.ClusterSummary, error) {
			_, has = ctx.Deadline()
			return nil, nil
		}
		f.Do(t, "GET", "/api/v1/clusters")
		if has != tt.want {
			t.Errorf("timeout %v: deadline set = %v, want %v", tt.timeout, has, tt.want)
		}
	}
}

func TestQueryLimits(t *testing.T) {
	words := func(n int, w string) string { return strings.TrimSuffix(strings.Repeat(w+"+", n), "+") }
	tests := []struct {
		name, query string
		msg         string // "" for allowed
	}{
		{"32 terms", "q=" + words(32, "lager"), ""},
		{"33 terms", "q=" + words(33, "lager"), "33 terms; at most 32"},
		{"terms inside operators", "q=" + words(17, "%2Btitle:lager"), "34 terms"},
		{"4 patterns", "q=" + words(4, "lag*"), ""},
		{"5 patterns", "q=" + words(5, "lag*"), "5 wildcard, fuzzy or pattern terms"},
		{"fuzzy", "q=" + words(5, "lager~2"), "5 wildcard"},
		{"control character", "q=lager%00", "control characters"},
		{"deep page", "q=lager&page=101&size=100", "page × size must be at most 10000"},
		{"deep page allowed", "q=lager&page=100&size=100", ""},
	}
	f := newFixture(t)
	h := f.MustHandler(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, h, "GET", "/api/v1/search?"+tt.query)
			if tt.msg == "" {
				if rec.Code != http.StatusOK {
					t.Errorf("status %d: %s", rec.Code, rec.Body)
				}
				return
			}
			wantError(t, rec, http.StatusBadRequest, kg.EINVALID, tt.msg)
			page := do(t, h, "GET", "/?lang=en&"+tt.query)
			if page.Code != http.StatusBadRequest {
				t.Errorf("search page: status %d, want 400", page.Code)
			}
		})
	}
}

func TestRequestSizeLimits(t *testing.T) {
	f := newFixture(t)
	h := f.MustHandler(t)
	long := "/api/v1/search?q=" + strings.Repeat("a", api.MaxURLBytes)
	wantError(t, do(t, h, "GET", long), http.StatusRequestURITooLong, "too_large", "URL is longer")
	wantHTML(t, do(t, h, "GET", "/?lang=en&q="+strings.Repeat("a", api.MaxURLBytes)), http.StatusRequestURITooLong, []string{"Address too long"})

	req := httptest.NewRequest("GET", "/api/v1/clusters", strings.NewReader(strings.Repeat("x", api.MaxBodyBytes+1)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	wantError(t, rec, http.StatusRequestEntityTooLarge, "too_large", "body is larger")
}

func TestCORS(t *testing.T) {
	const site = "https://karta.example"
	tests := []struct {
		name           string
		origins        []string
		method, target string
		origin         string
		wantStatus     int
		wantAllow      string
	}{
		{"off by default", nil, "GET", "/api/v1/clusters", site, 200, ""},
		{"preflight off by default", nil, "OPTIONS", "/api/v1/clusters", site, 405, ""},
		{"allowed origin", []string{site}, "GET", "/api/v1/clusters", site, 200, site},
		{"other origin", []string{site}, "GET", "/api/v1/clusters", "https://evil.example", 200, ""},
		{"preflight", []string{site}, "OPTIONS", "/api/v1/search", site, 204, site},
		{"any origin", []string{"*"}, "GET", "/api/v1/topics", "https://any.example", 200, "*"},
		{"pages are not shared", []string{"*"}, "GET", "/topics", site, 200, ""},
		{"admin is not shared", []string{"*"}, "OPTIONS", "/api/v1/admin/crawl", site, 405, ""},
		{"erasure is not shared", []string{"*"}, "OPTIONS", "/api/v1/people/person:a-b@c", site, 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.Server.CORSOrigins = tt.origins
			hdr := []string{"Origin", tt.origin}
			if tt.method == "OPTIONS" {
				hdr = append(hdr, "Access-Control-Request-Method", "GET")
			}
			rec := f.Do(t, tt.method, tt.target, hdr...)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != tt.wantAllow {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.wantAllow)
			}
			if tt.wantAllow != "" && tt.method == "OPTIONS" && rec.Header().Get("Access-Control-Allow-Methods") != "GET, HEAD" {
				t.Errorf("Access-Control-Allow-Methods = %q", rec.Header().Get("Access-Control-Allow-Methods"))
			}
		})
	}
}

func TestHardeningConfigErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *api.Server)
		msg    string
	}{
		{"short token", func(s *api.Server) { s.AdminToken = "short" }, "at least 16"},
		{"padded token", func(s *api.Server) { s.AdminToken = " 0123456789abcdef " }, "white space"},
		{"bad rate", func(s *api.Server) { s.RateLimit = api.RateLimit{PerSecond: -1} }, "rate limit"},
		{"bad origin", func(s *api.Server) { s.CORSOrigins = []string{"karta.example"} }, "CORS origin"},
		{"origin with path", func(s *api.Server) { s.CORSOrigins = []string{"https://karta.example/app"} }, "CORS origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.change(f.Server)
			if _, err := f.Server.Handler(); err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Handler error = %v, want one containing %q", err, tt.msg)
			}
		})
	}
}

// Every HTML page the UI serves works under the content security policy:
// no inline scripts, styles or event handlers, and nothing loaded from
// another origin.
func TestPagesNeedNothingInline(t *testing.T) {
	f := newFixture(t)
	h := f.MustHandler(t)
	for _, target := range []string{"/", "/?q=lager", "/clusters", "/clusters/fjallmat", "/topics", "/topics/self-sufficiency", "/nowhere"} {
		rec := do(t, h, "GET", target)
		csp := rec.Header().Get("Content-Security-Policy")
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: weak policy %q", target, csp)
		}
		body := strings.ToLower(rec.Body.String())
		for _, bad := range []string{"<script>", "<script ", "<style", " style=", "javascript:", " onclick=", " onload=", " onerror=", " onsubmit=", " onchange=", `src="http`, `href="http://`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", target, bad)
			}
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: missing nosniff or frame options", target)
		}
	}
}
