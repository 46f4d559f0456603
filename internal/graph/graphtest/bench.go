package graphtest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The shared benchmark graph: the registry's size, and documents that each
// mention many people, so that it holds more than 100,000 relationships.
// Every store loads the same graph, so their figures compare.
const (
	BenchClusters     = 17
	BenchTopics       = 20
	BenchDocs         = 2200
	BenchPeople       = 20000
	BenchPeoplePerDoc = 40
	BenchMinEdges     = 100_000
)

// BenchRegistry returns the registry fact set of the benchmark graph.
func BenchRegistry() kg.FactSet {
	var reg kg.Registry
	for i := range BenchClusters {
		reg.Clusters = append(reg.Clusters, kg.Cluster{
			ID: fmt.Sprintf("kluster-%02d", i), Name: fmt.Sprintf("Kluster %02d", i),
			County: fmt.Sprintf("Län %d", i%8), Sites: []string{fmt.Sprintf("https://k%02d.example/", i)},
		})
	}
	var topics []kg.Topic
	for i := range BenchTopics {
		topics = append(topics, kg.Topic{ID: fmt.Sprintf("amne-%02d", i), SV: fmt.Sprintf("Ämne %d", i), EN: fmt.Sprintf("Topic %d", i)})
	}
	return kg.RegistryFacts(reg, topics)
}

// BenchFacts returns the fact set of benchmark document i in version v:
// one or two clusters, four to seven topics and BenchPeoplePerDoc people,
// varying with i and v.
func BenchFacts(i, v int) kg.FactSet {
	host := fmt.Sprintf("k%02d.example", i%BenchClusters)
	url := fmt.Sprintf("https://%s/sida/%d", host, i)
	d := kg.Document{
		ID: kg.DocumentID(url), URL: url, Host: host, Title: fmt.Sprintf("Sida %d", i),
		Kind: kg.Kinds[(i+v)%len(kg.Kinds)], Lang: "sv",
		Date:        time.Date(2020+i%5, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
		Clusters:    []string{fmt.Sprintf("kluster-%02d", i%BenchClusters)},
		ContentHash: fmt.Sprintf("%d-%d", i, v),
	}
	if i%2 == 0 {
		d.Clusters = append(d.Clusters, fmt.Sprintf("kluster-%02d", (i+5)%BenchClusters))
	}
	for j := range 4 + (i+v)%4 {
		t := (i*7 + j*3 + v) % BenchTopics
		d.Topics = append(d.Topics, kg.TopicMatch{
			TopicID: fmt.Sprintf("amne-%02d", t), Snippet: fmt.Sprintf("Stycke %d om ämne %d.", i, t), Count: 1,
		})
	}
	fs := kg.DocumentFacts(d)
	for j := range BenchPeoplePerDoc {
		p := (i*BenchPeoplePerDoc + j*7 + v) % BenchPeople
		id := fmt.Sprintf("person:person-%05d@kluster-%02d", p, p%BenchClusters)
		fs.Nodes = append(fs.Nodes, kg.Node{ID: id, Label: kg.LabelPerson, Name: fmt.Sprintf("Person %d", p),
			Props: map[string]string{"role": "projektledare"}})
		fs.Edges = append(fs.Edges, kg.Edge{From: d.ID, Rel: kg.RelMentions, To: id, Snippet: fmt.Sprintf("Person %d berättar.", p)})
	}
	return fs
}

func benchRows(fs kg.FactSet) int { return len(fs.Nodes) + len(fs.Edges) }

// LoadBenchGraph writes the benchmark graph into an empty store with four
// writers and reports the load's rows per second.
func LoadBenchGraph(b *testing.B, s kg.GraphStore) {
	ctx := b.Context()
	start := time.Now()
	if _, err := s.ReplaceFacts(ctx, BenchRegistry()); err != nil {
		b.Fatal(err)
	}
	const writers = 4
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	total := make([]int, writers)
	for w := range writers {
		wg.Go(func() {
			for i := w; i < BenchDocs; i += writers {
				fs := BenchFacts(i, 0)
				if _, err := s.ReplaceFacts(ctx, fs); err != nil {
					errs <- err
					return
				}
				total[w] += benchRows(fs)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	took := time.Since(start)
	n := 0
	for _, t := range total {
		n += t
	}
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	edges := 0
	for _, c := range st.Edges {
		edges += c
	}
	if edges < BenchMinEdges {
		b.Fatalf("the benchmark graph has %d relationships, want at least %d", edges, BenchMinEdges)
	}
	b.Logf("loaded %d fact sets, %d rows, in %v with %d writers: %.0f rows/s; %d relationships",
		BenchDocs+1, n, took.Round(time.Millisecond), writers, float64(n)/took.Seconds(), edges)
}

// benchVersion numbers the document versions Bench writes.
var benchVersion atomic.Int64

// latencies records one duration per operation and reports p50 and p99.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	at := func(q float64) float64 { return float64(l[int(q*float64(len(l)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// Bench runs the shared graph benchmarks on store, which must hold the
// benchmark graph (see LoadBenchGraph): upserts of changed documents in
// rows/s, and p50/p99 of topic → clusters and cluster detail reads.
func Bench(b *testing.B, store func(b *testing.B) kg.GraphStore) {
	b.Run("ReplaceFacts", func(b *testing.B) {
		s := store(b)
		ctx := b.Context()
		n, i := 0, 0
		var lat latencies
		start := time.Now()
		for b.Loop() {
			// Every operation writes a version no earlier run wrote.
			fs := BenchFacts(i%BenchDocs, int(benchVersion.Add(1)))
			t := time.Now()
			changed, err := s.ReplaceFacts(ctx, fs)
			lat = append(lat, time.Since(t))
			if err != nil || !changed {
				b.Fatalf("ReplaceFacts = %v, %v", changed, err)
			}
			n += benchRows(fs)
			i++
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
		lat.report(b)
	})
	b.Run("TopicClusters", func(b *testing.B) {
		s := store(b)
		timeOps(b, func(ctx context.Context, op int) error {
			cs, err := s.TopicClusters(ctx, topicID(op%BenchTopics))
			if err == nil && len(cs) == 0 {
				err = fmt.Errorf("no clusters")
			}
			return err
		})
	})
	b.Run("Cluster", func(b *testing.B) {
		s := store(b)
		timeOps(b, func(ctx context.Context, op int) error {
			c, err := s.Cluster(ctx, clusterID(op%BenchClusters))
			if err == nil && len(c.Topics) == 0 {
				err = fmt.Errorf("no topics")
			}
			return err
		})
	})
}
