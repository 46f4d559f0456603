package neo4j

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Relationship properties that the store sets itself. The evidence lists
// are reserved too, which older versions of the store kept there.
var reservedRelProps = []string{"evidence_sources", "evidence_snippets", "weight", "first_seen", "last_seen"}

// kindWeights maps every document kind to the weight kg.EvidenceWeight
// gives one document of that kind; Cypher computes weights with it, and
// with 1 for any other kind, as kg.EvidenceWeight does.
var kindWeights = func() map[string]any {
	m := map[string]any{}
	for _, k := range kg.Kinds {
		m[k] = kg.EvidenceWeight([]kg.Evidence{{DocumentID: "d", Kind: k}})
	}
	return m
}()

// weightOf is the Cypher expression of what one assertion by the source
// named s adds to its relationship's weight: the kind weight of the
// Document whose id is s, or nothing if there is no such Document. The
// statement binds d by OPTIONAL MATCH (d:Document {id: s}).
const weightOf = `CASE WHEN d IS NULL THEN 0.0 ELSE coalesce($kind_weights[d.kind], 1.0) END`

// A relationship's weight is the sum of the weights its assertions hold,
// each kept up to date when its source's Document changes; since kind
// weights are multiples of a half, the sum is exact in any order and
// equals kg.EvidenceWeight of the relationship's evidence.

// knownRels are the relationship types of package kg. The statements that
// write relationships of these types have one text each, whichever of
// the types a fact set uses, so that Neo4j plans them once; a type of
// another name gets statements of its own.
var knownRels = []string{
	kg.RelAbout, kg.RelCollaboratesWith, kg.RelFunds, kg.RelLeads, kg.RelLocatedIn, kg.RelMentions,
	kg.RelOrganisedBy, kg.RelOwnedBy, kg.RelPublishedOn, kg.RelTakesPartIn, kg.RelWorksAt, kg.RelWorksOn,
}

// relStatement is a statement that runs a block of Cypher once for each
// of rels, on the rows of $rows whose t is the index of the type in rels.
// All rows are one parameter: Neo4j keys its plans by the statement's
// text and the types and sizes of its parameters, and one list of rows
// keeps the number of plans of a statement small.
type relStatement struct {
	rels []string
	text string
}

// newRelStatement builds the statement: prelude, then for each type a
// unit subquery importing the variables in imports, whose text is block
// with the type (quoted) and the variable row bound to each of its rows.
func newRelStatement(rels []string, prelude, imports string, block func(rel string) string) relStatement {
	var b strings.Builder
	b.WriteString(prelude)
	for i, rel := range rels {
		fmt.Fprintf(&b, "\nCALL (%s) {\n  UNWIND $rows AS row\n  WITH row WHERE row.t = %d%s\n}", imports, i, block(quote(rel)))
	}
	return relStatement{rels: rels, text: b.String()}
}

// run runs st with the rows of each of its types in rows, and params.
func (st relStatement) run(w *writer, rows map[string][]map[string]any, params map[string]any) error {
	var all []any
	for i, rel := range st.rels {
		for _, row := range rows[rel] {
			row["t"] = i
			all = append(all, row)
		}
	}
	p := maps.Clone(params)
	p["rows"] = all
	_, err := w.runQuery(st.text, p)
	return err
}

// runRelStatements runs the statement of the known types if rows has any
// of them, and one statement per other type, built by build.
func runRelStatements(w *writer, known relStatement, build func(rels []string) relStatement, rows map[string][]map[string]any, params map[string]any) error {
	var other []string
	hasKnown := false
	for _, rel := range slices.Sorted(maps.Keys(rows)) {
		if slices.Contains(knownRels, rel) {
			hasKnown = true
		} else {
			other = append(other, rel)
		}
	}
	if hasKnown {
		if err := known.run(w, rows, params); err != nil {
			return err
		}
	}
	for _, rel := range other {
		if err := build([]string{rel}).run(w, rows, params); err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
	}
	return nil
}

// reweighBlock brings the weight of the assertions in its rows, by other
// sources, up to date with their sources' Document nodes, and moves their
// relationships' weights by the difference. The caller holds the locks of
// those sources' FactSet nodes.
func reweighBlock(rel string) string {
	return `
  MATCH (x:` + labelAssertion + ` {id: row.id})
  OPTIONAL MATCH (d:Document {id: row.source})
  WITH row, x, ` + weightOf + ` - x.weight AS delta
  WHERE delta <> 0
  SET x.weight = x.weight + delta
  WITH row, delta
  MATCH (:Entity {id: row.from})-[r:` + rel + `]->(:Entity {id: row.to})
  SET r.weight = r.weight + delta`
}

// buildReweigh builds the statement of reweighBlock for rels.
func buildReweigh(rels []string) relStatement {
	return newRelStatement(rels, "", "", reweighBlock)
}

var reweighKnown = buildReweigh(knownRels)

// removeBlock deletes the source's assertions in its rows, moves their
// relationships' weights by what they held, and deletes the
// relationships left without assertions.
func removeBlock(rel string) string {
	return `
  MATCH (x:` + labelAssertion + ` {id: row.id})
  WITH row, x, x.weight AS weight
  DELETE x
  WITH row, weight
  MATCH (:Entity {id: row.from})-[r:` + rel + `]->(:Entity {id: row.to})
  SET r.weight = r.weight - weight
  WITH r, row
  WHERE NOT EXISTS { MATCH (y:` + labelAssertion + `) WHERE y.id STARTS WITH row.prefix }
  DELETE r`
}

// buildRemove builds the statement of removeBlock for rels.
func buildRemove(rels []string) relStatement {
	return newRelStatement(rels, "", "", removeBlock)
}

var removeKnown = buildRemove(knownRels)

// assertBlock writes the source's assertions in its rows: it creates the
// relationship, and placeholder ends, as needed, sets its properties,
// and moves its weight by what the assertion's weight changes. A new
// relationship is created under the lock of its start node, after
// checking again that no other writer created it meanwhile; Cypher's
// MERGE of a relationship would lock both ends, and the ends that many
// sources share (topics, clusters) would serialise the writers.
func assertBlock(rel string) string {
	return `
  MERGE (a:Entity {id: row.from})
  MERGE (b:Entity {id: row.to})
  WITH weight, row, a, b
  CALL (a, b) {
    OPTIONAL MATCH (a)-[found:` + rel + `]->(b)
    WITH a, b, found WHERE found IS NULL
    SET a.id = a.id
    WITH a, b WHERE NOT EXISTS { (a)-[:` + rel + `]->(b) }
    CREATE (a)-[:` + rel + ` {weight: 0.0, first_seen: datetime()}]->(b)
  }
  MATCH (a)-[r:` + rel + `]->(b)
  MERGE (x:` + labelAssertion + ` {id: row.id})
  WITH r, x, row, weight, weight - coalesce(x.weight, 0.0) AS delta
  SET r += row.props, r.last_seen = datetime(), r.weight = r.weight + delta,
      x.source = $source, x.snippet = row.snippet, x.weight = weight`
}

// buildAssert builds the statement of assertBlock for rels; its prelude
// computes the weight of the source's assertions.
func buildAssert(rels []string) relStatement {
	return newRelStatement(rels, `
OPTIONAL MATCH (d:Document {id: $source})
WITH `+weightOf+` AS weight`, "weight", assertBlock)
}

var assertKnown = buildAssert(knownRels)

// reweighSources brings the weight of the assertions of the sources in
// w.reweigh up to date with their Document nodes, as applyNodes left
// them. It takes the locks of those sources' FactSet nodes first, and
// reads their edges after: an assertion's weight only changes under the
// lock of its source's FactSet, which that source's own writes hold from
// their start.
func (w *writer) reweighSources() error {
	delete(w.reweigh, w.source) // writeEdges weighs the source's own
	if len(w.reweigh) == 0 {
		return nil
	}
	recs, err := w.runQuery(`
UNWIND $sources AS s
MATCH (f:FactSet {source_id: s})
SET f.source_id = f.source_id
RETURN s AS source, f.edges_json AS edges`, map[string]any{"sources": slices.Sorted(maps.Keys(w.reweigh))})
	if err != nil {
		return fmt.Errorf("locking the fact sets of other sources: %w", err)
	}
	rows := map[string][]map[string]any{}
	for _, r := range recs {
		m := r.AsMap()
		src, _ := m["source"].(string)
		data, _ := m["edges"].(string)
		var edges []kg.Edge
		if err := json.Unmarshal([]byte(data), &edges); err != nil {
			return fmt.Errorf("decoding stored edges of %s: %w", src, err)
		}
		for _, e := range edges {
			rows[e.Rel] = append(rows[e.Rel], map[string]any{
				"id": assertionID(keyOf(e), src), "source": src, "from": e.From, "to": e.To,
			})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	err = runRelStatements(w, reweighKnown, buildReweigh, rows, map[string]any{"kind_weights": kindWeights})
	if err != nil {
		return fmt.Errorf("reweighing the assertions of other sources: %w", err)
	}
	return nil
}

// writeEdges deletes the source's assertions of the relationships it no
// longer asserts (deleting relationships left without any), writes its
// assertions of the ones it asserts, and deletes placeholders nothing
// points at any more. Every assertion moves its relationship's weight by
// what it adds or takes away, so the cost of a write does not grow with
// the number of sources that assert the same relationship.
func (w *writer) writeEdges(removed []edgeKey, asserted []kg.Edge) error {
	removeRows := map[string][]map[string]any{}
	slices.SortFunc(removed, compareKeys)
	for _, k := range removed {
		removeRows[k.Rel] = append(removeRows[k.Rel], map[string]any{
			"from": k.From, "to": k.To, "prefix": assertionPrefix(k), "id": assertionID(k, w.source),
		})
	}
	if len(removeRows) > 0 {
		if err := runRelStatements(w, removeKnown, buildRemove, removeRows, map[string]any{}); err != nil {
			return fmt.Errorf("removing relationships: %w", err)
		}
	}

	addRows := map[string][]map[string]any{}
	edges := slices.SortedFunc(slices.Values(asserted), func(a, b kg.Edge) int { return compareKeys(keyOf(a), keyOf(b)) })
	for _, e := range edges {
		props := map[string]any{}
		for k, v := range e.Props {
			if !slices.Contains(reservedRelProps, k) {
				props[k] = v
			}
		}
		addRows[e.Rel] = append(addRows[e.Rel], map[string]any{
			"from": e.From, "to": e.To, "snippet": e.Snippet, "props": props, "id": assertionID(keyOf(e), w.source),
		})
	}
	if len(addRows) > 0 {
		params := map[string]any{"source": w.source, "kind_weights": kindWeights}
		if err := runRelStatements(w, assertKnown, buildAssert, addRows, params); err != nil {
			return fmt.Errorf("writing relationships: %w", err)
		}
	}

	if len(w.orphans) > 0 {
		_, err := w.runQuery(`UNWIND $orphans AS id
MATCH (n:Entity {id: id})
WHERE n.declared_by IS NULL AND NOT EXISTS { (n)--() }
DELETE n`, map[string]any{"orphans": slices.Sorted(maps.Keys(w.orphans))})
		if err != nil {
			return fmt.Errorf("deleting placeholders: %w", err)
		}
	}
	return nil
}
