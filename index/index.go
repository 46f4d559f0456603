package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// ErrIncompatible is returned by Open for an index written with another
// mapping version, or not written by this package. Such an index must be
// removed and rebuilt from the store.
var ErrIncompatible = errors.New("index was built with an incompatible mapping")

// Index is a Bleve full-text index of documents. It is safe for concurrent
// use.
type Index struct {
	bleve  bleve.Index
	logger *slog.Logger
	topics *topicExpander   // cross-language expansion; nil without WithTopics
	now    func() time.Time // clock for the freshness of news and events
}

var _ kg.Searcher = (*Index)(nil)

// Option configures an Index.
type Option func(*Index)

// WithLogger sets the logger; the default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(ix *Index) {
		if l != nil {
			ix.logger = l
		}
	}
}

// WithTopics sets the topic vocabulary through which queries are expanded
// across languages: a query naming a topic in one language ("self-
// sufficiency") also searches the topic's other terms ("självförsörjning"),
// weighted below the user's own words, and ranks documents tagged with the
// topic higher.
func WithTopics(topics []kg.Topic) Option {
	return func(ix *Index) {
		ix.topics = newTopicExpander(topics)
	}
}

// WithClock sets the clock the freshness of news and events is measured
// against; the default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(ix *Index) {
		if now != nil {
			ix.now = now
		}
	}
}

func newIndex(b bleve.Index, opts []Option) *Index {
	ix := &Index{bleve: b, logger: slog.New(slog.DiscardHandler), now: time.Now}
	for _, o := range opts {
		o(ix)
	}
	return ix
}

// Open opens the index at path, creating it with the package's mapping when
// path does not exist or is an empty directory; a created index needs a
// refill (NeedsRefill). It returns an error wrapping ErrIncompatible when
// the index at path was built with another mapping.
func Open(path string, opts ...Option) (*Index, error) {
	if path == "" {
		return nil, errors.New("opening index: empty path")
	}
	b, err := bleve.Open(path)
	switch {
	case err == nil:
		if err := checkVersion(b); err != nil {
			_ = b.Close()
			return nil, fmt.Errorf("opening index %q: %w", path, err)
		}
		ix := newIndex(b, opts)
		ix.logger.Debug("opened index", "path", path)
		return ix, nil
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist),
		errors.Is(err, bleve.ErrorIndexMetaMissing) && isEmptyDir(path):
		m, err := newMapping()
		if err != nil {
			return nil, fmt.Errorf("creating index %q: %w", path, err)
		}
		b, err := bleve.New(path, m)
		if err != nil {
			return nil, fmt.Errorf("creating index %q: %w", path, err)
		}
		if err := b.SetInternal(internalVersionKey, []byte(mappingVersion)); err != nil {
			_ = b.Close()
			return nil, fmt.Errorf("creating index %q: recording mapping version: %w", path, err)
		}
		if err := b.SetInternal(internalRefillKey, []byte("1")); err != nil {
			_ = b.Close()
			return nil, fmt.Errorf("creating index %q: marking it to be filled: %w", path, err)
		}
		ix := newIndex(b, opts)
		ix.logger.Debug("created index", "path", path)
		return ix, nil
	default:
		return nil, fmt.Errorf("opening index %q: %w", path, err)
	}
}

// OpenMem returns an index held in memory only, for tests and one-off runs.
func OpenMem(opts ...Option) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("creating in-memory index: %w", err)
	}
	// Scorch, the engine of indexes on disk, so that an index in memory
	// scores and ranks as they do. Without a path it keeps nothing on
	// disk.
	b, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("creating in-memory index: %w", err)
	}
	return newIndex(b, opts), nil
}

// isEmptyDir reports whether path is a directory with nothing in it.
func isEmptyDir(path string) bool {
	entries, err := os.ReadDir(path)
	return err == nil && len(entries) == 0
}

func checkVersion(b bleve.Index) error {
	v, err := b.GetInternal(internalVersionKey)
	if err != nil {
		return fmt.Errorf("reading mapping version: %w", err)
	}
	if string(v) != mappingVersion {
		return fmt.Errorf("%w: found version %q, want %q", ErrIncompatible, v, mappingVersion)
	}
	return nil
}

// NeedsRefill reports whether the index was created on disk and has not
// been filled since (MarkFilled): the first crawl into it must write
// every page, also those the graph already holds unchanged, since the
// graph's hashes say nothing about what a new index holds.
func (ix *Index) NeedsRefill(ctx context.Context) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("reading the index's fill mark: %w", err)
	}
	v, err := ix.bleve.GetInternal(internalRefillKey)
	if err != nil {
		return false, fmt.Errorf("reading the index's fill mark: %w", err)
	}
	return len(v) > 0, nil
}

// MarkFilled records that a crawl has written every page into the index.
func (ix *Index) MarkFilled(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("clearing the index's fill mark: %w", err)
	}
	if err := ix.bleve.DeleteInternal(internalRefillKey); err != nil {
		return fmt.Errorf("clearing the index's fill mark: %w", err)
	}
	return nil
}

// Index adds or replaces docs in one batch. A document's key is its ID, or
// kg.DocumentID(URL) when the ID is empty; a document with neither is
// rejected with EINVALID and nothing is written.
func (ix *Index) Index(ctx context.Context, docs []kg.IndexDoc) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("indexing documents: %w", err)
	}
	if len(docs) == 0 {
		return nil
	}
	batch := ix.bleve.NewBatch()
	for i, d := range docs {
		id := docKey(d)
		if id == "" {
			return kg.Errorf(kg.EINVALID, "document %d has neither id nor url", i)
		}
		if err := batch.Index(id, toBleve(d)); err != nil {
			return fmt.Errorf("indexing document %q: %w", id, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("indexing documents: %w", err)
	}
	if err := ix.bleve.Batch(batch); err != nil {
		return fmt.Errorf("indexing %d documents: %w", len(docs), err)
	}
	return nil
}

// Delete removes documents by id in one batch; unknown ids are ignored.
func (ix *Index) Delete(ctx context.Context, ids []string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("deleting documents: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	batch := ix.bleve.NewBatch()
	for _, id := range ids {
		batch.Delete(id)
	}
	if err := ix.bleve.Batch(batch); err != nil {
		return fmt.Errorf("deleting %d documents: %w", len(ids), err)
	}
	return nil
}

// Count returns how many documents the index holds.
func (ix *Index) Count(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("counting documents: %w", err)
	}
	n, err := ix.bleve.DocCount()
	if err != nil {
		return 0, fmt.Errorf("counting documents: %w", err)
	}
	return n, nil
}

// Close releases the index.
func (ix *Index) Close() error {
	if err := ix.bleve.Close(); err != nil {
		return fmt.Errorf("closing index: %w", err)
	}
	return nil
}

func docKey(d kg.IndexDoc) string {
	if d.ID != "" {
		return d.ID
	}
	if d.URL != "" {
		return kg.DocumentID(d.URL)
	}
	return ""
}

// toBleve converts d to the document Bleve indexes. Title, text and the
// text's headings go to the fields of d's language: English for "en",
// Swedish otherwise; a document without a language is given the one its
// text is written in.
func toBleve(d kg.IndexDoc) map[string]any {
	m := map[string]any{}
	lang := d.Lang
	if lang == "" {
		lang = DetectLang(d.Title + "\n" + d.Text)
	}
	for field, v := range map[string]string{fieldURL: d.URL, fieldKind: d.Kind, fieldLang: lang, fieldHost: d.Host} {
		if v != "" {
			m[field] = v
		}
	}
	if lang == "en" {
		m[fieldTitleEn] = d.Title
		m[fieldTextEn] = d.Text
		m[fieldHeadEn] = textHeadings(d.Text)
	} else {
		m[fieldTitleSv] = d.Title
		m[fieldTextSv] = d.Text
		m[fieldHeadSv] = textHeadings(d.Text)
	}
	if len(d.Clusters) > 0 {
		m[fieldCluster] = d.Clusters
	}
	if len(d.Counties) > 0 {
		m[fieldCounty] = d.Counties
	}
	if len(d.Topics) > 0 {
		topics := make([]string, 0, len(d.Topics))
		for _, t := range d.Topics {
			if t.TopicID != "" {
				topics = append(topics, t.TopicID)
			}
		}
		m[fieldTopics] = topics
	}
	if !d.Date.IsZero() {
		m[fieldDate] = d.Date.UTC()
		m[fieldYear] = strconv.Itoa(d.Date.UTC().Year())
	}
	if values := facetValues(m); len(values) > 0 {
		m[fieldFacets] = values
	}
	if names := entityNames(d.Document); len(names) > 0 {
		m[fieldNames] = names
	}
	m[fieldWords] = d.Title + "\n" + d.Text
	if fp, ok := textFingerprint(d.Text); ok {
		m[fieldSimhash] = formatFingerprint(fp)
	}
	return m
}

// facetValues returns the facet values of m, a document as toBleve
// builds it, each as facetTerm(name, value).
func facetValues(m map[string]any) []string {
	var out []string
	for _, f := range facets {
		switch v := m[f.field].(type) {
		case string:
			out = append(out, facetTerm(f.name, v))
		case []string:
			for _, e := range v {
				out = append(out, facetTerm(f.name, e))
			}
		}
	}
	return out
}

// entityNames returns the names of the people, projects, events and
// organisations d states, so that extracted facts can be searched.
func entityNames(d kg.Document) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, p := range d.People {
		add(p.Name)
	}
	for _, p := range d.Projects {
		add(p.Name)
	}
	for _, e := range d.Events {
		add(e.Title)
	}
	for _, o := range d.Organisations {
		add(o.Name)
	}
	return out
}
