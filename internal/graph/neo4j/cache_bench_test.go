package neo4j

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/query"
)

// repeatVersion numbers the document versions BenchmarkLargeRepeat
// writes, far above those of the other benchmarks so that every write
// changes the graph.
var repeatVersion atomic.Int64

// BenchmarkLargeRepeat measures the partner finder and the network map
// on the large graph (see large_bench_test.go) twice per iteration: first
// right after a write has changed the graph, then again with no write in
// between, as a page that several users open between two crawls asks.
// It reports the medians of both as first-ms and again-ms:
//
//	go test -run '^$' -bench LargeRepeat -benchtime 5x ./internal/graph/neo4j/
func BenchmarkLargeRepeat(b *testing.B) {
	cases := []struct {
		name string
		op   func(ctx context.Context, e *query.Engine, n int) error
	}{
		{"Partners", func(ctx context.Context, e *query.Engine, n int) error {
			req := query.PartnerRequest{Topic: fmt.Sprintf("amne-%02d", n%3), Cluster: fmt.Sprintf("kluster-%02d", n%3)}
			res, err := e.Partners(ctx, req)
			if err == nil && len(res.Partners) == 0 {
				err = fmt.Errorf("Partners(%+v): no partners", req)
			}
			return err
		}},
		{"Network", func(ctx context.Context, e *query.Engine, _ int) error {
			res, err := e.Network(ctx, query.NetworkRequest{Kinds: query.NetworkKinds})
			if err == nil && len(res.Edges) == 0 {
				err = fmt.Errorf("Network: no edges")
			}
			return err
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ls := largeStore(b)
			e, err := query.New(ls.Store, nil)
			if err != nil {
				b.Fatal(err)
			}
			ctx := b.Context()
			// One call first, so that neither figure pays for a cold
			// database.
			if err := c.op(ctx, e, 0); err != nil {
				b.Fatal(err)
			}
			var first, again []time.Duration
			n := 0
			for b.Loop() {
				fs := ls.Load.Graph.Facts(n%ls.Load.Graph.Documents, int(1_000_000+repeatVersion.Add(1)))
				if changed, err := ls.Store.ReplaceFacts(ctx, fs); err != nil || !changed {
					b.Fatalf("ReplaceFacts(%s) = %v, %v", fs.SourceID, changed, err)
				}
				for _, lat := range []*[]time.Duration{&first, &again} {
					t := time.Now()
					if err := c.op(ctx, e, n); err != nil {
						b.Fatal(err)
					}
					*lat = append(*lat, time.Since(t))
				}
				n++
			}
			b.ReportMetric(median(first), "first-ms")
			b.ReportMetric(median(again), "again-ms")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// median returns the median of ds in milliseconds.
func median(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	return float64(s[(len(s)-1)/2].Microseconds()) / 1000
}
