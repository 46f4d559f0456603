package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// startRegexp finds the matches of a regular expression by trying it only
// where a match can start. A text of many kilobytes with a match in a few
// places is then read once by a cheap test instead of by the regular
// expression's machine. The matches are those of the expression itself.
type startRegexp struct {
	re       *regexp.Regexp // the expression
	anchored *regexp.Regexp // the expression anchored at the start of its input
	// canStart reports whether a match may start at byte i of s. It must
	// hold wherever a match starts, and it must hold the expression's
	// look-behind (^, \b) so that the anchored expression, which sees the
	// input from i, decides as the expression does.
	canStart func(s string, i int) bool
}

// newStartRegexp compiles expr with canStart.
func newStartRegexp(expr string, canStart func(s string, i int) bool) *startRegexp {
	return &startRegexp{
		re:       regexp.MustCompile(expr),
		anchored: regexp.MustCompile(`^(?:` + expr + `)`),
		canStart: canStart,
	}
}

// findAllSubmatchIndex is regexp.FindAllStringSubmatchIndex for
// expressions that never match the empty string.
func (x *startRegexp) findAllSubmatchIndex(s string, n int) [][]int {
	var out [][]int
	for i := 0; i <= len(s) && (n < 0 || len(out) < n); i++ {
		if !x.canStart(s, i) {
			continue
		}
		m := x.anchored.FindStringSubmatchIndex(s[i:])
		if m == nil {
			continue
		}
		for k := range m {
			if m[k] >= 0 {
				m[k] += i
			}
		}
		out = append(out, m)
		i = m[1] - 1 // the next match starts at the end of this one or later
	}
	return out
}

// findAllIndex is regexp.FindAllStringIndex.
func (x *startRegexp) findAllIndex(s string, n int) [][]int {
	ms := x.findAllSubmatchIndex(s, n)
	for k, m := range ms {
		ms[k] = m[:2]
	}
	return ms
}

// matchString reports whether the pattern matches somewhere in s.
func (x *startRegexp) matchString(s string) bool {
	return len(x.findAllIndex(s, 1)) > 0
}

// findAll is regexp.FindAllString.
func (x *startRegexp) findAll(s string, n int) []string {
	var out []string
	for _, m := range x.findAllSubmatchIndex(s, n) {
		out = append(out, s[m[0]:m[1]])
	}
	return out
}

// hasPrefixFold reports whether s begins with prefix under the simple
// case folding of case-insensitive regular expressions: "ſtatus" and
// "STATUS" begin with "status".
func hasPrefixFold(s, prefix string) bool {
	for _, p := range prefix {
		r, size := utf8.DecodeRuneInString(s)
		if size == 0 || !foldEqual(r, p) {
			return false
		}
		s = s[size:]
	}
	return true
}

// foldEqual reports whether r and p are the same letter in some case.
func foldEqual(r, p rune) bool {
	if r == p {
		return true
	}
	for f := unicode.SimpleFold(p); f != p; f = unicode.SimpleFold(f) {
		if f == r {
			return true
		}
	}
	return false
}

// prefixSet is a list of prefixes to look for at a position.
type prefixSet struct {
	prefixes []string
	fold     bool      // ignore case
	first    [256]bool // the first bytes a prefix may begin with, in any case
}

func newPrefixSet(fold bool, prefixes ...string) *prefixSet {
	ps := &prefixSet{prefixes: prefixes, fold: fold}
	for _, p := range prefixes {
		r, _ := utf8.DecodeRuneInString(p)
		ps.first[utf8.AppendRune(nil, r)[0]] = true
		for f := unicode.SimpleFold(r); fold && f != r; f = unicode.SimpleFold(f) {
			ps.first[utf8.AppendRune(nil, f)[0]] = true
		}
	}
	return ps
}

// startOf reports whether s begins with one of the prefixes.
func (ps *prefixSet) startOf(s string) bool {
	if s == "" || !ps.first[s[0]] {
		return false
	}
	for _, p := range ps.prefixes {
		if ps.fold && hasPrefixFold(s, p) || !ps.fold && strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// isPerlSpace reports whether b is in the \s class of regular
// expressions: tab, newline, form feed, carriage return or space.
func isPerlSpace(b byte) bool {
	return b == '\t' || b == '\n' || b == '\f' || b == '\r' || b == ' '
}

// isASCIIWord reports whether b is in the \w class of regular
// expressions, which \b looks at.
func isASCIIWord(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '_'
}

// afterSeparator returns a canStart for expressions of the form
// (?:^|[seps])(words...): a match starts at the start of the text, or at
// one of seps (or \s when space is true) followed by one of prefixes,
// which begin every word (ignoring case when fold is true).
func afterSeparator(space bool, seps string, fold bool, prefixes ...string) func(s string, i int) bool {
	ps := newPrefixSet(fold, prefixes...)
	return func(s string, i int) bool {
		if i == 0 {
			return true
		}
		if i >= len(s) {
			return false
		}
		c := s[i]
		sep := space && isPerlSpace(c) || strings.IndexByte(seps, c) >= 0
		return sep && ps.startOf(s[i+1:])
	}
}

// atWordStart returns a canStart for case-insensitive expressions of the
// form \b(words...) whose words begin with one of prefixes, each starting
// with an ASCII letter whose other cases are ASCII too: a prefix not
// after another \w character.
func atWordStart(prefixes ...string) func(s string, i int) bool {
	ps := newPrefixSet(true, prefixes...)
	return func(s string, i int) bool {
		if i > 0 && isASCIIWord(s[i-1]) {
			return false
		}
		return ps.startOf(s[i:])
	}
}
