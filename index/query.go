package index

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"

	"github.com/blevesearch/bleve/v2/search/query"
)

// partsBoost weighs a compound found through its parts, possibly in
// different words of a text, below the compound itself.
const partsBoost = 0.5

// exactBoost weighs a word found in the very form the user wrote it
// ("Dalarna", not only "dalar" or "dal"), on top of its stemmed match.
const exactBoost = 1.0

// phraseBoost weighs a phrase the user quoted as a title weighs its
// words: quoting is the most precise thing a user says ("science park"
// in `"science park" mat`). Phrases of topic expansions keep their own
// weights.
const phraseBoost = 3.0

// maxFuzziness is the largest edit distance Bleve accepts.
const maxFuzziness = 2

// fieldBoost is one field a query word is searched in, with its weight.
type fieldBoost struct {
	field string
	boost float64
}

// defaultFields are searched for words without a field name: the title
// weighs three times the text and the headings twice, in both languages,
// and the names of the people, projects, events and organisations a
// document states twice.
var defaultFields = []fieldBoost{
	{fieldTitleSv, titleBoost}, {fieldTitleEn, titleBoost},
	{fieldHeadSv, headingBoost}, {fieldHeadEn, headingBoost},
	{fieldTextSv, 1}, {fieldTextEn, 1},
	{fieldNames, namesBoost},
}

// queryFields maps the field names a user may write (title:word) to the
// index fields they search.
var queryFields = map[string][]fieldBoost{
	"title":   {{fieldTitleSv, 1}, {fieldTitleEn, 1}},
	"heading": {{fieldHeadSv, 1}, {fieldHeadEn, 1}},
	"text":    {{fieldTextSv, 1}, {fieldTextEn, 1}},
	"name":    {{fieldNames, 1}},
	"url":     {{fieldURL, 1}},
	"cluster": {{fieldCluster, 1}},
	"county":  {{fieldCounty, 1}},
	"kind":    {{fieldKind, 1}},
	"topic":   {{fieldTopics, 1}},
	"topics":  {{fieldTopics, 1}},
	"lang":    {{fieldLang, 1}},
	"host":    {{fieldHost, 1}},
}

// textQuery turns the user's words into a query. Empty input matches every
// document. Otherwise the input is read as a Bleve query string; the second
// result is true when that succeeded, false when the input did not parse (or
// used syntax this index does not support) and was taken as plain words.
//
// With fuzzy > 0, words of at least fuzzyMinLen letters also match words
// that many edits away.
func textQuery(text string, fuzzy int) (query.Query, bool) {
	if strings.TrimSpace(text) == "" {
		return query.NewMatchAllQuery(), false
	}
	q, err := parseQueryString(text, fuzzy)
	if err != nil {
		return wordsQuery(text, fuzzy), false
	}
	return q, true
}

// fuzzyMinLen is the shortest word, in bytes, a fuzzy search widens: short
// words are one edit away from too many others.
const fuzzyMinLen = 5

// parseQueryString parses text as a Bleve query string and points every
// clause at the index's fields.
func parseQueryString(text string, fuzzy int) (q query.Query, err error) {
	defer func() {
		// Whatever the user typed, parsing must not take the server down.
		if r := recover(); r != nil {
			q, err = nil, fmt.Errorf("parsing query: %v", r)
		}
	}()
	parsed, err := query.NewQueryStringQuery(text).Parse()
	if err != nil {
		return nil, fmt.Errorf("parsing query: %w", err)
	}
	boostPhrases(parsed)
	return rewrite(parsed, fuzzy)
}

// boostPhrases multiplies the boost of every phrase in q by phraseBoost.
func boostPhrases(q query.Query) {
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, c := range []query.Query{q.Must, q.Should} {
			if c != nil {
				boostPhrases(c)
			}
		}
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			boostPhrases(c)
		}
	case *query.DisjunctionQuery:
		for _, c := range q.Disjuncts {
			boostPhrases(c)
		}
	case *query.MatchPhraseQuery:
		q.SetBoost(q.Boost() * phraseBoost)
	}
}

// syntaxChars are the characters with a meaning in query strings. Plain
// words are searched with them taken as spaces, since some ("title:x") would
// otherwise join two words into one token.
var syntaxChars = strings.NewReplacer(
	"+", " ", "-", " ", "&", " ", "|", " ", "!", " ", "(", " ", ")", " ",
	"{", " ", "}", " ", "[", " ", "]", " ", "^", " ", `"`, " ", "~", " ",
	"*", " ", "?", " ", ":", " ", `\`, " ", "/", " ", "<", " ", ">", " ", "=", " ",
)

// wordsQuery matches any of the words of text, analysed per field, in the
// default fields.
func wordsQuery(text string, fuzzy int) query.Query {
	q, err := rewrite(query.NewMatchQuery(syntaxChars.Replace(text)), fuzzy)
	if err != nil {
		// rewrite accepts every match query without a field.
		panic(fmt.Sprintf("rewriting match query: %v", err))
	}
	return q
}

// rewrite returns q with every clause aimed at index fields: a clause
// without a field becomes a disjunction over defaultFields, a clause naming
// a field of queryFields a disjunction over its index fields. Unknown fields
// and unsupported clause types (regular expressions, ranges) are errors.
func rewrite(q query.Query, fuzzy int) (query.Query, error) {
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, clause := range []*query.Query{&q.Must, &q.Should, &q.MustNot} {
			if *clause == nil {
				continue
			}
			r, err := rewrite(*clause, fuzzy)
			if err != nil {
				return nil, err
			}
			*clause = r
		}
		return q, nil
	case *query.ConjunctionQuery:
		for i, c := range q.Conjuncts {
			r, err := rewrite(c, fuzzy)
			if err != nil {
				return nil, err
			}
			q.Conjuncts[i] = r
		}
		return q, nil
	case *query.DisjunctionQuery:
		for i, c := range q.Disjuncts {
			r, err := rewrite(c, fuzzy)
			if err != nil {
				return nil, err
			}
			q.Disjuncts[i] = r
		}
		return q, nil
	case *query.MatchQuery:
		if fuzzy > 0 && len(q.Match) >= fuzzyMinLen && q.FieldVal == "" {
			q.Fuzziness = max(q.Fuzziness, fuzzy)
		}
		q.Fuzziness = max(0, min(q.Fuzziness, maxFuzziness))
		if q.FieldVal == "" && q.Fuzziness == 0 {
			return crossFieldQuery(q.Match, q.Boost()), nil
		}
		return expand(q.FieldVal, q.Boost(), func(f string, b float64) query.Query {
			if swedishFields[f] {
				return swedishQuery(f, q.Match, b, q.Fuzziness)
			}
			c := *q
			c.SetField(f)
			c.SetBoost(b)
			return &c
		})
	case *query.MatchPhraseQuery:
		q.Fuzziness = max(0, min(q.Fuzziness, maxFuzziness))
		return expand(q.FieldVal, q.Boost(), func(f string, b float64) query.Query {
			c := *q
			c.SetField(f)
			c.SetBoost(b)
			return &c
		})
	case *query.WildcardQuery:
		// Wildcards are not analysed; terms in the text fields are lower
		// case, keywords keep their case.
		if f := strings.ToLower(q.FieldVal); f == "" || f == "title" || f == "text" {
			q.Wildcard = strings.ToLower(q.Wildcard)
		}
		return expand(q.FieldVal, q.Boost(), func(f string, b float64) query.Query {
			c := *q
			c.SetField(f)
			c.SetBoost(b)
			return &c
		})
	case *query.NumericRangeQuery:
		if q.FieldVal == "" {
			// A bare number is parsed as "the word or the number";
			// no field holds numbers, so only the word counts.
			return query.NewMatchNoneQuery(), nil
		}
		return nil, fmt.Errorf("numeric range on field %q is not supported", q.FieldVal)
	case *query.MatchNoneQuery, *query.MatchAllQuery:
		return q, nil
	default:
		return nil, fmt.Errorf("query clause %T is not supported", q)
	}
}

// expand returns the clause made by mk for each index field that field
// names, joined in a disjunction.
func expand(field string, boost float64, mk func(field string, boost float64) query.Query) (query.Query, error) {
	fields := defaultFields
	if field != "" {
		var ok bool
		fields, ok = queryFields[strings.ToLower(field)]
		if !ok {
			return nil, fmt.Errorf("unknown field %q", field)
		}
	}
	qs := make([]query.Query, len(fields))
	for i, f := range fields {
		qs[i] = mk(f.field, boost*f.boost)
	}
	if len(qs) == 1 {
		return qs[0], nil
	}
	return query.NewDisjunctionQuery(qs), nil
}

// positiveWords returns the words of text a hit should contain, lower-case,
// in order: the words outside phrases that are not excluded (-word) and
// name no field. They are what "did you mean" corrects.
func positiveWords(text string) []string {
	var out []string
	inPhrase := false
	for _, f := range strings.Fields(text) {
		quotes := strings.Count(f, `"`)
		startsPhrase := strings.HasPrefix(strings.TrimLeft(f, "+-"), `"`)
		skip := inPhrase || startsPhrase || strings.HasPrefix(f, "-") || strings.Contains(f, ":")
		if quotes%2 == 1 {
			inPhrase = !inPhrase
		}
		if skip {
			continue
		}
		w := strings.ToLower(strings.Trim(f, `+-"*?~^!()[]{}.,;`))
		if w != "" && isWord(w) {
			out = append(out, w)
		}
	}
	return out
}

// isWord reports whether w is made of letters only.
func isWord(w string) bool {
	return allLetters([]byte(w))
}

// swedishFields are the fields analysed as Swedish.
var swedishFields = map[string]bool{fieldTitleSv: true, fieldHeadSv: true, fieldTextSv: true, fieldNames: true}

// swedishAnalyzer is the Swedish analyser of the mapping.
var swedishAnalyzer = sync.OnceValue(func() analysis.Analyzer {
	m, err := newMapping()
	if err != nil {
		panic(err)
	}
	return m.AnalyzerNamed(analyzerSwedish)
})

// swedishQuery matches any word of text in field, a Swedish field. A word
// matches as itself (any of its stems), or, if it is a compound, through
// all of its parts together: "skogsnäringen" finds a text about
// "skogsnäringen", and one about "näringen i skogen", but not one about
// "skogen" alone.
//
// With fuzziness > 0, each word of at least fuzzyMinLen bytes also matches
// terms that many edits from its main term; parts are then not used.
func swedishQuery(field, text string, boost float64, fuzziness int) query.Query {
	var words []query.Query
	ts := swedishAnalyzer().Analyze([]byte(text))
	for i := 0; i < len(ts); {
		j := i
		for j < len(ts) && ts[j].Position == ts[i].Position {
			j++
		}
		if fuzziness > 0 {
			words = append(words, fuzzyWordQuery(field, ts[i:j], fuzziness))
		} else {
			words = append(words, wordQuery([]fieldBoost{{field, 1}}, ts[i:j]))
		}
		i = j
	}
	var q query.Query
	switch len(words) {
	case 0:
		return query.NewMatchNoneQuery()
	case 1:
		q = words[0]
	default:
		q = query.NewDisjunctionQuery(words)
	}
	return scaled(q, boost)
}

// englishAnalyzer is the analyser of the English fields.
var englishAnalyzer = sync.OnceValue(func() analysis.Analyzer {
	m, err := newMapping()
	if err != nil {
		panic(err)
	}
	return m.AnalyzerNamed(en.AnalyzerName)
})

// wordsAnalyzer is the analyser of the words field: lower-cased,
// unstemmed words and their compound parts.
var wordsAnalyzer = sync.OnceValue(func() analysis.Analyzer {
	m, err := newMapping()
	if err != nil {
		panic(err)
	}
	return m.AnalyzerNamed(analyzerWords)
})

// queryStopWords are the words crossFieldQuery leaves out: the Swedish stop
// list of the Swedish fields (which keeps "så" and "vara") and Bleve's
// English stop list, so that the question words and function words of
// "vilka kluster arbetar med krisberedskap" or "who is the CEO of
// Krinova" do not count as words found.
var queryStopWords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	sv, err := swedishStopWords()
	if err != nil {
		panic(err)
	}
	for _, w := range sv {
		set[w] = true
	}
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(en.EnglishStopWords); err != nil {
		panic(fmt.Sprintf("loading English stop words: %v", err))
	}
	for w := range tm {
		set[w] = true
	}
	return set
})

// wordQuery matches the tokens of one position in fields: the word's own
// terms as alternatives, or every part of it, each part in any of the
// fields ("beredskapslager" finds a page with "beredskap" in its title and
// "lager" in its text).
func wordQuery(fields []fieldBoost, toks analysis.TokenStream) query.Query {
	inFields := func(t string) []query.Query {
		qs := make([]query.Query, len(fields))
		for i, f := range fields {
			tq := query.NewTermQuery(t)
			tq.SetField(f.field)
			tq.SetBoost(f.boost)
			qs[i] = tq
		}
		return qs
	}
	var alts []query.Query
	type span struct{ start, end int }
	parts := map[span][]query.Query{}
	var order []span
	for _, tok := range toks {
		if tok.Type != partType {
			alts = append(alts, inFields(string(tok.Term))...)
			continue
		}
		s := span{tok.Start, tok.End}
		if _, ok := parts[s]; !ok {
			order = append(order, s)
		}
		parts[s] = append(parts[s], inFields(string(tok.Term))...)
	}
	// Only the smallest parts are required; a span of several parts
	// covers others.
	var all []query.Query
	for _, s := range order {
		covers := false
		for _, o := range order {
			covers = covers || (o != s && o.start >= s.start && o.end <= s.end)
		}
		if !covers {
			all = append(all, query.NewDisjunctionQuery(parts[s]))
		}
	}
	if len(all) > 1 {
		alts = append(alts, scaled(query.NewConjunctionQuery(all), partsBoost))
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return query.NewDisjunctionQuery(alts)
}

// Fields a word without a field name is searched in, by language.
var (
	swedishDefaultFields = []fieldBoost{{fieldTitleSv, titleBoost}, {fieldHeadSv, headingBoost}, {fieldTextSv, 1}, {fieldNames, namesBoost}}
	englishDefaultFields = []fieldBoost{{fieldTitleEn, titleBoost}, {fieldHeadEn, headingBoost}, {fieldTextEn, 1}}
)

// crossFieldQuery matches the words of text in the default fields: each
// word as a clause of its own that it may satisfy in any field and either
// language, as Swedish (stems, compound parts), as English, and in the
// very form it was written. A document that has more of the words ranks
// higher, wherever it has them. Words on both stop lists are left out,
// unless text has no other words.
func crossFieldQuery(text string, boost float64) query.Query {
	var words []string
	for _, tok := range wordsAnalyzer().Analyze([]byte(text)) {
		if w := string(tok.Term); tok.Type != partType && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	stop := queryStopWords()
	content := slices.DeleteFunc(slices.Clone(words), func(w string) bool { return stop[w] })
	if len(content) > 0 {
		words = content
	}
	var clauses []query.Query
	for _, w := range words {
		var alts []query.Query
		if ts := swedishAnalyzer().Analyze([]byte(w)); len(ts) > 0 {
			alts = append(alts, scaled(wordQuery(swedishDefaultFields, ts), boost))
		}
		for _, f := range englishDefaultFields {
			mq := query.NewMatchQuery(w)
			mq.SetField(f.field)
			mq.SetBoost(boost * f.boost)
			alts = append(alts, mq)
		}
		if !stop[w] {
			tq := query.NewTermQuery(w)
			tq.SetField(fieldWords)
			tq.SetBoost(boost * exactBoost)
			alts = append(alts, tq)
		}
		clauses = append(clauses, query.NewDisjunctionQuery(alts))
	}
	switch len(clauses) {
	case 0:
		return query.NewMatchNoneQuery()
	case 1:
		return clauses[0]
	}
	return query.NewDisjunctionQuery(clauses)
}

// fuzzyWordQuery matches the word's own terms, the main one also fuzzily.
func fuzzyWordQuery(field string, toks analysis.TokenStream, fuzziness int) query.Query {
	var alts []query.Query
	for i, tok := range toks {
		if tok.Type == partType {
			continue
		}
		t := string(tok.Term)
		if i == 0 && len(t) >= fuzzyMinLen {
			fq := query.NewFuzzyQuery(t)
			fq.SetFuzziness(fuzziness)
			fq.SetField(field)
			alts = append(alts, fq)
			continue
		}
		tq := query.NewTermQuery(t)
		tq.SetField(field)
		alts = append(alts, tq)
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return query.NewDisjunctionQuery(alts)
}

// allWordsQuery matches the documents that have every content word of
// text (in one of its forms, wordFormsQuery) or what stands in for it
// (the Swedish terms of an English word the index does not hold). As one
// more clause of the query it lifts, through Bleve's coordination factor,
// a document with all the words above one with only some, whatever else
// the query expands to: "biogas Skåne" ranks a page on biogas in Skåne
// above pages that only say much about biogas. It returns nil when text
// has fewer than two content words, or uses query syntax.
func allWordsQuery(text string, standIns []standIn) query.Query {
	if strings.ContainsAny(text, `":()*~^`) || slices.ContainsFunc(strings.Fields(text), func(f string) bool {
		return strings.HasPrefix(f, "-") || strings.HasPrefix(f, "+")
	}) {
		return nil
	}
	stop := queryStopWords()
	var clauses []query.Query
	var words []string
	used := make([]bool, len(standIns))
	for _, tok := range wordsAnalyzer().Analyze([]byte(text)) {
		w := string(tok.Term)
		if tok.Type == partType || stop[w] || slices.Contains(words, w) {
			continue
		}
		words = append(words, w)
		in := slices.IndexFunc(standIns, func(s standIn) bool { return slices.Contains(s.at, tok.Position) })
		switch {
		case in < 0:
			clauses = append(clauses, wordFormsQuery(w))
		case !used[in]:
			used[in] = true
			clauses = append(clauses, standIns[in].q)
		}
	}
	if len(clauses) < 2 {
		return nil
	}
	return query.NewConjunctionQuery(clauses)
}

// wordFormsQuery matches the word w as written, in its Swedish stems in
// the title or text, or as an English word: the forms a document has the
// word in, without its compound parts.
func wordFormsQuery(w string) query.Query {
	term := func(field, t string) query.Query {
		tq := query.NewTermQuery(t)
		tq.SetField(field)
		return tq
	}
	alts := []query.Query{term(fieldWords, w)}
	for _, tok := range swedishAnalyzer().Analyze([]byte(w)) {
		if tok.Type != partType {
			alts = append(alts, term(fieldTitleSv, string(tok.Term)), term(fieldTextSv, string(tok.Term)))
		}
	}
	for _, f := range []string{fieldTitleEn, fieldTextEn} {
		mq := query.NewMatchQuery(w)
		mq.SetField(f)
		alts = append(alts, mq)
	}
	return query.NewDisjunctionQuery(alts)
}
