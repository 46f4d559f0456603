package api

import (
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
	"github.com/klusterkarta/klusterkarta/web"
)

// routeExplore registers the partner finder, the network, the calendar,
// the feeds and the exports.
func (h *handlers) routeExplore(e *gin.Engine, v1 *gin.RouterGroup) {
	get(v1, "/partners", h.apiPartners)
	get(v1, "/clusters/:id/similar", h.apiSimilar)
	get(v1, "/network", h.apiNetwork)
	get(v1, "/export", h.apiExport)

	get(e, "/partners", h.partnersPage)
	get(e, "/network", h.networkPage)
	get(e, "/network/map", h.mapPage)
	get(e, "/network/heatmap", h.heatMapPage)
	get(e, "/network/gaps", h.gapsPage)
	get(e, "/calendar", h.calendarPage)
	get(e, "/calendar/:id", h.eventPage)
	get(e, "/feeds/events.ics", h.eventsFeed)
	get(e, "/feeds/search.atom", h.searchFeed)
}

// engine returns the query engine over the server's graph and index.
// Returns EUNAVAIL if the graph cannot be explored.
func (h *handlers) engine() (*query.Engine, error) {
	return query.New(h.graph, h.index)
}

// pageActions returns the related pages and feeds of the page at the
// request's path: the partner finder, the network and follow links for
// cluster, topic and search pages.
func pageActions(c *gin.Context, lang string) []web.Action {
	path := c.Request.URL.Path
	q := c.Request.URL.Query()
	switch {
	case path == "/":
		v := url.Values{}
		for _, p := range []string{"q", "topic", "cluster"} {
			if s := q.Get(p); s != "" {
				v.Set(p, s)
			}
		}
		return []web.Action{
			{Text: web.T(lang, "actions.followq"), URL: withQuery("/feeds/search.atom", v), Type: "application/atom+xml"},
		}
	case strings.HasPrefix(path, "/clusters/") && strings.Count(path, "/") == 2:
		id := strings.TrimPrefix(path, "/clusters/")
		v := url.Values{"cluster": {id}}
		return []web.Action{
			{Text: web.T(lang, "actions.partners"), URL: withQuery("/partners", v)},
			{Text: web.T(lang, "actions.follow"), URL: withQuery("/feeds/search.atom", v), Type: "application/atom+xml"},
			{Text: web.T(lang, "actions.calendar"), URL: withQuery("/feeds/events.ics", v), Type: "text/calendar"},
		}
	case strings.HasPrefix(path, "/topics/") && strings.Count(path, "/") == 2:
		id := strings.TrimPrefix(path, "/topics/")
		v := url.Values{"topic": {id}}
		return []web.Action{
			{Text: web.T(lang, "actions.partners"), URL: withQuery("/partners", v)},
			{Text: web.T(lang, "actions.network"), URL: withQuery("/network", v)},
			{Text: web.T(lang, "actions.follow"), URL: withQuery("/feeds/search.atom", v), Type: "application/atom+xml"},
			{Text: web.T(lang, "actions.calendar"), URL: withQuery("/feeds/events.ics", v), Type: "text/calendar"},
		}
	}
	return nil
}

// withQuery returns path with the encoded query v, if any.
func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// pageQuery parses a page's query string leniently: browsers and links
// add their own parameters, so unknown ones are ignored.
func pageQuery(c *gin.Context) url.Values {
	q, err := url.ParseQuery(c.Request.URL.RawQuery)
	if err != nil {
		return url.Values{}
	}
	return q
}

// topicOptions returns the topics as select options in lang, with
// selected chosen, after an "all" option labelled first if it is not "".
func topicOptions(ts []kg.TopicSummary, lang, selected, first string) []web.Option {
	var out []web.Option
	if first != "" {
		out = append(out, web.Option{Value: "", Label: first, Selected: selected == ""})
	}
	for _, t := range ts {
		out = append(out, web.Option{Value: t.ID, Label: t.Label(lang), Selected: t.ID == selected})
	}
	return out
}

// clusterOptions returns the clusters as select options.
func clusterOptions(cs []kg.ClusterSummary, selected, first string) []web.Option {
	var out []web.Option
	if first != "" {
		out = append(out, web.Option{Value: "", Label: first, Selected: selected == ""})
	}
	for _, c := range cs {
		out = append(out, web.Option{Value: c.ID, Label: c.Name, Selected: c.ID == selected})
	}
	return out
}

// countyOptions returns the counties that have clusters as select options.
func countyOptions(cs []kg.ClusterSummary, selected, first string) []web.Option {
	out := []web.Option{{Value: "", Label: first, Selected: selected == ""}}
	seen := map[string]bool{}
	for _, c := range query.Counties {
		for _, cl := range cs {
			if cl.County == c.Name && !seen[c.Name] {
				seen[c.Name] = true
				out = append(out, web.Option{Value: c.Name, Label: c.Name, Selected: c.Name == selected})
			}
		}
	}
	for _, cl := range cs {
		if cl.County != "" && !seen[cl.County] {
			seen[cl.County] = true
			out = append(out, web.Option{Value: cl.County, Label: cl.County, Selected: cl.County == selected})
		}
	}
	return out
}

// refURL returns the page of a node, or "" if it has none.
func refURL(r query.Ref) string {
	switch r.Kind {
	case query.KindCluster:
		return clusterURL(r.ID)
	case query.KindTopic:
		return topicURL(r.ID)
	case query.KindEvent:
		return eventURL(r.ID)
	}
	return ""
}

// eventURL is the page of an event.
func eventURL(id string) string { return "/calendar/" + url.PathEscape(id) }

// baseURL returns the scheme and host the request was made to.
func baseURL(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}
