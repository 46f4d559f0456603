package neo4j

// The benchmarks run against the database at NEO4J_URI, which they wipe.
// They load the shared benchmark graph of internal/graph/graphtest (more
// than 100,000 relationships; a minute or two, its rows/s are logged) once
// and then measure on it, as the embedded store's benchmark does:
//
//	eval "$(deploy/neo4j-test/neo4j-test.sh start)"
//	go test -run '^$' -bench Shared -benchtime 200x ./internal/graph/neo4j/
//	deploy/neo4j-test/neo4j-test.sh stop

import (
	"sync"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

var bench struct {
	sync.Mutex
	store *Store
}

// benchStore returns the store holding the benchmark graph, loading it on
// first use. The store stays open until the process ends.
func benchStore(b *testing.B) kg.GraphStore {
	bench.Lock()
	defer bench.Unlock()
	if bench.store != nil {
		return bench.store
	}
	s, err := Open(b.Context(), testConfig(b))
	if err != nil {
		b.Fatal(err)
	}
	wipe(b, s)
	graphtest.LoadBenchGraph(b, s)
	bench.store = s
	return s
}

// BenchmarkShared runs the benchmarks every graph store shares.
func BenchmarkShared(b *testing.B) { graphtest.Bench(b, benchStore) }
