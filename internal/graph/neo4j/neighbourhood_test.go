package neo4j

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
)

// explorerOnly hides every method of a store but those of
// kg.GraphExplorer.
type explorerOnly struct{ kg.GraphExplorer }

// TestNeighbourhoodReader checks the aggregate reads against the
// explorer's on a share of the large benchmark graph, and that the
// partner finder and the network map answer the same with them as
// without.
func TestNeighbourhoodReader(t *testing.T) {
	s := MustOpenEmpty(t)
	ctx := context.Background()
	g := graphtest.NewLargeGraph(0.003)
	if _, err := graphtest.LoadLarge(ctx, s, g, 2); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < g.Documents; i += 5 {
		if _, err := s.ReplaceFacts(ctx, g.Facts(i, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RetractFacts(ctx, g.Facts(3, 0).SourceID); err != nil {
		t.Fatal(err)
	}
	graphtest.NeighbourhoodMatchesExplorer(t, s)

	now := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	fast := &query.Engine{Graph: s, Explorer: s, Now: now}
	plain := &query.Engine{Graph: s, Explorer: explorerOnly{s}, Now: now}
	compared := 0
	for _, req := range []query.PartnerRequest{
		{Topic: "amne-00", Cluster: "kluster-00"},
		{Topic: "amne-03", Cluster: "kluster-01"},
		{Topic: "amne-07"},
	} {
		got, err := fast.Partners(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		want, err := plain.Partners(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		compared += len(want.Partners)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Partners(%+v) differs without aggregates: %d partners, want %d", req, len(got.Partners), len(want.Partners))
		}
	}
	if compared == 0 {
		t.Error("no partners to compare")
	}
	for _, req := range []query.NetworkRequest{{}, {Topic: "amne-02"}, {County: "Län 1", Kinds: query.NetworkKinds}} {
		got, err := fast.Network(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		want, err := plain.Network(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Edges) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("Network(%+v) differs without aggregates: %d nodes, %d edges; want %d, %d",
				req, len(got.Nodes), len(got.Edges), len(want.Nodes), len(want.Edges))
		}
	}
}
