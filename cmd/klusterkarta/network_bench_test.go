package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/klusterkarta/klusterkarta/crawler"
	"github.com/klusterkarta/klusterkarta/internal/api"
)

// networkPaths are the requests behind the network page: the page itself
// (with its table of nodes) and the data its script draws.
var networkPaths = []string{
	"/network",
	"/api/v1/network?kinds=cluster,topic,organisation,project,event",
	"/network/map",
	"/network/heatmap",
	"/network/gaps",
}

// mustDemoHandler crawls the demo web into a fresh data directory and
// returns the API handler over it.
func mustDemoHandler(b *testing.B) http.Handler {
	b.Helper()
	web, _ := MustStartDemoWeb(b)
	app, err := OpenApp(context.Background(), b.TempDir(), web.Registry(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { app.Close() })
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
	return h
}

// BenchmarkNetworkPage times the server's work for the network views on
// the crawled demo web, in process (no network), and reports the 95th
// percentile per request. The target is p95 ≤ 100 ms.
//
//	go test -run '^$' -bench NetworkPage -benchtime 200x ./cmd/klusterkarta/
func BenchmarkNetworkPage(b *testing.B) {
	h := mustDemoHandler(b)
	for _, path := range networkPaths {
		b.Run(path, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", path, rec.Code)
				}
			}
			slices.Sort(times)
			p95 := times[len(times)*95/100]
			b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
			if p95 > 100*time.Millisecond {
				b.Errorf("%s: p95 %v exceeds 100 ms", path, p95)
			}
		})
	}
}
