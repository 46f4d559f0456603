package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/klusterkarta/klusterkarta/crawler"
	"github.com/klusterkarta/klusterkarta/internal/api"
)

// BenchmarkDemoCrawl crawls the whole demo web into a fresh data directory:
// fetch, extract, graph and index, with no politeness delay. It reports
// pages per second.
//
//	go test -run '^$' -bench DemoCrawl -count 5 ./cmd/klusterkarta/
func BenchmarkDemoCrawl(b *testing.B) {
	web, _ := MustStartDemoWeb(b)
	cfg := crawler.DefaultConfig()
	cfg.Delay = 0
	cfg.AllowPrivate = true
	pages := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		app, err := OpenApp(context.Background(), b.TempDir(), web.Registry(), slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := app.Crawl(context.Background(), cfg, nil)
		if err != nil {
			b.Fatal(err)
		}
		pages += sum.PagesFetched
		b.StopTimer()
		app.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkTopicClustersHTTP times GET /api/v1/topics/self-sufficiency/clusters
// over real HTTP on loopback, on the crawled demo web.
//
//	go test -run '^$' -bench TopicClustersHTTP -count 5 ./cmd/klusterkarta/
func BenchmarkTopicClustersHTTP(b *testing.B) {
	web, _ := MustStartDemoWeb(b)
	app, err := OpenApp(context.Background(), b.TempDir(), web.Registry(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer app.Close()
	cfg := crawler.DefaultConfig()
	cfg.Delay = 0
	cfg.AllowPrivate = true
	if _, err := app.Crawl(context.Background(), cfg, nil); err != nil {
		b.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	h, err := (&api.Server{Graph: app.Graph, Search: app.Index, Logger: slog.New(slog.DiscardHandler)}).Handler()
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	url := srv.URL + "/api/v1/topics/self-sufficiency/clusters"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
