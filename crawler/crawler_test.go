package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func TestCrawlKeepsSiteDocuments(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/":            page("/om-oss/", "/nyheter.txt", "/bild.png", "/flode.xml", "/saknas", "#top", "mailto:info@example.se", "/om-oss/#team"),
		"/om-oss/":     page("/"),
		"/nyheter.txt": typed("text/plain; charset=utf-8", "Nyheter i text."),
		"/bild.png":    typed("image/png", "\x89PNG"),
		"/flode.xml":   typed("application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>Flöde</title></channel></rss>`),
		"/sitemap.xml": typed("application/xml", `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>`),
		"/robots.txt":  robots("User-agent: *\nDisallow:\n"),
	})
	e := entry("vreta", site.url("/"))
	stats, s := crawl(t, testConfig(t), e)

	want := []string{site.url("/"), site.url("/flode.xml"), site.url("/nyheter.txt"), site.url("/om-oss/")}
	if got := s.urls(); !slices.Equal(got, want) {
		t.Fatalf("kept %v, want %v", got, want)
	}
	docs := s.byURL()
	if d := docs[site.url("/om-oss/")]; d.Depth != 1 || d.Entry.ID != "vreta" || d.Status != 200 || !strings.Contains(string(d.Body), "Gröna") {
		t.Errorf("about page = depth %d entry %q status %d", d.Depth, d.Entry.ID, d.Status)
	}
	if d := docs[site.url("/")]; d.Depth != 0 || d.FinalURL != site.url("/") || d.ContentType != "text/html; charset=utf-8" || d.Header["Content-Type"] == nil || d.FetchedAt.IsZero() {
		t.Errorf("root doc = %+v", d)
	}
	if stats.Kept != 4 || stats.SkippedType != 1 || stats.Errors != 1 || stats.ErrorsByKind[ErrorKind4xx] != 1 {
		t.Errorf("stats = %+v", stats)
	}
	if stats.PerHost[site.srv.Listener.Addr().String()] != 6 {
		t.Errorf("per host = %v, want 6 responses", stats.PerHost)
	}
	if n := site.requested("/om-oss/"); n != 1 {
		t.Errorf("/om-oss/ requested %d times, want 1 (fragments stripped, deduped)", n)
	}
	if stats.Bytes == 0 {
		t.Error("no bytes counted")
	}
}

func TestRobotsTxt(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt":  robots("User-agent: *\nDisallow: /\n\nUser-agent: Klusterkarta\nDisallow: /privat/\n"),
		"/":            page("/publikt", "/privat/sida", "/privat/"),
		"/publikt":     page(),
		"/privat/sida": page(),
	})
	stats, s := crawl(t, testConfig(t), entry("k", site.url("/")))
	if got, want := s.urls(), []string{site.url("/"), site.url("/publikt")}; !slices.Equal(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
	for _, p := range site.paths() {
		if strings.HasPrefix(p, "/privat/") {
			t.Errorf("disallowed %s was requested", p)
		}
	}
	if stats.SkippedRobots != 2 {
		t.Errorf("SkippedRobots = %d, want 2", stats.SkippedRobots)
	}
	if n := site.requested("/robots.txt"); n != 1 {
		t.Errorf("robots.txt requested %d times, want 1", n)
	}
}

func TestRobotsServerErrorDisallowsAll(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nere", http.StatusInternalServerError) },
		"/":           page(),
	})
	cfg := testConfig(t)
	cfg.RetryMax = -1
	stats, s := crawl(t, cfg, entry("k", site.url("/")))
	if len(s.urls()) != 0 || site.requested("/") != 0 || stats.SkippedRobots != 1 {
		t.Errorf("kept %v, / requested %d times, stats %+v", s.urls(), site.requested("/"), stats)
	}
}

// gaps returns the time between the end of each request and the start of
// the next, skipping requests for paths in skip.
func gaps(hits []hit, skip ...string) []time.Duration {
	var out []time.Duration
	var prev *hit
	for i := range hits {
		if slices.Contains(skip, hits[i].path) {
			continue
		}
		if prev != nil {
			out = append(out, hits[i].start.Sub(prev.end))
		}
		prev = &hits[i]
	}
	return out
}

func TestCrawlDelay(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robots("User-agent: *\nCrawl-delay: 0.15\n"),
		"/":           page("/a", "/b"),
		"/a":          page(),
		"/b":          page(),
	})
	cfg := testConfig(t)
	stats, _ := crawl(t, cfg, entry("k", site.url("/")))
	if stats.Kept != 3 {
		t.Fatalf("kept %d, want 3", stats.Kept)
	}
	g := gaps(site.hitList())
	if len(g) < 3 {
		t.Fatalf("gaps %v, want at least 3", g)
	}
	for i, d := range g {
		if d < 150*time.Millisecond {
			t.Errorf("gap %d = %v, want at least the Crawl-delay 150ms", i, d)
		}
	}
}

func TestHostsCrawlInParallelOneRequestAtATime(t *testing.T) {
	const n = 6
	mk := func() *testSite {
		routes := map[string]http.HandlerFunc{}
		var links []string
		for i := range n {
			p := fmt.Sprintf("/sida-%d", i)
			links = append(links, p)
			routes[p] = page("/", "/sida-0")
		}
		routes["/"] = page(links...)
		return newSite(t, routes)
	}
	a, b := mk(), mk()
	cfg := testConfig(t)
	cfg.Delay = 30 * time.Millisecond
	stats, _ := crawl(t, cfg, entry("a", a.url("/")), entry("b", b.url("/")))
	if stats.Kept != 2*(n+1) {
		t.Fatalf("kept %d, want %d", stats.Kept, 2*(n+1))
	}
	for name, s := range map[string]*testSite{"a": a, "b": b} {
		if s.maxInflight != 1 {
			t.Errorf("site %s had %d requests in flight at once, want 1", name, s.maxInflight)
		}
		for i, d := range gaps(s.hitList()) {
			if d < cfg.Delay {
				t.Errorf("site %s: gap %d = %v, want at least %v", name, i, d, cfg.Delay)
			}
		}
	}
	// The hosts differ only by port; they must not wait for each other.
	// Were they one host, any two requests would start at least the delay
	// apart; crawled in parallel, some request to b starts within the
	// delay of one to a.
	ha, hb := a.hitList(), b.hitList()
	closest := time.Hour
	for _, x := range ha {
		for _, y := range hb {
			closest = min(closest, x.start.Sub(y.start).Abs())
		}
	}
	if closest >= cfg.Delay {
		t.Errorf("requests to the two hosts start at least %v apart, want some within the delay %v", closest, cfg.Delay)
	}
}

func TestSitemaps(t *testing.T) {
	var site *testSite
	site = newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "User-agent: *\nDisallow: /privat/\nSitemap: %s\n", site.url("/karta-index.xml"))
		},
		"/": page(),
		"/sitemap.xml": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>%s</loc></url><url><loc>%s</loc></url><url><loc>https://annan.example/sida</loc></url>
</urlset>`, site.url("/dold"), site.url("/privat/dold"))
		},
		"/karta-index.xml": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprintf(w, `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>%s</loc></sitemap></sitemapindex>`, site.url("/karta-2.xml"))
		},
		"/karta-2.xml": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprintf(w, `<urlset><url><loc>%s</loc></url></urlset>`, site.url("/dold-2"))
		},
		"/dold":   page(),
		"/dold-2": page(),
	})
	stats, s := crawl(t, testConfig(t), entry("k", site.url("/")))
	want := []string{site.url("/"), site.url("/dold"), site.url("/dold-2")}
	if got := s.urls(); !slices.Equal(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
	if d := s.byURL()[site.url("/dold")]; d.Depth != 1 {
		t.Errorf("sitemap page depth %d, want 1", d.Depth)
	}
	if stats.SkippedRobots != 1 || stats.SkippedScope != 1 {
		t.Errorf("stats = %+v, want 1 robots skip and 1 scope skip", stats)
	}
	if site.requested("/privat/dold") != 0 {
		t.Error("disallowed sitemap URL was requested")
	}
}

func TestLimits(t *testing.T) {
	tests := []struct {
		name     string
		routes   map[string]http.HandlerFunc
		maxDepth int
		maxPages int
		kept     []string
		limited  int
	}{
		{
			name: "depth",
			routes: map[string]http.HandlerFunc{
				"/": page("/d1"), "/d1": page("/d2"), "/d2": page("/d3"), "/d3": page("/d4"), "/d4": page(),
			},
			maxDepth: 2, maxPages: 100,
			kept:    []string{"/", "/d1", "/d2"},
			limited: 1,
		},
		{
			name: "pages per site",
			routes: map[string]http.HandlerFunc{
				"/":   page("/p1", "/p2", "/p3", "/p4", "/p5", "/p6"),
				"/p1": page(), "/p2": page(), "/p3": page(), "/p4": page(), "/p5": page(), "/p6": page(),
			},
			maxDepth: 4, maxPages: 3,
			kept:    []string{"/", "/p1", "/p2"},
			limited: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := newSite(t, tt.routes)
			cfg := testConfig(t)
			cfg.MaxDepth, cfg.MaxPagesPerSite = tt.maxDepth, tt.maxPages
			stats, s := crawl(t, cfg, entry("k", site.url("/")))
			var want []string
			for _, p := range tt.kept {
				want = append(want, site.url(p))
			}
			if tt.name == "pages per site" {
				// Which links win the page budget is up to scheduling.
				if got := s.urls(); len(got) != len(want) || !slices.Contains(got, site.url("/")) {
					t.Errorf("kept %v, want %d pages with the root", got, len(want))
				}
			} else if got := s.urls(); !slices.Equal(got, want) {
				t.Errorf("kept %v, want %v", got, want)
			}
			if stats.SkippedLimit != tt.limited {
				t.Errorf("SkippedLimit = %d, want %d", stats.SkippedLimit, tt.limited)
			}
			if got := len(site.paths()) - site.requested("/robots.txt") - site.requested("/sitemap.xml"); got != len(tt.kept) {
				t.Errorf("%d pages requested (%v), want %d", got, site.paths(), len(tt.kept))
			}
		})
	}
}

func TestOffSiteDocuments(t *testing.T) {
	other := newSite(t, map[string]http.HandlerFunc{
		"/sida.html":   page(),
		"/rapport.pdf": typed("application/pdf", "%PDF-1.4 rapport"),
		"/program.ics": typed("text/calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
		"/ladda":       typed("application/octet-stream", "%PDF-1.4 laddad"),
		"/fel.pdf":     page(),
	})
	site := newSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, htmlLinks(other.url("/sida.html"), other.url("/rapport.pdf"), other.url("/program.ics"), other.url("/fel.pdf"))+
				fmt.Sprintf(`<a href="%s" type="application/pdf">pdf</a>`, other.url("/ladda")))
		},
	})
	stats, s := crawl(t, testConfig(t), entry("k", site.url("/")))
	offSite := []string{other.url("/ladda"), other.url("/program.ics"), other.url("/rapport.pdf")}
	want := append([]string{site.url("/")}, offSite...)
	slices.Sort(want)
	if got := s.urls(); !slices.Equal(got, want) {
		t.Fatalf("kept %v, want %v", got, want)
	}
	docs := s.byURL()
	for _, u := range offSite {
		if d := docs[u]; d.Entry.ID != "k" || d.Depth != 1 {
			t.Errorf("%s: entry %q depth %d, want k and 1", u, d.Entry.ID, d.Depth)
		}
	}
	if ct := docs[other.url("/ladda")].ContentType; ct != "application/pdf" {
		t.Errorf("octet-stream PDF has content type %q, want application/pdf", ct)
	}
	if other.requested("/sida.html") != 0 || other.requested("/") != 0 {
		t.Errorf("off-site HTML was requested: %v", other.paths())
	}
	if stats.SkippedScope != 1 || stats.SkippedType != 1 {
		t.Errorf("stats = %+v, want 1 scope skip and 1 type skip", stats)
	}
}

func TestRedirects(t *testing.T) {
	newHome := newSite(t, map[string]http.HandlerFunc{
		"/":        page("/om"),
		"/om":      page(),
		"/rapport": typed("application/pdf", "%PDF-1.4"),
	})
	site := newSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, newHome.url("/"), http.StatusMovedPermanently)
		},
	})
	stats, s := crawl(t, testConfig(t), entry("k", site.url("/")))
	docs := s.byURL()
	root, ok := docs[site.url("/")]
	if !ok || root.FinalURL != newHome.url("/") || root.Depth != 0 {
		t.Fatalf("root doc %+v, want final URL %s", root, newHome.url("/"))
	}
	if _, ok := docs[newHome.url("/om")]; !ok {
		t.Errorf("the new home's pages were not crawled: kept %v, stats %+v", s.urls(), stats)
	}

	t.Run("in-scope page leaving the site", func(t *testing.T) {
		site := newSite(t, map[string]http.HandlerFunc{
			"/": page("/till-annan", "/till-pdf"),
			"/till-annan": func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, newHome.url("/om"), http.StatusFound)
			},
			"/till-pdf": func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, newHome.url("/rapport"), http.StatusFound)
			},
		})
		stats, s := crawl(t, testConfig(t), entry("k", site.url("/")))
		if got, want := s.urls(), []string{site.url("/"), site.url("/till-pdf")}; !slices.Equal(got, want) {
			t.Errorf("kept %v, want %v", got, want)
		}
		if d := s.byURL()[site.url("/till-pdf")]; d.FinalURL != newHome.url("/rapport") || d.ContentType != "application/pdf" {
			t.Errorf("redirected PDF = %+v", d)
		}
		if stats.SkippedType != 1 {
			t.Errorf("SkippedType = %d, want 1 (the off-site HTML)", stats.SkippedType)
		}
	})
}

func TestRetries(t *testing.T) {
	var mu sync.Mutex
	attempts := map[string][]time.Time{}
	record := func(p string) int {
		mu.Lock()
		defer mu.Unlock()
		attempts[p] = append(attempts[p], time.Now())
		return len(attempts[p])
	}
	site := newSite(t, map[string]http.HandlerFunc{
		"/": page("/ostadig", "/begransad", "/trasig"),
		"/ostadig": func(w http.ResponseWriter, r *http.Request) {
			if record("/ostadig") == 1 {
				http.Error(w, "strul", http.StatusServiceUnavailable)
				return
			}
			page()(w, r)
		},
		"/begransad": func(w http.ResponseWriter, r *http.Request) {
			if record("/begransad") == 1 {
				w.Header().Set("Retry-After", "1")
				http.Error(w, "lugna ner dig", http.StatusTooManyRequests)
				return
			}
			page()(w, r)
		},
		"/trasig": func(w http.ResponseWriter, r *http.Request) {
			record("/trasig")
			http.Error(w, "trasig", http.StatusInternalServerError)
		},
	})
	stats, s := crawl(t, testConfig(t), entry("k", site.url("/")))
	if got, want := s.urls(), []string{site.url("/"), site.url("/begransad"), site.url("/ostadig")}; !slices.Equal(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if n := len(attempts["/ostadig"]); n != 2 {
		t.Errorf("503 page attempted %d times, want 2", n)
	}
	if a := attempts["/begransad"]; len(a) != 2 || a[1].Sub(a[0]) < time.Second {
		t.Errorf("429 page attempts %v, want 2 at least the Retry-After of 1s apart", a)
	}
	if n := len(attempts["/trasig"]); n != 3 {
		t.Errorf("500 page attempted %d times, want 1 + RetryMax 2", n)
	}
	if stats.Errors != 1 || stats.ErrorsByKind[ErrorKind5xx] != 1 {
		t.Errorf("stats = %+v, want one 5xx error", stats)
	}
}

func TestPrivateAddresses(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{"/": page()})
	port := site.srv.Listener.Addr().(interface{ String() string }).String()
	port = port[strings.LastIndexByte(port, ':')+1:]
	tests := []struct {
		name         string
		root         string
		allowPrivate bool
		kept         int
	}{
		{"literal loopback", site.url("/"), false, 0},
		{"name resolving to loopback", "http://localhost:" + port + "/", false, 0},
		{"allowed", site.url("/"), true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(site.paths())
			cfg := testConfig(t)
			cfg.AllowPrivate = tt.allowPrivate
			stats, s := crawl(t, cfg, entry("k", tt.root))
			if len(s.urls()) != tt.kept {
				t.Errorf("kept %v, want %d documents", s.urls(), tt.kept)
			}
			requests := len(site.paths()) - before
			if tt.allowPrivate {
				if requests == 0 || stats.Refused != 0 {
					t.Errorf("requests %d, stats %+v", requests, stats)
				}
				return
			}
			if requests != 0 {
				t.Errorf("server got %d requests, want none", requests)
			}
			if stats.Refused != 1 || stats.Errors != 0 {
				t.Errorf("stats = %+v, want Refused 1 and no errors", stats)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	big := htmlLinks() + strings.Repeat("<p>fält</p>", 1000)
	site := newSite(t, map[string]http.HandlerFunc{"/": typed("text/html", big)})
	cfg := testConfig(t)
	cfg.MaxBodyBytes = 1000
	stats, s := crawl(t, cfg, entry("k", site.url("/")))
	d := s.byURL()[site.url("/")]
	if len(d.Body) != 1000 || stats.Truncated != 1 || stats.Bytes != 1000 {
		t.Errorf("body %d bytes, stats %+v; want 1000 and one truncation", len(d.Body), stats)
	}
}

func TestSinkErrorsAreCounted(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/": page("/a", "/b"), "/a": page(), "/b": page(),
	})
	s := &sink{fail: func(d kg.FetchedDoc) error {
		if strings.HasSuffix(d.URL, "/a") {
			return errors.New("kan inte spara")
		}
		return nil
	}}
	c, err := New(testConfig(t), s)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := c.Crawl(t.Context(), []kg.Entry{entry("k", site.url("/"))})
	if err != nil {
		t.Fatal(err)
	}
	if stats.SinkErrors != 1 || stats.Kept != 2 || len(s.urls()) != 2 {
		t.Errorf("stats %+v, kept %v; want one sink error and two kept", stats, s.urls())
	}
}

func TestCancel(t *testing.T) {
	t.Run("during a long delay", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		site := newSite(t, map[string]http.HandlerFunc{
			"/robots.txt": func(w http.ResponseWriter, r *http.Request) { cancel() },
			"/":           page(),
		})
		cfg := testConfig(t)
		cfg.Delay = time.Hour
		c, err := New(cfg, &sink{})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := c.Crawl(ctx, []kg.Entry{entry("k", site.url("/"))})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Crawl error %v, want context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Crawl did not return after its context was cancelled")
		}
		if site.requested("/") != 0 {
			t.Error("the root was requested after cancellation")
		}
	})

	t.Run("from the sink", func(t *testing.T) {
		routes := map[string]http.HandlerFunc{}
		var links []string
		for i := range 50 {
			links = append(links, fmt.Sprintf("/p%d", i))
			routes[links[i]] = page()
		}
		routes["/"] = page(links...)
		site := newSite(t, routes)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var calls, after atomic.Int32
		var returned atomic.Bool
		s := kg.PageSinkFunc(func(context.Context, kg.FetchedDoc) error {
			if returned.Load() {
				after.Add(1)
			}
			if calls.Add(1) == 2 {
				cancel()
			}
			return nil
		})
		c, err := New(testConfig(t), s)
		if err != nil {
			t.Fatal(err)
		}
		stats, err := c.Crawl(ctx, []kg.Entry{entry("k", site.url("/"))})
		returned.Store(true)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Crawl error %v, want context.Canceled", err)
		}
		if stats.Kept > 3 || len(site.paths()) > 5 {
			t.Errorf("crawl went on after cancel: stats %+v, requests %v", stats, site.paths())
		}
		time.Sleep(50 * time.Millisecond) // room for a stray request to reach the sink
		if after.Load() != 0 {
			t.Errorf("sink called %d times after Crawl returned", after.Load())
		}
	})
}

func TestProgress(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{"/": page("/a"), "/a": page()})
	cfg := testConfig(t)
	var mu sync.Mutex
	var last Stats
	var calls int
	cfg.Progress = func(s Stats) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		last = s
		s.PerHost["mutated"] = 1 // a copy: must not reach the crawl's stats
	}
	stats, _ := crawl(t, cfg, entry("k", site.url("/")))
	mu.Lock()
	defer mu.Unlock()
	if calls < 2 || last.Kept != stats.Kept {
		t.Errorf("%d progress calls, last %+v, final %+v", calls, last, stats)
	}
	if _, ok := stats.PerHost["mutated"]; ok {
		t.Error("Progress received the crawl's own map")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := New(DefaultConfig(), nil); err == nil {
		t.Error("New accepted a nil sink")
	}
	cfg := DefaultConfig()
	cfg.Delay = -time.Second
	if _, err := New(cfg, &sink{}); err == nil {
		t.Error("New accepted a negative delay")
	}
	c, err := New(Config{}, &sink{})
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.UserAgent != DefaultUserAgent || c.cfg.Delay != 0 || c.cfg.MaxDepth != 4 || c.cfg.RetryMax != 2 {
		t.Errorf("zero config became %+v", c.cfg)
	}
}

func TestMetaRobotsNofollow(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/":  typed("text/html", `<html><head><meta name="ROBOTS" content="noindex, NoFollow"></head><body><a href="/a">a</a></body></html>`),
		"/a": page(),
	})
	stats, _ := crawl(t, testConfig(t), entry("k", site.url("/")))
	if site.requested("/a") != 0 || stats.Kept != 0 || stats.SkippedNoindex != 1 {
		t.Errorf("link on a nofollow page was followed: %v, stats %+v", site.paths(), stats)
	}
}

// slowSink counts how many pages it is handling at once.
type slowSink struct {
	mu          sync.Mutex
	now, most   int
	handled     int
	handleDelay time.Duration
}

func (s *slowSink) HandlePage(ctx context.Context, _ kg.FetchedDoc) error {
	s.mu.Lock()
	s.now++
	s.most = max(s.most, s.now)
	s.mu.Unlock()
	select {
	case <-time.After(s.handleDelay):
	case <-ctx.Done():
	}
	s.mu.Lock()
	s.now--
	s.handled++
	s.mu.Unlock()
	return nil
}

func TestSinkParallelismBoundsPagesInProcess(t *testing.T) {
	const hosts, pages = 4, 5
	var entries []kg.Entry
	for h := range hosts {
		routes := map[string]http.HandlerFunc{}
		var links []string
		for i := range pages {
			p := fmt.Sprintf("/sida-%d", i)
			links = append(links, p)
			routes[p] = page()
		}
		routes["/"] = page(links...)
		entries = append(entries, entry(fmt.Sprintf("k%d", h), newSite(t, routes).url("/")))
	}
	cfg := testConfig(t)
	cfg.Parallelism = hosts
	cfg.SinkParallelism = 2
	s := &slowSink{handleDelay: 5 * time.Millisecond}
	c, err := New(cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := c.Crawl(t.Context(), entries)
	if err != nil {
		t.Fatal(err)
	}
	if want := hosts * (pages + 1); stats.Kept != want || s.handled != want {
		t.Fatalf("kept %d, sink handled %d; want %d", stats.Kept, s.handled, want)
	}
	if s.most > cfg.SinkParallelism {
		t.Errorf("the sink handled %d pages at once, want at most %d", s.most, cfg.SinkParallelism)
	}
	if s.most < 2 {
		t.Errorf("the sink never handled two pages at once over %d hosts", hosts)
	}
}
