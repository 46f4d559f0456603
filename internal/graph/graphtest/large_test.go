package graphtest

import (
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// census counts what the large graph's fact sets declare and assert:
// distinct nodes by label and distinct relationships by type, and the
// relationships with an end no fact set declares.
func census(g LargeGraph) (nodes, edges map[string]int, dangling int) {
	declared := map[string]string{}
	type key struct{ from, rel, to string }
	rels := map[key]bool{}
	add := func(fs kg.FactSet) {
		for _, n := range fs.Nodes {
			declared[n.ID] = n.Label
		}
		for _, e := range fs.Edges {
			rels[key{e.From, e.Rel, e.To}] = true
		}
	}
	add(g.Registry())
	for i := range g.Documents {
		add(g.Facts(i, 0))
	}
	nodes, edges = map[string]int{}, map[string]int{}
	for _, l := range declared {
		nodes[l]++
	}
	for k := range rels {
		if declared[k.from] == "" || declared[k.to] == "" {
			dangling++
			continue
		}
		edges[k.rel]++
	}
	return nodes, edges, dangling
}

func TestLargeGraph(t *testing.T) {
	tests := []struct {
		name     string
		fraction float64
	}{
		{"tenth", 0.1},
		{"full", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fraction == 1 && (testing.Short() || raceEnabled) {
				t.Skip("the full graph takes seconds to generate, minutes under the race detector: run without -short and -race")
			}
			g := NewLargeGraph(tt.fraction)
			nodes, edges, dangling := census(g)
			total := 0
			for _, n := range edges {
				total += n
			}
			t.Logf("%+v: nodes %v; relationships %v (%d)", g, nodes, edges, total)
			if dangling != 0 {
				t.Errorf("%d relationships have an undeclared end", dangling)
			}
			if total < g.MinEdges() {
				t.Errorf("%d relationships, want at least %d", total, g.MinEdges())
			}
			if nodes[kg.LabelOrganisation] != g.Organisations {
				t.Errorf("%d organisations, want %d", nodes[kg.LabelOrganisation], g.Organisations)
			}
			for _, rel := range []string{kg.RelWorksOn, kg.RelMentions, kg.RelWorksAt, kg.RelCollaboratesWith,
				kg.RelTakesPartIn, kg.RelOwnedBy, kg.RelFunds, kg.RelLeads, kg.RelAbout, kg.RelOrganisedBy, kg.RelPublishedOn} {
				if edges[rel] == 0 {
					t.Errorf("no %s relationships", rel)
				}
			}
		})
	}
}

func TestLargeGraphDeterministic(t *testing.T) {
	g := NewLargeGraph(0.01)
	for _, i := range []int{0, 1, 5, 35, g.Documents - 1} {
		a, b := g.Facts(i, 0), g.Facts(i, 0)
		if a.Hash != b.Hash {
			t.Errorf("document %d: hashes %s and %s of two generations differ", i, a.Hash, b.Hash)
		}
		if c := g.Facts(i, 1); c.Hash == a.Hash {
			t.Errorf("document %d: version 1 has the hash of version 0", i)
		}
	}
}
