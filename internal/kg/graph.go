package kg

import (
	"context"
	"math"
	"sort"
	"strings"
	"time"
)

// Node labels.
const (
	LabelCluster      = "Cluster"
	LabelSource       = "Source"
	LabelDocument     = "Document"
	LabelTopic        = "Topic"
	LabelCounty       = "County"
	LabelSite         = "Site"
	LabelOrganisation = "Organisation"
	LabelPerson       = "Person"
	LabelProject      = "Project"
	LabelEvent        = "Event"
)

// Relationship types.
const (
	RelWorksOn     = "WORKS_ON"     // Cluster -> Topic
	RelMentions    = "MENTIONS"     // Document -> Topic | Cluster | Organisation | Person
	RelLocatedIn   = "LOCATED_IN"   // Cluster -> County
	RelPublishedOn = "PUBLISHED_ON" // Document -> Site

	RelWorksAt          = "WORKS_AT"          // Person -> Cluster | Organisation {role}
	RelLeads            = "LEADS"             // Person -> Project
	RelOwnedBy          = "OWNED_BY"          // Project -> Organisation | Cluster
	RelFunds            = "FUNDS"             // Organisation -> Project
	RelTakesPartIn      = "TAKES_PART_IN"     // Cluster | Organisation -> Project
	RelAbout            = "ABOUT"             // Project | Event -> Topic
	RelOrganisedBy      = "ORGANISED_BY"      // Event -> Cluster | Organisation
	RelCollaboratesWith = "COLLABORATES_WITH" // Cluster -> Cluster | Organisation
)

// RegistrySource is the SourceID of the facts that come from the registry
// and the topic vocabulary rather than from a crawled document.
const RegistrySource = "registry"

// Node is a vertex of the knowledge graph. Ids are stable and readable
// ("cluster:vreta-kluster", "topic:biogas") so re-crawls merge, never
// duplicate.
type Node struct {
	ID    string
	Label string
	Name  string
	Props map[string]string // scalar properties; lists are newline-joined
}

// Edge is one relationship as a single source asserts it. The graph merges
// the assertions of all sources for the same (From, Rel, To) into one
// relationship whose evidence is the list of asserting documents.
type Edge struct {
	From    string
	Rel     string
	To      string
	Snippet string            // the passage that supports the edge
	Props   map[string]string // relationship properties such as a role
}

// FactSet is everything one source (a document, or the registry) asserts.
// A store keeps, for every source, exactly its latest fact set.
type FactSet struct {
	SourceID string // DocumentID(url), or RegistrySource
	Hash     string // content hash; an unchanged hash means an unchanged fact set
	Nodes    []Node
	Edges    []Edge
}

// Evidence is one document that supports a relationship.
type Evidence struct {
	DocumentID string
	URL        string
	Title      string
	Kind       string
	Date       time.Time
	Snippet    string
}

// TopicWeight is a topic a cluster works on, with its strength and evidence.
type TopicWeight struct {
	TopicID  string
	SV       string
	EN       string
	Weight   float64
	Evidence []Evidence
}

// ClusterSummary is a cluster as lists show it.
type ClusterSummary struct {
	ID        string
	Name      string
	County    string
	Sites     []string
	Documents int           // documents attributed to the cluster
	TopTopics []TopicWeight // its three strongest topics, without evidence
}

// ClusterDetail is everything the graph knows about one cluster.
type ClusterDetail struct {
	ClusterSummary
	Aliases     []string
	Town        string
	Description string
	Topics      []TopicWeight // strongest first, each with its evidence
}

// TopicSummary is a topic with how widely it is worked on.
type TopicSummary struct {
	Topic
	Clusters  int // clusters with a WORKS_ON edge to it
	Documents int // documents that mention it
}

// ClusterStrength is a cluster's standing on one topic.
type ClusterStrength struct {
	ClusterID string
	Name      string
	County    string
	Weight    float64
	Evidence  []Evidence
}

// GraphStats counts what the graph holds.
type GraphStats struct {
	Nodes map[string]int // by label
	Edges map[string]int // by relationship type
}

// BatchWriter is a GraphStore that can replace many sources' facts in one
// write, which spares a commit (and its disk sync) per document.
// ReplaceFactsBatch is ReplaceFacts for every set of sets, in order, all or
// nothing: changed[i] tells whether sets[i] changed the graph. Every set
// is validated before anything is written.
type BatchWriter interface {
	ReplaceFactsBatch(ctx context.Context, sets []FactSet) (changed []bool, err error)
}

// GraphStore is the knowledge graph. Implementations must be safe for
// concurrent use and must give the same answers for the same fact sets; the
// conformance suite in internal/graph/graphtest states that behaviour.
type GraphStore interface {
	// ReplaceFacts makes fs the complete set of facts supported by
	// fs.SourceID, replacing what that source asserted before. It returns
	// false, and changes nothing, when the stored hash equals fs.Hash.
	// Returns EINVALID if fs has no SourceID or an edge lacks an end.
	ReplaceFacts(ctx context.Context, fs FactSet) (changed bool, err error)

	// RetractFacts removes every fact supported by sourceID, and every node
	// no remaining source declares. It returns false for an unknown source.
	RetractFacts(ctx context.Context, sourceID string) (removed bool, err error)

	// SourceHash returns the hash stored with sourceID's fact set, or false.
	SourceHash(ctx context.Context, sourceID string) (hash string, ok bool, err error)

	// Clusters lists every cluster, ordered by name.
	Clusters(ctx context.Context) ([]ClusterSummary, error)

	// Cluster returns one cluster. Returns ENOTFOUND for an unknown id.
	Cluster(ctx context.Context, id string) (ClusterDetail, error)

	// Topics lists every topic of the vocabulary in vocabulary order.
	Topics(ctx context.Context) ([]TopicSummary, error)

	// TopicClusters ranks the clusters that work on topicID, strongest
	// first (ties by cluster id), each with its evidence. Returns ENOTFOUND
	// for an unknown topic.
	TopicClusters(ctx context.Context, topicID string) ([]ClusterStrength, error)

	// Stats counts nodes by label and relationships by type.
	Stats(ctx context.Context) (GraphStats, error)

	// Close releases the store.
	Close() error
}

// Relationship is one merged relationship of the graph: every source's
// assertion of the same (From, Rel, To), with the evidence of those sources
// that are documents.
type Relationship struct {
	From     string
	Rel      string
	To       string
	Props    map[string]string // from the assertion written most recently
	Weight   float64           // EvidenceWeight(Evidence)
	Evidence []Evidence        // in SortEvidence order
}

// RelFilter selects relationships; an empty field matches anything.
type RelFilter struct {
	From string
	Rel  string
	To   string
}

// GraphExplorer reads the graph node by node and relationship by
// relationship. The queries of the partner finder, the network map and the
// people, project and event pages are built on it, so that they give the
// same answers on every store.
type GraphExplorer interface {
	// Node returns one node as shown in reads: the registry's declaration
	// if the registry declares it; else the label and name of the most
	// recently written declaration, with the properties of all
	// declarations merged in write order (a later non-empty value
	// overrides an earlier one, an empty value never erases a key).
	// Returns ENOTFOUND for an unknown id.
	Node(ctx context.Context, id string) (Node, error)

	// Nodes lists the nodes with label, ordered by id.
	Nodes(ctx context.Context, label string) ([]Node, error)

	// Relationships lists the relationships that match f and whose both
	// ends exist, ordered by From, Rel, To.
	Relationships(ctx context.Context, f RelFilter) ([]Relationship, error)
}

// kindWeight is how much one document of a kind says about a cluster's work
// on a topic: a project or report is stronger evidence than a passing
// mention in other text.
var kindWeight = map[string]float64{
	KindProject: 3,
	KindReport:  2.5,
	KindEvent:   2,
	KindAbout:   2,
	KindNews:    1.5,
	KindLetter:  1.5,
	KindContact: 1,
	KindOther:   1,
}

// EvidenceWeight is the strength of a relationship supported by ev: the sum
// of the kind weights of its distinct documents, rounded to two decimals.
// Every store computes weights with it so that they agree.
func EvidenceWeight(ev []Evidence) float64 {
	seen := make(map[string]bool, len(ev))
	var w float64
	for _, e := range ev {
		if seen[e.DocumentID] {
			continue
		}
		seen[e.DocumentID] = true
		k, ok := kindWeight[e.Kind]
		if !ok {
			k = 1
		}
		w += k
	}
	return math.Round(w*100) / 100
}

// SortEvidence orders evidence strongest kind first, then newest, then by
// URL, the order every store returns it in.
func SortEvidence(ev []Evidence) {
	sort.SliceStable(ev, func(i, j int) bool {
		a, b := ev[i], ev[j]
		if ka, kb := kindWeight[a.Kind], kindWeight[b.Kind]; ka != kb {
			return ka > kb
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.URL < b.URL
	})
}

// JoinList encodes a list as a node property value.
func JoinList(items []string) string { return strings.Join(items, "\n") }

// SplitList decodes a node property value made by JoinList.
func SplitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, "\n")
}

// ClusterNodeID returns the graph id of a cluster.
func ClusterNodeID(id string) string { return "cluster:" + id }

// TopicNodeID returns the graph id of a topic.
func TopicNodeID(id string) string { return "topic:" + id }

// CountyNodeID returns the graph id of a county.
func CountyNodeID(name string) string { return "county:" + name }

// SiteNodeID returns the graph id of a site (a host).
func SiteNodeID(host string) string { return "site:" + host }

// SourceNodeID returns the graph id of a registry source.
func SourceNodeID(id string) string { return "source:" + id }

// CypherRunner runs read-only Cypher queries for analysts. Only stores
// kept in a Cypher database implement it.
type CypherRunner interface {
	// RunReadCypher runs query with params in a read-only transaction
	// and returns the column names and at most limit rows, with truncated
	// set if the query had more. Values are JSON-friendly: nodes,
	// relationships, paths, temporal and spatial values become maps and
	// strings. A query that writes or does not compile returns EINVALID.
	RunReadCypher(ctx context.Context, query string, params map[string]any, limit int) (columns []string, rows [][]any, truncated bool, err error)
}
