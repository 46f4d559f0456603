package topics

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// tokenizeEach is the definition of tokenize: each token's lower-case
// form built on its own.
func tokenizeEach(text string) []token {
	var toks []token
	gapStart := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isLetter(r) {
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !isLetter(r) && !isInvisible(r) {
				break
			}
			i += size
		}
		var b strings.Builder
		for _, r := range text[start:i] {
			if !isInvisible(r) {
				b.WriteRune(unicode.ToLower(r))
			}
		}
		joined := len(toks) > 0 && isJoin(text[gapStart:start])
		toks = append(toks, token{lower: b.String(), start: start, end: i, joined: joined})
		gapStart = i
	}
	return toks
}

var tokenizeSeeds = []string{"", "Gårdsbiogas och LOKAL mat", "själv\u00adförsörjning AI-stöd, \u212aelvin İstanbul ȺȺȺ",
	"a-b – c\u2010d", "\xff\xfeÅÄÖ", strings.Repeat("Övre Norrland ", 200)}

func TestTokenizeAsEach(t *testing.T) {
	for _, s := range append(slices.Clone(tokenizeSeeds), benchPage(t)) {
		if got, want := tokenize(s), tokenizeEach(s); !slices.Equal(got, want) {
			t.Fatalf("tokenize(%q) =\n%v\nwant\n%v", s, got, want)
		}
	}
}

func FuzzTokenizeAsEach(f *testing.F) {
	for _, s := range tokenizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := tokenize(s), tokenizeEach(s); !slices.Equal(got, want) {
			t.Fatalf("tokenize(%q) =\n%v\nwant\n%v", s, got, want)
		}
	})
}
