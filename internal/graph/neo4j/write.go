package neo4j

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
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

// maxRaceRetries bounds how often write runs a transaction again that
// lost a race with another writer.
const maxRaceRetries = 5

// write makes next the fact set of source (hash names it), or retracts
// the source if next is nil, in one managed write transaction. It reports
// false if the transaction found the hash stored already, or no fact set
// to retract.
//
// Writers of different sources run concurrently. Each takes the locks it
// needs as it goes: its own FactSet first, then the nodes it declares or
// undeclares, in id order; a relationship it asserts or takes evidence
// off; the start node of a relationship it creates; and, only for the
// commit, the GraphMeta counter that numbers the write. The driver runs a
// transaction again after a deadlock; write runs it again, too, when a
// relationship or node it found was deleted by a writer that committed
// first.
func (s *Store) write(ctx context.Context, source, hash string, next *facts) (bool, error) {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(context.WithoutCancel(ctx))
	for attempt := 0; ; attempt++ {
		_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			w := &writer{ctx: ctx, tx: tx, source: source, hash: hash, next: next}
			return nil, w.run()
		}, txTimeout(ctx))
		switch {
		case errors.Is(err, errUnchanged):
			return false, nil
		case err != nil && lostRace(err) && attempt < maxRaceRetries && ctx.Err() == nil:
			s.logger.Debug("write lost a race, running it again", "source", source, "err", err)
			continue
		}
		return err == nil, err
	}
}

// lostRace reports whether err says that the transaction used a node or
// relationship that a concurrent transaction deleted.
func lostRace(err error) bool {
	var neoErr *neo4j.Neo4jError
	if !errors.As(err, &neoErr) {
		return false
	}
	return neoErr.Code == "Neo.ClientError.Statement.EntityNotFound" ||
		strings.Contains(neoErr.Msg, "has been deleted in this transaction") ||
		strings.Contains(neoErr.Msg, "EntityNotFound")
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
	// reweigh holds the other sources whose node is (re)declared or
	// undeclared: the weight of their assertions may change.
	reweigh map[string]bool
	// orphans holds ids whose placeholder may now be unused.
	orphans map[string]bool
}

func (w *writer) run() error {
	next := facts{}
	if w.next != nil {
		next = *w.next
	}
	if err := w.begin(next); err != nil {
		return err
	}
	w.apply = map[string]*kg.Node{}
	w.merge = map[string]bool{}
	w.labels = map[string][]string{}
	w.reweigh = map[string]bool{}
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
	}
	var removed []edgeKey
	for _, e := range w.prev.Edges {
		if k := keyOf(e); !asserted[k] {
			removed = append(removed, k)
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
	if err := w.reweighSources(); err != nil {
		return err
	}
	if err := w.writeEdges(removed, next.Edges); err != nil {
		return err
	}
	return w.finish()
}

// runQuery runs one statement and returns its records.
func (w *writer) runQuery(cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := w.tx.Run(w.ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(w.ctx)
}

// begin locks the source's FactSet node, creating it if needed, reads
// what the source stored before and stores next in its place. It returns
// errUnchanged, which rolls all of it back, when there is nothing to do
// after all: another writer stored the same hash, or retracted the
// source, since the caller looked. Writes of one source are serialised
// by this lock; writes of different sources do not wait for each other
// here.
func (w *writer) begin(next facts) error {
	// Setting a property to a value read from it makes Cypher take the
	// node's write lock before it reads, so what the statement returns is
	// what the last writer of the source committed.
	const head = `
MERGE (f:FactSet {source_id: $source})
SET f.source_id = f.source_id
WITH f, f.nodes_json IS NOT NULL AS known, f.hash AS hash, f.nodes_json AS nodes, f.edges_json AS edges
`
	params := map[string]any{"source": w.source}
	cypher := head + `RETURN known, hash, nodes, edges`
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
		cypher = head + `SET f.hash = $hash, f.nodes_json = $nodes, f.edges_json = $edges,
    f.node_count = $node_count, f.edge_count = $edge_count, f.written_at = datetime()
RETURN known, hash, nodes, edges`
	}
	recs, err := w.runQuery(cypher, params)
	if err != nil {
		return fmt.Errorf("locking the fact set: %w", err)
	}
	if len(recs) != 1 {
		return fmt.Errorf("locking the fact set: %d records", len(recs))
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

// countWrite adds one to the write counter on the GraphMeta node,
// creating the node with a random epoch if there is none, and binds it
// to m. Every write that changes the graph runs it before it commits;
// readers tell by epoch and seq whether the graph changed (cache.go).
const countWrite = `
MERGE (m:GraphMeta {id: $meta})
  ON CREATE SET m.seq = 0, m.layout = $layout, m.epoch = randomUUID()
SET m.seq = m.seq + 1`

// finish deletes the FactSet of a retracted source, and numbers the
// write. The counter on the GraphMeta node is the only thing every
// writer locks, and it is locked last, so it is held only while the
// transaction commits. A writer that waited for a node or relationship
// lock of another therefore always gets a higher number: the numbers
// order the writes of every node and relationship as they happened.
func (w *writer) finish() error {
	params := map[string]any{"meta": metaID, "layout": layoutVersion, "source": w.source}
	if w.next == nil {
		if _, err := w.runQuery(`MATCH (f:FactSet {source_id: $source}) DETACH DELETE f`, params); err != nil {
			return fmt.Errorf("deleting the fact set: %w", err)
		}
		if _, err := w.runQuery(countWrite, params); err != nil {
			return fmt.Errorf("numbering the write: %w", err)
		}
		return nil
	}
	_, err := w.runQuery(countWrite+`
WITH m
MATCH (f:FactSet {source_id: $source})
SET f.seq = m.seq`, params)
	if err != nil {
		return fmt.Errorf("numbering the write: %w", err)
	}
	return nil
}

// declare records that the source declares nodes, creating them as
// needed, and locks them for the rest of the transaction. A declaration
// is a DECLARES relationship from the source's FactSet; a node's
// declared_by counts them. The registry's declaration is the node's
// view; a node the registry declares too keeps the registry's; any other
// node takes the source's label and name, and the source's properties
// merged over the ones the node shows. When the source's previous
// declaration gave properties that may now be gone, the node is merged
// again from all its declarations instead. A node that is itself another
// source gets that source's assertions reweighed.
func (w *writer) declare(nodes []kg.Node) error {
	if len(nodes) == 0 {
		return nil
	}
	before := make(map[string]bool, len(w.prev.Nodes))
	for _, n := range w.prev.Nodes {
		before[n.ID] = true
	}
	sorted := slices.SortedFunc(slices.Values(nodes), func(a, b kg.Node) int { return cmp.Compare(a.ID, b.ID) })
	rows := make([]any, len(sorted))
	byID := make(map[string]kg.Node, len(sorted))
	for i, n := range sorted {
		rows[i] = map[string]any{"id": n.ID, "add": !before[n.ID]}
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
MATCH (f:FactSet {source_id: $source})
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n.declared_by = coalesce(n.declared_by, 0) + CASE WHEN row.add THEN 1 ELSE 0 END
WITH f, row, n
CALL (f, row, n) {
  WITH * WHERE row.add
  CREATE (f)-[:`+relDeclares+`]->(n)
}
RETURN row.id AS id, labels(n) AS labels, properties(n) AS props,
       EXISTS { (:FactSet {source_id: $registry})-[:`+relDeclares+`]->(n) } AS by_registry,
       EXISTS { (:FactSet {source_id: row.id}) } AS is_source`,
		map[string]any{"rows": rows, "source": w.source, "registry": kg.RegistrySource})
	if err != nil {
		return fmt.Errorf("declaring nodes: %w", err)
	}
	for _, r := range recs {
		m := r.AsMap()
		id, _ := m["id"].(string)
		if isSource, _ := m["is_source"].(bool); isSource {
			w.reweigh[id] = true
		}
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
		labels := anyStrings(m["labels"])
		if !w.merge[id] && !shows(labels, anyMap(m["props"]), n) {
			w.apply[id] = &n
		}
		w.labels[id] = labels
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
MATCH (f:FactSet {source_id: $source})
UNWIND $ids AS id
MATCH (n:Entity {id: id})
SET n.declared_by = CASE WHEN n.declared_by > 1 THEN n.declared_by - 1 END
WITH f, id, n
CALL (f, n) {
  MATCH (f)-[d:`+relDeclares+`]->(n)
  DELETE d
}
RETURN id, labels(n) AS labels, n.declared_by IS NULL AS gone,
       EXISTS { (:FactSet {source_id: id}) } AS is_source`,
		map[string]any{"ids": ids, "source": w.source})
	if err != nil {
		return fmt.Errorf("undeclaring nodes: %w", err)
	}
	for _, r := range recs {
		m := r.AsMap()
		id, _ := m["id"].(string)
		w.labels[id] = anyStrings(m["labels"])
		if isSource, _ := m["is_source"].(bool); isSource {
			w.reweigh[id] = true
		}
		if gone, _ := m["gone"].(bool); gone {
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
// The source's own declaration, being written now, is the last.
func (w *writer) mergeNodes() error {
	if len(w.merge) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(w.merge))
	recs, err := w.runQuery(`
UNWIND $ids AS id
MATCH (:Entity {id: id})<-[:`+relDeclares+`]-(f:FactSet)
RETURN id, f.source_id AS source, f.seq AS seq`, map[string]any{"ids": ids})
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
		if src == w.source {
			seq = math.MaxInt64
		}
		declsOf[id] = append(declsOf[id], decl{source: src, seq: seq})
		sources[src] = true
	}
	for _, ds := range declsOf {
		slices.SortFunc(ds, func(a, b decl) int { return cmp.Or(cmp.Compare(a.seq, b.seq), cmp.Compare(a.source, b.source)) })
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

// shows reports whether a node stored with labels and props shows n
// already: then writing n would change nothing.
func shows(labels []string, props map[string]any, n kg.Node) bool {
	if len(labels) != 2 || !slices.Contains(labels, labelEntity) || !slices.Contains(labels, n.Label) {
		return false
	}
	want := nodeProps(n)
	if len(props) != len(want)+1 || props[propDeclaredBy] == nil {
		return false
	}
	for k, v := range want {
		if props[k] != v {
			return false
		}
	}
	return true
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

// applyNodes writes the winning declarations in w.apply: label, name and
// properties, keeping declared_by. Nodes without a winner become bare
// placeholders. Labels are dynamic ($(...)), so one statement, planned
// once, writes nodes of every label.
func (w *writer) applyNodes() error {
	if len(w.apply) == 0 {
		return nil
	}
	rows := make([]any, 0, len(w.apply))
	for _, id := range slices.Sorted(maps.Keys(w.apply)) {
		n := w.apply[id]
		label := ""
		if n != nil {
			label = n.Label
		}
		remove := []string{}
		for _, l := range w.labels[id] {
			if l != labelEntity && l != label {
				remove = append(remove, l)
			}
		}
		slices.Sort(remove)
		row := map[string]any{"id": id, "remove": remove, "labels": []string{}, "props": map[string]any{propID: id}}
		if n != nil {
			row["labels"] = []string{label}
			row["props"] = nodeProps(*n)
		}
		rows = append(rows, row)
	}
	_, err := w.runQuery(`
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
REMOVE n:$(row.remove)
WITH n, row, n.declared_by AS declared_by
SET n = row.props
SET n.declared_by = declared_by
SET n:$(row.labels)`, map[string]any{"rows": rows})
	if err != nil {
		return fmt.Errorf("writing nodes: %w", err)
	}
	return nil
}
