package neo4j

// The large graph benchmark against the database at NEO4J_URI, which it
// wipes: graphtest's generated graph of 10,000 organisations and
// 1,000,000+ relationships, loaded once per process and then queried, as
// the embedded store's BenchmarkLarge does on the same graph:
//
//	eval "$(deploy/neo4j-test/neo4j-test.sh start)"
//	go test -run '^$' -bench Large -benchtime 5s -timeout 2h ./internal/graph/neo4j/
//	deploy/neo4j-test/neo4j-test.sh stop
//
// KLUSTERKARTA_GRAPH_BENCH_SCALE=0.1 loads a tenth of the graph;
// KLUSTERKARTA_GRAPH_BENCH_WRITERS sets the writers of the load (4).
// bench/graph/run.sh runs both stores and prints the table.

import (
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// largeTimeout bounds one call of the large benchmark: reading the whole
// network of a million relationships takes longer than DefaultTimeout.
const largeTimeout = 30 * time.Minute

var large graphtest.LargeOnce

// largeStore returns the store holding the large graph, loading it into
// the emptied database on first use. The store stays open until the
// process ends.
func largeStore(b *testing.B) graphtest.LargeStore {
	return large.Store(b, func(b *testing.B) kg.GraphStore {
		cfg := testConfig(b)
		cfg.Timeout = largeTimeout
		s, err := Open(b.Context(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		wipe(b, s)
		return s
	})
}

// BenchmarkLarge runs graphtest's large graph benchmarks.
func BenchmarkLarge(b *testing.B) { graphtest.BenchLarge(b, largeStore) }
