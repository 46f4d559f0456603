// Package neo4j is the kg.GraphStore kept in a Neo4j 5 database, reached
// over Bolt with the official Go driver. It gives the same answers as the
// embedded store for the same fact sets; the conformance suite in
// internal/graph/graphtest checks both.
//
// # The model
//
// The graph is stored so that analysts can query it in plain Cypher:
//
//   - Every node of the knowledge graph is an (:Entity {id}) that also
//     carries its label (:Cluster, :Topic, :Document, :Site, :County,
//     :Source, :Organisation, :Person, :Project, :Event, or any other label
//     a fact set uses), a name property, the kg.Node properties as plain
//     string properties (county, sv, en, url, kind, date, ...) and
//     declared_by, the number of sources whose fact sets declare it.
//     If the registry declares the node, its label, name and properties
//     are the registry's declaration. Else label and name are those of the
//     declaration written last, and the properties are those of all its
//     declarations merged in write order: a later non-empty value
//     overrides an earlier one, an empty value never erases a key. A
//     replace or retract that may take properties away merges the node
//     again from the declarations stored in the fact sets.
//   - Every relationship is a real relationship of its own type (WORKS_ON,
//     MENTIONS, LOCATED_IN, PUBLISHED_ON, ...), one per (from, type, to),
//     with weight (kg.EvidenceWeight of the Document sources, kept up to
//     date on every write), first_seen and last_seen, and any properties
//     the edges carry.
//   - A relationship may point at an id that no fact set declares (yet):
//     that end is a bare (:Entity {id}) without a label or declared_by, and
//     the relationship is hidden from every read until a source declares
//     the node. Such placeholders are deleted once nothing points at them.
//   - Each source has a (:FactSet {source_id, hash, seq}) node that keeps
//     its latest fact set as JSON (nodes_json, edges_json), so that a
//     replace or retract knows what to take back, and a DECLARES
//     relationship to every node its fact set declares. seq numbers the
//     writes in the order they committed; the counter lives on the single
//     (:GraphMeta {id: "graph", layout: 2, seq, epoch}) node, which every
//     write that changes the graph (a replace or a retract) increments
//     before it commits. epoch is a random id set when the node is
//     created, so that a graph deleted and written again is told from the
//     one before.
//   - Each source's assertion of a relationship is an (:Assertion {id,
//     source, snippet, weight}) node, where id is the relationship's type,
//     start id and end id and the source id, separated by U+001F, and
//     weight is what the assertion adds to the relationship's weight (the
//     kind weight of the source's Document, or 0). A relationship's
//     evidence is its assertions whose source is a Document.
//
// No property grows with the number of sources that declare a node or
// assert a relationship, so a write costs the same in a large graph as in
// a small one. Writers of different sources run concurrently; they share
// no lock but the GraphMeta counter, which each takes only to commit.
//
// For example, the clusters working on biogas, strongest first, with
// their evidence:
//
//	MATCH (c:Cluster)-[r:WORKS_ON]->(t:Topic {id: "topic:biogas"})
//	OPTIONAL MATCH (x:Assertion)
//	  WHERE x.id STARTS WITH "WORKS_ON\u001f" + c.id + "\u001f" + t.id + "\u001f"
//	RETURN c.name, r.weight, collect(x.source) AS evidence ORDER BY r.weight DESC
//
// The store also implements kg.GraphExplorer, with the same answers as
// the embedded store (a relationship's properties are read from the stored
// fact set of its most recently written asserting source), and
// kg.CypherRunner, which runs an analyst's query in a session and managed
// transaction of read access mode, so that the database refuses writes.
//
// The answers of the reads that scan a whole label or relationship type
// (Nodes, RelationshipSummaries, MentionedWith and CoMentions, which the
// network map and the partner finder ask for) are kept in the Store
// until the graph changes: each call reads the GraphMeta node's epoch and
// seq first, and serves the kept answer if they are those it was made at.
// Several processes may share one database; a write by any of them is
// seen by all. See cache.go.
//
// Open creates a uniqueness constraint on id for every label of package
// kg and for Entity, one on FactSet.source_id, GraphMeta.id and
// Assertion.id, and indexes on Document.kind, Document.date and
// Cluster.county. It refuses a database that holds a graph of the earlier
// layout, which kept declared_by and the evidence as lists (ErrOldLayout):
// delete that graph and write the facts again.
//
// The store needs Neo4j 5.26 or later (5.26 LTS is what the tests run):
// its statements use scoped CALL subqueries and dynamic labels. Start a test engine and run
// the conformance suite with
//
//	eval "$(deploy/neo4j-test/neo4j-test.sh start)"
//	go test ./internal/graph/neo4j/
//	deploy/neo4j-test/neo4j-test.sh stop
//
// The labels Entity, FactSet, GraphMeta and Assertion are reserved: a
// fact set that uses one as a node label is invalid. A node property
// named id, name or declared_by is shadowed by the value of that name
// described above.
package neo4j
