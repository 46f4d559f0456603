package graphtest

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// NeighbourhoodMatchesExplorer checks that a store's kg.NeighbourhoodReader
// answers equal what its kg.GraphExplorer methods give for the same
// questions, over every node and relationship type of the graph it holds.
func NeighbourhoodMatchesExplorer(t testing.TB, nb kg.NeighbourhoodReader) {
	t.Helper()
	ctx := context.Background()
	labels := map[string]string{}
	var all []kg.Node
	for _, l := range []string{kg.LabelCluster, kg.LabelTopic, kg.LabelOrganisation, kg.LabelPerson,
		kg.LabelProject, kg.LabelEvent, kg.LabelDocument, kg.LabelCounty, kg.LabelSite} {
		ns, err := nb.Nodes(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			labels[n.ID] = l
		}
		all = append(all, ns...)
	}
	slices.SortFunc(all, func(a, b kg.Node) int { return strings.Compare(a.ID, b.ID) })
	ids := []string{"no:such-node"}
	for _, n := range all {
		ids = append(ids, n.ID, n.ID)
	}
	got, err := nb.NodesByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, all) {
		t.Errorf("NodesByID gives %d nodes, want the %d of Nodes", len(got), len(all))
	}

	var rels []kg.Relationship
	byRel := map[string][]kg.Relationship{}
	for _, rel := range []string{kg.RelMentions, kg.RelWorksOn, kg.RelAbout, kg.RelTakesPartIn, kg.RelOwnedBy,
		kg.RelFunds, kg.RelOrganisedBy, kg.RelCollaboratesWith, kg.RelWorksAt, kg.RelLeads} {
		rs, err := nb.Relationships(ctx, kg.RelFilter{Rel: rel})
		if err != nil {
			t.Fatal(err)
		}
		byRel[rel] = rs
		rels = append(rels, rs...)
		for _, only := range [][]string{nil, {kg.LabelCluster, kg.LabelOrganisation, kg.LabelProject}} {
			sums, err := nb.RelationshipSummaries(ctx, rel, only)
			if err != nil {
				t.Fatal(err)
			}
			var want []kg.RelationshipSummary
			for _, r := range rs {
				if len(only) > 0 && (!slices.Contains(only, labels[r.From]) || !slices.Contains(only, labels[r.To])) {
					continue
				}
				want = append(want, kg.RelationshipSummary{From: r.From, Rel: r.Rel, To: r.To, Props: r.Props, Weight: r.Weight, Documents: len(r.Evidence)})
			}
			if len(sums) != len(want) || (len(want) > 0 && !reflect.DeepEqual(sums, want)) {
				t.Errorf("RelationshipSummaries(%s, %v) differs from Relationships: %d, want %d", rel, only, len(sums), len(want))
			}
		}
	}
	if len(byRel[kg.RelMentions]) == 0 {
		t.Fatal("no mentions to compare")
	}

	var around []string
	for i, n := range all {
		if i%3 == 0 {
			around = append(around, n.ID)
		}
	}
	types := []string{kg.RelMentions, kg.RelTakesPartIn, kg.RelOrganisedBy, kg.RelCollaboratesWith}
	gotRels, err := nb.RelationshipsAround(ctx, append(around, "no:such-node"), types)
	if err != nil {
		t.Fatal(err)
	}
	var wantRels []kg.Relationship
	for _, r := range rels {
		if slices.Contains(types, r.Rel) && (slices.Contains(around, r.From) || slices.Contains(around, r.To)) {
			wantRels = append(wantRels, r)
		}
	}
	slices.SortStableFunc(wantRels, func(a, b kg.Relationship) int {
		return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.Rel, b.Rel), strings.Compare(a.To, b.To))
	})
	if len(wantRels) == 0 || !reflect.DeepEqual(gotRels, wantRels) {
		t.Errorf("RelationshipsAround gives %d relationships, want %d", len(gotRels), len(wantRels))
	}

	mentions := map[string][]string{} // document → what it mentions
	for _, r := range byRel[kg.RelMentions] {
		if labels[r.From] == kg.LabelDocument {
			mentions[r.From] = append(mentions[r.From], r.To)
		}
	}
	topics, err := nb.Nodes(ctx, kg.LabelTopic)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, tp := range topics {
		var want []kg.Mention
		for doc, ms := range mentions {
			if !slices.Contains(ms, tp.ID) {
				continue
			}
			for _, m := range ms {
				if labels[m] == kg.LabelOrganisation {
					want = append(want, kg.Mention{Document: doc, Node: m})
				}
			}
		}
		slices.SortFunc(want, func(x, y kg.Mention) int {
			return cmp.Or(strings.Compare(x.Document, y.Document), strings.Compare(x.Node, y.Node))
		})
		got, err := nb.MentionedWith(ctx, tp.ID, kg.LabelOrganisation)
		if err != nil {
			t.Fatal(err)
		}
		seen += len(want)
		if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("MentionedWith(%s) gives %d mentions, want %d", tp.ID, len(got), len(want))
		}
	}
	if seen == 0 {
		t.Error("no organisation is named on a topic")
	}

	counts := map[[2]string]int{}
	for _, ms := range mentions {
		for _, a := range ms {
			for _, b := range ms {
				if a != b && labels[a] == kg.LabelCluster && labels[b] == kg.LabelOrganisation {
					counts[[2]string{a, b}]++
				}
			}
		}
	}
	var want []kg.CoMention
	for p, n := range counts {
		want = append(want, kg.CoMention{A: p[0], B: p[1], Documents: n})
	}
	slices.SortFunc(want, func(x, y kg.CoMention) int {
		return cmp.Or(strings.Compare(x.A, y.A), strings.Compare(x.B, y.B))
	})
	co, err := nb.CoMentions(ctx, kg.LabelCluster, kg.LabelOrganisation)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 || !reflect.DeepEqual(co, want) {
		t.Errorf("CoMentions gives %d pairs, want %d", len(co), len(want))
	}
}
