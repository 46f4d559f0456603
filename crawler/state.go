package crawler

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"
)

// Record is what the crawler remembers of one URL between crawls.
type Record struct {
	Key          string    `json:"key"`                     // the URL's dedupe key (see Key)
	URL          string    `json:"url"`                     // the URL as requested
	Site         string    `json:"site"`                    // the site root it was crawled for
	DocURL       string    `json:"doc_url,omitempty"`       // the URL of the document kept from it; "" if none
	ETag         string    `json:"etag,omitempty"`          // validator sent back as If-None-Match
	LastModified string    `json:"last_modified,omitempty"` // validator sent back as If-Modified-Since
	Status       int       `json:"status"`                  // the last HTTP status
	Hash         string    `json:"hash,omitempty"`          // SHA-256 of the last body, hex
	Fetched      time.Time `json:"fetched"`                 // when it was last fetched
	Links        []Link    `json:"links,omitempty"`         // the links followed from it, for a 304
	Crawl        uint64    `json:"crawl"`                   // the crawl that last completed it
}

// Link is one link a page had, as the crawler followed it.
type Link struct {
	URL  string `json:"url"`
	Type string `json:"type,omitempty"` // the link's type attribute
}

// Queued is one URL of the frontier: queued and not yet done.
type Queued struct {
	Key     string `json:"key"`
	URL     string `json:"url"`
	Site    string `json:"site"` // the site root it is crawled for
	Depth   int    `json:"depth"`
	DocOnly bool   `json:"doc_only,omitempty"` // kept only if PDF or iCalendar
}

// Resume is where a crawl starts: a new crawl, or one that was
// interrupted, with its frontier and the keys of the URLs it completed.
type Resume struct {
	Crawl    uint64   // the crawl's number; 1 for the first
	Resumed  bool     // true when an interrupted crawl goes on
	Frontier []Queued // queued and not done, in the order queued
	Done     []string // keys of the URLs this crawl completed
}

// Checkpoint is what a crawl makes durable at once. A store applies it
// atomically: all of it or none.
type Checkpoint struct {
	Crawl   uint64
	Queued  []Queued          // added to the frontier
	Done    []string          // keys removed from the frontier
	Records []Record          // stored, replacing the record of the same key
	Docs    map[string]string // document keys → document URLs now stored by the sink
	Gone    []string          // document keys whose documents were retracted
}

// State keeps what a crawl must remember across crawls and crashes: a
// record per URL, the documents the sink has stored, and the frontier of an
// unfinished crawl. Implementations must be safe for concurrent use.
type State interface {
	// Begin returns the unfinished crawl, if there is one and restart is
	// false, or starts a new crawl with an empty frontier.
	Begin(ctx context.Context, restart bool) (Resume, error)
	// Record returns the record of key.
	Record(ctx context.Context, key string) (Record, bool, error)
	// Doc returns the URL of the stored document whose key is key.
	Doc(ctx context.Context, key string) (string, bool, error)
	// Commit applies a checkpoint atomically.
	Commit(ctx context.Context, cp Checkpoint) error
	// Finish marks crawl complete and empties the frontier.
	Finish(ctx context.Context, crawl uint64) error
}

// MemoryState is a State held in memory: the default when Config.State is
// nil, and useful in tests. A crawl with it is incremental across crawls of
// one process, not across processes.
type MemoryState struct {
	mu       sync.Mutex
	crawl    uint64
	open     bool
	records  map[string]Record
	docs     map[string]string
	frontier map[string]Queued
	order    []string // frontier keys in the order queued
}

var _ State = (*MemoryState)(nil)

// NewMemoryState returns an empty MemoryState.
func NewMemoryState() *MemoryState {
	return &MemoryState{records: map[string]Record{}, docs: map[string]string{}, frontier: map[string]Queued{}}
}

// Begin implements State.
func (m *MemoryState) Begin(_ context.Context, restart bool) (Resume, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.open && !restart {
		res := Resume{Crawl: m.crawl, Resumed: true}
		listed := map[string]bool{}
		for _, k := range m.order {
			if q, ok := m.frontier[k]; ok && !listed[k] {
				listed[k] = true
				res.Frontier = append(res.Frontier, q)
			}
		}
		for k, r := range m.records {
			if r.Crawl == m.crawl {
				res.Done = append(res.Done, k)
			}
		}
		slices.Sort(res.Done)
		return res, nil
	}
	m.crawl++
	m.open = true
	clear(m.frontier)
	m.order = nil
	return Resume{Crawl: m.crawl}, nil
}

// Record implements State.
func (m *MemoryState) Record(_ context.Context, key string) (Record, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[key]
	r.Links = slices.Clone(r.Links)
	return r, ok, nil
}

// Doc implements State.
func (m *MemoryState) Doc(_ context.Context, key string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.docs[key]
	return u, ok, nil
}

// Commit implements State.
func (m *MemoryState) Commit(_ context.Context, cp Checkpoint) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, q := range cp.Queued {
		if _, ok := m.frontier[q.Key]; !ok {
			m.order = append(m.order, q.Key)
		}
		m.frontier[q.Key] = q
	}
	for _, k := range cp.Done {
		delete(m.frontier, k)
	}
	for _, r := range cp.Records {
		r.Links = slices.Clone(r.Links)
		m.records[r.Key] = r
	}
	maps.Copy(m.docs, cp.Docs)
	for _, k := range cp.Gone {
		delete(m.docs, k)
	}
	if len(m.order) > 2*len(m.frontier)+64 {
		m.order = slices.DeleteFunc(m.order, func(k string) bool { _, ok := m.frontier[k]; return !ok })
	}
	return nil
}

// Finish implements State.
func (m *MemoryState) Finish(_ context.Context, crawl uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if crawl == m.crawl {
		m.open = false
		clear(m.frontier)
		m.order = nil
	}
	return nil
}
