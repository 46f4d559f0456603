package extract

import (
	"slices"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/orgs"
)

func TestNameVariants(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"Vreta Kluster", []string{"Vreta Kluster"}},
		{"Agroväst (Agroväst Livsmedel AB)", []string{"Agroväst (Agroväst Livsmedel AB)", "Agroväst Livsmedel AB", "Agroväst"}},
		{"Grönt kluster Västerbotten (tidigare Gröna Navet)", []string{"Grönt kluster Västerbotten (tidigare Gröna Navet)", "Gröna Navet", "Grönt kluster Västerbotten"}},
		{"Gröna näringarnas kluster Jönköping / Nära till bra mat", []string{"Gröna näringarnas kluster Jönköping / Nära till bra mat", "Gröna näringarnas kluster Jönköping", "Nära till bra mat"}},
		{"FRODA – Food Region Of Dalarna Assembly", []string{"FRODA – Food Region Of Dalarna Assembly", "FRODA", "Food Region Of Dalarna Assembly"}},
		{"Gröna Näringar (Norrbotten)", []string{"Gröna Näringar (Norrbotten)", "Gröna Näringar Norrbotten", "Gröna Näringar"}},
		{"A (B)", nil}, // too short to look for
	}
	for _, tt := range tests {
		got := nameVariants(tt.name)
		if !slices.Equal(got, tt.want) {
			t.Errorf("nameVariants(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestAttribute(t *testing.T) {
	names := clusterNames(testRegistry())
	tests := []struct {
		name  string
		entry kg.Entry
		text  string
		want  []string
	}{
		{"own page", clusterEntry("vreta-kluster"), "Vi på Vreta Kluster", []string{"vreta-kluster"}},
		{"own page naming others", clusterEntry("vreta-kluster"), "Vi samarbetar med Agroväst och Krinova.", []string{"vreta-kluster"}},
		{"own page naming nobody", clusterEntry("agrovast"), "Välkommen!", []string{"agrovast"}},
		{"source naming by name", sourceEntry, "Besök hos Vreta Kluster i Linköping.", []string{"vreta-kluster"}},
		{"source naming by part of composite name", sourceEntry, "Agroväst bjöd in.", []string{"agrovast"}},
		{"source naming by parenthesised name", sourceEntry, "Agroväst Livsmedel AB bjöd in.", []string{"agrovast"}},
		{"source naming by former name", sourceEntry, "Gröna Navet i Umeå.", []string{"gront-kluster-vasterbotten"}},
		{"source naming by alias", sourceEntry, "Hos Krinova i Kristianstad.", []string{"krinova"}},
		{"case-insensitive", sourceEntry, "VRETA KLUSTER och froda", []string{"froda", "vreta-kluster"}},
		{"genitive", sourceEntry, "Agro Örebros verksamhetsledare och SLU:s forskare och Nifa:s vd", []string{"agro-orebro", "nifa-varmland"}},
		{"not inside a word", sourceEntry, "AgroÖst och Agrovästra och Nifadag och Krinovahuset", nil},
		{"several, sorted", sourceEntry, "Nifa, Krinova, Agroväst och Vreta Kluster.", []string{"agrovast", "krinova", "nifa-varmland", "vreta-kluster"}},
		{"source naming nobody", sourceEntry, "Landsbygdsnätverket om gröna kluster i allmänhet.", nil},
		{"a place in parentheses is no name", sourceEntry, "Norrbotten har långa vintrar.", nil},
		{"name with its place", sourceEntry, "Gröna Näringar Norrbotten i Öjebyn", []string{"grona-naringar-norrbotten"}},
		{"name at the very end", sourceEntry, "Text om Nifa", []string{"nifa-varmland"}},
		// A long page: named in its lead, more than once, as a party, or in passing.
		{"named once in passing further down", sourceEntry, filler + "Åtgärderna genomförs via plattformar som Livsmedelsakademin, Krinova och FIRS.", nil},
		{"named twice further down", sourceEntry, filler + "Krinova arbetar med matföretag. Krinova har ett inkubatorprogram.", []string{"krinova"}},
		{"named as a party further down", sourceEntry, filler + "Huvudparter: IUC Syd, Livsmedelsakademin och Krinova.", []string{"krinova"}},
		{"named in the lead of a long page", sourceEntry, "Krinova får nya pengar. " + filler, []string{"krinova"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := attribute(tt.entry, names, tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("attribute(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// filler is a lead long enough to push what follows out of it.
var filler = strings.Repeat("Regionen satsar på livsmedelskedjan och fler jobb i länet. ", 10)

func TestMatchTopicsLeavesOutNamesAndFundingNotes(t *testing.T) {
	e := entityExtractor(t)
	e.once.Do(func() {
		e.names = clusterNames(e.Registry)
		e.Orgs, _ = orgs.Default()
	})
	ids := func(text string) []string {
		var out []string
		for _, m := range e.matchTopics(text) {
			out = append(out, m.TopicID)
		}
		return out
	}
	tests := []struct {
		text string
		want []string
	}{
		{"En artikelserie från Landsbygdsnätverket.", nil},
		{"En praktikant från Örebro universitet deltar.", nil},
		{"Finansiering: Europeiska jordbruksfonden för landsbygdsutveckling.", nil},
		{"Finansiering beviljades i juni 2015 för tre år.", nil},
		{"Regionen ger 500 000 kronor i medfinansiering till projektet.", nil},
		{"Vi hjälper medlemmar att hitta finansiering till sina investeringar.", []string{"capital-supply"}},
		{"Projektet arbetar med landsbygdsutveckling och forskning.", []string{"research-innovation", "rural-development"}},
	}
	for _, tt := range tests {
		if got := ids(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("matchTopics(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
