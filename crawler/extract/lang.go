package extract

import (
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/textlang"
)

// detectLang returns "sv" or "en": the declared language when it is one of
// them ("sv-SE", "en_GB"), else the language whose function words the
// text uses more (textlang.Detect).
func detectLang(declared, text string) string {
	d := strings.ToLower(strings.TrimSpace(declared))
	switch {
	case d == "sv" || strings.HasPrefix(d, "sv-") || strings.HasPrefix(d, "sv_"):
		return "sv"
	case d == "en" || strings.HasPrefix(d, "en-") || strings.HasPrefix(d, "en_"):
		return "en"
	}
	return textlang.Detect(text)
}
