package index

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Spelling correction: a query word no document contains is replaced by
// the word the index holds that is fewest edits away, the most frequent
// among equals. Words shorter than minCorrectLen are never corrected.
const (
	minCorrectLen = 4
	twoEditsLen   = 7 // words this long may be two edits off
)

// correct returns text with its unknown words corrected, or "" when no
// word needs or has a correction.
func (ix *Index) correct(text string) (string, error) {
	changes := map[string]string{}
	x := ix.topics.expand(text)
	for _, w := range positiveWords(text) {
		if _, done := changes[w]; done || utf8.RuneCountInString(w) < minCorrectLen || x.known(w) ||
			queryStopWords()[w] || questionWords[w] || questionFrame[w] {
			continue
		}
		known, err := ix.holds(w)
		if err != nil {
			return "", err
		}
		if known {
			continue
		}
		best, err := ix.closestWord(w)
		if err != nil {
			return "", err
		}
		if best == "" {
			// A misspelt compound is rarely near a word of the index:
			// look for a compound of known words one edit away.
			if best, err = ix.closestCompound(w); err != nil {
				return "", err
			}
		}
		if best != "" {
			changes[w] = best
		}
	}
	if len(changes) == 0 {
		return "", nil
	}
	fields := strings.Fields(text)
	for i, f := range fields {
		core := strings.Trim(f, `+-"*?~^!()[]{}.,;`)
		if c, ok := changes[strings.ToLower(core)]; ok && core != "" {
			fields[i] = strings.Replace(f, core, c, 1)
		}
	}
	return strings.Join(fields, " "), nil
}

// holds reports whether the index holds a word of text in some form: as
// written, as a Swedish or English stem (names included), or as a
// compound part. It reads the term dictionaries, which costs microseconds
// where counting the documents costs a search; only a compound none of
// whose forms is a term is counted (its parts may stand in different
// words of one document).
func (ix *Index) holds(text string) (bool, error) {
	type fieldTerm struct{ field, term string }
	compound := false
	for _, tok := range wordsAnalyzer().Analyze([]byte(text)) {
		w := string(tok.Term)
		if tok.Type == partType || queryStopWords()[w] {
			continue
		}
		candidates := []fieldTerm{{fieldWords, w}}
		for _, t := range swedishAnalyzer().Analyze([]byte(w)) {
			if t.Type == partType {
				compound = true
				continue
			}
			for _, f := range []string{fieldTextSv, fieldTitleSv, fieldNames} {
				candidates = append(candidates, fieldTerm{f, string(t.Term)})
			}
		}
		for _, t := range englishAnalyzer().Analyze([]byte(w)) {
			candidates = append(candidates, fieldTerm{fieldTextEn, string(t.Term)}, fieldTerm{fieldTitleEn, string(t.Term)})
		}
		for _, c := range candidates {
			ok, err := ix.hasTerm(c.field, c.term)
			if err != nil || ok {
				return ok, err
			}
		}
	}
	if !compound {
		return false, nil
	}
	n, err := ix.wordCount(text)
	return n > 0, err
}

// hasTerm reports whether field's term dictionary holds term.
func (ix *Index) hasTerm(field, term string) (bool, error) {
	n, err := ix.termCount(field, term)
	return n > 0, err
}

// termCount returns how many documents hold term in field.
func (ix *Index) termCount(field, term string) (uint64, error) {
	d, err := ix.bleve.FieldDictRange(field, []byte(term), []byte(term))
	if err != nil {
		return 0, fmt.Errorf("reading the terms of %s: %w", field, err)
	}
	defer d.Close()
	e, err := d.Next()
	if err != nil {
		return 0, fmt.Errorf("reading the terms of %s: %w", field, err)
	}
	if e == nil || e.Term != term {
		return 0, nil
	}
	return e.Count, nil
}

// wordCount returns how many documents the word w finds, as a word of its
// own, inflected or in a compound, in either language.
func (ix *Index) wordCount(w string) (uint64, error) {
	res, err := ix.bleve.Search(newCountRequest(wordsQuery(w, 0)))
	if err != nil {
		return 0, fmt.Errorf("counting %q: %w", w, err)
	}
	return res.Total, nil
}

// closestWord returns the word of the index closest to w, or "".
func (ix *Index) closestWord(w string) (string, error) {
	maxEdits := 1
	if utf8.RuneCountInString(w) >= twoEditsLen {
		maxEdits = 2
	}
	type cand struct {
		term  string
		dist  int
		count uint64
	}
	var best cand
	consider := func(term string, count uint64) {
		if term == w || utf8.RuneCountInString(term) < minCorrectLen {
			return
		}
		d := editDistance(w, term, maxEdits)
		if d > maxEdits {
			return
		}
		c := cand{term, d, count}
		if best.term == "" || cmp.Or(cmp.Compare(c.dist, best.dist), cmp.Compare(best.count, c.count), strings.Compare(c.term, best.term)) < 0 {
			best = c
		}
	}
	dict, err := ix.fuzzyDict(w, maxEdits)
	if err != nil {
		return "", fmt.Errorf("looking up words near %q: %w", w, err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return "", fmt.Errorf("looking up words near %q: %w", w, err)
		}
		if e == nil {
			break
		}
		count := e.Count
		if count == 0 {
			// Scorch's fuzzy dictionary leaves the counts out.
			if count, err = ix.termCount(fieldWords, e.Term); err != nil {
				return "", fmt.Errorf("looking up words near %q: %w", w, err)
			}
		}
		consider(e.Term, count)
	}
	return best.term, nil
}

// maxCompoundCandidates is how many compounds one edit from a misspelt
// word closestCompound counts hits for.
const maxCompoundCandidates = 8

// swedishLetters are the letters an edit may insert or substitute.
const swedishLetters = "abcdefghijklmnopqrstuvwxyzåäö"

// closestCompound returns the compound of dictionary words one edit from
// w that finds the most documents, or "": "beredskabslager" is
// "beredskapslager", "naturbruksgymasium" is "naturbruksgymnasium".
func (ix *Index) closestCompound(w string) (string, error) {
	d := builtinDict()
	type cand struct {
		word          string
		parts, domain int
	}
	var cands []cand
	for _, v := range edits1(w) {
		if slices.ContainsFunc(cands, func(c cand) bool { return c.word == v }) {
			continue
		}
		if parts := d.Split(v); parts != nil {
			c := cand{word: v, parts: len(parts)}
			for _, p := range parts {
				if d.words[p.Text]&wordDomain != 0 {
					c.domain++
				}
			}
			cands = append(cands, c)
		}
	}
	// The likeliest first: fewest parts, most domain words.
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.parts, b.parts), cmp.Compare(b.domain, a.domain), strings.Compare(a.word, b.word))
	})
	var best string
	var bestCount uint64
	for _, c := range cands[:min(len(cands), maxCompoundCandidates)] {
		n, err := ix.wordCount(c.word)
		if err != nil {
			return "", err
		}
		if n > bestCount {
			best, bestCount = c.word, n
		}
	}
	return best, nil
}

// edits1 returns the words one edit from w: a letter deleted, inserted or
// replaced, or two adjacent letters swapped.
func edits1(w string) []string {
	r := []rune(w)
	letters := []rune(swedishLetters)
	var out []string
	for i := 0; i <= len(r); i++ {
		if i < len(r) {
			out = append(out, string(slices.Concat(r[:i], r[i+1:])))
			if i+1 < len(r) {
				t := slices.Clone(r)
				t[i], t[i+1] = t[i+1], t[i]
				out = append(out, string(t))
			}
		}
		for _, l := range letters {
			out = append(out, string(slices.Concat(r[:i], []rune{l}, r[i:])))
			if i < len(r) && r[i] != l {
				t := slices.Clone(r)
				t[i] = l
				out = append(out, string(t))
			}
		}
	}
	return out
}

// fuzzyDict returns the words of the index that share w's first letter
// and may be within maxEdits of it: from the index's own fuzzy dictionary
// where it has one, else every word with that letter. A misspelling
// rarely starts wrong, and names that differ in their first letters are
// other names ("Sörmland" is not "Värmland").
func (ix *Index) fuzzyDict(w string, maxEdits int) (bindex.FieldDict, error) {
	first, _ := utf8.DecodeRuneInString(w)
	adv, err := ix.bleve.Advanced()
	if err == nil {
		r, err := adv.Reader()
		if err == nil {
			if fr, ok := r.(bindex.IndexReaderFuzzy); ok {
				d, err := fr.FieldDictFuzzy(fieldWords, w, maxEdits, string(first))
				if err == nil {
					return closingDict{d, r}, nil
				}
			}
			_ = r.Close()
		}
	}
	return ix.bleve.FieldDictPrefix(fieldWords, []byte(string(first)))
}

// closingDict closes its reader with the dictionary.
type closingDict struct {
	bindex.FieldDict
	r bindex.IndexReader
}

func (d closingDict) Close() error {
	err := d.FieldDict.Close()
	if rerr := d.r.Close(); err == nil {
		err = rerr
	}
	return err
}

// editDistance returns the Damerau-Levenshtein distance (with adjacent
// transpositions) of a and b in runes, or limit+1 when it exceeds limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit+1)
}

// newCountRequest returns a request for the number of hits of q only.
func newCountRequest(q query.Query) *bleve.SearchRequest {
	return bleve.NewSearchRequestOptions(q, 0, 0, false)
}
