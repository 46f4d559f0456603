package topics

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func defaultMatcher(tb testing.TB) *Matcher {
	tb.Helper()
	ts, err := Default()
	if err != nil {
		tb.Fatal(err)
	}
	return NewMatcher(ts)
}

func topicIDs(ms []kg.TopicMatch) []string {
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.TopicID)
	}
	return ids
}

func TestMatchDefaultVocabulary(t *testing.T) {
	m := defaultMatcher(t)
	tests := []struct {
		text string
		want []string // topics that must be found
		not  []string // topics that must not be found
	}{
		// Inflections and compounds.
		{"Självförsörjningsgraden har sjunkit.", []string{"self-sufficiency"}, nil},
		{"Enligt livsmedelsstrategins mål", []string{"food-strategy"}, nil},
		{"Beredskapslagret fylls på", []string{"crisis-preparedness"}, nil},
		{"En ny biogasanläggning byggs", []string{"bioenergy"}, nil},
		{"Skogsägarna träffades i Ås", []string{"forestry"}, nil},
		{"Satsning på gårdsbiogas", []string{"bioenergy"}, nil},
		{"gårdsbiogasanläggningen", []string{"bioenergy"}, nil},
		{"Livsmedelsberedskapen stärks", []string{"crisis-preparedness"}, nil},
		{"grönsaksodlingen", []string{"crop-production"}, nil},
		{"Forskarna på SLU", []string{"research-innovation"}, nil},
		{"drönarna flög", []string{"digitalisation"}, nil},
		{"BIOGAS", []string{"bioenergy"}, nil},
		// Phrases, with adjective endings and inflected last words.
		{"Det civila försvaret byggs upp", []string{"crisis-preparedness"}, nil},
		{"inom den biologiska mångfalden", []string{"climate-environment"}, nil},
		{"nya marknaderna", []string{"business-models"}, nil},
		{"Food security in the north", []string{"self-sufficiency"}, nil},
		{"inhemsk. Produktion", nil, []string{"self-sufficiency"}},
		{"lokal matchning", nil, []string{"food-processing"}},
		// English inflections.
		{"Greenhouses and fisheries", []string{"horticulture", "aquaculture-fishing"}, nil},
		{"renewable energy sources", []string{"bioenergy"}, nil},
		// Short words: whole, inflected or as a compound tail only.
		{"Virke och trä", []string{"forestry"}, nil},
		{"träet torkar", []string{"forestry"}, nil},
		{"Välkommen att träffa oss på en träff", nil, []string{"forestry"}},
		{"Vi ska träna mer", nil, []string{"forestry"}},
		{"En långsiktig plan", nil, []string{"capital-supply"}},
		{"Lånet beviljades", []string{"capital-supply"}, nil},
		{"Ett banklån", []string{"capital-supply"}, nil},
		{"Investeringsstödet öppnar", []string{"capital-supply"}, nil},
		{"att stödja företagen", nil, []string{"capital-supply"}},
		{"grisslan häckar", nil, []string{"animal-husbandry"}},
		{"Grisarna på gården", []string{"animal-husbandry"}, nil},
		{"slaktgris", []string{"animal-husbandry"}, nil},
		{"bokskogen", []string{"forestry"}, nil},
		{"skogarna", []string{"forestry"}, nil},
		// "AI" only as the capitalised word.
		{"Vi testar AI i lantbruket", []string{"digitalisation"}, nil},
		{"AI-baserad rådgivning", []string{"digitalisation"}, nil},
		{"AIK vann igen", nil, []string{"digitalisation"}},
		{"ai", nil, []string{"digitalisation"}},
		// Words that are not the term.
		{"Projektet har bidragit till mycket", nil, []string{"capital-supply"}},
		{"Good leadership matters", nil, []string{"rural-development"}},
		{"Leaderområdet Mittland", []string{"rural-development"}, nil},
		{"Han sa det igen", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := topicIDs(m.Match(tt.text))
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Match(%q) = %v, want %s", tt.text, got, w)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("Match(%q) = %v, must not contain %s", tt.text, got, n)
				}
			}
		})
	}
}

func TestMatchShortTermRules(t *testing.T) {
	m := NewMatcher([]kg.Topic{
		{ID: "sheep", Terms: []string{"får"}},
		{ID: "wood", Terms: []string{"trä"}},
		{ID: "loan", Terms: []string{"lån"}},
		{ID: "support", Terms: []string{"stöd"}},
		{ID: "ai", Terms: []string{"AI"}},
		{ID: "pig", Terms: []string{"gris"}},
		{ID: "forest", Terms: []string{"skog"}},
	})
	tests := []struct {
		text string
		want string // the one topic expected, or ""
	}{
		{"får", "sheep"},
		{"fåren betar", "sheep"},
		{"fårens ull", "sheep"},
		{"trä", "wood"},
		{"träets", "wood"},
		{"träffa", ""},
		{"träff", ""},
		{"träd", ""},
		{"lån", "loan"},
		{"lånen", "loan"},
		{"långsiktig", ""},
		{"stöd", "support"},
		{"stödet", "support"},
		{"stödja", ""},
		{"AI", "ai"},
		{"AIK", ""},
		{"Ai", ""},
		{"gris", "pig"},
		{"grisen", "pig"},
		{"grisslan", ""},
		{"skog", "forest"},
		{"skogen", "forest"},
		{"skogsbruk", ""}, // a compound head, but "skog" is too short to trust as one
	}
	for _, tt := range tests {
		got := topicIDs(m.Match(tt.text))
		var want []string
		if tt.want != "" {
			want = []string{tt.want}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Match(%q) = %v, want %v", tt.text, got, want)
		}
	}
}

func TestMatchCountsAndTerm(t *testing.T) {
	m := defaultMatcher(t)
	text := "Biogas är framtiden. Biogasen från gården, gårdsbiogas och ett beredskapslager. " +
		"Den regionala livsmedelsstrategin och livsmedelsstrategin igen."
	got := map[string]kg.TopicMatch{}
	for _, tm := range m.Match(text) {
		got[tm.TopicID] = tm
	}
	tests := []struct {
		id    string
		count int
		term  string
	}{
		{"bioenergy", 3, "biogas"},
		// "beredskap" and "beredskapslager" both match one word: counted
		// once, reported as the longer term.
		{"crisis-preparedness", 1, "beredskapslager"},
		// The phrase and the word inside it count once.
		{"food-strategy", 2, "regional livsmedelsstrategi"},
	}
	for _, tt := range tests {
		tm, ok := got[tt.id]
		if !ok {
			t.Errorf("%s not found in %v", tt.id, got)
			continue
		}
		if tm.Count != tt.count || tm.Term != tt.term {
			t.Errorf("%s: count %d term %q, want %d %q", tt.id, tm.Count, tm.Term, tt.count, tt.term)
		}
	}
}

func TestMatchSorted(t *testing.T) {
	m := defaultMatcher(t)
	got := topicIDs(m.Match("skog, biogas, vattenbruk, självförsörjning, AI och forskning"))
	if len(got) < 5 {
		t.Fatalf("got %v, want at least 5 topics", got)
	}
	if !slices.IsSorted(got) {
		t.Errorf("topics not sorted: %v", got)
	}
}

func TestMatchNormalisation(t *testing.T) {
	m := defaultMatcher(t)
	tests := []string{
		"va\u0308xtodling", // decomposed ä
		"bio\u00adgas",     // soft hyphen
		"VÄXTHUSODLING",
	}
	for _, text := range tests {
		if got := m.Match(text); len(got) == 0 {
			t.Errorf("Match(%q) found nothing", text)
		}
	}
}

func TestSnippet(t *testing.T) {
	m := defaultMatcher(t)
	filler := strings.Repeat("Lorem ipsum dolor sit amet consectetur adipiscing elit. ", 10)
	text := filler + "\n\nHär byggs en gårdsbiogasanläggning för gården.\n\n" + filler
	ms := m.Match(text)
	if len(ms) != 1 || ms[0].TopicID != "bioenergy" {
		t.Fatalf("Match = %+v, want bioenergy only", ms)
	}
	s := ms[0].Snippet
	if !strings.Contains(s, "gårdsbiogasanläggning") {
		t.Errorf("snippet %q lacks the whole matched word", s)
	}
	if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
		t.Errorf("snippet %q should show it was cut on both sides", s)
	}
	if n := utf8.RuneCountInString(s); n > SnippetLength+2 || n < SnippetLength/2 {
		t.Errorf("snippet has %d characters, want about %d", n, SnippetLength)
	}
	inner := strings.Trim(s, "…")
	collapsed := strings.Join(strings.Fields(text), " ")
	i := strings.Index(collapsed, inner)
	if i < 0 {
		t.Fatalf("snippet %q is not a passage of the text", inner)
	}
	if collapsed[i-1] != ' ' || collapsed[i+len(inner)] != ' ' {
		t.Errorf("snippet %q is not cut at word boundaries", inner)
	}
	if strings.Contains(s, "\n") {
		t.Errorf("snippet %q keeps newlines", s)
	}
}

func TestSnippetShortText(t *testing.T) {
	m := defaultMatcher(t)
	ms := m.Match("Skogen.")
	if len(ms) != 1 || ms[0].Snippet != "Skogen." {
		t.Errorf("Match = %+v, want snippet %q", ms, "Skogen.")
	}
}

func TestMatchEmpty(t *testing.T) {
	var nilMatcher *Matcher
	if got := nilMatcher.Match("biogas"); got != nil {
		t.Errorf("nil matcher found %v", got)
	}
	if got := defaultMatcher(t).Match(""); got != nil {
		t.Errorf("empty text found %v", got)
	}
}

func FuzzMatch(f *testing.F) {
	m := defaultMatcher(f)
	for _, s := range []string{
		"Självförsörjningsgraden och beredskapslagret",
		"civila försvaret", "AI-baserad", "bio\u00adgas", "\xff\xfeträ", "a", "",
		"gårdsbiogasanläggningen " + strings.Repeat("x ", 300),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, tm := range m.Match(text) {
			if tm.Count < 1 || tm.TopicID == "" || tm.Term == "" {
				t.Fatalf("bad match %+v", tm)
			}
			if !utf8.ValidString(tm.Snippet) && utf8.ValidString(text) {
				t.Fatalf("snippet %q is not valid UTF-8", tm.Snippet)
			}
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	m := defaultMatcher(b)
	para := "Vreta Kluster samlar företag, forskning och rådgivning för de gröna näringarna. " +
		"Under hösten arrangeras en nätverksträff om självförsörjningsgraden, beredskapslager " +
		"och den regionala livsmedelsstrategin. Projektet stöttar gårdsbiogas, precisionsodling " +
		"och skogsägarna i länet med investeringsstöd och kompetensutveckling. "
	text := strings.Repeat(para, 40) // about 16 kB, a long page
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		m.Match(text)
	}
}

func TestMatchOutside(t *testing.T) {
	m := defaultMatcher(t)
	text := "Artikelserien från Landsbygdsnätverket handlar om biogas."
	name := strings.Index(text, "Landsbygdsnätverket")
	skip := []Range{{Start: name, End: name + len("Landsbygdsnätverket")}}
	if got := topicIDs(m.MatchOutside(text, skip)); !slices.Equal(got, []string{"bioenergy"}) {
		t.Errorf("MatchOutside = %v, want only bioenergy", got)
	}
	if got := topicIDs(m.Match(text)); !slices.Equal(got, []string{"bioenergy", "networking-exchange", "rural-development"}) {
		t.Errorf("Match = %v, want the name's topics too", got)
	}
	// Ranges of a text not in normal form C cannot be trusted: ignored.
	decomposed := "Landsbygdsna\u0308tverket och biogas."
	if got := topicIDs(m.MatchOutside(decomposed, []Range{{Start: 0, End: 20}})); !slices.Equal(got, []string{"bioenergy", "networking-exchange", "rural-development"}) {
		t.Errorf("MatchOutside on a decomposed text = %v", got)
	}
}

func TestCapitalSupplyIsNotProjectFunding(t *testing.T) {
	m := defaultMatcher(t)
	for text, want := range map[string]bool{
		"Projektet har beviljats stöd från Jordbruksverket och bidrag från Leader.": false,
		"Företagen söker riskkapital och lån för att investera i nya stallar.":      true,
		"Klustret hjälper medlemmar att hitta finansiering.":                        true,
	} {
		got := slices.Contains(topicIDs(m.Match(text)), "capital-supply")
		if got != want {
			t.Errorf("capital-supply in %q = %v, want %v", text, got, want)
		}
	}
}
