package web

import (
	"html/template"
	"strings"
)

// Allowed highlight tags.
const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// SanitizeSnippet makes a search snippet safe to insert into HTML.
//
// The index sends snippets as escaped text with matches wrapped in <mark>
// tags. SanitizeSnippet escapes everything and then allows back exactly
// <mark> and </mark> (lower case, no attributes) and well-formed character
// references such as &amp; or &#39;, which the index uses for escaped text.
// Every other '<', '>', '&', '"' and '\” is escaped. Stray closing tags are
// dropped and tags left open are closed, so a snippet cannot spill its
// highlighting into the rest of the page.
//
// Invalid UTF-8 and NUL bytes become U+FFFD. For a correctly escaped
// snippet with balanced marks the result equals the input.
func SanitizeSnippet(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	open := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '<':
			switch {
			case strings.HasPrefix(s[i:], markOpen):
				b.WriteString(markOpen)
				open++
				i += len(markOpen)
			case strings.HasPrefix(s[i:], markClose):
				if open > 0 {
					b.WriteString(markClose)
					open--
				}
				i += len(markClose)
			default:
				b.WriteString("&lt;")
				i++
			}
			continue
		case '&':
			if n := charRefLen(s[i:]); n > 0 {
				b.WriteString(s[i : i+n])
				i += n
				continue
			}
			b.WriteString("&amp;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		case 0:
			b.WriteString("\uFFFD")
		default:
			b.WriteByte(c)
		}
		i++
	}
	for ; open > 0; open-- {
		b.WriteString(markClose)
	}
	return b.String()
}

// SnippetHTML returns SanitizeSnippet(s) typed as HTML for templates.
func SnippetHTML(s string) template.HTML {
	return template.HTML(SanitizeSnippet(s)) // safe: only text, character references and <mark> remain
}

// charRefLen returns the length of the character reference at the start of
// s ("&amp;", "&#39;", "&#x1F;"), or 0 if s does not start with one.
func charRefLen(s string) int {
	if len(s) < 3 || s[0] != '&' {
		return 0
	}
	i := 1
	switch {
	case s[1] == '#' && len(s) > 2 && (s[2] == 'x' || s[2] == 'X'):
		i = 3
		start := i
		for i < len(s) && i-start < 6 && isHex(s[i]) {
			i++
		}
		if i == start {
			return 0
		}
	case s[1] == '#':
		i = 2
		start := i
		for i < len(s) && i-start < 7 && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return 0
		}
	default:
		if !isAlpha(s[1]) {
			return 0
		}
		i = 2
		for i < len(s) && i < 33 && (isAlpha(s[i]) || (s[i] >= '0' && s[i] <= '9')) {
			i++
		}
	}
	if i >= len(s) || s[i] != ';' {
		return 0
	}
	return i + 1
}

func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
