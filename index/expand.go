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
// get a lift.
const (
	expansionBoost   = 0.1
	translationBoost = 0.25
	glossaryBoost    = 0.5
	topicTagBoost    = 2.0
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

// analyse returns the terms of text under analyser a, grouped by position.
func (e *topicExpander) analyse(a, text string) [][]string {
	ts, err := e.im.AnalyzeText(a, []byte(text))
	if err != nil {
		return nil
	}
	var out [][]string
	var last int
	for _, tok := range ts {
		if len(out) == 0 || tok.Position != last {
			out = append(out, nil)
			last = tok.Position
		}
		out[len(out)-1] = append(out[len(out)-1], string(tok.Term))
	}
	return out
}

// firstTerms returns the main term at each position of text under a.
func (e *topicExpander) firstTerms(a, text string) []string {
	var out []string
	for _, pos := range e.analyse(a, text) {
		out = append(out, pos[0])
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
	glossary bool     // a concept of the glossary, not a topic
	matched  []string // its terms the query contains
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
	var qs [][][]string // per analyser: the query's terms by position
	for _, a := range expandAnalysers {
		qs = append(qs, e.analyse(a, text))
	}
	for _, t := range e.topics {
		var matched []int
		for i, seqs := range t.seqs {
			for a, seq := range seqs {
				if containsSeq(qs[a], seq) {
					matched = append(matched, i)
					break
				}
			}
		}
		if len(matched) == 0 {
			continue
		}
		if t.id != "" {
			x.topics = append(x.topics, t.id)
		}
		g := expandGroup{glossary: t.targets != nil}
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

// containsSeq reports whether seq occurs in q, one term of seq at each
// consecutive position of q.
func containsSeq(q [][]string, seq []string) bool {
	if len(seq) == 0 {
		return false
	}
	for i := 0; i+len(seq) <= len(q); i++ {
		ok := true
		for j, term := range seq {
			if !slices.Contains(q[i+j], term) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
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
		q, err := rewrite(query.NewMatchPhraseQuery(term), 0)
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
	for _, id := range x.topics {
		tq := query.NewTermQuery(id)
		tq.SetField(fieldTopics)
		tq.SetBoost(topicTagBoost)
		others = append(others, tq)
	}
	return translations, others
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
