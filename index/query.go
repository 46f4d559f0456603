package index

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
)

// maxFuzziness is the largest edit distance Bleve accepts.
const maxFuzziness = 2

// fieldBoost is one field a query word is searched in, with its weight.
type fieldBoost struct {
	field string
	boost float64
}

// defaultFields are searched for words without a field name: the title
// weighs three times the text, in both languages.
var defaultFields = []fieldBoost{
	{fieldTitleSv, titleBoost}, {fieldTitleEn, titleBoost},
	{fieldTextSv, 1}, {fieldTextEn, 1},
}

// queryFields maps the field names a user may write (title:word) to the
// index fields they search.
var queryFields = map[string][]fieldBoost{
	"title":   {{fieldTitleSv, 1}, {fieldTitleEn, 1}},
	"text":    {{fieldTextSv, 1}, {fieldTextEn, 1}},
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
func textQuery(text string) (query.Query, bool) {
	if strings.TrimSpace(text) == "" {
		return query.NewMatchAllQuery(), false
	}
	q, err := parseQueryString(text)
	if err != nil {
		return wordsQuery(text), false
	}
	return q, true
}

// parseQueryString parses text as a Bleve query string and points every
// clause at the index's fields.
func parseQueryString(text string) (q query.Query, err error) {
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
	return rewrite(parsed)
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
func wordsQuery(text string) query.Query {
	q, err := rewrite(query.NewMatchQuery(syntaxChars.Replace(text)))
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
func rewrite(q query.Query) (query.Query, error) {
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, clause := range []*query.Query{&q.Must, &q.Should, &q.MustNot} {
			if *clause == nil {
				continue
			}
			r, err := rewrite(*clause)
			if err != nil {
				return nil, err
			}
			*clause = r
		}
		return q, nil
	case *query.ConjunctionQuery:
		for i, c := range q.Conjuncts {
			r, err := rewrite(c)
			if err != nil {
				return nil, err
			}
			q.Conjuncts[i] = r
		}
		return q, nil
	case *query.DisjunctionQuery:
		for i, c := range q.Disjuncts {
			r, err := rewrite(c)
			if err != nil {
				return nil, err
			}
			q.Disjuncts[i] = r
		}
		return q, nil
	case *query.MatchQuery:
		q.Fuzziness = max(0, min(q.Fuzziness, maxFuzziness))
		return expand(q.FieldVal, q.Boost(), func(f string, b float64) query.Query {
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
