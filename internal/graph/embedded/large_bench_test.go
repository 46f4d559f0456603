package embedded

// The large graph benchmark: graphtest's generated graph of 10,000
// organisations and 1,000,000+ relationships, loaded once per process and
// then queried, as the Neo4j store's BenchmarkLarge does on the same graph:
//
//	go test -run '^$' -bench Large -benchtime 5s ./internal/graph/embedded/
//
// KLUSTERKARTA_GRAPH_BENCH_SCALE=0.1 loads a tenth of the graph;
// KLUSTERKARTA_GRAPH_BENCH_WRITERS sets the writers of the load (4).
// bench/graph/run.sh runs both stores and prints the table.

import (
	"os"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

var large graphtest.LargeOnce

// largeDir is the data directory of the large store, removed by TestMain.
var largeDir string

// largeStore returns a store in a temporary directory holding the large
// graph, loading it on first use.
func largeStore(b *testing.B) graphtest.LargeStore {
	return large.Store(b, func(b *testing.B) kg.GraphStore {
		dir, err := os.MkdirTemp("", "klusterkarta-large-bench-")
		if err != nil {
			b.Fatal(err)
		}
		largeDir = dir
		s, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}

// TestMain removes the large store's directory after the benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	large.Close()
	if largeDir != "" {
		os.RemoveAll(largeDir)
	}
	os.Exit(code)
}

// BenchmarkLarge runs graphtest's large graph benchmarks.
func BenchmarkLarge(b *testing.B) { graphtest.BenchLarge(b, largeStore) }
