// Command crawlreport records and summarises the runs of bench/crawl/run.sh:
// the crawl of the generated web (bench/crawlweb) by "klusterkarta crawl
// --fetch-only", by the full "klusterkarta crawl", and by wget --mirror.
//
// Usage:
//
//	crawlreport record -out results.jsonl -mode MODE -run N -wall SECONDS -stats stats.json
//	                   [-summary summary.json] [-files N] TIMEFILE...
//	crawlreport table results.jsonl
//
// record appends one JSON line: the wall time measured by the script, the
// pages the web served (crawlweb's /stats), the pages the tool reports
// (klusterkarta's --json summary, or the files wget saved), and, summed
// over the TIMEFILEs that /usr/bin/time -v wrote (one per process), the
// peak resident set size and the CPU time. table prints a Markdown table
// of the medians of every mode and the ratios of pages per second.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "crawlreport:", err)
		}
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: crawlreport record|table ...")
	}
	switch args[0] {
	case "record":
		return record(args[1:], stderr)
	case "table":
		if len(args) != 2 {
			return errors.New("usage: crawlreport table results.jsonl")
		}
		runs, err := readRuns(args[1])
		if err != nil {
			return err
		}
		return writeTable(stdout, runs)
	}
	return fmt.Errorf("unknown command %q: want record or table", args[0])
}

// Run is one measured crawl.
type Run struct {
	Mode  string  `json:"mode"`
	Run   int     `json:"run"`
	Wall  float64 `json:"wall_seconds"`
	Pages int     `json:"pages"` // pages the web served: GETs of resources other than robots.txt and sitemap.xml
	// ByKind are the GETs the web served by kind (html, pdf, missing, ...).
	ByKind map[string]int `json:"by_kind"`
	// ToolPages is what the tool says it fetched, -1 when unknown.
	ToolPages int `json:"tool_pages"`
	// PeakRSSKB is the sum over the processes of their peak resident set
	// size, in KiB.
	PeakRSSKB int64 `json:"peak_rss_kb"`
	// CPU is the user and system time of all processes, in seconds.
	CPU       float64 `json:"cpu_seconds"`
	Processes int     `json:"processes"`
	// ExitStatuses are the exit statuses of the processes.
	ExitStatuses []int `json:"exit_statuses"`
}

// PagesPerSecond returns the pages served per second of wall time.
func (r Run) PagesPerSecond() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Pages) / r.Wall
}

func record(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("crawlreport record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "results file to append to")
	var r Run
	fs.StringVar(&r.Mode, "mode", "", "what ran: fetch-only, full or wget")
	fs.IntVar(&r.Run, "run", 0, "run number")
	fs.Float64Var(&r.Wall, "wall", 0, "wall time in seconds")
	stats := fs.String("stats", "", "crawlweb /stats JSON saved after the run")
	summary := fs.String("summary", "", "klusterkarta crawl --json summary")
	files := fs.Int("files", -1, "files the tool saved, when it reports no summary")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || r.Mode == "" || *stats == "" || fs.NArg() == 0 {
		return errors.New("record needs -out, -mode, -stats and at least one time file")
	}
	var st struct {
		Pages  int            `json:"pages"`
		ByKind map[string]int `json:"by_kind"`
	}
	if err := readJSON(*stats, &st); err != nil {
		return err
	}
	r.Pages, r.ByKind, r.ToolPages = st.Pages, st.ByKind, *files
	if *summary != "" {
		var sum struct {
			PagesKept int `json:"pages_kept"`
		}
		if err := readJSON(*summary, &sum); err != nil {
			return err
		}
		r.ToolPages = sum.PagesKept
	}
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("reading time output: %w", err)
		}
		tr, err := ParseTime(string(data))
		if err != nil {
			return fmt.Errorf("time output %s: %w", path, err)
		}
		r.PeakRSSKB += tr.MaxRSSKB
		r.CPU += tr.User + tr.System
		r.ExitStatuses = append(r.ExitStatuses, tr.ExitStatus)
		r.Processes++
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encoding run: %w", err)
	}
	f, err := os.OpenFile(*out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("opening results: %w", err)
	}
	if _, err := fmt.Fprintf(f, "%s\n", line); err != nil {
		f.Close()
		return fmt.Errorf("writing results: %w", err)
	}
	return f.Close()
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decoding %s: %w", path, err)
	}
	return nil
}

// readRuns reads a results file written by record.
func readRuns(path string) ([]Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening results: %w", err)
	}
	defer f.Close()
	var runs []Run
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r Run
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		runs = append(runs, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading results: %w", err)
	}
	return runs, nil
}

// TimeReport is what GNU time -v says about one process.
type TimeReport struct {
	User, System float64 // seconds
	Wall         float64 // seconds
	MaxRSSKB     int64
	ExitStatus   int
}

// ParseTime reads the output of GNU time -v ("/usr/bin/time -v"). It
// needs at least the maximum resident set size.
func ParseTime(out string) (TimeReport, error) {
	var tr TimeReport
	found := false
	for line := range strings.SplitSeq(out, "\n") {
		key, val, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		var err error
		switch key {
		case "User time (seconds)":
			tr.User, err = strconv.ParseFloat(val, 64)
		case "System time (seconds)":
			tr.System, err = strconv.ParseFloat(val, 64)
		case "Elapsed (wall clock) time (h:mm:ss or m:ss)":
			tr.Wall, err = parseClock(val)
		case "Maximum resident set size (kbytes)":
			tr.MaxRSSKB, err = strconv.ParseInt(val, 10, 64)
			found = err == nil
		case "Exit status":
			tr.ExitStatus, err = strconv.Atoi(val)
		}
		if err != nil {
			return TimeReport{}, fmt.Errorf("%s: %q: %w", key, val, err)
		}
	}
	if !found {
		return TimeReport{}, errors.New("no maximum resident set size: not the output of time -v")
	}
	return tr, nil
}

// parseClock parses "h:mm:ss" or "m:ss.ss" into seconds.
func parseClock(s string) (float64, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("not a clock time: %q", s)
	}
	total := 0.0
	for _, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 {
			return 0, fmt.Errorf("not a clock time: %q", s)
		}
		total = total*60 + v
	}
	return total, nil
}

// median returns the median of xs, the mean of the middle two for an even
// count; 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// modeOrder is the order of the table's rows; other modes follow.
var modeOrder = []string{"fetch-only", "full", "wget"}

// modeLabels name the modes in the table.
var modeLabels = map[string]string{
	"fetch-only": "Klusterkarta fetch only (`crawl --fetch-only`)",
	"full":       "Klusterkarta full pipeline (fetch + extract + graph + index)",
	"wget":       "wget --mirror, 20 processes (one per host)",
}

// summary is the medians of one mode.
type summary struct {
	mode                           string
	runs                           int
	wall, pagesPerSec, rssMiB, cpu float64
	cpuMsPerPage                   float64
	pagesMin, pagesMax             int
	toolMin, toolMax               int
	processes                      int
}

func summarise(runs []Run) []summary {
	byMode := map[string][]Run{}
	var modes []string
	for _, r := range runs {
		if _, ok := byMode[r.Mode]; !ok {
			modes = append(modes, r.Mode)
		}
		byMode[r.Mode] = append(byMode[r.Mode], r)
	}
	slices.SortStableFunc(modes, func(a, b string) int { return order(a) - order(b) })
	var out []summary
	for _, m := range modes {
		rs := byMode[m]
		s := summary{mode: m, runs: len(rs), pagesMin: rs[0].Pages, pagesMax: rs[0].Pages, toolMin: rs[0].ToolPages, toolMax: rs[0].ToolPages, processes: rs[0].Processes}
		var wall, pps, rss, cpu, cpp []float64
		for _, r := range rs {
			wall = append(wall, r.Wall)
			pps = append(pps, r.PagesPerSecond())
			rss = append(rss, float64(r.PeakRSSKB)/1024)
			cpu = append(cpu, r.CPU)
			if r.Pages > 0 {
				cpp = append(cpp, 1000*r.CPU/float64(r.Pages))
			}
			s.pagesMin, s.pagesMax = min(s.pagesMin, r.Pages), max(s.pagesMax, r.Pages)
			s.toolMin, s.toolMax = min(s.toolMin, r.ToolPages), max(s.toolMax, r.ToolPages)
		}
		s.wall, s.pagesPerSec, s.rssMiB, s.cpu, s.cpuMsPerPage = median(wall), median(pps), median(rss), median(cpu), median(cpp)
		out = append(out, s)
	}
	return out
}

func order(mode string) int {
	if i := slices.Index(modeOrder, mode); i >= 0 {
		return i
	}
	return len(modeOrder)
}

// span writes "n" or "lo–hi".
func span(lo, hi int) string {
	if lo < 0 {
		return "—"
	}
	if lo == hi {
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}

// writeTable writes the Markdown table of medians and the ratios.
func writeTable(w io.Writer, runs []Run) error {
	if len(runs) == 0 {
		return errors.New("no runs recorded")
	}
	sums := summarise(runs)
	var b strings.Builder
	b.WriteString("| | runs | pages served | pages the tool reports | wall (s) | pages/s | peak RSS (MiB) | CPU (s) | CPU ms/page |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	byMode := map[string]summary{}
	for _, s := range sums {
		byMode[s.mode] = s
		label := modeLabels[s.mode]
		if label == "" {
			label = s.mode
		}
		if s.processes > 1 {
			label += fmt.Sprintf(" (RSS and CPU summed over %d processes)", s.processes)
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %.1f | %.0f | %.0f | %.1f | %.2f |\n",
			label, s.runs, span(s.pagesMin, s.pagesMax), span(s.toolMin, s.toolMax), s.wall, s.pagesPerSec, s.rssMiB, s.cpu, s.cpuMsPerPage)
	}
	if wg, ok := byMode["wget"]; ok && wg.pagesPerSec > 0 {
		b.WriteString("\n")
		for _, m := range []string{"full", "fetch-only"} {
			if s, ok := byMode[m]; ok {
				fmt.Fprintf(&b, "- %s pages/s ÷ wget pages/s: **%.3f**\n", m, s.pagesPerSec/wg.pagesPerSec)
			}
		}
		if s, ok := byMode["full"]; ok && wg.cpuMsPerPage > 0 {
			fmt.Fprintf(&b, "- full pipeline CPU per page ÷ wget CPU per page: %.1f\n", s.cpuMsPerPage/wg.cpuMsPerPage)
		}
	}
	b.WriteString("\nMedians over the runs; pages/s is pages served by the web ÷ wall time of the whole crawl.\n")
	_, err := io.WriteString(w, b.String())
	return err
}
