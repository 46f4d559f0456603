package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/mock"
)

// cypherCall is what the fake runner received.
type cypherCall struct {
	query  string
	params map[string]any
	limit  int
}

// cypherFixture is a server whose graph runs Cypher through fn, with the
// admin token set; calls records what the runner received.
func cypherFixture(t *testing.T, fn func(query string, params map[string]any, limit int) ([]string, [][]any, bool, error)) (http.Handler, *[]cypherCall) {
	t.Helper()
	f := newFixture(t)
	var calls []cypherCall
	f.Server.Graph = &mock.CypherGraph{
		GraphStore: *f.Graph,
		RunReadCypherFn: func(ctx context.Context, query string, params map[string]any, limit int) ([]string, [][]any, bool, error) {
			if _, ok := ctx.Deadline(); !ok {
				t.Error("the query runs without a deadline")
			}
			calls = append(calls, cypherCall{query, params, limit})
			return fn(query, params, limit)
		},
	}
	f.Server.AdminToken = adminToken
	return f.MustHandler(t), &calls
}

func postCypher(t *testing.T, h http.Handler, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/cypher", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var bearer = []string{"Authorization", "Bearer " + adminToken}

type cypherAnswer struct {
	Columns   []string `json:"columns"`
	Rows      [][]any  `json:"rows"`
	Truncated bool     `json:"truncated"`
	Limit     int      `json:"limit"`
}

func TestCypherRuns(t *testing.T) {
	h, calls := cypherFixture(t, func(query string, params map[string]any, limit int) ([]string, [][]any, bool, error) {
		return []string{"id", "n"}, [][]any{{"cluster:syd", int64(3)}}, true, nil
	})
	rec := postCypher(t, h, `{"query": "MATCH (c:Cluster {county: $county}) RETURN c.id AS id LIMIT $n",
		"params": {"county": "Skåne", "n": 5, "w": 1.5, "ids": [1, "a"], "m": {"k": 2}}}`, bearer...)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	got := decode[cypherAnswer](t, rec)
	want := cypherAnswer{Columns: []string{"id", "n"}, Rows: [][]any{{"cluster:syd", float64(3)}}, Truncated: true, Limit: api.MaxCypherRows}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("answer = %+v, want %+v", got, want)
	}
	if len(*calls) != 1 {
		t.Fatalf("runner called %d times", len(*calls))
	}
	call := (*calls)[0]
	wantParams := map[string]any{"county": "Skåne", "n": int64(5), "w": 1.5,
		"ids": []any{int64(1), "a"}, "m": map[string]any{"k": int64(2)}}
	if !reflect.DeepEqual(call.params, wantParams) {
		t.Errorf("params = %#v, want %#v", call.params, wantParams)
	}
	if call.limit != api.MaxCypherRows || !strings.Contains(call.query, "$county") {
		t.Errorf("call = %+v", call)
	}
}

func TestCypherLimit(t *testing.T) {
	h, calls := cypherFixture(t, func(string, map[string]any, int) ([]string, [][]any, bool, error) {
		return []string{"x"}, nil, false, nil
	})
	rec := postCypher(t, h, `{"query": "RETURN 1 AS x", "limit": 10}`, bearer...)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	if got := decode[cypherAnswer](t, rec); got.Limit != 10 || got.Rows == nil || len(got.Rows) != 0 {
		t.Errorf("answer = %+v, want limit 10 and an empty list of rows", got)
	}
	if (*calls)[0].limit != 10 {
		t.Errorf("runner limit = %d, want 10", (*calls)[0].limit)
	}
}

func TestCypherBadRequests(t *testing.T) {
	tests := []struct {
		name, body, msg string
	}{
		{"not JSON", `MATCH (n) RETURN n`, "not a JSON object"},
		{"empty query", `{"query": "  "}`, "query is empty"},
		{"no query", `{"params": {}}`, "query is empty"},
		{"unknown field", `{"query": "RETURN 1", "db": "system"}`, "unknown field"},
		{"two values", `{"query": "RETURN 1"} {}`, "more than one JSON value"},
		{"limit too high", `{"query": "RETURN 1", "limit": 1001}`, "limit must be between 1 and 1000"},
		{"negative limit", `{"query": "RETURN 1", "limit": -1}`, "limit must be between"},
		{"params not an object", `{"query": "RETURN 1", "params": [1]}`, "not a JSON object"},
		{"long query", `{"query": "RETURN 1` + strings.Repeat(" ", 17<<10) + `"}`, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, calls := cypherFixture(t, func(string, map[string]any, int) ([]string, [][]any, bool, error) {
				return nil, nil, false, nil
			})
			rec := postCypher(t, h, tt.body, bearer...)
			wantError(t, rec, http.StatusBadRequest, kg.EINVALID, tt.msg)
			if len(*calls) != 0 {
				t.Errorf("the runner was called: %+v", *calls)
			}
		})
	}
}

func TestCypherRefusedQuery(t *testing.T) {
	h, _ := cypherFixture(t, func(string, map[string]any, int) ([]string, [][]any, bool, error) {
		return nil, nil, false, kg.Errorf(kg.EINVALID, "the query writes to the graph, and only read queries are allowed")
	})
	rec := postCypher(t, h, `{"query": "CREATE (n)"}`, bearer...)
	wantError(t, rec, http.StatusBadRequest, kg.EINVALID, "only read queries are allowed")
}

func TestCypherInternalError(t *testing.T) {
	h, _ := cypherFixture(t, func(string, map[string]any, int) ([]string, [][]any, bool, error) {
		return nil, nil, false, context.DeadlineExceeded
	})
	rec := postCypher(t, h, `{"query": "MATCH (n) RETURN n"}`, bearer...)
	if rec.Code != http.StatusInternalServerError && rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
}

func TestCypherNeedsToken(t *testing.T) {
	h, calls := cypherFixture(t, func(string, map[string]any, int) ([]string, [][]any, bool, error) {
		return nil, nil, false, nil
	})
	for _, header := range [][]string{nil, {"Authorization", "Bearer wrong-token-wrong-token"}} {
		rec := postCypher(t, h, `{"query": "RETURN 1"}`, header...)
		wantError(t, rec, http.StatusUnauthorized, "unauthorized", "")
	}
	if len(*calls) != 0 {
		t.Errorf("the runner was called without the token: %+v", *calls)
	}
}

func TestCypherEmbeddedStore(t *testing.T) {
	f := newFixture(t) // a graph without kg.CypherRunner
	f.Server.AdminToken = adminToken
	rec := postCypher(t, f.MustHandler(t), `{"query": "RETURN 1"}`, bearer...)
	wantError(t, rec, http.StatusNotFound, kg.ENOTFOUND, "Cypher queries need the Neo4j graph store")
}

func TestCypherAdminOff(t *testing.T) {
	f := newFixture(t)
	f.Server.Graph = &mock.CypherGraph{GraphStore: *f.Graph}
	rec := postCypher(t, f.MustHandler(t), `{"query": "RETURN 1"}`, bearer...)
	wantError(t, rec, http.StatusNotFound, kg.ENOTFOUND, "admin endpoints are off")
}
