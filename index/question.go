package index

import (
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/textlang"
)

// questionWords open a question in Swedish or English.
var questionWords = textlang.WordSet("vilka vilken vilket vad vem vems vilkas hur var varför när vart " +
	"who whom whose what which where when why how")

// questionFrame are the words that frame a question around its subject
// ("vilka kluster arbetar med krisberedskap", "who works on biogas"):
// searched, they would find every page where someone works on something.
var questionFrame = textlang.WordSet("är var finns fanns gör görs gjorde arbetar jobbar sysslar håller leder driver " +
	"kan ska med om på i av för till som det den de en ett och " +
	"is are was were do does did can could works work working deals deal " +
	"the a an of in on at for to with about and")

// questionSubject returns the subject of a question: text without its
// question and framing words when its first word is a question word
// ("vilka kluster arbetar med krisberedskap" → "kluster krisberedskap"),
// else text unchanged. Text with query syntax (quotes, fields, +, -) is
// never changed, nor a question that is all frame.
func questionSubject(text string) string {
	fields := strings.Fields(text)
	if len(fields) < 2 || strings.ContainsAny(text, `"+-:()*~^`) {
		return text
	}
	if !questionWords[strings.ToLower(strings.TrimRight(fields[0], "?,."))] {
		return text
	}
	var out []string
	for _, f := range fields {
		w := strings.ToLower(strings.TrimRight(f, "?,.!"))
		if questionWords[w] || questionFrame[w] {
			continue
		}
		out = append(out, strings.TrimRight(f, "?,.!"))
	}
	if len(out) == 0 {
		return text
	}
	return strings.Join(out, " ")
}
