// Package textlang tells Swedish text from English by counting the
// function words of each language that the other does not use.
package textlang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// svWords and enWords are frequent function words of Swedish and English
// that the other language does not use.
var (
	svWords = WordSet("och att det som är på av för med till den har de inte om ett men var vi kan " +
		"från så eller också när ska hur nu alla vid efter under mellan samt detta denna sina sig " +
		"oss våra vår våren hösten genom mot där här även blir bli finns i")
	enWords = WordSet("the and of to in is for that with on as are by this be from at or an was " +
		"which it we our have has will can their they not but also into about more been its these " +
		"there were would")
)

// maxStopWordLetters is the length in letters of the longest word of
// svWords and enWords.
var maxStopWordLetters = func() int {
	n := 0
	for _, set := range []map[string]bool{svWords, enWords} {
		for w := range set {
			n = max(n, utf8.RuneCountInString(w))
		}
	}
	return n
}()

// appendLower appends the lower case of w to b.
func appendLower(b []byte, w string) []byte {
	for _, r := range w {
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

// WordSet returns the words of s, separated by spaces, as a set: a word
// list written as one string.
func WordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// langSample is how much text the stop-word count reads.
const langSample = 20000

// Detect returns "en" when text has more English than Swedish function
// words, else "sv": Swedish wins ties and texts with neither. Only the
// first langSample bytes are read.
func Detect(text string) string {
	if len(text) > langSample {
		text = text[:langSample]
	}
	sv, en := 0, 0
	var buf []byte
	for rest := text; rest != ""; {
		start := strings.IndexFunc(rest, unicode.IsLetter)
		if start < 0 {
			break
		}
		rest = rest[start:]
		end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
		if end < 0 {
			end = len(rest)
		}
		// Words longer than the longest stop word are not looked up.
		if w := rest[:end]; utf8.RuneCountInString(w) <= maxStopWordLetters {
			buf = appendLower(buf[:0], w)
			if svWords[string(buf)] {
				sv++
			}
			if enWords[string(buf)] {
				en++
			}
		}
		rest = rest[end:]
	}
	if en > sv {
		return "en"
	}
	return "sv"
}
