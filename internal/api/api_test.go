package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/mock"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// syncBuffer is a bytes.Buffer safe for the logger to write from several
// goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fixture is a server over fakes that return fixture data.
type fixture struct {
	Graph  *mock.GraphStore
	Index  *mock.Searcher
	Logs   *syncBuffer
	Server *api.Server

	mu       sync.Mutex
	searches []kg.SearchRequest // requests the index received
}

func evidence(n int) []kg.Evidence {
	ev := make([]kg.Evidence, n)
	for i := range ev {
		ev[i] = kg.Evidence{
			DocumentID: fmt.Sprintf("doc:https://fjallmat.example/sida-%02d", i),
			URL:        fmt.Sprintf("https://fjallmat.example/sida-%02d", i),
			Title:      fmt.Sprintf("Sida %02d om lager", i),
			Kind:       kg.KindNews,
			Date:       time.Date(2024, 10, 1+i, 0, 0, 0, 0, time.UTC),
			Snippet:    fmt.Sprintf("Stycke %02d om självförsörjning.", i),
		}
	}
	if n > 0 {
		ev[0].Kind = kg.KindProject
		ev[0].Date = time.Time{}
	}
	return ev
}

var (
	selfSufficiency = kg.TopicWeight{TopicID: "self-sufficiency", SV: "Självförsörjning", EN: "Self-sufficiency", Weight: 7.5}

	fixtureClusters = []kg.ClusterSummary{
		{ID: "fjallmat", Name: "Fjällmat Kluster", County: "Jämtlands län", Sites: []string{"https://fjallmat.example/"},
			Documents: 14, TopTopics: []kg.TopicWeight{selfSufficiency}},
		{ID: "slattbygd", Name: "Slättbygdens Gröna Nod & Co", County: "Skåne län", Documents: 3},
	}

	fixtureTopics = []kg.TopicSummary{
		{Topic: kg.Topic{ID: "self-sufficiency", SV: "Självförsörjning", EN: "Self-sufficiency",
			Terms: []string{"självförsörjning", "food security"}}, Clusters: 2, Documents: 15},
		{Topic: kg.Topic{ID: "bioenergy", SV: "Bioenergi", EN: "Bioenergy"}},
	}

	fixtureHits = []kg.Hit{
		{ID: "doc:https://fjallmat.example/nyheter/lager", URL: "https://fjallmat.example/nyheter/lager", Title: "Lager inför krisen",
			Clusters: []string{"fjallmat"}, Kind: kg.KindNews, Lang: "sv", Date: time.Date(2024, 11, 5, 0, 0, 0, 0, time.UTC),
			Snippet: "Om <mark>självförsörjning</mark> &amp; lager <script>alert(1)</script>", Score: 1.25},
		{ID: "doc:https://slattbygd.example/om", URL: "https://slattbygd.example/om", Title: "About the node",
			Kind: kg.KindAbout, Lang: "en", Snippet: "A <mark>self-sufficiency</mark> workshop", Score: 0.5},
	}

	fixtureFacets = map[string][]kg.FacetCount{
		"cluster": {{Value: "fjallmat", Count: 14}, {Value: "okant-kluster", Count: 2}},
		"topic":   {{Value: "self-sufficiency", Count: 15}},
		"kind":    {{Value: "news", Count: 1}, {Value: "about", Count: 1}},
		"lang":    {{Value: "sv", Count: 20}, {Value: "en", Count: 3}},
		"county":  {{Value: "Jämtlands län", Count: 14}},
	}
)

// newFixture returns a server whose fakes answer with the fixture data.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{Logs: &syncBuffer{}}
	f.Graph = &mock.GraphStore{
		ClustersFn: func(context.Context) ([]kg.ClusterSummary, error) { return fixtureClusters, nil },
		ClusterFn: func(_ context.Context, id string) (kg.ClusterDetail, error) {
			if id != "fjallmat" {
				return kg.ClusterDetail{}, kg.Errorf(kg.ENOTFOUND, "cluster %q not found", id)
			}
			tw := selfSufficiency
			tw.Evidence = evidence(12)
			return kg.ClusterDetail{
				ClusterSummary: fixtureClusters[0],
				Aliases:        []string{"Fjällmat"},
				Town:           "Östersund",
				Description:    "Ett kluster för mat från fjällen.",
				Topics:         []kg.TopicWeight{tw},
			}, nil
		},
		TopicsFn: func(context.Context) ([]kg.TopicSummary, error) { return fixtureTopics, nil },
		TopicClustersFn: func(_ context.Context, id string) ([]kg.ClusterStrength, error) {
			switch id {
			case "self-sufficiency":
				return []kg.ClusterStrength{
					{ClusterID: "fjallmat", Name: "Fjällmat Kluster", County: "Jämtlands län", Weight: 7.5, Evidence: evidence(12)},
					{ClusterID: "slattbygd", Name: "Slättbygdens Gröna Nod & Co", County: "Skåne län", Weight: 1.5, Evidence: evidence(1)},
				}, nil
			case "bioenergy":
				return nil, nil
			}
			return nil, kg.Errorf(kg.ENOTFOUND, "topic %q not found", id)
		},
		StatsFn: func(context.Context) (kg.GraphStats, error) {
			return kg.GraphStats{Nodes: map[string]int{kg.LabelCluster: 2, kg.LabelTopic: 2, kg.LabelDocument: 17}}, nil
		},
	}
	f.Index = &mock.Searcher{
		SearchFn: func(_ context.Context, req kg.SearchRequest) (kg.SearchResult, error) {
			f.mu.Lock()
			f.searches = append(f.searches, req)
			f.mu.Unlock()
			return kg.SearchResult{Total: 23, Hits: fixtureHits, Facets: fixtureFacets, Took: 3 * time.Millisecond}, nil
		},
		CountFn: func(context.Context) (uint64, error) { return 17, nil },
	}
	f.Server = &api.Server{
		Graph:   f.Graph,
		Search:  f.Index,
		Logger:  slog.New(slog.NewJSONHandler(f.Logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Version: "v0.test",
	}
	return f
}

// Searches returns the requests the index received.
func (f *fixture) Searches() []kg.SearchRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]kg.SearchRequest(nil), f.searches...)
}

// MustHandler builds the server's handler.
func (f *fixture) MustHandler(tb testing.TB) http.Handler {
	tb.Helper()
	h, err := f.Server.Handler()
	if err != nil {
		tb.Fatalf("Handler: %v", err)
	}
	return h
}

// Do sends a request through a freshly built handler.
func (f *fixture) Do(t *testing.T, method, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, f.MustHandler(t), method, target, header...)
}

// do sends a request to h; header holds name, value pairs.
func do(t *testing.T, h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decode decodes a JSON response into T, failing on a wrong content type.
func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want JSON; body %s", ct, rec.Body)
	}
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %s: %v", rec.Body, err)
	}
	return v
}

// apiError is the error body every failed API request gets.
type apiError struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

// wantError checks an error response's status, code and that its message
// contains msg.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code, msg string) apiError {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	e := decode[apiError](t, rec)
	if e.Error.Code != code {
		t.Errorf("error code = %q, want %q", e.Error.Code, code)
	}
	if !strings.Contains(e.Error.Message, msg) {
		t.Errorf("error message = %q, want it to contain %q", e.Error.Message, msg)
	}
	return e
}
