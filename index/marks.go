package index

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Highlight marks, as Bleve's HTML highlighter writes them.
const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// wholeWordMarks widens every mark of an HTML snippet to the whole word it
// is in and joins marks that meet: a compound matched through its parts
// ("<mark>skog</mark>s<mark>näringen</mark>") is marked as one word
// ("<mark>skogsnäringen</mark>").
func wholeWordMarks(snippet string) string {
	if !strings.Contains(snippet, markOpen) {
		return snippet
	}
	// Take the marks out, keeping the marked byte ranges of the text.
	var text strings.Builder
	type span struct{ start, end int }
	var spans []span
	rest := snippet
	for {
		i := strings.Index(rest, markOpen)
		if i < 0 {
			text.WriteString(rest)
			break
		}
		text.WriteString(rest[:i])
		rest = rest[i+len(markOpen):]
		j := strings.Index(rest, markClose)
		if j < 0 {
			return snippet // not written by the highlighter
		}
		start := text.Len()
		text.WriteString(rest[:j])
		spans = append(spans, span{start, text.Len()})
		rest = rest[j+len(markClose):]
	}
	s := text.String()
	for i := range spans {
		for spans[i].start > 0 {
			r, n := utf8.DecodeLastRuneInString(s[:spans[i].start])
			if !isWordRune(r) {
				break
			}
			spans[i].start -= n
		}
		for spans[i].end < len(s) {
			r, n := utf8.DecodeRuneInString(s[spans[i].end:])
			if !isWordRune(r) {
				break
			}
			spans[i].end += n
		}
	}
	var out strings.Builder
	last := 0
	for i := 0; i < len(spans); i++ {
		sp := spans[i]
		for i+1 < len(spans) && spans[i+1].start <= sp.end {
			sp.end = max(sp.end, spans[i+1].end)
			i++
		}
		out.WriteString(s[last:sp.start])
		out.WriteString(markOpen)
		out.WriteString(s[sp.start:sp.end])
		out.WriteString(markClose)
		last = sp.end
	}
	out.WriteString(s[last:])
	return out.String()
}

// isWordRune reports whether r is part of a word.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
