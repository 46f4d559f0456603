package kg

import (
	"context"
	"time"
)

// Search limits.
const (
	DefaultPageSize = 10
	MaxPageSize     = 100
	MaxQueryLength  = 500
)

// SearchRequest is a full-text query with filters.
type SearchRequest struct {
	Query   string // the user's words; empty means every document
	Cluster string // cluster id filter
	County  string // county name filter
	Topic   string // topic id filter
	Kind    string // document kind filter
	Lang    string // "sv" or "en" filter
	Page    int    // 1-based
	Size    int    // hits per page, 1..MaxPageSize

	Year    int       // publication year filter; 0 means any
	From    time.Time // earliest date, inclusive; zero means open
	To      time.Time // latest date, inclusive; zero means open
	Sort    string    // SortRelevance ("" means the same) or SortDate
	Exclude string    // words no hit may contain, as if each were written -word
}

// Sort orders of a search.
const (
	SortRelevance = "relevance"
	SortDate      = "date" // newest first
)

// Validate checks the request and fills defaults. It returns EINVALID with
// a message naming the bad parameter.
func (r *SearchRequest) Validate() error {
	if len(r.Query) > MaxQueryLength {
		return Errorf(EINVALID, "q is longer than %d bytes", MaxQueryLength)
	}
	if r.Page == 0 {
		r.Page = 1
	}
	if r.Page < 1 || r.Page > 1000 {
		return Errorf(EINVALID, "page must be between 1 and 1000")
	}
	if r.Size == 0 {
		r.Size = DefaultPageSize
	}
	if r.Size < 1 || r.Size > MaxPageSize {
		return Errorf(EINVALID, "size must be between 1 and %d", MaxPageSize)
	}
	if r.Kind != "" {
		ok := false
		for _, k := range Kinds {
			ok = ok || k == r.Kind
		}
		if !ok {
			return Errorf(EINVALID, "kind %q is not one of %v", r.Kind, Kinds)
		}
	}
	if r.Lang != "" && r.Lang != "sv" && r.Lang != "en" {
		return Errorf(EINVALID, "lang must be sv or en")
	}
	if r.Year != 0 && (r.Year < 1900 || r.Year > 2200) {
		return Errorf(EINVALID, "year must be between 1900 and 2200")
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return Errorf(EINVALID, "to must not be before from")
	}
	if r.Sort != "" && r.Sort != SortRelevance && r.Sort != SortDate {
		return Errorf(EINVALID, "sort must be %s or %s", SortRelevance, SortDate)
	}
	if len(r.Exclude) > MaxQueryLength {
		return Errorf(EINVALID, "exclude is longer than %d bytes", MaxQueryLength)
	}
	return nil
}

// Hit is one search result.
type Hit struct {
	ID       string
	URL      string
	Title    string
	Clusters []string
	Kind     string
	Lang     string
	Date     time.Time
	Snippet  string // HTML: text escaped, matches wrapped in <mark>
	Score    float64
	AlsoOn   []string // URLs of near-duplicates of this hit (the same text on other sites), collapsed into it
}

// FacetCount is one value of a facet with its number of hits.
type FacetCount struct {
	Value string
	Count int
}

// SearchResult is one page of hits with facets over all hits.
type SearchResult struct {
	Total  uint64
	Hits   []Hit
	Facets map[string][]FacetCount // "cluster", "topic", "kind", "lang", "county", "year"
	Took   time.Duration

	// DidYouMean is the query with unknown words replaced by the closest
	// words the index holds; empty when every word is known.
	DidYouMean string
}

// IndexDoc is a document as the index stores it: the extracted document
// plus the counties of its clusters, for filtering.
type IndexDoc struct {
	Document
	Counties []string
}

// Searcher is the full-text index. Implementations must be safe for
// concurrent use.
type Searcher interface {
	// Index adds or replaces documents, in one batch.
	Index(ctx context.Context, docs []IndexDoc) error
	// Delete removes documents by id; unknown ids are ignored.
	Delete(ctx context.Context, ids []string) error
	// Search runs a validated request.
	Search(ctx context.Context, req SearchRequest) (SearchResult, error)
	// Count returns how many documents the index holds.
	Count(ctx context.Context) (uint64, error)
	// Close releases the index.
	Close() error
}
