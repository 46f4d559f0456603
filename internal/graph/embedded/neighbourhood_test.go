package embedded

import (
	"context"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
)

// TestNeighbourhoodReader checks the aggregate reads against the
// explorer's on a share of the large benchmark graph, after changed and
// removed pages.
func TestNeighbourhoodReader(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	g := graphtest.NewLargeGraph(0.005)
	if _, err := graphtest.LoadLarge(ctx, s, g, 2); err != nil {
		t.Fatal(err)
	}
	graphtest.NeighbourhoodMatchesExplorer(t, s)
	// The counts kept between changes follow the changes.
	for i := 0; i < g.Documents; i += 5 {
		if _, err := s.ReplaceFacts(ctx, g.Facts(i, 1)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 2; i < g.Documents; i += 7 {
		if _, err := s.RetractFacts(ctx, g.Facts(i, 0).SourceID); err != nil {
			t.Fatal(err)
		}
	}
	graphtest.NeighbourhoodMatchesExplorer(t, s)
}
