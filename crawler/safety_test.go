package crawler

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestGzipBombIsCapped(t *testing.T) {
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zw.Write([]byte(htmlLinks()))
	zeros := make([]byte, 1<<20)
	for range 4 { // 4 MiB inflated
		zw.Write(zeros)
	}
	zw.Close()
	var small bytes.Buffer
	zw = gzip.NewWriter(&small)
	zw.Write([]byte(htmlLinks()))
	zw.Close()
	gz := func(body []byte, ct string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				t.Errorf("request without Accept-Encoding: gzip")
			}
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(body)
		}
	}
	site := newSite(t, map[string]http.HandlerFunc{
		"/":      page("/bomb", "/small", "/raw.xml.gz"),
		"/bomb":  gz(bomb.Bytes(), "text/html"),
		"/small": gz(small.Bytes(), "text/html"),
		"/raw.xml.gz": func(w http.ResponseWriter, r *http.Request) {
			// Gzip without Content-Encoding: colly would inflate it on its
			// own; the crawler must not.
			w.Header().Set("Content-Type", "text/plain")
			w.Write(bomb.Bytes())
		},
	})
	cfg := testConfig(t)
	cfg.MaxBodyBytes = 64 << 10
	stats, s := crawl(t, cfg, entry("k", site.url("/")))
	docs := s.byURL()
	if d := docs[site.url("/bomb")]; len(d.Body) != cfg.MaxBodyBytes || !strings.Contains(string(d.Body), "Gröna") {
		t.Errorf("bomb body %d bytes, want the cap %d", len(d.Body), cfg.MaxBodyBytes)
	}
	if d := docs[site.url("/small")]; string(d.Body) != htmlLinks() {
		t.Errorf("gzipped page decoded to %q", d.Body)
	}
	if d := docs[site.url("/raw.xml.gz")]; len(d.Body) > bomb.Len() {
		t.Errorf("undeclared gzip inflated to %d bytes", len(d.Body))
	}
	if stats.Truncated < 1 {
		t.Errorf("stats %+v, want a truncation", stats)
	}
}

func TestRetriesKeepHostDelay(t *testing.T) {
	var mu sync.Mutex
	tries := 0
	site := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robots("User-agent: *\nCrawl-delay: 0.2\n"),
		"/":           page("/ostadig"),
		"/ostadig": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			tries++
			n := tries
			mu.Unlock()
			if n <= 2 {
				http.Error(w, "strul", http.StatusServiceUnavailable)
				return
			}
			page()(w, r)
		},
	})
	cfg := testConfig(t)
	cfg.RetryWaitMin, cfg.RetryWaitMax = time.Millisecond, 5*time.Millisecond
	stats, s := crawl(t, cfg, entry("k", site.url("/")))
	if !slices.Contains(s.urls(), site.url("/ostadig")) || tries != 3 {
		t.Fatalf("kept %v after %d tries, stats %+v", s.urls(), tries, stats)
	}
	for i, d := range gaps(site.hitList()) {
		if d < 200*time.Millisecond {
			t.Errorf("gap %d = %v: a retry came sooner than the Crawl-delay 200ms", i, d)
		}
	}
}

func TestRobotsStatus(t *testing.T) {
	tests := []struct {
		status int
		kept   int
	}{
		{http.StatusNotFound, 2},
		{http.StatusForbidden, 2},
		{http.StatusTooManyRequests, 0},
		{http.StatusServiceUnavailable, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			site := newSite(t, map[string]http.HandlerFunc{
				"/robots.txt": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nej", tt.status) },
				"/":           page("/a"),
				"/a":          page(),
			})
			cfg := testConfig(t)
			cfg.RetryMax = -1
			_, s := crawl(t, cfg, entry("k", site.url("/")))
			if len(s.urls()) != tt.kept {
				t.Errorf("robots.txt %d: kept %v, want %d pages", tt.status, s.urls(), tt.kept)
			}
		})
	}
}

func TestRobotsDirectives(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/":        page("/noindex", "/header-noindex.pdf", "/other-bot", "/canonical", "/nofollow-link"),
		"/noindex": typed("text/html", `<html><head><meta name="robots" content="noindex"></head><body><a href="/via-noindex">x</a></body></html>`),
		"/header-noindex.pdf": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Robots-Tag", "noindex")
			typed("application/pdf", "%PDF-1.4")(w, r)
		},
		"/other-bot": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Robots-Tag", "googlebot: noindex, nofollow")
			page("/via-other-bot")(w, r)
		},
		"/canonical":     typed("text/html", `<html><head><link rel="canonical" href="/the-one"></head><body>text</body></html>`),
		"/the-one":       page(),
		"/via-noindex":   page(),
		"/via-other-bot": page(),
		"/nofollow-link": typed("text/html", `<html><body><a rel="nofollow" href="/secret">x</a><a href="/via-noindex">y</a></body></html>`),
		"/secret":        page(),
	})
	stats, s := crawl(t, testConfig(t), entry("k", site.url("/")))
	want := []string{"/", "/canonical", "/nofollow-link", "/other-bot", "/the-one", "/via-noindex", "/via-other-bot"}
	for i, p := range want {
		want[i] = site.url(p)
	}
	if got := s.urls(); !slices.Equal(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
	if stats.SkippedNoindex != 2 || site.requested("/secret") != 0 {
		t.Errorf("stats %+v, /secret requested %d times", stats, site.requested("/secret"))
	}
}

func TestRedirectLimit(t *testing.T) {
	routes := map[string]http.HandlerFunc{"/": page("/r0")}
	for i := range 8 {
		to := fmt.Sprintf("/r%d", i+1)
		routes[fmt.Sprintf("/r%d", i)] = func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
	}
	routes["/r8"] = page()
	site := newSite(t, routes)
	cfg := testConfig(t)
	cfg.MaxRedirects = 3
	_, s := crawl(t, cfg, entry("k", site.url("/")))
	if got := s.urls(); !slices.Equal(got, []string{site.url("/")}) || site.requested("/r5") != 0 {
		t.Errorf("kept %v, requests %v; want the chain stopped after 3 redirects", got, site.paths())
	}
}

func TestTraps(t *testing.T) {
	var site *testSite
	routes := map[string]http.HandlerFunc{
		"/": page("/kalender?month=2025-01", "/a/", "/sok?q=x", "/sida?jsessionid=abc&utm_source=nyhetsbrev", "/sida"),
		"/kalender": func(w http.ResponseWriter, r *http.Request) {
			// An endless calendar: every month links the next.
			var y, m int
			fmt.Sscanf(r.URL.Query().Get("month"), "%d-%d", &y, &m)
			y, m = y+m/12, m%12+1
			page(fmt.Sprintf("/kalender?month=%04d-%02d", y, m))(w, r)
		},
		"/sok": func(w http.ResponseWriter, r *http.Request) {
			// Faceted search: every page links ever longer filters.
			q := r.URL.Query()
			var links []string
			for i := range 3 {
				n := url.Values{}
				for k, v := range q {
					n[k] = v
				}
				n.Set(fmt.Sprintf("f%d", len(q)+i), "x")
				links = append(links, "/sok?"+n.Encode())
			}
			page(links...)(w, r)
		},
		"/sida": page(),
	}
	site = newSite(t, routes)
	// A relative link on a directory page makes an ever deeper path.
	routes["/a/"] = page("a/")
	cfg := testConfig(t)
	cfg.Delay = 0
	cfg.MaxDepth = 1000
	cfg.MaxPagesPerSite = 2000
	cfg.MaxURLsPerPattern = 30
	stats, _ := crawl(t, cfg, entry("k", site.url("/")))
	if stats.SkippedTrap < 3 {
		t.Errorf("stats %+v, want traps refused", stats)
	}
	if n := len(site.paths()); n > 120 {
		t.Errorf("%d requests: the traps were not bounded", n)
	}
	if n := site.requested("/sida"); n != 1 {
		t.Errorf("/sida requested %d times: session and tracking parameters not removed", n)
	}
}
