package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/mock"
)

// oaDoc is the part of an OpenAPI 3 document the tests read.
type oaDoc struct {
	OpenAPI    string                            `json:"openapi"`
	Paths      map[string]map[string]oaOperation `json:"paths"`
	Components struct {
		Schemas         map[string]map[string]any `json:"schemas"`
		Parameters      map[string]oaParam        `json:"parameters"`
		Responses       map[string]oaResponse     `json:"responses"`
		SecuritySchemes map[string]map[string]any `json:"securitySchemes"`
	} `json:"components"`
}

type oaOperation struct {
	OperationID string `json:"operationId"`
	RequestBody *struct {
		Required bool `json:"required"`
		Content  map[string]struct {
			Schema map[string]any `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Parameters []oaParam             `json:"parameters"`
	Responses  map[string]oaResponse `json:"responses"`
	Security   []map[string][]string `json:"security"`
}

type oaParam struct {
	Ref      string         `json:"$ref"`
	Name     string         `json:"name"`
	In       string         `json:"in"`
	Required bool           `json:"required"`
	Schema   map[string]any `json:"schema"`
}

type oaResponse struct {
	Ref     string `json:"$ref"`
	Content map[string]struct {
		Schema map[string]any `json:"schema"`
	} `json:"content"`
}

// loadOpenAPI parses the embedded document.
func loadOpenAPI(t testing.TB) *oaDoc {
	t.Helper()
	var doc oaDoc
	dec := json.NewDecoder(bytes.NewReader(OpenAPI()))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("parsing openapi.json: %v", err)
	}
	return &doc
}

// param resolves a parameter reference.
func (d *oaDoc) param(p oaParam) (oaParam, error) {
	if p.Ref == "" {
		return p, nil
	}
	name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
	q, found := d.Components.Parameters[name]
	if !ok || !found {
		return oaParam{}, fmt.Errorf("unresolved parameter %s", p.Ref)
	}
	return q, nil
}

// response resolves a response reference.
func (d *oaDoc) response(r oaResponse) (oaResponse, error) {
	if r.Ref == "" {
		return r, nil
	}
	name, ok := strings.CutPrefix(r.Ref, "#/components/responses/")
	q, found := d.Components.Responses[name]
	if !ok || !found {
		return oaResponse{}, fmt.Errorf("unresolved response %s", r.Ref)
	}
	return q, nil
}

// schema resolves a schema reference.
func (d *oaDoc) schema(s map[string]any) (map[string]any, error) {
	ref, ok := s["$ref"].(string)
	if !ok {
		return s, nil
	}
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	q, found := d.Components.Schemas[name]
	if !ok || !found {
		return nil, fmt.Errorf("unresolved schema %s", ref)
	}
	return q, nil
}

// validate checks the decoded JSON value v against schema: $ref, allOf,
// nullable, type, enum, required, properties, items and the date format.
// An object may hold only the properties its schema names, so that a
// field added to a response fails until the document describes it.
func (d *oaDoc) validate(schema map[string]any, v any, at string) error {
	return d.validateIn(schema, v, at, true)
}

// validateIn is validate; strict checks for undocumented properties,
// which a part of an allOf cannot do alone.
func (d *oaDoc) validateIn(schema map[string]any, v any, at string, strict bool) error {
	s, err := d.schema(schema)
	if err != nil {
		return fmt.Errorf("%s: %w", at, err)
	}
	if v == nil && s["nullable"] == true {
		return nil
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			if err := d.validateIn(sub.(map[string]any), v, at, false); err != nil {
				return err
			}
		}
	}
	if m, ok := v.(map[string]any); ok && strict && s["additionalProperties"] != true {
		names, err := d.propertyNames(s)
		if err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if len(names) > 0 {
			for name := range m {
				if !names[name] {
					return fmt.Errorf("%s: property %q is not documented", at, name)
				}
			}
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		return fmt.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	typ, _ := s["type"].(string)
	switch typ {
	case "":
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: %T, want an object", at, v)
		}
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := m[r.(string)]; !ok {
				return fmt.Errorf("%s: lacks required %q", at, r)
			}
		}
		props, _ := s["properties"].(map[string]any)
		for name, val := range m {
			if ps, ok := props[name].(map[string]any); ok {
				if err := d.validateIn(ps, val, at+"."+name, true); err != nil {
					return err
				}
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: %T, want an array", at, v)
		}
		items, _ := s["items"].(map[string]any)
		for i, e := range a {
			if err := d.validateIn(items, e, fmt.Sprintf("%s[%d]", at, i), true); err != nil {
				return err
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: %T, want a string", at, v)
		}
		if s["format"] == "date" {
			if _, err := time.Parse(time.DateOnly, str); err != nil {
				return fmt.Errorf("%s: %q is not a date", at, str)
			}
		}
	case "integer":
		n, ok := v.(float64)
		if !ok || n != float64(int64(n)) {
			return fmt.Errorf("%s: %v, want an integer", at, v)
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("%s: %T, want a number", at, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: %T, want a boolean", at, v)
		}
	default:
		return fmt.Errorf("%s: unknown type %q", at, typ)
	}
	return nil
}

// propertyNames returns the properties a schema names, its own and
// those of the schemas of its allOf.
func (d *oaDoc) propertyNames(schema map[string]any) (map[string]bool, error) {
	s, err := d.schema(schema)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	props, _ := s["properties"].(map[string]any)
	for name := range props {
		names[name] = true
	}
	all, _ := s["allOf"].([]any)
	for _, sub := range all {
		more, err := d.propertyNames(sub.(map[string]any))
		if err != nil {
			return nil, err
		}
		for name := range more {
			names[name] = true
		}
	}
	return names, nil
}

// specPath turns a gin route path into an OpenAPI path: :id becomes {id}.
func specPath(route string) string {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		if len(p) > 1 && (p[0] == ':' || p[0] == '*') {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// documented reports whether a route belongs in the OpenAPI document: the
// JSON API, the feeds, the health check and the document itself, not the
// HTML pages.
func documented(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/feeds/") ||
		path == "/healthz" || path == "/openapi.json"
}

// mustEngine builds the gin engine over fakes, with every optional route
// on.
func mustEngine(t *testing.T) *gin.Engine {
	t.Helper()
	srv := &Server{Graph: &mock.GraphStore{}, Search: &mock.Searcher{}}
	h, err := srv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	e, ok := h.(*gin.Engine)
	if !ok {
		t.Fatalf("Handler returned %T, want *gin.Engine", h)
	}
	return e
}

// TestOpenAPICoversRoutes fails when an API or feed route is missing from
// the document, or the document names an operation no route serves.
func TestOpenAPICoversRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	e := mustEngine(t)

	routes := map[string]bool{} // "GET /api/v1/clusters/{id}"
	for _, r := range e.Routes() {
		if !documented(r.Path) {
			continue
		}
		routes[r.Method+" "+specPath(r.Path)] = true
	}
	if len(routes) < 10 {
		t.Fatalf("only %d API routes found: %v", len(routes), routes)
	}
	for route := range routes {
		method, path, _ := strings.Cut(route, " ")
		if method == http.MethodHead {
			// HEAD is answered wherever GET is; the document says so once.
			if !routes["GET "+path] {
				t.Errorf("route %s has no GET", route)
			}
			continue
		}
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("route %s is not in openapi.json", route)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !routes[strings.ToUpper(method)+" "+path] {
				t.Errorf("openapi.json documents %s %s, which no route serves", strings.ToUpper(method), path)
			}
		}
	}
}

// TestOpenAPIDocument checks the document itself: version, unique
// operation ids, resolvable references, path parameters declared, errors
// described by the error body, admin operations secured.
func TestOpenAPIDocument(t *testing.T) {
	doc := loadOpenAPI(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q, want 3.x", doc.OpenAPI)
	}
	if _, ok := doc.Components.SecuritySchemes["adminToken"]; !ok {
		t.Fatal("no adminToken security scheme")
	}
	for name, s := range doc.Components.Schemas {
		if err := checkRefs(doc, s); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
	ids := map[string]string{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			where := strings.ToUpper(method) + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s and %s share operationId %q", where, prev, op.OperationID)
			}
			ids[op.OperationID] = where
			var pathParams []string
			for _, p := range op.Parameters {
				p, err := doc.param(p)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				if p.In == "path" {
					pathParams = append(pathParams, p.Name)
				}
				if err := checkRefs(doc, p.Schema); err != nil {
					t.Errorf("%s parameter %s: %v", where, p.Name, err)
				}
			}
			for _, seg := range strings.Split(path, "/") {
				if name, ok := strings.CutPrefix(seg, "{"); ok && !slices.Contains(pathParams, strings.TrimSuffix(name, "}")) {
					t.Errorf("%s does not declare path parameter %s", where, seg)
				}
			}
			ok2xx := false
			for status, r := range op.Responses {
				r, err := doc.response(r)
				if err != nil {
					t.Errorf("%s %s: %v", where, status, err)
					continue
				}
				ok2xx = ok2xx || status[0] == '2'
				if status[0] == '4' || status[0] == '5' {
					c, ok := r.Content["application/json"]
					if !ok || c.Schema["$ref"] != "#/components/schemas/Error" {
						t.Errorf("%s %s is not described by the Error schema", where, status)
					}
				}
				for ct, c := range r.Content {
					if err := checkRefs(doc, c.Schema); err != nil {
						t.Errorf("%s %s %s: %v", where, status, ct, err)
					}
				}
			}
			if !ok2xx {
				t.Errorf("%s has no success response", where)
			}
		}
	}
}

// TestOpenAPISecurity checks that exactly the operations the document
// secures with the admin token refuse a request without it.
func TestOpenAPISecurity(t *testing.T) {
	doc := loadOpenAPI(t)
	srv := &Server{Graph: &mock.GraphStore{}, Search: &mock.Searcher{}, AdminToken: "0123456789abcdef-token"}
	h, err := srv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	secured := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			target := path
			for _, p := range op.Parameters {
				if p, _ := doc.param(p); p.In == "path" {
					target = strings.ReplaceAll(target, "{"+p.Name+"}", "x")
				}
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(strings.ToUpper(method), target, nil))
			needsToken := rec.Code == http.StatusUnauthorized
			if needsToken != (len(op.Security) > 0) {
				t.Errorf("%s %s: status %d without a token, but security is %v", strings.ToUpper(method), path, rec.Code, op.Security)
			}
			if len(op.Security) > 0 {
				secured++
				if _, ok := op.Responses["401"]; !ok {
					t.Errorf("%s %s is secured but does not document 401", strings.ToUpper(method), path)
				}
			}
		}
	}
	if secured == 0 {
		t.Error("no operation is secured")
	}
}

// checkRefs reports a schema reference, anywhere in s, that does not
// resolve.
func checkRefs(doc *oaDoc, s any) error {
	switch v := s.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			if _, err := doc.schema(v); err != nil {
				return err
			}
			_ = ref
		}
		for _, sub := range v {
			if err := checkRefs(doc, sub); err != nil {
				return err
			}
		}
	case []any:
		for _, sub := range v {
			if err := checkRefs(doc, sub); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestOpenAPIServed checks that /openapi.json serves the embedded document
// as JSON, for GET and HEAD.
func TestOpenAPIServed(t *testing.T) {
	e := mustEngine(t)
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(method, "/openapi.json", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s /openapi.json: status %d", method, rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s /openapi.json: content type %q", method, ct)
		}
		if method == http.MethodGet && !bytes.Equal(rec.Body.Bytes(), OpenAPI()) {
			t.Errorf("GET /openapi.json does not serve the embedded document")
		}
	}
	var v map[string]any
	if err := json.Unmarshal(OpenAPI(), &v); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
}
