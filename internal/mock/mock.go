// Package mock provides fakes of the kg interfaces whose behaviour is set
// per test through function fields.
//
// Calling a method whose function field is nil panics with a message that
// names it, except Close, which then returns nil.
package mock

import (
	"context"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

var _ kg.GraphStore = (*GraphStore)(nil)

// GraphStore is a fake kg.GraphStore.
type GraphStore struct {
	ReplaceFactsFn  func(ctx context.Context, fs kg.FactSet) (bool, error)
	RetractFactsFn  func(ctx context.Context, sourceID string) (bool, error)
	SourceHashFn    func(ctx context.Context, sourceID string) (string, bool, error)
	ClustersFn      func(ctx context.Context) ([]kg.ClusterSummary, error)
	ClusterFn       func(ctx context.Context, id string) (kg.ClusterDetail, error)
	TopicsFn        func(ctx context.Context) ([]kg.TopicSummary, error)
	TopicClustersFn func(ctx context.Context, topicID string) ([]kg.ClusterStrength, error)
	StatsFn         func(ctx context.Context) (kg.GraphStats, error)
	CloseFn         func() error
}

// ReplaceFacts calls ReplaceFactsFn.
func (s *GraphStore) ReplaceFacts(ctx context.Context, fs kg.FactSet) (bool, error) {
	if s.ReplaceFactsFn == nil {
		panic("mock.GraphStore.ReplaceFacts called, but ReplaceFactsFn is nil")
	}
	return s.ReplaceFactsFn(ctx, fs)
}

// RetractFacts calls RetractFactsFn.
func (s *GraphStore) RetractFacts(ctx context.Context, sourceID string) (bool, error) {
	if s.RetractFactsFn == nil {
		panic("mock.GraphStore.RetractFacts called, but RetractFactsFn is nil")
	}
	return s.RetractFactsFn(ctx, sourceID)
}

// SourceHash calls SourceHashFn.
func (s *GraphStore) SourceHash(ctx context.Context, sourceID string) (string, bool, error) {
	if s.SourceHashFn == nil {
		panic("mock.GraphStore.SourceHash called, but SourceHashFn is nil")
	}
	return s.SourceHashFn(ctx, sourceID)
}

// Clusters calls ClustersFn.
func (s *GraphStore) Clusters(ctx context.Context) ([]kg.ClusterSummary, error) {
	if s.ClustersFn == nil {
		panic("mock.GraphStore.Clusters called, but ClustersFn is nil")
	}
	return s.ClustersFn(ctx)
}

// Cluster calls ClusterFn.
func (s *GraphStore) Cluster(ctx context.Context, id string) (kg.ClusterDetail, error) {
	if s.ClusterFn == nil {
		panic("mock.GraphStore.Cluster called, but ClusterFn is nil")
	}
	return s.ClusterFn(ctx, id)
}

// Topics calls TopicsFn.
func (s *GraphStore) Topics(ctx context.Context) ([]kg.TopicSummary, error) {
	if s.TopicsFn == nil {
		panic("mock.GraphStore.Topics called, but TopicsFn is nil")
	}
	return s.TopicsFn(ctx)
}

// TopicClusters calls TopicClustersFn.
func (s *GraphStore) TopicClusters(ctx context.Context, topicID string) ([]kg.ClusterStrength, error) {
	if s.TopicClustersFn == nil {
		panic("mock.GraphStore.TopicClusters called, but TopicClustersFn is nil")
	}
	return s.TopicClustersFn(ctx, topicID)
}

// Stats calls StatsFn.
func (s *GraphStore) Stats(ctx context.Context) (kg.GraphStats, error) {
	if s.StatsFn == nil {
		panic("mock.GraphStore.Stats called, but StatsFn is nil")
	}
	return s.StatsFn(ctx)
}

// Close calls CloseFn, or returns nil if it is nil.
func (s *GraphStore) Close() error {
	if s.CloseFn == nil {
		return nil
	}
	return s.CloseFn()
}

var _ kg.Searcher = (*Searcher)(nil)

// Searcher is a fake kg.Searcher.
type Searcher struct {
	IndexFn  func(ctx context.Context, docs []kg.IndexDoc) error
	DeleteFn func(ctx context.Context, ids []string) error
	SearchFn func(ctx context.Context, req kg.SearchRequest) (kg.SearchResult, error)
	CountFn  func(ctx context.Context) (uint64, error)
	CloseFn  func() error
}

// Index calls IndexFn.
func (s *Searcher) Index(ctx context.Context, docs []kg.IndexDoc) error {
	if s.IndexFn == nil {
		panic("mock.Searcher.Index called, but IndexFn is nil")
	}
	return s.IndexFn(ctx, docs)
}

// Delete calls DeleteFn.
func (s *Searcher) Delete(ctx context.Context, ids []string) error {
	if s.DeleteFn == nil {
		panic("mock.Searcher.Delete called, but DeleteFn is nil")
	}
	return s.DeleteFn(ctx, ids)
}

// Search calls SearchFn.
func (s *Searcher) Search(ctx context.Context, req kg.SearchRequest) (kg.SearchResult, error) {
	if s.SearchFn == nil {
		panic("mock.Searcher.Search called, but SearchFn is nil")
	}
	return s.SearchFn(ctx, req)
}

// Count calls CountFn.
func (s *Searcher) Count(ctx context.Context) (uint64, error) {
	if s.CountFn == nil {
		panic("mock.Searcher.Count called, but CountFn is nil")
	}
	return s.CountFn(ctx)
}

// Close calls CloseFn, or returns nil if it is nil.
func (s *Searcher) Close() error {
	if s.CloseFn == nil {
		return nil
	}
	return s.CloseFn()
}

var _ kg.CypherRunner = (*CypherGraph)(nil)

// CypherGraph is a fake graph store that also runs Cypher: a GraphStore
// with a kg.CypherRunner.
type CypherGraph struct {
	GraphStore
	RunReadCypherFn func(ctx context.Context, query string, params map[string]any, limit int) ([]string, [][]any, bool, error)
}

// RunReadCypher calls RunReadCypherFn.
func (s *CypherGraph) RunReadCypher(ctx context.Context, query string, params map[string]any, limit int) ([]string, [][]any, bool, error) {
	if s.RunReadCypherFn == nil {
		panic("mock.CypherGraph.RunReadCypher called, but RunReadCypherFn is nil")
	}
	return s.RunReadCypherFn(ctx, query, params, limit)
}
