package neo4j

import (
	"container/list"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The answers of the reads that scan a whole label or relationship type
// (Nodes, RelationshipSummaries, MentionedWith, CoMentions) are kept
// between writes, so that the network map and the partner finder, asked
// again before the graph changes, read the database for one number only.
//
// Every write that changes the graph counts itself on the GraphMeta node
// (seq, see write.go), in the transaction that makes the change, and the
// GraphMeta node carries an epoch, a random id set when the node is
// created, which tells a graph deleted and written again from the one
// before. A kept answer is served only while the database still shows
// the epoch and seq it was made at. Since the number lives in the
// database, the answers stay right when other processes write to it.
//
// An answer is made in one read transaction that reads the epoch and seq
// before and after the work, and is kept only if both reads agree: a
// write that commits while the answer is made, and may or may not show
// in it, leaves nothing kept. A graph without a GraphMeta node (nothing
// was written yet, or the graph was deleted) keeps no answers.

// answerCacheSize bounds the number of answers kept: enough for one
// network map of every kind (about twenty reads) and the partner finder
// on a few dozen topics.
const answerCacheSize = 64

// graphVersion is a state of the graph as the GraphMeta node numbers it.
type graphVersion struct {
	epoch string // empty for a graph written before epochs were kept
	seq   int64
}

// answerCache keeps the answers made at one graphVersion, by the name and
// arguments of the call, and forgets the least recently used beyond
// answerCacheSize. Its zero value is ready for use; it is safe for
// concurrent use. It holds its lock only while it looks up or stores an
// answer, never while the database is read.
type answerCache struct {
	mu      sync.Mutex
	version graphVersion
	entries map[string]*list.Element // values are *cachedAnswer
	lru     list.List                // most recently used first
}

type cachedAnswer struct {
	key   string
	value any
}

// get returns the answer kept for key, if it was made at version v.
func (c *answerCache) get(v graphVersion, key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != c.version {
		return nil, false
	}
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*cachedAnswer).value, true
}

// put keeps value as the answer for key made at version v. The cache
// holds the answers of one version: those of another epoch, or of an
// earlier seq, are dropped when an answer of a later one arrives, and an
// answer of an earlier seq than the cache's is not kept.
func (c *answerCache) put(v graphVersion, key string, value any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != c.version || c.entries == nil {
		if v.epoch == c.version.epoch && v.seq < c.version.seq {
			return
		}
		c.version = v
		c.entries = map[string]*list.Element{}
		c.lru.Init()
	}
	if e, ok := c.entries[key]; ok {
		e.Value.(*cachedAnswer).value = value
		c.lru.MoveToFront(e)
		return
	}
	c.entries[key] = c.lru.PushFront(&cachedAnswer{key: key, value: value})
	for c.lru.Len() > answerCacheSize {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.entries, last.Value.(*cachedAnswer).key)
	}
}

// len returns the number of answers kept.
func (c *answerCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// readVersion reads the graph's epoch and seq in tx; ok is false if there
// is no GraphMeta node.
func readVersion(ctx context.Context, tx neo4j.ManagedTransaction) (v graphVersion, ok bool, err error) {
	recs, err := collect(ctx, tx, `MATCH (m:GraphMeta {id: $meta}) RETURN m.epoch AS epoch, m.seq AS seq`,
		map[string]any{"meta": metaID})
	if err != nil {
		return graphVersion{}, false, fmt.Errorf("reading the graph's write count: %w", err)
	}
	if len(recs) == 0 {
		return graphVersion{}, false, nil
	}
	v.epoch, _ = recs[0]["epoch"].(string)
	v.seq, _ = recs[0]["seq"].(int64)
	return v, true, nil
}

// cachedRead returns the answer of the call named key: the kept one if
// the graph has not changed since it was made, else the one compute makes
// in a read transaction, which is then kept if no write committed while
// it was made. The caller gets a copy made by clone, so that it cannot
// change a kept answer.
func cachedRead[T any](ctx context.Context, s *Store, key string, compute func(tx neo4j.ManagedTransaction) (T, error), clone func(T) T) (T, error) {
	var out T
	err := s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		v, ok, err := readVersion(ctx, tx)
		if err != nil {
			return err
		}
		if ok {
			if a, hit := s.answers.get(v, key); hit {
				out = a.(T)
				return nil
			}
		}
		a, err := compute(tx)
		if err != nil {
			return err
		}
		out = a
		if !ok {
			return nil
		}
		after, ok, err := readVersion(ctx, tx)
		if err != nil {
			return err
		}
		if ok && after == v {
			s.answers.put(v, key, a)
		} else {
			s.logger.Debug("graph changed while reading; answer not kept", "call", key, "seq", v.seq, "seq_after", after.seq)
		}
		return nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return clone(out), nil
}

// callKey names a call and its arguments unambiguously.
func callKey(name string, args ...any) string {
	return fmt.Sprintf("%s%q", name, args)
}

func cloneNodes(ns []kg.Node) []kg.Node {
	out := slices.Clone(ns)
	for i := range out {
		out[i].Props = maps.Clone(out[i].Props)
	}
	return out
}

func cloneSummaries(rs []kg.RelationshipSummary) []kg.RelationshipSummary {
	out := slices.Clone(rs)
	for i := range out {
		out[i].Props = maps.Clone(out[i].Props)
	}
	return out
}
