package main

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/crawler"
	"github.com/klusterkarta/klusterkarta/crawler/extract"
	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/crawlstate"
	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/ingest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

// benchPages is the size of the web the benchmarks crawl: small enough
// for a profile in a minute, with every kind of page.
const benchPages = 2000

// MustServeWeb generates a web of pages resources over hosts hosts, serves
// host i on 127.0.0.(i+1) on a free port until the benchmark ends, and
// returns it with its request counter.
func MustServeWeb(tb testing.TB, hosts, pages int) (*Web, *Counter) {
	tb.Helper()
	lns := make([]net.Listener, hosts)
	for i := range lns {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", i+1))
		if err != nil {
			tb.Fatal(err)
		}
		lns[i] = ln
	}
	w, err := Generate(Config{Hosts: hosts, Pages: pages, Seed: 1, Topics: mustTopics(tb),
		Base: func(i int) string { return "http://" + lns[i].Addr().String() }})
	if err != nil {
		tb.Fatal(err)
	}
	c := NewCounter()
	for i, h := range w.Hosts {
		srv := &http.Server{Handler: Handler(h, c)}
		go srv.Serve(lns[i])
		tb.Cleanup(func() { srv.Close() })
	}
	return w, c
}

// BenchmarkPipeline crawls a generated web of 2,000 resources over 20
// hosts through the stages of "klusterkarta crawl": the crawler with its
// state on disk, extraction, and ingest into the embedded graph and the
// Bleve index, in a fresh directory per run, with no politeness delay. For
// a profile of the whole pipeline:
//
//	go test -run '^$' -bench Pipeline -benchtime 1x -cpuprofile cpu.out ./bench/crawlweb/
func BenchmarkPipeline(b *testing.B) { benchCrawl(b, true) }

// BenchmarkFetchOnly is BenchmarkPipeline with a sink that discards every
// page, as "klusterkarta crawl --fetch-only".
func BenchmarkFetchOnly(b *testing.B) { benchCrawl(b, false) }

func benchCrawl(b *testing.B, full bool) {
	w, counter := MustServeWeb(b, 20, benchPages)
	reg := w.Registry()
	vocab := mustTopics(b)
	ctx := context.Background()
	pages, checkpoints := 0, 0
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		counter.Reset()
		cfg := crawler.DefaultConfig()
		cfg.Delay, cfg.AllowPrivate, cfg.Parallelism = 0, true, 20
		cfg.MaxPagesPerSite, cfg.MaxDepth = 100000, 20
		var sink kg.PageSink = kg.PageSinkFunc(func(context.Context, kg.FetchedDoc) error { return nil })
		var pipe *ingest.Pipeline
		if full {
			dir := b.TempDir()
			graph, err := embedded.Open(filepath.Join(dir, "graph"))
			if err != nil {
				b.Fatal(err)
			}
			idx, err := index.Open(filepath.Join(dir, "index"), index.WithTopics(vocab))
			if err != nil {
				b.Fatal(err)
			}
			state, err := crawlstate.Open(filepath.Join(dir, crawlstate.FileName))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { state.Close(); idx.Close(); graph.Close() })
			if err := ingest.LoadRegistry(ctx, graph, reg, vocab); err != nil {
				b.Fatal(err)
			}
			pipe = ingest.New(extract.New(reg, topics.NewMatcher(vocab)), graph, idx, reg, ingest.WithBatchSize(math.MaxInt))
			sink, cfg.State = pipe, state
		}
		c, err := crawler.New(cfg, sink)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		st, err := c.Crawl(ctx, reg.Entries())
		if err == nil && pipe != nil {
			err = pipe.Flush(ctx)
		}
		if err != nil {
			b.Fatal(err)
		}
		if got := counter.Snapshot().Pages; got != w.Fetchable() || st.Kept != w.Fetchable() {
			b.Fatalf("served %d pages and kept %d, want %d", got, st.Kept, w.Fetchable())
		}
		pages += st.Kept
		checkpoints += st.Checkpoints
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(checkpoints)/float64(b.N), "checkpoints/op")
	// CPU time tells more than wall time on a shared machine. It covers
	// the whole process, the web server and the untimed set-up included.
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/1000/float64(pages), "cpu-ms/page")
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
