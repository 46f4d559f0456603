// Command load sends mixed search, topic, cluster, partner and page traffic
// to a running Klusterkarta server on this machine and reports throughput,
// latency percentiles, status counts and the server's memory.
//
//	go run ./bench/load -url http://127.0.0.1:8080 -duration 60s -concurrency 16 -pid $(pgrep -n klusterkarta)
//
// It only talks to loopback addresses (127.0.0.0/8, ::1, localhost) and
// stops by itself after -duration or -max-requests, whichever comes first.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// Bounds of the flags, so that a run always ends and stays modest.
const (
	maxDuration    = 10 * time.Minute
	maxConcurrency = 256
	maxRequests    = 10_000_000
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// config is what a run does.
type config struct {
	base        *url.URL
	duration    time.Duration
	concurrency int
	maxRequests int
	timeout     time.Duration
	pid         int
	seed        uint64
	asJSON      bool
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("url", "http://127.0.0.1:8080", "base URL of the server (loopback only)")
	var cfg config
	fs.DurationVar(&cfg.duration, "duration", 60*time.Second, "how long to send traffic (at most 10m)")
	fs.IntVar(&cfg.concurrency, "concurrency", 16, "requests in flight at once (at most 256)")
	fs.IntVar(&cfg.maxRequests, "max-requests", 5_000_000, "stop after this many requests")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "timeout of one request")
	fs.IntVar(&cfg.pid, "pid", 0, "process id of the server, to report its resident memory (Linux)")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the request mix")
	fs.BoolVar(&cfg.asJSON, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	switch {
	case cfg.duration <= 0 || cfg.duration > maxDuration:
		return config{}, fmt.Errorf("-duration must be in (0, %s]", maxDuration)
	case cfg.concurrency < 1 || cfg.concurrency > maxConcurrency:
		return config{}, fmt.Errorf("-concurrency must be in [1, %d]", maxConcurrency)
	case cfg.maxRequests < 1 || cfg.maxRequests > maxRequests:
		return config{}, fmt.Errorf("-max-requests must be in [1, %d]", maxRequests)
	case cfg.timeout <= 0:
		return config{}, errors.New("-timeout must be positive")
	}
	u, err := url.Parse(*target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return config{}, fmt.Errorf("-url %q is not an http(s) URL", *target)
	}
	if err := checkLoopback(u.Hostname()); err != nil {
		return config{}, err
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	cfg.base = u
	return cfg, nil
}

// checkLoopback refuses any host that is not, or does not resolve only
// to, a loopback address.
func checkLoopback(host string) error {
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return fmt.Errorf("refusing %s: load is only sent to loopback addresses", host)
		}
		return nil
	}
	if host != "localhost" && !strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("refusing %q: load is only sent to loopback addresses (127.0.0.1, ::1, localhost)", host)
	}
	ips, err := net.DefaultResolver.LookupIPAddr(context.Background(), host)
	if err != nil {
		return fmt.Errorf("resolving %s: %w", host, err)
	}
	for _, ip := range ips {
		if !ip.IP.IsLoopback() {
			return fmt.Errorf("refusing %s: it resolves to %s, not loopback", host, ip.IP)
		}
	}
	return nil
}

// newClient returns an HTTP client that can only connect to loopback
// addresses, whatever a name resolves to or a redirect says.
func newClient(cfg config) *http.Client {
	dialer := &net.Dialer{Timeout: cfg.timeout}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if ta, ok := conn.RemoteAddr().(*net.TCPAddr); !ok || !ta.IP.IsLoopback() {
				conn.Close()
				return nil, fmt.Errorf("refusing connection to %s: not loopback", conn.RemoteAddr())
			}
			return conn, nil
		},
		MaxIdleConns:        cfg.concurrency * 2,
		MaxIdleConnsPerHost: cfg.concurrency * 2,
		IdleConnTimeout:     30 * time.Second,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   cfg.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a redirect is counted as its status
		},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	client := newClient(cfg)
	defer client.CloseIdleConnections()
	targets, err := discover(ctx, client, cfg.base)
	if err != nil {
		return err
	}
	mix := targets.mix()
	if !cfg.asJSON {
		fmt.Fprintf(stdout, "Sending load to %s for %s at concurrency %d (%d topics, %d clusters, partners %v)\n",
			cfg.base, cfg.duration, cfg.concurrency, len(targets.topics), len(targets.clusters), targets.partners)
	}
	rep := runLoad(ctx, client, cfg, mix)
	if cfg.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.print(stdout)
	return nil
}

// targets are the ids the server knows, to build realistic requests.
type targets struct {
	topics   []string
	clusters []string
	partners bool // the server answers /api/v1/partners
}

// discover asks the server for its topics and clusters.
func discover(ctx context.Context, client *http.Client, base *url.URL) (targets, error) {
	var t targets
	var topics struct {
		Topics []struct {
			ID string `json:"id"`
		} `json:"topics"`
	}
	if err := getJSON(ctx, client, base.String()+"/api/v1/topics", &topics); err != nil {
		return t, fmt.Errorf("discovering topics: %w", err)
	}
	for _, x := range topics.Topics {
		t.topics = append(t.topics, x.ID)
	}
	var clusters struct {
		Clusters []struct {
			ID string `json:"id"`
		} `json:"clusters"`
	}
	if err := getJSON(ctx, client, base.String()+"/api/v1/clusters", &clusters); err != nil {
		return t, fmt.Errorf("discovering clusters: %w", err)
	}
	for _, x := range clusters.Clusters {
		t.clusters = append(t.clusters, x.ID)
	}
	if len(t.topics) == 0 || len(t.clusters) == 0 {
		return t, fmt.Errorf("the server has %d topics and %d clusters; crawl something first", len(t.topics), len(t.clusters))
	}
	if len(t.clusters) > 0 && len(t.topics) > 0 {
		u := base.String() + "/api/v1/partners?" + url.Values{"cluster": {t.clusters[0]}, "topic": {t.topics[0]}}.Encode()
		t.partners = getJSON(ctx, client, u, &json.RawMessage{}) == nil
	}
	return t, nil
}

func getJSON(ctx context.Context, client *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(v)
}

// words are search queries users type, in Swedish and English.
var words = []string{
	"beredskap", "biogas", "självförsörjning", "mjölk", "skog", "energi", "lantbruk", "livsmedel",
	"vatten", "klimat", "innovation", "baljväxter", "gårdsförsäljning", "kluster", "projekt",
	"food", "forest", "energy", "\"gröna kluster\"", "bio*", "odling", "fisk", "utbildning",
}

// kind is one sort of request with its share of the traffic.
type kind struct {
	name   string
	weight int
	path   func(r *rand.Rand) string
}

// mix returns the request kinds and their weights.
func (t targets) mix() []kind {
	pick := func(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }
	topic := func(r *rand.Rand) string { return url.PathEscape(pick(r, t.topics)) }
	cluster := func(r *rand.Rand) string { return url.PathEscape(pick(r, t.clusters)) }
	ks := []kind{
		{"search api", 25, func(r *rand.Rand) string {
			v := url.Values{"q": {pick(r, words)}}
			if r.IntN(3) == 0 {
				v.Set("topic", pick(r, t.topics))
			}
			if r.IntN(4) == 0 {
				v.Set("page", strconv.Itoa(1+r.IntN(3)))
			}
			return "/api/v1/search?" + v.Encode()
		}},
		{"search page", 10, func(r *rand.Rand) string { return "/?" + url.Values{"q": {pick(r, words)}}.Encode() }},
		{"topic api", 15, func(r *rand.Rand) string { return "/api/v1/topics/" + topic(r) + "/clusters" }},
		{"topic page", 10, func(r *rand.Rand) string { return "/topics/" + topic(r) }},
		{"cluster api", 10, func(r *rand.Rand) string { return "/api/v1/clusters/" + cluster(r) }},
		{"cluster page", 10, func(r *rand.Rand) string { return "/clusters/" + cluster(r) }},
		{"lists", 5, func(r *rand.Rand) string {
			return []string{"/api/v1/clusters", "/api/v1/topics", "/clusters", "/topics"}[r.IntN(4)]
		}},
	}
	if t.partners {
		ks = append(ks, kind{"partners api", 15, func(r *rand.Rand) string {
			return "/api/v1/partners?" + url.Values{"cluster": {pick(r, t.clusters)}, "topic": {pick(r, t.topics)}}.Encode()
		}})
	}
	return ks
}

// sample is one finished request.
type sample struct {
	kind    int
	status  int // 0 for a transport error
	latency time.Duration
}

// runLoad sends requests until the duration or the request budget is used.
func runLoad(ctx context.Context, client *http.Client, cfg config, mix []kind) report {
	ctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	total := 0
	for _, k := range mix {
		total += k.weight
	}
	rssBefore := readRSS(cfg.pid)
	var peak atomic.Int64
	peak.Store(rssBefore)
	samplerDone := make(chan struct{})
	go func() {
		defer close(samplerDone)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if v := readRSS(cfg.pid); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()

	var issued atomic.Int64
	results := make([][]sample, cfg.concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range cfg.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(cfg.seed, uint64(w)))
			for ctx.Err() == nil && issued.Add(1) <= int64(cfg.maxRequests) {
				n := r.IntN(total)
				ki := 0
				for n >= mix[ki].weight {
					n -= mix[ki].weight
					ki++
				}
				s := sample{kind: ki}
				t0 := time.Now()
				s.status = fetch(ctx, client, cfg.base.String()+mix[ki].path(r))
				s.latency = time.Since(t0)
				if s.status == 0 && ctx.Err() != nil {
					break // cut off by the end of the run, not a failure
				}
				results[w] = append(results[w], s)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cancel()
	<-samplerDone
	var all []sample
	for _, rs := range results {
		all = append(all, rs...)
	}
	rep := summarise(all, mix, elapsed)
	rep.Concurrency = cfg.concurrency
	if cfg.pid > 0 {
		rep.RSSBeforeMiB = mib(rssBefore)
		rep.RSSAfterMiB = mib(readRSS(cfg.pid))
		rep.RSSPeakMiB = mib(max(peak.Load(), readRSS(cfg.pid)))
	}
	return rep
}

// fetch sends one GET and reads the whole body; it returns the status, or
// 0 if the request failed.
func fetch(ctx context.Context, client *http.Client, u string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0
	}
	return resp.StatusCode
}

// readRSS returns the resident set size of pid in bytes, or 0.
func readRSS(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

func mib(b int64) float64 { return float64(b*10/(1<<20)) / 10 }

// report is the result of a run.
type report struct {
	Seconds      float64         `json:"seconds"`
	Concurrency  int             `json:"concurrency"`
	Requests     int             `json:"requests"`
	PerSecond    float64         `json:"requests_per_second"`
	P50MS        float64         `json:"p50_ms"`
	P90MS        float64         `json:"p90_ms"`
	P99MS        float64         `json:"p99_ms"`
	MaxMS        float64         `json:"max_ms"`
	Non2xx       int             `json:"non_2xx"`
	Status5xx    int             `json:"status_5xx"`
	Errors       int             `json:"transport_errors"`
	Statuses     map[string]int  `json:"statuses"`
	Kinds        []kindReport    `json:"kinds"`
	RSSBeforeMiB float64         `json:"rss_before_mib,omitempty"`
	RSSAfterMiB  float64         `json:"rss_after_mib,omitempty"`
	RSSPeakMiB   float64         `json:"rss_peak_mib,omitempty"`
	latencies    []time.Duration // all, sorted
}

// kindReport is the figures of one kind of request.
type kindReport struct {
	Name     string  `json:"name"`
	Requests int     `json:"requests"`
	P50MS    float64 `json:"p50_ms"`
	P99MS    float64 `json:"p99_ms"`
	Non2xx   int     `json:"non_2xx"`
}

func summarise(all []sample, mix []kind, elapsed time.Duration) report {
	rep := report{Seconds: elapsed.Seconds(), Requests: len(all), Statuses: map[string]int{}}
	if elapsed > 0 {
		rep.PerSecond = float64(len(all)) / elapsed.Seconds()
	}
	byKind := make([][]time.Duration, len(mix))
	non2xx := make([]int, len(mix))
	for _, s := range all {
		rep.latencies = append(rep.latencies, s.latency)
		byKind[s.kind] = append(byKind[s.kind], s.latency)
		switch {
		case s.status == 0:
			rep.Errors++
			rep.Statuses["error"]++
		default:
			rep.Statuses[strconv.Itoa(s.status)]++
		}
		if s.status < 200 || s.status > 299 {
			rep.Non2xx++
			non2xx[s.kind]++
		}
		if s.status >= 500 {
			rep.Status5xx++
		}
	}
	slices.Sort(rep.latencies)
	rep.P50MS = ms(percentile(rep.latencies, 50))
	rep.P90MS = ms(percentile(rep.latencies, 90))
	rep.P99MS = ms(percentile(rep.latencies, 99))
	if n := len(rep.latencies); n > 0 {
		rep.MaxMS = ms(rep.latencies[n-1])
	}
	for i, k := range mix {
		l := byKind[i]
		slices.Sort(l)
		rep.Kinds = append(rep.Kinds, kindReport{Name: k.name, Requests: len(l), P50MS: ms(percentile(l, 50)), P99MS: ms(percentile(l, 99)), Non2xx: non2xx[i]})
	}
	return rep
}

// percentile returns the p-th percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (r report) print(w io.Writer) {
	fmt.Fprintf(w, "\n%d requests in %.1fs at concurrency %d: %.0f requests/s\n", r.Requests, r.Seconds, r.Concurrency, r.PerSecond)
	fmt.Fprintf(w, "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n", r.P50MS, r.P90MS, r.P99MS, r.MaxMS)
	fmt.Fprintf(w, "non-2xx %d, 5xx %d, transport errors %d\n", r.Non2xx, r.Status5xx, r.Errors)
	keys := make([]string, 0, len(r.Statuses))
	for k := range r.Statuses {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, r.Statuses[k]))
	}
	fmt.Fprintf(w, "statuses: %s\n", strings.Join(parts, ", "))
	if r.RSSBeforeMiB > 0 {
		fmt.Fprintf(w, "server RSS: before %.1f MiB, peak %.1f MiB, after %.1f MiB\n", r.RSSBeforeMiB, r.RSSPeakMiB, r.RSSAfterMiB)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\nkind\trequests\tp50 ms\tp99 ms\tnon-2xx\t")
	for _, k := range r.Kinds {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%d\t\n", k.Name, k.Requests, k.P50MS, k.P99MS, k.Non2xx)
	}
	tw.Flush()
}
