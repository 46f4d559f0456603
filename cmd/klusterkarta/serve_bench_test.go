package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// servePaths are the endpoints bench/serve/run.sh loads with wrk.
var servePaths = []struct{ name, path string }{
	{"search", "/api/v1/search?q=biogas"},
	{"topic", "/api/v1/topics/self-sufficiency/clusters"},
	{"partners", "/api/v1/partners?topic=self-sufficiency&cluster=angsmarkens-grona-kluster"},
}

// BenchmarkServe times the server's work for the endpoints of the wrk
// run, in process, on the crawled demo web; with -cpuprofile it shows
// where a slow endpoint spends its time.
//
//	go test -run '^$' -bench Serve -benchmem ./cmd/klusterkarta/
func BenchmarkServe(b *testing.B) {
	h := mustDemoHandler(b)
	for _, p := range servePaths {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p.path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", p.path, rec.Code)
				}
			}
		})
	}
}
