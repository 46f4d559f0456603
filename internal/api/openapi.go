package api

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDocument is the OpenAPI 3 description of the JSON API and the
// feeds. A test keeps it in step with the routes.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPI returns the OpenAPI 3 document of the API, as served at
// /openapi.json.
func OpenAPI() []byte {
	return append([]byte(nil), openAPIDocument...)
}

// openAPI serves GET /openapi.json. The document is static, so query
// parameters are ignored.
func (h *handlers) openAPI(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIDocument)
}
