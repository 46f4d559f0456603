package textlang

import (
	"strings"
	"testing"
	"unicode"
)

func TestDetect(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"Klustret arbetar med biogas och det är viktigt för oss.", "sv"},
		{"The cluster works with biogas and it is important for the region.", "en"},
		{"", "sv"},
		{"Biogas Krinova 2024", "sv"},
		{"The Skåne cluster och the region", "en"},
	} {
		if got := Detect(tt.text); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func FuzzDetectLang(f *testing.F) {
	for _, s := range []string{"", "och det är", "the and of", "ÖVER OCH UNDER THE", "Kelvin \u212a", "ſom och"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The definition: the stop words of the lower-cased text's words.
		sv, en := 0, 0
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if svWords[w] {
				sv++
			}
			if enWords[w] {
				en++
			}
		}
		want := "sv"
		if en > sv {
			want = "en"
		}
		if len(s) > langSample {
			return // the sample cut is the same in both; short texts suffice
		}
		if got := Detect(s); got != want {
			t.Fatalf("Detect(%q) = %q, want %q", s, got, want)
		}
	})
}
