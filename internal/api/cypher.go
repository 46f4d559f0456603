package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Limits of POST /api/v1/cypher.
const (
	// MaxCypherRows is the most rows one analyst query returns; a query
	// with more is answered with the first ones and truncated set.
	MaxCypherRows = 1000
	// CypherTimeout bounds one analyst query, within the request timeout.
	CypherTimeout = 30 * time.Second
	// maxCypherQueryBytes bounds the query text.
	maxCypherQueryBytes = 16 << 10
)

// cypherOff is the message of the analyst endpoint on a store that does
// not run Cypher.
const cypherOff = "Cypher queries need the Neo4j graph store: start the server with --graph bolt://host:7687 (this server keeps the graph in the embedded store)"

// cypherRequest is the body of POST /api/v1/cypher.
type cypherRequest struct {
	Query  string         `json:"query"`
	Params map[string]any `json:"params"`
	// Limit lowers the row limit below MaxCypherRows; 0 means MaxCypherRows.
	Limit int `json:"limit"`
}

// cypherResponse is the answer of POST /api/v1/cypher.
type cypherResponse struct {
	Columns   []string `json:"columns"`
	Rows      [][]any  `json:"rows"`
	Truncated bool     `json:"truncated"` // the query had more than Limit rows
	Limit     int      `json:"limit"`
}

// cypher serves POST /api/v1/cypher: it runs an analyst's read-only
// Cypher query with its parameters, when the graph store can.
func (h *handlers) cypher(c *gin.Context) {
	runner, ok := h.graph.(kg.CypherRunner)
	if !ok {
		h.fail(c, notFoundf(cypherOff))
		return
	}
	req, err := decodeCypherRequest(c.Request.Body)
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), CypherTimeout)
	defer cancel()
	cols, rows, truncated, err := runner.RunReadCypher(ctx, req.Query, req.Params, req.Limit)
	if err != nil {
		h.fail(c, wrap("running a Cypher query", err))
		return
	}
	h.logger.InfoContext(c.Request.Context(), "cypher query by analyst",
		"request_id", requestIDOf(c), "rows", len(rows), "truncated", truncated)
	if cols == nil {
		cols = []string{}
	}
	if rows == nil {
		rows = [][]any{}
	}
	c.JSON(http.StatusOK, cypherResponse{Columns: cols, Rows: rows, Truncated: truncated, Limit: req.Limit})
}

// decodeCypherRequest reads and checks the body of POST /api/v1/cypher.
// Whole numbers in params become int64, other numbers float64, so that a
// parameter such as the one of LIMIT $n is an integer in Cypher.
func decodeCypherRequest(body io.Reader) (cypherRequest, error) {
	var req cypherRequest
	if body == nil {
		return req, invalidf(`the request needs a JSON body: {"query": "...", "params": {...}}`)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return req, invalidf("the request body is larger than %d bytes", tooLarge.Limit)
		}
		return req, invalidf("reading the request body: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, invalidf(`the body is not a JSON object {"query": "...", "params": {...}, "limit": n}: %v`, err)
	}
	if dec.More() {
		return req, invalidf("the body holds more than one JSON value")
	}
	switch {
	case strings.TrimSpace(req.Query) == "":
		return req, invalidf("query is empty")
	case len(req.Query) > maxCypherQueryBytes:
		return req, invalidf("query is longer than %d bytes", maxCypherQueryBytes)
	case req.Limit < 0 || req.Limit > MaxCypherRows:
		return req, invalidf("limit must be between 1 and %d", MaxCypherRows)
	case req.Limit == 0:
		req.Limit = MaxCypherRows
	}
	params, err := cypherParams(req.Params)
	if err != nil {
		return req, err
	}
	req.Params = params
	return req, nil
}

// cypherParams converts the json.Number values of params.
func cypherParams(params map[string]any) (map[string]any, error) {
	if params == nil {
		return nil, nil
	}
	out := make(map[string]any, len(params))
	for k, v := range params {
		x, err := cypherValue(v)
		if err != nil {
			return nil, invalidf("parameter %q: %v", truncate(k, 50), err)
		}
		out[k] = x
	}
	return out, nil
}

func cypherValue(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, errors.New("number out of range")
		}
		return f, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			y, err := cypherValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	case map[string]any:
		return cypherParams(x)
	}
	return v, nil
}
