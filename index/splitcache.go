package index

import (
	"hash/maphash"
	"sync"
)

// Split cache sizes: words of running text repeat (a Zipf distribution),
// so a few tens of thousands of remembered answers, nil ones included,
// spare most of the decompounding work during indexing.
const (
	splitCacheShards   = 16
	splitCacheShardMax = 4096
)

// splitCache remembers Split's answers per word. Each shard is emptied
// when it fills, which bounds memory without bookkeeping per entry.
type splitCache struct {
	seed   maphash.Seed
	shards [splitCacheShards]struct {
		mu sync.Mutex
		m  map[string][]Part
	}
}

func newSplitCache() *splitCache {
	return &splitCache{seed: maphash.MakeSeed()}
}

func (c *splitCache) shard(w string) int {
	return int(maphash.String(c.seed, w) % splitCacheShards)
}

// get returns the remembered split of w.
func (c *splitCache) get(w string) ([]Part, bool) {
	s := &c.shards[c.shard(w)]
	s.mu.Lock()
	parts, ok := s.m[w]
	s.mu.Unlock()
	return parts, ok
}

// put remembers the split of w.
func (c *splitCache) put(w string, parts []Part) {
	s := &c.shards[c.shard(w)]
	s.mu.Lock()
	if s.m == nil || len(s.m) >= splitCacheShardMax {
		s.m = make(map[string][]Part, min(splitCacheShardMax, 256))
	}
	s.m[w] = parts
	s.mu.Unlock()
}
