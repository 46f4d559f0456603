// Command indexbench measures the speed of the full-text index on generated
// Swedish-like documents: indexing throughput through the index's batch
// write path, index size on disk per document, time to open the existing
// index, memory after opening it, and the latency of one-, two- and
// three-term searches with facets at several numbers of concurrent clients.
//
//	go run ./bench/indexbench -docs 100000 -dir /tmp/indexbench -clients 1,50 -runs 3
//
// Each run builds a fresh index in DIR/index, then opens it in a new
// process of this command, so that the time to open and the memory after
// opening are those of a server starting on an existing index. It prints
// a Markdown table with the median of the runs and every run's figure.
// With -floor, each run also indexes and searches the same documents and
// queries with Bleve alone (floor.go), the fastest any index built on
// Bleve could be here, and the table sets the two side by side.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/klusterkarta/klusterkarta/bench/indexbench/docgen"
	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/ingest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "indexbench:", err)
		os.Exit(1)
	}
}

// Bounds of the flags, so that a run stays within the machine.
const (
	maxDocs    = 2_000_000
	maxClients = 256
	maxRuns    = 20
	maxQueries = 1_000_000
)

// config is what a run does.
type config struct {
	docs, batch, writers int
	dir                  string
	clients              []int
	runs                 int
	queries, warmup      int
	seed                 uint64
	domain, general      string
	cpuProfile           string // CPU profile of the indexing of the first run
	searchProfile        string // CPU profile of the searches of the first run
	reuse                bool   // search an index already in DIR instead of building one
	floor                bool   // also measure Bleve on its own over the same documents (floor.go)
	jsonOut              string // file to write the report to as JSON

	searchChild bool // internal: this process only opens and searches
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("indexbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	clients := fs.String("clients", "1,50", "comma-separated numbers of concurrent search clients")
	fs.IntVar(&cfg.docs, "docs", 100_000, "documents to generate and index")
	fs.StringVar(&cfg.dir, "dir", "", "directory for the index (required; DIR/index is replaced on each run)")
	fs.IntVar(&cfg.batch, "batch", 500, "documents per Index call (ingest buffers "+strconv.Itoa(ingest.DefaultBatchSize)+" by default)")
	fs.IntVar(&cfg.writers, "writers", 1, "goroutines calling Index at once")
	fs.IntVar(&cfg.runs, "runs", 3, "runs; the table gives their medians")
	fs.IntVar(&cfg.queries, "queries", 1000, "searches per query shape and number of clients")
	fs.IntVar(&cfg.warmup, "warmup", 50, "searches run after opening and before measuring")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the documents and queries")
	fs.StringVar(&cfg.domain, "domain", "index/dict/domain.txt", "domain word list the compounds are built from")
	fs.StringVar(&cfg.general, "general", "index/dict/general.txt", "general Swedish word list (optional: skipped when missing)")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the first run's indexing to this file")
	fs.StringVar(&cfg.searchProfile, "search-cpuprofile", "", "write a CPU profile of the first run's searches to this file")
	fs.BoolVar(&cfg.reuse, "reuse", false, "do not index: open and search the index already in DIR")
	fs.BoolVar(&cfg.floor, "floor", false, "also index and search the same documents with Bleve alone (standard analyser, no language work), in DIR/floor")
	fs.StringVar(&cfg.jsonOut, "json", "", "also write every run's figures as JSON to this file")
	fs.BoolVar(&cfg.searchChild, "search-child", false, "internal: open DIR/index, search and print JSON")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if cfg.clients, err = parseInts(*clients, maxClients); err != nil {
		return config{}, fmt.Errorf("-clients: %w", err)
	}
	switch {
	case cfg.dir == "":
		return config{}, errors.New("-dir is required")
	case cfg.docs < 1 || cfg.docs > maxDocs:
		return config{}, fmt.Errorf("-docs must be in [1, %d]", maxDocs)
	case cfg.batch < 1:
		return config{}, errors.New("-batch must be at least 1")
	case cfg.writers < 1 || cfg.writers > 64:
		return config{}, errors.New("-writers must be in [1, 64]")
	case cfg.runs < 1 || cfg.runs > maxRuns:
		return config{}, fmt.Errorf("-runs must be in [1, %d]", maxRuns)
	case cfg.queries < 1 || cfg.queries > maxQueries:
		return config{}, fmt.Errorf("-queries must be in [1, %d]", maxQueries)
	case cfg.warmup < 0 || cfg.warmup > maxQueries:
		return config{}, fmt.Errorf("-warmup must be in [0, %d]", maxQueries)
	case cfg.floor && cfg.reuse:
		return config{}, errors.New("-floor needs the documents: it cannot be combined with -reuse")
	}
	return cfg, nil
}

// parseInts parses a comma-separated list of numbers in [1, limit].
func parseInts(s string, limit int) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > limit {
			return nil, fmt.Errorf("%q is not a number in [1, %d]", f, limit)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		return err
	}
	gen, info, err := newGenerator(cfg)
	if err != nil {
		return err
	}
	if cfg.searchChild {
		res, err := searchPhase(ctx, cfg, gen)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(res)
	}

	rep := report{Config: describe(cfg), Machine: machine(), Dictionary: info}
	var docs []kg.IndexDoc
	if !cfg.reuse {
		fmt.Fprintf(stderr, "generating %d documents\n", cfg.docs)
		start := time.Now()
		docs = gen.Docs(0, cfg.docs, runtime.GOMAXPROCS(0))
		rep.Corpus = describeCorpus(docs)
		fmt.Fprintf(stderr, "generated in %s: %s\n", time.Since(start).Round(time.Millisecond), rep.Corpus)
	}
	for r := range cfg.runs {
		var res runResult
		if !cfg.reuse {
			fmt.Fprintf(stderr, "run %d: indexing\n", r+1)
			res.Build, err = buildPhase(ctx, cfg, docs, r == 0, stderr)
			if err != nil {
				return fmt.Errorf("run %d: %w", r+1, err)
			}
			fmt.Fprintf(stderr, "run %d: %.0f docs/s, %.0f bytes/doc\n", r+1, res.Build.DocsPerSec, res.Build.BytesPerDoc)
		}
		fmt.Fprintf(stderr, "run %d: searching\n", r+1)
		res.Search, err = spawnSearch(ctx, cfg, r == 0, stderr)
		if err != nil {
			return fmt.Errorf("run %d: %w", r+1, err)
		}
		if cfg.floor {
			fmt.Fprintf(stderr, "run %d: Bleve alone\n", r+1)
			fl, err := floorRun(ctx, cfg, docs, gen, stderr)
			if err != nil {
				return fmt.Errorf("run %d: %w", r+1, err)
			}
			res.Floor = &fl
		}
		rep.Runs = append(rep.Runs, res)
	}
	if cfg.jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return fmt.Errorf("encoding report: %w", err)
		}
		if err := os.WriteFile(cfg.jsonOut, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("writing report: %w", err)
		}
	}
	writeMarkdown(stdout, rep)
	return nil
}

// spawnSearch runs the search phase of a run; tests replace it to search
// in their own process.
var spawnSearch = searchInChild

// dictInfo describes the word lists the documents were made from and the
// index analyses with.
type dictInfo struct {
	DomainWords        int    `json:"domain_words"`
	GeneralWords       int    `json:"general_words"`
	IndexDomainWords   int    `json:"index_domain_words"`
	IndexGeneralWords  int    `json:"index_general_words"`
	IndexFingerprint   string `json:"index_fingerprint"`
	GeneralListMissing bool   `json:"general_list_missing,omitempty"`
}

func newGenerator(cfg config) (*docgen.Generator, dictInfo, error) {
	domain, err := docgen.ReadWords(cfg.domain)
	if err != nil {
		return nil, dictInfo{}, fmt.Errorf("%w (run from the repository root or set -domain)", err)
	}
	var info dictInfo
	general, err := docgen.ReadWords(cfg.general)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		info.GeneralListMissing = true
	case err != nil:
		return nil, dictInfo{}, err
	}
	v, err := docgen.DefaultVocabulary(domain, general)
	if err != nil {
		return nil, dictInfo{}, err
	}
	g, err := docgen.New(cfg.seed, v)
	if err != nil {
		return nil, dictInfo{}, err
	}
	d := index.BuiltinDictionary()
	info.DomainWords, info.GeneralWords = len(domain), len(general)
	info.IndexDomainWords, info.IndexGeneralWords, info.IndexFingerprint = d.DomainWords, d.GeneralWords, d.Fingerprint
	return g, info, nil
}

// buildResult is what one indexing run measured.
type buildResult struct {
	Docs        int     `json:"docs"`
	IndexSecs   float64 `json:"index_secs"`       // until the last Index call returned
	TotalSecs   float64 `json:"total_secs"`       // until Close returned
	DocsPerSec  float64 `json:"docs_per_sec"`     // docs / TotalSecs
	CPUSecs     float64 `json:"cpu_secs"`         // CPU time of the process, user and system, until Close returned
	DocsPerCPU  float64 `json:"docs_per_cpu_sec"` // docs / CPUSecs: what one uncontended core would do
	SizeBytes   int64   `json:"size_bytes"`
	BytesPerDoc float64 `json:"bytes_per_doc"`
	Files       int     `json:"files"`
}

// buildPhase indexes docs into a fresh DIR/index in batches, the way the
// ingest pipeline writes them, and measures the time until the index is
// closed.
func buildPhase(ctx context.Context, cfg config, docs []kg.IndexDoc, profile bool, stderr io.Writer) (buildResult, error) {
	path := filepath.Join(cfg.dir, "index")
	if err := os.RemoveAll(path); err != nil {
		return buildResult{}, fmt.Errorf("removing old index: %w", err)
	}
	if err := os.MkdirAll(cfg.dir, 0o755); err != nil {
		return buildResult{}, fmt.Errorf("creating %s: %w", cfg.dir, err)
	}
	vocab, err := topics.Default()
	if err != nil {
		return buildResult{}, fmt.Errorf("loading topics: %w", err)
	}
	runtime.GC()
	if profile && cfg.cpuProfile != "" {
		stop, err := startProfile(cfg.cpuProfile)
		if err != nil {
			return buildResult{}, err
		}
		defer stop()
	}
	start, cpuStart := time.Now(), cpuTime()
	ix, err := index.Open(path, index.WithTopics(vocab))
	if err != nil {
		return buildResult{}, err
	}
	var (
		next     atomic.Int64
		done     atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	batches := (len(docs) + cfg.batch - 1) / cfg.batch
	for range cfg.writers {
		wg.Go(func() {
			for {
				b := int(next.Add(1) - 1)
				if b >= batches || ctx.Err() != nil {
					return
				}
				lo, hi := b*cfg.batch, min((b+1)*cfg.batch, len(docs))
				if err := ix.Index(ctx, docs[lo:hi]); err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				n := done.Add(int64(hi - lo))
				if tenth := int64(len(docs)) / 10; tenth > 0 && n/tenth != (n-int64(hi-lo))/tenth {
					fmt.Fprintf(stderr, "  %d docs, %.0f docs/s\n", n, float64(n)/time.Since(start).Seconds())
				}
			}
		})
	}
	wg.Wait()
	indexed := time.Since(start)
	if err := cmp.Or(firstErr, ctx.Err()); err != nil {
		_ = ix.Close()
		return buildResult{}, err
	}
	if err := ix.Close(); err != nil {
		return buildResult{}, err
	}
	return newBuildResult(len(docs), indexed, time.Since(start), cpuTime()-cpuStart, path)
}

// newBuildResult is the result of indexing docs documents into path: in
// indexed until the last write returned, total until the index was
// closed, using cpu of CPU time.
func newBuildResult(docs int, indexed, total, cpu time.Duration, path string) (buildResult, error) {
	size, files, err := dirSize(path)
	if err != nil {
		return buildResult{}, err
	}
	return buildResult{
		Docs:        docs,
		IndexSecs:   indexed.Seconds(),
		TotalSecs:   total.Seconds(),
		DocsPerSec:  float64(docs) / total.Seconds(),
		CPUSecs:     cpu.Seconds(),
		DocsPerCPU:  float64(docs) / cpu.Seconds(),
		SizeBytes:   size,
		BytesPerDoc: float64(size) / float64(docs),
		Files:       files,
	}, nil
}

func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// dirSize returns the bytes and number of the regular files under path.
func dirSize(path string) (int64, int, error) {
	var size int64
	var files int
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			size += fi.Size()
			files++
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("measuring %s: %w", path, err)
	}
	return size, files, nil
}

// searchInChild runs the search phase in a new process of this program, so
// that its memory is that of a process that only opened the index.
func searchInChild(ctx context.Context, cfg config, profile bool, stderr io.Writer) (searchResult, error) {
	exe, err := os.Executable()
	if err != nil {
		return searchResult{}, fmt.Errorf("finding this program: %w", err)
	}
	args := []string{
		"-search-child", "-dir", cfg.dir, "-clients", joinInts(cfg.clients),
		"-queries", strconv.Itoa(cfg.queries), "-warmup", strconv.Itoa(cfg.warmup),
		"-seed", strconv.FormatUint(cfg.seed, 10), "-domain", cfg.domain, "-general", cfg.general,
	}
	if profile && cfg.searchProfile != "" {
		args = append(args, "-search-cpuprofile", cfg.searchProfile)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, stderr
	if err := cmd.Run(); err != nil {
		return searchResult{}, fmt.Errorf("search process: %w", err)
	}
	var res searchResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return searchResult{}, fmt.Errorf("reading search process output: %w", err)
	}
	return res, nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

// searchResult is what one search phase measured.
type searchResult struct {
	Docs         uint64        `json:"docs"`
	OpenMillis   float64       `json:"open_ms"`
	HeapAfter    uint64        `json:"heap_after_open_bytes"` // live Go heap after a collection
	RSSAfter     uint64        `json:"rss_after_open_bytes"`
	RSSPeak      uint64        `json:"rss_peak_bytes"` // high-water mark, searches included
	FirstMillis  float64       `json:"first_search_ms"`
	Latencies    []latencyStat `json:"latencies"`
	ZeroHitShare float64       `json:"zero_hit_share"` // share of measured searches without hits
}

// latencyStat is the latency of one query shape at one number of clients.
type latencyStat struct {
	Shape      string  `json:"shape"`
	Clients    int     `json:"clients"`
	Searches   int     `json:"searches"`
	P50Millis  float64 `json:"p50_ms"`
	P99Millis  float64 `json:"p99_ms"`
	MeanMillis float64 `json:"mean_ms"`
	CPUMillis  float64 `json:"cpu_ms"` // CPU time of the process per search
	PerSec     float64 `json:"per_sec"`
	MeanHits   float64 `json:"mean_total_hits"`
}

// shape is one kind of search the benchmark measures.
type shape struct {
	name    string
	terms   int
	filters bool // a cluster and a year filter, as after two facet clicks
}

var shapes = []shape{
	{"1 term", 1, false},
	{"2 terms", 2, false},
	{"3 terms", 3, false},
	{"2 terms + cluster, year", 2, true},
}

// request returns search number i of shape s, as the API issues it: the
// default page size, every facet.
func request(g *docgen.Generator, clusters []string, s shape, i int) kg.SearchRequest {
	req := kg.SearchRequest{Query: g.Query(i, s.terms), Size: kg.DefaultPageSize}
	if s.filters {
		req.Cluster = clusters[i%len(clusters)]
		req.Year = docgen.End.Year() - i%5
	}
	return req
}

// searchPhase opens DIR/index and measures searches.
func searchPhase(ctx context.Context, cfg config, g *docgen.Generator) (searchResult, error) {
	vocab, err := topics.Default()
	if err != nil {
		return searchResult{}, fmt.Errorf("loading topics: %w", err)
	}
	var res searchResult
	start := time.Now()
	ix, err := index.Open(filepath.Join(cfg.dir, "index"), index.WithTopics(vocab))
	if err != nil {
		return searchResult{}, err
	}
	defer ix.Close()
	res.OpenMillis = ms(time.Since(start))
	if res.Docs, err = ix.Count(ctx); err != nil {
		return searchResult{}, err
	}
	if res.Docs == 0 {
		return searchResult{}, fmt.Errorf("the index in %s is empty", cfg.dir)
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	res.HeapAfter = m.HeapAlloc
	res.RSSAfter, _ = procStatus("VmRSS")

	clusters := clusterIDs(g)
	t := time.Now()
	if _, err := ix.Search(ctx, request(g, clusters, shapes[0], -1)); err != nil {
		return searchResult{}, err
	}
	res.FirstMillis = ms(time.Since(t))
	for i := range cfg.warmup {
		if _, err := ix.Search(ctx, request(g, clusters, shapes[i%len(shapes)], 1_000_000+i)); err != nil {
			return searchResult{}, err
		}
	}

	if cfg.searchProfile != "" {
		stop, err := startProfile(cfg.searchProfile)
		if err != nil {
			return searchResult{}, err
		}
		defer stop()
	}
	search := func(ctx context.Context, req kg.SearchRequest) (uint64, error) {
		r, err := ix.Search(ctx, req)
		return r.Total, err
	}
	var searches, zero int
	for _, c := range cfg.clients {
		for _, s := range shapes {
			st, z, err := measure(ctx, search, g, clusters, s, c, cfg.queries)
			if err != nil {
				return searchResult{}, err
			}
			res.Latencies = append(res.Latencies, st)
			searches += st.Searches
			zero += z
		}
	}
	res.ZeroHitShare = float64(zero) / float64(searches)
	res.RSSPeak, _ = procStatus("VmHWM")
	return res, nil
}

// searchFunc runs one search and returns how many documents it found.
type searchFunc func(ctx context.Context, req kg.SearchRequest) (uint64, error)

// measure runs n searches of shape s from clients goroutines and returns
// their latency and how many found nothing.
func measure(ctx context.Context, search searchFunc, g *docgen.Generator, clusters []string, s shape, clients, n int) (latencyStat, int, error) {
	lat := make([]time.Duration, n)
	hits := make([]uint64, n)
	var next atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	start, cpuStart := time.Now(), cpuTime()
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				req := request(g, clusters, s, i)
				t := time.Now()
				total, err := search(ctx, req)
				lat[i] = time.Since(t)
				if err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("searching %q: %w", req.Query, err) })
					return
				}
				hits[i] = total
			}
		})
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpuStart
	if err := cmp.Or(firstErr, ctx.Err()); err != nil {
		return latencyStat{}, 0, err
	}
	zero := 0
	var sum time.Duration
	var total uint64
	for i := range lat {
		sum += lat[i]
		total += hits[i]
		if hits[i] == 0 {
			zero++
		}
	}
	slices.Sort(lat)
	return latencyStat{
		Shape:      s.name,
		Clients:    clients,
		Searches:   n,
		P50Millis:  ms(percentile(lat, 0.50)),
		P99Millis:  ms(percentile(lat, 0.99)),
		MeanMillis: ms(sum / time.Duration(n)),
		CPUMillis:  ms(cpu / time.Duration(n)),
		PerSec:     float64(n) / elapsed.Seconds(),
		MeanHits:   float64(total) / float64(n),
	}, zero, nil
}

// percentile returns the nearest-rank percentile p of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// clusterIDs returns the ids of the clusters documents are attributed to,
// for filters.
func clusterIDs(g *docgen.Generator) []string {
	seen := map[string]bool{}
	var out []string
	for i := range 500 {
		for _, c := range g.Doc(i).Clusters {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	slices.Sort(out)
	return out
}

// cpuTime returns the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procStatus returns a memory figure of /proc/self/status in bytes; false
// where there is none (not Linux).
func procStatus(key string) (uint64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, key+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0, false
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}
