package embedded

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

var _ kg.GraphExplorer = (*Store)(nil)

// Node implements kg.GraphExplorer.
func (s *Store) Node(ctx context.Context, id string) (kg.Node, error) {
	var out kg.Node
	err := s.read(ctx, func(a *aggregate) error {
		n, ok := a.node(id)
		if !ok {
			return kg.Errorf(kg.ENOTFOUND, "node %q not found", id)
		}
		out = cloneNode(n)
		return nil
	})
	if err != nil {
		return kg.Node{}, fmt.Errorf("reading node %q: %w", id, err)
	}
	return out, nil
}

// Nodes implements kg.GraphExplorer.
func (s *Store) Nodes(ctx context.Context, label string) ([]kg.Node, error) {
	var out []kg.Node
	err := s.read(ctx, func(a *aggregate) error {
		for _, n := range a.nodesLabelled(label) {
			out = append(out, cloneNode(n))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing %s nodes: %w", label, err)
	}
	return out, nil
}

// Relationships implements kg.GraphExplorer. A filter with From or To
// reads only that node's relationships; one with neither reads them all.
func (s *Store) Relationships(ctx context.Context, f kg.RelFilter) ([]kg.Relationship, error) {
	var out []kg.Relationship
	err := s.read(ctx, func(a *aggregate) error {
		for _, k := range a.matching(f) {
			out = append(out, a.relationship(k))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing relationships %s -[%s]-> %s: %w", f.From, f.Rel, f.To, err)
	}
	return out, nil
}

// matching returns the keys of the visible relationships that match f,
// ordered by From, Rel, To.
func (a *aggregate) matching(f kg.RelFilter) []edgeKey {
	var keys []edgeKey
	match := func(k edgeKey) {
		if (f.From == "" || k.From == f.From) && (f.Rel == "" || k.Rel == f.Rel) &&
			(f.To == "" || k.To == f.To) && a.visible(k) {
			keys = append(keys, k)
		}
	}
	switch {
	case f.From != "":
		for k := range a.out[f.From] {
			match(k)
		}
	case f.To != "":
		for k := range a.in[f.To] {
			match(k)
		}
	case f.Rel != "":
		for k := range a.byRel[f.Rel] {
			match(k)
		}
	default:
		for k := range a.edges {
			match(k)
		}
	}
	sortKeys(keys)
	return keys
}

// sortKeys orders relationship keys by From, Rel, To.
func sortKeys(keys []edgeKey) {
	slices.SortFunc(keys, func(x, y edgeKey) int {
		return cmp.Or(strings.Compare(x.From, y.From), strings.Compare(x.Rel, y.Rel), strings.Compare(x.To, y.To))
	})
}

// relationship builds the merged relationship k: its evidence, weight and
// the properties of the asserting source written most recently.
func (a *aggregate) relationship(k edgeKey) kg.Relationship {
	ev := a.evidence(k)
	return kg.Relationship{From: k.From, Rel: k.Rel, To: k.To, Evidence: ev, Weight: kg.EvidenceWeight(ev), Props: a.props(k)}
}

// props returns a copy of the properties the asserting source of k
// written most recently gave it, or nil.
func (a *aggregate) props(k edgeKey) map[string]string {
	if p := a.edges[k].latest; len(p) > 0 {
		return maps.Clone(p)
	}
	return nil
}

// latestProps returns the properties the asserting source of k written
// most recently gave it, or nil: what the aggregate keeps for props.
func (a *aggregate) latestProps(k edgeKey) map[string]string {
	es := a.edges[k]
	if len(es.props) == 0 {
		return nil
	}
	var latest uint64
	latestSource := ""
	for id := range es.snippets {
		src := a.sources[id]
		if src == nil {
			continue
		}
		if latestSource == "" || src.seq > latest {
			latest, latestSource = src.seq, id
		}
	}
	if p := es.props[latestSource]; len(p) > 0 {
		return p
	}
	return nil
}

// summary builds the relationship k without its evidence: the weight the
// aggregate keeps and the number of asserting sources that are documents.
func (a *aggregate) summary(k edgeKey) kg.RelationshipSummary {
	es := a.edges[k]
	return kg.RelationshipSummary{From: k.From, Rel: k.Rel, To: k.To, Props: a.props(k), Weight: es.weight, Documents: es.docs}
}

// cloneNode returns n with its own copy of the properties.
func cloneNode(n kg.Node) kg.Node {
	n.Props = maps.Clone(n.Props)
	return n
}

var _ kg.NeighbourhoodReader = (*Store)(nil)

// NodesByID implements kg.NeighbourhoodReader.
func (s *Store) NodesByID(ctx context.Context, ids []string) ([]kg.Node, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var out []kg.Node
	err := s.read(ctx, func(a *aggregate) error {
		for _, id := range ids {
			if n, ok := a.node(id); ok {
				out = append(out, cloneNode(n))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading %d nodes: %w", len(ids), err)
	}
	return out, nil
}

// RelationshipsAround implements kg.NeighbourhoodReader.
func (s *Store) RelationshipsAround(ctx context.Context, ids []string, rels []string) ([]kg.Relationship, error) {
	var out []kg.Relationship
	err := s.read(ctx, func(a *aggregate) error {
		seen := map[edgeKey]bool{}
		var keys []edgeKey
		add := func(set map[edgeKey]struct{}) {
			for k := range set {
				if !seen[k] && (len(rels) == 0 || slices.Contains(rels, k.Rel)) && a.visible(k) {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		for _, id := range ids {
			add(a.out[id])
			add(a.in[id])
		}
		sortKeys(keys)
		out = make([]kg.Relationship, 0, len(keys))
		for _, k := range keys {
			out = append(out, a.relationship(k))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing relationships around %d nodes: %w", len(ids), err)
	}
	return out, nil
}

// RelationshipSummaries implements kg.NeighbourhoodReader. The answer is
// made once per change of the graph.
func (s *Store) RelationshipSummaries(ctx context.Context, rel string, labels []string) ([]kg.RelationshipSummary, error) {
	var out []kg.RelationshipSummary
	err := s.read(ctx, func(a *aggregate) error {
		sums := a.summariesOf(rel, labels)
		out = make([]kg.RelationshipSummary, len(sums))
		for i, r := range sums {
			r.Props = maps.Clone(r.Props)
			out[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("summing up %s relationships: %w", rel, err)
	}
	return out, nil
}

// summariesOf returns the answer of RelationshipSummaries, made anew if
// the graph changed since it was last made. Callers hold the store's read
// lock and must not change the answer.
func (a *aggregate) summariesOf(rel string, labels []string) []kg.RelationshipSummary {
	key := rel + "\x00" + strings.Join(labels, "\x00")
	a.cacheMu.Lock()
	defer a.cacheMu.Unlock()
	a.fresh()
	if out, ok := a.summaries[key]; ok {
		return out
	}
	var keys []edgeKey
	for k := range a.byRel[rel] {
		from, to := a.label(k.From), a.label(k.To)
		if from == "" || to == "" {
			continue
		}
		if len(labels) > 0 && (!slices.Contains(labels, from) || !slices.Contains(labels, to)) {
			continue
		}
		keys = append(keys, k)
	}
	sortKeys(keys)
	out := make([]kg.RelationshipSummary, 0, len(keys))
	for _, k := range keys {
		out = append(out, a.summary(k))
	}
	a.summaries[key] = out
	return out
}

// MentionedWith implements kg.NeighbourhoodReader.
func (s *Store) MentionedWith(ctx context.Context, id, label string) ([]kg.Mention, error) {
	var out []kg.Mention
	err := s.read(ctx, func(a *aggregate) error {
		if a.label(id) == "" {
			return nil
		}
		// A mention is visible when its other end has a label.
		for k := range a.in[id] {
			if k.Rel != kg.RelMentions || a.label(k.From) != kg.LabelDocument {
				continue
			}
			for m := range a.out[k.From] {
				if m.Rel == kg.RelMentions && m.To != id && a.label(m.To) == label {
					out = append(out, kg.Mention{Document: m.From, Node: m.To})
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing what the documents on %q mention: %w", id, err)
	}
	slices.SortFunc(out, func(x, y kg.Mention) int {
		return cmp.Or(strings.Compare(x.Document, y.Document), strings.Compare(x.Node, y.Node))
	})
	return out, nil
}

// CoMentions implements kg.NeighbourhoodReader. The answer is counted
// once per change of the graph.
func (s *Store) CoMentions(ctx context.Context, labelA, labelB string) ([]kg.CoMention, error) {
	var out []kg.CoMention
	err := s.read(ctx, func(a *aggregate) error {
		out = slices.Clone(a.coMentionsOf(labelA, labelB))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("counting documents that mention a %s and a %s: %w", labelA, labelB, err)
	}
	return out, nil
}

// coMentionsOf returns the answer of CoMentions, counting it if the graph
// changed since it was last counted. Callers hold the store's read lock
// and must not change the answer.
func (a *aggregate) coMentionsOf(labelA, labelB string) []kg.CoMention {
	a.cacheMu.Lock()
	defer a.cacheMu.Unlock()
	a.fresh()
	key := [2]string{labelA, labelB}
	if out, ok := a.coMentions[key]; ok {
		return out
	}
	out := a.countCoMentions(labelA, labelB)
	a.coMentions[key] = out
	return out
}

// fresh forgets the answers made before the last change of the graph.
// Callers hold cacheMu.
func (a *aggregate) fresh() {
	if a.cacheGen != a.gen || a.coMentions == nil {
		a.cacheGen = a.gen
		a.coMentions = map[[2]string][]kg.CoMention{}
		a.summaries = map[string][]kg.RelationshipSummary{}
	}
}

// countCoMentions counts what CoMentions answers.
func (a *aggregate) countCoMentions(labelA, labelB string) []kg.CoMention {
	counts := map[[2]string]int{}
	var as, bs []string
	for id, ns := range a.nodes {
		if ns.node.Label != kg.LabelDocument {
			continue
		}
		as, bs = as[:0], bs[:0]
		for k := range a.out[id] {
			if k.Rel != kg.RelMentions {
				continue
			}
			// The document exists, so the mention is visible if its
			// other end has a label.
			l := a.label(k.To)
			if l == labelA {
				as = append(as, k.To)
			}
			if l == labelB {
				bs = append(bs, k.To)
			}
		}
		for _, x := range as {
			for _, y := range bs {
				if x != y {
					counts[[2]string{x, y}]++
				}
			}
		}
	}
	out := make([]kg.CoMention, 0, len(counts))
	for p, n := range counts {
		out = append(out, kg.CoMention{A: p[0], B: p[1], Documents: n})
	}
	slices.SortFunc(out, func(x, y kg.CoMention) int {
		return cmp.Or(strings.Compare(x.A, y.A), strings.Compare(x.B, y.B))
	})
	return out
}

// label returns the label of the node id, or "" if no source declares it.
func (a *aggregate) label(id string) string {
	if ns, ok := a.nodes[id]; ok {
		return ns.node.Label
	}
	return ""
}
