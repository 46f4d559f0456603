package index

import "github.com/klusterkarta/klusterkarta/internal/textlang"

// DetectLang returns "en" when text has more English than Swedish
// function words, else "sv" (textlang.Detect). Index uses it for
// documents whose language is not set.
func DetectLang(text string) string { return textlang.Detect(text) }
