package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// report is everything a benchmark run prints.
type report struct {
	Config     string      `json:"config"`
	Machine    machineInfo `json:"machine"`
	Dictionary dictInfo    `json:"dictionary"`
	Corpus     corpusInfo  `json:"corpus"`
	Runs       []runResult `json:"runs"`
}

// runResult is one run: the indexing (absent with -reuse) and the searches.
type runResult struct {
	Build  buildResult  `json:"build"`
	Search searchResult `json:"search"`
	Floor  *floorResult `json:"floor,omitempty"` // with -floor
}

// machineInfo describes where the figures were taken.
type machineInfo struct {
	GOOS, GOARCH string
	CPUs         int
	GOMAXPROCS   int
	CPU          string
	Go           string
	LoadAvg      string `json:"load_avg"` // 1, 5 and 15 minute load when the run started
}

func machine() machineInfo {
	m := machineInfo{
		GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, CPUs: runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version(),
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	m.LoadAvg = loadAvg()
	return m
}

// loadAvg returns the 1, 5 and 15 minute load averages, or "".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func describe(cfg config) string {
	s := fmt.Sprintf("-docs %d -batch %d -writers %d -clients %s -runs %d -queries %d -seed %d",
		cfg.docs, cfg.batch, cfg.writers, joinInts(cfg.clients), cfg.runs, cfg.queries, cfg.seed)
	if cfg.reuse {
		s += " -reuse"
	}
	return s
}

// corpusInfo summarises the generated documents.
type corpusInfo struct {
	Docs         int     `json:"docs"`
	MeanWords    float64 `json:"mean_words"`
	MeanBytes    float64 `json:"mean_text_bytes"`
	EnglishShare float64 `json:"english_share"`
}

func (c corpusInfo) String() string {
	return fmt.Sprintf("%d docs, %.0f words and %.0f bytes of text on average, %.1f %% English",
		c.Docs, c.MeanWords, c.MeanBytes, 100*c.EnglishShare)
}

func describeCorpus(docs []kg.IndexDoc) corpusInfo {
	c := corpusInfo{Docs: len(docs)}
	if len(docs) == 0 {
		return c
	}
	var words, bytes, en int
	for _, d := range docs {
		words += len(strings.Fields(d.Text))
		bytes += len(d.Title) + len(d.Text)
		if d.Lang == "en" {
			en++
		}
	}
	n := float64(len(docs))
	c.MeanWords, c.MeanBytes, c.EnglishShare = float64(words)/n, float64(bytes)/n, float64(en)/n
	return c
}

// median returns the median of xs (the mean of the middle two for an even
// count).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// row is one line of a table: a label, the median and every run's value.
type row struct {
	label  string
	values []float64
	format func(float64) string
}

func (r row) write(w io.Writer) {
	runs := make([]string, len(r.values))
	for i, v := range r.values {
		runs[i] = r.format(v)
	}
	fmt.Fprintf(w, "| %s | %s | %s |\n", r.label, r.format(median(r.values)), strings.Join(runs, ", "))
}

func collect(runs []runResult, f func(runResult) float64) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = f(r)
	}
	return out
}

func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func millis(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	default:
		return fmt.Sprintf("%.2f ms", v)
	}
}

func mib(v float64) string { return fmt.Sprintf("%.1f MiB", v/(1<<20)) }

// writeMarkdown prints the report as Markdown tables for BENCHMARKS.md.
func writeMarkdown(w io.Writer, rep report) {
	m := rep.Machine
	fmt.Fprintf(w, "## Index speed on %s generated documents\n\n", thousands(float64(docsOf(rep))))
	fmt.Fprintf(w, "Machine: %s/%s, %d CPUs (%s), GOMAXPROCS %d, %s; load average %s when the run started.\n",
		m.GOOS, m.GOARCH, m.CPUs, m.CPU, m.GOMAXPROCS, m.Go, m.LoadAvg)
	d := rep.Dictionary
	fmt.Fprintf(w, "Decompounding dictionary of the index: %d domain and %d general words (%s).\n",
		d.IndexDomainWords, d.IndexGeneralWords, d.IndexFingerprint)
	if rep.Corpus.Docs > 0 {
		fmt.Fprintf(w, "Corpus: %s.\n", rep.Corpus)
	}
	fmt.Fprintf(w, "\n    go run ./bench/indexbench %s -dir DIR\n\n", rep.Config)

	fmt.Fprintln(w, "| | median | runs |")
	fmt.Fprintln(w, "|---|---|---|")
	runs := rep.Runs
	if runs[0].Build.Docs > 0 {
		row{"indexing, docs/s (through close)", collect(runs, func(r runResult) float64 { return r.Build.DocsPerSec }), thousands}.write(w)
		row{"indexing, docs per CPU-second", collect(runs, func(r runResult) float64 { return r.Build.DocsPerCPU }), thousands}.write(w)
		row{"index size on disk, bytes/doc", collect(runs, func(r runResult) float64 { return r.Build.BytesPerDoc }), thousands}.write(w)
		row{"index size on disk", collect(runs, func(r runResult) float64 { return float64(r.Build.SizeBytes) }), mib}.write(w)
	}
	row{"open the existing index", collect(runs, func(r runResult) float64 { return r.Search.OpenMillis }), millis}.write(w)
	row{"Go heap after opening", collect(runs, func(r runResult) float64 { return float64(r.Search.HeapAfter) }), mib}.write(w)
	row{"RSS after opening", collect(runs, func(r runResult) float64 { return float64(r.Search.RSSAfter) }), mib}.write(w)
	row{"RSS peak, searches included", collect(runs, func(r runResult) float64 { return float64(r.Search.RSSPeak) }), mib}.write(w)
	row{"first search after opening", collect(runs, func(r runResult) float64 { return r.Search.FirstMillis }), millis}.write(w)

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Search latency through index.Search with every facet (cluster, topic, kind, lang, county, year), 10 hits a page; median of the runs:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| query | clients | p50 | p99 | mean | CPU per search | searches/s | mean hits |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for i, l := range runs[0].Search.Latencies {
		at := func(f func(latencyStat) float64) float64 {
			return median(collect(runs, func(r runResult) float64 { return f(r.Search.Latencies[i]) }))
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %s |\n", l.Shape, l.Clients,
			millis(at(func(s latencyStat) float64 { return s.P50Millis })),
			millis(at(func(s latencyStat) float64 { return s.P99Millis })),
			millis(at(func(s latencyStat) float64 { return s.MeanMillis })),
			millis(at(func(s latencyStat) float64 { return s.CPUMillis })),
			thousands(at(func(s latencyStat) float64 { return s.PerSec })),
			thousands(at(func(s latencyStat) float64 { return s.MeanHits })))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "p99 of every run:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| query | clients | p99 of each run |")
	fmt.Fprintln(w, "|---|---|---|")
	for i, l := range runs[0].Search.Latencies {
		vals := collect(runs, func(r runResult) float64 { return r.Search.Latencies[i].P99Millis })
		s := make([]string, len(vals))
		for j, v := range vals {
			s[j] = millis(v)
		}
		fmt.Fprintf(w, "| %s | %d | %s |\n", l.Shape, l.Clients, strings.Join(s, ", "))
	}
	zero := median(collect(runs, func(r runResult) float64 { return r.Search.ZeroHitShare }))
	fmt.Fprintf(w, "\nSearches without hits: %.1f %%. Load average when the run ended: %s.\n", 100*zero, loadAvg())
	if runs[0].Floor != nil {
		writeFloor(w, runs)
	}
}

// writeFloor prints the floor's figures beside the index's: Bleve alone
// over the same documents and queries.
func writeFloor(w io.Writer, runs []runResult) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Bleve alone over the same documents and queries (one text field, standard analyser, plain match query, the same facets, 1 client); median of the runs:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| | index | Bleve alone | index / Bleve alone |")
	fmt.Fprintln(w, "|---|---|---|---|")
	ratio := func(label string, ours, floor func(runResult) float64, format func(float64) string) {
		o, f := median(collect(runs, ours)), median(collect(runs, floor))
		r := "–"
		if f > 0 {
			r = fmt.Sprintf("%.2f", o/f)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", label, format(o), format(f), r)
	}
	ratio("indexing, docs/s", func(r runResult) float64 { return r.Build.DocsPerSec },
		func(r runResult) float64 { return r.Floor.Build.DocsPerSec }, thousands)
	ratio("indexing, docs per CPU-second", func(r runResult) float64 { return r.Build.DocsPerCPU },
		func(r runResult) float64 { return r.Floor.Build.DocsPerCPU }, thousands)
	ratio("bytes per document", func(r runResult) float64 { return r.Build.BytesPerDoc },
		func(r runResult) float64 { return r.Floor.Build.BytesPerDoc }, thousands)
	for i, l := range runs[0].Floor.Latencies {
		j := slices.IndexFunc(runs[0].Search.Latencies, func(s latencyStat) bool { return s.Shape == l.Shape && s.Clients == 1 })
		if j < 0 {
			continue
		}
		ours := func(f func(latencyStat) float64) func(runResult) float64 {
			return func(r runResult) float64 { return f(r.Search.Latencies[j]) }
		}
		floor := func(f func(latencyStat) float64) func(runResult) float64 {
			return func(r runResult) float64 { return f(r.Floor.Latencies[i]) }
		}
		p50 := func(s latencyStat) float64 { return s.P50Millis }
		p99 := func(s latencyStat) float64 { return s.P99Millis }
		hits := func(s latencyStat) float64 { return s.MeanHits }
		ratio(l.Shape+", p50", ours(p50), floor(p50), millis)
		ratio(l.Shape+", p99", ours(p99), floor(p99), millis)
		ratio(l.Shape+", mean hits", ours(hits), floor(hits), thousands)
	}
}

func docsOf(rep report) uint64 {
	if len(rep.Runs) > 0 && rep.Runs[0].Search.Docs > 0 {
		return rep.Runs[0].Search.Docs
	}
	return uint64(rep.Corpus.Docs)
}
