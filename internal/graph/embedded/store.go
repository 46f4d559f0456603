// Package embedded is the default kg.GraphStore: a knowledge graph kept in
// one bbolt file in the data directory, with no server to run.
//
// The file holds each source's latest fact set, written in one transaction
// per ReplaceFacts or RetractFacts, so a crash never leaves half a fact
// set. Reads are answered from an in-memory aggregate of all fact sets,
// rebuilt from the file on Open and updated after each committed write.
package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// FileName is the name of the database file inside the data directory.
const FileName = "graph.db"

// formatVersion is the layout of the file; Open refuses any other.
const formatVersion = "1"

// DefaultLockTimeout is how long Open waits for another process to release
// the database file before it gives up with ErrLocked.
const DefaultLockTimeout = time.Second

// ErrLocked is returned (wrapped) by Open when another process, or another
// Store in this one, has the database file open.
var ErrLocked = errors.New("graph database is in use by another process")

var (
	factsBucket = []byte("facts") // source id -> JSON record
	metaBucket  = []byte("meta")
	versionKey  = []byte("version")
)

// record is the stored value of one source: its fact set and the sequence
// number of the write that stored it, which orders declarations of the same
// node across sources.
type record struct {
	Seq   uint64     `json:"seq"`
	Facts kg.FactSet `json:"facts"`
}

// Store is the embedded graph store. It is safe for concurrent use.
type Store struct {
	dir    string
	db     *bolt.DB
	logger *slog.Logger

	// writeMu serialises writers, so that the file and the aggregate apply
	// writes in the same order.
	writeMu sync.Mutex

	mu     sync.RWMutex // guards agg and closed
	agg    *aggregate
	closed bool
}

var _ kg.GraphStore = (*Store)(nil)

type config struct {
	logger      *slog.Logger
	lockTimeout time.Duration
}

// Option configures Open.
type Option func(*config)

// WithLogger sets the logger; the default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithLockTimeout sets how long Open waits for the database file's lock.
// A duration of zero or less means DefaultLockTimeout: Open never waits
// forever.
func WithLockTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.lockTimeout = d
		}
	}
}

// Open opens the graph in dir, creating dir and the database file if they
// do not exist, and loads every stored fact set. It returns an error
// wrapping ErrLocked if the file stays locked for the lock timeout.
func Open(dir string, opts ...Option) (*Store, error) {
	cfg := config{logger: slog.New(slog.DiscardHandler), lockTimeout: DefaultLockTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating graph directory %q: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: cfg.lockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("opening graph database %q: %w (waited %v)", path, ErrLocked, cfg.lockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("opening graph database %q: %w", path, err)
	}
	s := &Store{dir: dir, db: db, logger: cfg.logger, agg: newAggregate()}
	if err := s.load(); err != nil {
		db.Close()
		return nil, fmt.Errorf("loading graph database %q: %w", path, err)
	}
	s.logger.Debug("graph opened", "path", path, "sources", len(s.agg.sources), "nodes", len(s.agg.nodes), "edges", len(s.agg.edges))
	return s, nil
}

// load creates the buckets of a new file, checks the format and rebuilds
// the aggregate from every stored fact set. Opening an existing file
// writes nothing.
func (s *Store) load() error {
	fresh := false
	err := s.db.View(func(tx *bolt.Tx) error {
		fresh = tx.Bucket(metaBucket) == nil || tx.Bucket(factsBucket) == nil
		return nil
	})
	if err != nil {
		return err
	}
	if fresh {
		if err := s.create(); err != nil {
			return err
		}
	}
	defer s.agg.reweigh()
	return s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(metaBucket).Get(versionKey)
		if string(v) != formatVersion {
			return fmt.Errorf("unsupported format version %q (this program reads %q)", v, formatVersion)
		}
		return tx.Bucket(factsBucket).ForEach(func(k, v []byte) error {
			var rec record
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decoding fact set of %q: %w", k, err)
			}
			if rec.Facts.SourceID != string(k) {
				return fmt.Errorf("fact set stored under %q names source %q", k, rec.Facts.SourceID)
			}
			s.agg.load(rec.Facts, rec.Seq)
			return nil
		})
	})
}

// create makes the buckets of a new file and records its format.
func (s *Store) create() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return fmt.Errorf("creating bucket %s: %w", metaBucket, err)
		}
		switch v := meta.Get(versionKey); {
		case v == nil:
			if err := meta.Put(versionKey, []byte(formatVersion)); err != nil {
				return fmt.Errorf("writing format version: %w", err)
			}
		case string(v) != formatVersion:
			return fmt.Errorf("unsupported format version %q (this program reads %q)", v, formatVersion)
		}
		if _, err := tx.CreateBucketIfNotExists(factsBucket); err != nil {
			return fmt.Errorf("creating bucket %s: %w", factsBucket, err)
		}
		return nil
	})
}

// Dir returns the data directory the store was opened in.
func (s *Store) Dir() string { return s.dir }

// validate checks a fact set before it is written.
func validate(fs kg.FactSet) error {
	if fs.SourceID == "" {
		return kg.Errorf(kg.EINVALID, "fact set has no source id")
	}
	for i, n := range fs.Nodes {
		if n.ID == "" {
			return kg.Errorf(kg.EINVALID, "fact set of %s: node %d has no id", fs.SourceID, i)
		}
		if n.Label == "" {
			return kg.Errorf(kg.EINVALID, "fact set of %s: node %s has no label", fs.SourceID, n.ID)
		}
	}
	for i, e := range fs.Edges {
		if e.From == "" || e.To == "" {
			return kg.Errorf(kg.EINVALID, "fact set of %s: edge %d (%s -[%s]-> %s) lacks an end", fs.SourceID, i, e.From, e.Rel, e.To)
		}
		if e.Rel == "" {
			return kg.Errorf(kg.EINVALID, "fact set of %s: edge %d (%s -> %s) has no type", fs.SourceID, i, e.From, e.To)
		}
	}
	return nil
}

var errClosed = kg.Errorf(kg.EUNAVAIL, "graph store is closed")

// ReplaceFacts implements kg.GraphStore. It writes nothing when the stored
// hash equals fs.Hash.
func (s *Store) ReplaceFacts(ctx context.Context, fs kg.FactSet) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("replacing facts of %s: %w", fs.SourceID, err)
	}
	if err := validate(fs); err != nil {
		return false, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()

	s.mu.RLock()
	closed := s.closed
	prev, known := s.agg.sources[fs.SourceID]
	s.mu.RUnlock()
	if closed {
		return false, errClosed
	}
	if known && prev.hash == fs.Hash {
		return false, nil
	}

	var seq uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(factsBucket)
		var err error
		if seq, err = b.NextSequence(); err != nil {
			return fmt.Errorf("numbering the write: %w", err)
		}
		data, err := json.Marshal(record{Seq: seq, Facts: fs})
		if err != nil {
			return fmt.Errorf("encoding: %w", err)
		}
		return b.Put([]byte(fs.SourceID), data)
	})
	if err != nil {
		return false, fmt.Errorf("writing facts of %s: %w", fs.SourceID, err)
	}

	s.mu.Lock()
	s.agg.replace(fs, seq)
	s.mu.Unlock()
	s.logger.Debug("facts replaced", "source", fs.SourceID, "nodes", len(fs.Nodes), "edges", len(fs.Edges), "seq", seq)
	return true, nil
}

// ReplaceFactsBatch implements kg.BatchWriter: the changed fact sets are
// written in one transaction. A source named twice keeps its last set.
func (s *Store) ReplaceFactsBatch(ctx context.Context, sets []kg.FactSet) ([]bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("replacing %d fact sets: %w", len(sets), err)
	}
	for _, fs := range sets {
		if err := validate(fs); err != nil {
			return nil, err
		}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()

	changed := make([]bool, len(sets))
	s.mu.RLock()
	closed := s.closed
	for i, fs := range sets {
		prev, known := s.agg.sources[fs.SourceID]
		changed[i] = !known || prev.hash != fs.Hash
	}
	s.mu.RUnlock()
	if closed {
		return nil, errClosed
	}

	seqs := make([]uint64, len(sets))
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(factsBucket)
		for i, fs := range sets {
			if !changed[i] {
				continue
			}
			seq, err := b.NextSequence()
			if err != nil {
				return fmt.Errorf("numbering the write of %s: %w", fs.SourceID, err)
			}
			data, err := json.Marshal(record{Seq: seq, Facts: fs})
			if err != nil {
				return fmt.Errorf("encoding facts of %s: %w", fs.SourceID, err)
			}
			if err := b.Put([]byte(fs.SourceID), data); err != nil {
				return fmt.Errorf("writing facts of %s: %w", fs.SourceID, err)
			}
			seqs[i] = seq
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replacing %d fact sets: %w", len(sets), err)
	}

	s.mu.Lock()
	for i, fs := range sets {
		if changed[i] {
			s.agg.replace(fs, seqs[i])
		}
	}
	s.mu.Unlock()
	s.logger.Debug("fact sets replaced", "sets", len(sets))
	return changed, nil
}

// RetractFacts implements kg.GraphStore.
func (s *Store) RetractFacts(ctx context.Context, sourceID string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("retracting facts of %s: %w", sourceID, err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()

	s.mu.RLock()
	closed := s.closed
	_, known := s.agg.sources[sourceID]
	s.mu.RUnlock()
	if closed {
		return false, errClosed
	}
	if !known {
		return false, nil
	}

	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(factsBucket).Delete([]byte(sourceID))
	})
	if err != nil {
		return false, fmt.Errorf("deleting facts of %s: %w", sourceID, err)
	}

	s.mu.Lock()
	s.agg.retract(sourceID)
	s.mu.Unlock()
	s.logger.Debug("facts retracted", "source", sourceID)
	return true, nil
}

// read runs fn on the aggregate under the read lock.
func (s *Store) read(ctx context.Context, fn func(a *aggregate) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	return fn(s.agg)
}

// SourceHash implements kg.GraphStore.
func (s *Store) SourceHash(ctx context.Context, sourceID string) (hash string, ok bool, err error) {
	err = s.read(ctx, func(a *aggregate) error {
		if src, found := a.sources[sourceID]; found {
			hash, ok = src.hash, true
		}
		return nil
	})
	if err != nil {
		return "", false, fmt.Errorf("reading hash of %s: %w", sourceID, err)
	}
	return hash, ok, nil
}

// Clusters implements kg.GraphStore.
func (s *Store) Clusters(ctx context.Context) ([]kg.ClusterSummary, error) {
	var out []kg.ClusterSummary
	err := s.read(ctx, func(a *aggregate) error {
		out = a.clusters()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing clusters: %w", err)
	}
	return out, nil
}

// Cluster implements kg.GraphStore.
func (s *Store) Cluster(ctx context.Context, id string) (kg.ClusterDetail, error) {
	var out kg.ClusterDetail
	err := s.read(ctx, func(a *aggregate) error {
		var err error
		out, err = a.cluster(id)
		return err
	})
	if err != nil {
		return kg.ClusterDetail{}, fmt.Errorf("reading cluster %q: %w", id, err)
	}
	return out, nil
}

// Topics implements kg.GraphStore.
func (s *Store) Topics(ctx context.Context) ([]kg.TopicSummary, error) {
	var out []kg.TopicSummary
	err := s.read(ctx, func(a *aggregate) error {
		out = a.topics()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing topics: %w", err)
	}
	return out, nil
}

// TopicClusters implements kg.GraphStore.
func (s *Store) TopicClusters(ctx context.Context, topicID string) ([]kg.ClusterStrength, error) {
	var out []kg.ClusterStrength
	err := s.read(ctx, func(a *aggregate) error {
		var err error
		out, err = a.topicClusters(topicID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ranking clusters on topic %q: %w", topicID, err)
	}
	return out, nil
}

// Stats implements kg.GraphStore.
func (s *Store) Stats(ctx context.Context) (kg.GraphStats, error) {
	var out kg.GraphStats
	err := s.read(ctx, func(a *aggregate) error {
		out = a.stats()
		return nil
	})
	if err != nil {
		return kg.GraphStats{}, fmt.Errorf("counting graph: %w", err)
	}
	return out, nil
}

// Close implements kg.GraphStore. It waits for a write in progress, then
// releases the database file. Closing a closed store does nothing.
func (s *Store) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.agg = newAggregate()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("closing graph database in %q: %w", s.dir, err)
	}
	return nil
}
