package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/web"
)

// langCookie remembers the interface language a user switched to.
const langCookie = "lang"

// langKey is the gin context key of the interface language.
const langKey = "klusterkarta.lang"

// langCookieMaxAge keeps the language choice for a year.
const langCookieMaxAge = 365 * 24 * 60 * 60

// pageLang returns the interface language of the request: the lang query
// parameter, which is then remembered in a cookie, else the cookie, else
// Swedish.
func (h *handlers) pageLang(c *gin.Context) string {
	if v, ok := c.Get(langKey); ok {
		return v.(string)
	}
	lang := web.DefaultLang
	cookie, _ := c.Cookie(langCookie)
	if v := c.Query("lang"); web.IsLang(v) {
		lang = v
		if cookie != v {
			http.SetCookie(c.Writer, &http.Cookie{
				Name:     langCookie,
				Value:    v,
				Path:     "/",
				MaxAge:   langCookieMaxAge,
				HttpOnly: true,
				Secure:   c.Request.TLS != nil,
				SameSite: http.SameSiteLaxMode,
			})
		}
	} else if web.IsLang(cookie) {
		lang = cookie
	}
	c.Set(langKey, lang)
	return lang
}

// newPage returns the common page data, with links that show the same
// page in every language.
func (h *handlers) newPage(c *gin.Context, lang, title, nav string) web.Page {
	p := web.Page{Lang: lang, Title: title, Nav: nav, Version: h.version, Actions: pageActions(c, lang)}
	path := c.Request.URL.EscapedPath()
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.HasPrefix(path, "/\\") {
		path = "/" // never link off the site
	}
	for _, l := range web.Langs {
		q := c.Request.URL.Query()
		q.Set("lang", l)
		p.LangLinks = append(p.LangLinks, web.LangLink{
			Lang:    l,
			Name:    web.LangNames[l],
			URL:     path + "?" + q.Encode(),
			Current: l == lang,
		})
	}
	return p
}

// render writes the page template name with data, or an internal error if
// the template fails.
func (h *handlers) render(c *gin.Context, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.templates.Render(&buf, name, data); err != nil {
		h.logInternal(c, err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte(internalMessage+"\n"))
		c.Abort()
		return
	}
	c.Header("Vary", "Cookie")
	c.Header("Cache-Control", "no-cache")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorPage renders the error page and stops the handler chain.
func (h *handlers) errorPage(c *gin.Context, lang string, status int, heading, message string) {
	h.render(c, status, web.TmplError, web.ErrorPage{
		Page:    h.newPage(c, lang, heading, ""),
		Status:  status,
		Heading: heading,
		Message: message,
	})
	c.Abort()
}

// notFoundPage renders the 404 page with message, or a generic one.
func (h *handlers) notFoundPage(c *gin.Context, lang, message string) {
	if message == "" {
		message = web.T(lang, "error.404.text")
	}
	h.errorPage(c, lang, statusOf(kg.ENOTFOUND), web.T(lang, "error.404"), message)
}

// internalErrorPage renders the 500 page, which names the request id.
func (h *handlers) internalErrorPage(c *gin.Context, lang string) {
	heading := web.T(lang, "error.500")
	status := statusOf(kg.EINTERNAL)
	h.render(c, status, web.TmplError, web.ErrorPage{
		Page:      h.newPage(c, lang, heading, ""),
		Status:    status,
		Heading:   heading,
		Message:   web.T(lang, "error.500.text"),
		RequestID: requestIDOf(c),
	})
	c.Abort()
}

// failPage answers a page request that failed with err, as fail does for
// the API.
func (h *handlers) failPage(c *gin.Context, lang string, err error) {
	if clientGone(c, err) {
		return
	}
	err = h.timedOut(c, err)
	code := kg.ErrorCode(err)
	switch code {
	case kg.EINTERNAL:
		h.logInternal(c, err)
		h.internalErrorPage(c, lang)
	case kg.EUNAVAIL:
		h.errorPage(c, lang, statusOf(code), web.T(lang, "error.503"), web.T(lang, "error.503.text"))
	default:
		status := statusOf(code)
		h.errorPage(c, lang, status, web.T(lang, fmt.Sprintf("error.%d", status)), kg.ErrorMessage(err))
	}
}

// clusterURL is the page of a cluster.
func clusterURL(id string) string { return "/clusters/" + url.PathEscape(id) }

// topicURL is the page of a topic.
func topicURL(id string) string { return "/topics/" + url.PathEscape(id) }

// topicLabel returns a topic's label in lang.
func topicLabel(id, sv, en, lang string) string {
	return kg.Topic{ID: id, SV: sv, EN: en}.Label(lang)
}

// evidenceItems converts at most maxEvidence pieces of evidence and
// returns how many more there are.
func evidenceItems(ev []kg.Evidence) ([]web.Evidence, int) {
	n := min(len(ev), maxEvidence)
	out := make([]web.Evidence, 0, n)
	for _, e := range ev[:n] {
		out = append(out, web.Evidence{Title: e.Title, URL: e.URL, Kind: e.Kind, Date: e.Date, Snippet: e.Snippet})
	}
	return out, len(ev) - n
}

// clustersPage serves GET /clusters.
func (h *handlers) clustersPage(c *gin.Context) {
	lang := h.pageLang(c)
	cs, err := h.graph.Clusters(c.Request.Context())
	if err != nil {
		h.failPage(c, lang, wrap("listing clusters", err))
		return
	}
	data := web.ClustersPage{Page: h.newPage(c, lang, web.T(lang, "clusters.title"), "clusters")}
	for _, cl := range cs {
		item := web.ClusterItem{Name: cl.Name, URL: clusterURL(cl.ID), County: cl.County, Documents: cl.Documents}
		for _, t := range cl.TopTopics {
			item.TopTopics = append(item.TopTopics, web.Link{Text: topicLabel(t.TopicID, t.SV, t.EN, lang), URL: topicURL(t.TopicID)})
		}
		data.Clusters = append(data.Clusters, item)
	}
	h.render(c, http.StatusOK, web.TmplClusters, data)
}

// clusterPage serves GET /clusters/:id.
func (h *handlers) clusterPage(c *gin.Context) {
	lang := h.pageLang(c)
	id := c.Param("id")
	d, err := h.graph.Cluster(c.Request.Context(), id)
	if kg.ErrorCode(err) == kg.ENOTFOUND {
		h.notFoundPage(c, lang, web.Tf(lang, "error.cluster", truncate(id, 100)))
		return
	}
	if err != nil {
		h.failPage(c, lang, wrap("getting cluster "+id, err))
		return
	}
	data := web.ClusterPage{
		Page:        h.newPage(c, lang, d.Name, "clusters"),
		Name:        d.Name,
		County:      d.County,
		Town:        d.Town,
		Description: d.Description,
		Aliases:     d.Aliases,
		Sites:       d.Sites,
		Documents:   d.Documents,
		SearchURL:   newUISearch(nil).with(facetCluster, d.ID).url(),
	}
	for _, t := range d.Topics {
		ev, more := evidenceItems(t.Evidence)
		data.Topics = append(data.Topics, web.ClusterTopic{
			Label:    topicLabel(t.TopicID, t.SV, t.EN, lang),
			URL:      topicURL(t.TopicID),
			Weight:   t.Weight,
			Evidence: ev,
			More:     more,
		})
	}
	h.render(c, http.StatusOK, web.TmplCluster, data)
}

// topicsPage serves GET /topics.
func (h *handlers) topicsPage(c *gin.Context) {
	lang := h.pageLang(c)
	ts, err := h.graph.Topics(c.Request.Context())
	if err != nil {
		h.failPage(c, lang, wrap("listing topics", err))
		return
	}
	data := web.TopicsPage{Page: h.newPage(c, lang, web.T(lang, "topics.title"), "topics")}
	for _, t := range ts {
		data.Topics = append(data.Topics, web.TopicItem{
			Label:     t.Label(lang),
			URL:       topicURL(t.ID),
			Clusters:  t.Clusters,
			Documents: t.Documents,
		})
	}
	h.render(c, http.StatusOK, web.TmplTopics, data)
}

// topicPage serves GET /topics/:id: the clusters that work on the topic,
// strongest first, with their evidence.
func (h *handlers) topicPage(c *gin.Context) {
	lang := h.pageLang(c)
	id := c.Param("id")
	topic, strengths, err := h.topicClusters(c.Request.Context(), id)
	if kg.ErrorCode(err) == kg.ENOTFOUND {
		h.notFoundPage(c, lang, web.Tf(lang, "error.topic", truncate(id, 100)))
		return
	}
	if err != nil {
		h.failPage(c, lang, err)
		return
	}
	label := topic.Label(lang)
	data := web.TopicPage{
		Page:      h.newPage(c, lang, label, "topics"),
		Label:     label,
		Terms:     topic.Terms,
		SearchURL: newUISearch(nil).with(facetTopic, topic.ID).url(),
	}
	for _, s := range strengths {
		ev, more := evidenceItems(s.Evidence)
		data.Clusters = append(data.Clusters, web.TopicCluster{
			Name:     s.Name,
			URL:      clusterURL(s.ClusterID),
			County:   s.County,
			Weight:   s.Weight,
			Evidence: ev,
			More:     more,
		})
	}
	h.render(c, http.StatusOK, web.TmplTopic, data)
}
