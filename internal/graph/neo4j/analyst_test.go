package neo4j

import (
	"reflect"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// analystFacts is a small graph of two clusters in two counties.
func analystFacts() kg.FactSet {
	return kg.FactSet{SourceID: kg.RegistrySource, Hash: "r1", Nodes: []kg.Node{
		{ID: "cluster:norr", Label: kg.LabelCluster, Name: "Norrkluster", Props: map[string]string{kg.PropCounty: "Norrbotten"}},
		{ID: "cluster:syd", Label: kg.LabelCluster, Name: "Sydkluster", Props: map[string]string{kg.PropCounty: "Skåne"}},
		{ID: "cluster:vast", Label: kg.LabelCluster, Name: "Västkluster", Props: map[string]string{kg.PropCounty: "Skåne"}},
		{ID: "county:Skåne", Label: kg.LabelCounty, Name: "Skåne"},
	}, Edges: []kg.Edge{
		{From: "cluster:syd", Rel: kg.RelLocatedIn, To: "county:Skåne"},
	}}
}

func TestRunReadCypher(t *testing.T) {
	s := MustOpenEmpty(t)
	ctx := t.Context()
	if _, err := s.ReplaceFacts(ctx, analystFacts()); err != nil {
		t.Fatal(err)
	}

	cols, rows, truncated, err := s.RunReadCypher(ctx,
		`MATCH (c:Cluster) WHERE c.county = $county RETURN c.id AS id, c.name AS name ORDER BY id LIMIT $n`,
		map[string]any{"county": "Skåne", "n": int64(10)}, 100)
	if err != nil {
		t.Fatalf("read query: %v", err)
	}
	if !reflect.DeepEqual(cols, []string{"id", "name"}) {
		t.Errorf("columns = %v", cols)
	}
	want := [][]any{{"cluster:syd", "Sydkluster"}, {"cluster:vast", "Västkluster"}}
	if !reflect.DeepEqual(rows, want) || truncated {
		t.Errorf("rows = %v, truncated %v; want %v, not truncated", rows, truncated, want)
	}

	// The row limit truncates.
	_, rows, truncated, err = s.RunReadCypher(ctx, `MATCH (c:Cluster) RETURN c.id ORDER BY c.id`, nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !truncated {
		t.Errorf("limit 2 of 3 clusters: %d rows, truncated %v", len(rows), truncated)
	}

	// Nodes and relationships become maps.
	_, rows, _, err = s.RunReadCypher(ctx, `MATCH (c:Cluster)-[r:LOCATED_IN]->(k) RETURN c, r`, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("LOCATED_IN rows = %v", rows)
	}
	node, _ := rows[0][0].(map[string]any)
	props, _ := node["properties"].(map[string]any)
	if props["id"] != "cluster:syd" || props["county"] != "Skåne" {
		t.Errorf("node value = %v", rows[0][0])
	}
	rel, _ := rows[0][1].(map[string]any)
	if rel["type"] != kg.RelLocatedIn || rel["start"] != node["element_id"] {
		t.Errorf("relationship value = %v", rows[0][1])
	}
}

func TestRunReadCypherRefusesWrites(t *testing.T) {
	s := MustOpenEmpty(t)
	ctx := t.Context()
	if _, err := s.ReplaceFacts(ctx, analystFacts()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, query string
		write       bool // refused as a write
	}{
		{"create", `CREATE (:Cluster {id: "cluster:ny", name: "Ny"})`, true},
		{"merge", `MERGE (:Cluster {id: "cluster:ny"})`, true},
		{"set", `MATCH (c:Cluster {id: "cluster:syd"}) SET c.name = "Ändrad"`, true},
		{"delete", `MATCH (c:Cluster {id: "cluster:norr"}) DETACH DELETE c`, true},
		{"schema", `CREATE INDEX kk_test_x IF NOT EXISTS FOR (n:Cluster) ON (n.town)`, false},
		{"syntax", `MATCH (c:Cluster RETURN c`, false},
		{"missing parameter", `MATCH (c:Cluster {id: $id}) RETURN c`, false},
		{"empty", `  `, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := s.RunReadCypher(ctx, tt.query, nil, 10)
			if code := kg.ErrorCode(err); code != kg.EINVALID {
				t.Fatalf("code %q (err %v), want %q", code, err, kg.EINVALID)
			}
			if msg := kg.ErrorMessage(err); tt.write && !strings.Contains(msg, "only read queries") {
				t.Errorf("message %q does not say that only reads are allowed", msg)
			}
		})
	}
	list, err := s.Clusters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range list {
		names = append(names, c.Name)
	}
	if !reflect.DeepEqual(names, []string{"Norrkluster", "Sydkluster", "Västkluster"}) {
		t.Errorf("clusters after refused writes: %v", names)
	}
}

// TestRelationshipPropsOfLatest checks that a relationship shows the
// properties of the source written last even when that source gave none
// and an earlier one did.
func TestRelationshipPropsOfLatest(t *testing.T) {
	s := MustOpenEmpty(t)
	ctx := t.Context()
	if _, err := s.ReplaceFacts(ctx, analystFacts()); err != nil {
		t.Fatal(err)
	}
	person := kg.Node{ID: "person:eva", Label: kg.LabelPerson, Name: "Eva"}
	assert := func(url string, props map[string]string) {
		t.Helper()
		fs := kg.FactSet{SourceID: kg.DocumentID(url), Hash: url,
			Nodes: []kg.Node{kg.DocumentNode(kg.Document{ID: kg.DocumentID(url), URL: url, Kind: kg.KindContact}), person},
			Edges: []kg.Edge{{From: person.ID, Rel: kg.RelWorksAt, To: "cluster:syd", Props: props}},
		}
		if _, err := s.ReplaceFacts(ctx, fs); err != nil {
			t.Fatal(err)
		}
	}
	props := func() map[string]string {
		t.Helper()
		rels, err := s.Relationships(ctx, kg.RelFilter{From: person.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(rels) != 1 {
			t.Fatalf("%d relationships from %s, want 1", len(rels), person.ID)
		}
		return rels[0].Props
	}
	assert("https://syd.example/kontakt", map[string]string{"role": "ordförande"})
	if got := props(); got["role"] != "ordförande" {
		t.Errorf("props = %v, want role ordförande", got)
	}
	assert("https://syd.example/om", nil)
	if got := props(); got != nil {
		t.Errorf("props = %v after a later assertion without properties, want none", got)
	}
}
