package orgs

import (
	"strings"
	"testing"
)

func mustDefault(tb testing.TB) *Vocabulary {
	tb.Helper()
	v, err := Default()
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func TestFind(t *testing.T) {
	v := mustDefault(t)
	tests := []struct {
		text string
		want []string // ids in text order
	}{
		{"Projektet finansieras av Jordbruksverket och LRF.", []string{"jordbruksverket", "lrf"}},
		{"LRF:s ordförande talade.", []string{"lrf"}},
		{"Jordbruksverkets rapport", []string{"jordbruksverket"}},
		{"Samarbete med LRF Dalarna och Hushållningssällskapet Norrbotten-Västerbotten.", []string{"lrf-dalarna", "hushallningssallskapet-norrbotten-vasterbotten"}},
		{"Länsstyrelsen i Norrbotten och Region Skåne", []string{"lansstyrelsen-norrbotten", "region-skane"}},
		{"Länsstyrelsen i Västra Götalands län och Västra Götalandsregionen", []string{"lansstyrelsen-vastra-gotaland", "region-vastra-gotaland"}},
		{"på uppdrag av länsstyrelsen", []string{"lansstyrelsen"}},
		{"Leader Astrid Lindgrens Hembygd beviljade stöd", []string{"leader-astrid-lindgrens-hembygd"}},
		{"forskare vid SLU Alnarp och RISE", []string{"slu-alnarp", "rise"}},
		{"Sveriges lantbruksuniversitet", []string{"slu"}},
		{"Högskolan i Halmstad och Karlstads universitet", []string{"hogskolan-i-halmstad", "karlstads-universitet"}},
		// Abbreviations match with their case only, and never inside words.
		{"slu och rise är ord här, och LRFX är inget", nil},
		{"sunrise", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range v.Find(tt.text) {
			got = append(got, m.ID)
			if tt.text[m.Start:m.End] != m.Text {
				t.Errorf("%q: offsets %d..%d do not hold %q", tt.text, m.Start, m.End, m.Text)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Find(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestBranchHasParentAndName(t *testing.T) {
	ms := mustDefault(t).Find("LRF Västra Götaland ordnade dagen")
	if len(ms) != 1 || ms[0].Parent != "lrf" || ms[0].Name != "LRF Västra Götaland" || ms[0].ID != "lrf-vastra-gotaland" {
		t.Fatalf("Find = %+v", ms)
	}
}

func TestLookup(t *testing.T) {
	v := mustDefault(t)
	tests := []struct {
		in   string
		want string // "" for no match
	}{
		{"Hushållningssällskapet Halland", "hushallningssallskapet-halland"},
		{"MSB (2:4-medel)", "msb"},
		{"Landsbygdsprogrammet", "landsbygdsprogrammet"},
		{"Region Norrbotten", "region-norrbotten"},
		{"Piteå kommun och Region Norrbotten", ""},
		{"Okänd Förening", ""},
		{"", ""},
	}
	for _, tt := range tests {
		m, ok := v.Lookup(tt.in)
		if (tt.want == "") == ok || ok && m.ID != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.in, m.ID, ok, tt.want)
		}
	}
}

func TestParseRejectsBadVocabularies(t *testing.T) {
	for _, src := range []string{
		"organisations:\n  - {id: Bad Id, name: X}\n",
		"organisations:\n  - {id: a, name: A}\n  - {id: a, name: B}\n",
		"organisations:\n  - {id: a}\n",
		"organisations:\n  - {id: a, name: A, colour: red}\n",
		"counties:\n  - {name: X}\n",
	} {
		if _, err := Parse([]byte(src)); err == nil {
			t.Errorf("Parse(%q) succeeded", src)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"LRF Dalarna", "Länsstyrelsen i Skåne län", "ÅÄÖ LRF:s", "Leader  ", "İstanbul LRF"} {
		f.Add(s)
	}
	v := mustDefault(f)
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, m := range v.Find(s) {
			if m.Start < last || m.End > len(s) || m.Start >= m.End || s[m.Start:m.End] != m.Text {
				t.Fatalf("bad match %+v in %q", m, s)
			}
			last = m.End
		}
	})
}
