package index_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// featureTopics is a small vocabulary in both languages.
var featureTopics = []kg.Topic{
	{ID: "self-sufficiency", SV: "Självförsörjning", EN: "Self-sufficiency", Terms: []string{"självförsörjning", "livsmedelsförsörjning", "food security"}},
	{ID: "capital-supply", SV: "Kapitalförsörjning", EN: "Capital supply", Terms: []string{"kapitalförsörjning", "finansiering", "financing", "funding"}},
}

const release = "Länsstyrelsen och klustret startar ett projekt om lokal mat. Under tre år ska gårdar, mejerier och butiker " +
	"pröva nya sätt att sälja närproducerat, och projektet bjuder in till träffar i hela länet där odlare och förädlare " +
	"möts. Målet är fler lokala varor i butikerna och i skolornas kök, och att fler unga ska vilja driva gård."

var featureDocs = []kg.IndexDoc{
	doc("sv-strategi", "Regionen antar en plan", "Fullmäktige antog i går livsmedelsstrategin för länet.", "sv", kg.KindNews, "2024-03-01"),
	doc("sv-lager", "Spannmål i reserv", "Klustret utreder beredskapslager för spannmål på gårdarna.", "sv", kg.KindProject, "2023-06-01"),
	doc("sv-grad", "Öka självförsörjningsgraden", "Självförsörjningsgraden för livsmedel ska öka i Östergötland.", "sv", kg.KindReport, "2022-01-10"),
	doc("sv-lager-gammal", "Lager", "Ett gammalt lager på gården säljs.", "sv", kg.KindOther, ""),
	doc("en-finance", "Financing for farm start-ups", "A new fund offers financing and funding to young farmers.", "en", kg.KindNews, "2025-01-15"),
	doc("pr-a", "Nytt projekt om lokal mat", release, "sv", kg.KindNews, "2024-05-02"),
	doc("pr-b", "Nytt projekt om lokal mat", release+" Publicerad även hos partnern.", "sv", kg.KindNews, "2024-05-03"),
	func() kg.IndexDoc {
		d := doc("people", "Kontakt", "Här finns våra medarbetare.", "sv", kg.KindContact, "")
		d.People = []kg.Person{{Name: "Ylva Rönnqvist", Role: "projektledare"}}
		d.Projects = []kg.Project{{Name: "Smart bevattning"}}
		return d
	}(),
}

func doc(id, title, text, lang, kind, date string) kg.IndexDoc {
	d := kg.IndexDoc{Document: kg.Document{
		ID: "doc:" + id, URL: "https://" + id + ".example/", Title: title, Text: text, Lang: lang, Kind: kind,
	}}
	if date != "" {
		d.Date, _ = time.Parse(time.DateOnly, date)
	}
	if strings.Contains(text, "ivsmedel") || strings.Contains(text, "jälvförsörjning") {
		d.Topics = []kg.TopicMatch{{TopicID: "self-sufficiency"}}
	}
	if strings.Contains(text, "inancing") {
		d.Topics = []kg.TopicMatch{{TopicID: "capital-supply"}}
	}
	return d
}

func mustFeatureIndex(t *testing.T) *index.Index {
	t.Helper()
	ix, err := index.OpenMem(index.WithTopics(featureTopics),
		index.WithClock(func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Index(context.Background(), featureDocs); err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestSearchCompoundsAndLanguages(t *testing.T) {
	ix := mustFeatureIndex(t)
	tests := []struct {
		name, query string
		first       string   // must rank first
		has         []string // must be among the hits
		not         []string // must not be among the hits
	}{
		{"compound head", "livsmedel", "", []string{"doc:sv-strategi", "doc:sv-grad"}, nil},
		{"compound tail", "strategi", "doc:sv-strategi", nil, nil},
		{"compound modifier", "beredskap", "doc:sv-lager", nil, nil},
		{"inner compound", "självförsörjning", "doc:sv-grad", nil, nil},
		{"compound needs all its parts", "beredskapslager", "doc:sv-lager", nil, []string{"doc:sv-lager-gammal"}},
		{"English finds Swedish", "self-sufficiency", "", []string{"doc:sv-grad"}, nil},
		{"Swedish finds English", "kapitalförsörjning", "doc:en-finance", nil, nil},
		{"typo", "självförsörjnig", "doc:sv-grad", nil, nil},
		{"missing linking letter", "livsmedelstrategi", "doc:sv-strategi", nil, nil},
		{"person name", "Rönnqvist", "doc:people", nil, nil},
		{"project name", "smart bevattning", "doc:people", nil, nil},
		{"exclude", "lager -spannmål", "doc:sv-lager-gammal", nil, []string{"doc:sv-lager"}},
		{"phrase", `"lokal mat"`, "doc:pr-a", nil, []string{"doc:pr-b"}}, // pr-b is collapsed into pr-a
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(MustSearch(t, ix, kg.SearchRequest{Query: tt.query, Size: kg.MaxPageSize}).Hits)
			if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
				t.Errorf("%q finds %q, want %q first", tt.query, got, tt.first)
			}
			for _, id := range tt.has {
				if !slices.Contains(got, id) {
					t.Errorf("%q finds %q, want %q among them", tt.query, got, id)
				}
			}
			for _, id := range tt.not {
				if slices.Contains(got, id) {
					t.Errorf("%q finds %q, want no %q", tt.query, got, id)
				}
			}
		})
	}
}

func TestSearchExpansionWeighsLess(t *testing.T) {
	ix := mustFeatureIndex(t)
	// A document with the user's own word ranks above one found only
	// through the topic's other terms.
	got := ids(MustSearch(t, ix, kg.SearchRequest{Query: "finansiering livsmedelsförsörjning"}).Hits)
	if len(got) == 0 || got[0] == "doc:en-finance" && !slices.Contains(got, "doc:sv-grad") {
		t.Errorf("hits %q", got)
	}
	res := MustSearch(t, ix, kg.SearchRequest{Query: "självförsörjning"})
	for _, h := range res.Hits[1:] {
		if h.Score >= res.Hits[0].Score {
			t.Errorf("hit %s scores %v, not below the direct match %v", h.ID, h.Score, res.Hits[0].Score)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	ix := mustFeatureIndex(t)
	for q, want := range map[string]string{
		"självförsörjnig": "självförsörjning",
		"Spannmål":        "",
		"strategi":        "",
		"xq":              "",
	} {
		if got := MustSearch(t, ix, kg.SearchRequest{Query: q}).DidYouMean; got != want {
			t.Errorf("DidYouMean(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestSearchHighlightInCompound(t *testing.T) {
	ix := mustFeatureIndex(t)
	res := MustSearch(t, ix, kg.SearchRequest{Query: "självförsörjning"})
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	if s := res.Hits[0].Snippet; !strings.Contains(s, "<mark>Självförsörjningsgraden</mark> för") {
		t.Errorf("snippet %q does not mark the compound", s)
	}
}

func TestSearchNearDuplicatesCollapse(t *testing.T) {
	ix := mustFeatureIndex(t)
	res := MustSearch(t, ix, kg.SearchRequest{Query: "lokal mat"})
	var n int
	for _, h := range res.Hits {
		if h.ID == "doc:pr-a" || h.ID == "doc:pr-b" {
			n++
			if len(h.AlsoOn) != 1 {
				t.Errorf("hit %s AlsoOn = %q, want the other copy", h.ID, h.AlsoOn)
			}
		}
	}
	if n != 1 {
		t.Errorf("press release shown %d times, want once: %q", n, ids(res.Hits))
	}
	if res.Total != uint64(len(res.Hits)) {
		t.Errorf("Total = %d with %d hits on one page", res.Total, len(res.Hits))
	}
}

func TestSearchDateFiltersAndSort(t *testing.T) {
	ix := mustFeatureIndex(t)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		name string
		req  kg.SearchRequest
		want []string
	}{
		{"year", kg.SearchRequest{Year: 2023}, []string{"doc:sv-lager"}},
		{"range", kg.SearchRequest{From: day("2024-03-01"), To: day("2024-05-02")}, []string{"doc:pr-a", "doc:sv-strategi"}},
		{"open end", kg.SearchRequest{From: day("2025-01-01")}, []string{"doc:en-finance"}},
		{"sort by date", kg.SearchRequest{Query: "livsmedel", Sort: kg.SortDate}, []string{"doc:sv-strategi", "doc:sv-grad"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(MustSearch(t, ix, tt.req).Hits)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%+v) = %q, want %q", tt.req, got, tt.want)
			}
		})
	}
	res := MustSearch(t, ix, kg.SearchRequest{})
	var years []string
	for _, fc := range res.Facets["year"] {
		years = append(years, fc.Value)
	}
	if !slices.Equal(years, []string{"2024", "2022", "2023", "2025"}) {
		t.Errorf("year facet = %v", res.Facets["year"])
	}
	for _, req := range []kg.SearchRequest{{Sort: "random"}, {Year: 12}, {From: day("2024-02-01"), To: day("2024-01-01")}} {
		if _, err := ix.Search(context.Background(), req); kg.ErrorCode(err) != kg.EINVALID {
			t.Errorf("Search(%+v) = %v, want EINVALID", req, err)
		}
	}
}

func TestSearchFreshness(t *testing.T) {
	ctx := context.Background()
	ix, err := index.OpenMem(index.WithClock(func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	err = ix.Index(ctx, []kg.IndexDoc{
		doc("old", "Fältdag", "Fältdag om potatis.", "sv", kg.KindEvent, "2019-05-01"),
		doc("new", "Fältdag", "Fältdag om potatis.", "sv", kg.KindEvent, "2025-05-01"),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(MustSearch(t, ix, kg.SearchRequest{Query: "potatis"}).Hits)
	if !slices.Equal(got, []string{"doc:new", "doc:old"}) {
		t.Errorf("hits %q, want the fresh event first", got)
	}
}

// A quoted phrase is what the user asked for most precisely: a page with
// the phrase and one other word ranks above a page full of the other word.
func TestQuotedPhraseOutweighsWords(t *testing.T) {
	ix, err := index.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	docs := []kg.IndexDoc{
		doc("mat", "Mat från länet", "Mat och mer mat: maten från länets gårdar säljs på torget, och mat lagas i skolorna av lokala råvaror.", "sv", kg.KindNews, "2024-01-01"),
		doc("park", "Nytt centrum öppnar", "En science park för livsmedelsföretag öppnar i kommunen, med mat och förpackningar i fokus.", "sv", kg.KindNews, "2024-01-01"),
	}
	if err := ix.Index(t.Context(), docs); err != nil {
		t.Fatal(err)
	}
	got := ids(MustSearch(t, ix, kg.SearchRequest{Query: `"science park" mat`, Size: 10}).Hits)
	if len(got) != 2 || got[0] != "doc:park" {
		t.Errorf(`"science park" mat finds %q, want doc:park first of both`, got)
	}
}

// TestDidYouMeanPrefersFrequentWords checks, on an index in memory and
// one on disk alike, that of two words equally near a misspelling the
// one more documents hold is suggested, and that no word with another
// first letter is.
func TestDidYouMeanPrefersFrequentWords(t *testing.T) {
	docs := []kg.IndexDoc{
		doc("a", "Bevattning på gården", "Bevattning av potatis.", "sv", kg.KindNews, ""),
		doc("b", "Ny bevattning", "Bevattning i torka.", "sv", kg.KindNews, ""),
		doc("c", "Bevakning", "Bevakning av marknaden.", "sv", kg.KindNews, ""),
		doc("d", "Värmland", "Mat från Värmland.", "sv", kg.KindNews, ""),
	}
	open := map[string]func() (*index.Index, error){
		"memory": func() (*index.Index, error) { return index.OpenMem() },
		"disk":   func() (*index.Index, error) { return index.Open(t.TempDir() + "/ix") },
	}
	for name, openIndex := range open {
		t.Run(name, func(t *testing.T) {
			ix, err := openIndex()
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if err := ix.Index(context.Background(), docs); err != nil {
				t.Fatal(err)
			}
			for q, want := range map[string]string{
				"bevatning": "bevattning", // "bevakning" is one edit away too, in fewer documents
				"sörmland":  "",           // "värmland" is two edits away, with another first letter
			} {
				if got := MustSearch(t, ix, kg.SearchRequest{Query: q}).DidYouMean; got != want {
					t.Errorf("DidYouMean(%q) = %q, want %q", q, got, want)
				}
			}
		})
	}
}
