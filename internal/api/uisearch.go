package api

import (
	"maps"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/web"
)

// uiFacets lists the facets of the search page in display order. The
// page's own lang parameter is the interface language, so the document
// language filter is called doclang there.
var uiFacets = []struct {
	facet string // facet name, as the index reports it
	param string // query parameter of the search page
}{
	{facetCluster, "cluster"},
	{facetTopic, "topic"},
	{facetKind, "kind"},
	{facetLang, "doclang"},
	{facetCounty, "county"},
	{facetYear, "year"},
}

// maxPages is the last page a search can show; kg.SearchRequest.Validate
// refuses later ones.
const maxPages = 1000

// uiSearch is the state of the search page, from which it builds links.
type uiSearch struct {
	query   string
	filters map[string]string // facet name → value
	page    int
}

// newUISearch reads the search page's parameters from q (nil for none).
func newUISearch(q url.Values) uiSearch {
	s := uiSearch{query: q.Get("q"), filters: map[string]string{}}
	for _, f := range uiFacets {
		if v := q.Get(f.param); v != "" {
			s.filters[f.facet] = v
		}
	}
	s.page, _ = strconv.Atoi(q.Get("page"))
	return s
}

// with returns the search with facet set to value ("" removes it), on its
// first page.
func (s uiSearch) with(facet, value string) uiSearch {
	s.filters = maps.Clone(s.filters)
	if value == "" {
		delete(s.filters, facet)
	} else {
		s.filters[facet] = value
	}
	s.page = 0
	return s
}

// onPage returns the search on page n.
func (s uiSearch) onPage(n int) uiSearch {
	s.page = n
	return s
}

// url returns the address of the search page showing s.
func (s uiSearch) url() string {
	v := url.Values{}
	if s.query != "" {
		v.Set("q", s.query)
	}
	for _, f := range uiFacets {
		if val := s.filters[f.facet]; val != "" {
			v.Set(f.param, val)
		}
	}
	if s.page > 1 {
		v.Set("page", strconv.Itoa(s.page))
	}
	if len(v) == 0 {
		return "/"
	}
	return "/?" + v.Encode()
}

// searchPage serves GET /: the search form, facets and one page of hits.
// Unknown parameters are ignored here, unlike in the API, since browsers
// and links add their own.
func (h *handlers) searchPage(c *gin.Context) {
	lang := h.pageLang(c)
	ctx := c.Request.Context()
	q, err := url.ParseQuery(c.Request.URL.RawQuery)
	if err != nil {
		err = invalidf("malformed query string")
	}
	st := newUISearch(q)
	data := web.SearchPage{Page: h.newPage(c, lang, st.query, "search"), Query: st.query}
	for _, f := range uiFacets {
		if v := st.filters[f.facet]; v != "" {
			data.Hidden = append(data.Hidden, web.Field{Name: f.param, Value: v})
		}
	}
	var req kg.SearchRequest
	if err == nil {
		req, err = searchRequest(q, "doclang")
		req.Size = 0 // the page always shows the default number of hits
	}
	var res kg.SearchResult
	if err == nil {
		res, _, err = h.runSearch(ctx, &req)
	}
	if kg.ErrorCode(err) == kg.EINVALID {
		data.Error = kg.ErrorMessage(err)
		h.render(c, statusOf(kg.EINVALID), web.TmplSearch, data)
		return
	}
	if err != nil {
		h.failPage(c, lang, err)
		return
	}

	ls := h.labels(ctx, res, lang)
	label := func(facet, value string) string {
		switch facet {
		case facetCluster:
			return labelOf(ls.clusters, value)
		case facetTopic:
			return labelOf(ls.topics, value)
		case facetKind:
			return data.KindName(value)
		case facetLang:
			return data.DocLangName(value)
		}
		return value
	}

	data.Total = int(min(res.Total, math.MaxInt32))
	if res.DidYouMean != "" {
		data.DidYouMean = web.Link{Text: res.DidYouMean, URL: uiSearch{query: res.DidYouMean, filters: st.filters}.url()}
	}
	for _, hit := range res.Hits {
		sh := web.SearchHit{
			Title:   hit.Title,
			URL:     hit.URL,
			Kind:    hit.Kind,
			Lang:    hit.Lang,
			Date:    hit.Date,
			Snippet: hit.Snippet,
		}
		if u, err := url.Parse(hit.URL); err == nil {
			sh.Host = u.Host
		}
		for _, id := range hit.Clusters {
			sh.Clusters = append(sh.Clusters, web.Link{Text: labelOf(ls.clusters, id), URL: clusterURL(id)})
		}
		for _, u := range hit.AlsoOn {
			text := u
			if pu, err := url.Parse(u); err == nil && pu.Host != "" {
				text = pu.Host
			}
			sh.AlsoOn = append(sh.AlsoOn, web.Link{Text: text, URL: u})
		}
		data.Hits = append(data.Hits, sh)
	}
	for _, f := range uiFacets {
		title := web.T(lang, "facet."+f.facet)
		selected := st.filters[f.facet]
		if selected != "" {
			data.Filters = append(data.Filters, web.ActiveFilter{
				Facet:     title,
				Label:     label(f.facet, selected),
				RemoveURL: st.with(f.facet, "").url(),
			})
		}
		counts := res.Facets[f.facet]
		if len(counts) == 0 {
			continue
		}
		facet := web.Facet{Name: f.param, Title: title}
		for _, fc := range counts {
			v := web.FacetValue{Label: label(f.facet, fc.Value), Count: fc.Count, Selected: fc.Value == selected}
			if v.Selected {
				v.URL = st.with(f.facet, "").url()
			} else {
				v.URL = st.with(f.facet, fc.Value).url()
			}
			facet.Values = append(facet.Values, v)
		}
		data.Facets = append(data.Facets, facet)
	}
	if len(data.Filters) > 0 {
		data.ClearURL = uiSearch{query: st.query}.url()
	}
	data.Pager = pager(st, req.Page, req.Size, res.Total)
	h.render(c, http.StatusOK, web.TmplSearch, data)
}

// pager links to the pages around page of a result of total hits.
func pager(st uiSearch, page, size int, total uint64) web.Pager {
	pages := int(min((total+uint64(size)-1)/uint64(size), maxPages))
	p := web.Pager{Page: page, Pages: pages}
	if pages < 2 {
		return p
	}
	if page > 1 {
		p.Prev = st.onPage(min(page-1, pages)).url()
	}
	if page < pages {
		p.Next = st.onPage(page + 1).url()
	}
	for n := max(1, page-2); n <= min(pages, page+2); n++ {
		p.Links = append(p.Links, web.PageLink{Number: n, URL: st.onPage(n).url(), Current: n == page})
	}
	return p
}
