package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/privacy"
)

// adminPrefix starts the paths of the admin endpoints that are not under
// a resource.
const adminPrefix = "/api/v1/admin/"

// MinAdminTokenLength is the shortest admin token Handler accepts.
const MinAdminTokenLength = 16

// adminOff is the message of an admin endpoint on a server started
// without a token.
const adminOff = "admin endpoints are off: start the server with --admin-token (or KLUSTERKARTA_ADMIN_TOKEN) to enable them"

// requireAdmin lets a request through only with the admin bearer token.
// Without a configured token the admin endpoints do not exist (404).
func (h *handlers) requireAdmin(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if h.adminToken == nil {
		h.writeError(c, http.StatusNotFound, kg.ENOTFOUND, adminOff)
		return
	}
	scheme, token, ok := strings.Cut(c.GetHeader("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		c.Header("WWW-Authenticate", `Bearer realm="klusterkarta"`)
		h.writeError(c, http.StatusUnauthorized, codeUnauthorized, "this endpoint needs the admin token: Authorization: Bearer <token>")
		return
	}
	if !h.adminToken.matches(strings.TrimSpace(token)) {
		c.Header("WWW-Authenticate", `Bearer realm="klusterkarta", error="invalid_token"`)
		h.logger.WarnContext(c.Request.Context(), "admin request with a wrong token",
			"request_id", requestIDOf(c), "path", c.Request.URL.Path, "client_ip", c.ClientIP())
		h.writeError(c, http.StatusUnauthorized, codeUnauthorized, "the admin token is wrong")
		return
	}
	c.Next()
}

// secret is the admin token, kept as its hash so that comparing takes the
// same time whatever the length or content of the token presented.
type secret [sha256.Size]byte

// newSecret returns the secret of token, or nil for no token.
func newSecret(token string) *secret {
	if token == "" {
		return nil
	}
	s := secret(sha256.Sum256([]byte(token)))
	return &s
}

// matches compares token with the secret in constant time.
func (s *secret) matches(token string) bool {
	sum := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(s[:], sum[:]) == 1
}

// crawlResponse is the body of POST /api/v1/admin/crawl.
type crawlResponse struct {
	Status string `json:"status"` // "started", or "queued" behind a running crawl
}

// adminCrawl serves POST /api/v1/admin/crawl: it starts a crawl in the
// background, or queues one behind a running crawl, and answers 202. With
// refetch=true the crawl extracts every page again.
func (h *handlers) adminCrawl(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.RawQuery, "refetch")
	if err != nil {
		h.fail(c, err)
		return
	}
	refetch := false
	switch q.Get("refetch") {
	case "", "false", "0":
	case "true", "1":
		refetch = true
	default:
		h.fail(c, invalidf("refetch must be true or false, not %q", truncate(q.Get("refetch"), 20)))
		return
	}
	if h.startCrawl == nil {
		h.fail(c, notFoundf("this server has no crawler to start"))
		return
	}
	status, err := h.startCrawl(refetch)
	if err != nil {
		h.fail(c, wrap("starting a crawl", err))
		return
	}
	h.logger.InfoContext(c.Request.Context(), "crawl requested by admin", "request_id", requestIDOf(c), "status", status, "refetch", refetch)
	c.JSON(http.StatusAccepted, crawlResponse{Status: status})
}

// eraseResponse is the body of DELETE /api/v1/people/:id.
type eraseResponse struct {
	privacy.Result
	// Recrawl says whether the retracted documents are being written
	// again, redacted: "started", "queued" (behind a running crawl), "off"
	// (no crawler on this server: run "klusterkarta crawl --refetch") or
	// "not_needed" (no document was retracted).
	Recrawl string `json:"recrawl"`
}

// erasePerson serves DELETE /api/v1/people/:id: it erases a person from
// the graph and the index and keeps them out of later crawls. Optional
// query parameters name, email and phone add details the graph may lack.
func (h *handlers) erasePerson(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.RawQuery, "name", "email", "phone")
	if err != nil {
		h.fail(c, err)
		return
	}
	if h.eraser == nil {
		h.fail(c, notFoundf("erasing people is not configured on this server"))
		return
	}
	id := c.Param("id")
	if !strings.HasPrefix(id, "person:") {
		id = "person:" + id
	}
	req := privacy.Erasure{PersonID: id, Name: strings.TrimSpace(q.Get("name"))}
	if v := strings.TrimSpace(q.Get("email")); v != "" {
		req.Emails = []string{v}
	}
	if v := strings.TrimSpace(q.Get("phone")); v != "" {
		req.Phones = []string{v}
	}
	if len(req.Name) > 200 {
		h.fail(c, invalidf("name is longer than 200 bytes"))
		return
	}
	res, err := h.eraser.Erase(c.Request.Context(), req)
	if err != nil {
		h.fail(c, wrap("erasing a person", err))
		return
	}
	resp := eraseResponse{Result: res, Recrawl: "off"}
	if len(res.Documents) == 0 {
		resp.Recrawl = "not_needed"
	} else if h.startCrawl != nil {
		// The retracted pages are unchanged on their sites: only a crawl
		// that ignores validators and hashes writes them again.
		status, err := h.startCrawl(true)
		if err != nil {
			h.logInternal(c, wrap("starting a crawl after an erasure", err))
		} else {
			resp.Recrawl = status
		}
	}
	h.logger.InfoContext(c.Request.Context(), "person erased by admin request",
		"request_id", requestIDOf(c), "documents", len(res.Documents), "recrawl", resp.Recrawl)
	c.JSON(http.StatusOK, resp)
}
