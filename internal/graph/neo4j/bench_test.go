package neo4j

// The benchmarks run against the database at NEO4J_URI, which they wipe.
// They load one generated graph of more than 100,000 relationships once
// (a minute or two; its rows/s are logged) and then measure on it:
//
//	eval "$(deploy/neo4j-test/neo4j-test.sh start)"
//	go test -run '^$' -bench . -benchtime 200x ./internal/graph/neo4j/
//	deploy/neo4j-test/neo4j-test.sh stop

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The benchmark graph: the registry's size, and documents that each
// mention people, so that the graph has many relationships.
const (
	benchClusters     = 17
	benchTopics       = 20
	benchDocs         = 2200
	benchPeople       = 20000
	benchPeoplePerDoc = 40
	benchMinEdges     = 100_000
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

// benchFacts returns the fact set of document i in version v: one or two
// clusters, four to seven topics and benchPeoplePerDoc people, varying
// with i and v.
func benchFacts(i, v int) kg.FactSet {
	host := fmt.Sprintf("k%02d.example", i%benchClusters)
	url := fmt.Sprintf("https://%s/sida/%d", host, i)
	d := kg.Document{
		ID: kg.DocumentID(url), URL: url, Host: host, Title: fmt.Sprintf("Sida %d", i),
		Kind: kg.Kinds[(i+v)%len(kg.Kinds)], Lang: "sv",
		Date:        time.Date(2020+i%5, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
		Clusters:    []string{fmt.Sprintf("kluster-%02d", i%benchClusters)},
		ContentHash: fmt.Sprintf("%d-%d", i, v),
	}
	if i%2 == 0 {
		d.Clusters = append(d.Clusters, fmt.Sprintf("kluster-%02d", (i+5)%benchClusters))
	}
	for j := range 4 + (i+v)%4 {
		t := (i*7 + j*3 + v) % benchTopics
		d.Topics = append(d.Topics, kg.TopicMatch{
			TopicID: fmt.Sprintf("amne-%02d", t), Snippet: fmt.Sprintf("Stycke %d om ämne %d.", i, t), Count: 1,
		})
	}
	fs := kg.DocumentFacts(d)
	for j := range benchPeoplePerDoc {
		p := (i*benchPeoplePerDoc + j*7 + v) % benchPeople
		id := fmt.Sprintf("person:person-%05d@kluster-%02d", p, p%benchClusters)
		fs.Nodes = append(fs.Nodes, kg.Node{ID: id, Label: kg.LabelPerson, Name: fmt.Sprintf("Person %d", p),
			Props: map[string]string{"role": "projektledare"}})
		fs.Edges = append(fs.Edges, kg.Edge{From: d.ID, Rel: kg.RelMentions, To: id, Snippet: fmt.Sprintf("Person %d berättar.", p)})
	}
	return fs
}

func rows(fs kg.FactSet) int { return len(fs.Nodes) + len(fs.Edges) }

var bench struct {
	sync.Mutex
	store *Store
}

// benchStore returns the store holding the benchmark graph, loading it
// on first use. The store stays open until the process ends.
func benchStore(b *testing.B) *Store {
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

	start := time.Now()
	ctx := b.Context()
	if _, err := s.ReplaceFacts(ctx, benchRegistry()); err != nil {
		b.Fatal(err)
	}
	const writers = 4
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	total := make([]int, writers)
	for w := range writers {
		wg.Go(func() {
			for i := w; i < benchDocs; i += writers {
				fs := benchFacts(i, 0)
				if _, err := s.ReplaceFacts(ctx, fs); err != nil {
					errs <- err
					return
				}
				total[w] += rows(fs)
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
	if edges < benchMinEdges {
		b.Fatalf("the benchmark graph has %d relationships, want at least %d: %+v", edges, benchMinEdges, st)
	}
	b.Logf("loaded %d fact sets, %d rows, in %v with %d writers: %.0f rows/s, %.1f fact sets/s; graph: %v relationships, nodes %v",
		benchDocs+1, n, took.Round(time.Millisecond), writers, float64(n)/took.Seconds(), float64(benchDocs+1)/took.Seconds(), edges, st.Nodes)
	bench.store = s
	return s
}

// BenchmarkReplaceFacts changes one document to its next version per
// operation: other kind, topics and people.
func BenchmarkReplaceFacts(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	n, i := 0, 0
	start := time.Now()
	for b.Loop() {
		fs := benchFacts(i%benchDocs, 1+i/benchDocs)
		changed, err := s.ReplaceFacts(ctx, fs)
		if err != nil || !changed {
			b.Fatalf("ReplaceFacts = %v, %v", changed, err)
		}
		n += rows(fs)
		i++
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkReplaceFactsUnchanged writes documents whose hash is stored.
func BenchmarkReplaceFactsUnchanged(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	i := 0
	for b.Loop() {
		// Documents from the far end were not changed by BenchmarkReplaceFacts.
		changed, err := s.ReplaceFacts(ctx, benchFacts(benchDocs-1-i%(benchDocs/2), 0))
		if err != nil || changed {
			b.Fatalf("ReplaceFacts = %v, %v", changed, err)
		}
		i++
	}
}

func BenchmarkTopicClusters(b *testing.B) {
	s := benchStore(b)
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

func BenchmarkCluster(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	i := 0
	for b.Loop() {
		c, err := s.Cluster(ctx, fmt.Sprintf("kluster-%02d", i%benchClusters))
		if err != nil || len(c.Topics) == 0 {
			b.Fatalf("Cluster = %d topics, %v", len(c.Topics), err)
		}
		i++
	}
}

func BenchmarkClusters(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	for b.Loop() {
		cs, err := s.Clusters(ctx)
		if err != nil || len(cs) != benchClusters {
			b.Fatalf("Clusters = %d clusters, %v", len(cs), err)
		}
	}
}
