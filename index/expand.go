package index

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Weights of the clauses a query naming a topic adds: the topic's other
// terms weigh less than the user's own words, and documents tagged with
// the topic get a small lift.
const (
	expansionBoost = 0.25
	topicTagBoost  = 1.0
)

// topicExpander finds the topics a query names, in Swedish or English, and
// expands the query with the topics' other terms.
type topicExpander struct {
	topics []expandTopic
	im     *mapping.IndexMappingImpl
}

// expandTopic is one topic with each term analysed by both analysers.
type expandTopic struct {
	id    string
	terms []string
	seqs  [][][]string // per term: its term sequence under each analyser
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
			var seqs [][]string
			for _, a := range expandAnalysers {
				seqs = append(seqs, e.firstTerms(a, term))
			}
			et.terms = append(et.terms, term)
			et.seqs = append(et.seqs, seqs)
		}
		e.topics = append(e.topics, et)
	}
	return e
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
	topics  []string // ids of the topics named
	terms   []string // the topics' terms the query does not contain
	matched []string // the topics' terms the query contains
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
		x.topics = append(x.topics, t.id)
		for _, i := range matched {
			x.matched = append(x.matched, t.terms[i])
		}
		for i, term := range t.terms {
			if !slices.Contains(matched, i) && !slices.Contains(x.terms, term) {
				x.terms = append(x.terms, term)
			}
		}
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
// fields, and each topic as a tag.
func (x expansion) queries() []query.Query {
	var out []query.Query
	for _, term := range x.terms {
		q, err := rewrite(query.NewMatchPhraseQuery(term), 0)
		if err != nil {
			continue
		}
		out = append(out, scaled(q, expansionBoost))
	}
	for _, id := range x.topics {
		tq := query.NewTermQuery(id)
		tq.SetField(fieldTopics)
		tq.SetBoost(topicTagBoost)
		out = append(out, tq)
	}
	return out
}

// scaled multiplies the boosts of q's clauses by f.
func scaled(q query.Query, f float64) query.Query {
	switch q := q.(type) {
	case *query.DisjunctionQuery:
		for _, c := range q.Disjuncts {
			scaled(c, f)
		}
	case query.BoostableQuery:
		q.SetBoost(q.Boost() * f)
	}
	return q
}
