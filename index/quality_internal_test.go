package index

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func TestQuestionSubject(t *testing.T) {
	tests := []struct{ in, want string }{
		{"vilka kluster arbetar med krisberedskap", "kluster krisberedskap"},
		{"Vilka kluster arbetar med krisberedskap?", "kluster krisberedskap"},
		{"who is the CEO of Krinova", "CEO Krinova"},
		{"what does Nifa do in Värmland?", "Nifa Värmland"},
		{"hur kan lantbruket klara torka", "lantbruket klara torka"},
		{"krisberedskap kluster", "krisberedskap kluster"},         // no question word first
		{"arbetar med krisberedskap", "arbetar med krisberedskap"}, // not a question
		{`vilka "lokal mat"`, `vilka "lokal mat"`},                 // query syntax is kept as written
		{"vem är det", "vem är det"},                               // nothing but frame
		{"vad", "vad"},
	}
	for _, tt := range tests {
		if got := questionSubject(tt.in); got != tt.want {
			t.Errorf("questionSubject(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTextHeadings(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"heading before paragraph", "Bevattning i torra år\nLantbrukare i länet behöver mer vatten när somrarna blir torrare.", "Bevattning i torra år"},
		{"two headings", "Om oss\nVi är ett kluster för de gröna näringarna i länet.\nKontakt\nSkriv till oss om du vill veta mer om projekten.", "Om oss\nKontakt"},
		{"sentence is no heading", "Vi odlar.\nLantbrukare i länet behöver mer vatten när somrarna blir torrare.", ""},
		{"lower case is no heading", "och sedan\nLantbrukare i länet behöver mer vatten när somrarna blir torrare.", ""},
		{"last line is no heading", "En lång första rad som berättar om projektet och dess mål.\nSlut", ""},
		{"followed by shorter line", "Kluster i Västra Götaland\nKort.", ""},
		{"one paragraph", "Gröna kluster arbetar med självförsörjning och beredskap i hela landet.", ""},
		{"too many words", "Ett två tre fyra fem sex sju åtta nio tio elva tolv tretton\nEn rad som är mycket längre än den första raden och fortsätter ytterligare en bit till.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textHeadings(tt.text); got != tt.want {
				t.Errorf("textHeadings = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDetectLang(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Klustret arbetar med självförsörjning och beredskap i länet.", "sv"},
		{"The cluster works on self-sufficiency and preparedness in the county.", "en"},
		{"Business development in green industries", "en"},
		{"", "sv"},
		{"Krinova AB", "sv"},
	}
	for _, tt := range tests {
		if got := DetectLang(tt.text); got != tt.want {
			t.Errorf("DetectLang(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestLatinStem(t *testing.T) {
	ts := swedishAnalyzer().Analyze([]byte("gymnasium"))
	var terms []string
	for _, tok := range ts {
		terms = append(terms, string(tok.Term))
	}
	for _, form := range []string{"gymnasier", "gymnasiet"} {
		stems := swedishAnalyzer().Analyze([]byte(form))
		shared := slices.ContainsFunc(stems, func(tok *analysis.Token) bool { return slices.Contains(terms, string(tok.Term)) })
		if !shared {
			t.Errorf("gymnasium (%q) and %s share no term", terms, form)
		}
	}
}

func TestParseGlossary(t *testing.T) {
	got := parseGlossary("# comment\n\ndrought | torka\nfarmer, farmers | lantbrukare, bonde\nno bar\n | only swedish\nenglish only |\n")
	want := []concept{
		{en: []string{"drought"}, sv: []string{"torka"}},
		{en: []string{"farmer", "farmers"}, sv: []string{"lantbrukare", "bonde"}},
	}
	if len(got) != len(want) {
		t.Fatalf("parseGlossary = %q, want %q", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i].en, want[i].en) || !slices.Equal(got[i].sv, want[i].sv) {
			t.Errorf("concept %d = %q, want %q", i, got[i], want[i])
		}
	}
	if n := len(glossary()); n < 100 {
		t.Errorf("built-in glossary has %d concepts, want at least 100", n)
	}
}

func TestEdits1(t *testing.T) {
	got := edits1("lagr")
	for _, want := range []string{"lag", "algr", "lager", "lagra", "lags"} {
		if !slices.Contains(got, want) {
			t.Errorf("edits1(lagr) lacks %q", want)
		}
	}
	if slices.Contains(got, "lagr") {
		t.Error("edits1(lagr) contains the word itself")
	}
	for _, w := range edits1("åör") {
		if !utf8.ValidString(w) {
			t.Fatalf("edits1(åör) gives invalid UTF-8 %q", w)
		}
	}
}

func FuzzTextHeadings(f *testing.F) {
	for _, s := range []string{"", "Rubrik\nEn längre rad med text.", "A\nB\nC", "Å\n\nÖvrigt om projektet i länet"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Split(text, "\n")
		for _, h := range strings.Split(textHeadings(text), "\n") {
			if h != "" && !slices.ContainsFunc(lines, func(l string) bool { return strings.TrimSpace(l) == h }) {
				t.Fatalf("heading %q is no line of %q", h, text)
			}
		}
	})
}

func FuzzParseGlossary(f *testing.F) {
	for _, s := range []string{"", "a | b", "a, b | c, d\n# x", "|", ",|,", "a|b|c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range parseGlossary(text) {
			if len(c.en) == 0 || len(c.sv) == 0 {
				t.Fatalf("concept without terms: %q", c)
			}
			for _, term := range slices.Concat(c.en, c.sv) {
				if term == "" || term != strings.TrimSpace(term) || strings.ContainsAny(term, ",\n") {
					t.Fatalf("bad term %q from %q", term, text)
				}
			}
		}
	})
}

func TestHolds(t *testing.T) {
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	docs := []kg.IndexDoc{
		{Document: kg.Document{ID: "sv", Lang: "sv", Title: "Beredskapslagret i norr",
			Text:     "Lantbrukarna diskuterade självförsörjningsgraden och torkan.",
			Projects: []kg.Project{{Name: "Smart bevattning"}}}},
		{Document: kg.Document{ID: "en", Lang: "en", Title: "Farmers and irrigation", Text: "The farmers discussed drought."}},
	}
	if err := ix.Index(t.Context(), docs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want bool
	}{
		{"torkan", true},            // as written
		{"torka", true},             // a Swedish stem of it
		{"beredskap", true},         // a compound part
		{"bevattning", true},        // only in a project's name
		{"irrigations", true},       // an English stem
		{"okänt ord", false},        // nowhere
		{"skogslager", false},       // a compound whose parts the index holds only in part
		{"lantbrukare okänt", true}, // one word of several
		{"och", false},              // a stop word alone finds nothing
	}
	for _, tt := range tests {
		got, err := ix.holds(tt.text)
		if err != nil {
			t.Fatalf("holds(%q): %v", tt.text, err)
		}
		if got != tt.want {
			t.Errorf("holds(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
