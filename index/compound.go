package index

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// compoundFilterName is the registered name of the Swedish decompounding
// token filter. The name is stored in index mappings: never change it.
const compoundFilterName = "klusterkarta_sv_compound"

// Decompounding limits, in letters.
const (
	minCompound    = 6 // shorter words are never split
	minDomainPart  = 3 // shortest part taken from the domain words ("mat", "gas")
	minGeneralPart = 4 // shortest part taken from the general word list
	maxCompound    = 40
	minKnownPart   = 6 // shortest general part of a word that is itself in the dictionary
)

// linkingLetters join the parts of Swedish compounds: självförsörjning-s-grad,
// natur-e-lig is not a compound, but hund-e-gård, kyrk-o-gård, gat-u-kök,
// veck-o-tidning and dag-a-tal are.
const linkingLetters = "seauo"

// partType marks the tokens of a compound's parts, so that a query can
// require all parts of a compound the user typed.
const partType = analysis.Shingle

func init() {
	err := registry.RegisterTokenFilter(compoundFilterName,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return &compoundFilter{dict: builtinDict()}, nil
		})
	if err != nil {
		panic(err)
	}
}

// Part is one part of a compound word: its text and its byte offsets in
// the word.
type Part struct {
	Text       string
	Start, End int
}

// Split splits the lower-case word w into the fewest dictionary words that
// make it, joined directly or by a linking letter (-s-, -e-, -a-, -u-,
// -o-). The last part may be inflected ("strategin" for "strategi"); the
// others are base forms, or stems that drop a final -a or -e ("skol" for
// "skola"). Among splits with equally many parts it prefers those with more
// domain words, then those with the longest parts. Split returns nil when w
// is no compound of known words. The result may be shared with other
// callers: it must not be modified.
func (d *Dictionary) Split(w string) []Part {
	if d.cache == nil {
		return d.split(w)
	}
	if parts, ok := d.cache.get(w); ok {
		return parts
	}
	parts := slices.Clip(d.split(w))
	d.cache.put(w, parts)
	return parts
}

// split is Split without the cache.
func (d *Dictionary) split(w string) []Part {
	n := utf8.RuneCountInString(w)
	if n < minCompound || n > maxCompound || d.whole[w] {
		return nil
	}
	// best[i] is the best split of w[i:], computed from the end: its
	// first part is w[i:end], and the rest is best[next] (none when end
	// is len(w)).
	type split struct {
		ok        bool
		n         int // parts
		domain    int // parts from the domain words
		square    int // sum of the squared part lengths
		end, next int
	}
	var stack [64]split
	best := stack[:0]
	if len(w)+1 > len(stack) {
		best = make([]split, 0, len(w)+1)
	}
	best = best[:len(w)+1]
	better := func(a, b split) bool {
		if !b.ok {
			return true
		}
		if a.n != b.n {
			return a.n < b.n
		}
		if a.domain != b.domain {
			return a.domain > b.domain
		}
		return a.square > b.square
	}
	var buf []byte // a part with a dropped final letter, for firstPart
	for i := len(w) - 1; i >= 0; i-- {
		if !utf8.RuneStart(w[i]) {
			continue
		}
		var cur split
		if i > 0 {
			if dom, ok := d.lastPart(w[i:]); ok {
				l := utf8.RuneCountInString(w[i:])
				cur = split{ok: true, n: 1, domain: b2i(dom), square: l * l, end: len(w), next: len(w)}
			}
		}
		l := 0 // letters of w[i:j]
		for j := i + 1; j < len(w); j++ {
			if !utf8.RuneStart(w[j]) {
				continue
			}
			l++
			// Only a part before a splittable rest is looked up.
			if !best[j].ok && !(j+1 < len(w) && best[j+1].ok && strings.ContainsRune(linkingLetters, rune(w[j]))) {
				continue
			}
			dom, ok := d.firstPart(w[i:j], l, &buf)
			if !ok {
				continue
			}
			for k := j; k <= j+1; k++ {
				if k == j+1 && (k >= len(w) || !strings.ContainsRune(linkingLetters, rune(w[j]))) {
					continue
				}
				rest := best[k]
				if !rest.ok {
					continue
				}
				c := split{
					ok:     true,
					n:      rest.n + 1,
					domain: rest.domain + b2i(dom),
					square: rest.square + l*l,
					end:    j,
					next:   k,
				}
				if better(c, cur) {
					cur = c
				}
			}
		}
		best[i] = cur
	}
	if !best[0].ok || best[0].n < 2 {
		return nil
	}
	parts := make([]Part, 0, best[0].n)
	for i := 0; i < len(w); i = best[i].next {
		parts = append(parts, Part{w[i:best[i].end], i, best[i].end})
	}
	if _, known := d.lastPart(w); known {
		// A known word splits only into clear parts: "företagare" is
		// not "före" + "tagare".
		for _, p := range parts {
			if dom, _ := d.word(p.Text); !dom && utf8.RuneCountInString(p.Text) < minKnownPart {
				if dom, _ := d.lastPart(p.Text); !dom {
					return nil
				}
			}
		}
	}
	return parts
}

// Spans returns, for a compound of three or more parts, the shorter
// compounds inside it: every run of two or more adjacent parts that is not
// the whole word, from the start of its first part to the end of its last
// ("självförsörjning" and "försörjningsgrad" in självförsörjningsgrad).
func Spans(w string, parts []Part) []Part {
	var out []Part
	for size := len(parts) - 1; size >= 2; size-- {
		for i := 0; i+size <= len(parts); i++ {
			start, end := parts[i].Start, parts[i+size-1].End
			out = append(out, Part{Text: w[start:end], Start: start, End: end})
		}
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// word reports whether p is a dictionary word long enough to be a part,
// and whether it is a domain word.
func (d *Dictionary) word(p string) (domain, ok bool) {
	k := d.words[p]
	if k == 0 {
		return false, false
	}
	return d.kindWord(k, utf8.RuneCountInString(p))
}

// kindWord is word for a word of kind k (its wordDomain and wordGeneral
// bits) and n letters.
func (d *Dictionary) kindWord(k wordKind, n int) (domain, ok bool) {
	if k&wordDomain != 0 && n >= minDomainPart {
		return true, true
	}
	if k&wordGeneral != 0 && n >= minGeneralPart {
		return false, true
	}
	return false, false
}

// firstPart reports whether p, of n letters, can start or continue a
// compound: a dictionary word, or a stem that drops the final -a or -e
// of one. buf is scratch space for the stem's word.
func (d *Dictionary) firstPart(p string, n int, buf *[]byte) (domain, ok bool) {
	if k := d.words[p]; k != 0 {
		if dom, ok := d.kindWord(k, n); ok {
			return dom, true
		}
	}
	if n >= minGeneralPart {
		b := append(append((*buf)[:0], p...), 'a')
		*buf = b
		for _, v := range []byte{'a', 'e'} {
			b[len(b)-1] = v
			if k := d.words[string(b)]; k != 0 {
				if dom, ok := d.kindWord(k, n+1); ok {
					return dom, true
				}
			}
		}
	}
	return false, false
}

// lastEndings are the inflection endings a compound's last part may carry.
var lastEndings = []string{
	"arnas", "ernas", "ornas", "arna", "erna", "orna", "ens", "ets", "ars", "ers", "ors",
	"ar", "er", "or", "en", "et", "na", "ns", "s", "n", "t", "r", "e",
}

// lastPart reports whether p can end a compound: a dictionary word, or an
// inflected form of one.
func (d *Dictionary) lastPart(p string) (domain, ok bool) {
	if dom, ok := d.word(p); ok {
		return dom, true
	}
	for _, suf := range lastEndings {
		if base, cut := strings.CutSuffix(p, suf); cut {
			if dom, ok := d.word(base); ok {
				return dom, true
			}
		}
	}
	var forms [4]string
	for _, base := range appendIndefiniteForms(forms[:0], p) {
		if dom, ok := d.word(base); ok {
			return dom, true
		}
	}
	return false, false
}

// compoundFilter adds, after each Swedish compound, its parts at the same
// position, with the byte offsets of each part in the original text so
// that highlights mark the part. The compound itself is kept.
type compoundFilter struct {
	dict *Dictionary
}

// Filter implements analysis.TokenFilter.
func (f *compoundFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i, tok := range in {
		var parts []Part
		// Words too short to split are not copied for Split.
		if !tok.KeyWord && utf8.RuneCount(tok.Term) >= minCompound && allLetters(tok.Term) {
			parts = f.dict.Split(string(tok.Term))
		}
		if parts == nil {
			if out != nil {
				out = append(out, tok)
			}
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, i, len(in)+4*(len(in)-i))
			copy(out, in[:i])
		}
		out = append(out, tok)
		// Offsets map into the text only when lower-casing kept the
		// length; otherwise each part gets the whole word's.
		exact := tok.End-tok.Start == len(tok.Term)
		for _, p := range append(parts, Spans(string(tok.Term), parts)...) {
			start, end := tok.Start, tok.End
			if exact {
				start, end = tok.Start+p.Start, tok.Start+p.End
			}
			out = append(out, &analysis.Token{
				Term:     []byte(p.Text),
				Start:    start,
				End:      end,
				Position: tok.Position,
				Type:     partType,
			})
		}
	}
	if out == nil {
		return in
	}
	return out
}

// allLetters reports whether b is made of letters only.
func allLetters(b []byte) bool {
	for _, r := range string(b) {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return len(b) > 0
}
