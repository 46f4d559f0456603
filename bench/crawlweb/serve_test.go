package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/registry"
)

func TestHandler(t *testing.T) {
	w := MustGenerate(t, 1, 50, 1)
	h := w.Hosts[0]
	c := NewCounter()
	srv := httptest.NewServer(Handler(h, c))
	defer srv.Close()
	var pdfPath string
	for path, r := range h.Resources {
		if r.Kind == KindPDF {
			pdfPath = path
			break
		}
	}
	for _, tc := range []struct {
		method, path string
		status       int
		ctype        string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/robots.txt", 200, "text/plain; charset=utf-8"},
		{"GET", "/sitemap.xml", 200, "application/xml"},
		{"GET", pdfPath, 200, "application/pdf"},
		{"GET", "/kalender.ics", 200, "text/calendar; charset=utf-8"},
		{"HEAD", "/om-oss/", 200, "text/html; charset=utf-8"},
		{"GET", "/om-oss", 404, ""}, // only the path pages link to
		{"GET", "/sok/", 404, ""},
		{"GET", "/gammal-sida/", 404, ""},
		{"POST", "/", 405, ""},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
		}
		if tc.ctype != "" && resp.Header.Get("Content-Type") != tc.ctype {
			t.Errorf("%s %s: Content-Type %q, want %q", tc.method, tc.path, resp.Header.Get("Content-Type"), tc.ctype)
		}
		if tc.status == 200 && tc.method == "GET" && !bytes.Equal(body, h.Resources[tc.path].Body) {
			t.Errorf("GET %s: body differs from the resource", tc.path)
		}
		if tc.status == 200 && resp.Header.Get("Last-Modified") == "" {
			t.Errorf("%s %s: no Last-Modified", tc.method, tc.path)
		}
	}
	s := c.Snapshot()
	wantKinds := map[string]int{KindHTML: 1, KindRobots: 1, KindSitemap: 1, KindPDF: 1, KindICal: 1, KindMissing: 2, KindDisallowed: 1}
	for k, n := range wantKinds {
		if s.ByKind[k] != n {
			t.Errorf("ByKind[%s] = %d, want %d (%v)", k, s.ByKind[k], n, s.ByKind)
		}
	}
	if s.Pages != 3 || s.Heads != 1 {
		t.Errorf("Pages = %d, Heads = %d; want 3 and 1", s.Pages, s.Heads)
	}
	if host := strings.TrimPrefix(srv.URL, "http://"); s.ByHost[host] != 8 {
		t.Errorf("ByHost = %v, want 8 GETs for %s", s.ByHost, host)
	}
	c.Reset()
	if s := c.Snapshot(); s.Pages != 0 || len(s.ByKind) != 0 || s.Bytes != 0 {
		t.Errorf("after Reset: %+v", s)
	}
}

// TestRun starts the command on free ports, reads a page from each host
// and the counts from the control server, checks the registry file, and
// stops it.
func TestRun(t *testing.T) {
	regPath := filepath.Join(t.TempDir(), "web.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type started struct {
		web     *Web
		control string
	}
	ready := make(chan started, 1)
	done := make(chan error, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"-hosts", "3", "-pages", "150", "-port", "0", "-control", "127.0.0.1:0", "-registry", regPath},
			&stdout, &stderr, func(w *Web, control string) { ready <- started{w, control} })
	}()
	var st started
	select {
	case st = <-ready:
	case err := <-done:
		t.Fatalf("run returned before serving: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("crawlweb did not start")
	}
	for i, h := range st.web.Hosts {
		if !strings.HasPrefix(h.Base, "http://127.0.0."+string(rune('1'+i))+":") {
			t.Errorf("host %d at %s, want 127.0.0.%d", i, h.Base, i+1)
		}
		resp, err := http.Get(h.Base + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s/ = %d", h.Base, resp.StatusCode)
		}
	}
	var snap Snapshot
	getJSON(t, st.control+"/stats", &snap)
	if snap.Pages != 3 || len(snap.ByHost) != 3 {
		t.Errorf("stats after one page per host: %+v", snap)
	}
	resp, err := http.Post(st.control+"/reset", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	getJSON(t, st.control+"/stats", &snap)
	if snap.Pages != 0 {
		t.Errorf("stats after reset: %+v", snap)
	}
	reg, err := registry.Load(regPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Clusters) != 3 || reg.Clusters[2].Sites[0] != st.web.Hosts[2].Base+"/" {
		t.Errorf("registry clusters: %+v", reg.Clusters)
	}
	if got := strings.Fields(stdout.String()); len(got) != 3 || got[0] != st.web.Hosts[0].Base+"/" {
		t.Errorf("printed seeds %q", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

func getJSON(tb testing.TB, u string, v any) {
	tb.Helper()
	resp, err := http.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		tb.Fatalf("GET %s: %v", u, err)
	}
}
