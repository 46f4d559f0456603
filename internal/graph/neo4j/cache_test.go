package neo4j

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func TestAnswerCache(t *testing.T) {
	v1 := graphVersion{epoch: "e", seq: 1}
	v2 := graphVersion{epoch: "e", seq: 2}
	other := graphVersion{epoch: "f", seq: 1}
	type op struct {
		put  bool
		v    graphVersion
		key  string
		want any // for get: the answer expected, nil for a miss
	}
	tests := []struct {
		name string
		ops  []op
	}{
		{"miss when empty", []op{{v: v1, key: "a"}}},
		{"hit at the same version", []op{{put: true, v: v1, key: "a", want: 1}, {v: v1, key: "a", want: 1}}},
		{"miss for another key", []op{{put: true, v: v1, key: "a", want: 1}, {v: v1, key: "b"}}},
		{"miss after a write", []op{{put: true, v: v1, key: "a", want: 1}, {v: v2, key: "a"}}},
		{"a later answer drops the earlier ones", []op{
			{put: true, v: v1, key: "a", want: 1}, {put: true, v: v2, key: "b", want: 2},
			{v: v1, key: "a"}, {v: v2, key: "b", want: 2},
		}},
		{"an earlier answer is not kept", []op{
			{put: true, v: v2, key: "a", want: 2}, {put: true, v: v1, key: "a", want: 1},
			{v: v2, key: "a", want: 2}, {v: v1, key: "a"},
		}},
		{"another epoch replaces the answers", []op{
			{put: true, v: v2, key: "a", want: 2}, {put: true, v: other, key: "a", want: 3},
			{v: v2, key: "a"}, {v: other, key: "a", want: 3},
		}},
		{"a new answer for the same key replaces it", []op{
			{put: true, v: v1, key: "a", want: 1}, {put: true, v: v1, key: "a", want: 4}, {v: v1, key: "a", want: 4},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c answerCache
			for i, o := range tt.ops {
				if o.put {
					c.put(o.v, o.key, o.want)
					continue
				}
				got, ok := c.get(o.v, o.key)
				if o.want == nil && ok {
					t.Errorf("op %d: get(%v, %q) = %v, want a miss", i, o.v, o.key, got)
				}
				if o.want != nil && (!ok || got != o.want) {
					t.Errorf("op %d: get(%v, %q) = %v, %v; want %v", i, o.v, o.key, got, ok, o.want)
				}
			}
		})
	}
}

func TestAnswerCacheEvictsLeastRecentlyUsed(t *testing.T) {
	var c answerCache
	v := graphVersion{epoch: "e", seq: 1}
	for i := range answerCacheSize {
		c.put(v, fmt.Sprint(i), i)
	}
	// Key 0 is used again, so key 1 is the least recently used.
	if _, ok := c.get(v, "0"); !ok {
		t.Fatal("key 0 missing before the cache is full")
	}
	c.put(v, "new", -1)
	if n := c.len(); n != answerCacheSize {
		t.Errorf("%d answers kept, want %d", n, answerCacheSize)
	}
	for key, want := range map[string]bool{"0": true, "1": false, "2": true, "new": true} {
		if _, ok := c.get(v, key); ok != want {
			t.Errorf("key %s kept: %v, want %v", key, ok, want)
		}
	}
}

// aggregates is every answer the store keeps, for a few arguments.
type aggregates struct {
	Clusters       []kg.Node
	Organisations  []kg.Node
	Mentions       []kg.RelationshipSummary
	WorksOn        []kg.RelationshipSummary
	Collaborations []kg.RelationshipSummary
	Named          []kg.Mention
	CoMentions     []kg.CoMention
}

// readAggregates reads the aggregates from s.
func readAggregates(ctx context.Context, s *Store) (aggregates, error) {
	var a aggregates
	var err error
	if a.Clusters, err = s.Nodes(ctx, kg.LabelCluster); err != nil {
		return a, err
	}
	if a.Organisations, err = s.Nodes(ctx, kg.LabelOrganisation); err != nil {
		return a, err
	}
	if a.Mentions, err = s.RelationshipSummaries(ctx, kg.RelMentions, []string{kg.LabelProject, kg.LabelDocument, kg.LabelEvent}); err != nil {
		return a, err
	}
	if a.WorksOn, err = s.RelationshipSummaries(ctx, kg.RelWorksOn, nil); err != nil {
		return a, err
	}
	if a.Collaborations, err = s.RelationshipSummaries(ctx, kg.RelCollaboratesWith, []string{kg.LabelCluster, kg.LabelOrganisation}); err != nil {
		return a, err
	}
	if a.Named, err = s.MentionedWith(ctx, kg.TopicNodeID("amne-01"), kg.LabelOrganisation); err != nil {
		return a, err
	}
	if a.CoMentions, err = s.CoMentions(ctx, kg.LabelCluster, kg.LabelOrganisation); err != nil {
		return a, err
	}
	return a, nil
}

func mustAggregates(t *testing.T, s *Store) aggregates {
	t.Helper()
	a, err := readAggregates(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Clusters) == 0 || len(a.Mentions) == 0 || len(a.WorksOn) == 0 || len(a.Named) == 0 || len(a.CoMentions) == 0 {
		t.Fatalf("aggregates of an empty graph: %d clusters, %d mentions, %d WORKS_ON, %d named, %d co-mentions",
			len(a.Clusters), len(a.Mentions), len(a.WorksOn), len(a.Named), len(a.CoMentions))
	}
	return a
}

// freshAggregates reads the aggregates through a store opened for the
// purpose, which has kept nothing yet.
func freshAggregates(t *testing.T, cfg Config) aggregates {
	t.Helper()
	s := MustOpen(t, cfg)
	defer s.Close()
	return mustAggregates(t, s)
}

// checkFresh fails t unless every store in stores answers as a store that
// has kept nothing, and returns that answer.
func checkFresh(t *testing.T, cfg Config, what string, stores ...*Store) aggregates {
	t.Helper()
	want := freshAggregates(t, cfg)
	for i, s := range stores {
		if got := mustAggregates(t, s); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: store %d answers as before, not as the graph is now", what, i+1)
		}
	}
	return want
}

// loadSmall writes the registry and n documents of the large graph's
// generator, starting at document first.
func loadSmall(t *testing.T, s *Store, g graphtest.LargeGraph, first, n int) {
	t.Helper()
	ctx := t.Context()
	if _, err := s.ReplaceFacts(ctx, g.Registry()); err != nil {
		t.Fatal(err)
	}
	for i := first; i < first+n; i++ {
		if _, err := s.ReplaceFacts(ctx, g.Facts(i, 0)); err != nil {
			t.Fatal(err)
		}
	}
}

// rawSet changes the database behind the store's back: a write that
// does not count itself on the GraphMeta node.
func rawSet(t *testing.T, s *Store, cypher string, params map[string]any) {
	t.Helper()
	ctx := t.Context()
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	})
	if err != nil {
		t.Fatalf("%s: %v", cypher, err)
	}
}

// twoStores returns two stores on one emptied database, the first of
// which has written a small generated graph, and the graph.
func twoStores(t *testing.T) (Config, *Store, *Store, graphtest.LargeGraph) {
	t.Helper()
	cfg := testConfig(t)
	s1 := MustOpenEmpty(t)
	g := graphtest.NewLargeGraph(0.002)
	loadSmall(t, s1, g, 0, g.Documents)
	return cfg, s1, MustOpen(t, cfg), g
}

// TestCacheFollowsWrites checks that the kept answers are served while
// the graph is unchanged, and that every kind of write, by this store or
// by another on the same database, makes both stores answer as the
// graph is.
func TestCacheFollowsWrites(t *testing.T) {
	cfg, s1, s2, g := twoStores(t)
	ctx := t.Context()

	before := checkFresh(t, cfg, "after the load", s1, s2)
	if n := s1.answers.len(); n != 7 {
		t.Errorf("store 1 keeps %d answers, want 7", n)
	}

	// A change that no write counts is not seen: the answers are kept.
	cluster := before.Clusters[0]
	rawSet(t, s1, `MATCH (n:Cluster {id: $id}) SET n.name = $name`, map[string]any{"id": cluster.ID, "name": "Omdöpt kluster"})
	if got := mustAggregates(t, s1); !reflect.DeepEqual(got, before) {
		t.Error("store 1 did not serve its kept answers while the graph's write count stood still")
	}
	// Callers cannot change the kept answers.
	got := mustAggregates(t, s1)
	got.Clusters[0].Name = "ändrad"
	got.Clusters[0].Props["county"] = "ändrad"
	got.CoMentions[0].Documents = -1
	got.Mentions[0].Weight = -1
	got.Named[0].Node = "ändrad"
	if again := mustAggregates(t, s1); !reflect.DeepEqual(again, before) {
		t.Error("changing an answer changed the kept one")
	}

	steps := []struct {
		name  string
		write func() (bool, error)
	}{
		{"replace through store 1", func() (bool, error) { return s1.ReplaceFacts(ctx, g.Facts(2, 1)) }},
		{"retract through store 1", func() (bool, error) { return s1.RetractFacts(ctx, g.Facts(4, 0).SourceID) }},
		{"replace through store 2", func() (bool, error) { return s2.ReplaceFacts(ctx, g.Facts(6, 1)) }},
		{"retract through store 2", func() (bool, error) { return s2.RetractFacts(ctx, g.Facts(8, 0).SourceID) }},
		{"registry through store 2", func() (bool, error) {
			reg := g.Registry()
			reg.Hash += "-2"
			for i, n := range reg.Nodes {
				if n.Label == kg.LabelCluster {
					reg.Nodes[i].Name += " (ny)"
					break
				}
			}
			return s2.ReplaceFacts(ctx, reg)
		}},
	}
	prev := before
	for _, st := range steps {
		// Both stores keep the answers of the graph before the write.
		mustAggregates(t, s1)
		mustAggregates(t, s2)
		changed, err := st.write()
		if err != nil || !changed {
			t.Fatalf("%s = %v, %v; want a change", st.name, changed, err)
		}
		now := checkFresh(t, cfg, st.name, s1, s2)
		if reflect.DeepEqual(now, prev) {
			t.Fatalf("%s changed none of the aggregates", st.name)
		}
		prev = now
	}
	graphtest.NeighbourhoodMatchesExplorer(t, s1)
	graphtest.NeighbourhoodMatchesExplorer(t, s2)
}

// TestCacheNewGraph checks that the answers kept for a graph are not
// served for another graph written after the first was deleted, though
// its write count has come back to the same number.
func TestCacheNewGraph(t *testing.T) {
	cfg := testConfig(t)
	s := MustOpenEmpty(t)
	g := graphtest.NewLargeGraph(0.002)
	loadSmall(t, s, g, 0, 10)
	mustAggregates(t, s)
	first := s.answers.version

	wipe(t, s)
	loadSmall(t, s, g, 10, 10)
	var second graphVersion
	err := s.read(t.Context(), func(tx neo4j.ManagedTransaction) error {
		var err error
		second, _, err = readVersion(t.Context(), tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if second.seq != first.seq || second.epoch == first.epoch || second.epoch == "" {
		t.Fatalf("versions %+v and %+v: want the same seq and two epochs", first, second)
	}
	if got, want := mustAggregates(t, s), freshAggregates(t, cfg); !reflect.DeepEqual(got, want) {
		t.Error("the store answers for the deleted graph")
	}
}

// TestCacheConcurrent reads the aggregates from several goroutines while
// another store writes, and checks that all of them answer as the graph
// is once the writes are done.
func TestCacheConcurrent(t *testing.T) {
	cfg, s1, s2, g := twoStores(t)
	ctx := t.Context()

	done := make(chan struct{})
	var wg sync.WaitGroup
	for r := range 4 {
		wg.Go(func() {
			for {
				if _, err := readAggregates(ctx, s1); err != nil {
					t.Errorf("reader %d: %v", r, err)
					return
				}
				select {
				case <-done:
					return
				default:
				}
			}
		})
	}
	for i := range 6 {
		var err error
		if i%3 == 2 {
			_, err = s2.RetractFacts(ctx, g.Facts(i, 0).SourceID)
		} else {
			_, err = s2.ReplaceFacts(ctx, g.Facts(i, 1))
		}
		if err != nil {
			t.Error(err)
		}
	}
	close(done)
	wg.Wait()
	checkFresh(t, cfg, "after concurrent reads and writes", s1, s2)
}
