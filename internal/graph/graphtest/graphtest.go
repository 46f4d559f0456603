// Package graphtest is the conformance suite for kg.GraphStore. Every graph
// backend runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		graphtest.Run(t, func(t *testing.T) kg.GraphStore { return mustOpen(t) }, reopen)
//	}
//
// The suite states the store's behaviour only through the kg.GraphStore
// interface, so a backend passes it exactly when it gives the same answers
// as every other backend for the same fact sets.
//
// The rules it checks, beyond the interface's doc comments:
//   - A node exists while at least one stored fact set declares it. If
//     the registry declares it, its label, name and properties are exactly
//     the registry's declaration. Else its label and name come from the
//     declaring fact set written most recently, and its properties are the
//     union of the properties of all declaring fact sets taken in write
//     order: a later non-empty value overrides an earlier one, and an
//     empty value never erases a key. Replacing or retracting a source
//     recomputes them from the remaining declarations.
//   - A relationship (From, Rel, To) exists while at least one source
//     asserts it, and reads show it only while both of its ends exist. Its
//     evidence is one kg.EvidenceFromNode per asserting source that is a
//     Document node, in kg.SortEvidence order, and its weight is
//     kg.EvidenceWeight of that evidence; a relationship that no Document
//     supports (such as LOCATED_IN from the registry) has no evidence and
//     weight 0.
//   - Lists are ordered: clusters by name (then id), topics in vocabulary
//     order, a cluster's topics and a topic's clusters strongest first with
//     ties by id.
//   - ClusterSummary.Documents counts the Document nodes that MENTION the
//     cluster; TopicSummary.Clusters counts the clusters that WORK_ON the
//     topic and TopicSummary.Documents the Document nodes that MENTION it.
//   - Empty lists and maps may be nil or empty; times are compared in UTC.
package graphtest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// ReopenFunc opens again the data of a store that the suite has just
// closed, as a restarted process would, and returns the new store.
type ReopenFunc func(t *testing.T, closed kg.GraphStore) kg.GraphStore

// Run runs the conformance suite against the stores that open returns, one
// new empty store per subtest. Run closes every store it gets. reopen may
// be nil for a backend that cannot reopen its data; the subtests that need
// it are then skipped.
func Run(t *testing.T, open func(t *testing.T) kg.GraphStore, reopen ReopenFunc) {
	s := &suite{open: open, reopen: reopen}
	tests := []struct {
		name string
		fn   func(t *testing.T)
	}{
		{"Empty", s.testEmpty},
		{"RegistryClusters", s.testRegistryClusters},
		{"RegistryTopics", s.testRegistryTopics},
		{"RegistryCounties", s.testRegistryCounties},
		{"ReplaceFactsChanged", s.testReplaceFactsChanged},
		{"SourceHash", s.testSourceHash},
		{"TopicClustersRanking", s.testTopicClustersRanking},
		{"TopicClustersNotFound", s.testTopicClustersNotFound},
		{"Clusters", s.testClusters},
		{"ClusterDetail", s.testClusterDetail},
		{"ClusterNotFound", s.testClusterNotFound},
		{"TopicsCounts", s.testTopicsCounts},
		{"Stats", s.testStats},
		{"ReplaceMovesEvidence", s.testReplaceMovesEvidence},
		{"RetractFacts", s.testRetractFacts},
		{"RetractLastEvidence", s.testRetractLastEvidence},
		{"RetractRegistry", s.testRetractRegistry},
		{"Invalid", s.testInvalid},
		{"CanceledContext", s.testCanceledContext},
		{"UndeclaredEndsHidden", s.testUndeclaredEndsHidden},
		{"SharedEdgeEvidence", s.testSharedEdgeEvidence},
		{"RegistryUpdate", s.testRegistryUpdate},
		{"NodeMerge", s.testNodeMerge},
		{"NonDocumentSource", s.testNonDocumentSource},
		{"Concurrent", s.testConcurrent},
		{"Reopen", s.testReopen},
	}
	if s.isExplorer(t) {
		tests = append(tests, s.explorerTests()...)
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.fn)
	}
}

type suite struct {
	open   func(t *testing.T) kg.GraphStore
	reopen ReopenFunc
}

// store opens a new store that is closed when t ends.
func (s *suite) store(t *testing.T) kg.GraphStore {
	t.Helper()
	st := s.open(t)
	if st == nil {
		t.Fatal("open returned a nil store")
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("closing store: %v", err)
		}
	})
	return st
}

// full opens a store holding the registry and every fixture document.
func (s *suite) full(t *testing.T) kg.GraphStore {
	t.Helper()
	st := s.store(t)
	loadFull(t, st)
	return st
}

func loadFull(t *testing.T, st kg.GraphStore) {
	t.Helper()
	mustReplace(t, st, registryFacts(), true)
	for _, d := range fixtureDocs() {
		mustReplace(t, st, kg.DocumentFacts(d), true)
	}
}

func mustReplace(t *testing.T, st kg.GraphStore, fs kg.FactSet, wantChanged bool) {
	t.Helper()
	changed, err := st.ReplaceFacts(t.Context(), fs)
	if err != nil {
		t.Fatalf("ReplaceFacts(%s): %v", fs.SourceID, err)
	}
	if changed != wantChanged {
		t.Fatalf("ReplaceFacts(%s) changed = %v, want %v", fs.SourceID, changed, wantChanged)
	}
}

func mustRetract(t *testing.T, st kg.GraphStore, source string, wantRemoved bool) {
	t.Helper()
	removed, err := st.RetractFacts(t.Context(), source)
	if err != nil {
		t.Fatalf("RetractFacts(%s): %v", source, err)
	}
	if removed != wantRemoved {
		t.Fatalf("RetractFacts(%s) removed = %v, want %v", source, removed, wantRemoved)
	}
}

func mustClusters(t *testing.T, st kg.GraphStore) []kg.ClusterSummary {
	t.Helper()
	cs, err := st.Clusters(t.Context())
	if err != nil {
		t.Fatalf("Clusters: %v", err)
	}
	return cs
}

func mustCluster(t *testing.T, st kg.GraphStore, id string) kg.ClusterDetail {
	t.Helper()
	c, err := st.Cluster(t.Context(), id)
	if err != nil {
		t.Fatalf("Cluster(%s): %v", id, err)
	}
	return c
}

func mustTopics(t *testing.T, st kg.GraphStore) []kg.TopicSummary {
	t.Helper()
	ts, err := st.Topics(t.Context())
	if err != nil {
		t.Fatalf("Topics: %v", err)
	}
	return ts
}

func mustTopicClusters(t *testing.T, st kg.GraphStore, topic string) []kg.ClusterStrength {
	t.Helper()
	cs, err := st.TopicClusters(t.Context(), topic)
	if err != nil {
		t.Fatalf("TopicClusters(%s): %v", topic, err)
	}
	return cs
}

func mustStats(t *testing.T, st kg.GraphStore) kg.GraphStats {
	t.Helper()
	gs, err := st.Stats(t.Context())
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return gs
}

func mustHash(t *testing.T, st kg.GraphStore, source string) (string, bool) {
	t.Helper()
	h, ok, err := st.SourceHash(t.Context(), source)
	if err != nil {
		t.Fatalf("SourceHash(%s): %v", source, err)
	}
	return h, ok
}

// state is everything a store shows through its read methods.
type state struct {
	Clusters      []kg.ClusterSummary
	Details       map[string]kg.ClusterDetail
	Topics        []kg.TopicSummary
	TopicClusters map[string][]kg.ClusterStrength
	Stats         kg.GraphStats
}

// snapshot reads every cluster, every topic and the stats of st.
func snapshot(t *testing.T, st kg.GraphStore) state {
	t.Helper()
	s := state{
		Clusters:      mustClusters(t, st),
		Details:       map[string]kg.ClusterDetail{},
		Topics:        mustTopics(t, st),
		TopicClusters: map[string][]kg.ClusterStrength{},
		Stats:         mustStats(t, st),
	}
	for _, c := range s.Clusters {
		s.Details[c.ID] = mustCluster(t, st, c.ID)
	}
	for _, tp := range s.Topics {
		s.TopicClusters[tp.ID] = mustTopicClusters(t, st, tp.ID)
	}
	return s
}

// wantRegistryOnlyState is the snapshot of a store holding the registry.
func wantRegistryOnlyState() state {
	s := state{
		Clusters:      wantRegistryOnlyClusters(),
		Details:       map[string]kg.ClusterDetail{},
		Topics:        wantRegistryOnlyTopics(),
		TopicClusters: map[string][]kg.ClusterStrength{},
		Stats:         wantRegistryOnlyStats(),
	}
	for _, id := range nameOrder {
		s.Details[id] = wantDetail(id, 0, nil)
	}
	for _, tp := range fixtureTopics() {
		s.TopicClusters[tp.ID] = nil
	}
	return s
}

// wantFullState is the snapshot of a store holding the full fixture.
func wantFullState() state {
	s := state{
		Clusters:      wantFullClusters(),
		Details:       map[string]kg.ClusterDetail{},
		Topics:        wantFullTopics(),
		TopicClusters: wantFullTopicClusters(),
		Stats:         wantFullStats(),
	}
	for _, id := range nameOrder {
		s.Details[id] = wantDetail(id, wantDocumentsOf[id], wantTopicsOf(id))
	}
	return s
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := kg.ErrorCode(err); got != code {
		t.Errorf("%s: error code %q (err %v), want %q", what, got, err, code)
	}
}

func (s *suite) testEmpty(t *testing.T) {
	st := s.store(t)
	equal(t, "state", state{}, snapshot(t, st))
	if h, ok := mustHash(t, st, kg.RegistrySource); ok {
		t.Errorf("SourceHash(registry) = %q, true on an empty store", h)
	}
	mustRetract(t, st, d1.ID, false)
}

func (s *suite) testRegistryClusters(t *testing.T) {
	st := s.store(t)
	mustReplace(t, st, registryFacts(), true)
	equal(t, "Clusters", wantRegistryOnlyClusters(), mustClusters(t, st))
	for _, id := range nameOrder {
		equal(t, "Cluster("+id+")", wantDetail(id, 0, nil), mustCluster(t, st, id))
	}
}

func (s *suite) testRegistryTopics(t *testing.T) {
	st := s.store(t)
	mustReplace(t, st, registryFacts(), true)
	equal(t, "Topics", wantRegistryOnlyTopics(), mustTopics(t, st))
	for _, tp := range fixtureTopics() {
		equal(t, "TopicClusters("+tp.ID+")", []kg.ClusterStrength(nil), mustTopicClusters(t, st, tp.ID))
	}
}

func (s *suite) testRegistryCounties(t *testing.T) {
	st := s.store(t)
	mustReplace(t, st, registryFacts(), true)
	equal(t, "Stats", wantRegistryOnlyStats(), mustStats(t, st))
	got := map[string]string{}
	for _, c := range mustClusters(t, st) {
		got[c.ID] = c.County
	}
	equal(t, "counties", map[string]string{alfa: ostergotland, beta: skane, gamma: ostergotland, delta: ""}, got)
}

func (s *suite) testReplaceFactsChanged(t *testing.T) {
	st := s.store(t)
	mustReplace(t, st, registryFacts(), true)
	mustReplace(t, st, registryFacts(), false)
	mustReplace(t, st, kg.DocumentFacts(d1), true)
	mustReplace(t, st, kg.DocumentFacts(d1), false)
	before := snapshot(t, st)

	// The same hash with other content changes nothing: the hash vouches
	// for the content.
	same := d1
	same.Title = "En annan titel"
	same.Topics = []kg.TopicMatch{{TopicID: horses, Term: "häst", Snippet: "Hästar på bete.", Count: 1}}
	mustReplace(t, st, kg.DocumentFacts(same), false)
	equal(t, "state after a write with an unchanged hash", before, snapshot(t, st))

	// A new hash replaces the content.
	same.ContentHash = "hash-2-" + d1.URL
	mustReplace(t, st, kg.DocumentFacts(same), true)
	equal(t, "TopicClusters(horses)", []kg.ClusterStrength{strength(alfa, 3, kg.Evidence{
		DocumentID: d1.ID, URL: d1.URL, Title: "En annan titel", Kind: kg.KindProject,
		Date: d1.Date, Snippet: "Hästar på bete.",
	})}, mustTopicClusters(t, st, horses))
	equal(t, "TopicClusters(biogas)", []kg.ClusterStrength(nil), mustTopicClusters(t, st, biogas))
	mustReplace(t, st, kg.DocumentFacts(same), false)
}

func (s *suite) testSourceHash(t *testing.T) {
	st := s.store(t)
	reg := registryFacts()
	mustReplace(t, st, reg, true)
	mustReplace(t, st, kg.DocumentFacts(d2), true)

	tests := []struct {
		source   string
		wantHash string
		wantOK   bool
	}{
		{kg.RegistrySource, reg.Hash, true},
		{d2.ID, d2.ContentHash, true},
		{d1.ID, "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		h, ok := mustHash(t, st, tt.source)
		if h != tt.wantHash || ok != tt.wantOK {
			t.Errorf("SourceHash(%q) = %q, %v; want %q, %v", tt.source, h, ok, tt.wantHash, tt.wantOK)
		}
	}

	next := d2
	next.ContentHash = "hash-2-" + d2.URL
	mustReplace(t, st, kg.DocumentFacts(next), true)
	if h, ok := mustHash(t, st, d2.ID); h != next.ContentHash || !ok {
		t.Errorf("SourceHash after replace = %q, %v; want %q, true", h, ok, next.ContentHash)
	}
	mustRetract(t, st, d2.ID, true)
	if h, ok := mustHash(t, st, d2.ID); ok {
		t.Errorf("SourceHash after retract = %q, true; want not found", h)
	}
}

func (s *suite) testTopicClustersRanking(t *testing.T) {
	st := s.full(t)
	for topic, want := range wantFullTopicClusters() {
		got := mustTopicClusters(t, st, topic)
		equal(t, "TopicClusters("+topic+")", want, got)
		for _, c := range got {
			if w := kg.EvidenceWeight(c.Evidence); c.Weight != w {
				t.Errorf("TopicClusters(%s) %s: weight %v, kg.EvidenceWeight of its evidence %v", topic, c.ClusterID, c.Weight, w)
			}
			sorted := append([]kg.Evidence(nil), c.Evidence...)
			kg.SortEvidence(sorted)
			equal(t, fmt.Sprintf("TopicClusters(%s) %s evidence order", topic, c.ClusterID), sorted, c.Evidence)
		}
	}
}

func (s *suite) testTopicClustersNotFound(t *testing.T) {
	st := s.full(t)
	for _, id := range []string{"no-such-topic", "", "topic:" + biogas, alfa} {
		_, err := st.TopicClusters(t.Context(), id)
		wantCode(t, fmt.Sprintf("TopicClusters(%q)", id), err, kg.ENOTFOUND)
	}
}

func (s *suite) testClusters(t *testing.T) {
	st := s.full(t)
	equal(t, "Clusters", wantFullClusters(), mustClusters(t, st))
}

func (s *suite) testClusterDetail(t *testing.T) {
	st := s.full(t)
	for _, id := range nameOrder {
		got := mustCluster(t, st, id)
		equal(t, "Cluster("+id+")", wantDetail(id, wantDocumentsOf[id], wantTopicsOf(id)), got)
		for _, tw := range got.Topics {
			if w := kg.EvidenceWeight(tw.Evidence); tw.Weight != w {
				t.Errorf("Cluster(%s) topic %s: weight %v, kg.EvidenceWeight of its evidence %v", id, tw.TopicID, tw.Weight, w)
			}
		}
	}
}

func (s *suite) testClusterNotFound(t *testing.T) {
	st := s.full(t)
	for _, id := range []string{"no-such-cluster", "", "cluster:" + alfa, biogas} {
		_, err := st.Cluster(t.Context(), id)
		wantCode(t, fmt.Sprintf("Cluster(%q)", id), err, kg.ENOTFOUND)
	}
}

func (s *suite) testTopicsCounts(t *testing.T) {
	st := s.full(t)
	equal(t, "Topics", wantFullTopics(), mustTopics(t, st))
}

func (s *suite) testStats(t *testing.T) {
	st := s.store(t)
	equal(t, "Stats of an empty store", kg.GraphStats{}, mustStats(t, st))
	loadFull(t, st)
	equal(t, "Stats", wantFullStats(), mustStats(t, st))
}

func (s *suite) testReplaceMovesEvidence(t *testing.T) {
	st := s.full(t)
	// d1 no longer speaks of biogas and self-sufficiency, only forestry.
	moved := doc(d1.URL, d1.Title, d1.Kind, d1.Date, d1.Clusters,
		forestry, "Gården sköter också skog.")
	moved.ContentHash = "hash-2-" + d1.URL
	mustReplace(t, st, kg.DocumentFacts(moved), true)

	equal(t, "TopicClusters(biogas)", []kg.ClusterStrength{
		strength(beta, 9, ev(d3, biogas), ev(d5, biogas), ev(d7, biogas), ev(d2, biogas), ev(d8, biogas)),
		strength(alfa, 2.5, ev(d3, biogas)),
	}, mustTopicClusters(t, st, biogas))
	equal(t, "TopicClusters(self-sufficiency)", []kg.ClusterStrength{
		strength(gamma, 2, ev(d4, selfSuff)),
	}, mustTopicClusters(t, st, selfSuff))
	equal(t, "TopicClusters(forestry)", []kg.ClusterStrength{
		strength(alfa, 5.5, ev(moved, forestry), ev(d3, forestry)),
		strength(beta, 2.5, ev(d3, forestry)),
	}, mustTopicClusters(t, st, forestry))

	alfaTopics := []kg.TopicWeight{
		tw(forestry, 5.5, ev(moved, forestry), ev(d3, forestry)),
		tw(biogas, 2.5, ev(d3, biogas)),
		tw(food, 2, ev(d6, food)),
	}
	equal(t, "Cluster(alfa)", wantDetail(alfa, 3, alfaTopics), mustCluster(t, st, alfa))
	equal(t, "Topics", []kg.TopicSummary{
		topicSummary(biogas, 2, 5),
		topicSummary(selfSuff, 1, 1),
		topicSummary(forestry, 2, 2),
		topicSummary(food, 3, 2),
		topicSummary(horses, 0, 0),
	}, mustTopics(t, st))
	stats := wantFullStats()
	stats.Edges[kg.RelMentions]-- // d1 mentions one topic instead of two
	stats.Edges[kg.RelWorksOn]--  // alfa no longer works on self-sufficiency
	equal(t, "Stats", stats, mustStats(t, st))
}

func (s *suite) testRetractFacts(t *testing.T) {
	st := s.full(t)
	mustRetract(t, st, d4.ID, true)
	mustRetract(t, st, d4.ID, false)

	// gamma's only topic evidence came from d4, so its WORKS_ON edges are gone.
	equal(t, "Cluster(gamma)", wantDetail(gamma, 1, nil), mustCluster(t, st, gamma))
	equal(t, "TopicClusters(food)", []kg.ClusterStrength{
		strength(alfa, 2, ev(d6, food)),
		strength(delta, 2, ev(d6, food)),
	}, mustTopicClusters(t, st, food))
	equal(t, "TopicClusters(self-sufficiency)", []kg.ClusterStrength{
		strength(alfa, 3, ev(d1, selfSuff)),
	}, mustTopicClusters(t, st, selfSuff))
	equal(t, "Topics", []kg.TopicSummary{
		topicSummary(biogas, 2, 6),
		topicSummary(selfSuff, 1, 1),
		topicSummary(forestry, 2, 1),
		topicSummary(food, 2, 1),
		topicSummary(horses, 0, 0),
	}, mustTopics(t, st))
	stats := wantFullStats()
	stats.Nodes[kg.LabelDocument]--
	stats.Edges[kg.RelPublishedOn]--
	stats.Edges[kg.RelMentions] -= 3
	stats.Edges[kg.RelWorksOn] -= 2
	// The site gamma.example is still declared by d9.
	equal(t, "Stats after retracting d4", stats, mustStats(t, st))

	// d9 was the last source declaring the site gamma.example.
	mustRetract(t, st, d9.ID, true)
	stats.Nodes[kg.LabelDocument]--
	stats.Nodes[kg.LabelSite]--
	stats.Edges[kg.RelPublishedOn]--
	stats.Edges[kg.RelMentions]--
	equal(t, "Stats after retracting d9", stats, mustStats(t, st))
	equal(t, "Cluster(gamma)", wantDetail(gamma, 0, nil), mustCluster(t, st, gamma))
	if h, ok := mustHash(t, st, d9.ID); ok {
		t.Errorf("SourceHash(d9) = %q after retract", h)
	}

	// Writing the documents again restores the full state.
	mustReplace(t, st, kg.DocumentFacts(d4), true)
	mustReplace(t, st, kg.DocumentFacts(d9), true)
	equal(t, "state after rewriting", wantFullState(), snapshot(t, st))
}

func (s *suite) testRetractLastEvidence(t *testing.T) {
	st := s.full(t)
	// beta's forestry edge rests on d3 alone; alfa's biogas on d1 and d3.
	mustRetract(t, st, d3.ID, true)
	equal(t, "TopicClusters(forestry)", []kg.ClusterStrength(nil), mustTopicClusters(t, st, forestry))
	equal(t, "TopicClusters(biogas)", []kg.ClusterStrength{
		strength(beta, 6.5, ev(d5, biogas), ev(d7, biogas), ev(d2, biogas), ev(d8, biogas)),
		strength(alfa, 3, ev(d1, biogas)),
	}, mustTopicClusters(t, st, biogas))
	stats := wantFullStats()
	stats.Nodes[kg.LabelDocument]--
	stats.Nodes[kg.LabelSite]-- // natverket.example
	stats.Edges[kg.RelPublishedOn]--
	stats.Edges[kg.RelMentions] -= 4
	stats.Edges[kg.RelWorksOn] -= 2 // alfa and beta on forestry
	equal(t, "Stats", stats, mustStats(t, st))
	equal(t, "Cluster(beta)", wantDetail(beta, 4, []kg.TopicWeight{
		tw(biogas, 6.5, ev(d5, biogas), ev(d7, biogas), ev(d2, biogas), ev(d8, biogas)),
	}), mustCluster(t, st, beta))
}

func (s *suite) testRetractRegistry(t *testing.T) {
	st := s.full(t)
	mustRetract(t, st, kg.RegistrySource, true)
	// Documents and sites remain; every edge to a cluster or topic lost an end.
	equal(t, "state", state{Stats: kg.GraphStats{
		Nodes: map[string]int{kg.LabelDocument: 9, kg.LabelSite: 4},
		Edges: map[string]int{kg.RelPublishedOn: 9},
	}}, snapshot(t, st))
	_, err := st.Cluster(t.Context(), alfa)
	wantCode(t, "Cluster(alfa) after retracting the registry", err, kg.ENOTFOUND)
	_, err = st.TopicClusters(t.Context(), biogas)
	wantCode(t, "TopicClusters(biogas) after retracting the registry", err, kg.ENOTFOUND)

	mustReplace(t, st, registryFacts(), true)
	equal(t, "state after restoring the registry", wantFullState(), snapshot(t, st))
}

func (s *suite) testInvalid(t *testing.T) {
	st := s.full(t)
	before := snapshot(t, st)
	tests := []struct {
		name string
		fs   kg.FactSet
	}{
		{"no source", kg.FactSet{Hash: "h", Nodes: []kg.Node{{ID: "topic:x", Label: kg.LabelTopic, Name: "x"}}}},
		{"no source, otherwise a document", func() kg.FactSet { fs := kg.DocumentFacts(d1); fs.SourceID = ""; return fs }()},
		{"edge without from", kg.FactSet{SourceID: "doc:https://x.example/a", Hash: "h",
			Edges: []kg.Edge{{Rel: kg.RelWorksOn, To: kg.TopicNodeID(biogas)}}}},
		{"edge without to", kg.FactSet{SourceID: "doc:https://x.example/b", Hash: "h",
			Edges: []kg.Edge{{From: kg.ClusterNodeID(alfa), Rel: kg.RelWorksOn}}}},
		{"one bad edge among good ones", func() kg.FactSet {
			d := d2
			d.URL = "https://beta.example/nyheter/99"
			d.ID = kg.DocumentID(d.URL)
			fs := kg.DocumentFacts(d)
			fs.Edges = append(fs.Edges, kg.Edge{From: d.ID, Rel: kg.RelMentions})
			return fs
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed, err := st.ReplaceFacts(t.Context(), tt.fs)
			wantCode(t, "ReplaceFacts", err, kg.EINVALID)
			if changed {
				t.Error("ReplaceFacts of an invalid fact set reported a change")
			}
			if tt.fs.SourceID != "" {
				if h, ok := mustHash(t, st, tt.fs.SourceID); ok {
					t.Errorf("invalid fact set stored with hash %q", h)
				}
			}
		})
	}
	equal(t, "state after invalid writes", before, snapshot(t, st))
}

func (s *suite) testCanceledContext(t *testing.T) {
	st := s.store(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := st.ReplaceFacts(ctx, registryFacts()); err == nil {
		t.Error("ReplaceFacts with a canceled context succeeded")
	}
	if h, ok := mustHash(t, st, kg.RegistrySource); ok {
		t.Errorf("registry stored with hash %q under a canceled context", h)
	}
}

func (s *suite) testUndeclaredEndsHidden(t *testing.T) {
	st := s.full(t)
	ghost := doc("https://beta.example/spoke", "Spöksidan", kg.KindProject, day(2024, 9, 9),
		[]string{beta, "ghost-kluster"},
		biogas, "Biogas även här.",
		"ghost-topic", "Ett ämne utanför vokabulären.")
	mustReplace(t, st, kg.DocumentFacts(ghost), true)

	// Only the edges whose both ends exist show: beta's biogas edge gains
	// the evidence; nothing about the ghost cluster or topic shows.
	equal(t, "TopicClusters(biogas)", []kg.ClusterStrength{
		strength(beta, 12, ev(ghost, biogas), ev(d3, biogas), ev(d5, biogas), ev(d7, biogas), ev(d2, biogas), ev(d8, biogas)),
		strength(alfa, 5.5, ev(d1, biogas), ev(d3, biogas)),
	}, mustTopicClusters(t, st, biogas))
	_, err := st.Cluster(t.Context(), "ghost-kluster")
	wantCode(t, "Cluster(ghost-kluster)", err, kg.ENOTFOUND)
	_, err = st.TopicClusters(t.Context(), "ghost-topic")
	wantCode(t, "TopicClusters(ghost-topic)", err, kg.ENOTFOUND)
	stats := wantFullStats()
	stats.Nodes[kg.LabelDocument]++
	stats.Edges[kg.RelPublishedOn]++
	stats.Edges[kg.RelMentions] += 2 // to beta and to biogas
	equal(t, "Stats", stats, mustStats(t, st))
	topics := wantFullTopics()
	topics[0].Documents++
	equal(t, "Topics", topics, mustTopics(t, st))
	clusters := mustClusters(t, st)
	if len(clusters) != 4 {
		t.Errorf("Clusters lists %d clusters, want the 4 of the registry", len(clusters))
	}

	// Once the registry declares the cluster, its stored edges show.
	reg := fixtureRegistry()
	reg.Clusters = append(reg.Clusters, kg.Cluster{ID: "ghost-kluster", Name: "Spökklustret", County: skane})
	mustReplace(t, st, kg.RegistryFacts(reg, fixtureTopics()), true)
	got := mustTopicClusters(t, st, biogas)
	want := []kg.ClusterStrength{
		strength(beta, 12, ev(ghost, biogas), ev(d3, biogas), ev(d5, biogas), ev(d7, biogas), ev(d2, biogas), ev(d8, biogas)),
		strength(alfa, 5.5, ev(d1, biogas), ev(d3, biogas)),
		{ClusterID: "ghost-kluster", Name: "Spökklustret", County: skane, Weight: 3, Evidence: []kg.Evidence{ev(ghost, biogas)}},
	}
	equal(t, "TopicClusters(biogas) with the cluster declared", want, got)
}

func (s *suite) testSharedEdgeEvidence(t *testing.T) {
	st := s.store(t)
	mustReplace(t, st, registryFacts(), true)
	a := doc("https://gamma.example/a", "Hästdag", kg.KindEvent, day(2024, 4, 4), []string{gamma}, horses, "Hästar i fokus.")
	b := doc("https://gamma.example/b", "Hästprojekt", kg.KindProject, day(2023, 3, 3), []string{gamma}, horses, "Ett projekt om hästhållning.")
	mustReplace(t, st, kg.DocumentFacts(a), true)
	mustReplace(t, st, kg.DocumentFacts(b), true)

	equal(t, "TopicClusters(horses)", []kg.ClusterStrength{
		strength(gamma, 5, ev(b, horses), ev(a, horses)),
	}, mustTopicClusters(t, st, horses))
	stats := wantRegistryOnlyStats()
	stats.Nodes[kg.LabelDocument] = 2
	stats.Nodes[kg.LabelSite] = 1
	stats.Edges[kg.RelPublishedOn] = 2
	stats.Edges[kg.RelMentions] = 4
	stats.Edges[kg.RelWorksOn] = 1
	equal(t, "Stats", stats, mustStats(t, st))

	// Retracting one document leaves the relationship with the other's evidence.
	mustRetract(t, st, b.ID, true)
	equal(t, "TopicClusters(horses) after retracting one", []kg.ClusterStrength{
		strength(gamma, 2, ev(a, horses)),
	}, mustTopicClusters(t, st, horses))
}

func (s *suite) testRegistryUpdate(t *testing.T) {
	st := s.full(t)
	// gamma is renamed (and so moves to the front), beta leaves the registry.
	reg := fixtureRegistry()
	reg.Clusters = nil
	renamed := fixtureClusters()[gamma]
	renamed.Name = "Agrogruppen"
	renamed.Town = "Motala"
	reg.Clusters = append(reg.Clusters, renamed, fixtureClusters()[alfa], fixtureClusters()[delta])
	mustReplace(t, st, kg.RegistryFacts(reg, fixtureTopics()), true)

	gammaSummary := wantSummary(gamma, 2, wantTopicsOf(gamma))
	gammaSummary.Name = "Agrogruppen"
	equal(t, "Clusters", []kg.ClusterSummary{
		gammaSummary,
		wantSummary(alfa, 3, wantTopicsOf(alfa)),
		wantSummary(delta, 1, wantTopicsOf(delta)),
	}, mustClusters(t, st))
	gammaDetail := wantDetail(gamma, 2, wantTopicsOf(gamma))
	gammaDetail.Name = "Agrogruppen"
	gammaDetail.Town = "Motala"
	equal(t, "Cluster(gamma)", gammaDetail, mustCluster(t, st, gamma))
	_, err := st.Cluster(t.Context(), beta)
	wantCode(t, "Cluster(beta) after it left the registry", err, kg.ENOTFOUND)

	foodRank := wantFullTopicClusters()[food]
	foodRank[2].Name = "Agrogruppen" // gamma
	equal(t, "TopicClusters(food)", foodRank, mustTopicClusters(t, st, food))
	equal(t, "TopicClusters(biogas)", []kg.ClusterStrength{
		strength(alfa, 5.5, ev(d1, biogas), ev(d3, biogas)),
	}, mustTopicClusters(t, st, biogas))

	stats := wantFullStats()
	stats.Nodes[kg.LabelCluster]--
	stats.Nodes[kg.LabelCounty]-- // Skåne län had only beta
	stats.Edges[kg.RelLocatedIn]--
	stats.Edges[kg.RelMentions] -= 5 // d2, d3, d5, d7, d8 to beta
	stats.Edges[kg.RelWorksOn] -= 2  // beta on biogas and forestry
	equal(t, "Stats", stats, mustStats(t, st))

	// The old registry brings everything back.
	mustReplace(t, st, registryFacts(), true)
	equal(t, "state after restoring the registry", wantFullState(), snapshot(t, st))
}

func (s *suite) testNodeMerge(t *testing.T) {
	st := s.store(t)
	mustReplace(t, st, registryFacts(), true)
	epsilon := func(name string) kg.Node {
		return kg.ClusterNode(kg.Cluster{ID: "epsilon", Name: name, County: skane})
	}
	declare := func(source, hash string, nodes ...kg.Node) kg.FactSet {
		return kg.FactSet{SourceID: source, Hash: hash, Nodes: nodes}
	}
	impostor := kg.ClusterNode(kg.Cluster{ID: alfa, Name: "Fel namn", County: skane})
	epsilonSummary := func(name string) kg.ClusterSummary {
		return kg.ClusterSummary{ID: "epsilon", Name: name, County: skane}
	}
	names := func() []string {
		var out []string
		for _, c := range mustClusters(t, st) {
			out = append(out, c.Name)
		}
		return out
	}

	mustReplace(t, st, declare("test:a", "a1", impostor, epsilon("Epsilon A")), true)
	mustReplace(t, st, declare("test:b", "b1", epsilon("Epsilon B")), true)
	// The registry's alfa wins over test:a's; the latest write names epsilon.
	equal(t, "Cluster(alfa)", wantDetail(alfa, 0, nil), mustCluster(t, st, alfa))
	equal(t, "Cluster(epsilon)", kg.ClusterDetail{ClusterSummary: epsilonSummary("Epsilon B")}, mustCluster(t, st, "epsilon"))

	mustReplace(t, st, declare("test:a", "a2", impostor, epsilon("Epsilon A2")), true)
	equal(t, "cluster names", []string{"Alfa gröna kluster", "Betanätverket", "Deltaklustret", "Epsilon A2", "Gammagruppen"}, names())

	mustRetract(t, st, "test:a", true)
	equal(t, "Cluster(epsilon) after retracting test:a", kg.ClusterDetail{ClusterSummary: epsilonSummary("Epsilon B")}, mustCluster(t, st, "epsilon"))
	equal(t, "Cluster(alfa) after retracting test:a", wantDetail(alfa, 0, nil), mustCluster(t, st, alfa))

	mustRetract(t, st, "test:b", true)
	_, err := st.Cluster(t.Context(), "epsilon")
	wantCode(t, "Cluster(epsilon) with no declaring source", err, kg.ENOTFOUND)
	equal(t, "state", wantRegistryOnlyState(), snapshot(t, st))
}

func (s *suite) testNonDocumentSource(t *testing.T) {
	st := s.store(t)
	mustReplace(t, st, registryFacts(), true)
	// A source that is not a Document node (here an Organisation) asserts
	// an edge: the edge shows, without evidence and so with weight 0.
	manual := kg.FactSet{SourceID: "test:manual", Hash: "m1", Nodes: []kg.Node{
		{ID: "test:manual", Label: kg.LabelOrganisation, Name: "Handpåläggning"},
	}, Edges: []kg.Edge{
		{From: kg.ClusterNodeID(alfa), Rel: kg.RelWorksOn, To: kg.TopicNodeID(horses), Snippet: "Inlagt för hand."},
	}}
	mustReplace(t, st, manual, true)
	equal(t, "TopicClusters(horses)", []kg.ClusterStrength{strength(alfa, 0)}, mustTopicClusters(t, st, horses))
	equal(t, "Cluster(alfa) topics", []kg.TopicWeight{tw(horses, 0)}, mustCluster(t, st, alfa).Topics)

	// A document asserting the same edge gives its evidence.
	a := doc("https://alfa.example/hast", "Häst", kg.KindNews, day(2024, 8, 8), []string{alfa}, horses, "Om hästar.")
	mustReplace(t, st, kg.DocumentFacts(a), true)
	equal(t, "TopicClusters(horses) with a document", []kg.ClusterStrength{strength(alfa, 1.5, ev(a, horses))},
		mustTopicClusters(t, st, horses))
	stats := wantRegistryOnlyStats()
	stats.Nodes[kg.LabelDocument] = 1
	stats.Nodes[kg.LabelSite] = 1
	stats.Nodes[kg.LabelOrganisation] = 1
	stats.Edges[kg.RelPublishedOn] = 1
	stats.Edges[kg.RelMentions] = 2
	stats.Edges[kg.RelWorksOn] = 1
	equal(t, "Stats", stats, mustStats(t, st))

	mustRetract(t, st, "test:manual", true)
	mustRetract(t, st, a.ID, true)
	equal(t, "TopicClusters(horses) after retracting both", []kg.ClusterStrength(nil), mustTopicClusters(t, st, horses))
}

// concurrentOps is a workload of many sources, each with its own sequence
// of writes, whose end state does not depend on how sources interleave.
func concurrentOps() [][]func(ctx context.Context, st kg.GraphStore) error {
	topics := fixtureTopics()
	clusters := []string{alfa, beta, gamma, delta}
	kinds := kg.Kinds
	var ops [][]func(ctx context.Context, st kg.GraphStore) error
	ops = append(ops, []func(ctx context.Context, st kg.GraphStore) error{
		replaceOp(registryFacts()),
	})
	for i := range 24 {
		url := fmt.Sprintf("https://last.example/sida/%02d", i)
		first := doc(url, fmt.Sprintf("Sida %d", i), kinds[i%len(kinds)], day(2024, time.Month(1+i%12), 1+i),
			[]string{clusters[i%4], clusters[(i+1)%4]},
			topics[i%5].ID, fmt.Sprintf("Första stycket %d.", i),
			topics[(i+2)%5].ID, fmt.Sprintf("Andra stycket %d.", i))
		second := doc(url, fmt.Sprintf("Sida %d, ny", i), kinds[(i+3)%len(kinds)], day(2025, time.Month(1+i%12), 1+i),
			[]string{clusters[(i+2)%4]},
			topics[(i+1)%5].ID, fmt.Sprintf("Nytt stycke %d.", i))
		second.ContentHash = "hash-2-" + url
		seq := []func(ctx context.Context, st kg.GraphStore) error{replaceOp(kg.DocumentFacts(first))}
		switch i % 3 {
		case 1:
			seq = append(seq, replaceOp(kg.DocumentFacts(second)))
		case 2:
			seq = append(seq, retractOp(first.ID))
		}
		ops = append(ops, seq)
	}
	return ops
}

func replaceOp(fs kg.FactSet) func(ctx context.Context, st kg.GraphStore) error {
	return func(ctx context.Context, st kg.GraphStore) error {
		changed, err := st.ReplaceFacts(ctx, fs)
		if err != nil {
			return fmt.Errorf("ReplaceFacts(%s): %w", fs.SourceID, err)
		}
		if !changed {
			return fmt.Errorf("ReplaceFacts(%s) reported no change", fs.SourceID)
		}
		return nil
	}
}

func retractOp(source string) func(ctx context.Context, st kg.GraphStore) error {
	return func(ctx context.Context, st kg.GraphStore) error {
		removed, err := st.RetractFacts(ctx, source)
		if err != nil {
			return fmt.Errorf("RetractFacts(%s): %w", source, err)
		}
		if !removed {
			return fmt.Errorf("RetractFacts(%s) removed nothing", source)
		}
		return nil
	}
}

func (s *suite) testConcurrent(t *testing.T) {
	ops := concurrentOps()

	sequential := s.store(t)
	for _, seq := range ops {
		for _, op := range seq {
			if err := op(t.Context(), sequential); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := snapshot(t, sequential)
	if len(want.Clusters) != 4 || want.Stats.Edges[kg.RelWorksOn] == 0 {
		t.Fatalf("the sequential workload left too little to compare: %+v", want.Stats)
	}

	concurrent := s.store(t)
	const writers, readers = 4, 2
	errs := make(chan error, writers+readers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := w; i < len(ops); i += writers {
				for _, op := range ops[i] {
					if err := op(t.Context(), concurrent); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	for range readers {
		wg.Go(func() {
			for range 20 {
				if _, err := concurrent.Clusters(t.Context()); err != nil {
					errs <- fmt.Errorf("Clusters: %w", err)
					return
				}
				if _, err := concurrent.Stats(t.Context()); err != nil {
					errs <- fmt.Errorf("Stats: %w", err)
					return
				}
				if _, err := concurrent.TopicClusters(t.Context(), biogas); err != nil && kg.ErrorCode(err) != kg.ENOTFOUND {
					errs <- fmt.Errorf("TopicClusters: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	equal(t, "state after concurrent writes", want, snapshot(t, concurrent))
}

func (s *suite) testReopen(t *testing.T) {
	if s.reopen == nil {
		t.Skip("the backend offers no reopen")
	}
	st := s.open(t)
	if st == nil {
		t.Fatal("open returned a nil store")
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			st.Close()
		}
	})
	loadFull(t, st)
	// Conflicting declarations whose winner depends on write order, and a
	// retracted source.
	epsilon := func(name string) kg.Node {
		return kg.ClusterNode(kg.Cluster{ID: "epsilon", Name: name})
	}
	// Neither the first nor the last source id wins by its key alone.
	mustReplace(t, st, kg.FactSet{SourceID: "test:b", Hash: "b1", Nodes: []kg.Node{epsilon("Epsilon B")}}, true)
	mustReplace(t, st, kg.FactSet{SourceID: "test:c", Hash: "c1", Nodes: []kg.Node{epsilon("Epsilon C")}}, true)
	mustReplace(t, st, kg.FactSet{SourceID: "test:a", Hash: "a1", Nodes: []kg.Node{epsilon("Epsilon A")}}, true)
	mustReplace(t, st, kg.FactSet{SourceID: "test:b", Hash: "b2", Nodes: []kg.Node{epsilon("Epsilon B2")}}, true)
	mustRetract(t, st, d8.ID, true)
	before := snapshot(t, st)
	if before.Details["epsilon"].Name != "Epsilon B2" {
		t.Fatalf("epsilon named %q before reopening, want Epsilon B2", before.Details["epsilon"].Name)
	}

	closed = true
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	st2 := s.reopen(t, st)
	if st2 == nil {
		t.Fatal("reopen returned a nil store")
	}
	t.Cleanup(func() {
		if err := st2.Close(); err != nil {
			t.Errorf("closing reopened store: %v", err)
		}
	})
	equal(t, "state after reopening", before, snapshot(t, st2))

	// Hashes survive: unchanged fact sets are not written again.
	mustReplace(t, st2, registryFacts(), false)
	mustReplace(t, st2, kg.DocumentFacts(d1), false)
	mustReplace(t, st2, kg.DocumentFacts(d8), true)
	// Write order survives: retracting the latest declaration falls back to
	// the one written just before it.
	mustRetract(t, st2, "test:b", true)
	equal(t, "Cluster(epsilon)", kg.ClusterDetail{ClusterSummary: kg.ClusterSummary{ID: "epsilon", Name: "Epsilon A"}},
		mustCluster(t, st2, "epsilon"))
}
