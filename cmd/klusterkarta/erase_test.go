package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/klusterkarta/klusterkarta/crawler"
	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/demoweb"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The erasure path end to end: crawl the demo web, erase a person through
// the API, let the crawl it starts write the pages again, crawl once more,
// and find the person nowhere while their pages are back.
func TestErasePersonEndToEnd(t *testing.T) {
	gin.SetMode(gin.TestMode)
	ctx := context.Background()
	web, err := demoweb.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer web.Close()
	app, err := OpenApp(ctx, t.TempDir(), web.Registry(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	cfg := crawler.DefaultConfig()
	cfg.Delay = time.Millisecond
	cfg.AllowPrivate = true
	if _, err := app.Crawl(ctx, cfg, nil); err != nil {
		t.Fatal(err)
	}
	ex := app.Graph.(kg.GraphExplorer)
	docsBefore := mustNodes(t, ex, kg.LabelDocument)
	countBefore, err := app.Index.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// The person to erase: someone the demo web names in a work role.
	var person kg.Node
	for _, n := range mustNodes(t, ex, kg.LabelPerson) {
		rels, err := ex.Relationships(ctx, kg.RelFilter{From: n.ID, Rel: kg.RelWorksAt})
		if err == nil && len(rels) > 0 && len(strings.Fields(n.Name)) >= 2 {
			person = n
			break
		}
	}
	if person.ID == "" {
		t.Fatal("the demo crawl found no person with a role")
	}
	if len(search(t, app, `"`+person.Name+`"`)) == 0 {
		t.Fatalf("before erasure the index does not find %q", person.Name)
	}

	srv := &api.Server{Graph: app.Graph, Search: app.Index}
	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	wait := serveOptions{flags: serverFlags{adminToken: "erase-test-token-0123456789"}, crawl: &cfg}.configure(serveCtx, srv, app)
	h, err := srv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("DELETE", "/api/v1/people/"+person.ID, nil)
	req.Header.Set("Authorization", "Bearer erase-test-token-0123456789")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("DELETE: %d %s", rec.Code, rec.Body)
	}
	var res struct {
		Found     bool     `json:"found"`
		Documents []string `json:"documents"`
		Recrawl   string   `json:"recrawl"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Found || len(res.Documents) == 0 || res.Recrawl != "started" {
		t.Fatalf("erasure = %s", rec.Body)
	}
	wait() // the crawl the erasure started, which writes the pages again

	wantErased := func(when string) {
		t.Helper()
		if _, err := ex.Node(ctx, person.ID); kg.ErrorCode(err) != kg.ENOTFOUND {
			t.Errorf("%s: person node still there (%v)", when, err)
		}
		for _, n := range mustNodes(t, ex, kg.LabelPerson) {
			if n.Name == person.Name {
				t.Errorf("%s: a node %s still carries the name", when, n.ID)
			}
		}
		if hits := search(t, app, `"`+person.Name+`"`); len(hits) != 0 {
			t.Errorf("%s: the index still finds the name in %s: %s", when, hits[0].URL, hits[0].Snippet)
		}
		if email := person.Props[kg.PropEmail]; email != "" {
			if hits := search(t, app, `"`+email+`"`); len(hits) != 0 {
				t.Errorf("%s: the index still finds the e-mail in %s", when, hits[0].URL)
			}
		}
		docs := mustNodes(t, ex, kg.LabelDocument)
		count, err := app.Index.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != len(docsBefore) || count != countBefore {
			t.Errorf("%s: %d documents in the graph and %d in the index, want %d and %d as before the erasure",
				when, len(docs), count, len(docsBefore), countBefore)
		}
	}
	wantErased("after the erasure's crawl")
	if _, err := app.Crawl(ctx, cfg, nil); err != nil {
		t.Fatal(err)
	}
	wantErased("after another crawl")
}

func mustNodes(t *testing.T, ex kg.GraphExplorer, label string) []kg.Node {
	t.Helper()
	nodes, err := ex.Nodes(context.Background(), label)
	if err != nil {
		t.Fatal(err)
	}
	return nodes
}

func search(t *testing.T, app *App, q string) []kg.Hit {
	t.Helper()
	req := kg.SearchRequest{Query: q, Size: kg.MaxPageSize}
	if err := req.Validate(); err != nil {
		t.Fatal(err)
	}
	res, err := app.Index.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res.Hits
}
