package index

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	htmlhl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// facetSize is how many values each facet returns at most.
const facetSize = 20

// facets maps the facet names of kg.SearchResult to index fields.
var facets = []struct{ name, field string }{
	{"cluster", fieldCluster},
	{"topic", fieldTopics},
	{"kind", fieldKind},
	{"lang", fieldLang},
	{"county", fieldCounty},
}

// hitFields are the stored fields a hit is built from.
var hitFields = []string{
	fieldTitleSv, fieldTitleEn, fieldTextSv, fieldTextEn,
	fieldURL, fieldCluster, fieldKind, fieldLang, fieldDate,
}

// Search runs req. It returns EINVALID when req does not validate. Hits are
// ordered by score, then by date (newest first, undated last), then by id.
func (ix *Index) Search(ctx context.Context, req kg.SearchRequest) (kg.SearchResult, error) {
	if err := req.Validate(); err != nil {
		return kg.SearchResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return kg.SearchResult{}, fmt.Errorf("searching %q: %w", req.Query, err)
	}
	q, parsed := textQuery(req.Query)
	res, err := ix.bleve.SearchInContext(ctx, searchRequest(req, q))
	if err != nil && parsed && ctx.Err() == nil {
		// Query-string syntax can still fail when run, for example a
		// wildcard that expands to too many terms: search the words.
		ix.logger.Debug("query failed, searching plain words", "query", req.Query, "err", err)
		res, err = ix.bleve.SearchInContext(ctx, searchRequest(req, wordsQuery(req.Query)))
	}
	if err != nil {
		return kg.SearchResult{}, fmt.Errorf("searching %q: %w", req.Query, err)
	}
	return toResult(res), nil
}

// searchRequest builds the Bleve request for req, which must be valid, and
// its text query.
func searchRequest(req kg.SearchRequest, text query.Query) *bleve.SearchRequest {
	q := text
	var filters []query.Query
	for _, f := range []struct{ field, value string }{
		{fieldCluster, req.Cluster},
		{fieldCounty, req.County},
		{fieldTopics, req.Topic},
		{fieldKind, req.Kind},
		{fieldLang, req.Lang},
	} {
		if f.value == "" {
			continue
		}
		tq := query.NewTermQuery(f.value)
		tq.SetField(f.field)
		filters = append(filters, tq)
	}
	if len(filters) > 0 {
		// Filters restrict the hits without adding to their scores.
		bq := query.NewBooleanQuery([]query.Query{q}, nil, nil)
		bq.AddFilter(query.NewConjunctionQuery(filters))
		q = bq
	}

	sr := bleve.NewSearchRequestOptions(q, req.Size, (req.Page-1)*req.Size, false)
	sr.Fields = hitFields
	sr.SortByCustom(search.SortOrder{
		&search.SortScore{Desc: true},
		&search.SortField{Field: fieldDate, Type: search.SortFieldAsDate, Desc: true, Missing: search.SortFieldMissingLast},
		&search.SortDocID{},
	})
	for _, f := range facets {
		sr.AddFacet(f.name, bleve.NewFacetRequest(f.field, facetSize))
	}
	if _, all := text.(*query.MatchAllQuery); !all {
		sr.Highlight = bleve.NewHighlightWithStyle(htmlhl.Name)
		sr.Highlight.AddField(fieldTextSv)
		sr.Highlight.AddField(fieldTextEn)
	}
	return sr
}

// toResult converts Bleve's result.
func toResult(res *bleve.SearchResult) kg.SearchResult {
	out := kg.SearchResult{
		Total:  res.Total,
		Hits:   make([]kg.Hit, 0, len(res.Hits)),
		Facets: make(map[string][]kg.FacetCount, len(facets)),
		Took:   res.Took,
	}
	for _, dm := range res.Hits {
		out.Hits = append(out.Hits, toHit(dm))
	}
	for _, f := range facets {
		counts := []kg.FacetCount{}
		if fr := res.Facets[f.name]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				counts = append(counts, kg.FacetCount{Value: t.Term, Count: t.Count})
			}
		}
		slices.SortFunc(counts, func(a, b kg.FacetCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
		})
		out.Facets[f.name] = counts
	}
	return out
}

// toHit builds a hit from a document's stored fields and fragments.
func toHit(dm *search.DocumentMatch) kg.Hit {
	h := kg.Hit{
		ID:       dm.ID,
		URL:      str(dm.Fields[fieldURL]),
		Title:    cmp.Or(str(dm.Fields[fieldTitleSv]), str(dm.Fields[fieldTitleEn])),
		Clusters: strs(dm.Fields[fieldCluster]),
		Kind:     str(dm.Fields[fieldKind]),
		Lang:     str(dm.Fields[fieldLang]),
		Score:    dm.Score,
	}
	if d := str(dm.Fields[fieldDate]); d != "" {
		if t, err := time.Parse(time.RFC3339Nano, d); err == nil {
			h.Date = t
		}
	}
	for _, f := range []string{fieldTextSv, fieldTextEn} {
		if frags := dm.Fragments[f]; len(frags) > 0 {
			h.Snippet = frags[0]
			break
		}
	}
	if h.Snippet == "" {
		text := cmp.Or(str(dm.Fields[fieldTextSv]), str(dm.Fields[fieldTextEn]))
		h.Snippet = html.EscapeString(prefix(text, snippetLength))
	}
	return h
}

// prefix returns s cut to at most n runes, at a space where one is near,
// with "…" when it was cut.
func prefix(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			cut := s[:j]
			if k := strings.LastIndexByte(cut, ' '); k > len(cut)/2 {
				cut = cut[:k]
			}
			return strings.TrimRight(cut, " ,.;:") + "…"
		}
		i++
	}
	return s
}

// str returns a stored single-valued field, or the first value of a
// multi-valued one.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			s, _ := v[0].(string)
			return s
		}
	}
	return ""
}

// strs returns a stored field as a list of strings.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
