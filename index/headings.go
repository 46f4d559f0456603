package index

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a heading line.
const (
	maxHeadingWords = 12
	maxHeadingRunes = 100
)

// headingBoost weighs a word in a heading between the title and the body.
const headingBoost = 2.0

// textHeadings returns the lines of text that read as headings, joined by
// newlines. The extractor writes each block of a page (heading, paragraph,
// list item) on a line of its own; a heading is a short line that starts
// with a capital letter or digit, does not end a sentence and is followed
// by a longer line.
func textHeadings(text string) string {
	lines := strings.Split(text, "\n")
	var out []string
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if i+1 >= len(lines) || !isHeading(line) {
			continue
		}
		next := strings.TrimSpace(lines[i+1])
		if utf8.RuneCountInString(next) <= utf8.RuneCountInString(line) {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// isHeading reports whether line has the shape of a heading.
func isHeading(line string) bool {
	if line == "" || utf8.RuneCountInString(line) > maxHeadingRunes || len(strings.Fields(line)) > maxHeadingWords {
		return false
	}
	first, _ := utf8.DecodeRuneInString(line)
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	return !strings.ContainsRune(".,;:!?…", last)
}
