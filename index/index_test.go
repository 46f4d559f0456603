package index_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// fixtureDoc is a document of testdata/docs.json.
type fixtureDoc struct {
	ID       string    `json:"id"`
	URL      string    `json:"url"`
	Host     string    `json:"host"`
	Title    string    `json:"title"`
	Text     string    `json:"text"`
	Lang     string    `json:"lang"`
	Kind     string    `json:"kind"`
	Date     time.Time `json:"date"`
	Clusters []string  `json:"clusters"`
	Counties []string  `json:"counties"`
	Topics   []string  `json:"topics"`
}

// MustLoadDocs reads testdata/docs.json.
func MustLoadDocs(tb testing.TB) []kg.IndexDoc {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "docs.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var fs []fixtureDoc
	if err := json.Unmarshal(b, &fs); err != nil {
		tb.Fatalf("parsing docs.json: %v", err)
	}
	docs := make([]kg.IndexDoc, len(fs))
	for i, f := range fs {
		d := kg.IndexDoc{
			Document: kg.Document{
				ID: f.ID, URL: f.URL, Host: f.Host, Title: f.Title, Text: f.Text,
				Lang: f.Lang, Kind: f.Kind, Date: f.Date, Clusters: f.Clusters,
			},
			Counties: f.Counties,
		}
		for _, t := range f.Topics {
			d.Topics = append(d.Topics, kg.TopicMatch{TopicID: t, Term: t, Count: 1})
		}
		docs[i] = d
	}
	return docs
}

// MustOpenMem returns an in-memory index holding the fixture documents,
// closed when the test ends.
func MustOpenMem(tb testing.TB) *index.Index {
	tb.Helper()
	ix, err := index.OpenMem()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := ix.Close(); err != nil {
			tb.Error(err)
		}
	})
	if err := ix.Index(context.Background(), MustLoadDocs(tb)); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// MustSearch runs req and fails the test on error.
func MustSearch(tb testing.TB, ix *index.Index, req kg.SearchRequest) kg.SearchResult {
	tb.Helper()
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		tb.Fatalf("Search(%+v): %v", req, err)
	}
	return res
}

func ids(hits []kg.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestSearches runs the cases of testdata/searches.json: each names a
// request, the exact set of documents it must find and, optionally, the
// document that must rank first.
func TestSearches(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "searches.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name    string           `json:"name"`
		Request kg.SearchRequest `json:"request"`
		Want    []string         `json:"want"`
		First   string           `json:"first"`
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("parsing searches.json: %v", err)
	}
	if len(cases) == 0 {
		t.Fatal("no cases in searches.json")
	}
	ix := MustOpenMem(t)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			req := tc.Request
			req.Size = kg.MaxPageSize
			res := MustSearch(t, ix, req)
			got := ids(res.Hits)
			if !slices.Equal(sorted(got), sorted(tc.Want)) {
				t.Errorf("Search(%+v) = %q, want %q", tc.Request, got, tc.Want)
			}
			if res.Total != uint64(len(tc.Want)) {
				t.Errorf("Total = %d, want %d", res.Total, len(tc.Want))
			}
			if tc.First != "" && (len(got) == 0 || got[0] != tc.First) {
				t.Errorf("first hit = %q, want %q", got, tc.First)
			}
		})
	}
}

func TestSearchHitFields(t *testing.T) {
	ix := MustOpenMem(t)
	res := MustSearch(t, ix, kg.SearchRequest{Query: "vara"})
	if len(res.Hits) != 1 {
		t.Fatalf("got %d hits, want 1", len(res.Hits))
	}
	h := res.Hits[0]
	want := kg.Hit{
		ID:       "doc:https://agrosormland.example/projekt/gardsbutik",
		URL:      "https://agrosormland.example/projekt/gardsbutik",
		Title:    "Från gård till butik",
		Clusters: []string{"agro-sormland", "vreta-kluster"},
		Kind:     "project",
		Lang:     "sv",
		Date:     time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC),
	}
	if h.ID != want.ID || h.URL != want.URL || h.Title != want.Title || h.Kind != want.Kind ||
		h.Lang != want.Lang || !h.Date.Equal(want.Date) || !slices.Equal(h.Clusters, want.Clusters) {
		t.Errorf("hit = %+v, want %+v", h, want)
	}
	if h.Score <= 0 {
		t.Errorf("Score = %v, want > 0", h.Score)
	}
	if !strings.Contains(h.Snippet, "<mark>vara</mark>") {
		t.Errorf("Snippet = %q, want the word marked", h.Snippet)
	}

	// An English document's title comes from its English field, and a
	// single cluster is still a list.
	res = MustSearch(t, ix, kg.SearchRequest{Query: "horticulture"})
	if len(res.Hits) != 1 || res.Hits[0].Title != "About Gotland Green Centre" ||
		!slices.Equal(res.Hits[0].Clusters, []string{"gotland-gront-centrum"}) || res.Hits[0].Lang != "en" {
		t.Errorf("hits = %+v", res.Hits)
	}
}

func TestSearchFacets(t *testing.T) {
	ix := MustOpenMem(t)
	tests := []struct {
		name string
		req  kg.SearchRequest
		want map[string]map[string]int
	}{
		{
			name: "all documents",
			req:  kg.SearchRequest{},
			want: map[string]map[string]int{
				"cluster": {"vreta-kluster": 4, "agro-orebro": 3, "agro-sormland": 2, "froda": 2, "gotland-gront-centrum": 2, "krinova": 2},
				"kind":    {"news": 4, "about": 2, "project": 2, "contact": 1, "event": 1, "other": 1, "report": 1},
				"lang":    {"sv": 10, "en": 2},
				"county":  {"Östergötlands län": 4, "Örebro län": 3, "Dalarnas län": 2, "Gotlands län": 2, "Skåne län": 2, "Södermanlands län": 2},
				"year":    {"2024": 6, "2023": 2, "2021": 1, "2022": 1, "2025": 1},
				"topic": {
					"business-models": 3, "crisis-preparedness": 4, "networking-exchange": 3,
					"food-processing": 2, "horticulture": 2, "self-sufficiency": 2,
					"bioenergy": 1, "capital-supply": 1, "climate-environment": 1, "crop-production": 1,
					"food-strategy": 1, "forestry": 1, "rural-development": 1,
				},
			},
		},
		{
			name: "filtered",
			req:  kg.SearchRequest{Kind: kg.KindNews},
			want: map[string]map[string]int{
				"cluster": {"agro-orebro": 1, "gotland-gront-centrum": 1, "krinova": 1, "vreta-kluster": 1},
				"kind":    {"news": 4},
				"lang":    {"sv": 3, "en": 1},
				"county":  {"Gotlands län": 1, "Skåne län": 1, "Örebro län": 1, "Östergötlands län": 1},
				"year":    {"2024": 4},
				"topic":   {"crisis-preparedness": 2, "climate-environment": 1, "food-strategy": 1, "horticulture": 1, "networking-exchange": 1, "self-sufficiency": 1},
			},
		},
		{
			name: "no hits",
			req:  kg.SearchRequest{Query: "xyzzy"},
			want: map[string]map[string]int{"cluster": {}, "kind": {}, "lang": {}, "county": {}, "topic": {}, "year": {}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := MustSearch(t, ix, tt.req)
			if len(res.Facets) != len(tt.want) {
				t.Errorf("facets %v, want keys of %v", res.Facets, tt.want)
			}
			for name, want := range tt.want {
				got, ok := res.Facets[name]
				if !ok || got == nil {
					t.Errorf("facet %q missing", name)
					continue
				}
				// Counts sort descending, ties by value.
				wantSorted := []kg.FacetCount{}
				for v, n := range want {
					wantSorted = append(wantSorted, kg.FacetCount{Value: v, Count: n})
				}
				slices.SortFunc(wantSorted, func(a, b kg.FacetCount) int {
					if a.Count != b.Count {
						return b.Count - a.Count
					}
					return strings.Compare(a.Value, b.Value)
				})
				if !slices.Equal(got, wantSorted) {
					t.Errorf("facet %q = %v, want %v", name, got, wantSorted)
				}
			}
		})
	}
}

func TestSearchFacetsAreCapped(t *testing.T) {
	ix, err := index.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var docs []kg.IndexDoc
	for i := range 30 {
		c := string(rune('a'+i%26)) + string(rune('a'+i/26))
		docs = append(docs, kg.IndexDoc{Document: kg.Document{
			ID: "doc:" + c, URL: "https://x.example/" + c, Title: "t", Text: "t", Lang: "sv", Kind: kg.KindNews,
			Clusters: []string{"cluster-" + c},
		}})
	}
	if err := ix.Index(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	res := MustSearch(t, ix, kg.SearchRequest{})
	if got := len(res.Facets["cluster"]); got != 20 {
		t.Errorf("cluster facet has %d values, want 20", got)
	}
	if got := res.Facets["kind"]; !slices.Equal(got, []kg.FacetCount{{Value: kg.KindNews, Count: 30}}) {
		t.Errorf("kind facet = %v", got)
	}
}

func TestSearchOrderAndPagination(t *testing.T) {
	ix := MustOpenMem(t)
	// With equal scores, newest first, undated last, ties by id.
	want := []string{
		"doc:https://agrosormland.example/kalender/faltdag-varkorn",      // 2025-04-14
		"doc:https://agroorebro.example/nyheter/spannmal-i-reserv",       // 2024-09-03
		"doc:https://gotlandgront.example/nyheter/vattenbrist",           // 2024-07-01
		"doc:https://krinova.example/en/news/food-security",              // 2024-05-02
		"doc:https://agroorebro.example/om-natverket",                    // 2024-02-15
		"doc:https://vretakluster.example/nyheter/regional-plan-for-mat", // 2024-02-15
		"doc:https://agrosormland.example/projekt/gardsbutik",            // 2024-01-08
		"doc:https://agroorebro.example/projekt/lokal-mat",               // 2023-11-20
		"doc:https://vretakluster.example/om-oss",                        // 2023-05-10
		"doc:https://frodakluster.example/rapporter/skog",                // 2022-06-30
		"doc:https://gotlandgront.example/en/about",                      // 2021-03-01
		"doc:https://frodakluster.example/kontakt",                       // no date
	}
	all := MustSearch(t, ix, kg.SearchRequest{Size: kg.MaxPageSize})
	if got := ids(all.Hits); !slices.Equal(got, want) {
		t.Errorf("match-all order:\n got %q\nwant %q", got, want)
	}

	for _, q := range []string{"", "kluster", "mat lantbrukare skog"} {
		t.Run("q="+q, func(t *testing.T) {
			full := ids(MustSearch(t, ix, kg.SearchRequest{Query: q, Size: kg.MaxPageSize}).Hits)
			if len(full) < 4 {
				t.Fatalf("query %q finds %d documents; too few to page", q, len(full))
			}
			var paged []string
			for page := 1; ; page++ {
				res := MustSearch(t, ix, kg.SearchRequest{Query: q, Page: page, Size: 3})
				if res.Total != uint64(len(full)) {
					t.Errorf("page %d: Total = %d, want %d", page, res.Total, len(full))
				}
				if len(res.Hits) == 0 {
					break
				}
				again := MustSearch(t, ix, kg.SearchRequest{Query: q, Page: page, Size: 3})
				if !slices.Equal(ids(again.Hits), ids(res.Hits)) {
					t.Errorf("page %d differs between runs: %q, %q", page, ids(res.Hits), ids(again.Hits))
				}
				paged = append(paged, ids(res.Hits)...)
			}
			// Pages are disjoint and together give the full list in order.
			if !slices.Equal(paged, full) {
				t.Errorf("pages joined:\n got %q\nwant %q", paged, full)
			}
		})
	}
}

func TestSnippet(t *testing.T) {
	ix := MustOpenMem(t)
	check := func(t *testing.T, snippet string) {
		t.Helper()
		for _, want := range []string{"R&amp;D", "&lt;script&gt;"} {
			if !strings.Contains(snippet, want) {
				t.Errorf("snippet %q lacks %q", snippet, want)
			}
		}
		rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(snippet)
		if strings.ContainsAny(rest, "<>") {
			t.Errorf("snippet %q has markup other than <mark>", snippet)
		}
	}
	t.Run("highlighted", func(t *testing.T) {
		res := MustSearch(t, ix, kg.SearchRequest{Query: "skogsnäringen"})
		if len(res.Hits) != 1 {
			t.Fatalf("hits = %q, want the report", ids(res.Hits))
		}
		s := res.Hits[0].Snippet
		check(t, s)
		if !strings.Contains(s, "<mark>skogsnäringen</mark>") {
			t.Errorf("snippet %q lacks the marked match", s)
		}
	})
	t.Run("match all", func(t *testing.T) {
		res := MustSearch(t, ix, kg.SearchRequest{Kind: kg.KindReport})
		if len(res.Hits) != 1 {
			t.Fatalf("hits = %q, want the report", ids(res.Hits))
		}
		s := res.Hits[0].Snippet
		check(t, s)
		if strings.Contains(s, "<mark>") {
			t.Errorf("match-all snippet %q has marks", s)
		}
		if !strings.HasPrefix(s, "Rapporten om R&amp;D") || !strings.HasSuffix(s, "…") {
			t.Errorf("snippet %q is not the cut start of the text", s)
		}
	})
}

func TestSearchBadSyntax(t *testing.T) {
	ix := MustOpenMem(t)
	for _, q := range []string{
		`"unbalanced`, `+-:`, `title:(`, `title:`, `(((`, `)`, `a AND`, `\`, `^`, `"`, `~`,
		`/[/`, `text:/(/`, `foo~9`, `*`, `?`, `county:>5`, `date:>"2020-01-01"`, `2024`,
		`kluster^100`, `kluster^-1`, `-kluster`, `+`, `-`, `:`, `::x`, `title:"` + strings.Repeat("a", 400),
	} {
		t.Run(q, func(t *testing.T) {
			if _, err := ix.Search(context.Background(), kg.SearchRequest{Query: q}); err != nil {
				t.Errorf("Search(%q): %v", q, err)
			}
		})
	}
}

func TestSearchValidate(t *testing.T) {
	ix := MustOpenMem(t)
	for _, req := range []kg.SearchRequest{
		{Page: -1},
		{Page: 1001},
		{Size: -1},
		{Size: kg.MaxPageSize + 1},
		{Kind: "blog"},
		{Lang: "de"},
		{Query: strings.Repeat("a", kg.MaxQueryLength+1)},
	} {
		_, err := ix.Search(context.Background(), req)
		if code := kg.ErrorCode(err); code != kg.EINVALID {
			t.Errorf("Search(%+v) = %v, want code %q", req, err, kg.EINVALID)
		}
	}
}

func TestContextCanceled(t *testing.T) {
	ix := MustOpenMem(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, kg.SearchRequest{Query: "kluster"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Search: %v, want context.Canceled", err)
	}
	if err := ix.Index(ctx, MustLoadDocs(t)[:1]); !errors.Is(err, context.Canceled) {
		t.Errorf("Index: %v, want context.Canceled", err)
	}
	if err := ix.Delete(ctx, []string{"x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete: %v, want context.Canceled", err)
	}
	if _, err := ix.Count(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Count: %v, want context.Canceled", err)
	}
}

func TestIndexReplaceAndDelete(t *testing.T) {
	ctx := context.Background()
	ix := MustOpenMem(t)
	docs := MustLoadDocs(t)
	mustCount := func(want uint64) {
		t.Helper()
		n, err := ix.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("Count = %d, want %d", n, want)
		}
	}
	mustCount(uint64(len(docs)))

	// Re-indexing replaces: same count, new text searchable, old text gone.
	d := docs[2]
	d.Text = "Nu handlar sidan om potatis."
	if err := ix.Index(ctx, []kg.IndexDoc{d}); err != nil {
		t.Fatal(err)
	}
	mustCount(uint64(len(docs)))
	if got := ids(MustSearch(t, ix, kg.SearchRequest{Query: "potatis"}).Hits); !slices.Equal(got, []string{d.ID}) {
		t.Errorf("after replace, potatis finds %q", got)
	}
	if got := ids(MustSearch(t, ix, kg.SearchRequest{Query: "beredskapslager"}).Hits); len(got) != 0 {
		t.Errorf("after replace, old text still finds %q", got)
	}

	// A document without id is keyed by its URL.
	if err := ix.Index(ctx, []kg.IndexDoc{{Document: kg.Document{URL: "https://x.example/a", Title: "Rovor", Lang: "sv"}}}); err != nil {
		t.Fatal(err)
	}
	if got := ids(MustSearch(t, ix, kg.SearchRequest{Query: "rovor"}).Hits); !slices.Equal(got, []string{kg.DocumentID("https://x.example/a")}) {
		t.Errorf("rovor finds %q", got)
	}
	err := ix.Index(ctx, []kg.IndexDoc{docs[0], {Document: kg.Document{Title: "utan adress"}}})
	if kg.ErrorCode(err) != kg.EINVALID {
		t.Errorf("Index without id and url: %v, want %s", err, kg.EINVALID)
	}
	mustCount(uint64(len(docs)) + 1)

	if err := ix.Delete(ctx, []string{docs[0].ID, docs[1].ID, "doc:unknown", kg.DocumentID("https://x.example/a")}); err != nil {
		t.Fatal(err)
	}
	mustCount(uint64(len(docs)) - 2)
	if got := ids(MustSearch(t, ix, kg.SearchRequest{Query: "strategin"}).Hits); slices.Contains(got, docs[1].ID) {
		t.Errorf("deleted document still found: %q", got)
	}
	if err := ix.Delete(ctx, nil); err != nil {
		t.Errorf("Delete(nil): %v", err)
	}
	if err := ix.Index(ctx, nil); err != nil {
		t.Errorf("Index(nil): %v", err)
	}
}

func TestOpenReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index")
	ix, err := index.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	docs := MustLoadDocs(t)
	if err := ix.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = index.Open(path)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	defer ix.Close()
	n, err := ix.Count(ctx)
	if err != nil || n != uint64(len(docs)) {
		t.Errorf("Count after reopen = %d, %v; want %d", n, err, len(docs))
	}
	// The custom Swedish analysis survives the reopen.
	for q, want := range map[string]string{
		"strategi":        "doc:https://vretakluster.example/nyheter/regional-plan-for-mat",
		"så":              "doc:https://agrosormland.example/kalender/faltdag-varkorn",
		"beredskapslager": "doc:https://agroorebro.example/nyheter/spannmal-i-reserv",
	} {
		res := MustSearch(t, ix, kg.SearchRequest{Query: q, Lang: "sv"})
		if got := ids(res.Hits); len(got) == 0 || got[0] != want {
			t.Errorf("after reopen, %q finds %q, want %q first", q, got, want)
		}
	}
}

func TestOpenEmptyDir(t *testing.T) {
	dir := t.TempDir() // exists and is empty
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatalf("Open(empty directory): %v", err)
	}
	defer ix.Close()
	if err := ix.Index(context.Background(), MustLoadDocs(t)[:2]); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Count(context.Background()); err != nil || n != 2 {
		t.Errorf("Count = %d, %v; want 2", n, err)
	}
}

// TestNeedsRefill checks that an index created on disk asks to be filled
// until it is marked filled, across reopening, and that one opened
// again after that does not.
func TestNeedsRefill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index")
	needs := func(ix *index.Index) bool {
		t.Helper()
		v, err := ix.NeedsRefill(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	reopen := func(ix *index.Index) *index.Index {
		t.Helper()
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		ix, err := index.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	ix, err := index.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if !needs(ix) {
		t.Error("a created index does not ask to be filled")
	}
	ix = reopen(ix)
	if !needs(ix) {
		t.Error("a reopened index that was never filled does not ask to be filled")
	}
	if err := ix.MarkFilled(ctx); err != nil {
		t.Fatal(err)
	}
	ix = reopen(ix)
	defer ix.Close()
	if needs(ix) {
		t.Error("a filled index asks to be filled again")
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()

	// An index not written by this package is refused.
	foreign := filepath.Join(dir, "foreign")
	b, err := bleve.New(foreign, bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Open(foreign); !errors.Is(err, index.ErrIncompatible) {
		t.Errorf("Open(foreign index) = %v, want ErrIncompatible", err)
	}

	// A file where the index should be.
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Open(file); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("Open(file) = %v, want an error naming the path", err)
	}

	// A directory that holds something else.
	other := filepath.Join(dir, "other")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Open(other); err == nil || !strings.Contains(err.Error(), other) {
		t.Errorf("Open(non-empty directory) = %v, want an error naming the path", err)
	}

	if _, err := index.Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
}

func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	ix := MustOpenMem(t)
	docs := MustLoadDocs(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 10 {
		wg.Go(func() {
			errs <- ix.Index(ctx, docs[i%len(docs):i%len(docs)+1])
		})
		wg.Go(func() {
			_, err := ix.Search(ctx, kg.SearchRequest{Query: "kluster"})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n, err := ix.Count(ctx); err != nil || n != uint64(len(docs)) {
		t.Errorf("Count = %d, %v; want %d", n, err, len(docs))
	}
}

// TestSearchTiesAcrossTheWindow checks that of many hits with equal
// scores, more than the ranked window holds, the newest come first.
func TestSearchTiesAcrossTheWindow(t *testing.T) {
	ix, err := index.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	const n = 260
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]kg.IndexDoc, n)
	for i := range docs {
		// The newest documents get the largest ids, so that index
		// order and date order disagree.
		docs[i] = kg.IndexDoc{Document: kg.Document{
			ID:    fmt.Sprintf("doc:%03d", i),
			URL:   fmt.Sprintf("https://kluster.example/nyheter/%03d", i),
			Title: "Fältdag", Text: "Fältdag om vårkorn på gården.", Lang: "sv", Kind: kg.KindOther,
			Date: start.AddDate(0, 0, i),
		}}
	}
	if err := ix.Index(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	res := MustSearch(t, ix, kg.SearchRequest{Query: "vårkorn", Size: 5})
	want := []string{"doc:259", "doc:258", "doc:257", "doc:256", "doc:255"}
	if got := ids(res.Hits); !slices.Equal(got, want) {
		t.Errorf("hits %q, want the newest %q", got, want)
	}
	if res.Total != n {
		t.Errorf("Total = %d, want %d", res.Total, n)
	}
	if got := res.Facets["kind"]; !slices.Equal(got, []kg.FacetCount{{Value: kg.KindOther, Count: n}}) {
		t.Errorf("kind facet = %v", got)
	}
}
