package index_test

import (
	"context"
	"slices"
	"testing"

	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// qualityTopics is a vocabulary of two topics.
var qualityTopics = []kg.Topic{
	{ID: "crisis-preparedness", SV: "Krisberedskap", EN: "Crisis preparedness", Terms: []string{"krisberedskap", "beredskap"}},
	{ID: "bioenergy", SV: "Bioenergi", EN: "Bioenergy", Terms: []string{"biogas", "rötning", "gödsel"}},
}

// qualityDocs are written for the ranking checks: each pair differs in
// what a ranking rule looks at.
var qualityDocs = []kg.IndexDoc{
	doc("kris", "Övning i länet", "Klustret arbetar med krisberedskap för gårdarna och övar med kommunen.", "sv", kg.KindNews, ""),
	doc("arbete", "Klustret arbetar vidare", "Klustret arbetar med nya medlemmar och arbetar med kurser.", "sv", kg.KindNews, ""),
	doc("lager-delat", "Beredskap i norr", "Staten föreslår lager av spannmål för kris och krig.", "sv", kg.KindNews, ""),
	doc("torka", "Torka och bevattning", "Lantbrukare behöver bevattning när torkan slår till.", "sv", kg.KindNews, ""),
	doc("historia", "Vår historia", "Parken grundades 1999 av högskolan och kommunen.", "sv", kg.KindAbout, ""),
	doc("nyheter", "Nyheter i korthet", "Parken bygger ut och fler företag flyttar in i parken.", "sv", kg.KindNews, ""),
	doc("dalarna", "Mat i Dalarna", "Odlare i Dalarna samarbetar om mat.", "sv", kg.KindNews, ""),
	doc("dalsland", "Mat i Dalsland", "Odlare i Dalsland samarbetar om mat.", "sv", kg.KindNews, ""),
	doc("gymnasiet", "Skolan", "Naturbruksgymnasiet startar en ny utbildning i lantbruk.", "sv", kg.KindNews, ""),
	doc("rubrik", "Nyheter från klustret",
		"Vattenbruk på land\nKlustret bygger en anläggning för fisk och visar den för odlare och skolor.", "sv", kg.KindNews, ""),
	doc("brodtext", "Nyheter från föreningen",
		"Föreningen visar en anläggning för skolor och odlare, och berättar om vattenbruk.", "sv", kg.KindNews, ""),
	tagged(doc("biogas-gard", "Biogas på gården", "Biogas av gödsel: rötning ger biogas, och biogas driver traktorn.", "sv", kg.KindNews, ""), "bioenergy"),
	tagged(doc("biogas-lan", "Nytt i länet", "En ny biogas-anläggning byggs i Skåne av tre gårdar.", "sv", kg.KindNews, ""), "bioenergy"),
	doc("krinova-historia", "Om oss", "Krinova grundades 1999 av högskolan och kommunen.", "sv", kg.KindAbout, ""),
	doc("krinova-bygger", "Krinova bygger ut", "Krinova bygger ut och fler företag flyttar in hos Krinova.", "sv", kg.KindAbout, ""),
	doc("forening", "Föreningen grundades", "Föreningen grundades 2001 av odlare i länet.", "sv", kg.KindAbout, ""),
}

// tagged returns d tagged with the topic id.
func tagged(d kg.IndexDoc, id string) kg.IndexDoc {
	d.Topics = append(d.Topics, kg.TopicMatch{TopicID: id})
	return d
}

func mustQualityIndex(t *testing.T) *index.Index {
	t.Helper()
	ix, err := index.OpenMem(index.WithTopics(qualityTopics))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Index(context.Background(), qualityDocs); err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestSearchRanking(t *testing.T) {
	ix := mustQualityIndex(t)
	tests := []struct {
		name, query   string
		first, before string // first must rank above before ("" when it need only rank first)
		didYouMean    string
	}{
		{"question drops its frame", "vilka kluster arbetar med krisberedskap", "doc:kris", "doc:arbete", ""},
		{"compound across title and text", "beredskapslager", "doc:lager-delat", "", ""},
		{"English through the glossary", "drought", "doc:torka", "", ""},
		{"English question through the glossary", "when was the park founded", "doc:historia", "doc:nyheter", ""},
		{"exact form above stem", "Dalarna", "doc:dalarna", "doc:dalsland", ""},
		{"Latin -um", "gymnasium", "doc:gymnasiet", "", ""},
		{"heading above body", "vattenbruk", "doc:rubrik", "doc:brodtext", ""},
		{"misspelt compound", "beredskabslager", "doc:lager-delat", "", "beredskapslager"},
		{"all words above the topic's own words", "biogas Skåne", "doc:biogas-lan", "doc:biogas-gard", ""},
		{"all words through a translation", "when was Krinova founded", "doc:krinova-historia", "doc:krinova-bygger", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := MustSearch(t, ix, kg.SearchRequest{Query: tt.query, Size: kg.MaxPageSize})
			got := ids(res.Hits)
			if len(got) == 0 || got[0] != tt.first {
				t.Errorf("%q finds %q, want %q first", tt.query, got, tt.first)
			}
			if tt.before != "" {
				i, j := slices.Index(got, tt.first), slices.Index(got, tt.before)
				if i < 0 || (j >= 0 && j < i) {
					t.Errorf("%q finds %q, want %q above %q", tt.query, got, tt.first, tt.before)
				}
			}
			if res.DidYouMean != tt.didYouMean {
				t.Errorf("%q: did you mean %q, want %q", tt.query, res.DidYouMean, tt.didYouMean)
			}
		})
	}
}

// TestCrossLanguageHighlights checks that an English query marks the
// Swedish words it found, whole, in a text with å, ä and ö.
func TestCrossLanguageHighlights(t *testing.T) {
	ix := mustQualityIndex(t)
	res := MustSearch(t, ix, kg.SearchRequest{Query: "drought"})
	if len(res.Hits) == 0 {
		t.Fatal("drought finds nothing")
	}
	want := "Lantbrukare behöver bevattning när <mark>torkan</mark> slår till."
	if got := res.Hits[0].Snippet; got != want {
		t.Errorf("snippet = %q, want %q", got, want)
	}
}
