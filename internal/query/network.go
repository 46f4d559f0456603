package query

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// RelMentionedWith is the derived relationship of the network between a
// cluster and an organisation that the same documents name; its weight is
// the number of those documents.
const RelMentionedWith = "MENTIONED_WITH"

// NetworkKinds lists the node kinds the network can show, in legend order.
var NetworkKinds = []string{KindCluster, KindTopic, KindOrganisation, KindProject, KindEvent, KindPerson, KindCounty}

// DefaultNetworkKinds are the kinds shown when none are asked for.
var DefaultNetworkKinds = []string{KindCluster, KindTopic, KindOrganisation, KindProject, KindEvent}

// networkRels are the relationship types the network draws.
var networkRels = []string{
	kg.RelWorksOn, kg.RelCollaboratesWith, kg.RelOrganisedBy, kg.RelAbout, kg.RelTakesPartIn,
	kg.RelOwnedBy, kg.RelFunds, kg.RelWorksAt, kg.RelLeads, kg.RelLocatedIn,
}

// NetworkRequest selects part of the network; empty fields select all.
type NetworkRequest struct {
	Topic  string   // only clusters working on this topic id, and what links to them
	County string   // only clusters in this county, and what links to them
	Kinds  []string // node kinds to show; nil means DefaultNetworkKinds
}

// Validate checks the kinds and fills the default. It returns EINVALID
// naming an unknown kind.
func (r *NetworkRequest) Validate() error {
	if len(r.Kinds) == 0 {
		r.Kinds = slices.Clone(DefaultNetworkKinds)
		return nil
	}
	for _, k := range r.Kinds {
		if !slices.Contains(NetworkKinds, k) {
			return kg.Errorf(kg.EINVALID, "kind %q is not one of %s", k, strings.Join(NetworkKinds, ", "))
		}
	}
	return nil
}

// Network is a part of the graph as nodes and weighted edges.
type Network struct {
	Nodes []NetworkNode // by kind in NetworkKinds order, then name
	Edges []NetworkEdge // by source, rel, target
}

// NetworkNode is one node of the network.
type NetworkNode struct {
	Ref
	County string  // clusters: their county
	Weight float64 // clusters: documents; topics: clusters; others: degree
	Degree int     // edges in this network
}

// NetworkEdge is one relationship of the network.
type NetworkEdge struct {
	Source   string // node id
	Target   string // node id
	Rel      string
	Weight   float64 // evidence weight, or the number of documents for RelMentionedWith; at least 1
	Evidence int     // documents that support it
	Props    map[string]string
}

// Network returns the nodes of the requested kinds and the relationships
// among them. With a topic or county filter it keeps the clusters that
// pass it and the nodes linked to them (projects and events only if they
// are about the topic), and the topic itself rather than every topic.
// Returns EINVALID for an unknown kind and ENOTFOUND for an unknown topic.
func (e *Engine) Network(ctx context.Context, req NetworkRequest) (Network, error) {
	if err := req.Validate(); err != nil {
		return Network{}, err
	}
	var s *snapshot
	var err error
	if nb, ok := e.Explorer.(kg.NeighbourhoodReader); ok {
		s, err = e.networkSnapshot(ctx, nb, req)
	} else {
		s, err = e.load(ctx, []string{
			kg.LabelCluster, kg.LabelTopic, kg.LabelOrganisation, kg.LabelProject, kg.LabelEvent,
			kg.LabelPerson, kg.LabelCounty, kg.LabelDocument,
		}, append(slices.Clone(networkRels), kg.RelMentions))
	}
	if err != nil {
		return Network{}, fmt.Errorf("building the network: %w", err)
	}
	return s.network(req)
}

func (s *snapshot) network(req NetworkRequest) (Network, error) {
	topicID := ""
	if req.Topic != "" {
		tn, err := findTopic(s, req.Topic)
		if err != nil {
			return Network{}, err
		}
		topicID = tn.ID
	}
	edges := s.networkEdges()

	keep := map[string]bool{}
	filtered := topicID != "" || req.County != ""
	for _, c := range s.byLabel[kg.LabelCluster] {
		if req.County != "" && c.Props[kg.PropCounty] != req.County {
			continue
		}
		if topicID != "" && !s.hasRel(c.ID, kg.RelWorksOn, topicID) && !s.linkedViaTopic(c.ID, topicID) {
			continue
		}
		keep[c.ID] = true
	}
	want := map[string]bool{}
	for _, k := range req.Kinds {
		want[labelOfKind[k]] = true
	}
	if filtered {
		if topicID != "" {
			keep[topicID] = true
		}
		// One hop from the kept clusters, two for people via projects.
		for _, e := range edges {
			for _, pair := range [][2]string{{e.Source, e.Target}, {e.Target, e.Source}} {
				from, to := pair[0], pair[1]
				if !keep[from] || s.label(from) != kg.LabelCluster || keep[to] {
					continue
				}
				l := s.label(to)
				switch {
				case l == kg.LabelCluster, l == kg.LabelTopic && topicID != "":
					continue
				case (l == kg.LabelProject || l == kg.LabelEvent) && topicID != "" && !s.about(to, topicID):
					continue
				}
				keep[to] = true
			}
		}
		for _, e := range edges {
			if e.Rel == kg.RelLeads && keep[e.Target] && s.label(e.Target) == kg.LabelProject {
				keep[e.Source] = true
			}
		}
	}

	var net Network
	index := map[string]int{}
	for _, k := range NetworkKinds {
		l := labelOfKind[k]
		if !want[l] {
			continue
		}
		var list []NetworkNode
		for _, n := range s.byLabel[l] {
			if !filtered || keep[n.ID] {
				list = append(list, NetworkNode{Ref: refOf(n), County: n.Props[kg.PropCounty]})
			}
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Name != list[j].Name {
				return list[i].Name < list[j].Name
			}
			return list[i].NodeID < list[j].NodeID
		})
		for _, n := range list {
			index[n.NodeID] = len(net.Nodes)
			net.Nodes = append(net.Nodes, n)
		}
	}
	for _, e := range edges {
		i, ok1 := index[e.Source]
		j, ok2 := index[e.Target]
		if !ok1 || !ok2 || i == j {
			continue
		}
		net.Edges = append(net.Edges, e)
		net.Nodes[i].Degree++
		net.Nodes[j].Degree++
	}
	for i := range net.Nodes {
		n := &net.Nodes[i]
		switch {
		case n.Kind == KindCluster && s.net != nil:
			n.Weight = float64(s.net.clusterDocs[kg.ClusterFromNode(s.nodes[n.NodeID]).ID])
		case n.Kind == KindCluster:
			n.Weight = float64(len(s.inFrom(n.NodeID, kg.RelMentions, kg.LabelDocument)))
		case n.Kind == KindTopic:
			n.Weight = float64(len(s.inFrom(n.NodeID, kg.RelWorksOn, kg.LabelCluster)))
		default:
			n.Weight = float64(n.Degree)
		}
	}
	return net, nil
}

// about reports whether a project or event is about the topic.
func (s *snapshot) about(id, topic string) bool { return s.hasRel(id, kg.RelAbout, topic) }

// hasRel reports whether the relationship from -[rel]-> to was loaded.
func (s *snapshot) hasRel(from, rel, to string) bool {
	for _, r := range s.out[from] {
		if r.Rel == rel && r.To == to {
			return true
		}
	}
	return false
}

// linkedViaTopic reports whether the cluster takes part in, owns or
// organises a project or event about the topic.
func (s *snapshot) linkedViaTopic(cluster, topic string) bool {
	for _, r := range s.inFrom(topic, kg.RelAbout, "") {
		if slices.Contains(s.actorsOf(r.From), cluster) {
			return true
		}
	}
	return false
}

// networkEdges returns every drawable relationship plus the derived
// MENTIONED_WITH edges, ordered by source, rel, target.
func (s *snapshot) networkEdges() []NetworkEdge {
	if s.net != nil {
		return s.net.edges
	}
	var out []NetworkEdge
	for _, rel := range networkRels {
		for _, r := range s.rels[rel] {
			w := r.Weight
			if w < 1 {
				w = 1
			}
			out = append(out, NetworkEdge{Source: r.From, Target: r.To, Rel: r.Rel, Weight: w, Evidence: len(r.Evidence), Props: r.Props})
		}
	}
	// Clusters and organisations named by the same documents.
	co := map[[2]string]int{}
	for _, org := range s.byLabel[kg.LabelOrganisation] {
		for _, m := range s.inFrom(org.ID, kg.RelMentions, kg.LabelDocument) {
			for _, c := range s.outTo(m.From, kg.RelMentions, kg.LabelCluster) {
				co[[2]string{c.To, org.ID}]++
			}
		}
	}
	for k, n := range co {
		out = append(out, NetworkEdge{Source: k[0], Target: k[1], Rel: RelMentionedWith, Weight: float64(n), Evidence: n})
	}
	sortNetworkEdges(out)
	return out
}

// sortNetworkEdges orders edges by source, rel, target.
func sortNetworkEdges(edges []NetworkEdge) { slices.SortFunc(edges, compareEdges) }

// compareEdges orders edges by source, rel, target.
func compareEdges(a, b NetworkEdge) int {
	return cmp.Or(strings.Compare(a.Source, b.Source), strings.Compare(a.Rel, b.Rel), strings.Compare(a.Target, b.Target))
}
