package kg

import "context"

// RelationshipSummary is a merged relationship without its evidence: the
// Relationship that GraphExplorer.Relationships returns for the same
// (From, Rel, To), with the evidence counted rather than listed.
type RelationshipSummary struct {
	From      string
	Rel       string
	To        string
	Props     map[string]string // as Relationship.Props
	Weight    float64           // as Relationship.Weight
	Documents int               // len(Relationship.Evidence)
}

// Mention is a document that mentions a node: a MENTIONS relationship
// from a Document node.
type Mention struct {
	Document string
	Node     string
}

// CoMention counts the documents that mention both A and B.
type CoMention struct {
	A         string
	B         string
	Documents int
}

// NeighbourhoodReader is a GraphExplorer that reads the part of the graph
// around some nodes, and counts what would take every relationship to
// count, in one call each. The partner finder and the network map use it,
// when a store offers it, instead of reading every relationship of a type.
// Every answer equals what the GraphExplorer methods give for the same
// graph; relationships and mentions count only where both ends exist.
type NeighbourhoodReader interface {
	GraphExplorer

	// NodesByID returns the nodes among ids that exist, as Node returns
	// them, ordered by id, each once.
	NodesByID(ctx context.Context, ids []string) ([]Node, error)

	// RelationshipsAround lists the relationships with a type among rels
	// (any type if rels is empty) that start or end at one of ids, each
	// once, as Relationships gives them and in its order.
	RelationshipsAround(ctx context.Context, ids []string, rels []string) ([]Relationship, error)

	// RelationshipSummaries lists the relationships of type rel whose
	// both ends have a label among labels (any label if labels is
	// empty), in the order of Relationships, without their evidence.
	RelationshipSummaries(ctx context.Context, rel string, labels []string) ([]RelationshipSummary, error)

	// MentionedWith lists, for every Document node that MENTIONS the node
	// id, the other nodes with the given label that it MENTIONS, ordered
	// by document, then node.
	MentionedWith(ctx context.Context, id, label string) ([]Mention, error)

	// CoMentions counts, for every node A labelled labelA and another
	// node B labelled labelB, the Document nodes that MENTION both,
	// leaving out pairs no document mentions together; ordered by A, then
	// B.
	CoMentions(ctx context.Context, labelA, labelB string) ([]CoMention, error)
}
