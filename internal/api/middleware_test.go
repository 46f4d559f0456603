package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/mock"
)

const panicText = "graph shard 3 exploded at /srv/data"

func TestPanicAPI(t *testing.T) {
	f := newFixture(t)
	f.Index.SearchFn = func(context.Context, kg.SearchRequest) (kg.SearchResult, error) { panic(panicText) }
	rec := f.Do(t, "GET", "/api/v1/search?q=x")
	e := wantError(t, rec, http.StatusInternalServerError, kg.EINTERNAL, "Internal error.")
	id := rec.Header().Get(api.RequestIDHeader)
	if id == "" || e.Error.RequestID != id {
		t.Errorf("request id: header %q, body %q", id, e.Error.RequestID)
	}
	if strings.Contains(rec.Body.String(), "exploded") {
		t.Errorf("panic text leaked: %s", rec.Body)
	}
	logs := f.Logs.String()
	if n := strings.Count(logs, "panic serving request"); n != 1 {
		t.Errorf("panic logged %d times: %s", n, logs)
	}
	if !strings.Contains(logs, panicText) || !strings.Contains(logs, id) {
		t.Errorf("log lacks the panic or the request id: %s", logs)
	}
	if !strings.Contains(logs, `"status":500`) {
		t.Errorf("the request log does not show status 500: %s", logs)
	}
}

func TestPanicPage(t *testing.T) {
	f := newFixture(t)
	f.Graph.ClusterFn = func(context.Context, string) (kg.ClusterDetail, error) { panic(panicText) }
	rec := f.Do(t, "GET", "/clusters/fjallmat?lang=en")
	id := rec.Header().Get(api.RequestIDHeader)
	wantHTML(t, rec, http.StatusInternalServerError, []string{"Something went wrong", "Reference: " + id}, "exploded")
}

// A nil function field of the fake panics too; the server survives it.
func TestPanicNilFake(t *testing.T) {
	f := newFixture(t)
	f.Server.Graph = &mock.GraphStore{}
	rec := f.Do(t, "GET", "/api/v1/topics")
	wantError(t, rec, http.StatusInternalServerError, kg.EINTERNAL, "Internal error.")
	if strings.Contains(rec.Body.String(), "TopicsFn") {
		t.Errorf("panic text leaked: %s", rec.Body)
	}
}

func TestRequestID(t *testing.T) {
	f := newFixture(t)
	h := f.MustHandler(t)
	tests := []struct {
		name, sent string
		kept       bool
	}{
		{"none", "", false},
		{"well formed", "edge-1234.abc_DEF", true},
		{"with spaces", "a b", false},
		{"with newline", "a\nb", false},
		{"too long", strings.Repeat("a", 65), false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec = do(t, h, "GET", "/healthz")
			if tt.sent != "" {
				rec = do(t, h, "GET", "/healthz", api.RequestIDHeader, tt.sent)
			}
			got := rec.Header().Get(api.RequestIDHeader)
			if tt.kept && got != tt.sent {
				t.Errorf("request id = %q, want %q kept", got, tt.sent)
			}
			if !tt.kept && (got == tt.sent || len(got) < 16) {
				t.Errorf("request id = %q, want a fresh one", got)
			}
			if seen[got] {
				t.Errorf("request id %q repeated", got)
			}
			seen[got] = true
		})
	}
}

// requestLogs returns the "request" entries of a JSON log.
func requestLogs(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == "request" {
			out = append(out, m)
		}
	}
	return out
}

func TestRequestLog(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "/api/v1/clusters/fjallmat")
	logs := requestLogs(t, f.Logs.String())
	if len(logs) != 1 {
		t.Fatalf("request logs = %v", logs)
	}
	l := logs[0]
	if l["request_id"] != rec.Header().Get(api.RequestIDHeader) || l["method"] != "GET" || l["path"] != "/api/v1/clusters/fjallmat" ||
		l["route"] != "/api/v1/clusters/:id" || l["status"] != float64(200) || l["client_ip"] != "192.0.2.1" {
		t.Errorf("request log = %v", l)
	}
}

func TestTrustedProxies(t *testing.T) {
	tests := []struct {
		name    string
		proxies []string
		want    string
	}{
		{"none trusted", nil, "192.0.2.1"},
		{"remote trusted", []string{"192.0.2.0/24"}, "203.0.113.9"},
		{"other trusted", []string{"10.0.0.1"}, "192.0.2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.Server.TrustedProxies = tt.proxies
			f.Do(t, "GET", "/healthz", "X-Forwarded-For", "203.0.113.9")
			logs := requestLogs(t, f.Logs.String())
			if len(logs) != 1 || logs[0]["client_ip"] != tt.want {
				t.Errorf("client_ip logged as %v, want %s", logs, tt.want)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	h := f.MustHandler(t)
	for _, target := range []string{"/", "/clusters", "/clusters/fjallmat", "/topics", "/topics/self-sufficiency",
		"/clusters/nowhere", "/no/such/page", "/api/v1/clusters", "/static/style.css"} {
		rec := do(t, h, "GET", target)
		want := map[string]string{
			"Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "strict-origin-when-cross-origin",
		}
		for name, v := range want {
			if got := rec.Header().Get(name); got != v {
				t.Errorf("%s: %s = %q, want %q", target, name, got, v)
			}
		}
		// The policy forbids inline scripts and styles, so pages have none.
		body := rec.Body.String()
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") &&
			(strings.Contains(body, "<script") || strings.Contains(body, "<style") || strings.Contains(body, " style=")) {
			t.Errorf("%s has inline script or style", target)
		}
	}
}

func TestHandlerErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *api.Server)
		msg    string
	}{
		{"no graph", func(s *api.Server) { s.Graph = nil }, "Graph is nil"},
		{"no index", func(s *api.Server) { s.Search = nil }, "Search is nil"},
		{"bad proxy", func(s *api.Server) { s.TrustedProxies = []string{"not-an-ip"} }, "trusted proxies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.change(f.Server)
			h, err := f.Server.Handler()
			if err == nil || h != nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Handler = %v, %v; want an error containing %q", h, err, tt.msg)
			}
		})
	}
}

func TestNilLogger(t *testing.T) {
	f := newFixture(t)
	f.Server.Logger = nil
	f.Index.SearchFn = func(context.Context, kg.SearchRequest) (kg.SearchResult, error) { panic("quiet") }
	if rec := f.Do(t, "GET", "/api/v1/search"); rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d", rec.Code)
	}
}

func TestHead(t *testing.T) {
	f := newFixture(t)
	h := f.MustHandler(t)
	for _, target := range []string{"/healthz", "/", "/clusters", "/static/style.css"} {
		if rec := do(t, h, "HEAD", target); rec.Code != http.StatusOK {
			t.Errorf("HEAD %s = %d, want 200", target, rec.Code)
		}
	}
}

func TestClientGoneIsNotAnError(t *testing.T) {
	f := newFixture(t)
	f.Index.SearchFn = func(ctx context.Context, _ kg.SearchRequest) (kg.SearchResult, error) {
		return kg.SearchResult{}, ctx.Err()
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/api/v1/search?q=x", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	f.MustHandler(t).ServeHTTP(rec, req)
	if rec.Code == http.StatusInternalServerError || strings.Contains(f.Logs.String(), "internal error") {
		t.Errorf("a cancelled request was treated as an internal error: %d %s", rec.Code, f.Logs)
	}
}
