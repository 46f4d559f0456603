package index

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Weights of the clauses a query naming a topic or glossary concept adds,
// measured with index/cmd/evalsearch: the topic's other terms weigh much
// less than the user's own words (more when the user's words are not in
// the index: translationBoost), glossary translations of such words half
// as much as the words themselves, and documents tagged with the topic
// get a lift: topicTagBoost when the user named the topic with words the
// index does not hold (an English word over Swedish pages), half of it
// (foundTagBoost) when the words are in the index, so that the pages
// with them weigh more against pages that are only tagged.
const (
	expansionBoost   = 0.1
	translationBoost = 0.25
	glossaryBoost    = 0.5
	topicTagBoost    = 2.0
	foundTagBoost    = 1.0
)

// topicExpander finds the topics a query names, in Swedish or English, and
// expands the query with the topics' other terms.
type topicExpander struct {
	topics []expandTopic
	im     *mapping.IndexMappingImpl
}

// glossaryFile holds the English and Swedish words of the green
// industries that mean the same: one concept a line, terms separated by
// commas.
const glossaryFile = "dict/glossary.txt"

// glossary returns the concepts of the glossary.
var glossary = sync.OnceValue(func() []concept {
	b, err := dictFiles.ReadFile(glossaryFile)
	if err != nil {
		// The file is compiled in; a failure here is a build defect.
		panic(fmt.Sprintf("reading %s: %v", glossaryFile, err))
	}
	return parseGlossary(string(b))
})

// concept is one line of the glossary: its English and Swedish terms.
type concept struct {
	en, sv []string
}

// parseGlossary reads glossary lines, "english, english | svenska,
// svenska"; blank lines, # comments and lines without terms on both
// sides of the bar are skipped.
func parseGlossary(text string) []concept {
	var out []concept
	terms := func(s string) []string {
		var ts []string
		for _, t := range strings.Split(s, ",") {
			if t = strings.TrimSpace(t); t != "" && !slices.Contains(ts, t) {
				ts = append(ts, t)
			}
		}
		return ts
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		en, sv, ok := strings.Cut(line, "|")
		c := concept{en: terms(en), sv: terms(sv)}
		if ok && len(c.en) > 0 && len(c.sv) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// expandTopic is one topic with each term analysed by both analysers.
type expandTopic struct {
	id      string
	terms   []string
	seqs    [][][]string // per term: its term sequence under each analyser
	targets []string     // what the topic expands to; nil: its terms the query does not contain
}

// analysers a query and the topic terms are read with.
var expandAnalysers = []string{analyzerSwedish, en.AnalyzerName}

func newTopicExpander(topics []kg.Topic) *topicExpander {
	im, err := newMapping()
	if err != nil {
		// The mapping is fixed by this package; it always builds.
		panic(err)
	}
	e := &topicExpander{im: im}
	for _, t := range topics {
		et := expandTopic{id: t.ID}
		for _, term := range append([]string{t.SV, t.EN}, t.Terms...) {
			term = strings.TrimSpace(term)
			if term == "" || slices.Contains(et.terms, term) {
				continue
			}
			et.terms = append(et.terms, term)
			et.seqs = append(et.seqs, e.termSeqs(term))
		}
		e.topics = append(e.topics, et)
	}
	// Each line of the glossary is two topics without an id, one each
	// way: its terms in one language expand to those of the other, and
	// no topic tag is searched.
	for _, c := range glossary() {
		for _, way := range [][2][]string{{c.en, c.sv}, {c.sv, c.en}} {
			et := expandTopic{targets: way[1]}
			for _, term := range way[0] {
				et.terms = append(et.terms, term)
				et.seqs = append(et.seqs, e.termSeqs(term))
			}
			e.topics = append(e.topics, et)
		}
	}
	return e
}

// termSeqs returns the term sequence of term under each analyser.
func (e *topicExpander) termSeqs(term string) [][]string {
	var seqs [][]string
	for _, a := range expandAnalysers {
		seqs = append(seqs, e.firstTerms(a, term))
	}
	return seqs
}

// analyse returns the terms of text under analyser a, grouped by position:
// at each position the word's own terms (the word and its stems), and
// apart the parts of a compound: its modifiers and its head, the last
// part ("fisk" and "odling" of "fiskodling"), and the position of the
// word in text.
func (e *topicExpander) analyse(a, text string) (words, mods, heads [][]string, at []int) {
	ts, err := e.im.AnalyzeText(a, []byte(text))
	if err != nil {
		return nil, nil, nil, nil
	}
	for i := 0; i < len(ts); {
		j := i
		end := 0 // where the word ends
		for j < len(ts) && ts[j].Position == ts[i].Position {
			end = max(end, ts[j].End)
			j++
		}
		var w, m, h []string
		for _, tok := range ts[i:j] {
			switch {
			case tok.Type != partType:
				w = append(w, string(tok.Term))
			case tok.End == end:
				h = append(h, string(tok.Term))
			default:
				m = append(m, string(tok.Term))
			}
		}
		words, mods, heads = append(words, w), append(mods, m), append(heads, h)
		at = append(at, ts[i].Position)
		i = j
	}
	return words, mods, heads, at
}

// firstTerms returns the main term at each position of text under a.
func (e *topicExpander) firstTerms(a, text string) []string {
	var out []string
	words, _, _, _ := e.analyse(a, text)
	for _, pos := range words {
		if len(pos) > 0 {
			out = append(out, pos[0])
		}
	}
	return out
}

// expansion is what a query adds for the topics it names.
type expansion struct {
	topics  []string      // ids of the topics named
	terms   []string      // the topics' terms the query does not contain
	matched []string      // the topics' terms the query contains
	groups  []expandGroup // per topic or glossary concept named
}

// expandGroup is one topic or glossary concept a query names.
type expandGroup struct {
	topic    string   // the topic's id; empty for a concept of the glossary
	glossary bool     // a concept of the glossary, not a topic
	matched  []string // its terms the query contains
	at       []int    // the positions in the query of the words it matched
	terms    []string // its other terms
}

// known reports whether the lower-case word w is a word of a term the
// query named a topic with; such a word needs no spelling correction.
func (x expansion) known(w string) bool {
	for _, t := range x.matched {
		if slices.Contains(strings.Fields(strings.ToLower(t)), w) {
			return true
		}
	}
	return false
}

// expand finds the topics whose terms occur in text and returns them with
// their other terms.
func (e *topicExpander) expand(text string) expansion {
	var x expansion
	if e == nil || strings.TrimSpace(text) == "" {
		return x
	}
	// A topic is named by the query's words, or by a part of one of its
	// compounds. The head of a compound that names a topic itself names
	// no other: "fiskodling" is fish farming, not the "odling" of crops,
	// while "biogasanläggning" names biogas through its first part.
	var qs [][][]string // per analyser: the query's terms by position
	var at [][]int      // per analyser: the position in text of each
	longest := 0
	for a, name := range expandAnalysers {
		words, mods, heads, pos := e.analyse(name, text)
		at = append(at, pos)
		longest = max(longest, len(words))
		whole := make([]bool, len(words))
		for _, t := range e.topics {
			for _, seqs := range t.seqs {
				markSeq(words, seqs[a], whole)
			}
		}
		for i := range words {
			words[i] = append(slices.Clip(words[i]), mods[i]...)
			if !whole[i] {
				words[i] = append(words[i], heads[i]...)
			}
		}
		qs = append(qs, words)
	}
	buf := make([]bool, longest)
	for _, t := range e.topics {
		var matched, positions []int
		for i, seqs := range t.seqs {
			for a, seq := range seqs {
				in := buf[:len(qs[a])]
				clear(in)
				markSeq(qs[a], seq, in)
				if !slices.Contains(in, true) {
					continue
				}
				matched = append(matched, i)
				for k, ok := range in {
					if ok && !slices.Contains(positions, at[a][k]) {
						positions = append(positions, at[a][k])
					}
				}
				break
			}
		}
		if len(matched) == 0 {
			continue
		}
		if t.id != "" {
			x.topics = append(x.topics, t.id)
		}
		g := expandGroup{topic: t.id, glossary: t.targets != nil, at: positions}
		for _, i := range matched {
			x.matched = append(x.matched, t.terms[i])
			g.matched = append(g.matched, t.terms[i])
		}
		others := t.targets
		if others == nil {
			for i, term := range t.terms {
				if !slices.Contains(matched, i) {
					others = append(others, term)
				}
			}
		}
		for _, term := range others {
			g.terms = append(g.terms, term)
			if !slices.Contains(x.terms, term) {
				x.terms = append(x.terms, term)
			}
		}
		x.groups = append(x.groups, g)
	}
	return x
}

// markSeq sets at[i] for every position i of q where seq occurs, one term
// of seq at each consecutive position.
func markSeq(q [][]string, seq []string, at []bool) {
	for i := 0; len(seq) > 0 && i+len(seq) <= len(q); i++ {
		ok := true
		for j, term := range seq {
			if !slices.Contains(q[i+j], term) {
				ok = false
				break
			}
		}
		if ok {
			for j := range seq {
				at[i+j] = true
			}
		}
	}
}

// queries returns the clauses of x: each term as a phrase in the default
// fields, and each topic as a tag. The terms of a group named with words
// the index does not hold (found reports false for all of them) weigh
// translationBoost, the others expansionBoost. Words of the glossary the
// index does not hold are translated: their terms in the other language
// are returned apart, to be searched beside the user's words ("founded"
// finds nothing in Swedish pages, so "grundades" stands in for it).
func (x expansion) queries(found func(term string) bool) (translations, others []query.Query) {
	type weighted struct {
		boost     float64
		translate bool
	}
	terms := map[string]weighted{}
	var order []string
	for _, g := range x.groups {
		w := weighted{boost: translationBoost, translate: g.glossary}
		if found == nil || slices.ContainsFunc(g.matched, found) {
			w = weighted{boost: expansionBoost}
		}
		for _, term := range g.terms {
			old, ok := terms[term]
			if !ok {
				order = append(order, term)
			}
			terms[term] = weighted{max(old.boost, w.boost), old.translate || w.translate}
		}
	}
	for _, term := range order {
		q, err := termQuery(term)
		if err != nil {
			continue
		}
		w := terms[term]
		if w.translate {
			translations = append(translations, scaled(q, glossaryBoost))
		} else {
			others = append(others, scaled(q, w.boost))
		}
	}
	for _, g := range x.groups {
		if g.topic == "" {
			continue
		}
		boost := topicTagBoost
		if found != nil && slices.ContainsFunc(g.matched, found) {
			boost = foundTagBoost
		}
		tq := query.NewTermQuery(g.topic)
		tq.SetField(fieldTopics)
		tq.SetBoost(boost)
		others = append(others, tq)
	}
	return translations, others
}

// standIn is what stands in for words of the query the index does not
// hold: the other terms of the topic or glossary concept they name.
type standIn struct {
	at []int       // positions of the words in the query
	q  query.Query // the other terms, each as a phrase in the default fields
}

// standIns returns a stand-in for each topic or concept of x named only
// by words the index does not hold (found reports false for all of
// them): "founded" is not in the Swedish pages, "grundades" is.
func (x expansion) standIns(found func(term string) bool) []standIn {
	var out []standIn
	for _, g := range x.groups {
		if found == nil || slices.ContainsFunc(g.matched, found) || len(g.at) == 0 {
			continue
		}
		var alts []query.Query
		for _, term := range g.terms {
			if q, err := termQuery(term); err == nil {
				alts = append(alts, q)
			}
		}
		if len(alts) > 0 {
			out = append(out, standIn{at: g.at, q: query.NewDisjunctionQuery(alts)})
		}
	}
	return out
}

// termQuery matches a term of a topic or glossary concept in the default
// fields. A term of several words is a phrase. A term of one word is a
// match query in each field: any of its terms under the field's analyser
// (the word, its stems and its compound parts), through term searchers,
// which read no positions.
func termQuery(term string) (query.Query, error) {
	if len(strings.Fields(syntaxChars.Replace(term))) == 1 {
		return expand("", 1, func(f string, b float64) query.Query {
			mq := query.NewMatchQuery(term)
			mq.SetField(f)
			mq.SetBoost(b)
			return mq
		})
	}
	return rewrite(query.NewMatchPhraseQuery(term), 0)
}

// scaled multiplies the boosts of q's clauses by f. Bleve ignores the
// boost of a conjunction, disjunction or boolean query itself, so the
// boosts of their leaves are scaled instead.
func scaled(q query.Query, f float64) query.Query {
	switch q := q.(type) {
	case *query.DisjunctionQuery:
		for _, c := range q.Disjuncts {
			scaled(c, f)
		}
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			scaled(c, f)
		}
	case *query.BooleanQuery:
		for _, c := range []query.Query{q.Must, q.Should} {
			if c != nil {
				scaled(c, f)
			}
		}
	case query.BoostableQuery:
		q.SetBoost(q.Boost() * f)
	}
	return q
}
