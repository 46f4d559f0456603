package query

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// When the store is a kg.NeighbourhoodReader, the partner finder and the
// network map read only the part of the graph their answer depends on,
// and the counts the store can make itself, into a snapshot that answers
// every question they ask as the snapshot of the whole graph would.

// partial collects the relationships and nodes of a partial snapshot.
type partial struct {
	nb     kg.NeighbourhoodReader
	s      *snapshot
	labels []string // the labels whose nodes the snapshot may hold
	rels   map[kg.RelFilter]kg.Relationship

	// extraIDs are nodes to read besides the ends of rels.
	extraIDs []string
}

func newPartial(nb kg.NeighbourhoodReader, labels []string) *partial {
	return &partial{nb: nb, s: newSnapshot(), labels: labels, rels: map[kg.RelFilter]kg.Relationship{}}
}

// nodes reads every node of the labels.
func (p *partial) nodes(ctx context.Context, labels ...string) error {
	return p.s.readNodes(ctx, p.nb, labels)
}

// around reads the relationships of the types rels at the nodes ids.
func (p *partial) around(ctx context.Context, ids []string, rels ...string) error {
	if len(ids) == 0 {
		return nil
	}
	rs, err := p.nb.RelationshipsAround(ctx, ids, rels)
	if err != nil {
		return fmt.Errorf("reading %s relationships around %d nodes: %w", strings.Join(rels, ", "), len(ids), err)
	}
	for _, r := range rs {
		p.rels[kg.RelFilter{From: r.From, Rel: r.Rel, To: r.To}] = r
	}
	return nil
}

// finish reads the nodes at the ends of the relationships that the
// snapshot lacks and whose label it may hold, makes the relationships of
// types read so far those of the snapshot, in load order, and returns the
// snapshot. It may be called again after more reads.
func (p *partial) finish(ctx context.Context, types []string) (*snapshot, error) {
	if err := p.ends(ctx); err != nil {
		return nil, err
	}
	p.s.out = map[string][]kg.Relationship{}
	p.s.in = map[string][]kg.Relationship{}
	p.s.rels = map[string][]kg.Relationship{}
	p.s.actors = nil
	p.s.addRels(types, p.byType())
	return p.s, nil
}

// ends reads the nodes at the ends of the relationships read so far that
// the snapshot lacks and whose label it may hold.
func (p *partial) ends(ctx context.Context) error {
	var ids []string
	for _, id := range p.extraIDs {
		if _, ok := p.s.nodes[id]; !ok {
			ids = append(ids, id)
		}
	}
	for k := range p.rels {
		for _, id := range []string{k.From, k.To} {
			if _, ok := p.s.nodes[id]; !ok {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) > 0 {
		ns, err := p.nb.NodesByID(ctx, ids)
		if err != nil {
			return fmt.Errorf("reading %d nodes: %w", len(ids), err)
		}
		for _, n := range ns {
			if slices.Contains(p.labels, n.Label) {
				p.s.addNodes(n.Label, []kg.Node{n})
			}
		}
		for l, list := range p.s.byLabel {
			slices.SortFunc(list, func(a, b kg.Node) int { return strings.Compare(a.ID, b.ID) })
			p.s.byLabel[l] = list
		}
	}
	return nil
}

// byType returns the relationships read so far by type, each type's in
// From, To order.
func (p *partial) byType() map[string][]kg.Relationship {
	byType := map[string][]kg.Relationship{}
	for _, r := range p.rels {
		byType[r.Rel] = append(byType[r.Rel], r)
	}
	for _, list := range byType {
		slices.SortFunc(list, func(a, b kg.Relationship) int {
			return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.To, b.To))
		})
	}
	return byType
}

// partnerSnapshot reads what the partner finder needs for the topic and
// the asking cluster (short ids; either may be unknown, which the finder
// then reports): every cluster, topic, project and event; the topic's
// WORKS_ON, ABOUT and MENTIONS relationships; the documents that mention
// projects and events (without the evidence of those mentions, which the
// finder does not read); the relationships that make actors of the
// projects and events about the topic or of the asking cluster; the
// asking cluster's collaborations; and the organisations that the
// documents on the topic mention, with those documents.
func partnerSnapshot(ctx context.Context, nb kg.NeighbourhoodReader, topic, cluster string) (*snapshot, error) {
	p := newPartial(nb, partnerLabels)
	if err := p.nodes(ctx, kg.LabelCluster, kg.LabelTopic); err != nil {
		return nil, err
	}
	tid := kg.TopicNodeID(topic)
	if p.s.label(tid) != kg.LabelTopic {
		return p.s, nil
	}
	if err := p.nodes(ctx, kg.LabelProject, kg.LabelEvent); err != nil {
		return nil, err
	}
	if err := p.around(ctx, []string{tid}, kg.RelWorksOn, kg.RelAbout, kg.RelMentions); err != nil {
		return nil, err
	}
	// Whatever is about the topic is a project or an event as a rule, but
	// its actors are read whatever it is. The clusters whose own sites
	// describe a project or event are actors of it, so the mentions of
	// every project and event are read; the links that make other actors
	// only for those about the topic and those the asking cluster is an
	// actor of.
	var about, work []string
	for k := range p.rels {
		if k.Rel == kg.RelAbout && k.To == tid {
			about = append(about, k.From)
		}
	}
	for _, l := range []string{kg.LabelProject, kg.LabelEvent} {
		for _, n := range p.s.byLabel[l] {
			work = append(work, n.ID)
		}
	}
	var other []string
	for _, id := range about {
		if l := p.s.label(id); l != kg.LabelProject && l != kg.LabelEvent {
			other = append(other, id)
		}
	}
	if err := p.around(ctx, other, kg.RelMentions); err != nil {
		return nil, err
	}
	// Only the documents of the mentions of projects and events count,
	// not their evidence.
	sums, err := nb.RelationshipSummaries(ctx, kg.RelMentions, []string{kg.LabelDocument, kg.LabelProject, kg.LabelEvent})
	if err != nil {
		return nil, fmt.Errorf("reading the mentions of projects and events: %w", err)
	}
	for _, r := range sums {
		k := kg.RelFilter{From: r.From, Rel: r.Rel, To: r.To}
		if _, ok := p.rels[k]; !ok {
			p.rels[k] = kg.Relationship{From: r.From, Rel: r.Rel, To: r.To, Props: r.Props, Weight: r.Weight}
		}
	}
	actorRels := []string{kg.RelTakesPartIn, kg.RelFunds, kg.RelOwnedBy, kg.RelOrganisedBy}
	if cid := kg.ClusterNodeID(cluster); cluster != "" && p.s.label(cid) == kg.LabelCluster {
		if err := p.around(ctx, []string{cid}, append(slices.Clone(actorRels), kg.RelCollaboratesWith)...); err != nil {
			return nil, err
		}
		// The asking cluster is an actor of a project or event if its
		// site describes it or a link makes it one, and both are read.
		s, err := p.finish(ctx, partnerRels)
		if err != nil {
			return nil, err
		}
		for _, id := range work {
			if slices.Contains(s.actorsOf(id), cid) {
				about = append(about, id)
			}
		}
	}
	if err := p.around(ctx, about, actorRels...); err != nil {
		return nil, err
	}
	var ms []kg.Mention
	ms, err = nb.MentionedWith(ctx, tid, kg.LabelOrganisation)
	if err != nil {
		return nil, fmt.Errorf("reading the organisations named on topic %q: %w", topic, err)
	}
	for _, m := range ms {
		p.extraIDs = append(p.extraIDs, m.Document, m.Node)
	}
	s, err := p.finish(ctx, partnerRels)
	if err != nil {
		return nil, err
	}
	// What the documents on the topic name, as namedOn finds it in the
	// mentions of the whole graph.
	s.namedTopic, s.named = tid, map[string][]string{}
	for _, m := range ms {
		if s.label(m.Document) == kg.LabelDocument && s.label(m.Node) == kg.LabelOrganisation {
			s.named[m.Node] = append(s.named[m.Node], m.Document)
		}
	}
	return s, nil
}

// networkAggregates is what the network map reads as aggregates.
type networkAggregates struct {
	edges       []NetworkEdge  // every drawable edge, as networkEdges gives them
	clusterDocs map[string]int // documents that mention each cluster node
}

// networkSnapshot reads what the network map of req needs: the nodes of
// the kinds it shows and those its filters look at, the drawable
// relationships without their evidence, the counts of documents naming a
// cluster and an organisation together and of documents naming each
// cluster, and, with a topic, the mentions of the projects and events
// about it, whose actors the filter asks for.
func (e *Engine) networkSnapshot(ctx context.Context, nb kg.NeighbourhoodReader, req NetworkRequest) (*snapshot, error) {
	want := map[string]bool{}
	for _, k := range req.Kinds {
		want[labelOfKind[k]] = true
	}
	filtered := req.Topic != "" || req.County != ""
	labels := []string{kg.LabelCluster, kg.LabelTopic}
	for _, l := range []string{kg.LabelOrganisation, kg.LabelProject, kg.LabelEvent, kg.LabelPerson, kg.LabelCounty} {
		if want[l] || (filtered && (l == kg.LabelProject || l == kg.LabelEvent)) {
			labels = append(labels, l)
		}
	}
	p := newPartial(nb, labels)
	if err := p.nodes(ctx, labels...); err != nil {
		return nil, err
	}
	agg := &networkAggregates{clusterDocs: map[string]int{}}
	byType := map[string][]kg.Relationship{}
	// Each type's edges, and the derived ones, come in source, target
	// order: runs to merge.
	var runs [][]NetworkEdge
	for _, rel := range networkRels {
		sums, err := nb.RelationshipSummaries(ctx, rel, labels)
		if err != nil {
			return nil, fmt.Errorf("reading %s relationships: %w", rel, err)
		}
		run := make([]NetworkEdge, 0, len(sums))
		for _, r := range sums {
			run = append(run, NetworkEdge{Source: r.From, Target: r.To, Rel: r.Rel,
				Weight: max(r.Weight, 1), Evidence: r.Documents, Props: r.Props})
			// The filters look the relationships up; without them, only
			// the topics' weights do.
			if filtered || rel == kg.RelWorksOn {
				byType[rel] = append(byType[rel], kg.Relationship{From: r.From, Rel: r.Rel, To: r.To, Props: r.Props, Weight: r.Weight})
			}
		}
		runs = append(runs, run)
	}
	p.s.addRels(networkRels, byType)
	if want[kg.LabelOrganisation] {
		co, err := nb.CoMentions(ctx, kg.LabelCluster, kg.LabelOrganisation)
		if err != nil {
			return nil, fmt.Errorf("counting documents that name a cluster and an organisation: %w", err)
		}
		run := make([]NetworkEdge, 0, len(co))
		for _, c := range co {
			run = append(run, NetworkEdge{Source: c.A, Target: c.B, Rel: RelMentionedWith,
				Weight: float64(c.Documents), Evidence: c.Documents})
		}
		runs = append(runs, run)
	}
	agg.edges = mergeRuns(runs)
	cs, err := e.Graph.Clusters(ctx)
	if err != nil {
		return nil, fmt.Errorf("counting the clusters' documents: %w", err)
	}
	for _, c := range cs {
		agg.clusterDocs[c.ID] = c.Documents
	}
	p.s.net = agg
	if tid := kg.TopicNodeID(req.Topic); req.Topic != "" && p.s.label(tid) == kg.LabelTopic {
		// The filter asks for the actors of the projects and events about
		// the topic, whose own sites describe them.
		var about []string
		for _, r := range p.s.inFrom(tid, kg.RelAbout, "") {
			about = append(about, r.From)
		}
		if err := p.around(ctx, about, kg.RelMentions); err != nil {
			return nil, err
		}
		p.labels = append(p.labels, kg.LabelDocument)
		if err := p.ends(ctx); err != nil {
			return nil, err
		}
		p.s.addRels([]string{kg.RelMentions}, p.byType())
	}
	return p.s, nil
}

// mergeRuns merges runs of edges, each in source, target order and of one
// rel, into one list in source, rel, target order.
func mergeRuns(runs [][]NetworkEdge) []NetworkEdge {
	for len(runs) > 1 {
		var next [][]NetworkEdge
		for i := 0; i < len(runs); i += 2 {
			if i+1 == len(runs) {
				next = append(next, runs[i])
				continue
			}
			next = append(next, mergeTwo(runs[i], runs[i+1]))
		}
		runs = next
	}
	if len(runs) == 0 {
		return nil
	}
	return runs[0]
}

// mergeTwo merges two lists in source, rel, target order.
func mergeTwo(a, b []NetworkEdge) []NetworkEdge {
	out := make([]NetworkEdge, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if compareEdges(b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}
