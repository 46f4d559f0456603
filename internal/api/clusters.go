package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// maxEvidence is how many pieces of evidence a response shows per
// relationship; evidence_total tells how many there are.
const maxEvidence = 10

// clustersResponse is the body of GET /api/v1/clusters.
type clustersResponse struct {
	Clusters []clusterJSON `json:"clusters"`
}

// clusterJSON is a cluster as lists show it.
type clusterJSON struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	County    string            `json:"county"`
	Sites     []string          `json:"sites"`
	Documents int               `json:"documents"`
	TopTopics []topicWeightJSON `json:"top_topics"`
}

// topicWeightJSON is a topic a cluster works on, with its weight.
type topicWeightJSON struct {
	ID      string  `json:"id"`
	LabelSV string  `json:"label_sv"`
	LabelEN string  `json:"label_en"`
	Weight  float64 `json:"weight"`
}

// clusterDetailJSON is the body of GET /api/v1/clusters/:id.
type clusterDetailJSON struct {
	clusterJSON
	Aliases     []string           `json:"aliases"`
	Town        string             `json:"town"`
	Description string             `json:"description"`
	Topics      []clusterTopicJSON `json:"topics"`
}

// clusterTopicJSON is a topic a cluster works on, with its evidence.
type clusterTopicJSON struct {
	topicWeightJSON
	Evidence      []evidenceJSON `json:"evidence"`
	EvidenceTotal int            `json:"evidence_total"`
}

// evidenceJSON is a document that supports a relationship.
type evidenceJSON struct {
	URL     string `json:"url"`
	Title   string `json:"title"`
	Kind    string `json:"kind"`
	Date    string `json:"date,omitempty"` // YYYY-MM-DD
	Snippet string `json:"snippet"`        // plain text
}

// apiClusters serves GET /api/v1/clusters.
func (h *handlers) apiClusters(c *gin.Context) {
	if _, err := parseQuery(c.Request.URL.RawQuery); err != nil {
		h.fail(c, err)
		return
	}
	cs, err := h.graph.Clusters(c.Request.Context())
	if err != nil {
		h.fail(c, wrap("listing clusters", err))
		return
	}
	resp := clustersResponse{Clusters: make([]clusterJSON, 0, len(cs))}
	for _, cl := range cs {
		resp.Clusters = append(resp.Clusters, clusterSummaryJSON(cl))
	}
	c.JSON(http.StatusOK, resp)
}

// apiCluster serves GET /api/v1/clusters/:id.
func (h *handlers) apiCluster(c *gin.Context) {
	if _, err := parseQuery(c.Request.URL.RawQuery); err != nil {
		h.fail(c, err)
		return
	}
	id := c.Param("id")
	d, err := h.graph.Cluster(c.Request.Context(), id)
	if err != nil {
		h.fail(c, wrap("getting cluster "+id, err))
		return
	}
	resp := clusterDetailJSON{
		clusterJSON: clusterSummaryJSON(d.ClusterSummary),
		Aliases:     orEmpty(d.Aliases),
		Town:        d.Town,
		Description: d.Description,
		Topics:      make([]clusterTopicJSON, 0, len(d.Topics)),
	}
	for _, t := range d.Topics {
		ev, total := evidenceList(t.Evidence)
		resp.Topics = append(resp.Topics, clusterTopicJSON{
			topicWeightJSON: topicWeight(t),
			Evidence:        ev,
			EvidenceTotal:   total,
		})
	}
	c.JSON(http.StatusOK, resp)
}

// clusterSummaryJSON converts a cluster summary.
func clusterSummaryJSON(cl kg.ClusterSummary) clusterJSON {
	out := clusterJSON{
		ID:        cl.ID,
		Name:      cl.Name,
		County:    cl.County,
		Sites:     orEmpty(cl.Sites),
		Documents: cl.Documents,
		TopTopics: make([]topicWeightJSON, 0, len(cl.TopTopics)),
	}
	for _, t := range cl.TopTopics {
		out.TopTopics = append(out.TopTopics, topicWeight(t))
	}
	return out
}

// topicWeight converts a topic weight, without its evidence.
func topicWeight(t kg.TopicWeight) topicWeightJSON {
	return topicWeightJSON{ID: t.TopicID, LabelSV: t.SV, LabelEN: t.EN, Weight: t.Weight}
}

// evidenceList converts at most maxEvidence pieces of evidence, in the
// order the graph gives them, and returns how many there are in all.
func evidenceList(ev []kg.Evidence) ([]evidenceJSON, int) {
	out := make([]evidenceJSON, 0, min(len(ev), maxEvidence))
	for _, e := range ev[:min(len(ev), maxEvidence)] {
		out = append(out, evidenceJSON{
			URL:     e.URL,
			Title:   e.Title,
			Kind:    e.Kind,
			Date:    formatDate(e.Date),
			Snippet: e.Snippet,
		})
	}
	return out, len(ev)
}
