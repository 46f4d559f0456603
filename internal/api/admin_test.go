package api_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/mock"
	"github.com/klusterkarta/klusterkarta/internal/privacy"
)

const adminToken = "s3cret-admin-token-for-tests"

func TestAdminOffWithoutToken(t *testing.T) {
	f := newFixture(t)
	f.Server.StartCrawl = func(bool) (string, error) { t.Error("crawl started without a token"); return "started", nil }
	h := f.MustHandler(t)
	for _, r := range []struct{ method, target string }{
		{"POST", "/api/v1/admin/crawl"},
		{"DELETE", "/api/v1/people/person:anna-berg@lrf"},
	} {
		rec := do(t, h, r.method, r.target, "Authorization", "Bearer "+adminToken)
		wantError(t, rec, http.StatusNotFound, kg.ENOTFOUND, "admin endpoints are off: start the server with --admin-token")
	}
}

func TestAdminToken(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		status int
		code   string
	}{
		{"no header", nil, http.StatusUnauthorized, "unauthorized"},
		{"basic auth", []string{"Authorization", "Basic YWRtaW46YWRtaW4="}, http.StatusUnauthorized, "unauthorized"},
		{"empty bearer", []string{"Authorization", "Bearer "}, http.StatusUnauthorized, "unauthorized"},
		{"wrong token", []string{"Authorization", "Bearer s3cret-admin-token-for-tesTS"}, http.StatusUnauthorized, "unauthorized"},
		{"prefix of the token", []string{"Authorization", "Bearer " + adminToken[:20]}, http.StatusUnauthorized, "unauthorized"},
		{"token and more", []string{"Authorization", "Bearer " + adminToken + "x"}, http.StatusUnauthorized, "unauthorized"},
		{"right token", []string{"Authorization", "Bearer " + adminToken}, http.StatusAccepted, ""},
		{"scheme in lower case", []string{"Authorization", "bearer " + adminToken}, http.StatusAccepted, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.Server.AdminToken = adminToken
			var started atomic.Int32
			f.Server.StartCrawl = func(bool) (string, error) { started.Add(1); return "started", nil }
			rec := f.Do(t, "POST", "/api/v1/admin/crawl", tt.header...)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d; %s", rec.Code, tt.status, rec.Body)
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", rec.Header().Get("Cache-Control"))
			}
			if tt.code != "" {
				wantError(t, rec, tt.status, tt.code, "")
				if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
				}
				if started.Load() != 0 {
					t.Error("a crawl was started")
				}
				if strings.Contains(f.Logs.String(), adminToken) {
					t.Error("the token was logged")
				}
				return
			}
			if started.Load() != 1 || !strings.Contains(rec.Body.String(), `"status":"started"`) {
				t.Errorf("crawl started %d times; body %s", started.Load(), rec.Body)
			}
		})
	}
}

func TestAdminCrawl(t *testing.T) {
	auth := []string{"Authorization", "Bearer " + adminToken}
	f := newFixture(t)
	f.Server.AdminToken = adminToken
	var refetches []bool
	f.Server.StartCrawl = func(refetch bool) (string, error) {
		refetches = append(refetches, refetch)
		return "queued", nil
	}
	h := f.MustHandler(t)
	rec := do(t, h, "POST", "/api/v1/admin/crawl?refetch=true", auth...)
	if rec.Code != http.StatusAccepted || !strings.Contains(rec.Body.String(), `"status":"queued"`) {
		t.Errorf("queued crawl: %d %s", rec.Code, rec.Body)
	}
	do(t, h, "POST", "/api/v1/admin/crawl", auth...)
	if len(refetches) != 2 || !refetches[0] || refetches[1] {
		t.Errorf("refetch passed as %v, want [true false]", refetches)
	}
	wantError(t, do(t, h, "POST", "/api/v1/admin/crawl?now=1", auth...), http.StatusBadRequest, kg.EINVALID, "unknown query parameter")
	wantError(t, do(t, h, "POST", "/api/v1/admin/crawl?refetch=yes", auth...), http.StatusBadRequest, kg.EINVALID, "refetch must be true or false")

	f.Server.StartCrawl = func(bool) (string, error) { return "", kg.Errorf(kg.EUNAVAIL, "the server is shutting down") }
	wantError(t, f.Do(t, "POST", "/api/v1/admin/crawl", auth...), http.StatusServiceUnavailable, kg.EUNAVAIL, "shutting down")
	wantError(t, do(t, h, "GET", "/api/v1/admin/crawl", auth...), http.StatusMethodNotAllowed, "method_not_allowed", "")

	f.Server.StartCrawl = nil
	wantError(t, f.Do(t, "POST", "/api/v1/admin/crawl", auth...), http.StatusNotFound, kg.ENOTFOUND, "no crawler")
}

// explorerGraph is a fake graph that also explores, holding one person
// named on two documents.
type explorerGraph struct {
	*mock.GraphStore
	retracted []string
}

const (
	erasedID   = "person:anna-berg@lrf"
	erasedName = "Anna Berg"
)

func (g *explorerGraph) Node(_ context.Context, id string) (kg.Node, error) {
	if id == erasedID && len(g.retracted) == 0 {
		return kg.Node{ID: id, Label: kg.LabelPerson, Name: erasedName, Props: map[string]string{"email": "anna.berg@lrf.example"}}, nil
	}
	return kg.Node{}, kg.Errorf(kg.ENOTFOUND, "node %q not found", id)
}

func (g *explorerGraph) Nodes(context.Context, string) ([]kg.Node, error) { return nil, nil }

func (g *explorerGraph) Relationships(_ context.Context, f kg.RelFilter) ([]kg.Relationship, error) {
	if f.From == erasedID && len(g.retracted) == 0 {
		return []kg.Relationship{{From: erasedID, Rel: kg.RelWorksAt, To: "org:lrf", Evidence: []kg.Evidence{{DocumentID: "doc:https://lrf.example/kontakt"}}}}, nil
	}
	return nil, nil
}

func newErasureFixture(t *testing.T) (*fixture, *explorerGraph, *[]string) {
	t.Helper()
	f := newFixture(t)
	g := &explorerGraph{GraphStore: f.Graph}
	g.RetractFactsFn = func(_ context.Context, id string) (bool, error) {
		g.retracted = append(g.retracted, id)
		return true, nil
	}
	var deleted []string
	f.Index.DeleteFn = func(_ context.Context, ids []string) error { deleted = append(deleted, ids...); return nil }
	f.Index.SearchFn = func(_ context.Context, req kg.SearchRequest) (kg.SearchResult, error) {
		if req.Query == `"Anna Berg"` {
			return kg.SearchResult{Total: 1, Hits: []kg.Hit{{ID: "doc:https://lrf.example/nyheter/anna"}}}, nil
		}
		return kg.SearchResult{}, nil
	}
	list, err := privacy.Open(filepath.Join(t.TempDir(), privacy.FileName))
	if err != nil {
		t.Fatal(err)
	}
	f.Server.Graph = g
	f.Server.Suppressions = list
	f.Server.AdminToken = adminToken
	return f, g, &deleted
}

func TestErasePerson(t *testing.T) {
	f, g, deleted := newErasureFixture(t)
	var crawls atomic.Int32
	f.Server.StartCrawl = func(refetch bool) (string, error) {
		if !refetch {
			t.Error("the crawl after an erasure does not refetch")
		}
		crawls.Add(1)
		return "started", nil
	}
	h := f.MustHandler(t)
	auth := []string{"Authorization", "Bearer " + adminToken}

	wantError(t, do(t, h, "DELETE", "/api/v1/people/"+erasedID), http.StatusUnauthorized, "unauthorized", "")
	if f.Server.Suppressions.Len() != 0 {
		t.Fatal("an unauthorised request suppressed someone")
	}

	rec := do(t, h, "DELETE", "/api/v1/people/"+erasedID, auth...)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	type result struct {
		ID             string   `json:"id"`
		NewSuppression bool     `json:"new_suppression"`
		Found          bool     `json:"found"`
		Documents      []string `json:"documents"`
		Remaining      bool     `json:"remaining"`
		Recrawl        string   `json:"recrawl"`
	}
	res := decode[result](t, rec)
	want := "doc:https://lrf.example/kontakt doc:https://lrf.example/nyheter/anna"
	if res.ID != erasedID || !res.Found || !res.NewSuppression || res.Remaining || strings.Join(res.Documents, " ") != want || res.Recrawl != "started" {
		t.Errorf("result = %+v", res)
	}
	if strings.Join(g.retracted, " ") != want || strings.Join(*deleted, " ") != want {
		t.Errorf("retracted %v, deleted %v; want %s", g.retracted, *deleted, want)
	}
	if crawls.Load() != 1 {
		t.Errorf("%d crawls started, want 1 to write the pages again", crawls.Load())
	}
	l := f.Server.Suppressions
	if !l.Suppressed(erasedID) || l.Redact("Mejla anna.berg@lrf.example") != "Mejla "+privacy.Redacted || l.Redact("Anna Berg") != privacy.Redacted {
		t.Error("the suppression lacks the id, the name or the e-mail from the graph")
	}
	if logs := f.Logs.String(); strings.Contains(logs, "anna-berg") || strings.Contains(logs, "Anna Berg") {
		t.Errorf("the log names the erased person: %s", logs)
	}

	// Again: nothing left to do, and the id works without its prefix.
	rec = do(t, h, "DELETE", "/api/v1/people/anna-berg@lrf", auth...)
	res = decode[result](t, rec)
	if rec.Code != http.StatusOK || res.NewSuppression || res.Found || len(res.Documents) != 0 || res.Recrawl != "not_needed" {
		t.Errorf("second erasure: %d %+v", rec.Code, res)
	}
}

func TestErasePersonBadRequests(t *testing.T) {
	f, _, _ := newErasureFixture(t)
	h := f.MustHandler(t)
	auth := []string{"Authorization", "Bearer " + adminToken}
	tests := []struct{ target, msg string }{
		{"/api/v1/people/person:Anna%20Berg@lrf", "lower-case letters"},
		{"/api/v1/people/person:anna-berg", "person:<name>@<organisation>"},
		{"/api/v1/people/" + erasedID + "?email=nope", "not an e-mail address"},
		{"/api/v1/people/" + erasedID + "?phone=12", "not a phone number"},
		{"/api/v1/people/" + erasedID + "?why=because", "unknown query parameter"},
		{"/api/v1/people/" + erasedID + "?name=a&name=b", "given 2 times"},
	}
	for _, tt := range tests {
		wantError(t, do(t, h, "DELETE", tt.target, auth...), http.StatusBadRequest, kg.EINVALID, tt.msg)
	}
	if f.Server.Suppressions.Len() != 0 {
		t.Errorf("a rejected request was recorded")
	}
}

func TestEraseOffWithoutList(t *testing.T) {
	f := newFixture(t)
	f.Server.AdminToken = adminToken
	rec := f.Do(t, "DELETE", "/api/v1/people/"+erasedID, "Authorization", "Bearer "+adminToken)
	wantError(t, rec, http.StatusNotFound, kg.ENOTFOUND, "erasing people is not configured")
}

var _ kg.GraphExplorer = (*explorerGraph)(nil)
var _ = api.MinAdminTokenLength
