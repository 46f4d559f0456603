package neo4j

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

var _ kg.GraphExplorer = (*Store)(nil)

// Node implements kg.GraphExplorer.
func (s *Store) Node(ctx context.Context, id string) (kg.Node, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return kg.Node{}, fmt.Errorf("reading node %q: %w", id, err)
	}
	var out kg.Node
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, `
MATCH (n:Entity {id: $id}) WHERE n.declared_by IS NOT NULL
RETURN properties(n) AS props, [l IN labels(n) WHERE l <> $entity] AS labels`,
			map[string]any{"id": id, "entity": labelEntity})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return kg.Errorf(kg.ENOTFOUND, "node %q not found", id)
		}
		label := ""
		if ls := anyStrings(recs[0]["labels"]); len(ls) > 0 {
			label = ls[0]
		}
		out = explored(label, anyMap(recs[0]["props"]))
		return nil
	})
	if err != nil {
		return kg.Node{}, wrap(fmt.Sprintf("reading node %q", id), err)
	}
	return out, nil
}

// Nodes implements kg.GraphExplorer. The answer is kept until the graph
// changes (see cache.go).
func (s *Store) Nodes(ctx context.Context, label string) ([]kg.Node, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("listing %s nodes: %w", label, err)
	}
	if label == "" || reservedLabel(label) {
		// No fact set may declare a node with these labels.
		return nil, nil
	}
	out, err := cachedRead(ctx, s, callKey("Nodes", label), func(tx neo4j.ManagedTransaction) ([]kg.Node, error) {
		recs, err := collect(ctx, tx, `
MATCH (n:`+quote(label)+`) WHERE n:Entity AND n.declared_by IS NOT NULL
RETURN properties(n) AS props ORDER BY n.id`, nil)
		if err != nil {
			return nil, err
		}
		out := make([]kg.Node, 0, len(recs))
		for _, r := range recs {
			out = append(out, explored(label, anyMap(r["props"])))
		}
		// Order by Go string comparison, as every store does, whatever
		// the database's collation.
		slices.SortStableFunc(out, func(a, b kg.Node) int { return strings.Compare(a.ID, b.ID) })
		return out, nil
	}, cloneNodes)
	if err != nil {
		return nil, wrap(fmt.Sprintf("listing %s nodes", label), err)
	}
	return out, nil
}

// explored rebuilds a node as the explorer shows it: without properties
// when it has none.
func explored(label string, props map[string]any) kg.Node {
	n := nodeFrom(label, props)
	if len(n.Props) == 0 {
		n.Props = nil
	}
	return n
}

// Relationships implements kg.GraphExplorer. Each relationship's
// properties are those its most recently written asserting source gave,
// read from that source's stored fact set, as the embedded store keeps
// them.
func (s *Store) Relationships(ctx context.Context, f kg.RelFilter) ([]kg.Relationship, error) {
	what := fmt.Sprintf("listing relationships %s -[%s]-> %s", f.From, f.Rel, f.To)
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var out []kg.Relationship
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		var err error
		out, err = readRelationships(ctx, tx, relationshipsQuery(f), map[string]any{"from": f.From, "to": f.To})
		return err
	})
	if err != nil {
		return nil, wrap(what, err)
	}
	return out, nil
}

// readRelationships runs a statement of relationshipsQuery's form with
// params (the reserved properties added) and returns its relationships as
// Relationships does, in its order.
func readRelationships(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) ([]kg.Relationship, error) {
	params["reserved"] = reservedRelProps
	recs, err := collect(ctx, tx, query, params)
	if err != nil {
		return nil, err
	}
	out := make([]kg.Relationship, 0, len(recs))
	// latest maps the relationships that carry properties to the source
	// whose assertion gives them.
	latest := map[int]string{}
	for _, r := range recs {
		rel := kg.Relationship{}
		rel.From, _ = r["from"].(string)
		rel.Rel, _ = r["rel"].(string)
		rel.To, _ = r["to"].(string)
		rel.Evidence = evidenceFrom(r["evidence"])
		rel.Weight = kg.EvidenceWeight(rel.Evidence)
		if hasProps, _ := r["has_props"].(bool); hasProps {
			if src, _ := r["latest"].(string); src != "" {
				latest[len(out)] = src
			}
		}
		out = append(out, rel)
	}
	if err := assertedProps(ctx, tx, out, latest); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b kg.Relationship) int {
		return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.Rel, b.Rel), strings.Compare(a.To, b.To))
	})
	return out, nil
}

// relationshipsQuery returns the statement that reads the relationships
// matching f whose both ends are declared: their ends, type, evidence,
// the most recently written asserting source and whether they carry
// properties of the edges. Ids are parameters; a type is quoted.
func relationshipsQuery(f kg.RelFilter) string {
	from, to, rel := "", "", ""
	if f.From != "" {
		from = " {id: $from}"
	}
	if f.To != "" {
		to = " {id: $to}"
	}
	if f.Rel != "" {
		rel = ":" + quote(f.Rel)
	}
	return relationshipsOf(`
MATCH (a:Entity` + from + `)-[r` + rel + `]->(b:Entity` + to + `)
WHERE a.declared_by IS NOT NULL AND b.declared_by IS NOT NULL`)
}

// relationshipsOf completes a statement whose rows bind the relationships
// r from a to b with what relationshipsQuery returns of them.
func relationshipsOf(match string) string {
	return match + evidenceQuery + `
CALL (r) {
  OPTIONAL MATCH (x:Assertion) WHERE x.id STARTS WITH ` + assertionPrefixOf + `
  OPTIONAL MATCH (f:FactSet {source_id: x.source})
  RETURN f.source_id AS latest
  ORDER BY coalesce(f.seq, -1) DESC
  LIMIT 1
}
RETURN a.id AS from, type(r) AS rel, b.id AS to, evidence, latest,
       any(k IN keys(r) WHERE NOT k IN $reserved) AS has_props`
}

// assertedProps sets the properties of rels[i] to those of the edge the
// source latest[i] asserts, reading each such source's stored fact set
// once.
func assertedProps(ctx context.Context, tx neo4j.ManagedTransaction, rels []kg.Relationship, latest map[int]string) error {
	if len(latest) == 0 {
		return nil
	}
	sources := slices.Sorted(maps.Values(latest))
	sources = slices.Compact(sources)
	recs, err := collect(ctx, tx, `
UNWIND $sources AS s
MATCH (f:FactSet {source_id: s})
RETURN s AS source, f.edges_json AS edges`, map[string]any{"sources": sources})
	if err != nil {
		return err
	}
	props := map[string]map[edgeKey]map[string]string{}
	for _, r := range recs {
		src, _ := r["source"].(string)
		data, _ := r["edges"].(string)
		var edges []kg.Edge
		if err := json.Unmarshal([]byte(data), &edges); err != nil {
			return fmt.Errorf("decoding stored edges of %s: %w", src, err)
		}
		m := map[edgeKey]map[string]string{}
		for _, e := range edges {
			if _, ok := m[keyOf(e)]; !ok {
				m[keyOf(e)] = e.Props
			}
		}
		props[src] = m
	}
	for i, src := range latest {
		r := &rels[i]
		if p := props[src][edgeKey{r.From, r.Rel, r.To}]; len(p) > 0 {
			r.Props = maps.Clone(p)
		}
	}
	return nil
}
