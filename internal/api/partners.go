package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
	"github.com/klusterkarta/klusterkarta/web"
)

// refJSON names a node.
type refJSON struct {
	ID   string `json:"id"`   // the id without its prefix
	Kind string `json:"kind"` // cluster, organisation, project, event, ...
	Name string `json:"name"`
}

func refOf(r query.Ref) refJSON { return refJSON{ID: r.ID, Kind: r.Kind, Name: r.Name} }

func refsOf(rs []query.Ref) []refJSON {
	out := make([]refJSON, 0, len(rs))
	for _, r := range rs {
		out = append(out, refOf(r))
	}
	return out
}

// partnersResponse is the body of GET /api/v1/partners.
type partnersResponse struct {
	Topic    topicRefJSON  `json:"topic"`
	Cluster  *refJSON      `json:"cluster"` // the asking cluster, or null
	Partners []partnerJSON `json:"partners"`
}

type topicRefJSON struct {
	ID      string `json:"id"`
	LabelSV string `json:"label_sv"`
	LabelEN string `json:"label_en"`
}

// partnerJSON is one suggested partner.
type partnerJSON struct {
	refJSON
	County        string              `json:"county"`
	Score         float64             `json:"score"`
	Strength      float64             `json:"strength"`
	Documents     int                 `json:"documents"`
	Projects      []refJSON           `json:"projects"`
	Events        []refJSON           `json:"events"`
	Latest        string              `json:"latest,omitempty"` // YYYY-MM-DD of the newest evidence
	Collaborates  *bool               `json:"collaborates"`     // null without an asking cluster
	Together      []collaborationJSON `json:"together"`
	Explanation   string              `json:"explanation"`
	Evidence      []evidenceJSON      `json:"evidence"`
	EvidenceTotal int                 `json:"evidence_total"`
}

type collaborationJSON struct {
	Via      string         `json:"via"` // stated, project or event
	With     refJSON        `json:"with"`
	Evidence []evidenceJSON `json:"evidence"`
}

// apiPartners serves GET /api/v1/partners?topic=&cluster=&limit=&lang=:
// the clusters and organisations that work on the topic, strongest and
// most recent evidence first, each marked as already collaborating with
// the asking cluster or not, and explained in one sentence.
func (h *handlers) apiPartners(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.RawQuery, "topic", "cluster", "kind", "limit", "lang")
	if err != nil {
		h.fail(c, err)
		return
	}
	limit, err := intParam(q, "limit")
	if err != nil {
		h.fail(c, err)
		return
	}
	if q.Has("limit") && (limit < 1 || limit > maxLimit) {
		h.fail(c, invalidf("limit must be between 1 and %d", maxLimit))
		return
	}
	lang := q.Get("lang")
	if lang != "" && !web.IsLang(lang) {
		h.fail(c, invalidf("lang must be sv or en"))
		return
	}
	eng, err := h.engine()
	if err != nil {
		h.fail(c, err)
		return
	}
	res, err := eng.Partners(c.Request.Context(), query.PartnerRequest{Topic: q.Get("topic"), Cluster: q.Get("cluster"), Kind: q.Get("kind"), Limit: limit})
	if err != nil {
		h.fail(c, wrap("finding partners", err))
		return
	}
	resp := partnersResponse{
		Topic:    topicRefJSON{ID: res.Topic.ID, LabelSV: res.Topic.SV, LabelEN: res.Topic.EN},
		Partners: make([]partnerJSON, 0, len(res.Partners)),
	}
	if res.Asking != nil {
		r := refOf(*res.Asking)
		resp.Cluster = &r
	}
	for _, p := range res.Partners {
		ev, total := evidenceList(p.Evidence)
		pj := partnerJSON{
			refJSON:       refOf(p.Ref),
			County:        p.County,
			Score:         p.Score,
			Strength:      p.Strength,
			Documents:     p.Documents,
			Projects:      refsOf(p.Projects),
			Events:        refsOf(p.Events),
			Latest:        formatDate(p.Newest),
			Together:      []collaborationJSON{},
			Explanation:   query.Explain(p, res.Topic, res.Asking, lang),
			Evidence:      ev,
			EvidenceTotal: total,
		}
		if res.Asking != nil {
			collaborates := p.Collaborates
			pj.Collaborates = &collaborates
		}
		for _, t := range p.Together {
			cev, _ := evidenceList(t.Evidence)
			pj.Together = append(pj.Together, collaborationJSON{Via: t.Via, With: refOf(t.With), Evidence: cev})
		}
		resp.Partners = append(resp.Partners, pj)
	}
	c.JSON(http.StatusOK, resp)
}

// similarResponse is the body of GET /api/v1/clusters/:id/similar.
type similarResponse struct {
	Cluster  string        `json:"cluster"`
	Clusters []similarJSON `json:"clusters"`
}

type similarJSON struct {
	ID     string         `json:"id"`
	Name   string         `json:"name"`
	County string         `json:"county"`
	Score  float64        `json:"score"`
	Shared []topicRefJSON `json:"shared_topics"`
}

// apiSimilar serves GET /api/v1/clusters/:id/similar?limit=: the other
// clusters by cosine similarity of their topic profiles.
func (h *handlers) apiSimilar(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.RawQuery, "limit")
	if err != nil {
		h.fail(c, err)
		return
	}
	limit, err := intParam(q, "limit")
	if err != nil {
		h.fail(c, err)
		return
	}
	if q.Has("limit") && (limit < 1 || limit > maxLimit) {
		h.fail(c, invalidf("limit must be between 1 and %d", maxLimit))
		return
	}
	eng, err := h.engine()
	if err != nil {
		h.fail(c, err)
		return
	}
	id := c.Param("id")
	sims, err := eng.SimilarClusters(c.Request.Context(), id, limit)
	if err != nil {
		h.fail(c, wrap("finding clusters similar to "+id, err))
		return
	}
	resp := similarResponse{Cluster: id, Clusters: make([]similarJSON, 0, len(sims))}
	for _, s := range sims {
		sj := similarJSON{ID: s.ID, Name: s.Name, County: s.County, Score: s.Score, Shared: []topicRefJSON{}}
		for _, t := range s.Shared {
			sj.Shared = append(sj.Shared, topicRefJSON{ID: t.ID, LabelSV: t.SV, LabelEN: t.EN})
		}
		resp.Clusters = append(resp.Clusters, sj)
	}
	c.JSON(http.StatusOK, resp)
}

// partnersPage serves GET /partners?cluster=&topic=: the partner finder.
func (h *handlers) partnersPage(c *gin.Context) {
	lang := h.pageLang(c)
	ctx := c.Request.Context()
	q := pageQuery(c)
	cluster, topic := q.Get("cluster"), q.Get("topic")
	cs, err := h.graph.Clusters(ctx)
	if err != nil {
		h.failPage(c, lang, wrap("listing clusters", err))
		return
	}
	ts, err := h.graph.Topics(ctx)
	if err != nil {
		h.failPage(c, lang, wrap("listing topics", err))
		return
	}
	data := web.PartnersPage{
		Page:     h.newPage(c, lang, web.T(lang, "partners.title"), "partners"),
		Clusters: clusterOptions(cs, cluster, web.T(lang, "partners.anyone")),
		Topics:   topicOptions(ts, lang, topic, web.T(lang, "partners.choose")),
	}
	eng, err := h.engine()
	if err != nil {
		h.failPage(c, lang, err)
		return
	}
	if cluster != "" {
		sims, err := eng.SimilarClusters(ctx, cluster, 5)
		if err == nil {
			for _, s := range sims {
				item := web.SimilarItem{Name: s.Name, URL: clusterURL(s.ID), County: s.County, Score: s.Score}
				for _, t := range s.Shared {
					item.Shared = append(item.Shared, web.Link{Text: t.Label(lang), URL: withQuery("/partners", map[string][]string{"cluster": {cluster}, "topic": {t.ID}})})
				}
				data.Similar = append(data.Similar, item)
			}
		} else if kg.ErrorCode(err) != kg.ENOTFOUND {
			h.failPage(c, lang, wrap("finding similar clusters", err))
			return
		}
	}
	if topic == "" {
		h.render(c, http.StatusOK, web.TmplPartners, data)
		return
	}
	data.Asked = true
	res, err := eng.Partners(ctx, query.PartnerRequest{Topic: topic, Cluster: cluster})
	switch kg.ErrorCode(err) {
	case "":
	case kg.EINVALID, kg.ENOTFOUND:
		data.Error = kg.ErrorMessage(err)
		h.render(c, statusOf(kg.ErrorCode(err)), web.TmplPartners, data)
		return
	default:
		h.failPage(c, lang, wrap("finding partners", err))
		return
	}
	data.Topic = res.Topic.Label(lang)
	data.FeedURL = withQuery("/feeds/search.atom", map[string][]string{"topic": {topic}})
	if res.Asking != nil {
		data.Asking = res.Asking.Name
	}
	for i, p := range res.Partners {
		ev, more := evidenceItems(p.Evidence)
		data.Partners = append(data.Partners, web.PartnerItem{
			Rank:         i + 1,
			Name:         p.Name,
			URL:          refURL(p.Ref),
			Kind:         p.Kind,
			County:       p.County,
			Score:        p.Score,
			Explanation:  query.Explain(p, res.Topic, res.Asking, lang),
			Collaborates: p.Collaborates,
			Evidence:     ev[:min(len(ev), 3)],
			More:         more + max(len(ev)-3, 0),
		})
	}
	h.render(c, http.StatusOK, web.TmplPartners, data)
}
