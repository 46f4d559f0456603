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

// collect runs one statement in tx and returns its records as maps.
func collect(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]map[string]any, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = r.AsMap()
	}
	return out, nil
}

// sourceHash reads the stored hash of sourceID.
func (s *Store) sourceHash(ctx context.Context, sourceID string) (hash string, ok bool, err error) {
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, `MATCH (f:FactSet {source_id: $source}) RETURN f.hash AS hash`,
			map[string]any{"source": sourceID})
		if err != nil || len(recs) == 0 {
			return err
		}
		hash, _ = recs[0]["hash"].(string)
		ok = true
		return nil
	})
	return hash, ok, err
}

// SourceHash implements kg.GraphStore.
func (s *Store) SourceHash(ctx context.Context, sourceID string) (string, bool, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return "", false, fmt.Errorf("reading hash of %s: %w", sourceID, err)
	}
	hash, ok, err := s.sourceHash(ctx, sourceID)
	if err != nil {
		return "", false, wrap(fmt.Sprintf("reading hash of %s", sourceID), err)
	}
	return hash, ok, nil
}

// evidenceQuery returns, for every relationship r of the rows before it,
// its evidence: the properties of each asserting source that is a
// Document, with that source's snippet.
const evidenceQuery = `
CALL (r) {
  MATCH (x:Assertion) WHERE x.id STARTS WITH ` + assertionPrefixOf + `
  MATCH (d:Document {id: x.source})
  RETURN collect([properties(d), x.snippet]) AS evidence
}`

// evidenceFrom builds the evidence list of a relationship from what
// evidenceQuery returned, in the order every store gives it.
func evidenceFrom(v any) []kg.Evidence {
	list, _ := v.([]any)
	if len(list) == 0 {
		return nil
	}
	out := make([]kg.Evidence, 0, len(list))
	for _, x := range list {
		pair, _ := x.([]any)
		if len(pair) != 2 {
			continue
		}
		snippet, _ := pair[1].(string)
		out = append(out, kg.EvidenceFromNode(nodeFrom(kg.LabelDocument, anyMap(pair[0])), snippet))
	}
	slices.SortFunc(out, func(a, b kg.Evidence) int { return strings.Compare(a.DocumentID, b.DocumentID) })
	kg.SortEvidence(out)
	return out
}

// sortTopics orders a cluster's topics strongest first, ties by topic id.
func sortTopics(ts []kg.TopicWeight) {
	slices.SortStableFunc(ts, func(a, b kg.TopicWeight) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(a.TopicID, b.TopicID))
	})
}

func topicWeight(topic map[string]any, weight float64, evidence []kg.Evidence) kg.TopicWeight {
	t, _ := kg.TopicFromNode(nodeFrom(kg.LabelTopic, topic))
	return kg.TopicWeight{TopicID: t.ID, SV: t.SV, EN: t.EN, Weight: weight, Evidence: evidence}
}

// summary builds a cluster's summary and detail, without topics.
func summary(props map[string]any, documents any) kg.ClusterDetail {
	c := kg.ClusterFromNode(nodeFrom(kg.LabelCluster, props))
	n, _ := documents.(int64)
	return kg.ClusterDetail{
		ClusterSummary: kg.ClusterSummary{
			ID: c.ID, Name: c.Name, County: c.County, Sites: c.Sites, Documents: int(n),
		},
		Aliases: c.Aliases, Town: c.Town, Description: c.Description,
	}
}

// topTopics returns the first three topics without evidence.
func topTopics(ts []kg.TopicWeight) []kg.TopicWeight {
	var out []kg.TopicWeight
	for i, t := range ts {
		if i == 3 {
			break
		}
		t.Evidence = nil
		out = append(out, t)
	}
	return out
}

// Clusters implements kg.GraphStore.
func (s *Store) Clusters(ctx context.Context) ([]kg.ClusterSummary, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("listing clusters: %w", err)
	}
	var out []kg.ClusterSummary
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, `
MATCH (c:Cluster)
RETURN properties(c) AS cluster,
       COUNT { (:Document)-[:MENTIONS]->(c) } AS documents,
       [(c)-[r:WORKS_ON]->(t:Topic) | [properties(t), r.weight]] AS topics`, nil)
		if err != nil {
			return err
		}
		out = make([]kg.ClusterSummary, 0, len(recs))
		for _, r := range recs {
			d := summary(anyMap(r["cluster"]), r["documents"])
			list, _ := r["topics"].([]any)
			var topics []kg.TopicWeight
			for _, x := range list {
				pair, _ := x.([]any)
				if len(pair) != 2 {
					continue
				}
				weight, _ := pair[1].(float64)
				topics = append(topics, topicWeight(anyMap(pair[0]), weight, nil))
			}
			sortTopics(topics)
			d.TopTopics = topTopics(topics)
			out = append(out, d.ClusterSummary)
		}
		return nil
	})
	if err != nil {
		return nil, wrap("listing clusters", err)
	}
	slices.SortStableFunc(out, func(a, b kg.ClusterSummary) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Cluster implements kg.GraphStore.
func (s *Store) Cluster(ctx context.Context, id string) (kg.ClusterDetail, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return kg.ClusterDetail{}, fmt.Errorf("reading cluster %q: %w", id, err)
	}
	var out kg.ClusterDetail
	params := map[string]any{"id": kg.ClusterNodeID(id)}
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, `
MATCH (c:Cluster {id: $id})
RETURN properties(c) AS cluster, COUNT { (:Document)-[:MENTIONS]->(c) } AS documents`, params)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return kg.Errorf(kg.ENOTFOUND, "cluster %q not found", id)
		}
		out = summary(anyMap(recs[0]["cluster"]), recs[0]["documents"])
		recs, err = collect(ctx, tx, `
MATCH (:Cluster {id: $id})-[r:WORKS_ON]->(t:Topic)`+evidenceQuery+`
RETURN properties(t) AS topic, evidence`, params)
		if err != nil {
			return err
		}
		out.Topics = nil
		for _, r := range recs {
			ev := evidenceFrom(r["evidence"])
			out.Topics = append(out.Topics, topicWeight(anyMap(r["topic"]), kg.EvidenceWeight(ev), ev))
		}
		sortTopics(out.Topics)
		out.TopTopics = topTopics(out.Topics)
		return nil
	})
	if err != nil {
		return kg.ClusterDetail{}, wrap(fmt.Sprintf("reading cluster %q", id), err)
	}
	return out, nil
}

// Topics implements kg.GraphStore.
func (s *Store) Topics(ctx context.Context) ([]kg.TopicSummary, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("listing topics: %w", err)
	}
	type ordered struct {
		kg.TopicSummary
		order int
	}
	var list []ordered
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, `
MATCH (t:Topic)
RETURN properties(t) AS topic,
       COUNT { (:Cluster)-[:WORKS_ON]->(t) } AS clusters,
       COUNT { (:Document)-[:MENTIONS]->(t) } AS documents`, nil)
		if err != nil {
			return err
		}
		list = make([]ordered, 0, len(recs))
		for _, r := range recs {
			t, order := kg.TopicFromNode(nodeFrom(kg.LabelTopic, anyMap(r["topic"])))
			clusters, _ := r["clusters"].(int64)
			documents, _ := r["documents"].(int64)
			list = append(list, ordered{
				TopicSummary: kg.TopicSummary{Topic: t, Clusters: int(clusters), Documents: int(documents)},
				order:        order,
			})
		}
		return nil
	})
	if err != nil {
		return nil, wrap("listing topics", err)
	}
	slices.SortStableFunc(list, func(a, b ordered) int {
		return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.ID, b.ID))
	})
	out := make([]kg.TopicSummary, len(list))
	for i, t := range list {
		out[i] = t.TopicSummary
	}
	return out, nil
}

// TopicClusters implements kg.GraphStore.
func (s *Store) TopicClusters(ctx context.Context, topicID string) ([]kg.ClusterStrength, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("ranking clusters on topic %q: %w", topicID, err)
	}
	var out []kg.ClusterStrength
	params := map[string]any{"id": kg.TopicNodeID(topicID)}
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, `MATCH (t:Topic {id: $id}) RETURN count(t) AS n`, params)
		if err != nil {
			return err
		}
		if n, _ := recs[0]["n"].(int64); n == 0 {
			return kg.Errorf(kg.ENOTFOUND, "topic %q not found", topicID)
		}
		recs, err = collect(ctx, tx, `
MATCH (c:Cluster)-[r:WORKS_ON]->(:Topic {id: $id})`+evidenceQuery+`
RETURN properties(c) AS cluster, evidence`, params)
		if err != nil {
			return err
		}
		out = make([]kg.ClusterStrength, 0, len(recs))
		for _, r := range recs {
			c := kg.ClusterFromNode(nodeFrom(kg.LabelCluster, anyMap(r["cluster"])))
			ev := evidenceFrom(r["evidence"])
			out = append(out, kg.ClusterStrength{
				ClusterID: c.ID, Name: c.Name, County: c.County,
				Weight: kg.EvidenceWeight(ev), Evidence: ev,
			})
		}
		return nil
	})
	if err != nil {
		return nil, wrap(fmt.Sprintf("ranking clusters on topic %q", topicID), err)
	}
	slices.SortStableFunc(out, func(a, b kg.ClusterStrength) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(a.ClusterID, b.ClusterID))
	})
	return out, nil
}

// Stats implements kg.GraphStore. It counts declared nodes by label and
// the relationships whose both ends are declared, by type.
func (s *Store) Stats(ctx context.Context) (kg.GraphStats, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return kg.GraphStats{}, fmt.Errorf("counting graph: %w", err)
	}
	out := kg.GraphStats{Nodes: map[string]int{}, Edges: map[string]int{}}
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, `
MATCH (n:Entity) WHERE n.declared_by IS NOT NULL
UNWIND labels(n) AS label
WITH label WHERE label <> $entity
RETURN label, count(*) AS n`, map[string]any{"entity": labelEntity})
		if err != nil {
			return err
		}
		for _, r := range recs {
			label, _ := r["label"].(string)
			n, _ := r["n"].(int64)
			out.Nodes[label] = int(n)
		}
		recs, err = collect(ctx, tx, `
MATCH (a:Entity)-[r]->(b:Entity)
WHERE a.declared_by IS NOT NULL AND b.declared_by IS NOT NULL
RETURN type(r) AS rel, count(*) AS n`, nil)
		if err != nil {
			return err
		}
		for _, r := range recs {
			rel, _ := r["rel"].(string)
			n, _ := r["n"].(int64)
			out.Edges[rel] = int(n)
		}
		return nil
	})
	if err != nil {
		return kg.GraphStats{}, wrap("counting graph", err)
	}
	return out, nil
}
