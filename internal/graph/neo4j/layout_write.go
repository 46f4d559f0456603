package neo4j

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The storage layout. Every write touches a number of records that does
// not depend on how large the graph is: a source's declaration of a node
// is a relationship of its own, and its assertion of a relationship is a
// node of its own, so no list property grows with the sources that share
// a node or a relationship.
const (
	// labelAssertion labels the node that holds one source's assertion of
	// one relationship: {id, source, snippet, weight}; see assertionID.
	labelAssertion = "Assertion"
	// relDeclares links a FactSet to every node its fact set declares.
	relDeclares = "DECLARES"
	// layoutVersion is stored on the GraphMeta node as layout. Version 1,
	// without the property, kept declarations and evidence as lists.
	layoutVersion = 2
)

// keySep separates the parts of an assertion's id. Cypher writes it as
// '\u001f'.
const keySep = "\x1f"

// assertionPrefix is what the ids of the assertions of one relationship
// start with: its type, start id and end id, each followed by keySep.
func assertionPrefix(k edgeKey) string { return k.Rel + keySep + k.From + keySep + k.To + keySep }

// assertionID is the id of source's assertion of a relationship: the
// relationship's assertionPrefix followed by the source id. One unique
// index on it finds an assertion by id, and a relationship's assertions
// by prefix.
func assertionID(k edgeKey, source string) string { return assertionPrefix(k) + source }

// assertionPrefixOf is the Cypher expression of the assertionPrefix of
// the relationship r.
const assertionPrefixOf = `type(r) + '\u001f' + startNode(r).id + '\u001f' + endNode(r).id + '\u001f'`

// ErrOldLayout is wrapped by the error Open returns when the database
// holds a graph that an earlier version of this store wrote, which kept
// declarations and evidence as list properties. Such a graph is not
// migrated: delete it (MATCH (n) DETACH DELETE n) and write the facts
// again, for example with klusterkarta graph copy.
var ErrOldLayout = kg.Errorf(kg.EINVALID, "neo4j: the database holds a graph of an older storage layout; delete it and write the facts again")

// checkLayout returns ErrOldLayout if the database holds a graph written
// in another layout. An empty database, or one whose GraphMeta node says
// layoutVersion, passes.
func (s *Store) checkLayout(ctx context.Context) error {
	var layout any
	var found bool
	err := s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, `MATCH (m:GraphMeta {id: $meta}) RETURN m.layout AS layout`,
			map[string]any{"meta": metaID})
		if err != nil || len(recs) == 0 {
			return err
		}
		found, layout = true, recs[0]["layout"]
		return nil
	})
	if err != nil {
		return wrap("checking the storage layout", err)
	}
	if v, _ := layout.(int64); found && v != layoutVersion {
		return fmt.Errorf("%w (stored layout %v, this store writes layout %d)", ErrOldLayout, layout, layoutVersion)
	}
	return nil
}
