package index

import (
	"strings"
	"unicode"
)

// Frequent function words of Swedish and English that the other language
// does not use.
var (
	swedishMarkers = wordSet("och att det som är på av för med till den har de inte om ett men var vi kan " +
		"från så eller också när ska hur nu alla vid efter under mellan samt detta denna sina sig " +
		"oss våra vår genom mot där här även blir bli finns i")
	englishMarkers = wordSet("the and of to in is for that with on as are by this be from at or an was " +
		"which it we our have has will can their they not but also into about more been its these " +
		"there were would")
)

// wordSet returns the words of s, separated by spaces, as a set.
func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// langSample is how many bytes of a text DetectLang reads.
const langSample = 20000

// DetectLang returns "en" when text has more English than Swedish
// function words, else "sv": Swedish wins ties and texts with neither.
// Index uses it for documents whose language is not set.
func DetectLang(text string) string {
	if len(text) > langSample {
		text = text[:langSample]
	}
	sv, en := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if swedishMarkers[w] {
			sv++
		}
		if englishMarkers[w] {
			en++
		}
	}
	if en > sv {
		return "en"
	}
	return "sv"
}
