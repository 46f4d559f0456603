package neo4j

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/graph/neo4j/neo4jtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// testConfig returns the config of the test database named by NEO4J_URI,
// NEO4J_USER and NEO4J_PASSWORD, once this test process holds the
// engine's lock (see neo4jtest). Without NEO4J_URI it skips tb, or fails
// it under CI.
func testConfig(tb testing.TB) Config {
	tb.Helper()
	s := neo4jtest.Use(tb)
	return Config{URI: s.URI, User: s.User, Password: s.Password, Database: s.Database}
}

// MustOpen opens the test database and fails tb if it cannot; the store
// is closed when tb ends (closing twice is harmless).
func MustOpen(tb testing.TB, cfg Config) *Store {
	tb.Helper()
	s, err := Open(tb.Context(), cfg)
	if err != nil {
		tb.Fatalf("Open(%s): %v", cfg.URI, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// MustOpenEmpty opens the test database after deleting everything in it.
func MustOpenEmpty(tb testing.TB) *Store {
	tb.Helper()
	s := MustOpen(tb, testConfig(tb))
	wipe(tb, s)
	return s
}

// wipe deletes every node and relationship, in batches, keeping the
// schema.
func wipe(tb testing.TB, s *Store) {
	tb.Helper()
	ctx := tb.Context()
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, `MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`, nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		tb.Fatalf("wiping the test database: %v", err)
	}
}

func TestConformance(t *testing.T) {
	cfg := testConfig(t)
	graphtest.Run(t,
		func(t *testing.T) kg.GraphStore { return MustOpenEmpty(t) },
		func(t *testing.T, closed kg.GraphStore) kg.GraphStore { return MustOpen(t, cfg) })
}

func TestOpenInvalid(t *testing.T) {
	_, err := Open(t.Context(), Config{})
	if code := kg.ErrorCode(err); code != kg.EINVALID {
		t.Fatalf("Open without URI: code %q (err %v), want %q", code, err, kg.EINVALID)
	}
}

func TestOpenUnreachable(t *testing.T) {
	// A port nothing listens on: the listener is closed before Open dials.
	addr := closedPort(t)
	start := time.Now()
	_, err := Open(t.Context(), Config{URI: "bolt://" + addr, User: "neo4j", Password: "x", Timeout: 2 * time.Second})
	if code := kg.ErrorCode(err); code != kg.EUNAVAIL {
		t.Fatalf("Open(%s): code %q (err %v), want %q", addr, code, err, kg.EUNAVAIL)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("Open of an unreachable server took %v", d)
	}
}

func TestOpenWrongPassword(t *testing.T) {
	cfg := testConfig(t)
	if cfg.User == "" {
		t.Skip("the test database has no authentication")
	}
	cfg.Password += "-wrong"
	_, err := Open(t.Context(), cfg)
	if code := kg.ErrorCode(err); code != kg.EUNAVAIL {
		t.Fatalf("Open with a wrong password: code %q (err %v), want %q", code, err, kg.EUNAVAIL)
	}
}

func TestClosed(t *testing.T) {
	s := MustOpenEmpty(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	ctx := t.Context()
	calls := map[string]func() error{
		"ReplaceFacts":  func() error { _, err := s.ReplaceFacts(ctx, kg.FactSet{SourceID: "x", Hash: "h"}); return err },
		"RetractFacts":  func() error { _, err := s.RetractFacts(ctx, "x"); return err },
		"SourceHash":    func() error { _, _, err := s.SourceHash(ctx, "x"); return err },
		"Clusters":      func() error { _, err := s.Clusters(ctx); return err },
		"Cluster":       func() error { _, err := s.Cluster(ctx, "x"); return err },
		"Topics":        func() error { _, err := s.Topics(ctx); return err },
		"TopicClusters": func() error { _, err := s.TopicClusters(ctx, "x"); return err },
		"Stats":         func() error { _, err := s.Stats(ctx); return err },
	}
	for name, call := range calls {
		if code := kg.ErrorCode(call()); code != kg.EUNAVAIL {
			t.Errorf("%s on a closed store: code %q, want %q", name, code, kg.EUNAVAIL)
		}
	}
}

func TestReservedLabel(t *testing.T) {
	for _, label := range []string{labelEntity, labelFactSet, labelMeta} {
		fs := kg.FactSet{SourceID: "test:reserved", Hash: "h", Nodes: []kg.Node{{ID: "x", Label: label}}}
		if code := kg.ErrorCode(validate(fs)); code != kg.EINVALID {
			t.Errorf("a node labelled %s: code %q, want %q", label, code, kg.EINVALID)
		}
	}
}

// TestModel checks the shape analysts query: real labels, relationship
// types and plain properties, evidence on the relationship, and no
// placeholder left behind.
func TestModel(t *testing.T) {
	s := MustOpenEmpty(t)
	ctx := t.Context()
	reg := kg.RegistryFacts(kg.Registry{Clusters: []kg.Cluster{{ID: "vreta", Name: "Vreta kluster", County: "Östergötlands län"}}},
		[]kg.Topic{{ID: "biogas", SV: "Biogas", EN: "Biogas"}})
	doc := kg.Document{ID: kg.DocumentID("https://vreta.example/a"), URL: "https://vreta.example/a", Host: "vreta.example",
		Title: "Biogas i Vreta", Kind: kg.KindProject, Clusters: []string{"vreta", "ghost"},
		Topics: []kg.TopicMatch{{TopicID: "biogas", Snippet: "Om biogas."}}, ContentHash: "h1"}
	for _, fs := range []kg.FactSet{reg, kg.DocumentFacts(doc)} {
		if _, err := s.ReplaceFacts(ctx, fs); err != nil {
			t.Fatal(err)
		}
	}

	query := func(cypher string) []map[string]any {
		t.Helper()
		var out []map[string]any
		err := s.read(ctx, func(tx neo4j.ManagedTransaction) error {
			var err error
			out, err = collect(ctx, tx, cypher, nil)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
		return out
	}
	rows := query(`
MATCH (c:Cluster)-[r:WORKS_ON]->(t:Topic)
OPTIONAL MATCH (x:Assertion) WHERE x.id STARTS WITH type(r) + '\u001f' + c.id + '\u001f' + t.id + '\u001f'
RETURN c.name AS cluster, c.county AS county, t.en AS topic, r.weight AS weight,
       collect(x.source) AS sources, collect(x.snippet) AS snippets, c.declared_by AS declared_by,
       [(f:FactSet)-[:DECLARES]->(c) | f.source_id] AS declarers`)
	if len(rows) != 1 {
		t.Fatalf("WORKS_ON rows: %v", rows)
	}
	r := rows[0]
	want := map[string]any{
		"cluster": "Vreta kluster", "county": "Östergötlands län", "topic": "Biogas", "weight": 3.0,
		"sources": []any{doc.ID}, "snippets": []any{"Om biogas."}, "declared_by": int64(1),
		"declarers": []any{kg.RegistrySource},
	}
	for k, v := range want {
		if !equalValues(r[k], v) {
			t.Errorf("%s = %#v, want %#v", k, r[k], v)
		}
	}

	// The cluster the registry does not know is a bare placeholder.
	rows = query(`MATCH (n:Entity {id: "cluster:ghost"}) RETURN labels(n) AS labels, keys(n) AS keys`)
	if len(rows) != 1 || !equalValues(rows[0]["labels"], []any{"Entity"}) || !equalValues(rows[0]["keys"], []any{"id"}) {
		t.Errorf("placeholder: %v", rows)
	}
	if _, err := s.RetractFacts(ctx, doc.ID); err != nil {
		t.Fatal(err)
	}
	rows = query(`MATCH (n:Entity) WHERE n.declared_by IS NULL RETURN n.id AS id`)
	if len(rows) != 0 {
		t.Errorf("placeholders left after retracting their only source: %v", rows)
	}
	rows = query(`MATCH (f:FactSet) RETURN f.source_id AS source ORDER BY source`)
	if len(rows) != 1 || rows[0]["source"] != kg.RegistrySource {
		t.Errorf("fact sets after retracting the document: %v", rows)
	}
	rows = query(`MATCH (x:Assertion) RETURN DISTINCT x.source AS source`)
	if len(rows) != 1 || rows[0]["source"] != kg.RegistrySource {
		t.Errorf("sources of the assertions after retracting the document: %v", rows)
	}
	rows = query(`MATCH (:Cluster)-[r:WORKS_ON]->(:Topic) RETURN count(r) AS n`)
	if len(rows) != 1 || rows[0]["n"] != int64(0) {
		t.Errorf("WORKS_ON left after retracting its only source: %v", rows)
	}
}

func equalValues(a, b any) bool {
	la, aok := a.([]any)
	lb, bok := b.([]any)
	if aok != bok {
		return false
	}
	if !aok {
		return a == b
	}
	if len(la) != len(lb) {
		return false
	}
	for i := range la {
		if la[i] != lb[i] {
			return false
		}
	}
	return true
}

func TestDeadline(t *testing.T) {
	s := &Store{timeout: time.Minute}
	tests := []struct {
		name   string
		ctx    func() (context.Context, context.CancelFunc)
		bounds time.Duration // the deadline must fall within this of now
	}{
		{"no deadline gets the timeout", func() (context.Context, context.CancelFunc) {
			return context.Background(), func() {}
		}, time.Minute},
		{"a shorter deadline stays", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), time.Second)
		}, time.Second},
		{"a longer deadline is cut", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), time.Hour)
		}, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent, cancelParent := tt.ctx()
			defer cancelParent()
			ctx, cancel := s.deadline(parent)
			defer cancel()
			d, ok := ctx.Deadline()
			if !ok {
				t.Fatal("no deadline")
			}
			if left := time.Until(d); left > tt.bounds || left < tt.bounds-10*time.Second {
				t.Errorf("deadline in %v, want about %v", left, tt.bounds)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Cluster", "`Cluster`"},
		{"WORKS_ON", "`WORKS_ON`"},
		{"a`b", "`a``b`"},
		{"Län med mellanslag", "`Län med mellanslag`"},
	}
	for _, tt := range tests {
		if got := quote(tt.in); got != tt.want {
			t.Errorf("quote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestOddIdentifiers writes labels and relationship types that need
// quoting and reads them back through Stats.
func TestOddIdentifiers(t *testing.T) {
	s := MustOpenEmpty(t)
	fs := kg.FactSet{SourceID: "test:odd", Hash: "h", Nodes: []kg.Node{
		{ID: "a", Label: "Weird`Label", Name: "A"},
		{ID: "b", Label: "Med mellanslag", Name: "B"},
	}, Edges: []kg.Edge{{From: "a", Rel: "REL`WITH TICK", To: "b", Props: map[string]string{"role": "x", "weight": "ignored"}}}}
	if _, err := s.ReplaceFacts(t.Context(), fs); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := kg.GraphStats{Nodes: map[string]int{"Weird`Label": 1, "Med mellanslag": 1}, Edges: map[string]int{"REL`WITH TICK": 1}}
	if len(st.Nodes) != 2 || st.Nodes["Weird`Label"] != 1 || st.Nodes["Med mellanslag"] != 1 ||
		len(st.Edges) != 1 || st.Edges["REL`WITH TICK"] != 1 {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}
