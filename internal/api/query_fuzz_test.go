package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// querySeeds are query strings, well formed and not, that start the fuzzers.
var querySeeds = []string{
	"", "q=biogas", "q=biogas&page=2&size=20&sort=date", "q=&page=&size=", "q=a&q=b", "color=red",
	"%zz", "q=%ff%fe", "q=%00", "page=99999999999999999999", "page=1000&size=100", "year=1899",
	"from=2024-02-30", "from=2025-01-01&to=2024-01-01", "q=a*+b*+c*+d*+e*", "kinds=cluster,,planet",
	"topic=biogas&cluster=fjallmat&limit=1001", ";a=1", "a=1&&b=2", "=x", "lang=sv&lang=en",
	"format=graphml&kinds=cluster", "when=later", "q=title:x+-y+%22z", "refetch=maybe",
}

// FuzzParseQuery checks the strict query parser and the search request
// built from it: they never panic, refuse only with EINVALID, and what
// they accept has only allowed names, each once, and passes validation.
func FuzzParseQuery(f *testing.F) {
	for _, s := range querySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := parseQuery(raw, searchParams...)
		if err != nil {
			if kg.ErrorCode(err) != kg.EINVALID {
				t.Fatalf("parseQuery(%q): %v, want EINVALID", raw, err)
			}
			return
		}
		for name, vals := range q {
			if !slices.Contains(searchParams, name) || len(vals) != 1 {
				t.Fatalf("parseQuery(%q) accepted %q = %q", raw, name, vals)
			}
		}
		req, err := searchRequest(q, "lang")
		if err != nil {
			if kg.ErrorCode(err) != kg.EINVALID {
				t.Fatalf("searchRequest(%q): %v, want EINVALID", raw, err)
			}
			return
		}
		if err := req.Validate(); err != nil {
			if kg.ErrorCode(err) != kg.EINVALID {
				t.Fatalf("Validate(%q): %v, want EINVALID", raw, err)
			}
			return
		}
		if req.Page < 1 || req.Page > 1000 || req.Size < 1 || req.Size > kg.MaxPageSize || len(req.Query) > kg.MaxQueryLength {
			t.Fatalf("%q validated to %+v", raw, req)
		}
		if err := checkQuery(req); err != nil && kg.ErrorCode(err) != kg.EINVALID {
			t.Fatalf("checkQuery(%q): %v, want EINVALID", raw, err)
		}
	})
}

// fuzzTargets are the paths FuzzAPIQuery sends its query strings to.
var fuzzTargets = []string{
	"/api/v1/search", "/api/v1/clusters", "/api/v1/clusters/fjallmat", "/api/v1/clusters/fjallmat/similar",
	"/api/v1/topics", "/api/v1/topics/biogas/clusters", "/api/v1/partners", "/api/v1/network", "/api/v1/export",
	"/feeds/search.atom", "/feeds/events.ics", "/healthz", "/openapi.json", "/api/v1/admin/crawl",
	"/api/v1/people", "/api/v1/projects", "/api/v1/events", "/api/v1/organisations/jordbruksverket",
}

// FuzzAPIQuery sends fuzzed query strings to the API over a real graph
// and index: no answer is a 5xx, and every error has the error body.
func FuzzAPIQuery(f *testing.F) {
	h := mustPropertyServer(f, newPropertyData(), "")
	for i, s := range querySeeds {
		f.Add(uint8(i), s)
	}
	f.Fuzz(func(t *testing.T, target uint8, raw string) {
		path := fuzzTargets[int(target)%len(fuzzTargets)]
		method := http.MethodGet
		if path == "/api/v1/admin/crawl" {
			method = http.MethodPost
		}
		u := &url.URL{Path: path, RawQuery: raw}
		req := httptest.NewRequest(method, "/", nil)
		req.URL = u
		req.RequestURI = u.RequestURI()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: status %d: %s", method, u.RequestURI(), rec.Code, rec.Body.String())
		}
		if rec.Code >= 400 {
			var e errorResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("%s %s: status %d without the error body: %.300s", method, u.RequestURI(), rec.Code, rec.Body.String())
			}
		}
	})
}

// TestSearchRequestDates checks the bounds of the date parameters: the
// index cannot range over dates outside 1677 to 2262, so the API refuses
// those outside the years a search may name.
func TestSearchRequestDates(t *testing.T) {
	tests := []struct {
		raw string
		ok  bool
	}{
		{"from=1900-01-01&to=2200-12-31", true},
		{"from=2024-02-29", true},
		{"from=0000-01-01", false},
		{"to=0000-01-01", false},
		{"from=1600-06-01", false},
		{"to=2263-01-01", false},
		{"from=9999-12-31", false},
		{"from=2024-02-30", false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			q, err := parseQuery(tt.raw, searchParams...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = searchRequest(q, "lang")
			if tt.ok != (err == nil) {
				t.Fatalf("searchRequest(%q): %v, want ok=%v", tt.raw, err, tt.ok)
			}
			if err != nil && kg.ErrorCode(err) != kg.EINVALID {
				t.Fatalf("searchRequest(%q): %v, want EINVALID", tt.raw, err)
			}
		})
	}
}
