package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/mock"
)

// mustExploreServer is a server over an embedded graph holding two
// clusters, one topic, a document each and a future event page.
func mustExploreServer(t *testing.T) http.Handler {
	t.Helper()
	st, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	reg := kg.Registry{Clusters: []kg.Cluster{
		{ID: "fjallmat", Name: "Fjällmat Kluster", County: "Jämtlands län"},
		{ID: "slattbygd", Name: "Slättbygdens Nod", County: "Skåne län"},
	}}
	facts := []kg.FactSet{kg.RegistryFacts(reg, []kg.Topic{{ID: "biogas", SV: "Biogas", EN: "Biogas"}})}
	next := time.Now().AddDate(0, 1, 0).UTC().Truncate(24 * time.Hour)
	for _, d := range []kg.Document{
		{URL: "https://fjallmat.example/a", Title: "Biogas i fjällen", Kind: kg.KindNews, Date: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Clusters: []string{"fjallmat"}},
		{URL: "https://slatt.example/b", Title: "Rötning på slätten", Kind: kg.KindProject, Clusters: []string{"slattbygd"}},
		{URL: "https://slatt.example/dag", Title: "Gasdagen", Kind: kg.KindEvent, Date: next, Clusters: []string{"slattbygd"}},
	} {
		d.ID = kg.DocumentID(d.URL)
		d.Topics = []kg.TopicMatch{{TopicID: "biogas", Snippet: "om biogas"}}
		facts = append(facts, kg.DocumentFacts(d))
	}
	for _, fs := range facts {
		if _, err := st.ReplaceFacts(ctx, fs); err != nil {
			t.Fatal(err)
		}
	}
	srv := &api.Server{Graph: st, Search: &mock.Searcher{}}
	h, err := srv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestExploreAPI(t *testing.T) {
	h := mustExploreServer(t)
	tests := []struct {
		target string
		status int
		ctype  string
		want   []string
	}{
		{"/api/v1/partners?topic=biogas&cluster=fjallmat", 200, "application/json",
			[]string{`"id":"slattbygd"`, `"collaborates":false`, `"explanation":"Slättbygdens Nod arbetar med biogas enligt 2 dokument`}},
		{"/api/v1/partners?topic=biogas&lang=en", 200, "application/json", []string{`"collaborates":null`, `works on biogas according to`}},
		{"/api/v1/partners", 400, "application/json", []string{`"code":"invalid"`, "topic is required"}},
		{"/api/v1/partners?topic=nope", 404, "application/json", []string{`"code":"not_found"`}},
		{"/api/v1/partners?topic=biogas&color=red", 400, "application/json", []string{`unknown query parameter`}},
		{"/api/v1/clusters/fjallmat/similar", 200, "application/json", []string{`"id":"slattbygd"`, `"score":1`}},
		{"/api/v1/clusters/nope/similar", 404, "application/json", nil},
		{"/api/v1/network?kinds=cluster,topic", 200, "application/json", []string{`"id":"topic:biogas"`, `"rel":"WORKS_ON"`, `"url":"/clusters/fjallmat"`}},
		{"/api/v1/network?kinds=planet", 400, "application/json", []string{`kind \"planet\"`}},
		{"/api/v1/export?format=graphml", 200, "application/graphml+xml", []string{`<graphml xmlns="http://graphml.graphdrawing.org/xmlns">`}},
		{"/api/v1/export?format=jsonld", 200, "application/ld+json", []string{`"@type": "Organization"`}},
		{"/api/v1/export?format=edges.csv", 200, "text/csv", []string{"source,target,rel,weight,evidence\r\n"}},
		{"/api/v1/export?format=pdf", 400, "application/json", nil},
		{"/feeds/events.ics?topic=biogas", 200, "text/calendar", []string{"BEGIN:VCALENDAR\r\n", "SUMMARY:Gasdagen\r\n"}},
		{"/feeds/events.ics?when=later", 400, "application/json", nil},
		{"/feeds/search.atom?topic=biogas", 200, "application/atom+xml", []string{"<title>Biogas i fjällen</title>", "<title>Gasdagen</title>"}},
		{"/feeds/search.atom?cluster=nope", 404, "application/json", nil},
		{"/partners?topic=biogas&cluster=fjallmat", 200, "text/html", []string{"Slättbygdens Nod", "Inget samarbete ännu", `<option value="fjallmat" selected>`}},
		{"/partners?topic=nope", 404, "text/html", []string{`class="notice"`}},
		{"/network?topic=biogas", 200, "text/html", []string{`data-src="/api/v1/network?kinds=`, "Fjällmat Kluster", `src="/static/vendor/cytoscape.min.js"`}},
		{"/network/map", 200, "text/html", []string{"<svg", `class="count"`, "Jämtlands län"}},
		{"/network/heatmap", 200, "text/html", []string{`class="heat heat-5"`}},
		{"/network/gaps", 200, "text/html", []string{`gap`, "Län utan något kluster"}},
		{"/calendar", 200, "text/html", []string{"Gasdagen", "webcal://"}},
		{"/calendar?when=past", 200, "text/html", []string{"Inga evenemang matchar."}},
		{"/calendar/gasdagen@" + time.Now().AddDate(0, 1, 0).UTC().Format("2006-01-02"), 200, "text/html", []string{"<h1>Gasdagen</h1>", "Slättbygdens Nod"}},
		{"/calendar/nope", 404, "text/html", nil},
		{"/topics/biogas", 200, "text/html", []string{`href="/partners?topic=biogas"`, `href="/feeds/search.atom?topic=biogas"`, `<link rel="alternate" type="application/atom`}},
		{"/clusters/fjallmat", 200, "text/html", []string{`href="/partners?cluster=fjallmat"`}},
		{"/static/vendor/cytoscape.min.js", 200, "text/javascript", nil},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := do(t, h, http.MethodGet, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("content type %q, want %q", ct, tt.ctype)
			}
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%.3000s", w, body)
				}
			}
		})
	}
}

func TestExploreNeedsExplorer(t *testing.T) {
	f := newFixture(t) // a mock graph: no node-by-node reads
	rec := f.Do(t, http.MethodGet, "/api/v1/network")
	wantError(t, rec, http.StatusServiceUnavailable, kg.EUNAVAIL, "")
}
