package neo4j

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// mustRun runs one write statement on s and fails tb if it fails.
func mustRun(tb testing.TB, s *Store, cypher string, params map[string]any) []map[string]any {
	tb.Helper()
	ctx := tb.Context()
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	out, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return collect(ctx, tx, cypher, params)
	})
	if err != nil {
		tb.Fatalf("%s: %v", cypher, err)
	}
	return out.([]map[string]any)
}

func TestOpenLayout(t *testing.T) {
	cfg := testConfig(t)
	tests := []struct {
		name    string
		meta    string // statement that leaves the GraphMeta node, after a wipe
		wantErr bool
	}{
		{"empty database", ``, false},
		{"this layout", `CREATE (:GraphMeta {id: "graph", seq: 7, layout: 2})`, false},
		{"layout 1, without the property", `CREATE (:GraphMeta {id: "graph", seq: 7})`, true},
		{"a later layout", `CREATE (:GraphMeta {id: "graph", seq: 7, layout: 3})`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenEmpty(t)
			if tt.meta != "" {
				mustRun(t, s, tt.meta, nil)
			}
			_, err := Open(t.Context(), cfg)
			if err != nil {
				// Leave an empty database to the tests after this one.
				defer wipe(t, s)
			}
			if got := errors.Is(err, ErrOldLayout); got != tt.wantErr {
				t.Fatalf("Open: %v, want ErrOldLayout: %t", err, tt.wantErr)
			}
			if tt.wantErr && kg.ErrorCode(err) != kg.EINVALID {
				t.Errorf("Open: code %q, want %q", kg.ErrorCode(err), kg.EINVALID)
			}
		})
	}
}

// checkInvariants fails t unless the stored graph is consistent: every node's
// declared_by counts its DECLARES, every relationship has assertions and
// every assertion its relationship, and every relationship's weight is
// the sum of its assertions' weights, each the kind weight of its
// source's Document as it is now.
func checkInvariants(t *testing.T, s *Store) {
	t.Helper()
	checks := []struct {
		what   string
		cypher string
	}{
		{"nodes whose declared_by does not count their declarations", `
MATCH (n:Entity)
WITH n, COUNT { (:FactSet)-[:DECLARES]->(n) } AS declarations
WHERE coalesce(n.declared_by, 0) <> declarations OR n.declared_by = 0
RETURN n.id AS id, n.declared_by AS declared_by, declarations`},
		{"relationships without assertions", `
MATCH (:Entity)-[r]->(:Entity)
WHERE NOT EXISTS { MATCH (x:Assertion) WHERE x.id STARTS WITH ` + assertionPrefixOf + ` }
RETURN type(r) AS rel, startNode(r).id AS from, endNode(r).id AS to`},
		{"assertions without their relationship", `
MATCH (x:Assertion)
WITH x, split(x.id, '\u001f') AS part
WHERE size(part) <> 4 OR part[3] <> x.source
   OR NOT EXISTS { MATCH (:Entity {id: part[1]})-[r]->(:Entity {id: part[2]}) WHERE type(r) = part[0] }
RETURN x.id AS id`},
		{"assertions whose weight is not their source's", `
MATCH (x:Assertion)
OPTIONAL MATCH (d:Document {id: x.source})
WITH x, ` + weightOf + ` AS weight
WHERE x.weight <> weight
RETURN x.id AS id, x.weight AS stored, weight`},
		{"relationships whose weight is not the sum of their assertions'", `
MATCH (:Entity)-[r]->(:Entity)
CALL (r) {
  MATCH (x:Assertion) WHERE x.id STARTS WITH ` + assertionPrefixOf + `
  RETURN sum(x.weight) AS weight
}
WITH r, weight WHERE r.weight <> weight
RETURN type(r) AS rel, startNode(r).id AS from, endNode(r).id AS to, r.weight AS stored, weight`},
	}
	for _, c := range checks {
		rows := mustRun(t, s, c.cypher, map[string]any{"kind_weights": kindWeights})
		if len(rows) > 0 {
			t.Errorf("%s: %d, such as %v", c.what, len(rows), rows[:min(3, len(rows))])
		}
	}
}

// TestConcurrentLayout writes documents that share organisations,
// people, sites, clusters and topics from several writers at once, with
// new versions (of other kinds and topics), retractions, and a source
// that declares other sources' Document nodes, and checks that the
// stored graph stays consistent and weighs as kg.EvidenceWeight does.
func TestConcurrentLayout(t *testing.T) {
	s := MustOpenEmpty(t)
	ctx := t.Context()
	g := graphtest.NewLargeGraph(0.003) // 66 documents of 30 organisations
	if _, err := s.ReplaceFacts(ctx, g.Registry()); err != nil {
		t.Fatal(err)
	}
	const writers = 4
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := w; i < g.Documents; i += writers {
				var err error
				switch i % 5 {
				case 1:
					_, err = s.ReplaceFacts(ctx, g.Facts(i, 0))
					if err == nil {
						_, err = s.ReplaceFacts(ctx, g.Facts(i, 1))
					}
				case 2:
					_, err = s.ReplaceFacts(ctx, g.Facts(i, 0))
					if err == nil {
						_, err = s.RetractFacts(ctx, g.Facts(i, 0).SourceID)
					}
				default:
					_, err = s.ReplaceFacts(ctx, g.Facts(i, 0))
				}
				if err != nil {
					errs <- fmt.Errorf("document %d: %w", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	checkInvariants(t, s)

	// Another source declares two documents' nodes with another kind;
	// the first document's Document node itself is then retracted by
	// its own source, which leaves the other source's declaration.
	a, b := g.Facts(0, 0), g.Facts(3, 0)
	other := kg.FactSet{SourceID: "test:catalogue", Hash: "c1", Nodes: []kg.Node{a.Nodes[0], b.Nodes[0]}}
	for i := range other.Nodes {
		n := other.Nodes[i]
		n.Props = map[string]string{kg.PropKind: kg.KindReport}
		other.Nodes[i] = n
	}
	if _, err := s.ReplaceFacts(ctx, other); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, s)
	if _, err := s.RetractFacts(ctx, a.SourceID); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, s)
	if _, err := s.RetractFacts(ctx, other.SourceID); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, s)

	// The weights that Clusters reads from the relationships are those
	// that Cluster computes from the evidence.
	clusters, err := s.Clusters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clusters {
		d, err := s.Cluster(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Topics) == 0 {
			t.Errorf("cluster %s works on no topic", c.ID)
		}
		for i, tw := range c.TopTopics {
			if tw.Weight != d.Topics[i].Weight || tw.TopicID != d.Topics[i].TopicID {
				t.Errorf("cluster %s, topic %d: Clusters says %s %v, Cluster says %s %v",
					c.ID, i, tw.TopicID, tw.Weight, d.Topics[i].TopicID, d.Topics[i].Weight)
			}
		}
	}
}

func TestLostRace(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"entity not found", &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.EntityNotFound", Msg: "Relationship with id 7 has been deleted in this transaction"}, true},
		{"wrapped", fmt.Errorf("writing relationships: %w", &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.EntityNotFound"}), true},
		{"deadlock, which the driver retries itself", &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"}, false},
		{"syntax error", &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: "Invalid input"}, false},
		{"not a database error", errors.New("connection reset"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lostRace(tt.err); got != tt.want {
				t.Errorf("lostRace(%v) = %t, want %t", tt.err, got, tt.want)
			}
		})
	}
}

func TestShows(t *testing.T) {
	n := kg.Node{ID: "organisation:mejeri", Label: kg.LabelOrganisation, Name: "Mejeri", Props: map[string]string{kg.PropOrgKind: "company"}}
	stored := func() map[string]any {
		return map[string]any{"id": n.ID, "name": n.Name, kg.PropOrgKind: "company", "declared_by": int64(3)}
	}
	tests := []struct {
		name   string
		labels []string
		props  func() map[string]any
		want   bool
	}{
		{"the same", []string{"Entity", "Organisation"}, stored, true},
		{"another label", []string{"Entity", "Person"}, stored, false},
		{"a placeholder", []string{"Entity"}, func() map[string]any { return map[string]any{"id": n.ID} }, false},
		{"another name", []string{"Entity", "Organisation"}, func() map[string]any { p := stored(); p["name"] = "Mejeriet"; return p }, false},
		{"a property more", []string{"Entity", "Organisation"}, func() map[string]any { p := stored(); p["town"] = "Lund"; return p }, false},
		{"a property less", []string{"Entity", "Organisation"}, func() map[string]any { p := stored(); delete(p, kg.PropOrgKind); return p }, false},
		{"not declared", []string{"Entity", "Organisation"}, func() map[string]any { p := stored(); delete(p, "declared_by"); return p }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shows(tt.labels, tt.props(), n); got != tt.want {
				t.Errorf("shows = %t, want %t", got, tt.want)
			}
		})
	}
}
