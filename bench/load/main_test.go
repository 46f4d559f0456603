package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRefusesNonLoopbackTargets(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.3.4.5:8080", true},
		{"http://[::1]:8080", true},
		{"http://localhost:8080", true},
		{"http://10.0.0.1:8080", false},
		{"http://192.168.1.10", false},
		{"http://172.16.0.1", false},
		{"http://8.8.8.8", false},
		{"http://[fe80::1]", false},
		{"http://example.org", false},
		{"http://127.0.0.1.nip.io", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
	}
	for _, tt := range tests {
		_, err := parseConfig([]string{"-url", tt.url}, &bytes.Buffer{})
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}

func TestFlagBounds(t *testing.T) {
	for _, args := range [][]string{
		{"-duration", "11m"},
		{"-duration", "0s"},
		{"-concurrency", "0"},
		{"-concurrency", "1000"},
		{"-max-requests", "0"},
	} {
		if _, err := parseConfig(args, &bytes.Buffer{}); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 1: time.Millisecond} {
		if got := percentile(d, p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("percentile of nothing")
	}
}

// A run against a small fake server is bounded by its request budget and
// counts every status.
func TestRun(t *testing.T) {
	var served atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/topics", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"topics":[{"id":"beredskap"},{"id":"biogas"}]}`))
	})
	mux.HandleFunc("/api/v1/clusters", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"clusters":[{"id":"angsmarken"}]}`))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n := served.Add(1)
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/v1/partners"):
			http.NotFound(w, r)
		case n%10 == 0:
			http.Error(w, "boom", http.StatusInternalServerError)
		case n%10 == 1:
			http.Error(w, "slow down", http.StatusTooManyRequests)
		default:
			w.Write([]byte("ok"))
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	var out bytes.Buffer
	err := run(context.Background(), []string{"-url", srv.URL, "-duration", "5m", "-concurrency", "4", "-max-requests", "200",
		"-json", "-pid", itoa(os.Getpid())}, &out, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report %s: %v", out.String(), err)
	}
	if rep.Requests != 200 {
		t.Errorf("requests = %d, want the budget of 200", rep.Requests)
	}
	counted := 0
	for _, n := range rep.Statuses {
		counted += n
	}
	if counted != 200 || rep.Statuses["500"] == 0 || rep.Statuses["429"] == 0 ||
		rep.Status5xx != rep.Statuses["500"] || rep.Non2xx != rep.Statuses["500"]+rep.Statuses["429"] {
		t.Errorf("counts: 5xx %d, non-2xx %d, statuses %v", rep.Status5xx, rep.Non2xx, rep.Statuses)
	}
	if rep.RSSBeforeMiB <= 0 || rep.RSSAfterMiB <= 0 {
		t.Errorf("RSS not read: %+v", rep)
	}
	sum := 0
	for _, k := range rep.Kinds {
		sum += k.Requests
		if k.Name == "partners api" {
			t.Error("partners were sent to a server without them")
		}
	}
	if sum != 200 || rep.P99MS < rep.P50MS {
		t.Errorf("kinds add up to %d; p50 %v p99 %v", sum, rep.P50MS, rep.P99MS)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
