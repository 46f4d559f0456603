package index

import (
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/sv"
)

func TestIndefiniteForms(t *testing.T) {
	tests := []struct {
		in   string
		want []string // must all be present
		not  []string // must all be absent
	}{
		{in: "strategin", want: []string{"strategi"}},
		{in: "energin", want: []string{"energi"}},
		{in: "varan", want: []string{"vara"}},
		{in: "området", want: []string{"område", "områd"}},
		{in: "projektet", want: []string{"projekt"}},
		{in: "klustret", want: []string{"kluster"}},
		{in: "beredskapslagret", want: []string{"beredskapslager"}},
		{in: "projektets", want: []string{"projektet", "projekt"}},
		{in: "strategins", want: []string{"strategin", "strategi"}},
		{in: "pojken", not: []string{"pojke"}}, // -en is the stemmer's
		{in: "man"},
		{in: "mat"},
		{in: "så"},
		{in: "kluster"},
		{in: "strategi"},
	}
	for _, tt := range tests {
		got := indefiniteForms(tt.in)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("indefiniteForms(%q) = %q, want it to contain %q", tt.in, got, w)
			}
		}
		for _, w := range tt.not {
			if slices.Contains(got, w) {
				t.Errorf("indefiniteForms(%q) = %q, want no %q", tt.in, got, w)
			}
		}
		if len(tt.want) == 0 && len(tt.not) == 0 && len(got) != 0 {
			t.Errorf("indefiniteForms(%q) = %q, want none", tt.in, got)
		}
		if slices.Contains(got, tt.in) {
			t.Errorf("indefiniteForms(%q) = %q contains the word itself", tt.in, got)
		}
	}
}

func TestSwedishStopWords(t *testing.T) {
	// Bleve's list has the words this index keeps; if a Bleve upgrade
	// drops them, the custom list is no longer needed.
	bleveList := analysis.NewTokenMap()
	if err := bleveList.LoadBytes(sv.SwedishStopWords); err != nil {
		t.Fatal(err)
	}
	words, err := swedishStopWords()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range swedishKeepWords {
		if !bleveList[w] {
			t.Errorf("Bleve's Swedish stop list no longer has %q", w)
		}
		if slices.Contains(words, w) {
			t.Errorf("stop list has %q", w)
		}
	}
	if len(words) != len(bleveList)-len(swedishKeepWords) {
		t.Errorf("stop list has %d words, want %d", len(words), len(bleveList)-len(swedishKeepWords))
	}
	if !slices.IsSorted(words) {
		t.Error("stop list is not sorted")
	}
}

func TestAnalyzers(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		analyzer string
		in       string
		want     []string // terms, in order, same-position terms joined by "|"
	}{
		{analyzerSwedish, "Strategin och så", []string{"strategin|strategi", "så"}},
		{analyzerSwedish, "Vi säljer vara", []string{"sälj", "var"}},
		{analyzerSwedish, "Beredskapslagret", []string{"beredskapslagret|beredskapslagr|beredskapslag|beredskap|lagret|lagr|lag"}},
		{analyzerSwedish, "Självförsörjningsgraden", []string{"självförsörjningsgrad|själv|försörjning|grad|självförsörjning|försörjningsgrad"}},
		{analyzerSwedish, "R&D <script>", []string{"r", "d", "script"}},
		{"en", "The strategies of farmers", []string{"strategi", "farmer"}},
	}
	for _, tt := range tests {
		ts, err := m.AnalyzeText(tt.analyzer, []byte(tt.in))
		if err != nil {
			t.Fatalf("analysing %q: %v", tt.in, err)
		}
		var got []string
		for i, tok := range ts {
			if i > 0 && tok.Position == ts[i-1].Position {
				got[len(got)-1] += "|" + string(tok.Term)
				continue
			}
			got = append(got, string(tok.Term))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s(%q) = %q, want %q", tt.analyzer, tt.in, got, tt.want)
		}
	}
}

func TestPrefix(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"kort", 10, "kort"},
		{"åäö åäö åäö", 5, "åäö…"},
		{"ett två tre fyra", 9, "ett två…"},
		{strings.Repeat("x", 12), 10, strings.Repeat("x", 10) + "…"},
		{"ord, ord", 5, "ord…"},
	}
	for _, tt := range tests {
		if got := prefix(tt.in, tt.n); got != tt.want {
			t.Errorf("prefix(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
