package neo4j

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// errUnchanged rolls back a write transaction that found nothing to do.
var errUnchanged = errors.New("nothing to write")

// facts is what the store keeps of a source's fact set: each node once,
// as its last declaration, in the order of first declaration, and each
// relationship once, as its first assertion. This is how every store reads
// a fact set.
type facts struct {
	Nodes []kg.Node `json:"nodes"`
	Edges []kg.Edge `json:"edges"`
}

type edgeKey struct{ From, Rel, To string }

func keyOf(e kg.Edge) edgeKey { return edgeKey{e.From, e.Rel, e.To} }

func compareKeys(a, b edgeKey) int {
	return cmp.Or(cmp.Compare(a.Rel, b.Rel), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
}

func normalise(fs kg.FactSet) facts {
	var f facts
	at := map[string]int{}
	for _, n := range fs.Nodes {
		if i, ok := at[n.ID]; ok {
			f.Nodes[i] = n
			continue
		}
		at[n.ID] = len(f.Nodes)
		f.Nodes = append(f.Nodes, n)
	}
	seen := map[edgeKey]bool{}
	for _, e := range fs.Edges {
		if k := keyOf(e); !seen[k] {
			seen[k] = true
			f.Edges = append(f.Edges, e)
		}
	}
	return f
}

// ReplaceFacts implements kg.GraphStore. The whole replacement is one
// write transaction; a fact set whose hash is stored already costs one
// read and writes nothing.
func (s *Store) ReplaceFacts(ctx context.Context, fs kg.FactSet) (bool, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return false, fmt.Errorf("replacing facts of %s: %w", fs.SourceID, err)
	}
	if err := validate(fs); err != nil {
		return false, err
	}
	hash, ok, err := s.sourceHash(ctx, fs.SourceID)
	if err != nil {
		return false, wrap(fmt.Sprintf("replacing facts of %s", fs.SourceID), err)
	}
	if ok && hash == fs.Hash {
		return false, nil
	}
	next := normalise(fs)
	changed, err := s.write(ctx, fs.SourceID, fs.Hash, &next)
	if err != nil {
		return false, wrap(fmt.Sprintf("replacing facts of %s", fs.SourceID), err)
	}
	if changed {
		s.logger.Debug("facts replaced", "source", fs.SourceID, "nodes", len(next.Nodes), "edges", len(next.Edges))
	}
	return changed, nil
}

// RetractFacts implements kg.GraphStore.
func (s *Store) RetractFacts(ctx context.Context, sourceID string) (bool, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return false, fmt.Errorf("retracting facts of %s: %w", sourceID, err)
	}
	_, ok, err := s.sourceHash(ctx, sourceID)
	if err != nil {
		return false, wrap(fmt.Sprintf("retracting facts of %s", sourceID), err)
	}
	if !ok {
		return false, nil
	}
	removed, err := s.write(ctx, sourceID, "", nil)
	if err != nil {
		return false, wrap(fmt.Sprintf("retracting facts of %s", sourceID), err)
	}
	if removed {
		s.logger.Debug("facts retracted", "source", sourceID)
	}
	return removed, nil
}

// write makes next the fact set of source (hash names it), or retracts
// the source if next is nil, in one managed write transaction. It reports
// false if the transaction found the hash stored already, or no fact set
// to retract.
func (s *Store) write(ctx context.Context, source, hash string, next *facts) (bool, error) {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(context.WithoutCancel(ctx))
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		w := &writer{ctx: ctx, tx: tx, source: source, hash: hash, next: next}
		return nil, w.run()
	}, txTimeout(ctx))
	if errors.Is(err, errUnchanged) {
		return false, nil
	}
	return err == nil, err
}

// writer is one run of a write transaction.
type writer struct {
	ctx    context.Context
	tx     neo4j.ManagedTransaction
	source string
	hash   string
	next   *facts // nil retracts

	prev facts

	// apply holds the nodes whose winning declaration is (re)written, by
	// id; a nil entry undeclares the node.
	apply map[string]*kg.Node
	// merge holds the nodes whose view is computed again from every
	// declaration stored for them, before applyNodes.
	merge map[string]bool
	// labels holds the current labels of the nodes in apply.
	labels map[string][]string
	// dirty holds the relationships whose weight may have changed.
	dirty map[edgeKey]bool
	// orphans holds ids whose placeholder may now be unused.
	orphans map[string]bool
}

func (w *writer) run() error {
	next := facts{}
	if w.next != nil {
		next = *w.next
	}
	if err := w.lock(next); err != nil {
		return err
	}
	w.apply = map[string]*kg.Node{}
	w.merge = map[string]bool{}
	w.labels = map[string][]string{}
	w.dirty = map[edgeKey]bool{}
	w.orphans = map[string]bool{}

	declared := map[string]bool{}
	for _, n := range next.Nodes {
		declared[n.ID] = true
	}
	var dropped []string
	for _, n := range w.prev.Nodes {
		if !declared[n.ID] {
			dropped = append(dropped, n.ID)
		}
	}
	slices.Sort(dropped)

	asserted := map[edgeKey]bool{}
	for _, e := range next.Edges {
		asserted[keyOf(e)] = true
		w.dirty[keyOf(e)] = true
	}
	var removed []edgeKey
	for _, e := range w.prev.Edges {
		if k := keyOf(e); !asserted[k] {
			removed = append(removed, k)
			w.dirty[k] = true
			w.orphans[k.From] = true
			w.orphans[k.To] = true
		}
	}

	if err := w.declare(next.Nodes); err != nil {
		return err
	}
	if err := w.undeclare(dropped); err != nil {
		return err
	}
	if err := w.mergeNodes(); err != nil {
		return err
	}
	if err := w.applyNodes(); err != nil {
		return err
	}
	return w.writeEdges(removed, next.Edges)
}

// runQuery runs one statement and returns its records.
func (w *writer) runQuery(cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := w.tx.Run(w.ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(w.ctx)
}

// lock takes the graph's write lock, numbers the write, reads what the
// source stored before and stores next in its place (or deletes it, when
// retracting). It returns errUnchanged, which rolls all of it back, when
// there is nothing to do after all: another writer stored the same hash,
// or retracted the source, since the caller looked.
func (w *writer) lock(next facts) error {
	const head = `
MERGE (m:GraphMeta {id: $meta})
  ON CREATE SET m.seq = 0
SET m.locked = true
WITH m
SET m.seq = m.seq + 1
REMOVE m.locked
WITH m
OPTIONAL MATCH (old:FactSet {source_id: $source})
WITH m, old, old IS NOT NULL AS known, old.hash AS hash, old.nodes_json AS nodes, old.edges_json AS edges
`
	params := map[string]any{"meta": metaID, "source": w.source}
	cypher := head + `DELETE old
RETURN known, hash, nodes, edges`
	if w.next != nil {
		nodes, err := json.Marshal(next.Nodes)
		if err != nil {
			return fmt.Errorf("encoding nodes: %w", err)
		}
		edges, err := json.Marshal(next.Edges)
		if err != nil {
			return fmt.Errorf("encoding edges: %w", err)
		}
		params["hash"] = w.hash
		params["nodes"] = string(nodes)
		params["edges"] = string(edges)
		params["node_count"] = len(next.Nodes)
		params["edge_count"] = len(next.Edges)
		cypher = head + `MERGE (f:FactSet {source_id: $source})
SET f.hash = $hash, f.seq = m.seq, f.nodes_json = $nodes, f.edges_json = $edges,
    f.node_count = $node_count, f.edge_count = $edge_count, f.written_at = datetime()
RETURN known, hash, nodes, edges`
	}
	recs, err := w.runQuery(cypher, params)
	if err != nil {
		return fmt.Errorf("locking the graph: %w", err)
	}
	if len(recs) != 1 {
		return fmt.Errorf("locking the graph: %d records", len(recs))
	}
	r := recs[0].AsMap()
	known, _ := r["known"].(bool)
	hash, _ := r["hash"].(string)
	switch {
	case w.next == nil && !known:
		return errUnchanged
	case w.next != nil && known && hash == w.hash:
		return errUnchanged
	}
	if known {
		nodes, _ := r["nodes"].(string)
		edges, _ := r["edges"].(string)
		if err := json.Unmarshal([]byte(nodes), &w.prev.Nodes); err != nil {
			return fmt.Errorf("decoding stored nodes of %s: %w", w.source, err)
		}
		if err := json.Unmarshal([]byte(edges), &w.prev.Edges); err != nil {
			return fmt.Errorf("decoding stored edges of %s: %w", w.source, err)
		}
	}
	return nil
}

// declare records that the source declares nodes, creating them as
// needed. The registry's declaration is the node's view; a node the
// registry declares too keeps the registry's; any other node takes the
// source's label and name, and the source's properties merged over the
// ones the node shows. When the source's previous declaration gave
// properties that may now be gone, the node is merged again from all its
// declarations instead. A node that is itself a source gets its
// relationships reweighed.
func (w *writer) declare(nodes []kg.Node) error {
	if len(nodes) == 0 {
		return nil
	}
	sorted := slices.SortedFunc(slices.Values(nodes), func(a, b kg.Node) int { return cmp.Compare(a.ID, b.ID) })
	rows := make([]any, len(sorted))
	byID := make(map[string]kg.Node, len(sorted))
	for i, n := range sorted {
		rows[i] = map[string]any{"id": n.ID}
		byID[n.ID] = n
	}
	// hadProps holds the nodes whose previous declaration by the source
	// gave properties that the new one may not override.
	hadProps := map[string]bool{}
	for _, n := range w.prev.Nodes {
		if len(n.Props) > 0 && !overrides(byID[n.ID], n) {
			hadProps[n.ID] = true
		}
	}
	recs, err := w.runQuery(`
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n.declared_by = [x IN coalesce(n.declared_by, []) WHERE x <> $source] + $source
WITH row, n
OPTIONAL MATCH (f:FactSet {source_id: row.id}) WHERE row.id <> $source
RETURN row.id AS id, labels(n) AS labels, properties(n) AS props,
       $registry IN n.declared_by AS by_registry, f.edges_json AS edges`,
		map[string]any{"rows": rows, "source": w.source, "registry": kg.RegistrySource})
	if err != nil {
		return fmt.Errorf("declaring nodes: %w", err)
	}
	for _, r := range recs {
		m := r.AsMap()
		id, _ := m["id"].(string)
		byRegistry, _ := m["by_registry"].(bool)
		if byRegistry && w.source != kg.RegistrySource {
			continue
		}
		n := byID[id]
		switch {
		case w.source == kg.RegistrySource:
		case hadProps[id]:
			w.merge[id] = true
		default:
			props := nodeFrom(n.Label, anyMap(m["props"])).Props
			mergeProps(props, n.Props)
			n.Props = props
		}
		if !w.merge[id] {
			w.apply[id] = &n
		}
		w.labels[id] = anyStrings(m["labels"])
		if err := w.dirtyEdgesOf(id, m["edges"]); err != nil {
			return err
		}
	}
	return nil
}

// undeclare takes the source's declaration off the nodes it no longer
// declares. A node left without declarations becomes a placeholder; the
// others are merged again from their remaining declarations.
func (w *writer) undeclare(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	recs, err := w.runQuery(`
UNWIND $ids AS id
MATCH (n:Entity {id: id})
SET n.declared_by = [x IN n.declared_by WHERE x <> $source]
WITH id, n
OPTIONAL MATCH (g:FactSet {source_id: id}) WHERE id <> $source
RETURN id, labels(n) AS labels, size(n.declared_by) AS declarers, g.edges_json AS edges`,
		map[string]any{"ids": ids, "source": w.source})
	if err != nil {
		return fmt.Errorf("undeclaring nodes: %w", err)
	}
	for _, r := range recs {
		m := r.AsMap()
		id, _ := m["id"].(string)
		w.labels[id] = anyStrings(m["labels"])
		if err := w.dirtyEdgesOf(id, m["edges"]); err != nil {
			return err
		}
		if declarers, _ := m["declarers"].(int64); declarers == 0 {
			w.apply[id] = nil
			w.orphans[id] = true
			continue
		}
		w.merge[id] = true
	}
	return nil
}

// mergeNodes computes the view of every node in w.merge from all the
// declarations stored for it, and puts it in w.apply: the registry's
// declaration if there is one, else the label and name of the one
// written last with the properties of all of them merged in write order.
func (w *writer) mergeNodes() error {
	if len(w.merge) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(w.merge))
	recs, err := w.runQuery(`
UNWIND $ids AS id
MATCH (n:Entity {id: id})
UNWIND n.declared_by AS s
MATCH (f:FactSet {source_id: s})
RETURN id, s AS source, f.seq AS seq
ORDER BY id, seq`, map[string]any{"ids": ids})
	if err != nil {
		return fmt.Errorf("reading declarations: %w", err)
	}
	type decl struct {
		source string
		seq    int64
	}
	declsOf := map[string][]decl{} // by node id, in write order
	sources := map[string]bool{}
	for _, r := range recs {
		m := r.AsMap()
		id, _ := m["id"].(string)
		src, _ := m["source"].(string)
		seq, _ := m["seq"].(int64)
		declsOf[id] = append(declsOf[id], decl{source: src, seq: seq})
		sources[src] = true
	}
	recs, err = w.runQuery(`
UNWIND $sources AS s
MATCH (f:FactSet {source_id: s})
RETURN s AS source, f.nodes_json AS nodes`, map[string]any{"sources": slices.Sorted(maps.Keys(sources))})
	if err != nil {
		return fmt.Errorf("reading declarations: %w", err)
	}
	declared := map[string]map[string]kg.Node{} // source -> node id -> declaration
	for _, r := range recs {
		m := r.AsMap()
		src, _ := m["source"].(string)
		data, _ := m["nodes"].(string)
		var nodes []kg.Node
		if err := json.Unmarshal([]byte(data), &nodes); err != nil {
			return fmt.Errorf("decoding stored nodes of %s: %w", src, err)
		}
		byID := map[string]kg.Node{}
		for _, n := range nodes {
			if w.merge[n.ID] {
				byID[n.ID] = n
			}
		}
		declared[src] = byID
	}
	for _, id := range ids {
		decls := declsOf[id]
		if len(decls) == 0 {
			return fmt.Errorf("node %s has no stored declaration", id)
		}
		var view kg.Node
		props := map[string]string{}
		registry := false
		for _, d := range decls {
			n, ok := declared[d.source][id]
			if !ok {
				return fmt.Errorf("node %s is declared by %s but missing from its fact set", id, d.source)
			}
			if d.source == kg.RegistrySource {
				view, registry = n, true
				break
			}
			view = n
			mergeProps(props, n.Props)
		}
		if !registry {
			view.Props = props
		}
		w.apply[id] = &view
	}
	return nil
}

// overrides reports whether the declaration next gives a non-empty value
// to every property that prev gave. Then whatever prev added to a node's
// merged properties, next, written last, overrides, so the node's view is
// its current view with next merged over it, as for a new declaration,
// and need not be computed again from all its declarations.
func overrides(next, prev kg.Node) bool {
	if next.ID != prev.ID {
		return false
	}
	for k := range prev.Props {
		if next.Props[k] == "" {
			return false
		}
	}
	return true
}

// mergeProps merges the properties of a later declaration into props: a
// non-empty value overrides, an empty value only adds a missing key.
func mergeProps(props, later map[string]string) {
	for k, v := range later {
		if _, ok := props[k]; v != "" || !ok {
			props[k] = v
		}
	}
}

// dirtyEdgesOf marks dirty the relationships asserted by the source whose
// id is the node id, given that source's stored edges_json (or nil): their
// evidence comes from that node.
func (w *writer) dirtyEdgesOf(id string, edgesJSON any) error {
	data, ok := edgesJSON.(string)
	if !ok {
		return nil
	}
	var edges []kg.Edge
	if err := json.Unmarshal([]byte(data), &edges); err != nil {
		return fmt.Errorf("decoding stored edges of %s: %w", id, err)
	}
	for _, e := range edges {
		w.dirty[keyOf(e)] = true
	}
	return nil
}

// applyNodes writes the winning declarations in w.apply: label, name and
// properties, keeping declared_by. Nodes without a winner become bare
// placeholders. There is one statement per label change, since labels
// cannot be parameters; each statement's text depends only on its labels,
// so Neo4j plans it once and takes it from its query cache afterwards.
func (w *writer) applyNodes() error {
	type group struct {
		remove []string
		label  string
		rows   []any
	}
	groups := map[string]*group{}
	for _, id := range slices.Sorted(maps.Keys(w.apply)) {
		n := w.apply[id]
		label := ""
		if n != nil {
			label = n.Label
		}
		var remove []string
		for _, l := range w.labels[id] {
			if l != labelEntity && l != label {
				remove = append(remove, l)
			}
		}
		slices.Sort(remove)
		key := strings.Join(remove, "\x00") + "\x01" + label
		g := groups[key]
		if g == nil {
			g = &group{remove: remove, label: label}
			groups[key] = g
		}
		row := map[string]any{"id": id}
		if n != nil {
			row["props"] = nodeProps(*n)
		}
		g.rows = append(g.rows, row)
	}
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		g := groups[key]
		var b strings.Builder
		b.WriteString("UNWIND $rows AS row\nMATCH (n:Entity {id: row.id})\n")
		if len(g.remove) > 0 {
			b.WriteString("REMOVE n")
			for _, l := range g.remove {
				b.WriteString(":" + quote(l))
			}
			b.WriteByte('\n')
		}
		if g.label == "" {
			b.WriteString("SET n = {id: row.id}")
		} else {
			fmt.Fprintf(&b, "SET n:%s\nWITH n, row, n.declared_by AS declared_by\nSET n = row.props\nSET n.declared_by = declared_by", quote(g.label))
		}
		if _, err := w.runQuery(b.String(), map[string]any{"rows": g.rows}); err != nil {
			return fmt.Errorf("writing %s nodes: %w", g.label, err)
		}
	}
	return nil
}

// Relationship properties that the store sets itself.
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

// weighQuery sets the weight of every relationship r of the rows before
// it from its evidence, as kg.EvidenceWeight computes it: the sum of the
// kind weights of its distinct Document sources, rounded to two decimals.
// Kind weights are multiples of a half, so the sum is exact in any order.
const weighQuery = `
CALL (r) {
  UNWIND r.evidence_sources AS s
  WITH DISTINCT s
  MATCH (d:Document {id: s})
  RETURN sum(coalesce($kind_weights[d.kind], 1.0)) AS weight
}
SET r.weight = round(weight * 100) / 100`

// writeEdges takes the source's evidence off the relationships it no
// longer asserts (deleting those left without any), adds it to the ones
// it asserts (creating them, and placeholder ends, as needed), deletes
// placeholders nothing points at any more, and weighs again every dirty
// relationship that still exists. There is a statement per step and
// relationship type, since types cannot be parameters: each text depends
// only on its type, so Neo4j plans it once and takes it from its query
// cache afterwards. (One statement for all types costs a new plan of
// several hundred milliseconds on most writes, since the set of types
// differs from one fact set to the next.) The relationships the source
// asserts are weighed in the statement that writes them.
func (w *writer) writeEdges(removed []edgeKey, asserted []kg.Edge) error {
	removeRows := map[string][]any{}
	slices.SortFunc(removed, compareKeys)
	for _, k := range removed {
		removeRows[k.Rel] = append(removeRows[k.Rel], map[string]any{"from": k.From, "to": k.To})
	}
	for _, rel := range slices.Sorted(maps.Keys(removeRows)) {
		_, err := w.runQuery(`UNWIND $rows AS row
MATCH (:Entity {id: row.from})-[r:`+quote(rel)+`]->(:Entity {id: row.to})
WITH r, [i IN range(0, size(r.evidence_sources) - 1) WHERE r.evidence_sources[i] <> $source] AS keep
SET r.evidence_snippets = [i IN keep | r.evidence_snippets[i]],
    r.evidence_sources = [i IN keep | r.evidence_sources[i]]
WITH r WHERE size(r.evidence_sources) = 0
DELETE r`, map[string]any{"rows": removeRows[rel], "source": w.source})
		if err != nil {
			return fmt.Errorf("removing %s relationships: %w", rel, err)
		}
	}

	addRows := map[string][]any{}
	edges := slices.SortedFunc(slices.Values(asserted), func(a, b kg.Edge) int { return compareKeys(keyOf(a), keyOf(b)) })
	for _, e := range edges {
		props := map[string]any{}
		for k, v := range e.Props {
			if !slices.Contains(reservedRelProps, k) {
				props[k] = v
			}
		}
		addRows[e.Rel] = append(addRows[e.Rel], map[string]any{"from": e.From, "to": e.To, "snippet": e.Snippet, "props": props})
		delete(w.dirty, keyOf(e))
	}
	for _, rel := range slices.Sorted(maps.Keys(addRows)) {
		_, err := w.runQuery(`UNWIND $rows AS row
MERGE (a:Entity {id: row.from})
MERGE (b:Entity {id: row.to})
MERGE (a)-[r:`+quote(rel)+`]->(b)
  ON CREATE SET r.evidence_sources = [], r.evidence_snippets = [], r.weight = 0.0, r.first_seen = datetime()
WITH r, row, [i IN range(0, size(r.evidence_sources) - 1) WHERE r.evidence_sources[i] <> $source] AS keep
SET r.evidence_snippets = [i IN keep | r.evidence_snippets[i]] + row.snippet,
    r.evidence_sources = [i IN keep | r.evidence_sources[i]] + $source,
    r.last_seen = datetime()
SET r += row.props
WITH r`+weighQuery, map[string]any{"rows": addRows[rel], "source": w.source, "kind_weights": kindWeights})
		if err != nil {
			return fmt.Errorf("writing %s relationships: %w", rel, err)
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

	dirty := map[string][]any{}
	for _, k := range slices.SortedFunc(maps.Keys(w.dirty), compareKeys) {
		dirty[k.Rel] = append(dirty[k.Rel], map[string]any{"from": k.From, "to": k.To})
	}
	for _, rel := range slices.Sorted(maps.Keys(dirty)) {
		_, err := w.runQuery(`UNWIND $rows AS row
MATCH (:Entity {id: row.from})-[r:`+quote(rel)+`]->(:Entity {id: row.to})`+weighQuery,
			map[string]any{"rows": dirty[rel], "kind_weights": kindWeights})
		if err != nil {
			return fmt.Errorf("weighing %s relationships: %w", rel, err)
		}
	}
	return nil
}
