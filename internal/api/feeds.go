package api

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
)

// feedSize is how many documents an Atom feed holds.
const feedSize = 30

// searchFeed serves GET /feeds/search.atom?q=&topic=&cluster=: the newest
// matching documents as an Atom feed, to follow a search, a topic or a
// cluster in a feed reader.
func (h *handlers) searchFeed(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.RawQuery, "q", "topic", "cluster", "lang")
	if err != nil {
		h.fail(c, err)
		return
	}
	f := query.DocFilter{Query: strings.TrimSpace(q.Get("q")), Topic: q.Get("topic"), Cluster: q.Get("cluster"), Limit: feedSize}
	if len(f.Query) > kg.MaxQueryLength {
		h.fail(c, invalidf("q is longer than %d bytes", kg.MaxQueryLength))
		return
	}
	eng, err := h.engine()
	if err != nil {
		h.fail(c, err)
		return
	}
	docs, err := eng.NewestDocuments(c.Request.Context(), f)
	if err != nil {
		h.fail(c, wrap("reading the newest documents", err))
		return
	}
	v := url.Values{}
	var title []string
	if f.Query != "" {
		v.Set("q", f.Query)
		title = append(title, "”"+f.Query+"”")
	}
	if f.Topic != "" {
		v.Set("topic", f.Topic)
		title = append(title, f.Topic)
	}
	if f.Cluster != "" {
		v.Set("cluster", f.Cluster)
		title = append(title, f.Cluster)
	}
	feedTitle := "Klusterkarta"
	if len(title) > 0 {
		feedTitle += ": " + strings.Join(title, ", ")
	}
	base := baseURL(c)
	self := base + withQuery("/feeds/search.atom", v)
	htmlURL := base + withQuery("/", v)
	var buf bytes.Buffer
	err = query.WriteAtom(&buf, docs, query.AtomOptions{
		ID: self, Title: feedTitle, SelfURL: self, HTMLURL: htmlURL, Updated: time.Unix(0, 0).UTC(),
	})
	if err != nil {
		h.fail(c, wrap("writing the feed", err))
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", buf.Bytes())
}
