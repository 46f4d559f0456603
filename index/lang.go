package index

import (
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/textlang"
)

// DetectLang returns "en" when text has more English than Swedish
// function words, else "sv" (textlang.Detect). Index uses it for
// documents whose language is not set.
func DetectLang(text string) string { return textlang.Detect(text) }

// wordSet returns the words of s, separated by spaces, as a set.
func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
