package graphtest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
)

// Environment variables that size the large benchmark.
const (
	// EnvLargeScale is the fraction of the large graph to load, in (0, 1];
	// the default 1 is the full graph of 1,000,000+ relationships.
	EnvLargeScale = "KLUSTERKARTA_GRAPH_BENCH_SCALE"
	// EnvLargeWriters is the number of concurrent writers of the initial
	// load; the default is DefaultLargeWriters.
	EnvLargeWriters = "KLUSTERKARTA_GRAPH_BENCH_WRITERS"
)

// DefaultLargeWriters is how many writers load the large graph unless
// EnvLargeWriters says otherwise: as many as ingest runs by default.
const DefaultLargeWriters = 4

// LargeFromEnv returns the large graph and the number of writers that
// EnvLargeScale and EnvLargeWriters ask for. It returns an error naming a
// variable whose value is not a number in range.
func LargeFromEnv() (LargeGraph, int, error) {
	fraction, writers := 1.0, DefaultLargeWriters
	if v := os.Getenv(EnvLargeScale); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f > 0 && f <= 1) {
			return LargeGraph{}, 0, fmt.Errorf("%s=%q: want a fraction in (0, 1]", EnvLargeScale, v)
		}
		fraction = f
	}
	if v := os.Getenv(EnvLargeWriters); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 64 {
			return LargeGraph{}, 0, fmt.Errorf("%s=%q: want a number of writers from 1 to 64", EnvLargeWriters, v)
		}
		writers = n
	}
	return NewLargeGraph(fraction), writers, nil
}

// LargeLoad is what loading the large graph took.
type LargeLoad struct {
	Graph         LargeGraph
	Writers       int
	FactSets      int           // fact sets written, the registry's included
	Rows          int           // nodes plus edges of those fact sets
	Relationships int           // relationships the store holds afterwards
	Took          time.Duration // wall time of the writes
}

// RowsPerSecond is the load's throughput.
func (l LargeLoad) RowsPerSecond() float64 {
	if l.Took <= 0 {
		return 0
	}
	return float64(l.Rows) / l.Took.Seconds()
}

// LoadLarge writes g into the empty store s as ingest writes a crawl: the
// registry first, then one ReplaceFacts per document from writers
// concurrent writers, fed by one generator. It checks that the store then
// holds at least g.MinEdges() relationships.
func LoadLarge(ctx context.Context, s kg.GraphStore, g LargeGraph, writers int) (LargeLoad, error) {
	out := LargeLoad{Graph: g, Writers: writers}
	start := time.Now()
	reg := g.Registry()
	if _, err := s.ReplaceFacts(ctx, reg); err != nil {
		return out, fmt.Errorf("loading the registry: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A few fact sets ahead per writer keep the writers busy without
	// holding the whole graph in memory.
	work := make(chan kg.FactSet, 4*writers)
	go func() {
		defer close(work)
		for i := range g.Documents {
			select {
			case work <- g.Facts(i, 0):
			case <-ctx.Done():
				return
			}
		}
	}()
	var (
		wg    sync.WaitGroup
		rows  atomic.Int64
		once  sync.Once
		first error
	)
	for range writers {
		wg.Go(func() {
			for fs := range work {
				if _, err := s.ReplaceFacts(ctx, fs); err != nil {
					once.Do(func() { first = fmt.Errorf("loading %s: %w", fs.SourceID, err) })
					cancel()
					return
				}
				rows.Add(int64(benchRows(fs)))
			}
		})
	}
	wg.Wait()
	if first != nil {
		return out, first
	}
	out.Took = time.Since(start)
	out.FactSets = g.Documents + 1
	out.Rows = int(rows.Load()) + benchRows(reg)
	st, err := s.Stats(ctx)
	if err != nil {
		return out, fmt.Errorf("counting the loaded graph: %w", err)
	}
	for _, n := range st.Edges {
		out.Relationships += n
	}
	if out.Relationships < g.MinEdges() {
		return out, fmt.Errorf("the loaded graph has %d relationships, want at least %d", out.Relationships, g.MinEdges())
	}
	return out, nil
}

// LargeStore is a store holding the large graph, with how it was loaded.
type LargeStore struct {
	Store kg.GraphStore
	Load  LargeLoad
}

// BenchLarge runs the benchmarks of the large graph on the store that
// store returns, which must hold the graph LoadLarge wrote:
//
//   - Load reports the initial load (rows/s, seconds, writers, and the
//     relationships loaded); it does no work of its own;
//   - ReplaceFacts writes changed versions of documents (rows/s, p50/p99);
//   - TopicClusters, Cluster, Partners and Network report p50/p99 of
//     kg.GraphStore.TopicClusters, kg.GraphStore.Cluster, and the partner
//     finder and network map of internal/query, which read the graph
//     through kg.GraphExplorer.
//
// With a time -benchtime (the default 1s), slow queries run as often as
// fit; every sub-benchmark reports its number of operations as "ops".
func BenchLarge(b *testing.B, store func(b *testing.B) LargeStore) {
	b.Run("Load", func(b *testing.B) {
		l := store(b).Load
		b.ReportMetric(l.RowsPerSecond(), "rows/s")
		b.ReportMetric(l.Took.Seconds(), "s")
		b.ReportMetric(float64(l.Rows), "rows")
		b.ReportMetric(float64(l.Relationships), "rels")
		b.ReportMetric(float64(l.Writers), "writers")
		b.ReportMetric(0, "ns/op")
	})
	b.Run("ReplaceFacts", func(b *testing.B) {
		ls := store(b)
		ctx := b.Context()
		n, ops := 0, 0
		var lat latencies
		start := time.Now()
		for b.Loop() {
			i := pick(ls.Load.Graph.Documents, ops, 16)
			fs := ls.Load.Graph.Facts(i, int(benchVersion.Add(1)))
			t := time.Now()
			changed, err := ls.Store.ReplaceFacts(ctx, fs)
			lat = append(lat, time.Since(t))
			if err != nil || !changed {
				b.Fatalf("ReplaceFacts(%s) = %v, %v", fs.SourceID, changed, err)
			}
			n += benchRows(fs)
			ops++
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
		lat.report(b)
	})
	b.Run("TopicClusters", func(b *testing.B) {
		ls := store(b)
		timeOps(b, func(ctx context.Context, op int) error {
			cs, err := ls.Store.TopicClusters(ctx, topicID(op%BenchTopics))
			if err == nil && len(cs) == 0 {
				err = fmt.Errorf("no clusters")
			}
			return err
		})
	})
	b.Run("Cluster", func(b *testing.B) {
		ls := store(b)
		timeOps(b, func(ctx context.Context, op int) error {
			c, err := ls.Store.Cluster(ctx, clusterID(op%BenchClusters))
			if err == nil && len(c.Topics) == 0 {
				err = fmt.Errorf("no topics")
			}
			return err
		})
	})
	b.Run("Partners", func(b *testing.B) {
		e := engine(b, store(b).Store)
		timeOps(b, func(ctx context.Context, op int) error {
			res, err := e.Partners(ctx, query.PartnerRequest{Topic: topicID(op % BenchTopics), Cluster: clusterID(op % BenchClusters)})
			if err == nil && len(res.Partners) == 0 {
				err = fmt.Errorf("no partners")
			}
			return err
		})
	})
	b.Run("Network", func(b *testing.B) {
		e := engine(b, store(b).Store)
		timeOps(b, func(ctx context.Context, op int) error {
			n, err := e.Network(ctx, query.NetworkRequest{})
			if err == nil && (len(n.Nodes) == 0 || len(n.Edges) == 0) {
				err = fmt.Errorf("%d nodes, %d edges", len(n.Nodes), len(n.Edges))
			}
			return err
		})
	})
}

// engine returns the query engine over s.
func engine(b *testing.B, s kg.GraphStore) *query.Engine {
	e, err := query.New(s, nil)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// timeOps runs op once per benchmark iteration and reports the p50 and
// p99 latency and the number of operations.
func timeOps(b *testing.B, op func(ctx context.Context, op int) error) {
	ctx := b.Context()
	var lat latencies
	n := 0
	for b.Loop() {
		t := time.Now()
		err := op(ctx, n)
		lat = append(lat, time.Since(t))
		if err != nil {
			b.Fatalf("operation %d: %v", n, err)
		}
		n++
	}
	lat.report(b)
	b.ReportMetric(float64(n), "ops")
}

// LargeOnce loads the large graph once per test process and hands the
// same loaded store to every benchmark that asks for it.
type LargeOnce struct {
	mu     sync.Mutex
	loaded *LargeStore
}

// Store returns the loaded store. On first use it opens a store with open
// and loads the graph LargeFromEnv describes into it.
func (o *LargeOnce) Store(b *testing.B, open func(*testing.B) kg.GraphStore) LargeStore {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.loaded != nil {
		return *o.loaded
	}
	g, writers, err := LargeFromEnv()
	if err != nil {
		b.Fatal(err)
	}
	s := open(b)
	l, err := LoadLarge(b.Context(), s, g, writers)
	if err != nil {
		s.Close()
		b.Fatal(err)
	}
	b.Logf("loaded %d fact sets, %d rows, %d relationships in %v with %d writers: %.0f rows/s",
		l.FactSets, l.Rows, l.Relationships, l.Took, l.Writers, l.RowsPerSecond())
	o.loaded = &LargeStore{Store: s, Load: l}
	return *o.loaded
}

// Close closes the loaded store, if any.
func (o *LargeOnce) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.loaded == nil {
		return nil
	}
	return o.loaded.Store.Close()
}
