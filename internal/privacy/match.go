package privacy

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Redacted replaces a suppressed name, e-mail address or phone number in
// text.
const Redacted = "[…]"

// hashPrefix separates the hashes of this list from any other use of the
// same values.
const hashPrefix = "klusterkarta/privacy/v1\x00"

// Kinds of hashed values.
const (
	kindID    = "id"
	kindName  = "name"
	kindEmail = "email"
	kindPhone = "phone"
)

// hashOf hashes a normalised value of a kind.
func hashOf(kind, value string) string {
	sum := sha256.Sum256([]byte(hashPrefix + kind + "\x00" + value))
	return hex.EncodeToString(sum[:])
}

// nameWords returns the words of a name as ids spell them: lower case,
// folded to ASCII, split at anything that is not a letter or a digit.
func nameWords(name string) []string {
	var words []string
	for _, w := range strings.Split(kg.Slug(name), "-") {
		if w != "" {
			words = append(words, w)
		}
	}
	return words
}

// minNameWords is how many words a name needs before it is redacted from
// text: a lone first name would hide everyone who shares it.
const minNameWords = 2

// normEmail normalises an e-mail address, also one written with "[at]" or
// "(at)" for "@"; it returns "" for anything that is not an address.
func normEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "mailto:")))
	s = atWord.ReplaceAllString(s, "@")
	if !emailRE.MatchString(s) || emailRE.FindString(s) != s {
		return ""
	}
	return s
}

// normPhone normalises a phone number to its digits, with the Swedish
// country code written as a leading 0; it returns "" for fewer than 7
// digits.
func normPhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(strings.TrimSpace(s), "+46"):
		d = "0" + strings.TrimPrefix(d, "46")
	case strings.HasPrefix(d, "0046"):
		d = "0" + strings.TrimPrefix(d, "0046")
	}
	if len(d) < 7 {
		return ""
	}
	return d
}

var (
	atWord  = regexp.MustCompile(`\s*[\[(]\s*at\s*[\])]\s*`)
	emailRE = regexp.MustCompile(`[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}`)
	// emailInText finds addresses in text, including "name [at] host.se".
	emailInText = regexp.MustCompile(`(?i)(mailto:)?[a-z0-9._%+\-]+(@|\s*[\[(]\s*at\s*[\])]\s*)[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}`)
)

// matcher redacts the values of a set of suppressions. It is immutable.
type matcher struct {
	ids    map[string]bool
	names  map[string]bool // hashes of space-joined name words
	emails map[string]bool
	phones map[string]bool
	lens   []int // the word counts of the suppressed names, ascending
}

// newMatcher builds a matcher over entries.
func newMatcher(entries []entry) *matcher {
	m := &matcher{ids: map[string]bool{}, names: map[string]bool{}, emails: map[string]bool{}, phones: map[string]bool{}}
	lens := map[int]bool{}
	for _, e := range entries {
		m.ids[e.ID] = true
		for _, n := range e.Names {
			m.names[n.Hash] = true
			lens[n.Words] = true
		}
		for _, h := range e.Emails {
			m.emails[h] = true
		}
		for _, h := range e.Phones {
			m.phones[h] = true
		}
	}
	for n := range lens {
		m.lens = append(m.lens, n)
	}
	sort.Ints(m.lens)
	return m
}

// empty reports whether nothing is suppressed.
func (m *matcher) empty() bool { return len(m.ids) == 0 }

// id reports whether a graph id is suppressed.
func (m *matcher) id(id string) bool { return len(m.ids) > 0 && m.ids[hashOf(kindID, id)] }

// name reports whether a whole name is suppressed.
func (m *matcher) name(name string) bool {
	w := nameWords(name)
	return len(w) >= minNameWords && m.names[hashOf(kindName, strings.Join(w, " "))]
}

// email reports whether s is a suppressed e-mail address.
func (m *matcher) email(s string) bool {
	n := normEmail(s)
	return n != "" && m.emails[hashOf(kindEmail, n)]
}

// phone reports whether s is a suppressed phone number.
func (m *matcher) phone(s string) bool {
	n := normPhone(s)
	return n != "" && m.phones[hashOf(kindPhone, n)]
}

// token is one word of a text: its byte span and its folded form.
type token struct {
	start, end int
	word       string
}

// tokens splits text into words at anything not a letter or a digit.
func tokens(text string) []token {
	var out []token
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, token{start, i, kg.Slug(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{start, len(text), kg.Slug(text[start:])})
	}
	return out
}

// span is a byte range of text to redact.
type span struct{ start, end int }

// redact replaces every suppressed name, e-mail address and phone number in
// text with Redacted.
func (m *matcher) redact(text string) string {
	if m.empty() || text == "" {
		return text
	}
	var spans []span
	if len(m.emails) > 0 && mayHaveEmail(text) {
		for _, loc := range emailInText.FindAllStringIndex(text, -1) {
			if m.email(text[loc[0]:loc[1]]) {
				spans = append(spans, span{loc[0], loc[1]})
			}
		}
	}
	if len(m.phones) > 0 {
		phoneRuns(text, func(start, end int) {
			if m.phone(text[start:end]) {
				spans = append(spans, span{start, end})
			}
		})
	}
	if len(m.names) > 0 {
		toks := tokens(text)
		for _, n := range m.lens {
			for i := 0; i+n <= len(toks); i++ {
				words := make([]string, n)
				for j := range n {
					words[j] = toks[i+j].word
				}
				if m.names[hashOf(kindName, strings.Join(words, " "))] {
					spans = append(spans, span{toks[i].start, toks[i+n-1].end})
				}
			}
		}
	}
	if len(spans) == 0 {
		return text
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	pos := 0
	for _, s := range spans {
		if s.end <= pos {
			continue // inside a span already redacted
		}
		if s.start < pos {
			s.start = pos
		} else {
			b.WriteString(text[pos:s.start])
			b.WriteString(Redacted)
		}
		pos = s.end
	}
	b.WriteString(text[pos:])
	return b.String()
}

// mayHaveEmail reports whether text has an "@" or an "at" in brackets, so
// that texts without any address skip the slower address search.
func mayHaveEmail(text string) bool {
	if strings.Contains(text, "@") {
		return true
	}
	for _, at := range []string{"at]", "at)", "AT]", "AT)", "At]", "At)"} {
		if strings.Contains(text, at) {
			return true
		}
	}
	return false
}

// phoneRuns calls fn with the byte span of every phone-like run of text:
// an optional "+", then digits, spaces, hyphens and en dashes, ending in a
// digit. It scans text once.
func phoneRuns(text string, fn func(start, end int)) {
	const enDash = "–"
	for i := 0; i < len(text); {
		c := text[i]
		if c != '+' && (c < '0' || c > '9') {
			i++
			continue
		}
		start, j, lastDigit := i, i, -1
		if c == '+' {
			j++
		}
		for j < len(text) {
			switch c := text[j]; {
			case c >= '0' && c <= '9':
				lastDigit = j
				j++
				continue
			case c == ' ' || c == '-':
				j++
				continue
			case strings.HasPrefix(text[j:], enDash):
				j += len(enDash)
				continue
			}
			break
		}
		if lastDigit >= 0 && lastDigit+1-start >= 7 {
			fn(start, lastDigit+1)
		}
		i = max(j, start+1)
	}
}
