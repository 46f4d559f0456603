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
	"sync"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
)

// largeTimeout bounds one call of the large benchmark: reading the whole
// network of a million relationships takes longer than DefaultTimeout.
const largeTimeout = 30 * time.Minute

var large struct {
	sync.Mutex
	store *graphtest.LargeStore
}

// largeStore returns the store holding the large graph, loading it into
// the emptied database on first use. The store stays open until the
// process ends.
func largeStore(b *testing.B) graphtest.LargeStore {
	large.Lock()
	defer large.Unlock()
	if large.store != nil {
		return *large.store
	}
	g, writers, err := graphtest.LargeFromEnv()
	if err != nil {
		b.Fatal(err)
	}
	cfg := testConfig(b)
	cfg.Timeout = largeTimeout
	s, err := Open(b.Context(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	wipe(b, s)
	l, err := graphtest.LoadLarge(b.Context(), s, g, writers)
	if err != nil {
		s.Close()
		b.Fatal(err)
	}
	b.Logf("loaded %d fact sets, %d rows, %d relationships in %v with %d writers: %.0f rows/s",
		l.FactSets, l.Rows, l.Relationships, l.Took, l.Writers, l.RowsPerSecond())
	large.store = &graphtest.LargeStore{Store: s, Load: l}
	return *large.store
}

// BenchmarkLarge runs graphtest's large graph benchmarks.
func BenchmarkLarge(b *testing.B) { graphtest.BenchLarge(b, largeStore) }
