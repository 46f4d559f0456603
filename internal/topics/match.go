package topics

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// SnippetLength is the length in characters a snippet aims at; it may be a
// little shorter because it is cut at word boundaries, or longer when the
// matched word itself is.
const SnippetLength = 200

// Length classes of single-word terms, in letters.
const (
	maxShort  = 4 // at most this long: never a compound head
	minInside = 6 // at least this long: also in the middle of a compound
	minLeft   = 3 // letters a compound needs before a term inside it
	keyLen    = 3 // letters of the index key
)

// inflections are the endings a word may take and still count as the term:
// Swedish noun and verb endings, and English -s, -es, -ing, -ed.
var inflections = map[string]bool{
	"": true, "s": true, "n": true, "ns": true, "na": true, "nas": true,
	"en": true, "ens": true, "et": true, "ets": true,
	"ar": true, "ars": true, "arna": true, "arnas": true,
	"er": true, "ers": true, "erna": true, "ernas": true,
	"or": true, "ors": true, "orna": true, "ornas": true,
	"es": true, "ing": true, "ings": true, "ed": true,
}

// dropEInflections are the endings of words whose final e falls away, as
// in "skogsägare" → "skogsägarna", "drönare" → "drönarens".
var dropEInflections = map[string]bool{
	"na": true, "nas": true, "ar": true, "ars": true, "arna": true, "arnas": true,
}

// blockedRests are remainders that turn a term into another word rather
// than inflect or compound it: "bidragit" is a verb, "leadership" not the
// Leader programme.
var blockedRests = map[string]bool{"it": true, "ship": true, "ships": true, "ly": true}

// falseFriends are words that look like an inflected short term but are
// common other words: "träna" is "to train", not "the woods".
var falseFriends = map[string]bool{"träna": true, "tränas": true}

// word is one single-word term, compiled.
type word struct {
	topic  int    // index of the topic
	term   string // the term as the vocabulary writes it
	lower  string // lower-case form
	stem   string // lower without its final e, for long words ending in e; else ""
	short  bool   // at most maxShort letters
	inside bool   // at least minInside letters
}

// phrase is one multi-word term, compiled.
type phrase struct {
	topic int
	term  string
	words []string // lower-case words but the last
	last  *word    // the last word, matched with inflections
}

// Matcher finds vocabulary topics in text. It is built once and is safe
// for concurrent use.
type Matcher struct {
	topics  []kg.Topic
	byKey   map[string][]*word   // lower-case words of keyLen letters or more, by their first keyLen letters
	byLower map[string][]*word   // lower-case words shorter than keyLen letters
	byCase  map[string][]*word   // capitalised terms such as "AI", by exact spelling
	phrases map[string][]*phrase // by first word and by its adjective stem

	keyPairs [1 << 16 / 64]uint64 // a bit for the first two bytes of each key of byKey
}

// pairBit returns the index in keyPairs of the first two bytes of s,
// which has at least two.
func pairBit(s string) uint16 { return uint16(s[0])<<8 | uint16(s[1]) }

// mayBeKey reports whether some key of byKey starts with the first two
// bytes of s.
func (m *Matcher) mayBeKey(s string) bool {
	if len(s) < 2 {
		return true
	}
	b := pairBit(s)
	return m.keyPairs[b/64]&(1<<(b%64)) != 0
}

// NewMatcher compiles a vocabulary. Topics without terms never match.
func NewMatcher(topics []kg.Topic) *Matcher {
	m := &Matcher{
		topics:  append([]kg.Topic(nil), topics...),
		byKey:   map[string][]*word{},
		byLower: map[string][]*word{},
		byCase:  map[string][]*word{},
		phrases: map[string][]*phrase{},
	}
	for ti, t := range m.topics {
		for _, term := range t.Terms {
			nfc := norm.NFC.String(term)
			toks := tokenize(nfc)
			switch {
			case len(toks) == 0:
				continue
			case len(toks) == 1 && isCapitalised(toks[0].in(nfc)):
				w := &word{topic: ti, term: term, lower: toks[0].in(nfc)}
				m.byCase[w.lower] = append(m.byCase[w.lower], w)
			case len(toks) == 1:
				w := newWord(ti, term, toks[0].lower)
				m.addWord(w)
			default:
				p := &phrase{topic: ti, term: term, last: newWord(ti, term, toks[len(toks)-1].lower)}
				for _, tk := range toks[:len(toks)-1] {
					p.words = append(p.words, tk.lower)
				}
				first := p.words[0]
				m.phrases[first] = append(m.phrases[first], p)
				if s := adjectiveStem(first); s != first {
					m.phrases[s] = append(m.phrases[s], p)
				}
			}
		}
	}
	return m
}

func newWord(topic int, term, lower string) *word {
	n := utf8.RuneCountInString(lower)
	w := &word{topic: topic, term: term, lower: lower, short: n <= maxShort, inside: n >= minInside}
	if n >= minInside && strings.HasSuffix(lower, "e") {
		w.stem = strings.TrimSuffix(lower, "e")
	}
	return w
}

func (m *Matcher) addWord(w *word) {
	if utf8.RuneCountInString(w.lower) < keyLen {
		m.byLower[w.lower] = append(m.byLower[w.lower], w)
		return
	}
	k := w.lower[:prefixBytes(w.lower, keyLen)]
	m.byKey[k] = append(m.byKey[k], w)
	if len(k) >= 2 {
		b := pairBit(k)
		m.keyPairs[b/64] |= 1 << (b % 64)
	}
}

// isCapitalised reports whether s has at least two letters, all upper case.
func isCapitalised(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// adjectiveStem strips one Swedish adjective ending (a, t, e) from words of
// more than three letters, so that "civilt försvar" finds "civila försvaret".
func adjectiveStem(s string) string {
	if utf8.RuneCountInString(s) <= 3 {
		return s
	}
	if strings.HasSuffix(s, "a") || strings.HasSuffix(s, "t") || strings.HasSuffix(s, "e") {
		return s[:len(s)-1]
	}
	return s
}

// matchHead reports whether tok is w, w inflected, or a compound that
// begins with w.
func (w *word) matchHead(tok string) bool {
	if strings.HasPrefix(tok, w.lower) {
		rest := tok[len(w.lower):]
		if w.short {
			return inflections[rest] && !falseFriends[tok]
		}
		return !blockedRests[rest]
	}
	if w.stem != "" && strings.HasPrefix(tok, w.stem) {
		rest := tok[len(w.stem):]
		return rest != "" && !blockedRests[rest]
	}
	return false
}

// matchInside reports whether w stands at rest, the tail of a compound
// token after at least minLeft letters: at its end, inflected, or (for
// long words) followed by another part of the compound.
func (w *word) matchInside(tok, rest string) bool {
	if strings.HasPrefix(rest, w.lower) {
		after := rest[len(w.lower):]
		if inflections[after] {
			return !falseFriends[tok]
		}
		return w.inside && !blockedRests[after]
	}
	if w.stem != "" && strings.HasPrefix(rest, w.stem) {
		after := rest[len(w.stem):]
		return dropEInflections[after] || (after != "" && !blockedRests[after])
	}
	return false
}

// hit is a term found at a token.
type hit struct {
	topic int
	term  string
	end   int // index of the last token it covers
}

// Match returns the topics that text shows, sorted by topic id: for each,
// the term first found, how many times the topic's terms occur, and a
// snippet of about SnippetLength characters around the first occurrence.
// Matching ignores case, except for capitalised terms like "AI".
func (m *Matcher) Match(text string) []kg.TopicMatch {
	return m.MatchOutside(text, nil)
}

// Range is the byte range [Start, End) of a text.
type Range struct{ Start, End int }

// MatchOutside is Match, ignoring the words that begin inside one of skip:
// the names of organisations, whose words ("Landsbygdsnätverket", "Örebro
// universitet", "Skogsstyrelsen") are no sign that a text is about a
// topic. The ranges are byte offsets into text; they apply only when text
// is in Unicode normal form C, as Match reads it, and are ignored
// otherwise.
func (m *Matcher) MatchOutside(text string, skip []Range) []kg.TopicMatch {
	if m == nil || len(m.topics) == 0 || text == "" {
		return nil
	}
	if !norm.NFC.IsNormalString(text) {
		text, skip = norm.NFC.String(text), nil
	}
	skipped := func(off int) bool {
		for _, r := range skip {
			if off >= r.Start && off < r.End {
				return true
			}
		}
		return false
	}
	toks := tokenize(text)
	if len(toks) == 0 {
		return nil
	}
	type state struct {
		count   int
		lastEnd int
		term    string
		start   int // byte offsets of the first occurrence
		end     int
	}
	st := make([]state, len(m.topics))
	for i := range st {
		st[i].lastEnd = -1
	}
	var hits []hit
	for i := range toks {
		if len(skip) > 0 && skipped(toks[i].start) {
			continue
		}
		hits = m.hitsAt(text, toks, i, hits[:0])
		for _, h := range hits {
			s := &st[h.topic]
			if i <= s.lastEnd {
				continue
			}
			if s.count == 0 {
				s.term, s.start, s.end = h.term, toks[i].start, toks[h.end].end
			}
			s.count++
			s.lastEnd = h.end
		}
	}
	var out []kg.TopicMatch
	for ti, s := range st {
		if s.count == 0 {
			continue
		}
		out = append(out, kg.TopicMatch{
			TopicID: m.topics[ti].ID,
			Term:    s.term,
			Snippet: snippet(text, s.start, s.end, SnippetLength),
			Count:   s.count,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TopicID < out[j].TopicID })
	return out
}

// hitsAt appends to dst the terms that start at token i of text, at most one per
// topic: the one covering the most tokens, then the longest.
func (m *Matcher) hitsAt(text string, toks []token, i int, dst []hit) []hit {
	tok := toks[i]
	add := func(h hit) {
		for k := range dst {
			if dst[k].topic == h.topic {
				if h.end > dst[k].end || (h.end == dst[k].end && len(h.term) > len(dst[k].term)) {
					dst[k] = h
				}
				return
			}
		}
		dst = append(dst, h)
	}
	for _, w := range m.byCase[tok.in(text)] {
		add(hit{topic: w.topic, term: w.term, end: i})
	}
	for _, w := range m.byLower[tok.lower] {
		add(hit{topic: w.topic, term: w.term, end: i})
	}
	lw := tok.lower
	// Heads: the term begins the token.
	if n := prefixBytes(lw, keyLen); n > 0 {
		for _, w := range m.byKey[lw[:n]] {
			if w.matchHead(lw) {
				add(hit{topic: w.topic, term: w.term, end: i})
			}
		}
		// Tails and middles: the term begins after minLeft letters.
		pos := prefixBytes(lw, minLeft)
		for pos > 0 && pos < len(lw) {
			rest := lw[pos:]
			if k := prefixBytes(rest, keyLen); k > 0 {
				if !m.mayBeKey(rest) {
					// No term starts with these letters.
					_, size := utf8.DecodeRuneInString(rest)
					pos += size
					continue
				}
				for _, w := range m.byKey[rest[:k]] {
					if w.matchInside(lw, rest) {
						add(hit{topic: w.topic, term: w.term, end: i})
					}
				}
			} else {
				break
			}
			_, size := utf8.DecodeRuneInString(rest)
			pos += size
		}
	}
	// Phrases.
	cands := m.phrases[lw]
	if s := adjectiveStem(lw); s != lw {
		cands = append(cands[:len(cands):len(cands)], m.phrases[s]...)
	}
	for _, p := range cands {
		if end, ok := p.matchAt(toks, i); ok {
			add(hit{topic: p.topic, term: p.term, end: end})
		}
	}
	return dst
}

// matchAt reports whether p occurs at tokens i..., and the index of its
// last token.
func (p *phrase) matchAt(toks []token, i int) (int, bool) {
	n := len(p.words) + 1
	if i+n > len(toks) {
		return 0, false
	}
	for j, w := range p.words {
		tk := toks[i+j]
		if j > 0 && !tk.joined {
			return 0, false
		}
		if tk.lower != w && adjectiveStem(tk.lower) != adjectiveStem(w) {
			return 0, false
		}
	}
	last := toks[i+n-1]
	if !last.joined || !p.last.matchHead(last.lower) {
		return 0, false
	}
	return i + n - 1, true
}

// prefixBytes returns the byte length of the first n runes of s, or 0 if s
// has fewer than n runes.
func prefixBytes(s string, n int) int {
	i := 0
	for k := 0; k < n; k++ {
		if i >= len(s) {
			return 0
		}
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// token is a run of letters in a text.
type token struct {
	lower  string // lower case, without soft hyphens and zero-width characters
	start  int    // byte offsets in the text
	end    int
	joined bool // only spaces or hyphens separate it from the token before
}

// in returns the token as written in text.
func (t token) in(text string) string { return text[t.start:t.end] }

// isLetter reports whether r belongs to a word: letters (å, ä, ö, é and ü
// included) and combining marks.
func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

// isInvisible reports whether r is a character that may sit inside a word
// without splitting it: a soft hyphen or a zero-width character.
func isInvisible(r rune) bool {
	return r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060'
}

// tokenize splits text into runs of letters.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/6)
	// The lower-case forms that differ from the text share a builder's
	// buffer; a full buffer is left to the strings taken from it.
	var lowered strings.Builder
	gapStart := 0
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isLetter(r) {
			i += size
			continue
		}
		start := i
		simple := true // ASCII lower case only
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if isLetter(r) {
				if r >= utf8.RuneSelf || ('A' <= r && r <= 'Z') {
					simple = false
				}
			} else if !isInvisible(r) {
				break
			} else {
				simple = false
			}
			i += size
		}
		orig := text[start:i]
		lower := orig
		if !simple {
			if need := 3 * len(orig); lowered.Cap()-lowered.Len() < need {
				lowered = strings.Builder{}
				lowered.Grow(max(len(text)/8, need))
			}
			from := lowered.Len()
			for _, r := range orig {
				if !isInvisible(r) {
					lowered.WriteRune(unicode.ToLower(r))
				}
			}
			lower = lowered.String()[from:]
		}
		joined := len(toks) > 0 && isJoin(text[gapStart:start])
		toks = append(toks, token{lower: lower, start: start, end: i, joined: joined})
		gapStart = i
	}
	return toks
}

// isJoin reports whether gap, the text between two words, keeps them in one
// phrase: only spaces and hyphens.
func isJoin(gap string) bool {
	for _, r := range gap {
		if !unicode.IsSpace(r) && r != '-' && r != '\u2010' {
			return false
		}
	}
	return true
}

// snippet returns about n characters of text around [start, end), cut at
// whitespace so that no word is broken, whitespace collapsed, with "…"
// where text was cut.
func snippet(text string, start, end, n int) string {
	match := utf8.RuneCountInString(text[start:end])
	before := (n - match) / 2
	if before < 0 {
		before = 0
	}
	from := start
	for k := 0; k < before && from > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(text[:from])
		from -= size
	}
	after := n - match - utf8.RuneCountInString(text[from:start])
	to := end
	for k := 0; k < after && to < len(text); k++ {
		_, size := utf8.DecodeRuneInString(text[to:])
		to += size
	}
	if from > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:from]); !unicode.IsSpace(r) {
			if k := strings.IndexFunc(text[from:start], unicode.IsSpace); k >= 0 {
				from += k
			} else {
				from = wordStart(text, start)
			}
		}
	}
	if to < len(text) {
		if r, _ := utf8.DecodeRuneInString(text[to:]); !unicode.IsSpace(r) {
			if k := strings.LastIndexFunc(text[end:to], unicode.IsSpace); k >= 0 {
				to = end + k
			} else {
				to = wordEnd(text, end)
			}
		}
	}
	s := strings.Join(strings.Fields(text[from:to]), " ")
	if from > 0 {
		s = "…" + s
	}
	if to < len(text) {
		s += "…"
	}
	return s
}

// wordStart returns the offset where the whitespace-delimited word holding
// offset i begins.
func wordStart(text string, i int) int {
	k := strings.LastIndexFunc(text[:i], unicode.IsSpace)
	if k < 0 {
		return 0
	}
	_, size := utf8.DecodeRuneInString(text[k:])
	return k + size
}

// wordEnd returns the offset where the whitespace-delimited word holding
// offset i ends.
func wordEnd(text string, i int) int {
	k := strings.IndexFunc(text[i:], unicode.IsSpace)
	if k < 0 {
		return len(text)
	}
	return i + k
}
