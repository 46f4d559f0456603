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

// phraseRegistry has a cluster whose name, without its place, is also an
// everyday phrase of its descriptions, spelt as registry names may spell
// it: the place after the name, or in parentheses.
func phraseRegistry(name string) kg.Registry {
	return kg.Registry{Clusters: []kg.Cluster{
		{ID: "vreta-kluster", Name: "Vreta Kluster", County: "Östergötlands län", Town: "Linköping",
			Description: "Företagspark för de gröna näringarna utanför Linköping.", Sites: []string{"https://vretakluster.se/"}},
		{ID: "grona-naringar-norrbotten", Name: name, Aliases: []string{"Gröna Näringar i Norrbotten"},
			County: "Norrbottens län", Town: "Öjebyn (Piteå)", Sites: []string{"https://gronanaringar.se/"},
			Description: "Projektet Gröna Näringar i Öjebyn stärker samverkan i de gröna näringarna i norr."},
		{ID: "krinova", Name: "Krinova", County: "Skåne län", Town: "Kristianstad",
			Description: "Inkubator med mat som profilområde."},
	}}
}

func TestAttributeEverydayPhrase(t *testing.T) {
	onOwnSite := kg.Entry{Kind: kg.EntrySource, ID: "nyhetsrum", Sites: []string{"https://www.gronanaringar.se/"}}
	const gn = "grona-naringar-norrbotten"
	tests := []struct {
		name  string
		entry kg.Entry
		text  string
		want  []string
	}{
		{"name with its town", sourceEntry, "Projektet Gröna Näringar bygger ett kompetenscentrum i Piteå.", []string{gn}},
		{"name with its county", sourceEntry, "Hallå där, projektledare på Gröna Näringar, Norrbotten!", []string{gn}},
		{"name with its town in genitive", sourceEntry, "Öjebyns försöksgård och projektet Gröna Näringar.", []string{gn}},
		{"name capitalised as Swedish names are", sourceEntry, "Projektledare: Anna Berg, Gröna näringar, Piteå kommun.", []string{gn}},
		{"name opening a title, with its county", sourceEntry, "Gröna Näringar\nRegion Norrbotten satsar på kompetens.", []string{gn}},
		{"name on the cluster's own site", onOwnSite, "Projektet Gröna Näringar bjuder in till mässa.", []string{gn}},
		{"full name with its place", sourceEntry, "Besök hos Gröna Näringar Norrbotten.", []string{gn}},
		{"full name in lower case", sourceEntry, "besök hos gröna näringar i norrbotten.", nil},
		{"full name capitalised as Swedish names are", sourceEntry, "Besök hos Gröna näringar i Norrbotten.", []string{gn}},
		{"name without a cue", sourceEntry, "Projektet Gröna Näringar bygger ett kompetenscentrum.", nil},
		{"name with another cluster's place", sourceEntry, "Projektet Gröna Näringar besökte Linköping.", nil},
		{"everyday phrase with its county", sourceEntry, "Vi stärker de gröna näringarna i Norrbotten.", nil},
		{"everyday phrase in base form with its town", sourceEntry, "Samverkan i gröna näringar i Piteå och Öjebyn.", nil},
		{"capital only opening a sentence", sourceEntry, "Mer om Norrbotten. Gröna näringar är viktiga i Piteå.", nil},
		{"capital only opening the text", sourceEntry, "Gröna näringar i Norrbotten behöver kompetens.", nil},
		{"normal cluster", sourceEntry, "Vreta Kluster arbetar för de gröna näringarna.", []string{"vreta-kluster"}},
		{"normal cluster in lower case without a cue", sourceEntry, "besök hos vreta kluster och krinova.", []string{"krinova", "vreta-kluster"}},
		{"own page", clusterEntry("vreta-kluster"), "Projektet Gröna Näringar i Piteå.", []string{"vreta-kluster"}},
	}
	for _, spelling := range []string{"Gröna Näringar Norrbotten", "Gröna Näringar (Norrbotten)"} {
		names := clusterNames(phraseRegistry(spelling))
		for _, tt := range tests {
			t.Run(spelling+"/"+tt.name, func(t *testing.T) {
				if got := attribute(tt.entry, names, tt.text); !slices.Equal(got, tt.want) {
					t.Errorf("attribute(%q) = %v, want %v", tt.text, got, tt.want)
				}
			})
		}
	}
}

func TestClusterNamesKeepPhrasesApart(t *testing.T) {
	list := clusterNames(phraseRegistry("Gröna Näringar (Norrbotten)"))
	var plain []string
	for _, n := range list.names {
		plain = append(plain, n.name)
	}
	if want := []string{"vreta kluster", "krinova"}; !slices.Equal(plain, want) {
		t.Errorf("plain names = %q, want %q", plain, want)
	}
	want := []string{"gröna näringar (norrbotten)", "gröna näringar i norrbotten", "gröna näringar norrbotten", "gröna näringar"}
	var got []string
	for _, p := range list.phrases {
		if p.clusterID != "grona-naringar-norrbotten" {
			t.Errorf("phrase %q belongs to %s", p.name, p.clusterID)
		}
		got = append(got, p.name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("phrases = %q, want %q", got, want)
	}
}

func TestEverydayPhrase(t *testing.T) {
	const prose = "Företagspark för de gröna näringarna. Projektet Gröna Möten i Skara. Kurser för agronomer. Grönt kluster under uppbyggnad."
	tests := []struct {
		name string
		want bool
	}{
		{"Gröna Näringar", true},   // "de gröna näringarna"
		{"Gröna näringarna", true}, // as written
		{"Gröna Möten", false},     // written as a name
		{"Grönt kluster", false},   // capitalised opening a sentence
		{"Agro", false},            // "agronomer" is another word
		{"Vreta Kluster", false},
		{"Gröna", true},
		{"Nä", false}, // too short to look for
	}
	for _, tt := range tests {
		if got := everydayPhrase(prose, tt.name); got != tt.want {
			t.Errorf("everydayPhrase(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestClusterPlaces(t *testing.T) {
	tests := []struct {
		county, town string
		want         []string
	}{
		{"Norrbottens län", "Öjebyn (Piteå)", []string{"norrbotten", "öjebyn", "piteå"}},
		{"Västra Götalands län", "Brålanda (Vänersborgs kommun, Dalsland)", []string{"västra götaland", "brålanda", "vänersborg", "dalsland"}},
		{"Skåne län", "Kristianstad", []string{"skåne", "kristianstad"}},
		{"Värmlands län", "Kil/Karlstad", []string{"värmland", "kil", "karlstad"}},
		{"Uppsala län", "Uppsala", []string{"uppsala"}},
		{"", "", nil},
	}
	for _, tt := range tests {
		got := clusterPlaces(kg.Cluster{County: tt.county, Town: tt.town})
		if !slices.Equal(got, tt.want) {
			t.Errorf("clusterPlaces(%q, %q) = %q, want %q", tt.county, tt.town, got, tt.want)
		}
	}
}

func TestWithoutPlace(t *testing.T) {
	places := []string{"norrbotten", "piteå"}
	tests := []struct{ name, want string }{
		{"Gröna Näringar Norrbotten", "Gröna Näringar"},
		{"Gröna Näringar i Norrbotten", "Gröna Näringar"},
		{"Gröna Näringar Piteå", "Gröna Näringar"},
		{"Gröna Näringar (Norrbotten)", "Gröna Näringar"},
		{"Gröna Näringar", ""},
		{"Norrbotten", ""},             // nothing left
		{"Nya Norrbottenmodellen", ""}, // not a word of its own
	}
	for _, tt := range tests {
		if got := withoutPlace(tt.name, places); got != tt.want {
			t.Errorf("withoutPlace(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestWrittenAsName(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"projektet Gröna Näringar", true},
		{"projektet Gröna näringar", true},
		{"Gröna Näringar", true},
		{"Slut. Gröna Näringar", true},
		{"Slut. Gröna näringar", false},
		{"Gröna näringar", false},
		{"rubrik\n»Gröna näringar", false},
		{"de gröna näringar", false},
		{"de gröna Näringar", false},
	}
	for _, tt := range tests {
		i := strings.LastIndex(strings.ToLower(tt.text), "gröna")
		if got := writtenAsName(tt.text, i, len(tt.text)); got != tt.want {
			t.Errorf("writtenAsName(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
