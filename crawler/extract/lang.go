package extract

import (
	"strings"
	"unicode"
)

// svWords and enWords are frequent function words of Swedish and English
// that the other language does not use.
var (
	svWords = wordSet("och att det som är på av för med till den har de inte om ett men var vi kan " +
		"från så eller också när ska hur nu alla vid efter under mellan samt detta denna sina sig " +
		"oss våra vår våren hösten genom mot där här även blir bli finns i")
	enWords = wordSet("the and of to in is for that with on as are by this be from at or an was " +
		"which it we our have has will can their they not but also into about more been its these " +
		"there were would")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// langSample is how much text the stop-word count reads.
const langSample = 20000

// detectLang returns "sv" or "en": the declared language when it is one of
// them ("sv-SE", "en_GB"), else the language with more stop words in text.
// Swedish wins ties and texts without either.
func detectLang(declared, text string) string {
	d := strings.ToLower(strings.TrimSpace(declared))
	switch {
	case d == "sv" || strings.HasPrefix(d, "sv-") || strings.HasPrefix(d, "sv_"):
		return "sv"
	case d == "en" || strings.HasPrefix(d, "en-") || strings.HasPrefix(d, "en_"):
		return "en"
	}
	if len(text) > langSample {
		text = text[:langSample]
	}
	sv, en := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if svWords[w] {
			sv++
		}
		if enWords[w] {
			en++
		}
	}
	if en > sv {
		return "en"
	}
	return "sv"
}
