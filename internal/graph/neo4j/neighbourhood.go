package neo4j

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

var _ kg.NeighbourhoodReader = (*Store)(nil)

// NodesByID implements kg.NeighbourhoodReader.
func (s *Store) NodesByID(ctx context.Context, ids []string) ([]kg.Node, error) {
	what := fmt.Sprintf("reading %d nodes", len(ids))
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var out []kg.Node
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, `
UNWIND $ids AS id
MATCH (n:Entity {id: id}) WHERE n.declared_by IS NOT NULL
RETURN properties(n) AS props, [l IN labels(n) WHERE l <> $entity] AS labels`,
			map[string]any{"ids": ids, "entity": labelEntity})
		if err != nil {
			return err
		}
		out = make([]kg.Node, 0, len(recs))
		for _, r := range recs {
			label := ""
			if ls := anyStrings(r["labels"]); len(ls) > 0 {
				label = ls[0]
			}
			out = append(out, explored(label, anyMap(r["props"])))
		}
		return nil
	})
	if err != nil {
		return nil, wrap(what, err)
	}
	slices.SortFunc(out, func(a, b kg.Node) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// RelationshipsAround implements kg.NeighbourhoodReader.
func (s *Store) RelationshipsAround(ctx context.Context, ids []string, rels []string) ([]kg.Relationship, error) {
	what := fmt.Sprintf("listing relationships around %d nodes", len(ids))
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	types := ""
	for i, r := range rels {
		if i == 0 {
			types = ":"
		} else {
			types += "|"
		}
		types += quote(r)
	}
	// Each relationship once, though both its ends be among the ids.
	query := relationshipsOf(`
CALL () {
  UNWIND $ids AS id
  MATCH (:Entity {id: id})-[r` + types + `]->(:Entity)
  RETURN r
  UNION
  UNWIND $ids AS id
  MATCH (:Entity)-[r` + types + `]->(:Entity {id: id})
  RETURN r
}
WITH r, startNode(r) AS a, endNode(r) AS b
WHERE a.declared_by IS NOT NULL AND b.declared_by IS NOT NULL`)
	var out []kg.Relationship
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		var err error
		out, err = readRelationships(ctx, tx, query, map[string]any{"ids": ids})
		return err
	})
	if err != nil {
		return nil, wrap(what, err)
	}
	return out, nil
}

// RelationshipSummaries implements kg.NeighbourhoodReader. It reads the
// relationships with their evidence, whose documents weigh them, and
// leaves the evidence out. The answer is kept until the graph changes
// (see cache.go).
func (s *Store) RelationshipSummaries(ctx context.Context, rel string, labels []string) ([]kg.RelationshipSummary, error) {
	what := fmt.Sprintf("summing up %s relationships", rel)
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if rel == "" {
		return nil, nil
	}
	labels = slices.Compact(slices.Sorted(slices.Values(labels)))
	match := `
MATCH (a:Entity)-[r:` + quote(rel) + `]->(b:Entity)
WHERE a.declared_by IS NOT NULL AND b.declared_by IS NOT NULL`
	if len(labels) > 0 {
		match += `
  AND any(l IN labels(a) WHERE l IN $labels) AND any(l IN labels(b) WHERE l IN $labels)`
	}
	out, err := cachedRead(ctx, s, callKey("RelationshipSummaries", rel, labels), func(tx neo4j.ManagedTransaction) ([]kg.RelationshipSummary, error) {
		rels, err := readRelationships(ctx, tx, relationshipsOf(match), map[string]any{"labels": labels})
		if err != nil {
			return nil, err
		}
		out := make([]kg.RelationshipSummary, len(rels))
		for i, r := range rels {
			out[i] = kg.RelationshipSummary{From: r.From, Rel: r.Rel, To: r.To, Props: r.Props, Weight: r.Weight, Documents: len(r.Evidence)}
		}
		return out, nil
	}, cloneSummaries)
	if err != nil {
		return nil, wrap(what, err)
	}
	return out, nil
}

// MentionedWith implements kg.NeighbourhoodReader. The answer is kept
// until the graph changes (see cache.go).
func (s *Store) MentionedWith(ctx context.Context, id, label string) ([]kg.Mention, error) {
	what := fmt.Sprintf("listing what the documents on %q mention", id)
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if label == "" || reservedLabel(label) {
		return nil, nil
	}
	out, err := cachedRead(ctx, s, callKey("MentionedWith", id, label), func(tx neo4j.ManagedTransaction) ([]kg.Mention, error) {
		recs, err := collect(ctx, tx, `
MATCH (d:Document)-[:MENTIONS]->(t:Entity {id: $id})
WHERE d:Entity AND d.declared_by IS NOT NULL AND t.declared_by IS NOT NULL
MATCH (d)-[:MENTIONS]->(n:`+quote(label)+`)
WHERE n:Entity AND n.declared_by IS NOT NULL
RETURN d.id AS document, n.id AS node`, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		out := make([]kg.Mention, 0, len(recs))
		for _, r := range recs {
			m := kg.Mention{}
			m.Document, _ = r["document"].(string)
			m.Node, _ = r["node"].(string)
			out = append(out, m)
		}
		slices.SortFunc(out, func(x, y kg.Mention) int {
			return cmp.Or(strings.Compare(x.Document, y.Document), strings.Compare(x.Node, y.Node))
		})
		return out, nil
	}, slices.Clone)
	if err != nil {
		return nil, wrap(what, err)
	}
	return out, nil
}

// CoMentions implements kg.NeighbourhoodReader. The answer is kept until
// the graph changes (see cache.go).
func (s *Store) CoMentions(ctx context.Context, labelA, labelB string) ([]kg.CoMention, error) {
	what := fmt.Sprintf("counting documents that mention a %s and a %s", labelA, labelB)
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if labelA == "" || labelB == "" || reservedLabel(labelA) || reservedLabel(labelB) {
		return nil, nil
	}
	out, err := cachedRead(ctx, s, callKey("CoMentions", labelA, labelB), func(tx neo4j.ManagedTransaction) ([]kg.CoMention, error) {
		recs, err := collect(ctx, tx, `
MATCH (a:`+quote(labelA)+`)<-[:MENTIONS]-(d:Document)-[:MENTIONS]->(b:`+quote(labelB)+`)
WHERE a <> b AND a:Entity AND b:Entity AND d:Entity
  AND a.declared_by IS NOT NULL AND b.declared_by IS NOT NULL AND d.declared_by IS NOT NULL
RETURN a.id AS a, b.id AS b, count(d) AS n`, nil)
		if err != nil {
			return nil, err
		}
		out := make([]kg.CoMention, 0, len(recs))
		for _, r := range recs {
			c := kg.CoMention{}
			c.A, _ = r["a"].(string)
			c.B, _ = r["b"].(string)
			n, _ := r["n"].(int64)
			c.Documents = int(n)
			out = append(out, c)
		}
		slices.SortFunc(out, func(x, y kg.CoMention) int {
			return cmp.Or(strings.Compare(x.A, y.A), strings.Compare(x.B, y.B))
		})
		return out, nil
	}, slices.Clone)
	if err != nil {
		return nil, wrap(what, err)
	}
	return out, nil
}
