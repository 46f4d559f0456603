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
	"sync"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
)

var large struct {
	sync.Mutex
	store *graphtest.LargeStore
}

// largeStore returns a store in a temporary directory holding the large
// graph, loading it on first use. The directory is removed when the
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
	dir, err := os.MkdirTemp("", "klusterkarta-large-bench-")
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		os.RemoveAll(dir)
		b.Fatal(err)
	}
	l, err := graphtest.LoadLarge(b.Context(), s, g, writers)
	if err != nil {
		s.Close()
		os.RemoveAll(dir)
		b.Fatal(err)
	}
	b.Logf("loaded %d fact sets, %d rows, %d relationships in %v with %d writers: %.0f rows/s",
		l.FactSets, l.Rows, l.Relationships, l.Took, l.Writers, l.RowsPerSecond())
	large.store = &graphtest.LargeStore{Store: s, Load: l}
	largeDir = dir
	return *large.store
}

// largeDir is the data directory of the large store, removed by TestMain.
var largeDir string

// TestMain removes the large store's directory after the benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	if large.store != nil {
		large.store.Store.Close()
		os.RemoveAll(largeDir)
	}
	os.Exit(code)
}

// BenchmarkLarge runs graphtest's large graph benchmarks.
func BenchmarkLarge(b *testing.B) { graphtest.BenchLarge(b, largeStore) }
