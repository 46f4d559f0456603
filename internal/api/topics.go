package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// maxLimit bounds the limit parameter of GET /api/v1/topics/:id/clusters.
const maxLimit = 1000

// topicsResponse is the body of GET /api/v1/topics.
type topicsResponse struct {
	Topics []topicJSON `json:"topics"`
}

// topicJSON is a topic with how widely it is worked on.
type topicJSON struct {
	ID        string   `json:"id"`
	LabelSV   string   `json:"label_sv"`
	LabelEN   string   `json:"label_en"`
	Terms     []string `json:"terms"`
	Clusters  int      `json:"clusters"`
	Documents int      `json:"documents"`
}

// topicClustersResponse is the body of GET /api/v1/topics/:id/clusters.
type topicClustersResponse struct {
	Topic    topicJSON             `json:"topic"`
	Total    int                   `json:"total"` // clusters working on the topic, before limit
	Clusters []clusterStrengthJSON `json:"clusters"`
}

// clusterStrengthJSON is a cluster's standing on a topic.
type clusterStrengthJSON struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	County        string         `json:"county"`
	Weight        float64        `json:"weight"`
	Evidence      []evidenceJSON `json:"evidence"`
	EvidenceTotal int            `json:"evidence_total"`
}

// apiTopics serves GET /api/v1/topics.
func (h *handlers) apiTopics(c *gin.Context) {
	if _, err := parseQuery(c.Request.URL.RawQuery); err != nil {
		h.fail(c, err)
		return
	}
	ts, err := h.graph.Topics(c.Request.Context())
	if err != nil {
		h.fail(c, wrap("listing topics", err))
		return
	}
	resp := topicsResponse{Topics: make([]topicJSON, 0, len(ts))}
	for _, t := range ts {
		resp.Topics = append(resp.Topics, topicSummaryJSON(t))
	}
	c.JSON(http.StatusOK, resp)
}

// apiTopicClusters serves GET /api/v1/topics/:id/clusters: the clusters
// that work on a topic, strongest first, as the graph ranks them.
func (h *handlers) apiTopicClusters(c *gin.Context) {
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
	topic, strengths, err := h.topicClusters(c.Request.Context(), c.Param("id"))
	if err != nil {
		h.fail(c, err)
		return
	}
	resp := topicClustersResponse{
		Topic:    topicSummaryJSON(topic),
		Total:    len(strengths),
		Clusters: make([]clusterStrengthJSON, 0, len(strengths)),
	}
	if limit > 0 && limit < len(strengths) {
		strengths = strengths[:limit]
	}
	for _, s := range strengths {
		ev, total := evidenceList(s.Evidence)
		resp.Clusters = append(resp.Clusters, clusterStrengthJSON{
			ID:            s.ClusterID,
			Name:          s.Name,
			County:        s.County,
			Weight:        s.Weight,
			Evidence:      ev,
			EvidenceTotal: total,
		})
	}
	c.JSON(http.StatusOK, resp)
}

// topicClusters returns the topic id and the clusters that work on it.
// Returns ENOTFOUND for an unknown topic.
func (h *handlers) topicClusters(ctx context.Context, id string) (kg.TopicSummary, []kg.ClusterStrength, error) {
	ts, err := h.graph.Topics(ctx)
	if err != nil {
		return kg.TopicSummary{}, nil, wrap("listing topics", err)
	}
	var topic kg.TopicSummary
	found := false
	for _, t := range ts {
		if t.ID == id {
			topic, found = t, true
			break
		}
	}
	if !found {
		return kg.TopicSummary{}, nil, notFoundf("topic %q not found", truncate(id, 100))
	}
	strengths, err := h.graph.TopicClusters(ctx, id)
	if err != nil {
		return kg.TopicSummary{}, nil, wrap("ranking clusters on topic "+id, err)
	}
	return topic, strengths, nil
}

// topicSummaryJSON converts a topic summary.
func topicSummaryJSON(t kg.TopicSummary) topicJSON {
	return topicJSON{
		ID:        t.ID,
		LabelSV:   t.SV,
		LabelEN:   t.EN,
		Terms:     orEmpty(t.Terms),
		Clusters:  t.Clusters,
		Documents: t.Documents,
	}
}
