package embedded

// The embedded store's benchmarks run on graphtest's shared benchmark graph
// (more than 100,000 relationships), the same graph the Neo4j store's
// benchmarks use:
//
//	go test -run '^$' -bench . -benchtime 200x ./internal/graph/embedded/

import (
	"os"
	"sync"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

var shared struct {
	sync.Mutex
	dir   string
	store *Store
}

// sharedStore returns a store holding graphtest's shared benchmark graph,
// loading it on first use.
func sharedStore(b *testing.B) kg.GraphStore {
	shared.Lock()
	defer shared.Unlock()
	if shared.store != nil {
		return shared.store
	}
	dir, err := os.MkdirTemp("", "klusterkarta-bench-")
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	graphtest.LoadBenchGraph(b, s)
	shared.dir, shared.store = dir, s
	return s
}

// BenchmarkShared runs the benchmarks every graph store shares.
func BenchmarkShared(b *testing.B) { graphtest.Bench(b, sharedStore) }

// BenchmarkOpen measures opening a data directory that holds the benchmark
// graph: the store rebuilds its in-memory view from disk.
func BenchmarkOpen(b *testing.B) {
	sharedStore(b)
	shared.Lock()
	defer shared.Unlock()
	if err := shared.store.Close(); err != nil {
		b.Fatal(err)
	}
	shared.store = nil
	for b.Loop() {
		s, err := Open(shared.dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	os.RemoveAll(shared.dir)
}
