package embedded

import (
	"context"
	"fmt"
	"maps"
	"sort"

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
	default:
		for k := range a.edges {
			match(k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		x, y := keys[i], keys[j]
		if x.From != y.From {
			return x.From < y.From
		}
		if x.Rel != y.Rel {
			return x.Rel < y.Rel
		}
		return x.To < y.To
	})
	return keys
}

// relationship builds the merged relationship k: its evidence, weight and
// the properties of the asserting source written most recently.
func (a *aggregate) relationship(k edgeKey) kg.Relationship {
	es := a.edges[k]
	ev := a.evidence(k)
	r := kg.Relationship{From: k.From, Rel: k.Rel, To: k.To, Evidence: ev, Weight: kg.EvidenceWeight(ev)}
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
		r.Props = maps.Clone(p)
	}
	return r
}

// cloneNode returns n with its own copy of the properties.
func cloneNode(n kg.Node) kg.Node {
	n.Props = maps.Clone(n.Props)
	return n
}
