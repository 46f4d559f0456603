// Package query answers the questions Klusterkarta's users come with,
// on any graph store: partners for a cluster on a topic, clusters with a
// similar topic profile, the network map with its county, heat map and gap
// views, the events calendar, the newest documents for a feed, the digest
// of what is new, and the exports of the network as GraphML, CSV and
// JSON-LD.
//
// Every answer is built only on kg.GraphStore, kg.GraphExplorer and
// kg.Searcher, so it is the same on every backend. The partner finder and
// the network map read only the part of the graph they need, and counts
// made in the store, from a store that is also a kg.NeighbourhoodReader,
// and read the whole graph relationship type by type from one that is
// not; the answers are the same.
package query

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Engine answers queries over a graph. Its fields are its dependencies.
type Engine struct {
	Graph    kg.GraphStore    // required
	Explorer kg.GraphExplorer // required; usually the same value as Graph
	Search   kg.Searcher      // used by feeds with a query; may be nil
	Now      func() time.Time // the clock; nil means time.Now
}

// New returns an engine over g, which must also implement
// kg.GraphExplorer. It returns EUNAVAIL if it does not.
func New(g kg.GraphStore, s kg.Searcher) (*Engine, error) {
	ex, ok := g.(kg.GraphExplorer)
	if !ok {
		return nil, kg.Errorf(kg.EUNAVAIL, "the graph store %T cannot be explored node by node", g)
	}
	return &Engine{Graph: g, Explorer: ex, Search: s}, nil
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// snapshot is the part of the graph one query reads: some labels' nodes
// and some relationship types, indexed both ways.
type snapshot struct {
	nodes   map[string]kg.Node
	byLabel map[string][]kg.Node
	out     map[string][]kg.Relationship // by From
	in      map[string][]kg.Relationship // by To
	rels    map[string][]kg.Relationship // by type

	siteCluster map[string]string   // host → cluster node id, built on first use
	actors      map[string][]string // actorsOf by node id, filled as asked

	// topicMentions maps each document to its MENTIONS relationship to
	// the topic topicMentionsOf, built on first use by mentionOf.
	topicMentionsOf string
	topicMentions   map[string]*kg.Relationship

	// named maps each organisation to the documents that mention it and
	// the topic namedTopic; see namedOn.
	namedTopic string
	named      map[string][]string

	// aboutActors maps each actor to the ABOUT relationships to the topic
	// aboutActorsOf of the projects and events it is an actor of.
	aboutActorsOf string
	aboutActors   map[string][]kg.Relationship

	// togetherOf is the actor whose collaborations collabs and joint
	// index, by the other actor; see prepareTogether.
	togetherOf string
	collabs    map[string][]kg.Relationship
	joint      map[string][]kg.Node

	// net, when set, holds the network's edges and cluster weights read
	// as aggregates, in place of the relationships and mentions.
	net *networkAggregates
}

func newSnapshot() *snapshot {
	return &snapshot{
		nodes:   map[string]kg.Node{},
		byLabel: map[string][]kg.Node{},
		out:     map[string][]kg.Relationship{},
		in:      map[string][]kg.Relationship{},
		rels:    map[string][]kg.Relationship{},
	}
}

// addNodes adds nodes of one label, given in id order, that the snapshot
// does not hold yet.
func (s *snapshot) addNodes(label string, ns []kg.Node) {
	for _, n := range ns {
		if _, ok := s.nodes[n.ID]; ok {
			continue
		}
		s.nodes[n.ID] = n
		s.byLabel[label] = append(s.byLabel[label], n)
	}
}

// readNodes reads every node of the labels from x into s.
func (s *snapshot) readNodes(ctx context.Context, x kg.GraphExplorer, labels []string) error {
	for _, l := range labels {
		ns, err := x.Nodes(ctx, l)
		if err != nil {
			return fmt.Errorf("reading %s nodes: %w", l, err)
		}
		s.addNodes(l, ns)
	}
	return nil
}

// load reads the nodes with the given labels and the relationships of the
// given types.
func (e *Engine) load(ctx context.Context, labels, rels []string) (*snapshot, error) {
	s := newSnapshot()
	if err := s.readNodes(ctx, e.Explorer, labels); err != nil {
		return nil, err
	}
	byType := map[string][]kg.Relationship{}
	for _, r := range rels {
		rs, err := e.Explorer.Relationships(ctx, kg.RelFilter{Rel: r})
		if err != nil {
			return nil, fmt.Errorf("reading %s relationships: %w", r, err)
		}
		byType[r] = rs
	}
	s.addRels(rels, byType)
	return s, nil
}

// addRels adds the relationships of each type in types, each list in
// From, Rel, To order, as load does: type by type in the order of types.
func (s *snapshot) addRels(types []string, byType map[string][]kg.Relationship) {
	for _, t := range types {
		rs := byType[t]
		s.rels[t] = rs
		for _, rel := range rs {
			s.out[rel.From] = append(s.out[rel.From], rel)
			s.in[rel.To] = append(s.in[rel.To], rel)
		}
	}
}

// label returns the label of the node id, or "" if it was not loaded.
func (s *snapshot) label(id string) string { return s.nodes[id].Label }

// outTo returns id's outgoing relationships of type rel whose other end
// has the given label ("" for any).
func (s *snapshot) outTo(id, rel, label string) []kg.Relationship {
	var out []kg.Relationship
	for _, r := range s.out[id] {
		if r.Rel == rel && (label == "" || s.label(r.To) == label) {
			out = append(out, r)
		}
	}
	return out
}

// inFrom returns id's incoming relationships of type rel whose other end
// has the given label ("" for any).
func (s *snapshot) inFrom(id, rel, label string) []kg.Relationship {
	var out []kg.Relationship
	for _, r := range s.in[id] {
		if r.Rel == rel && (label == "" || s.label(r.From) == label) {
			out = append(out, r)
		}
	}
	return out
}

// Ref names a node: its id in the graph, its short id for addresses, its
// label and its display name.
type Ref struct {
	NodeID string // graph id, e.g. "cluster:vreta-kluster"
	ID     string // the id without its prefix, e.g. "vreta-kluster"
	Kind   string // KindCluster, KindTopic, ...
	Name   string
}

// Node kinds as the query answers name them: lower-case labels.
const (
	KindCluster      = "cluster"
	KindTopic        = "topic"
	KindOrganisation = "organisation"
	KindPerson       = "person"
	KindProject      = "project"
	KindEvent        = "event"
	KindCounty       = "county"
	KindSource       = "source"
	KindDocument     = "document"
)

// kindOfLabel maps node labels to kinds.
var kindOfLabel = map[string]string{
	kg.LabelCluster:      KindCluster,
	kg.LabelTopic:        KindTopic,
	kg.LabelOrganisation: KindOrganisation,
	kg.LabelPerson:       KindPerson,
	kg.LabelProject:      KindProject,
	kg.LabelEvent:        KindEvent,
	kg.LabelCounty:       KindCounty,
	kg.LabelSource:       KindSource,
	kg.LabelDocument:     KindDocument,
}

// labelOfKind maps kinds to node labels.
var labelOfKind = map[string]string{}

func init() {
	for l, k := range kindOfLabel {
		labelOfKind[k] = l
	}
}

// ShortID returns a graph id without its "label:" prefix.
func ShortID(nodeID string) string {
	if i := strings.IndexByte(nodeID, ':'); i >= 0 {
		return nodeID[i+1:]
	}
	return nodeID
}

// refOf names the node n.
func refOf(n kg.Node) Ref {
	name := n.Name
	if name == "" {
		name = ShortID(n.ID)
	}
	return Ref{NodeID: n.ID, ID: ShortID(n.ID), Kind: kindOfLabel[n.Label], Name: name}
}

// topicOf returns the topic of a topic node.
func topicOf(n kg.Node) kg.Topic {
	t, _ := kg.TopicFromNode(n)
	return t
}

// topicOrder returns the position of a topic node in the vocabulary.
func topicOrder(n kg.Node) int {
	_, o := kg.TopicFromNode(n)
	return o
}

// sortRefs orders refs by name, then id.
func sortRefs(refs []Ref) {
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].Name != refs[j].Name {
			return refs[i].Name < refs[j].Name
		}
		return refs[i].NodeID < refs[j].NodeID
	})
}

// mergeEvidence returns the evidence of all lists, one entry per document
// (the first seen), in kg.SortEvidence order.
func mergeEvidence(lists ...[]kg.Evidence) []kg.Evidence {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if n == 0 {
		return nil
	}
	out := make([]kg.Evidence, 0, n)
	// Short lists are searched; long ones remembered.
	var seen map[string]bool
	if n > 16 {
		seen = make(map[string]bool, n)
	}
	for _, l := range lists {
		for _, e := range l {
			if seen != nil {
				if seen[e.DocumentID] {
					continue
				}
				seen[e.DocumentID] = true
			} else if slices.ContainsFunc(out, func(x kg.Evidence) bool { return x.DocumentID == e.DocumentID }) {
				continue
			}
			out = append(out, e)
		}
	}
	kg.SortEvidence(out)
	return out
}

// newest returns the latest date of the evidence, or the zero time.
func newest(ev []kg.Evidence) time.Time {
	var t time.Time
	for _, e := range ev {
		if e.Date.After(t) {
			t = e.Date
		}
	}
	return t
}

// findTopic returns the topic node with the short id, or ENOTFOUND.
func findTopic(s *snapshot, id string) (kg.Node, error) {
	n, ok := s.nodes[kg.TopicNodeID(id)]
	if !ok || n.Label != kg.LabelTopic {
		return kg.Node{}, kg.Errorf(kg.ENOTFOUND, "topic %q not found", id)
	}
	return n, nil
}

// findCluster returns the cluster node with the short id, or ENOTFOUND.
func findCluster(s *snapshot, id string) (kg.Node, error) {
	n, ok := s.nodes[kg.ClusterNodeID(id)]
	if !ok || n.Label != kg.LabelCluster {
		return kg.Node{}, kg.Errorf(kg.ENOTFOUND, "cluster %q not found", id)
	}
	return n, nil
}
