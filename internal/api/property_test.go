package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/ingest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/privacy"
)

// propertyToken is the admin token of the property test's server.
const propertyToken = "property-test-admin-token"

// requestsPerOperation is how many requests the property test generates
// for each operation of the document.
const requestsPerOperation = 160

// propertySeed returns the seed of the request generator:
// KLUSTERKARTA_PROPERTY_SEED if set, else a fixed one so a failure
// repeats.
func propertySeed(t *testing.T) int64 {
	if s := os.Getenv("KLUSTERKARTA_PROPERTY_SEED"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("KLUSTERKARTA_PROPERTY_SEED: %v", err)
		}
		return n
	}
	return 20261125
}

// mapExtractor extracts the prepared document of a URL.
type mapExtractor map[string]kg.Document

func (m mapExtractor) Extract(_ context.Context, fd kg.FetchedDoc) (kg.Document, error) {
	d, ok := m[fd.URL]
	if !ok {
		return kg.Document{}, fmt.Errorf("no document for %s", fd.URL)
	}
	return d, nil
}

// propertyData is the small dataset of the property test, and the values
// its requests draw from.
type propertyData struct {
	reg    kg.Registry
	topics []kg.Topic
	docs   []kg.Document
	pool   map[string][]string // parameter name → values that exist
}

func newPropertyData() propertyData {
	reg := kg.Registry{Clusters: []kg.Cluster{
		{ID: "fjallmat", Name: "Fjällmat Kluster", County: "Jämtlands län", Town: "Östersund", Sites: []string{"https://fjallmat.example/"}},
		{ID: "slattbygd", Name: "Slättbygdens Nod", County: "Skåne län", Sites: []string{"https://slatt.example/"}},
		{ID: "skogsnod", Name: "Skogsnoden", County: "Västerbottens län"},
	}}
	topics := []kg.Topic{
		{ID: "biogas", SV: "Biogas", EN: "Biogas", Terms: []string{"biogas", "rötning"}},
		{ID: "skog", SV: "Skogsbruk", EN: "Forestry", Terms: []string{"skog"}},
		{ID: "mjolk", SV: "Mjölk", EN: "Dairy", Terms: []string{"mjölk"}},
	}
	next := time.Now().AddDate(0, 1, 0).UTC().Truncate(24 * time.Hour)
	last := time.Now().AddDate(0, -1, 0).UTC().Truncate(24 * time.Hour)
	docs := []kg.Document{
		{URL: "https://fjallmat.example/biogas", Title: "Biogas i fjällen", Kind: kg.KindNews, Lang: "sv",
			Text: "Fjällmat startar ett projekt om biogas och rötning av gödsel tillsammans med Slättbygdens Nod.",
			Date: time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC), Clusters: []string{"fjallmat"},
			Topics: []kg.TopicMatch{{TopicID: "biogas", Term: "biogas", Snippet: "projekt om biogas", Count: 2}},
			People: []kg.Person{{Name: "Anna Berg", Role: "verksamhetsledare", Organisation: "Fjällmat Kluster", ClusterID: "fjallmat", Email: "anna@fjallmat.example", Snippet: "Anna Berg, verksamhetsledare"}},
			Projects: []kg.Project{{Name: "Gödselgas", Owner: "Fjällmat Kluster", Leader: "Anna Berg", Funders: []string{"Jordbruksverket"},
				Start: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), Status: kg.StatusOngoing,
				Topics: []string{"biogas"}, Snippet: "Projektet Gödselgas"}},
			Organisations: []kg.OrgMention{{ID: "slattbygd", Name: "Slättbygdens Nod", ClusterID: "slattbygd", Partner: true, Snippet: "i samarbete med Slättbygdens Nod"},
				{ID: "jordbruksverket", Name: "Jordbruksverket", Kind: "authority", Snippet: "finansieras av Jordbruksverket"}}},
		{URL: "https://slatt.example/rotning", Title: "Rötning på slätten", Kind: kg.KindProject, Lang: "sv",
			Text: "Slättbygdens Nod driver rötning av restprodukter från mjölkgårdar.", Clusters: []string{"slattbygd"},
			Topics: []kg.TopicMatch{{TopicID: "biogas", Term: "rötning", Snippet: "driver rötning", Count: 1}, {TopicID: "mjolk", Term: "mjölk", Snippet: "mjölkgårdar", Count: 1}}},
		{URL: "https://slatt.example/gasdagen", Title: "Gasdagen", Kind: kg.KindEvent, Lang: "sv", Date: next,
			Text: "Välkommen till Gasdagen, en dag om biogas.", Clusters: []string{"slattbygd"},
			Topics: []kg.TopicMatch{{TopicID: "biogas", Term: "biogas", Snippet: "en dag om biogas", Count: 1}},
			Events: []kg.Event{{Title: "Gasdagen", Start: next, AllDay: true, Place: "Lund", Organisers: []string{"Slättbygdens Nod"}, Topics: []string{"biogas"}, Snippet: "Gasdagen i Lund"}}},
		{URL: "https://skog.example/skogsdag", Title: "Skogsdag", Kind: kg.KindEvent, Lang: "sv", Date: last,
			Text: "En dag i skogen om skogsbruk.", Clusters: []string{"skogsnod"},
			Topics: []kg.TopicMatch{{TopicID: "skog", Term: "skog", Snippet: "skogsbruk", Count: 1}},
			Events: []kg.Event{{Title: "Skogsdag", Start: last, AllDay: true, Place: "Umeå", Topics: []string{"skog"}, Snippet: "Skogsdag i Umeå"}}},
		{URL: "https://skog.example/en/forestry", Title: "Forestry in the north", Kind: kg.KindAbout, Lang: "en",
			Text: "The forestry node works on forestry and dairy in the north.", Clusters: []string{"skogsnod", "fjallmat"},
			Date:   time.Date(2023, 11, 20, 0, 0, 0, 0, time.UTC),
			Topics: []kg.TopicMatch{{TopicID: "skog", Term: "forestry", Snippet: "works on forestry", Count: 2}, {TopicID: "mjolk", Term: "dairy", Snippet: "and dairy", Count: 1}}},
	}
	for i := range docs {
		docs[i].ID = kg.DocumentID(docs[i].URL)
		u, _ := url.Parse(docs[i].URL)
		docs[i].Host = u.Host
		docs[i].ContentHash = fmt.Sprintf("hash-%d", i)
		docs[i].FetchedAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	}
	pool := map[string][]string{
		"cluster":      {"fjallmat", "slattbygd", "skogsnod"},
		"topic":        {"biogas", "skog", "mjolk"},
		"county":       {"Jämtlands län", "Skåne län", "Västerbottens län"},
		"kinds":        {"cluster", "cluster,topic", "cluster,topic,organisation,project,event,person,county", "person", "event,project"},
		"q":            {"biogas", "rötning", "skog OR mjölk", "forestry", "fjäll*", "\"biogas i fjällen\"", "gas~1", "biogas -mjölk"},
		"exclude":      {"mjölk", "skog"},
		"person":       {kg.PersonNodeID("Anna Berg", "Fjällmat Kluster"), "anna-berg@fjallmat-kluster", "nobody@nowhere", "anna-berg@fjallmat"},
		"project":      {"godselgas", "nothing"},
		"organisation": {"jordbruksverket", "nothing"},
		"event":        {"gasdagen@" + next.Format(time.DateOnly), "skogsdag@" + last.Format(time.DateOnly)},
		"name":         {"Anna Berg"},
		"email":        {"anna@fjallmat.example"},
		"phone":        {"070-123 45 67"},
	}
	return propertyData{reg: reg, topics: topics, docs: docs, pool: pool}
}

// cypherStore is the embedded store with a stand-in Cypher runner: it
// refuses writes and answers reads with the parameters it was given, so
// the analyst endpoint can be exercised without a Neo4j server.
type cypherStore struct {
	*embedded.Store
}

func (cypherStore) RunReadCypher(_ context.Context, query string, params map[string]any, limit int) ([]string, [][]any, bool, error) {
	upper := strings.ToUpper(query)
	if strings.Contains(upper, "CREATE") || strings.Contains(upper, "DELETE") {
		return nil, nil, false, kg.Errorf(kg.EINVALID, "the query writes")
	}
	if limit < 1 || limit > MaxCypherRows {
		return nil, nil, false, fmt.Errorf("limit %d out of range", limit)
	}
	row := []any{query}
	for _, k := range slices.Sorted(maps.Keys(params)) {
		row = append(row, params[k])
	}
	return []string{"query"}, [][]any{row}, false, nil
}

// mustPropertyServer builds a server over an embedded graph and an
// in-memory index filled through the ingest pipeline.
func mustPropertyServer(t testing.TB, data propertyData, token string) http.Handler {
	t.Helper()
	ctx := context.Background()
	st, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := index.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ingest.LoadRegistry(ctx, st, data.reg, data.topics); err != nil {
		t.Fatal(err)
	}
	ex := mapExtractor{}
	for _, d := range data.docs {
		ex[d.URL] = d
	}
	p := ingest.New(ex, st, ix, data.reg)
	for _, d := range data.docs {
		if err := p.HandlePage(ctx, kg.FetchedDoc{URL: d.URL, FinalURL: d.URL, Status: 200, ContentType: "text/html", FetchedAt: d.FetchedAt}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	supp, err := privacy.Open(filepath.Join(t.TempDir(), "suppressed.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{
		Graph: cypherStore{st}, Search: ix, Version: "test", AdminToken: token, Suppressions: supp,
		StartCrawl: func(bool) (string, error) { return "started", nil },
	}
	h, err := srv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// hostileValues are parameter values a careless handler trips on.
var hostileValues = []string{
	"", " ", "-1", "0", "1", "+3", "1.5", "1e9", "0x10", "NaN", "2147483648", "-9223372036854775809",
	"99999999999999999999999999", "2024-02-30", "2024-13-01", "0000-01-01", "1600-06-01", "2263-01-01", "9999-12-31", "2024-1-1",
	"true", "null", "[]", "{}", "'", "\"", "\\", "%", "%00", "*", "?", "~", "/[/", "a~99", "title:x", "+a -b",
	"\"unterminated", "field:>5", "../../etc/passwd", "a/b", "<script>alert(1)</script>", "Robert'); DROP TABLE--",
	"åäö ÅÄÖ", "🌲🐄", "\u202egnp.exe", "e\u0301", "\x00", "\x01\x02", "\x7f", "\xff\xfe", "\t\n\r",
	"a* b? c~ /d/ e* f* g*", "cluster:", "person:", "event:x",
}

// randomString returns up to n runes mixing ASCII, Swedish letters,
// symbols, emoji, control characters and invalid bytes.
func randomString(rng *rand.Rand, n int) string {
	alphabets := []string{"abcdefghijklmnopqrstuvwxyz0123456789", "åäöÅÄÖé", " -_.,:;!*?~/\\\"'()[]{}<>=&%#+", "🌲🐄🚜", "\x00\x01\x1b\x7f\xff"}
	var b strings.Builder
	for range rng.Intn(n + 1) {
		a := []rune(alphabets[rng.Intn(len(alphabets))])
		if rng.Intn(5) == 4 {
			b.WriteByte(byte(rng.Intn(256)))
			continue
		}
		b.WriteRune(a[rng.Intn(len(a))])
	}
	return b.String()
}

// validValue returns a value the parameter's schema allows, often one of
// known, the values the dataset holds for it.
func validValue(rng *rand.Rand, p oaParam, known []string) string {
	s := p.Schema
	if enum, ok := s["enum"].([]any); ok {
		return fmt.Sprint(enum[rng.Intn(len(enum))])
	}
	switch s["type"] {
	case "integer":
		lo, hi := 1, 1000
		if v, ok := s["minimum"].(float64); ok {
			lo = int(v)
		}
		if v, ok := s["maximum"].(float64); ok {
			hi = int(v)
		}
		if rng.Intn(3) == 0 {
			return strconv.Itoa([]int{lo, hi}[rng.Intn(2)])
		}
		return strconv.Itoa(lo + rng.Intn(hi-lo+1))
	case "string":
		if s["format"] == "date" {
			return time.Date(2020+rng.Intn(8), time.Month(1+rng.Intn(12)), 1+rng.Intn(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		}
	}
	if len(known) > 0 && rng.Intn(6) > 0 {
		return known[rng.Intn(len(known))]
	}
	if max, ok := s["maxLength"].(float64); ok && rng.Intn(8) == 0 {
		return strings.Repeat("x", int(max)+rng.Intn(2)) // at the limit and just past it
	}
	return randomString(rng, 12)
}

// poolName returns the name of the dataset values a parameter draws
// from: a path parameter from the resource its path names.
func poolName(path string, p oaParam) string {
	switch {
	case p.In == "path" && strings.HasPrefix(path, "/api/v1/clusters/"):
		return "cluster"
	case p.In == "path" && strings.HasPrefix(path, "/api/v1/topics/"):
		return "topic"
	case p.In == "path" && strings.HasPrefix(path, "/api/v1/people/"):
		return "person"
	case p.In == "path" && strings.HasPrefix(path, "/api/v1/projects/"):
		return "project"
	case p.In == "path" && strings.HasPrefix(path, "/api/v1/events/"):
		return "event"
	case p.In == "path" && strings.HasPrefix(path, "/api/v1/organisations/"):
		return "organisation"
	case p.Name == "id" && strings.HasPrefix(path, "/feeds/events"):
		return "event"
	case p.In == "path" && strings.HasPrefix(path, "/api/v1/events/"):
		return "event"
	case p.In == "path" && strings.HasPrefix(path, "/api/v1/projects/"):
		return "project"
	case p.In == "path" && strings.HasPrefix(path, "/api/v1/organisations/"):
		return "organisation"
	}
	return p.Name
}

// value returns a valid value if valid is set, else a valid value half
// the time and a hostile one otherwise.
func value(rng *rand.Rand, p oaParam, known []string, valid bool) string {
	if valid {
		return validValue(rng, p, known)
	}
	switch r := rng.Intn(10); {
	case r < 5:
		return validValue(rng, p, known)
	case r < 8:
		return hostileValues[rng.Intn(len(hostileValues))]
	case r < 9:
		return randomString(rng, 40)
	default:
		return strings.Repeat("ab ", 20+rng.Intn(300))
	}
}

// hostileBodies are request bodies a careless decoder trips on.
var hostileBodies = []string{
	"", "null", "[]", "{", "}", "\"query\"", `{"query":""}`, `{"query":"   "}`, `{"query":null}`, `{"query":1}`,
	`{"query":"MATCH (n) RETURN n","limit":-1}`, `{"query":"MATCH (n) RETURN n","limit":1001}`,
	`{"query":"MATCH (n) RETURN n","limit":1e99}`, `{"query":"MATCH (n) RETURN n","limit":"5"}`,
	`{"query":"MATCH (n) RETURN n","bogus":1}`, `{"query":"a"}{"query":"b"}`,
	`{"query":"RETURN $a","params":{"a":1e400}}`, `{"query":"RETURN $a","params":{"a":[1,[2,{"b":1e400}]]}}`,
	`{"query":"RETURN $a","params":[]}`, `{"query":"CREATE (n) RETURN n"}`, `{"query":"MATCH (n) DETACH DELETE n"}`,
	"\xff\xfe{}", `{"query":"\u0000"}`,
}

// requestBody returns a JSON request body: a well-formed one if valid is
// set, else a malformed, wrong or oversized one.
func requestBody(rng *rand.Rand, valid bool) string {
	if valid {
		return []string{
			`{"query":"MATCH (c:Cluster) RETURN c.name AS name LIMIT $n","params":{"n":5},"limit":10}`,
			`{"query":"MATCH (t:Topic) RETURN count(t)"}`,
			`{"query":"RETURN $x AS x","params":{"x":{"a":[1,2.5,"å",null,true]}},"limit":1}`,
		}[rng.Intn(3)]
	}
	switch rng.Intn(10) {
	case 0:
		return `{"query":"` + strings.Repeat("MATCH (n) ", 1700) + `"}` // past the query limit
	case 1:
		return `{"query":"x","params":{"p":"` + strings.Repeat("a", MaxBodyBytes) + `"}}` // past the body limit
	case 2, 3:
		return randomString(rng, 60)
	}
	return hostileBodies[rng.Intn(len(hostileBodies))]
}

// generated is one generated request and what it was made of.
type generated struct {
	req     *http.Request
	unknown bool // it carries a parameter the operation does not take
	slash   bool // a path parameter holds a slash, so the path names another route
}

// generate makes a request for the operation at path.
func generate(rng *rand.Rand, doc *oaDoc, method, path string, op oaOperation, pool map[string][]string) (generated, error) {
	var g generated
	var pairs []string
	// Half the requests are well formed, to reach the handlers' work
	// rather than their validation.
	valid := rng.Intn(2) == 0
	rawPath, decPath := path, path
	for _, ref := range op.Parameters {
		p, err := doc.param(ref)
		if err != nil {
			return g, err
		}
		name, known := p.Name, pool[poolName(path, p)]
		switch p.In {
		case "path":
			v := value(rng, p, known, valid || rng.Intn(2) == 0)
			if v == "" {
				v = "x" // an empty segment is another route
			}
			g.slash = g.slash || strings.Contains(v, "/")
			rawPath = strings.ReplaceAll(rawPath, "{"+name+"}", url.PathEscape(v))
			decPath = strings.ReplaceAll(decPath, "{"+name+"}", v)
		case "query":
			if !p.Required && rng.Intn(2) == 0 || p.Required && !valid && rng.Intn(12) == 0 {
				continue
			}
			n := 1
			if !valid && rng.Intn(15) == 0 {
				n = 2 // repeated
			}
			for range n {
				pairs = append(pairs, url.QueryEscape(name)+"="+url.QueryEscape(value(rng, p, known, valid)))
			}
		}
	}
	if !valid && rng.Intn(12) == 0 {
		name := []string{"color", "Q", "q ", "page[]", "utm_source", "", "_"}[rng.Intn(7)]
		pairs = append(pairs, url.QueryEscape(name)+"="+url.QueryEscape(randomString(rng, 8)))
		g.unknown = true
	}
	rng.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	raw := strings.Join(pairs, "&")
	if !valid && rng.Intn(20) == 0 {
		raw += []string{"&%zz", "&=x", "&&", ";a=1", "%", "&q=%ff%fe"}[rng.Intn(6)]
	}
	u := &url.URL{Path: decPath, RawPath: rawPath, RawQuery: raw}
	var body io.Reader
	if op.RequestBody != nil {
		body = strings.NewReader(requestBody(rng, valid))
	}
	req := httptest.NewRequest(method, "/", body)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.URL = u
	req.RequestURI = u.RequestURI()
	g.req = req
	return g, nil
}

// checkResponse checks the properties every answer must have: no 5xx, a
// documented status, the error body on every 4xx, a documented media type
// and schema on every 2xx.
func checkResponse(doc *oaDoc, op oaOperation, g generated, rec *httptest.ResponseRecorder) error {
	status := rec.Code
	if status >= 500 {
		return fmt.Errorf("status %d: %s", status, rec.Body.String())
	}
	if g.slash {
		return checkOtherRoute(rec)
	}
	ref, ok := op.Responses[strconv.Itoa(status)]
	if !ok {
		return fmt.Errorf("status %d is not documented (Location %q): %.300s", status, rec.Header().Get("Location"), rec.Body.String())
	}
	r, err := doc.response(ref)
	if err != nil {
		return err
	}
	ct, _, err := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	if err != nil && g.req.Method != http.MethodHead {
		return fmt.Errorf("status %d: content type %q: %v", status, rec.Header().Get("Content-Type"), err)
	}
	media, ok := r.Content[ct]
	if !ok && len(r.Content) > 0 {
		return fmt.Errorf("status %d: content type %q is not documented: %.300s", status, ct, rec.Body.String())
	}
	if status >= 200 && status < 300 && g.unknown {
		return fmt.Errorf("status %d for a request with an unknown parameter", status)
	}
	if ct != "application/json" || media.Schema == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		return fmt.Errorf("status %d: body is not JSON: %v: %.300s", status, err, rec.Body.String())
	}
	if err := doc.validate(media.Schema, v, "body"); err != nil {
		return fmt.Errorf("status %d: %v: %.500s", status, err, rec.Body.String())
	}
	return nil
}

// checkOtherRoute checks the answer to a request whose path parameter
// holds a slash, so that it names another route or none: no 5xx, a
// redirect with a Location (gin's trailing slash redirect), or an error
// with the error body.
func checkOtherRoute(rec *httptest.ResponseRecorder) error {
	switch status := rec.Code; {
	case status >= 300 && status < 400:
		if rec.Header().Get("Location") == "" {
			return fmt.Errorf("status %d without Location", status)
		}
	case status >= 400:
		var e struct {
			Error *errorBody `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == nil || e.Error.Code == "" || e.Error.Message == "" {
			return fmt.Errorf("status %d without the error body: %.300s", status, rec.Body.String())
		}
	}
	return nil
}

// strictQuery reports whether the operation refuses unknown query
// parameters; the health check and the document ignore the query.
func strictQuery(path string) bool {
	return path != "/healthz" && path != "/openapi.json"
}

// TestOpenAPIProperties generates requests from the OpenAPI document for
// every operation, valid and hostile, and checks every answer against the
// document. Admin operations are tried without a token configured (404),
// without credentials and with a wrong token (401), and with the right
// token.
func TestOpenAPIProperties(t *testing.T) {
	doc := loadOpenAPI(t)
	data := newPropertyData()
	servers := map[string]http.Handler{
		"no-token": mustPropertyServer(t, data, ""),
		"token":    mustPropertyServer(t, data, propertyToken),
	}
	seed := propertySeed(t)
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d (set KLUSTERKARTA_PROPERTY_SEED to change it)", seed)

	var paths []string
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	total, failures := 0, 0
	statuses := map[int]int{}
	for _, path := range paths {
		var methods []string
		for m := range doc.Paths[path] {
			methods = append(methods, m)
		}
		slices.Sort(methods)
		for _, m := range methods {
			op := doc.Paths[path][m]
			method := strings.ToUpper(m)
			admin := len(op.Security) > 0
			seen := map[int]int{}
			for i := range requestsPerOperation {
				g, err := generate(rng, doc, method, path, op, data.pool)
				if err != nil {
					t.Fatalf("%s %s: %v", method, path, err)
				}
				if !strictQuery(path) {
					g.unknown = false
				}
				h := servers["no-token"]
				var want int
				if admin {
					switch i % 4 {
					case 0:
						want = http.StatusNotFound
					case 1:
						h, want = servers["token"], http.StatusUnauthorized
					case 2:
						h, want = servers["token"], http.StatusUnauthorized
						g.req.Header.Set("Authorization", "Bearer wrong-"+propertyToken)
					default:
						h = servers["token"]
						g.req.Header.Set("Authorization", "Bearer "+propertyToken)
					}
				}
				if g.slash {
					want = 0 // the path names another route, or none
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, g.req)
				total++
				seen[rec.Code]++
				statuses[rec.Code]++
				err = checkResponse(doc, op, g, rec)
				// The limits on the URL and the search query apply on every
				// path, before the token is looked at.
				refused := rec.Code == http.StatusBadRequest || rec.Code == http.StatusRequestURITooLong || rec.Code == http.StatusRequestEntityTooLarge
				if err == nil && want != 0 && rec.Code != want && !refused {
					err = fmt.Errorf("status %d, want %d", rec.Code, want)
				}
				if admin && i%4 != 3 && rec.Code < 300 {
					err = fmt.Errorf("status %d without the admin token", rec.Code)
				}
				if err != nil {
					failures++
					if failures <= 20 {
						t.Errorf("%s %s: %v", method, g.req.URL.RequestURI(), err)
					}
				}
			}
			if seen[http.StatusOK]+seen[http.StatusAccepted] == 0 {
				t.Errorf("%s %s: no request succeeded in %d: %v", method, path, requestsPerOperation, seen)
			}
			t.Logf("%s %s: %v", method, path, seen)
		}
	}
	if failures > 20 {
		t.Errorf("%d failures in all", failures)
	}
	t.Logf("%d requests; statuses %v", total, statuses)
}
