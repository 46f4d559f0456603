package embedded

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The benchmark graph: the size of a full crawl of the Swedish list.
const (
	benchDocs     = 2000
	benchClusters = 17
	benchTopics   = 20
)

func benchRegistry() kg.FactSet {
	var reg kg.Registry
	for i := range benchClusters {
		reg.Clusters = append(reg.Clusters, kg.Cluster{
			ID: fmt.Sprintf("kluster-%02d", i), Name: fmt.Sprintf("Kluster %02d", i),
			County: fmt.Sprintf("Län %d", i%8), Sites: []string{fmt.Sprintf("https://k%02d.example/", i)},
		})
	}
	var topics []kg.Topic
	for i := range benchTopics {
		topics = append(topics, kg.Topic{ID: fmt.Sprintf("amne-%02d", i), SV: fmt.Sprintf("Ämne %d", i), EN: fmt.Sprintf("Topic %d", i)})
	}
	return kg.RegistryFacts(reg, topics)
}

// benchDoc returns document i in version v: one or two clusters and two to
// five topics, varying with i and v.
func benchDoc(i, v int) kg.Document {
	host := fmt.Sprintf("k%02d.example", i%benchClusters)
	url := fmt.Sprintf("https://%s/sida/%d", host, i)
	d := kg.Document{
		ID: kg.DocumentID(url), URL: url, Host: host, Title: fmt.Sprintf("Sida %d", i),
		Kind: kg.Kinds[(i+v)%len(kg.Kinds)], Lang: "sv",
		Date:        time.Date(2020+i%5, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
		Clusters:    []string{fmt.Sprintf("kluster-%02d", i%benchClusters)},
		ContentHash: fmt.Sprintf("%d-%d", i, v),
	}
	if i%3 == 0 {
		d.Clusters = append(d.Clusters, fmt.Sprintf("kluster-%02d", (i+5)%benchClusters))
	}
	for j := range 2 + (i+v)%4 {
		t := (i*7 + j*3 + v) % benchTopics
		d.Topics = append(d.Topics, kg.TopicMatch{
			TopicID: fmt.Sprintf("amne-%02d", t), Snippet: fmt.Sprintf("Stycke %d om ämne %d.", i, t), Count: 1,
		})
	}
	return d
}

// loadBench writes the registry and every benchmark document into a new
// store in dir in one transaction, as a long series of ReplaceFacts would
// have left it, and opens the store.
func loadBench(tb testing.TB, dir string) *Store {
	tb.Helper()
	MustOpen(tb, dir).Close()
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(factsBucket)
		put := func(fs kg.FactSet) error {
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			data, err := json.Marshal(record{Seq: seq, Facts: fs})
			if err != nil {
				return err
			}
			return b.Put([]byte(fs.SourceID), data)
		}
		if err := put(benchRegistry()); err != nil {
			return err
		}
		for i := range benchDocs {
			if err := put(kg.DocumentFacts(benchDoc(i, 0))); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatal(err)
	}
	s := MustOpen(tb, dir)
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestBenchGraph(t *testing.T) {
	s := loadBench(t, t.TempDir())
	stats, err := s.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Nodes[kg.LabelDocument] != benchDocs || stats.Nodes[kg.LabelCluster] != benchClusters ||
		stats.Nodes[kg.LabelTopic] != benchTopics || stats.Edges[kg.RelWorksOn] == 0 {
		t.Fatalf("benchmark graph is not the intended size: %+v", stats)
	}
}

func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	loadBench(b, dir).Close()
	b.ResetTimer()
	for b.Loop() {
		s := MustOpen(b, dir)
		s.Close()
	}
}

func BenchmarkReplaceFacts(b *testing.B) {
	s := loadBench(b, b.TempDir())
	ctx := b.Context()
	i := 0
	for b.Loop() {
		// Each write changes a document to its next version.
		d := benchDoc(i%benchDocs, 1+i/benchDocs)
		changed, err := s.ReplaceFacts(ctx, kg.DocumentFacts(d))
		if err != nil || !changed {
			b.Fatalf("ReplaceFacts = %v, %v", changed, err)
		}
		i++
	}
}

func BenchmarkReplaceFactsUnchanged(b *testing.B) {
	s := loadBench(b, b.TempDir())
	ctx := b.Context()
	i := 0
	for b.Loop() {
		changed, err := s.ReplaceFacts(ctx, kg.DocumentFacts(benchDoc(i%benchDocs, 0)))
		if err != nil || changed {
			b.Fatalf("ReplaceFacts = %v, %v", changed, err)
		}
		i++
	}
}

func BenchmarkTopicClusters(b *testing.B) {
	s := loadBench(b, b.TempDir())
	ctx := b.Context()
	i := 0
	for b.Loop() {
		cs, err := s.TopicClusters(ctx, fmt.Sprintf("amne-%02d", i%benchTopics))
		if err != nil || len(cs) == 0 {
			b.Fatalf("TopicClusters = %d clusters, %v", len(cs), err)
		}
		i++
	}
}

func BenchmarkClusters(b *testing.B) {
	s := loadBench(b, b.TempDir())
	ctx := b.Context()
	for b.Loop() {
		cs, err := s.Clusters(ctx)
		if err != nil || len(cs) != benchClusters {
			b.Fatalf("Clusters = %d clusters, %v", len(cs), err)
		}
	}
}

var shared struct {
	sync.Mutex
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
	shared.store = s
	return s
}

// BenchmarkShared runs the benchmarks every graph store shares, on the
// same generated graph as the Neo4j store's:
//
//	go test -run '^$' -bench Shared -benchtime 200x ./internal/graph/embedded/
func BenchmarkShared(b *testing.B) { graphtest.Bench(b, sharedStore) }
