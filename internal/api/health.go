package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// healthTimeout bounds the checks of /healthz.
const healthTimeout = 2 * time.Second

// healthResponse is the body of GET /healthz when the service is healthy.
type healthResponse struct {
	Status    string `json:"status"`
	Version   string `json:"version,omitempty"`
	Nodes     int    `json:"nodes"`     // nodes in the graph
	Documents uint64 `json:"documents"` // documents in the index
}

// healthz serves GET /healthz: 200 if the graph and the index answer
// within healthTimeout, 503 otherwise.
func (h *handlers) healthz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), healthTimeout)
	defer cancel()
	stats, err := h.graph.Stats(ctx)
	if err != nil {
		h.unhealthy(c, "graph", err)
		return
	}
	docs, err := h.index.Count(ctx)
	if err != nil {
		h.unhealthy(c, "index", err)
		return
	}
	nodes := 0
	for _, n := range stats.Nodes {
		nodes += n
	}
	c.JSON(http.StatusOK, healthResponse{Status: "ok", Version: h.version, Nodes: nodes, Documents: docs})
}

// unhealthy logs why a health check failed and answers 503.
func (h *handlers) unhealthy(c *gin.Context, part string, err error) {
	h.logger.LogAttrs(c.Request.Context(), slog.LevelError, "health check failed",
		slog.String("request_id", requestIDOf(c)),
		slog.String("part", part),
		slog.String("err", err.Error()),
	)
	h.writeError(c, statusOf(kg.EUNAVAIL), kg.EUNAVAIL, "The "+part+" is unavailable.")
}
