package index

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"math"
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

// All facets are counted in one doc-values field, fieldFacets, whose terms
// join a facet's name and value: each hit's doc values are read once, not
// once per facet.
const (
	// maxFacetTerms bounds the values of all facets together that one
	// search counts: far more than there are clusters, counties, topics,
	// kinds, languages and years.
	maxFacetTerms = 5000
	// facetSep separates a facet's name from its value.
	facetSep = "\x1f"
)

// facetTerm is the term of fieldFacets for value of the facet name.
func facetTerm(name, value string) string { return name + facetSep + value }

// facets maps the facet names of kg.SearchResult to index fields.
var facets = []struct{ name, field string }{
	{"cluster", fieldCluster},
	{"topic", fieldTopics},
	{"kind", fieldKind},
	{"lang", fieldLang},
	{"county", fieldCounty},
	{"year", fieldYear},
}

// hitFields are the stored fields a hit is built from.
var hitFields = []string{
	fieldTitleSv, fieldTitleEn, fieldTextSv, fieldTextEn,
	fieldURL, fieldCluster, fieldKind, fieldLang, fieldDate,
}

// rankFields are the stored fields ranking and collapsing read.
var rankFields = []string{fieldURL, fieldKind, fieldDate, fieldSimhash}

// Ranking and collapsing work on a window of the best hits: the first
// minWindow, or twice the hits up to the requested page if more. Past
// maxWindow hits, pages come straight from Bleve's order, uncollapsed.
const (
	minWindow = 200
	maxWindow = 5000
)

// fewHits is the number of hits below which a search is retried with
// fuzzy matching.
const fewHits = 1

// kindWeights lift documents that are evidence for strong graph edges
// (projects and reports state what a cluster does) above pages that
// mention a subject in passing.
var kindWeights = map[string]float64{
	kg.KindProject: 1.2,
	kg.KindReport:  1.15,
	kg.KindAbout:   1.1,
	kg.KindNews:    1.0,
	kg.KindEvent:   1.0,
	kg.KindContact: 0.9,
	kg.KindOther:   0.95,
}

// Freshness of news and events: a page of today weighs freshBoost more
// than an old one; the lift halves every freshHalfLife.
const (
	freshBoost    = 0.15
	freshHalfLife = 365 * 24 * time.Hour
)

// Search runs req. It returns EINVALID when req does not validate.
//
// With the default relevance sort, hits are ordered by score (the text
// score weighted by document kind and, for news and events, freshness),
// then by date (newest first, undated last), then by id; with SortDate by
// date, then score, then id. Near-duplicates (the same text on several
// sites) are collapsed into their best hit, whose AlsoOn lists the others.
// A word the index does not hold is corrected to the closest one it holds
// (DidYouMean), and the corrected words are searched too; when the words
// find nothing, fuzzy matching (one edit) is tried.
func (ix *Index) Search(ctx context.Context, req kg.SearchRequest) (kg.SearchResult, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return kg.SearchResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return kg.SearchResult{}, fmt.Errorf("searching %q: %w", req.Query, err)
	}
	// A question is searched by its subject.
	words := questionSubject(req.Query)
	text, parsed := ix.textQuery(words, 0)
	res, err := ix.window(ctx, req, text)
	if err != nil && parsed && ctx.Err() == nil {
		// Query-string syntax can still fail when run, for example a
		// wildcard that expands to too many terms: search the words.
		ix.logger.Debug("query failed, searching plain words", "query", req.Query, "err", err)
		text = ix.expanded(wordsQuery(words, 0), words)
		res, err = ix.window(ctx, req, text)
	}
	if err != nil {
		return kg.SearchResult{}, fmt.Errorf("searching %q: %w", req.Query, err)
	}

	didYouMean, err := ix.correct(req.Query)
	if err != nil {
		return kg.SearchResult{}, fmt.Errorf("searching %q: %w", req.Query, err)
	}
	if didYouMean != "" {
		// The unknown words find nothing as typed: search the corrected
		// ones too.
		corrected, _ := ix.textQuery(didYouMean, 0)
		wider := query.NewDisjunctionQuery([]query.Query{text, corrected})
		if more, err := ix.window(ctx, req, wider); err == nil {
			text, res = wider, more
		}
	}
	if res.Total < fewHits && strings.TrimSpace(words) != "" {
		wider, _ := ix.textQuery(words, 1)
		if more, err := ix.window(ctx, req, wider); err == nil && more.Total > res.Total {
			text, res = wider, more
		}
	}

	out := toResult(res)
	out.DidYouMean = didYouMean
	_, all := text.(*query.MatchAllQuery)
	page, collapsed := ix.rank(req, res, !all)
	out.Total -= uint64(collapsed)
	if err := ix.fill(ctx, req, text, page, &out); err != nil {
		return kg.SearchResult{}, fmt.Errorf("searching %q: %w", req.Query, err)
	}
	out.Took = time.Since(start)
	return out, nil
}

// textQuery parses text and adds the expansion of the topics it names.
func (ix *Index) textQuery(text string, fuzzy int) (query.Query, bool) {
	q, parsed := textQuery(text, fuzzy)
	return ix.expanded(q, text), parsed
}

// expanded returns q with the terms of the topics text names as weaker
// alternatives, and a clause for documents that have all of the user's
// content words (allWordsQuery). Excluded words stay excluded; words the
// user required stay required.
func (ix *Index) expanded(q query.Query, text string) query.Query {
	x := ix.topics.expand(text)
	counted := map[string]bool{}
	found := func(term string) bool {
		if f, ok := counted[term]; ok {
			return f
		}
		ok, err := ix.holds(term)
		counted[term] = err != nil || ok
		return counted[term]
	}
	// A document with all of the user's words, or what stands in for
	// them, ranks above one with some.
	all := allWordsQuery(text, x.standIns(found))
	if len(x.topics) == 0 && len(x.terms) == 0 && all == nil {
		return q
	}
	translations, others := x.queries(found)
	// The expansion is one clause: however many terms it has, a document
	// matching only the user's words loses no more to Bleve's
	// coordination factor than one matching only the expansion.
	// Translations stand beside the user's words, as the words they
	// translate.
	var extra []query.Query
	if len(others) > 0 {
		extra = append(extra, query.NewDisjunctionQuery(others))
	}
	if all != nil {
		extra = append(extra, all)
	}
	withTranslations := func(q query.Query) query.Query {
		if len(translations) == 0 {
			return q
		}
		if dq, ok := q.(*query.DisjunctionQuery); ok && dq.Min == 0 {
			dq.Disjuncts = append(dq.Disjuncts, translations...)
			return dq
		}
		return query.NewDisjunctionQuery(append([]query.Query{q}, translations...))
	}
	bq, ok := q.(*query.BooleanQuery)
	if !ok {
		return query.NewDisjunctionQuery(append([]query.Query{withTranslations(q)}, extra...))
	}
	if bq.Must != nil {
		// Required words: the expansion only ranks.
		out := query.NewBooleanQuery([]query.Query{bq}, append(extra, translations...), nil)
		out.SetMinShould(0)
		return out
	}
	// Only optional words: the expansion may also find documents, but
	// none with an excluded word.
	var positive query.Query = query.NewMatchNoneQuery()
	if bq.Should != nil {
		positive = bq.Should
	}
	out := query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(append([]query.Query{withTranslations(positive)}, extra...))}, nil, nil)
	if bq.MustNot != nil {
		out.AddMustNot(bq.MustNot)
	}
	return out
}

// windowSize is the number of best hits ranked and collapsed for req.
func windowSize(req kg.SearchRequest) int {
	return max(minWindow, 2*req.Page*req.Size)
}

// window runs the search for the window of best hits, with facets over
// every hit.
func (ix *Index) window(ctx context.Context, req kg.SearchRequest, text query.Query) (*bleve.SearchResult, error) {
	q := filtered(req, text)
	n, from := windowSize(req), 0
	if n > maxWindow {
		n, from = req.Size, (req.Page-1)*req.Size
	}
	// Ranked by relevance, the window is cut by score alone, which spares
	// reading every hit's date: rank orders equal scores by date and id.
	// One hit more than the window tells whether equal scores straddle
	// the cut; only then is the date needed to choose among them.
	_, all := text.(*query.MatchAllQuery)
	byScore := req.Sort != kg.SortDate && !all && from == 0
	size := n
	if byScore {
		size++
	}
	sr := bleve.NewSearchRequestOptions(q, size, from, false)
	sr.Fields = rankFields
	if !byScore {
		sr.SortByCustom(sortOrder(req))
	}
	sr.AddFacet(fieldFacets, bleve.NewFacetRequest(fieldFacets, maxFacetTerms))
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil || !byScore || len(res.Hits) <= n {
		return res, err
	}
	if res.Hits[n].Score != res.Hits[n-1].Score {
		res.Hits = res.Hits[:n]
		return res, nil
	}
	// The facets and the total are those of the first search.
	sr.Size = n
	sr.SortByCustom(sortOrder(req))
	sr.Facets = nil
	again, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, err
	}
	res.Hits = again.Hits
	return res, nil
}

// sortOrder is Bleve's order of the window.
func sortOrder(req kg.SearchRequest) search.SortOrder {
	score := &search.SortScore{Desc: true}
	date := &search.SortField{Field: fieldDate, Type: search.SortFieldAsDate, Desc: true, Missing: search.SortFieldMissingLast}
	if req.Sort == kg.SortDate {
		return search.SortOrder{date, score, &search.SortDocID{}}
	}
	return search.SortOrder{score, date, &search.SortDocID{}}
}

// filtered restricts text to the filters of req.
func filtered(req kg.SearchRequest, text query.Query) query.Query {
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
	if req.Year != 0 {
		tq := query.NewTermQuery(fmt.Sprint(req.Year))
		tq.SetField(fieldYear)
		filters = append(filters, tq)
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		yes := true
		var from, to time.Time
		if !req.From.IsZero() {
			from = req.From.UTC()
		}
		if !req.To.IsZero() {
			// To names a day: include all of it.
			to = req.To.UTC()
			if to.Equal(to.Truncate(24 * time.Hour)) {
				to = to.Add(24*time.Hour - time.Nanosecond)
			}
		}
		dq := query.NewDateRangeInclusiveQuery(from, to, &yes, &yes)
		dq.SetField(fieldDate)
		filters = append(filters, dq)
	}
	var mustNot []query.Query
	if words := strings.TrimSpace(syntaxChars.Replace(req.Exclude)); words != "" {
		for _, w := range strings.Fields(words) {
			mustNot = append(mustNot, wordsQuery(w, 0))
		}
	}
	if len(filters) == 0 && len(mustNot) == 0 {
		return text
	}
	// Filters restrict the hits without adding to their scores.
	bq := query.NewBooleanQuery([]query.Query{text}, nil, mustNot)
	if len(filters) > 0 {
		bq.AddFilter(query.NewConjunctionQuery(filters))
	}
	return bq
}

// ranked is one hit of the window with its final score.
type ranked struct {
	dm     *search.DocumentMatch
	score  float64
	date   time.Time
	fp     fingerprint // near-duplicate fingerprint; zero: none
	alsoOn []string
}

// rank orders the window of res, collapses near-duplicates and returns the
// hits of the requested page, and how many hits of the window were
// collapsed into others.
//
// Without a text query (weighted false) every hit scores the same and
// hits are in date order.
func (ix *Index) rank(req kg.SearchRequest, res *bleve.SearchResult, weighted bool) ([]ranked, int) {
	rs := make([]ranked, len(res.Hits))
	now := ix.now()
	for i, dm := range res.Hits {
		r := ranked{dm: dm, score: dm.Score, fp: parseFingerprint(str(dm.Fields[fieldSimhash]))}
		if d := str(dm.Fields[fieldDate]); d != "" {
			r.date, _ = time.Parse(time.RFC3339Nano, d)
		}
		if weighted && !math.IsNaN(r.score) && r.score > 0 {
			r.score *= weight(str(dm.Fields[fieldKind]), r.date, now)
		}
		rs[i] = r
	}
	if windowSize(req) > maxWindow {
		// Deep pages: Bleve already cut the page.
		return rs, 0
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		byDate := cmp.Compare(b.date.UnixNano(), a.date.UnixNano())
		if a.date.IsZero() != b.date.IsZero() {
			byDate = cmp.Compare(boolInt(a.date.IsZero()), boolInt(b.date.IsZero()))
		}
		byScore := cmp.Compare(b.score, a.score)
		if req.Sort == kg.SortDate {
			return cmp.Or(byDate, byScore, cmp.Compare(a.dm.ID, b.dm.ID))
		}
		return cmp.Or(byScore, byDate, cmp.Compare(a.dm.ID, b.dm.ID))
	})
	// Collapse: a hit whose text is a near-duplicate of a better one
	// joins it.
	kept := rs[:0:0]
	collapsed := 0
	for _, r := range rs {
		dup := -1
		for i := range kept {
			if sameText(kept[i].fp, r.fp) {
				dup = i
				break
			}
		}
		if dup >= 0 {
			kept[dup].alsoOn = append(kept[dup].alsoOn, str(r.dm.Fields[fieldURL]))
			collapsed++
			continue
		}
		kept = append(kept, r)
	}
	from := (req.Page - 1) * req.Size
	if from >= len(kept) {
		return nil, collapsed
	}
	return kept[from:min(from+req.Size, len(kept))], collapsed
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// weight is the factor a hit's text score is multiplied by: its kind's
// weight, and for news and events a lift that fades with age.
func weight(kind string, date, now time.Time) float64 {
	w := cmp.Or(kindWeights[kind], 1.0)
	if (kind == kg.KindNews || kind == kg.KindEvent) && !date.IsZero() {
		age := max(0, now.Sub(date))
		w *= 1 + freshBoost*math.Exp2(-float64(age)/float64(freshHalfLife))
	}
	return w
}

// fill loads the stored fields and highlights of the page's hits into out.
func (ix *Index) fill(ctx context.Context, req kg.SearchRequest, text query.Query, page []ranked, out *kg.SearchResult) error {
	out.Hits = make([]kg.Hit, 0, len(page))
	if len(page) == 0 {
		return nil
	}
	ids := make([]string, len(page))
	for i, r := range page {
		ids[i] = r.dm.ID
	}
	var q query.Query = query.NewDocIDQuery(ids)
	if _, all := text.(*query.MatchAllQuery); !all {
		// A conjunction leads with the ids and visits only those
		// documents; a filter would walk every match of the text first.
		q = query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), text})
	}
	sr := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	sr.Fields = hitFields
	if _, all := text.(*query.MatchAllQuery); !all {
		sr.Highlight = bleve.NewHighlightWithStyle(htmlhl.Name)
		sr.Highlight.AddField(fieldTextSv)
		sr.Highlight.AddField(fieldTextEn)
	}
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return err
	}
	byID := make(map[string]*search.DocumentMatch, len(res.Hits))
	for _, dm := range res.Hits {
		byID[dm.ID] = dm
	}
	for _, r := range page {
		dm := byID[r.dm.ID]
		if dm == nil {
			continue // deleted between the two searches
		}
		h := toHit(dm)
		h.Score = r.score
		h.AlsoOn = r.alsoOn
		out.Hits = append(out.Hits, h)
	}
	return nil
}

// toResult converts Bleve's totals and facets.
func toResult(res *bleve.SearchResult) kg.SearchResult {
	out := kg.SearchResult{
		Total:  res.Total,
		Facets: make(map[string][]kg.FacetCount, len(facets)),
	}
	for _, f := range facets {
		out.Facets[f.name] = []kg.FacetCount{}
	}
	if fr := res.Facets[fieldFacets]; fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			name, value, ok := strings.Cut(t.Term, facetSep)
			if counts, known := out.Facets[name]; ok && known {
				out.Facets[name] = append(counts, kg.FacetCount{Value: value, Count: t.Count})
			}
		}
	}
	for name, counts := range out.Facets {
		slices.SortFunc(counts, func(a, b kg.FacetCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
		})
		out.Facets[name] = counts[:min(len(counts), facetSize)]
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
			h.Snippet = wholeWordMarks(frags[0])
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
