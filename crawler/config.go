package crawler

import (
	"fmt"
	"log/slog"
	"maps"
	"runtime"
	"time"
)

// DefaultUserAgent names the product and where to learn about it.
const DefaultUserAgent = "Klusterkarta/0.1 (+https://github.com/klusterkarta/klusterkarta)"

// Config sets the limits and manners of a crawl. Start from DefaultConfig;
// New replaces zero fields with their defaults.
type Config struct {
	// UserAgent is sent with every request and matched against robots.txt
	// groups.
	UserAgent string
	// Delay is the least time between two requests to one host. A host's
	// robots.txt Crawl-delay raises it for that host. Unlike the other
	// fields, zero is taken as it is: no delay (for local test webs);
	// DefaultConfig sets one second.
	Delay time.Duration
	// MaxDepth is how many links away from a site root the crawl goes.
	MaxDepth int
	// MaxPagesPerSite caps the requests made for one site root, documents
	// on other hosts included.
	MaxPagesPerSite int
	// MaxBodyBytes caps a response body; longer bodies are truncated.
	MaxBodyBytes int
	// RequestTimeout bounds one attempt of one request, body included.
	RequestTimeout time.Duration
	// Parallelism is how many requests may be in flight at once, each to a
	// different host.
	Parallelism int
	// SinkParallelism bounds the pages handed to the sink at once. A
	// fetched page waits for a free slot, so that fetching, which is
	// cheap, cannot run far ahead of extraction, which is not, with every
	// page held in memory half processed. Default: twice the CPUs.
	SinkParallelism int
	// RetryMax is how many times a failed request is retried; a negative
	// value turns retries off.
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the backoff between retries
	// when the server sends no Retry-After.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxRetryAfter is the longest Retry-After the crawler waits for; a
	// server asking for more is not retried.
	MaxRetryAfter time.Duration
	// MaxRedirects is how many redirects one request follows.
	MaxRedirects int
	// MaxSiteDuration bounds the time spent on one site root in one crawl:
	// after it, the site's queued URLs are left for the next crawl.
	MaxSiteDuration time.Duration
	// MaxURLsPerPattern bounds how many URLs of one shape (see trap.go:
	// the path with digits masked and the names of the query parameters)
	// and how many query-string variants of one path a site may queue, so
	// that calendars, pagination and faceted search cannot trap the crawl.
	MaxURLsPerPattern int
	// State remembers validators, content hashes and the frontier between
	// crawls; nil keeps them in memory for the crawler's lifetime.
	State State
	// Restart discards the frontier of an interrupted crawl and starts a
	// new crawl; by default an interrupted crawl is resumed.
	Restart bool
	// Refetch ignores the stored validators and hashes: every page is
	// fetched in full and handed to the sink.
	Refetch bool
	// CheckpointEvery and CheckpointInterval say how often the crawl
	// flushes the sink (when it is a Flusher) and commits its progress to
	// State: after this many completed requests or this much time.
	CheckpointEvery    int
	CheckpointInterval time.Duration
	// AllowPrivate permits requests to loopback, private and link-local
	// addresses, as a local test site needs.
	AllowPrivate bool
	// Logger receives the crawl's log; nil discards it.
	Logger *slog.Logger
	// Progress, if set, is called with a copy of the statistics after each
	// request is done. Calls do not overlap.
	Progress func(Stats)
}

// DefaultConfig returns the configuration of a polite public crawl.
func DefaultConfig() Config {
	return Config{
		UserAgent:       DefaultUserAgent,
		Delay:           time.Second,
		MaxDepth:        4,
		MaxPagesPerSite: 500,
		MaxBodyBytes:    10 << 20,
		RequestTimeout:  30 * time.Second,
		Parallelism:     4,
		SinkParallelism: 2 * runtime.GOMAXPROCS(0),
		RetryMax:        2,
		RetryWaitMin:    500 * time.Millisecond,
		RetryWaitMax:    5 * time.Second,
		MaxRetryAfter:   time.Minute,

		MaxRedirects:       5,
		MaxSiteDuration:    time.Hour,
		MaxURLsPerPattern:  100,
		CheckpointEvery:    32,
		CheckpointInterval: 2 * time.Second,
	}
}

// withDefaults returns cfg with zero fields set to their defaults, or an
// error naming a field whose value makes no sense.
func (cfg Config) withDefaults() (Config, error) {
	d := DefaultConfig()
	orDefault(&cfg.UserAgent, d.UserAgent)
	orDefault(&cfg.MaxDepth, d.MaxDepth)
	orDefault(&cfg.MaxPagesPerSite, d.MaxPagesPerSite)
	orDefault(&cfg.MaxBodyBytes, d.MaxBodyBytes)
	orDefault(&cfg.RequestTimeout, d.RequestTimeout)
	orDefault(&cfg.Parallelism, d.Parallelism)
	orDefault(&cfg.SinkParallelism, d.SinkParallelism)
	switch {
	case cfg.RetryMax == 0:
		cfg.RetryMax = d.RetryMax
	case cfg.RetryMax < 0: // a negative count turns retries off
		cfg.RetryMax = 0
	}
	orDefault(&cfg.RetryWaitMin, d.RetryWaitMin)
	orDefault(&cfg.RetryWaitMax, max(d.RetryWaitMax, cfg.RetryWaitMin))
	orDefault(&cfg.MaxRetryAfter, d.MaxRetryAfter)
	orDefault(&cfg.MaxRedirects, d.MaxRedirects)
	orDefault(&cfg.MaxSiteDuration, d.MaxSiteDuration)
	orDefault(&cfg.MaxURLsPerPattern, d.MaxURLsPerPattern)
	orDefault(&cfg.CheckpointEvery, d.CheckpointEvery)
	orDefault(&cfg.CheckpointInterval, d.CheckpointInterval)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	for _, f := range []struct {
		name string
		bad  bool
	}{
		{"Delay", cfg.Delay < 0},
		{"MaxDepth", cfg.MaxDepth < 0},
		{"MaxPagesPerSite", cfg.MaxPagesPerSite < 0},
		{"MaxBodyBytes", cfg.MaxBodyBytes < 0},
		{"RequestTimeout", cfg.RequestTimeout < 0},
		{"Parallelism", cfg.Parallelism < 0},
		{"SinkParallelism", cfg.SinkParallelism < 0},
		{"RetryWaitMin", cfg.RetryWaitMin < 0},
		{"RetryWaitMax", cfg.RetryWaitMax < cfg.RetryWaitMin},
		{"MaxRetryAfter", cfg.MaxRetryAfter < 0},
		{"MaxRedirects", cfg.MaxRedirects < 0},
		{"MaxSiteDuration", cfg.MaxSiteDuration < 0},
		{"MaxURLsPerPattern", cfg.MaxURLsPerPattern < 0},
		{"CheckpointEvery", cfg.CheckpointEvery < 0},
		{"CheckpointInterval", cfg.CheckpointInterval < 0},
	} {
		if f.bad {
			return cfg, fmt.Errorf("crawler config: invalid %s", f.name)
		}
	}
	return cfg, nil
}

// orDefault sets *field to def when it holds its type's zero value.
func orDefault[T comparable](field *T, def T) {
	var zero T
	if *field == zero {
		*field = def
	}
}

// Error kinds counted in Stats.ErrorsByKind.
const (
	ErrorKind4xx     = "4xx"
	ErrorKind5xx     = "5xx"
	ErrorKindTimeout = "timeout"
	ErrorKindNetwork = "network"
	ErrorKindOther   = "other" // unusable URLs, bodies that cannot be decoded
)

// Stats counts what a crawl did.
type Stats struct {
	Fetched        int            `json:"fetched"`         // responses received for page requests
	Kept           int            `json:"kept"`            // documents the sink accepted
	SkippedRobots  int            `json:"skipped_robots"`  // URLs robots.txt disallows
	SkippedScope   int            `json:"skipped_scope"`   // distinct links outside every site's scope
	SkippedLimit   int            `json:"skipped_limit"`   // distinct URLs beyond the depth or page limit
	SkippedType    int            `json:"skipped_type"`    // responses of a content type not kept
	Refused        int            `json:"refused"`         // requests to private addresses refused
	Errors         int            `json:"errors"`          // failed requests: 4xx, 5xx, network
	ErrorsByKind   map[string]int `json:"errors_by_kind"`  // Errors by ErrorKind*
	SinkErrors     int            `json:"sink_errors"`     // documents the sink failed on
	Truncated      int            `json:"truncated"`       // bodies cut at MaxBodyBytes
	NotModified    int            `json:"not_modified"`    // 304 answers to conditional requests: not extracted again
	Unchanged      int            `json:"unchanged"`       // bodies equal to the last crawl's: not extracted again
	Gone           int            `json:"gone"`            // stored documents retracted: 404, 410 or noindex now
	SkippedTrap    int            `json:"skipped_trap"`    // distinct URLs refused as crawler traps
	SkippedNoindex int            `json:"skipped_noindex"` // responses marked noindex: not kept
	Checkpoints    int            `json:"checkpoints"`     // progress commits to State
	Crawl          uint64         `json:"crawl"`           // the crawl's number in State
	Resumed        bool           `json:"resumed"`         // an interrupted crawl went on
	Bytes          int64          `json:"bytes"`           // body bytes received for page requests
	PerHost        map[string]int `json:"per_host"`        // responses by host[:port]
}

// clone returns a copy of s that shares no maps with it.
func (s Stats) clone() Stats {
	s.ErrorsByKind = maps.Clone(s.ErrorsByKind)
	s.PerHost = maps.Clone(s.PerHost)
	return s
}
