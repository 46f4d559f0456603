// Package crawlstate keeps the crawler's memory in a bbolt file in the data
// directory: a record per URL (validators, last status, content hash, last
// fetch, links), the documents the sink stored, and the frontier of an
// unfinished crawl, so that re-crawls are conditional and an interrupted
// crawl resumes where it stopped. Every checkpoint is one bbolt
// transaction, synced to disk before Commit returns.
package crawlstate

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/klusterkarta/klusterkarta/crawler"
)

// FileName is the name of the state file in the data directory.
const FileName = "crawlstate.db"

// ErrLocked is returned by Open when another process holds the file.
var ErrLocked = errors.New("crawl state is in use by another process")

// Buckets and meta keys.
var (
	bucketMeta     = []byte("meta")
	bucketRecords  = []byte("records")  // key → Record JSON
	bucketDocs     = []byte("docs")     // document key → document URL
	bucketFrontier = []byte("frontier") // seq (8 bytes) → Queued JSON
	bucketQueued   = []byte("queued")   // key → seq, for the frontier
	keyCrawl       = []byte("crawl")    // current crawl number, 8 bytes
	keyOpen        = []byte("open")     // "1" while the current crawl is unfinished
	keySeq         = []byte("seq")      // last frontier sequence number
)

// Store is a crawler.State on bbolt. It is safe for concurrent use.
type Store struct {
	db     *bolt.DB
	logger *slog.Logger
}

var _ crawler.State = (*Store)(nil)

// Option configures Open.
type Option func(*options)

type options struct {
	logger  *slog.Logger
	timeout time.Duration
}

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.logger = l
		}
	}
}

// WithLockTimeout sets how long Open waits for another process to release
// the file; the default is five seconds.
func WithLockTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// Open opens or creates the state file at path.
func Open(path string, opts ...Option) (*Store, error) {
	o := options{logger: slog.New(slog.DiscardHandler), timeout: 5 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: o.timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("opening crawl state %q: %w (waited %v)", path, ErrLocked, o.timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("opening crawl state %q: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketRecords, bucketDocs, bucketFrontier, bucketQueued} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("creating crawl state buckets in %q: %w", path, err)
	}
	return &Store{db: db, logger: o.logger}, nil
}

// Close releases the file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("closing crawl state: %w", err)
	}
	return nil
}

func u64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func be(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

// Begin implements crawler.State.
func (s *Store) Begin(ctx context.Context, restart bool) (crawler.Resume, error) {
	if err := ctx.Err(); err != nil {
		return crawler.Resume{}, fmt.Errorf("beginning crawl: %w", err)
	}
	var res crawler.Resume
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		crawl := u64(meta.Get(keyCrawl))
		if bytes.Equal(meta.Get(keyOpen), []byte("1")) && !restart && crawl > 0 {
			res = crawler.Resume{Crawl: crawl, Resumed: true}
			err := tx.Bucket(bucketFrontier).ForEach(func(_, v []byte) error {
				var q crawler.Queued
				if err := json.Unmarshal(v, &q); err != nil {
					return fmt.Errorf("decoding frontier entry: %w", err)
				}
				res.Frontier = append(res.Frontier, q)
				return nil
			})
			if err != nil {
				return err
			}
			return tx.Bucket(bucketRecords).ForEach(func(k, v []byte) error {
				var r struct {
					Crawl uint64 `json:"crawl"`
				}
				if err := json.Unmarshal(v, &r); err != nil {
					return fmt.Errorf("decoding record %q: %w", k, err)
				}
				if r.Crawl == crawl {
					res.Done = append(res.Done, string(k))
				}
				return nil
			})
		}
		crawl++
		if err := emptyFrontier(tx); err != nil {
			return err
		}
		if err := meta.Put(keyCrawl, be(crawl)); err != nil {
			return err
		}
		res = crawler.Resume{Crawl: crawl}
		return meta.Put(keyOpen, []byte("1"))
	})
	if err != nil {
		return crawler.Resume{}, fmt.Errorf("beginning crawl: %w", err)
	}
	return res, nil
}

// emptyFrontier deletes and recreates the frontier buckets.
func emptyFrontier(tx *bolt.Tx) error {
	for _, b := range [][]byte{bucketFrontier, bucketQueued} {
		if err := tx.DeleteBucket(b); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
			return err
		}
		if _, err := tx.CreateBucket(b); err != nil {
			return err
		}
	}
	return nil
}

// Record implements crawler.State.
func (s *Store) Record(ctx context.Context, key string) (crawler.Record, bool, error) {
	if err := ctx.Err(); err != nil {
		return crawler.Record{}, false, fmt.Errorf("reading record of %s: %w", key, err)
	}
	var rec crawler.Record
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketRecords).Get([]byte(key))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &rec)
	})
	if err != nil {
		return crawler.Record{}, false, fmt.Errorf("reading record of %s: %w", key, err)
	}
	return rec, ok, nil
}

// Doc implements crawler.State.
func (s *Store) Doc(ctx context.Context, key string) (string, bool, error) {
	if err := ctx.Err(); err != nil {
		return "", false, fmt.Errorf("reading document %s: %w", key, err)
	}
	var url string
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketDocs).Get([]byte(key))
		ok = v != nil
		url = string(v)
		return nil
	})
	if err != nil {
		return "", false, fmt.Errorf("reading document %s: %w", key, err)
	}
	return url, ok, nil
}

// Commit implements crawler.State, in one transaction.
func (s *Store) Commit(ctx context.Context, cp crawler.Checkpoint) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("committing checkpoint: %w", err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if cur := u64(meta.Get(keyCrawl)); cur != cp.Crawl {
			return fmt.Errorf("checkpoint of crawl %d, but crawl %d is current", cp.Crawl, cur)
		}
		frontier, queued := tx.Bucket(bucketFrontier), tx.Bucket(bucketQueued)
		seq := u64(meta.Get(keySeq))
		for _, q := range cp.Queued {
			if queued.Get([]byte(q.Key)) != nil {
				continue
			}
			v, err := json.Marshal(q)
			if err != nil {
				return fmt.Errorf("encoding frontier entry %s: %w", q.Key, err)
			}
			seq++
			if err := frontier.Put(be(seq), v); err != nil {
				return err
			}
			if err := queued.Put([]byte(q.Key), be(seq)); err != nil {
				return err
			}
		}
		if err := meta.Put(keySeq, be(seq)); err != nil {
			return err
		}
		for _, k := range cp.Done {
			if n := queued.Get([]byte(k)); n != nil {
				if err := frontier.Delete(n); err != nil {
					return err
				}
				if err := queued.Delete([]byte(k)); err != nil {
					return err
				}
			}
		}
		records := tx.Bucket(bucketRecords)
		for _, r := range cp.Records {
			v, err := json.Marshal(r)
			if err != nil {
				return fmt.Errorf("encoding record %s: %w", r.Key, err)
			}
			if err := records.Put([]byte(r.Key), v); err != nil {
				return err
			}
		}
		docs := tx.Bucket(bucketDocs)
		for k, u := range cp.Docs {
			if err := docs.Put([]byte(k), []byte(u)); err != nil {
				return err
			}
		}
		for _, k := range cp.Gone {
			if err := docs.Delete([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("committing checkpoint: %w", err)
	}
	return nil
}

// Finish implements crawler.State.
func (s *Store) Finish(ctx context.Context, crawl uint64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("finishing crawl %d: %w", crawl, err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if u64(meta.Get(keyCrawl)) != crawl {
			return nil
		}
		if err := emptyFrontier(tx); err != nil {
			return err
		}
		return meta.Put(keyOpen, []byte("0"))
	})
	if err != nil {
		return fmt.Errorf("finishing crawl %d: %w", crawl, err)
	}
	return nil
}

// Stats counts what the store holds.
type Stats struct {
	Crawl    uint64 // the current or last crawl
	Open     bool   // the crawl is unfinished
	Records  int    // URLs with a record
	Docs     int    // documents stored by the sink
	Frontier int    // URLs queued and not done
}

// Stats returns what the store holds.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	if err := ctx.Err(); err != nil {
		return Stats{}, fmt.Errorf("reading crawl state: %w", err)
	}
	var st Stats
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		st.Crawl = u64(meta.Get(keyCrawl))
		st.Open = bytes.Equal(meta.Get(keyOpen), []byte("1"))
		st.Records = tx.Bucket(bucketRecords).Stats().KeyN
		st.Docs = tx.Bucket(bucketDocs).Stats().KeyN
		st.Frontier = tx.Bucket(bucketFrontier).Stats().KeyN
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("reading crawl state: %w", err)
	}
	return st, nil
}
