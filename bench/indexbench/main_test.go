package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"defaults", []string{"-dir", "x"}, ""},
		{"no dir", nil, "-dir is required"},
		{"bad clients", []string{"-dir", "x", "-clients", "1,0"}, "-clients"},
		{"clients not a number", []string{"-dir", "x", "-clients", "a"}, "-clients"},
		{"too many docs", []string{"-dir", "x", "-docs", "3000000"}, "-docs"},
		{"zero batch", []string{"-dir", "x", "-batch", "0"}, "-batch"},
		{"zero runs", []string{"-dir", "x", "-runs", "0"}, "-runs"},
		{"extra argument", []string{"-dir", "x", "more"}, "unexpected"},
		{"floor without documents", []string{"-dir", "x", "-floor", "-reuse"}, "-floor"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := parseConfig(c.args, io.Discard)
			if c.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if cfg.docs != 100_000 || cfg.runs != 3 || len(cfg.clients) != 2 || cfg.clients[1] != 50 {
					t.Errorf("defaults = %+v", cfg)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("err = %v, want one mentioning %q", err, c.wantErr)
			}
		})
	}
}

func TestPercentileAndMedian(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := percentile(d, c.p); got != c.want {
			t.Errorf("percentile(1..100 ms, %v) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := percentile(d[:3], 0.99); got != 3*time.Millisecond {
		t.Errorf("p99 of three = %v, want the largest", got)
	}
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {nil, 0}} {
		if got := median(c.xs); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
	if got := thousands(1234567); got != "1,234,567" {
		t.Errorf("thousands = %q", got)
	}
}

// TestRunSmall runs the whole benchmark on a few hundred documents, with
// the search phase in this process, and checks the figures it reports.
func TestRunSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes documents")
	}
	spawnSearch = func(ctx context.Context, cfg config, _ bool, _ io.Writer) (searchResult, error) {
		gen, _, err := newGenerator(cfg)
		if err != nil {
			return searchResult{}, err
		}
		return searchPhase(ctx, cfg, gen)
	}
	t.Cleanup(func() { spawnSearch = searchInChild })

	dir := t.TempDir()
	jsonOut := filepath.Join(dir, "report.json")
	args := []string{
		"-docs", "60", "-dir", dir, "-batch", "25", "-writers", "2", "-runs", "2",
		"-clients", "1,3", "-queries", "4", "-warmup", "1",
		"-domain", "../../index/dict/domain.txt", "-general", "../../index/dict/general.txt",
		"-floor", "-json", jsonOut,
	}
	var out bytes.Buffer
	if err := run(context.Background(), args, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	md := out.String()
	for _, want := range []string{"docs/s", "bytes/doc", "open the existing index", "| 3 terms | 3 |", "| 2 terms + cluster, year | 1 |",
		"Bleve alone", "| 1 term, p99 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	b, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Runs) != 2 {
		t.Fatalf("%d runs, want 2", len(rep.Runs))
	}
	for i, r := range rep.Runs {
		if r.Build.Docs != 60 || r.Build.DocsPerSec <= 0 || r.Build.BytesPerDoc <= 0 || r.Build.Files == 0 {
			t.Errorf("run %d: build %+v", i, r.Build)
		}
		if r.Search.Docs != 60 || r.Search.OpenMillis <= 0 {
			t.Errorf("run %d: search %+v", i, r.Search)
		}
		if got := len(r.Search.Latencies); got != 2*len(shapes) {
			t.Fatalf("run %d: %d latency rows, want %d", i, got, 2*len(shapes))
		}
		for _, l := range r.Search.Latencies {
			if l.Searches != 4 || l.P50Millis <= 0 || l.P99Millis < l.P50Millis {
				t.Errorf("run %d: %+v", i, l)
			}
		}
		if r.Search.ZeroHitShare > 0.5 {
			t.Errorf("run %d: %.0f %% of searches find nothing", i, 100*r.Search.ZeroHitShare)
		}
		if r.Floor == nil {
			t.Fatalf("run %d: no figures of Bleve alone", i)
		}
		if r.Floor.Build.Docs != 60 || r.Floor.Build.DocsPerSec <= 0 || r.Floor.Build.BytesPerDoc <= 0 {
			t.Errorf("run %d: floor build %+v", i, r.Floor.Build)
		}
		if got := len(r.Floor.Latencies); got != len(shapes) {
			t.Fatalf("run %d: %d floor latency rows, want %d", i, got, len(shapes))
		}
		for _, l := range r.Floor.Latencies {
			// 60 documents leave a cluster and a year filter mostly empty.
			if l.Clients != 1 || l.Searches != 4 || (l.MeanHits <= 0 && !strings.Contains(l.Shape, "cluster")) {
				t.Errorf("run %d: floor %+v", i, l)
			}
		}
	}

	// -reuse searches the index the last run left.
	out.Reset()
	args = append(slices.DeleteFunc(args[:len(args)-2], func(a string) bool { return a == "-floor" }), "-reuse", "-runs", "1")
	if err := run(context.Background(), args, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "docs/s") || !strings.Contains(out.String(), "open the existing index") {
		t.Errorf("-reuse report:\n%s", out.String())
	}
}
