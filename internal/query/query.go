// Package query answers the questions Klusterkarta's users come with,
// on any graph store: partners for a cluster on a topic, clusters with a
// similar topic profile, the network map with its county, heat map and gap
// views, the events calendar, the newest documents for a feed, the digest
// of what is new, and the exports of the network as GraphML, CSV and
// JSON-LD.
//
// Every answer is built only on kg.GraphStore, kg.GraphExplorer and
// kg.Searcher, so it is the same on every backend.
package query

import (
	"context"
	"fmt"
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
}

// load reads the nodes with the given labels and the relationships of the
// given types.
func (e *Engine) load(ctx context.Context, labels, rels []string) (*snapshot, error) {
	s := &snapshot{
		nodes:   map[string]kg.Node{},
		byLabel: map[string][]kg.Node{},
		out:     map[string][]kg.Relationship{},
		in:      map[string][]kg.Relationship{},
		rels:    map[string][]kg.Relationship{},
	}
	for _, l := range labels {
		ns, err := e.Explorer.Nodes(ctx, l)
		if err != nil {
			return nil, fmt.Errorf("reading %s nodes: %w", l, err)
		}
		s.byLabel[l] = ns
		for _, n := range ns {
			s.nodes[n.ID] = n
		}
	}
	for _, r := range rels {
		rs, err := e.Explorer.Relationships(ctx, kg.RelFilter{Rel: r})
		if err != nil {
			return nil, fmt.Errorf("reading %s relationships: %w", r, err)
		}
		s.rels[r] = rs
		for _, rel := range rs {
			s.out[rel.From] = append(s.out[rel.From], rel)
			s.in[rel.To] = append(s.in[rel.To], rel)
		}
	}
	return s, nil
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
	seen := map[string]bool{}
	var out []kg.Evidence
	for _, l := range lists {
		for _, e := range l {
			if seen[e.DocumentID] {
				continue
			}
			seen[e.DocumentID] = true
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
