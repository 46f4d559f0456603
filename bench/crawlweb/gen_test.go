package main

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/registry"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

// MustGenerate generates a web whose host i is at http://127.0.0.(i+1):8000.
func MustGenerate(tb testing.TB, hosts, pages int, seed uint64) *Web {
	tb.Helper()
	vocab, err := topics.Default()
	if err != nil {
		tb.Fatal(err)
	}
	w, err := Generate(Config{Hosts: hosts, Pages: pages, Seed: seed, Topics: vocab,
		Base: func(i int) string { return fmt.Sprintf("http://127.0.0.%d:8000", i+1) }})
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

func TestGenerateCounts(t *testing.T) {
	for _, tc := range []struct{ hosts, pages int }{
		{20, 10000}, {3, 100}, {1, 14}, {7, 1001}, {2, 2 * 61}, {2, 2 * 62},
	} {
		t.Run(fmt.Sprintf("%dx%d", tc.hosts, tc.pages), func(t *testing.T) {
			w := MustGenerate(t, tc.hosts, tc.pages, 1)
			if got := w.Fetchable(); got != tc.pages {
				t.Errorf("Fetchable() = %d, want %d", got, tc.pages)
			}
			if len(w.Hosts) != tc.hosts {
				t.Fatalf("%d hosts, want %d", len(w.Hosts), tc.hosts)
			}
			for i, h := range w.Hosts {
				want := tc.pages / tc.hosts
				if i < tc.pages%tc.hosts {
					want++
				}
				n := 0
				kinds := map[string]int{}
				for _, r := range h.Resources {
					kinds[r.Kind]++
					if r.Kind != KindRobots && r.Kind != KindSitemap {
						n++
					}
				}
				if n != want {
					t.Errorf("host %d has %d resources, want %d", i, n, want)
				}
				for _, k := range []string{KindHTML, KindPDF, KindICal, KindFeed, KindRobots, KindSitemap} {
					if kinds[k] == 0 {
						t.Errorf("host %d has no %s resource", i, k)
					}
				}
			}
		})
	}
}

func TestGenerateRejects(t *testing.T) {
	vocab, err := topics.Default()
	if err != nil {
		t.Fatal(err)
	}
	base := func(int) string { return "http://127.0.0.1:1" }
	for name, cfg := range map[string]Config{
		"no hosts":       {Hosts: 0, Pages: 100, Base: base, Topics: vocab},
		"too many hosts": {Hosts: 21, Pages: 10000, Base: base, Topics: vocab},
		"too few pages":  {Hosts: 2, Pages: 20, Base: base, Topics: vocab},
		"no base":        {Hosts: 1, Pages: 100, Topics: vocab},
		"no topics":      {Hosts: 1, Pages: 100, Base: base},
	} {
		if _, err := Generate(cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a, b, c := MustGenerate(t, 3, 300, 7), MustGenerate(t, 3, 300, 7), MustGenerate(t, 3, 300, 8)
	differs := false
	for i := range a.Hosts {
		for path, ra := range a.Hosts[i].Resources {
			rb, ok := b.Hosts[i].Resources[path]
			if !ok || !bytes.Equal(ra.Body, rb.Body) {
				t.Fatalf("host %d %s differs between two generations with one seed", i, path)
			}
			if rc, ok := c.Hosts[i].Resources[path]; !ok || !bytes.Equal(ra.Body, rc.Body) {
				differs = true
			}
		}
	}
	if !differs {
		t.Error("another seed gives the same web")
	}
}

// links returns the href values of a page's a and link elements.
func links(tb testing.TB, body []byte) []string {
	tb.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "a" || n.Data == "link") {
			for _, a := range n.Attr {
				if a.Key == "href" {
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// TestEveryResourceLinked checks that a crawler that reads no sitemap (as
// wget) reaches every resource of every host by links from its home page
// without entering a path robots.txt forbids, that every link leads
// somewhere known, and that the sitemap lists every HTML page.
func TestEveryResourceLinked(t *testing.T) {
	w := MustGenerate(t, 4, 600, 1)
	byBase := map[string]*Host{}
	for _, h := range w.Hosts {
		byBase[h.Base] = h
	}
	crossHost := 0
	for i, h := range w.Hosts {
		base, _ := url.Parse(h.Base + "/")
		reached := map[string]bool{"/": true}
		queue := []string{"/"}
		broken := 0
		for len(queue) > 0 {
			path := queue[0]
			queue = queue[1:]
			r := h.Resources[path]
			if r.Kind != KindHTML {
				continue
			}
			for _, href := range links(t, r.Body) {
				ref, err := url.Parse(href)
				if err != nil {
					t.Fatalf("host %d %s: bad link %q", i, path, href)
				}
				if ref.Scheme == "mailto" {
					continue
				}
				u := base.ResolveReference(ref)
				if other := byBase[u.Scheme+"://"+u.Host]; other != h {
					if other == nil {
						t.Errorf("host %d %s links to unknown host %s", i, path, u)
					} else if _, ok := other.Resources[u.Path]; !ok {
						t.Errorf("host %d %s links to missing %s", i, path, u)
					}
					crossHost++
					continue
				}
				switch {
				case slices.Contains(h.Disallowed, u.Path):
					continue
				case slices.Contains(h.Broken, u.Path):
					broken++
					continue
				}
				if _, ok := h.Resources[u.Path]; !ok {
					t.Errorf("host %d %s links to missing %s", i, path, u.Path)
					continue
				}
				if !reached[u.Path] {
					reached[u.Path] = true
					queue = append(queue, u.Path)
				}
			}
		}
		if broken == 0 {
			t.Errorf("host %d: no link to the broken path", i)
		}
		var sitemapped []string
		for _, loc := range strings.Split(string(h.Resources["/sitemap.xml"].Body), "<loc>")[1:] {
			loc, _, _ = strings.Cut(loc, "</loc>")
			sitemapped = append(sitemapped, strings.TrimPrefix(loc, h.Base))
		}
		for path, r := range h.Resources {
			switch r.Kind {
			case KindRobots, KindSitemap:
				continue
			case KindHTML:
				if !slices.Contains(sitemapped, path) {
					t.Errorf("host %d: sitemap misses %s", i, path)
				}
			}
			if !reached[path] {
				t.Errorf("host %d: no link reaches %s", i, path)
			}
		}
		robots := string(h.Resources["/robots.txt"].Body)
		for _, d := range h.Disallowed {
			if !strings.Contains(robots, "Disallow: "+d+"\n") {
				t.Errorf("host %d: robots.txt does not disallow %s", i, d)
			}
		}
	}
	if crossHost == 0 {
		t.Error("no links across hosts")
	}
}

func TestPagesShapedLikeClusterSites(t *testing.T) {
	w := MustGenerate(t, 2, 200, 1)
	h := w.Hosts[0]
	var project, event, pdf, news []byte
	for path, r := range h.Resources {
		switch {
		case strings.HasPrefix(path, "/projekt/") && !strings.Contains(path, "/sida/") && path != "/projekt/":
			project = r.Body
		case strings.HasPrefix(path, "/kalender/") && !strings.Contains(path, "/sida/") && path != "/kalender/":
			event = r.Body
		case strings.HasPrefix(path, "/nyheter/") && r.Kind == KindHTML && !strings.Contains(path, "/sida/") && path != "/nyheter/":
			news = r.Body
		case r.Kind == KindPDF:
			pdf = r.Body
		}
	}
	for _, tc := range []struct {
		name string
		body []byte
		want []string
	}{
		{"project", project, []string{"Projektnamn: ", "Projektägare: " + h.Cluster.Name, "Projektledare: ", "Finansiärer: ", "Intressenter: ", "Projekttid: 20"}},
		{"event", event, []string{"Datum: ", " kl. ", "Plats: ", "Arrangör: " + h.Cluster.Name}},
		{"news", news, []string{"Publicerad ", "<article>"}},
		{"pdf", pdf, []string{"%PDF-1.", "%%EOF"}},
	} {
		if tc.body == nil {
			t.Errorf("no %s resource", tc.name)
			continue
		}
		for _, s := range tc.want {
			if !bytes.Contains(tc.body, []byte(s)) {
				t.Errorf("%s does not contain %q", tc.name, s)
			}
		}
	}
	if !bytes.Contains(event, []byte(swedishMonthIn(event))) {
		t.Error("event has no Swedish month name")
	}
	data, err := registry.Marshal(w.Registry())
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.Parse(data)
	if err != nil {
		t.Fatalf("registry does not parse back: %v", err)
	}
	if len(reg.Clusters) != 2 || reg.Clusters[0].Sites[0] != h.Base+"/" {
		t.Errorf("registry clusters = %+v", reg.Clusters)
	}
	matcher := topics.NewMatcher(mustTopics(t))
	if got := matcher.Match(string(news)); len(got) == 0 {
		t.Error("a news article names no topic of the vocabulary")
	}
}

// swedishMonthIn returns the first Swedish month name in b, or "" if none.
func swedishMonthIn(b []byte) string {
	for _, m := range swedishMonths {
		if bytes.Contains(b, []byte(" "+m+" ")) {
			return m
		}
	}
	return "\x00none"
}

func mustTopics(tb testing.TB) []kg.Topic {
	tb.Helper()
	ts, err := topics.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return ts
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Träff om biogas lockade många i Åbrink", "traff-om-biogas-lockade-manga-i-abrink"},
		{"  Rapport: 12 nya idéer! ", "rapport-nya-ideer"},
		{"", ""},
	} {
		if got := slug(tc.in); got != tc.want {
			t.Errorf("slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRegionName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Gävleborgs län", "Region Gävleborg"},
		{"Västra Götalands län", "Region Västra Götaland"},
		{"Skåne län", "Region Skåne"},
	} {
		if got := regionName(tc.in); got != tc.want {
			t.Errorf("regionName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
