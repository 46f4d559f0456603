package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

type searchResp struct {
	Query string `json:"query"`
	Total int    `json:"total"`
	Page  int    `json:"page"`
	Size  int    `json:"size"`
	Hits  []struct {
		ID       string   `json:"id"`
		Title    string   `json:"title"`
		URL      string   `json:"url"`
		Clusters []string `json:"clusters"`
		Kind     string   `json:"kind"`
		Lang     string   `json:"lang"`
		Date     string   `json:"date"`
		Snippet  string   `json:"snippet"`
		Score    float64  `json:"score"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
		Label string `json:"label"`
	} `json:"facets"`
	TookMS int64 `json:"took_ms"`
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestSearch(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "/api/v1/search?q=+lager+&cluster=fjallmat&county=J%C3%A4mtlands+l%C3%A4n&topic=self-sufficiency&kind=news&lang=sv&page=2&size=5")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	got := f.Searches()
	want := kg.SearchRequest{Query: "lager", Cluster: "fjallmat", County: "Jämtlands län", Topic: "self-sufficiency",
		Kind: "news", Lang: "sv", Page: 2, Size: 5}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("index got %+v, want [%+v]", got, want)
	}

	r := decode[searchResp](t, rec)
	if r.Query != "lager" || r.Total != 23 || r.Page != 2 || r.Size != 5 || r.TookMS != 3 {
		t.Errorf("query, total, page, size, took = %q %d %d %d %d", r.Query, r.Total, r.Page, r.Size, r.TookMS)
	}
	if len(r.Hits) != 2 {
		t.Fatalf("hits = %d, want 2", len(r.Hits))
	}
	h := r.Hits[0]
	if h.ID != fixtureHits[0].ID || h.URL != fixtureHits[0].URL || h.Title != "Lager inför krisen" ||
		!reflect.DeepEqual(h.Clusters, []string{"fjallmat"}) || h.Kind != "news" || h.Lang != "sv" ||
		h.Date != "2024-11-05" || h.Score != 1.25 {
		t.Errorf("hit 0 = %+v", h)
	}
	if want := "Om <mark>självförsörjning</mark> &amp; lager &lt;script&gt;alert(1)&lt;/script&gt;"; h.Snippet != want {
		t.Errorf("snippet = %q, want %q", h.Snippet, want)
	}

	// The raw shape: every documented key, snake_case, no date on an undated
	// hit, lists never null.
	var raw map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if got, want := keys(raw), []string{"facets", "hits", "page", "query", "size", "took_ms", "total"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	hits := raw["hits"].([]any)
	if got, want := keys(hits[0].(map[string]any)), []string{"also_on", "clusters", "date", "id", "kind", "lang", "score", "snippet", "title", "url"}; !reflect.DeepEqual(got, want) {
		t.Errorf("hit keys = %v, want %v", got, want)
	}
	undated := hits[1].(map[string]any)
	if _, ok := undated["date"]; ok {
		t.Errorf("undated hit has a date: %v", undated)
	}
	if cl, ok := undated["clusters"].([]any); !ok || len(cl) != 0 {
		t.Errorf("hit without clusters has clusters = %#v, want []", undated["clusters"])
	}
	if got, want := keys(raw["facets"].(map[string]any)), []string{"cluster", "county", "kind", "lang", "topic", "year"}; !reflect.DeepEqual(got, want) {
		t.Errorf("facet keys = %v, want %v", got, want)
	}
}

func TestSearchDefaults(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "/api/v1/search")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	r := decode[searchResp](t, rec)
	if r.Page != 1 || r.Size != kg.DefaultPageSize {
		t.Errorf("page, size = %d, %d; want 1, %d", r.Page, r.Size, kg.DefaultPageSize)
	}
	if s := f.Searches(); len(s) != 1 || s[0].Page != 1 || s[0].Size != kg.DefaultPageSize || s[0].Query != "" {
		t.Errorf("index got %+v", s)
	}
}

func TestSearchFacetLabels(t *testing.T) {
	f := newFixture(t)
	r := decode[searchResp](t, f.Do(t, "GET", "/api/v1/search?q=lager"))
	type fv struct {
		Value, Label string
		Count        int
	}
	want := map[string][]fv{
		"cluster": {{"fjallmat", "Fjällmat Kluster", 14}, {"okant-kluster", "okant-kluster", 2}},
		"topic":   {{"self-sufficiency", "Självförsörjning", 15}},
		"kind":    {{"news", "news", 1}, {"about", "about", 1}},
		"lang":    {{"sv", "sv", 20}, {"en", "en", 3}},
		"county":  {{"Jämtlands län", "Jämtlands län", 14}},
	}
	for name, values := range want {
		var got []fv
		for _, v := range r.Facets[name] {
			got = append(got, fv{v.Value, v.Label, v.Count})
		}
		if !reflect.DeepEqual(got, values) {
			t.Errorf("facet %s = %v, want %v", name, got, values)
		}
	}
}

func TestSearchFacetLabelsGraphDown(t *testing.T) {
	f := newFixture(t)
	f.Graph.ClustersFn = func(context.Context) ([]kg.ClusterSummary, error) { return nil, errors.New("graph closed") }
	f.Graph.TopicsFn = func(context.Context) ([]kg.TopicSummary, error) { return nil, errors.New("graph closed") }
	rec := f.Do(t, "GET", "/api/v1/search?q=lager")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200 with ids as labels; body %s", rec.Code, rec.Body)
	}
	r := decode[searchResp](t, rec)
	if l := r.Facets["cluster"][0].Label; l != "fjallmat" {
		t.Errorf("cluster label = %q, want the id", l)
	}
	if l := r.Facets["topic"][0].Label; l != "self-sufficiency" {
		t.Errorf("topic label = %q, want the id", l)
	}
	if !strings.Contains(f.Logs.String(), "graph closed") {
		t.Errorf("the failed lookup is not logged: %s", f.Logs)
	}
}

func TestSearchEmptyFacets(t *testing.T) {
	f := newFixture(t)
	f.Index.SearchFn = func(context.Context, kg.SearchRequest) (kg.SearchResult, error) { return kg.SearchResult{}, nil }
	rec := f.Do(t, "GET", "/api/v1/search?q=ingenting")
	body := rec.Body.String()
	for _, want := range []string{`"hits":[]`, `"cluster":[]`, `"topic":[]`, `"kind":[]`, `"lang":[]`, `"county":[]`, `"total":0`} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %s: %s", want, body)
		}
	}
}

func TestSearchBadRequests(t *testing.T) {
	tests := []struct {
		name, query, msg string
	}{
		{"page not an integer", "page=two", "page must be an integer"},
		{"page a float", "page=1.5", "page must be an integer"},
		{"size not an integer", "size=ten", "size must be an integer"},
		{"page out of range", "page=-1", "page must be between"},
		{"size too large", "size=101", "size must be between"},
		{"unknown kind", "kind=podcast", `kind "podcast"`},
		{"unknown lang", "lang=de", "lang must be sv or en"},
		{"unknown parameter", "q=x&order=date", `unknown query parameter "order"`},
		{"unknown parameters", "b=1&a=2", `unknown query parameters "a", "b"`},
		{"repeated parameter", "q=a&q=b", `"q" is given 2 times`},
		{"malformed query", "q=%zz", "malformed query string"},
		{"query too long", "q=" + strings.Repeat("a", kg.MaxQueryLength+1), "q is longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			rec := f.Do(t, "GET", "/api/v1/search?"+tt.query)
			wantError(t, rec, http.StatusBadRequest, kg.EINVALID, tt.msg)
			if n := len(f.Searches()); n != 0 {
				t.Errorf("the index was asked %d times", n)
			}
		})
	}
}

func TestErrorTable(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		code   string
		msg    string
		logged bool
	}{
		{"invalid", kg.Errorf(kg.EINVALID, "query syntax near %q", "AND"), 400, kg.EINVALID, `query syntax near "AND"`, false},
		{"not found", kg.Errorf(kg.ENOTFOUND, "no index"), 404, kg.ENOTFOUND, "no index", false},
		{"conflict", kg.Errorf(kg.ECONFLICT, "index is being rebuilt"), 409, kg.ECONFLICT, "index is being rebuilt", false},
		{"unavailable", kg.Errorf(kg.EUNAVAIL, "index is closed"), 503, kg.EUNAVAIL, "index is closed", false},
		{"internal", kg.Errorf(kg.EINTERNAL, "segment 7 is corrupt"), 500, kg.EINTERNAL, "Internal error.", true},
		{"plain error", errors.New("open /srv/secret/index: permission denied"), 500, kg.EINTERNAL, "Internal error.", true},
		{"wrapped code", errors.Join(errors.New("x"), kg.Errorf(kg.ECONFLICT, "busy")), 409, kg.ECONFLICT, "busy", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.Index.SearchFn = func(context.Context, kg.SearchRequest) (kg.SearchResult, error) { return kg.SearchResult{}, tt.err }
			rec := f.Do(t, "GET", "/api/v1/search?q=x")
			e := wantError(t, rec, tt.status, tt.code, tt.msg)
			logs := f.Logs.String()
			if tt.logged {
				if e.Error.Message != "Internal error." {
					t.Errorf("internal message = %q", e.Error.Message)
				}
				if strings.Contains(rec.Body.String(), tt.err.Error()) {
					t.Errorf("internal detail leaked: %s", rec.Body)
				}
				id := rec.Header().Get(api.RequestIDHeader)
				if e.Error.RequestID == "" || e.Error.RequestID != id {
					t.Errorf("request id in body %q, header %q", e.Error.RequestID, id)
				}
				if n := strings.Count(logs, `"msg":"internal error"`); n != 1 {
					t.Errorf("internal error logged %d times: %s", n, logs)
				}
				if !strings.Contains(logs, tt.err.Error()) || !strings.Contains(logs, id) {
					t.Errorf("log lacks the error or the request id: %s", logs)
				}
			} else if strings.Contains(logs, `"msg":"internal error"`) {
				t.Errorf("an application error was logged as internal: %s", logs)
			}
		})
	}
}

type clusterResp struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	County    string   `json:"county"`
	Sites     []string `json:"sites"`
	Documents int      `json:"documents"`
	TopTopics []struct {
		ID      string  `json:"id"`
		LabelSV string  `json:"label_sv"`
		LabelEN string  `json:"label_en"`
		Weight  float64 `json:"weight"`
	} `json:"top_topics"`
}

type evidenceResp struct {
	URL     string `json:"url"`
	Title   string `json:"title"`
	Kind    string `json:"kind"`
	Date    string `json:"date"`
	Snippet string `json:"snippet"`
}

func TestClusters(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "/api/v1/clusters")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	r := decode[struct {
		Clusters []clusterResp `json:"clusters"`
	}](t, rec)
	if len(r.Clusters) != 2 {
		t.Fatalf("clusters = %d, want 2", len(r.Clusters))
	}
	c := r.Clusters[0]
	if c.ID != "fjallmat" || c.Name != "Fjällmat Kluster" || c.County != "Jämtlands län" || c.Documents != 14 ||
		!reflect.DeepEqual(c.Sites, []string{"https://fjallmat.example/"}) {
		t.Errorf("cluster 0 = %+v", c)
	}
	if len(c.TopTopics) != 1 || c.TopTopics[0].ID != "self-sufficiency" || c.TopTopics[0].LabelSV != "Självförsörjning" ||
		c.TopTopics[0].LabelEN != "Self-sufficiency" || c.TopTopics[0].Weight != 7.5 {
		t.Errorf("top topics = %+v", c.TopTopics)
	}
	if !strings.Contains(rec.Body.String(), `"sites":[]`) || !strings.Contains(rec.Body.String(), `"top_topics":[]`) {
		t.Errorf("empty lists are not []: %s", rec.Body)
	}
	wantError(t, f.Do(t, "GET", "/api/v1/clusters?all=1"), 400, kg.EINVALID, `unknown query parameter "all"`)
}

func TestCluster(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "/api/v1/clusters/fjallmat")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	r := decode[struct {
		clusterResp
		Aliases     []string `json:"aliases"`
		Town        string   `json:"town"`
		Description string   `json:"description"`
		Topics      []struct {
			ID            string         `json:"id"`
			LabelSV       string         `json:"label_sv"`
			LabelEN       string         `json:"label_en"`
			Weight        float64        `json:"weight"`
			Evidence      []evidenceResp `json:"evidence"`
			EvidenceTotal int            `json:"evidence_total"`
		} `json:"topics"`
	}](t, rec)
	if r.ID != "fjallmat" || r.Name != "Fjällmat Kluster" || r.Town != "Östersund" ||
		r.Description != "Ett kluster för mat från fjällen." || !reflect.DeepEqual(r.Aliases, []string{"Fjällmat"}) {
		t.Errorf("cluster = %+v", r)
	}
	if len(r.Topics) != 1 {
		t.Fatalf("topics = %+v", r.Topics)
	}
	tp := r.Topics[0]
	if tp.ID != "self-sufficiency" || tp.LabelEN != "Self-sufficiency" || tp.Weight != 7.5 || tp.EvidenceTotal != 12 || len(tp.Evidence) != 10 {
		t.Errorf("topic = %+v (evidence %d)", tp, len(tp.Evidence))
	}
	if e := tp.Evidence[1]; e != (evidenceResp{URL: "https://fjallmat.example/sida-01", Title: "Sida 01 om lager", Kind: "news",
		Date: "2024-10-02", Snippet: "Stycke 01 om självförsörjning."}) {
		t.Errorf("evidence 1 = %+v", e)
	}
	if strings.Contains(rec.Body.String(), `"date":""`) {
		t.Errorf("undated evidence has an empty date: %s", rec.Body)
	}
}

func TestClusterNotFound(t *testing.T) {
	f := newFixture(t)
	wantError(t, f.Do(t, "GET", "/api/v1/clusters/nowhere"), 404, kg.ENOTFOUND, `cluster "nowhere" not found`)
}

func TestTopics(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "/api/v1/topics")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	type topic struct {
		ID        string   `json:"id"`
		LabelSV   string   `json:"label_sv"`
		LabelEN   string   `json:"label_en"`
		Terms     []string `json:"terms"`
		Clusters  int      `json:"clusters"`
		Documents int      `json:"documents"`
	}
	r := decode[struct {
		Topics []topic `json:"topics"`
	}](t, rec)
	want := []topic{
		{"self-sufficiency", "Självförsörjning", "Self-sufficiency", []string{"självförsörjning", "food security"}, 2, 15},
		{"bioenergy", "Bioenergi", "Bioenergy", []string{}, 0, 0},
	}
	if !reflect.DeepEqual(r.Topics, want) {
		t.Errorf("topics = %+v, want %+v", r.Topics, want)
	}
}

type topicClustersResp struct {
	Topic struct {
		ID      string `json:"id"`
		LabelSV string `json:"label_sv"`
		LabelEN string `json:"label_en"`
	} `json:"topic"`
	Total    int `json:"total"`
	Clusters []struct {
		ID            string         `json:"id"`
		Name          string         `json:"name"`
		County        string         `json:"county"`
		Weight        float64        `json:"weight"`
		Evidence      []evidenceResp `json:"evidence"`
		EvidenceTotal int            `json:"evidence_total"`
	} `json:"clusters"`
}

func TestTopicClusters(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "/api/v1/topics/self-sufficiency/clusters")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	r := decode[topicClustersResp](t, rec)
	if r.Topic.ID != "self-sufficiency" || r.Topic.LabelSV != "Självförsörjning" || r.Total != 2 {
		t.Errorf("topic, total = %+v, %d", r.Topic, r.Total)
	}
	if len(r.Clusters) != 2 || r.Clusters[0].ID != "fjallmat" || r.Clusters[1].ID != "slattbygd" {
		t.Fatalf("clusters not in the graph's order: %+v", r.Clusters)
	}
	c := r.Clusters[0]
	if c.Name != "Fjällmat Kluster" || c.County != "Jämtlands län" || c.Weight != 7.5 || len(c.Evidence) != 10 || c.EvidenceTotal != 12 {
		t.Errorf("cluster 0 = %+v (evidence %d)", c, len(c.Evidence))
	}
	if c.Evidence[0].URL != "https://fjallmat.example/sida-00" || c.Evidence[0].Kind != "project" {
		t.Errorf("evidence order changed: %+v", c.Evidence[0])
	}
	if n := len(r.Clusters[1].Evidence); n != 1 || r.Clusters[1].EvidenceTotal != 1 {
		t.Errorf("cluster 1 evidence = %d of %d", n, r.Clusters[1].EvidenceTotal)
	}

	r = decode[topicClustersResp](t, f.Do(t, "GET", "/api/v1/topics/self-sufficiency/clusters?limit=1"))
	if len(r.Clusters) != 1 || r.Clusters[0].ID != "fjallmat" || r.Total != 2 {
		t.Errorf("limit=1: %d clusters, total %d", len(r.Clusters), r.Total)
	}
	rec = f.Do(t, "GET", "/api/v1/topics/bioenergy/clusters")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"clusters":[]`) {
		t.Errorf("topic without clusters: %d %s", rec.Code, rec.Body)
	}
}

func TestTopicClustersErrors(t *testing.T) {
	tests := []struct {
		target string
		status int
		code   string
		msg    string
	}{
		{"/api/v1/topics/nope/clusters", 404, kg.ENOTFOUND, `topic "nope" not found`},
		{"/api/v1/topics/self-sufficiency/clusters?limit=many", 400, kg.EINVALID, "limit must be an integer"},
		{"/api/v1/topics/self-sufficiency/clusters?limit=0", 400, kg.EINVALID, "limit must be between 1 and 1000"},
		{"/api/v1/topics/self-sufficiency/clusters?limit=1001", 400, kg.EINVALID, "limit must be between 1 and 1000"},
		{"/api/v1/topics/self-sufficiency/clusters?top=3", 400, kg.EINVALID, `unknown query parameter "top"`},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			wantError(t, newFixture(t).Do(t, "GET", tt.target), tt.status, tt.code, tt.msg)
		})
	}
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "/healthz")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	r := decode[map[string]any](t, rec)
	if r["status"] != "ok" || r["version"] != "v0.test" || r["nodes"] != float64(21) || r["documents"] != float64(17) {
		t.Errorf("healthz = %v", r)
	}

	tests := []struct {
		name string
		fail func(f *fixture)
		part string
	}{
		{"graph", func(f *fixture) {
			f.Graph.StatsFn = func(context.Context) (kg.GraphStats, error) {
				return kg.GraphStats{}, errors.New("bolt: connection refused")
			}
		}, "graph"},
		{"index", func(f *fixture) {
			f.Index.CountFn = func(context.Context) (uint64, error) { return 0, errors.New("index closed") }
		}, "index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.fail(f)
			rec := f.Do(t, "GET", "/healthz")
			wantError(t, rec, http.StatusServiceUnavailable, kg.EUNAVAIL, "The "+tt.part+" is unavailable.")
			if strings.Contains(rec.Body.String(), "refused") || strings.Contains(rec.Body.String(), "closed") {
				t.Errorf("cause leaked: %s", rec.Body)
			}
		})
	}
}

func TestHealthzHasDeadline(t *testing.T) {
	f := newFixture(t)
	f.Graph.StatsFn = func(ctx context.Context) (kg.GraphStats, error) {
		if _, ok := ctx.Deadline(); !ok {
			return kg.GraphStats{}, errors.New("no deadline")
		}
		return kg.GraphStats{}, nil
	}
	if rec := f.Do(t, "GET", "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("status = %d; body %s", rec.Code, rec.Body)
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	f := newFixture(t)
	h := f.MustHandler(t)
	wantError(t, do(t, h, "GET", "/api/v1/nothing"), 404, kg.ENOTFOUND, "no route GET /api/v1/nothing")
	wantError(t, do(t, h, "GET", "/api/v2/clusters"), 404, kg.ENOTFOUND, "no route")

	rec := do(t, h, "POST", "/api/v1/clusters")
	wantError(t, rec, http.StatusMethodNotAllowed, "method_not_allowed", "method POST is not allowed on /api/v1/clusters")
	if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") || strings.Contains(allow, "POST") {
		t.Errorf("Allow = %q, want GET and HEAD", allow)
	}
	wantError(t, do(t, h, "DELETE", "/api/v1/topics/x/clusters"), http.StatusMethodNotAllowed, "method_not_allowed", "DELETE")
}
