package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/web"
)

// Facet names, as the index reports them.
const (
	facetCluster = "cluster"
	facetTopic   = "topic"
	facetKind    = "kind"
	facetLang    = "lang"
	facetCounty  = "county"
	facetYear    = "year"
)

// searchParams are the query parameters of GET /api/v1/search.
var searchParams = []string{"q", "cluster", "county", "topic", "kind", "lang", "page", "size", "year", "from", "to", "sort", "exclude"}

// searchResponse is the body of GET /api/v1/search.
type searchResponse struct {
	Query  string       `json:"query"`
	Total  uint64       `json:"total"`
	Page   int          `json:"page"`
	Size   int          `json:"size"`
	Hits   []hitJSON    `json:"hits"`
	Facets searchFacets `json:"facets"`
	TookMS int64        `json:"took_ms"`
	// DidYouMean is the query with unknown words corrected; omitted
	// when every word is known.
	DidYouMean string `json:"did_you_mean,omitempty"`
}

// hitJSON is one search hit.
type hitJSON struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	URL      string   `json:"url"`
	Clusters []string `json:"clusters"`
	Kind     string   `json:"kind"`
	Lang     string   `json:"lang"`
	Date     string   `json:"date,omitempty"` // YYYY-MM-DD
	Snippet  string   `json:"snippet"`        // HTML: escaped text with <mark> around matches
	Score    float64  `json:"score"`
	AlsoOn   []string `json:"also_on"` // URLs of near-duplicates collapsed into this hit
}

// searchFacets holds every facet; each is a list, possibly empty.
type searchFacets struct {
	Cluster []facetJSON `json:"cluster"`
	Topic   []facetJSON `json:"topic"`
	Kind    []facetJSON `json:"kind"`
	Lang    []facetJSON `json:"lang"`
	County  []facetJSON `json:"county"`
	Year    []facetJSON `json:"year"`
}

// facetJSON is one facet value with its count and display label.
type facetJSON struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	Label string `json:"label"`
}

// apiSearch serves GET /api/v1/search.
func (h *handlers) apiSearch(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.RawQuery, searchParams...)
	if err != nil {
		h.fail(c, err)
		return
	}
	req, err := searchRequest(q, "lang")
	if err != nil {
		h.fail(c, err)
		return
	}
	res, took, err := h.runSearch(c.Request.Context(), &req)
	if err != nil {
		h.fail(c, err)
		return
	}
	labels := h.labels(c.Request.Context(), res, web.LangSV)
	resp := searchResponse{
		Query:      req.Query,
		Total:      res.Total,
		Page:       req.Page,
		Size:       req.Size,
		Hits:       make([]hitJSON, 0, len(res.Hits)),
		TookMS:     took.Milliseconds(),
		DidYouMean: res.DidYouMean,
		Facets: searchFacets{
			Cluster: facetValues(res.Facets[facetCluster], labels.clusters),
			Topic:   facetValues(res.Facets[facetTopic], labels.topics),
			Kind:    facetValues(res.Facets[facetKind], nil),
			Lang:    facetValues(res.Facets[facetLang], nil),
			County:  facetValues(res.Facets[facetCounty], nil),
			Year:    facetValues(res.Facets[facetYear], nil),
		},
	}
	for _, hit := range res.Hits {
		resp.Hits = append(resp.Hits, hitJSON{
			ID:       hit.ID,
			Title:    hit.Title,
			URL:      hit.URL,
			Clusters: orEmpty(hit.Clusters),
			Kind:     hit.Kind,
			Lang:     hit.Lang,
			Date:     formatDate(hit.Date),
			Snippet:  web.SanitizeSnippet(hit.Snippet),
			Score:    hit.Score,
			AlsoOn:   orEmpty(hit.AlsoOn),
		})
	}
	c.JSON(http.StatusOK, resp)
}

// searchRequest builds a search request from query parameters; langParam
// names the parameter that filters by document language. Page and size
// must be integers; the rest is checked by Validate.
func searchRequest(q url.Values, langParam string) (kg.SearchRequest, error) {
	page, err := intParam(q, "page")
	if err != nil {
		return kg.SearchRequest{}, err
	}
	size, err := intParam(q, "size")
	if err != nil {
		return kg.SearchRequest{}, err
	}
	year, err := intParam(q, "year")
	if err != nil {
		return kg.SearchRequest{}, err
	}
	from, err := dateParam(q, "from")
	if err != nil {
		return kg.SearchRequest{}, err
	}
	to, err := dateParam(q, "to")
	if err != nil {
		return kg.SearchRequest{}, err
	}
	return kg.SearchRequest{
		Year:    year,
		From:    from,
		To:      to,
		Sort:    strings.TrimSpace(q.Get("sort")),
		Exclude: strings.TrimSpace(q.Get("exclude")),
		Query:   strings.TrimSpace(q.Get("q")),
		Cluster: strings.TrimSpace(q.Get("cluster")),
		County:  strings.TrimSpace(q.Get("county")),
		Topic:   strings.TrimSpace(q.Get("topic")),
		Kind:    strings.TrimSpace(q.Get("kind")),
		Lang:    strings.TrimSpace(q.Get(langParam)),
		Page:    page,
		Size:    size,
	}, nil
}

// dateParam reads the parameter name as a date, YYYY-MM-DD; absent or
// empty is the zero time.
func dateParam(q url.Values, name string) (time.Time, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, invalidf("%s must be a date, YYYY-MM-DD", name)
	}
	// The index stores dates as nanoseconds since 1970, which reach from
	// 1677 to 2262; the years a search may ask for are those of year.
	if y := t.Year(); y < minYear || y > maxYear {
		return time.Time{}, invalidf("%s must be a date between %d and %d", name, minYear, maxYear)
	}
	return t, nil
}

// The years a date parameter may name, as kg.SearchRequest.Validate
// allows for year.
const (
	minYear = 1900
	maxYear = 2200
)

// runSearch validates req, fills its defaults and runs it. It returns the
// time the index reports, or the time the call took if it reports none.
func (h *handlers) runSearch(ctx context.Context, req *kg.SearchRequest) (kg.SearchResult, time.Duration, error) {
	if err := req.Validate(); err != nil {
		return kg.SearchResult{}, 0, err
	}
	start := time.Now()
	res, err := h.index.Search(ctx, *req)
	if err != nil {
		return kg.SearchResult{}, 0, wrap("searching", err)
	}
	took := res.Took
	if took <= 0 {
		took = time.Since(start)
	}
	return res, took, nil
}

// labelSet maps cluster and topic ids to display names.
type labelSet struct {
	clusters map[string]string
	topics   map[string]string
}

// labels looks up the names of the clusters and topics a result names, in
// lang. A failing lookup is logged and leaves the ids as labels: the
// search itself succeeded.
func (h *handlers) labels(ctx context.Context, res kg.SearchResult, lang string) labelSet {
	var ls labelSet
	needClusters := len(res.Facets[facetCluster]) > 0
	for _, hit := range res.Hits {
		needClusters = needClusters || len(hit.Clusters) > 0
	}
	if needClusters {
		ls.clusters = h.clusterNames(ctx)
	}
	if len(res.Facets[facetTopic]) > 0 {
		ls.topics = h.topicLabels(ctx, lang)
	}
	return ls
}

// clusterNames maps cluster ids to names, or returns nil if the graph
// fails.
func (h *handlers) clusterNames(ctx context.Context) map[string]string {
	cs, err := h.graph.Clusters(ctx)
	if err != nil {
		h.logger.WarnContext(ctx, "looking up cluster names", slog.String("err", err.Error()))
		return nil
	}
	m := make(map[string]string, len(cs))
	for _, c := range cs {
		m[c.ID] = c.Name
	}
	return m
}

// topicLabels maps topic ids to labels in lang, or returns nil if the
// graph fails.
func (h *handlers) topicLabels(ctx context.Context, lang string) map[string]string {
	ts, err := h.graph.Topics(ctx)
	if err != nil {
		h.logger.WarnContext(ctx, "looking up topic labels", slog.String("err", err.Error()))
		return nil
	}
	m := make(map[string]string, len(ts))
	for _, t := range ts {
		m[t.ID] = t.Label(lang)
	}
	return m
}

// facetValues converts facet counts, labelling each value from labels or,
// if it has none, with the value itself.
func facetValues(counts []kg.FacetCount, labels map[string]string) []facetJSON {
	out := make([]facetJSON, 0, len(counts))
	for _, fc := range counts {
		out = append(out, facetJSON{Value: fc.Value, Count: fc.Count, Label: labelOf(labels, fc.Value)})
	}
	return out
}

// labelOf returns labels[id], or id if it has no label.
func labelOf(labels map[string]string, id string) string {
	if l := labels[id]; l != "" {
		return l
	}
	return id
}

// formatDate formats t as YYYY-MM-DD, or "" for the zero time.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// orEmpty returns s, or an empty slice if s is nil, so JSON shows [].
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
