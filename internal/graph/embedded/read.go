package embedded

import (
	"sort"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The read models, computed from the aggregate. Every function here is
// called with the store's read lock held and returns values that share no
// memory with the aggregate.

// evidence returns the evidence for the relationship k: one entry per
// asserting source that is a Document node, in kg.SortEvidence order.
func (a *aggregate) evidence(k edgeKey) []kg.Evidence {
	es := a.edges[k]
	if es == nil {
		return nil
	}
	ids := make([]string, 0, len(es.snippets))
	for id := range es.snippets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []kg.Evidence
	for _, id := range ids {
		n, ok := a.node(id)
		if !ok || n.Label != kg.LabelDocument {
			continue
		}
		out = append(out, kg.EvidenceFromNode(n, es.snippets[id]))
	}
	kg.SortEvidence(out)
	return out
}

// weight computes kg.EvidenceWeight of the evidence for k, and the number
// of its documents, without building the full evidence: only the document
// ids and kinds count. Reads use the weight and count the aggregate keeps
// up to date with it.
func (a *aggregate) weight(k edgeKey) (float64, int) {
	es := a.edges[k]
	if es == nil {
		return 0, 0
	}
	ev := make([]kg.Evidence, 0, len(es.snippets))
	for id := range es.snippets {
		if n, ok := a.node(id); ok && n.Label == kg.LabelDocument {
			ev = append(ev, kg.Evidence{DocumentID: n.ID, Kind: n.Props[kg.PropKind]})
		}
	}
	return kg.EvidenceWeight(ev), len(ev)
}

// linked returns the visible relationships of type rel that end at (in)
// or start from (out) the node id, whose other end has the given label.
func (a *aggregate) linked(idx map[string]map[edgeKey]struct{}, id, rel, otherLabel string) []edgeKey {
	var out []edgeKey
	for k := range idx[id] {
		if k.Rel != rel || !a.visible(k) {
			continue
		}
		other := k.From
		if other == id {
			other = k.To
		}
		if n, _ := a.node(other); n.Label != otherLabel {
			continue
		}
		out = append(out, k)
	}
	return out
}

// clusterTopics returns the topics the cluster node works on, strongest
// first, ties by topic id, with their evidence if withEvidence is set.
func (a *aggregate) clusterTopics(clusterNodeID string, withEvidence bool) []kg.TopicWeight {
	var out []kg.TopicWeight
	for _, k := range a.linked(a.out, clusterNodeID, kg.RelWorksOn, kg.LabelTopic) {
		n, _ := a.node(k.To)
		t, _ := kg.TopicFromNode(n)
		tw := kg.TopicWeight{TopicID: t.ID, SV: t.SV, EN: t.EN}
		if withEvidence {
			tw.Evidence = a.evidence(k)
			tw.Weight = kg.EvidenceWeight(tw.Evidence)
		} else {
			tw.Weight = a.edges[k].weight
		}
		out = append(out, tw)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Weight != out[j].Weight {
			return out[i].Weight > out[j].Weight
		}
		return out[i].TopicID < out[j].TopicID
	})
	return out
}

// clusterDetail builds the detail of the cluster node n; without evidence,
// its Topics carry none.
func (a *aggregate) clusterDetail(n kg.Node, withEvidence bool) kg.ClusterDetail {
	c := kg.ClusterFromNode(n)
	topics := a.clusterTopics(n.ID, withEvidence)
	var topTopics []kg.TopicWeight
	for i, t := range topics {
		if i == 3 {
			break
		}
		t.Evidence = nil
		topTopics = append(topTopics, t)
	}
	return kg.ClusterDetail{
		ClusterSummary: kg.ClusterSummary{
			ID:        c.ID,
			Name:      c.Name,
			County:    c.County,
			Sites:     c.Sites,
			Documents: len(a.linked(a.in, n.ID, kg.RelMentions, kg.LabelDocument)),
			TopTopics: topTopics,
		},
		Aliases:     c.Aliases,
		Town:        c.Town,
		Description: c.Description,
		Topics:      topics,
	}
}

// nodesLabelled returns the nodes with the given label, by id.
func (a *aggregate) nodesLabelled(label string) []kg.Node {
	var out []kg.Node
	for id := range a.byLabel[label] {
		out = append(out, a.nodes[id].node)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (a *aggregate) clusters() []kg.ClusterSummary {
	out := []kg.ClusterSummary{}
	for _, n := range a.nodesLabelled(kg.LabelCluster) {
		out = append(out, a.clusterDetail(n, false).ClusterSummary)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func (a *aggregate) cluster(id string) (kg.ClusterDetail, error) {
	n, ok := a.node(kg.ClusterNodeID(id))
	if !ok || n.Label != kg.LabelCluster {
		return kg.ClusterDetail{}, kg.Errorf(kg.ENOTFOUND, "cluster %q not found", id)
	}
	return a.clusterDetail(n, true), nil
}

func (a *aggregate) topics() []kg.TopicSummary {
	type ordered struct {
		kg.TopicSummary
		order int
	}
	var list []ordered
	for _, n := range a.nodesLabelled(kg.LabelTopic) {
		t, order := kg.TopicFromNode(n)
		list = append(list, ordered{
			TopicSummary: kg.TopicSummary{
				Topic:     t,
				Clusters:  len(a.linked(a.in, n.ID, kg.RelWorksOn, kg.LabelCluster)),
				Documents: len(a.linked(a.in, n.ID, kg.RelMentions, kg.LabelDocument)),
			},
			order: order,
		})
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].order != list[j].order {
			return list[i].order < list[j].order
		}
		return list[i].ID < list[j].ID
	})
	out := make([]kg.TopicSummary, len(list))
	for i, t := range list {
		out[i] = t.TopicSummary
	}
	return out
}

func (a *aggregate) topicClusters(topicID string) ([]kg.ClusterStrength, error) {
	id := kg.TopicNodeID(topicID)
	if n, ok := a.node(id); !ok || n.Label != kg.LabelTopic {
		return nil, kg.Errorf(kg.ENOTFOUND, "topic %q not found", topicID)
	}
	out := []kg.ClusterStrength{}
	for _, k := range a.linked(a.in, id, kg.RelWorksOn, kg.LabelCluster) {
		n, _ := a.node(k.From)
		c := kg.ClusterFromNode(n)
		ev := a.evidence(k)
		out = append(out, kg.ClusterStrength{
			ClusterID: c.ID, Name: c.Name, County: c.County,
			Weight: kg.EvidenceWeight(ev), Evidence: ev,
		})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Weight != out[j].Weight {
			return out[i].Weight > out[j].Weight
		}
		return out[i].ClusterID < out[j].ClusterID
	})
	return out, nil
}

func (a *aggregate) stats() kg.GraphStats {
	st := kg.GraphStats{Nodes: map[string]int{}, Edges: map[string]int{}}
	for _, ns := range a.nodes {
		st.Nodes[ns.node.Label]++
	}
	for k := range a.edges {
		if a.visible(k) {
			st.Edges[k.Rel]++
		}
	}
	return st
}
