package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/demoweb"
	"github.com/klusterkarta/klusterkarta/internal/registry"
)

// MustStartDemoWeb serves the demo web on loopback for the test's life and
// writes its registry to a seeds file.
func MustStartDemoWeb(tb testing.TB) (*demoweb.Web, string) {
	tb.Helper()
	web, err := demoweb.Start(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { web.Close() })
	data, err := registry.Marshal(web.Registry())
	if err != nil {
		tb.Fatal(err)
	}
	seeds := filepath.Join(tb.TempDir(), "seeds.yaml")
	if err := os.WriteFile(seeds, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return web, seeds
}

// MustCrawl runs "klusterkarta crawl --json" and returns its summary.
func MustCrawl(tb testing.TB, seeds, dataDir string) Summary {
	tb.Helper()
	return mustCrawlWith(tb, seeds, dataDir)
}

// mustCrawlWith runs "klusterkarta crawl --json" with the extra flags and
// returns its summary.
func mustCrawlWith(tb testing.TB, seeds, dataDir string, flags ...string) Summary {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"crawl", "--json", "--log-level", "warn"}, flags...)
	code := RunEnv(context.Background(), args, &stdout, &stderr, Env{
		Getenv: envMap(map[string]string{
			"KLUSTERKARTA_SEEDS":         seeds,
			"KLUSTERKARTA_DATA":          dataDir,
			"KLUSTERKARTA_ALLOW_PRIVATE": "true",
			"KLUSTERKARTA_DELAY":         "5ms",
		}),
	})
	if code != 0 {
		tb.Fatalf("crawl exited %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
	var s Summary
	if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
		tb.Fatalf("crawl summary is not JSON: %v\n%s", err, stdout.String())
	}
	return s
}

// MustServe runs "klusterkarta serve" on a free loopback port until the test
// ends, and returns its base URL.
func MustServe(tb testing.TB, seeds, dataDir string) (base string, stop func()) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- RunEnv(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--seeds", seeds, "--data", dataDir, "--log-level", "warn"},
			io.Discard, &stderr, Env{Listening: func(u string) { urls <- u }})
	}()
	select {
	case base = <-urls:
	case code := <-done:
		cancel()
		tb.Fatalf("serve exited %d before listening: %s", code, stderr.String())
	case <-time.After(30 * time.Second):
		cancel()
		tb.Fatal("serve did not start listening")
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if code := <-done; code != 0 {
				tb.Errorf("serve exited %d: %s", code, stderr.String())
			}
		})
	}
	tb.Cleanup(stop)
	return base, stop
}

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// getJSON fetches base+path and decodes a JSON answer into v, failing on a
// status other than want.
func getJSON(tb testing.TB, base, path string, want int, v any) {
	tb.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		tb.Fatalf("GET %s = %d, want %d: %s", path, resp.StatusCode, want, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		tb.Fatalf("GET %s: %v: %s", path, err, body)
	}
}

type topicClusters struct {
	Clusters []struct {
		ID       string  `json:"id"`
		Weight   float64 `json:"weight"`
		Evidence []struct {
			URL     string `json:"url"`
			Snippet string `json:"snippet"`
		} `json:"evidence"`
	} `json:"clusters"`
}

type searchAnswer struct {
	Total int `json:"total"`
	Hits  []struct {
		URL      string   `json:"url"`
		Clusters []string `json:"clusters"`
		Snippet  string   `json:"snippet"`
	} `json:"hits"`
}

// TestEndToEnd crawls the demo web with the real crawler, serves the result
// with the real server and checks the answers over HTTP.
func TestEndToEnd(t *testing.T) {
	web, seeds := MustStartDemoWeb(t)
	dataDir := t.TempDir()

	first := MustCrawl(t, seeds, dataDir)
	if first.PagesFetched < 20 || first.Documents < 20 {
		t.Fatalf("first crawl fetched %d pages, %d documents; want the whole demo web: %+v", first.PagesFetched, first.Documents, first)
	}
	if first.Changed != first.Documents {
		t.Errorf("first crawl: %d of %d documents written", first.Changed, first.Documents)
	}
	if first.SkippedRobots == 0 {
		t.Error("first crawl skipped nothing for robots.txt, yet the demo web disallows a linked page")
	}
	if first.Failed != 0 {
		t.Errorf("extraction failures: %+v", first.Failures)
	}
	if n := web.Hits(demoweb.SiteAngsmarken, demoweb.InternPath); n != 0 {
		t.Errorf("the robots-disallowed page %s was requested %d times", demoweb.InternPath, n)
	}

	base, stop := MustServe(t, seeds, dataDir)
	answers := snapshot(t, base)

	// The topic query ranks the clusters as the demo web's pages support.
	for topic, want := range demoweb.Expected {
		var tc topicClusters
		if err := json.Unmarshal(answers["/api/v1/topics/"+topic+"/clusters"], &tc); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range tc.Clusters {
			got = append(got, c.ID)
			if len(c.Evidence) == 0 {
				t.Errorf("%s: cluster %s ranked without evidence", topic, c.ID)
			}
			for _, e := range c.Evidence {
				if !strings.HasPrefix(e.URL, "http://127.0.0.1:") {
					t.Errorf("%s: %s: evidence URL %q is not a demo page", topic, c.ID, e.URL)
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("topic %s ranks %v, want %v", topic, got, want)
		}
	}

	// What robots.txt disallows is not searchable; what only the sitemap
	// lists is.
	var s searchAnswer
	getJSON(t, base, "/api/v1/search?q="+demoweb.InternWord, http.StatusOK, &s)
	if s.Total != 0 {
		t.Errorf("disallowed page is searchable: %+v", s)
	}
	getJSON(t, base, "/api/v1/search?q="+demoweb.SitemapOnlyWord, http.StatusOK, &s)
	if s.Total == 0 {
		t.Error("the page listed only in sitemap.xml was not crawled")
	}

	// The ISO-8859-1 site comes out as correct text.
	getJSON(t, base, "/api/v1/search?q="+url.QueryEscape("sågspån"), http.StatusOK, &s)
	if s.Total == 0 || !containsString(s.Hits[0].Clusters, demoweb.ClusterSkogsbrynet) {
		t.Errorf("search for a word from the ISO-8859-1 site: %+v", s)
	}

	// Bad parameters and unknown ids get the error envelope.
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	getJSON(t, base, "/api/v1/search?q=biogas&size=many", http.StatusBadRequest, &e)
	if e.Error.Code != "invalid" || !strings.Contains(e.Error.Message, "size") {
		t.Errorf("bad size answered %+v", e)
	}
	getJSON(t, base, "/api/v1/topics/no-such-topic/clusters", http.StatusNotFound, &e)
	if e.Error.Code != "not_found" {
		t.Errorf("unknown topic answered %+v", e)
	}
	stop()

	// A second crawl of the unchanged web changes nothing.
	second := MustCrawl(t, seeds, dataDir)
	if second.Changed != 0 || second.Unchanged != second.Documents || second.Documents != first.Documents {
		t.Errorf("second crawl of an unchanged web: %+v (first: %d documents)", second, first.Documents)
	}
	base, _ = MustServe(t, seeds, dataDir)
	again := snapshot(t, base)
	for path, body := range answers {
		if !bytes.Equal(again[path], body) {
			t.Errorf("%s changed after a re-crawl of an unchanged web:\nbefore %s\nafter  %s", path, body, again[path])
		}
	}
}

// snapshot fetches the answers the end-to-end test compares across crawls.
func snapshot(t *testing.T, base string) map[string][]byte {
	t.Helper()
	paths := []string{"/api/v1/clusters", "/api/v1/topics"}
	for topic := range demoweb.Expected {
		paths = append(paths, "/api/v1/topics/"+topic+"/clusters")
	}
	for _, id := range []string{demoweb.ClusterAngsmarken, demoweb.ClusterKustlandet, demoweb.ClusterSkogsbrynet} {
		paths = append(paths, "/api/v1/clusters/"+id)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		var raw json.RawMessage
		getJSON(t, base, p, http.StatusOK, &raw)
		out[p] = raw
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestRunRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("clusters:\n  - id: a\n    name: A\n    sites: [\"not a url\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "Usage"},
		{"unknown command", []string{"fly"}, 2, "unknown command"},
		{"unknown flag", []string{"crawl", "--fast"}, 2, "fast"},
		{"bad registry", []string{"crawl", "--seeds", bad, "--data", filepath.Join(dir, "d")}, 1, "clusters[0] (a)"},
		{"bad search size", []string{"search", "--size", "1000", "--data", filepath.Join(dir, "d"), "biogas"}, 1, "size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := RunEnv(context.Background(), tt.args, &stdout, &stderr, Env{})
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q does not mention %q", stderr.String(), tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "d", "graph")); err == nil {
		t.Error("a bad registry still created a graph: something ran before the check")
	}
}

func TestEnvironmentTwins(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := RunEnv(context.Background(), []string{"crawl", "--data", t.TempDir()}, &stdout, &stderr, Env{
		Getenv: envMap(map[string]string{"KLUSTERKARTA_DELAY": "soon"}),
	})
	if code == 0 || !strings.Contains(stderr.String(), "KLUSTERKARTA_DELAY") {
		t.Errorf("a bad environment value was not reported: exit %d, %s", code, stderr.String())
	}
}

// entityEvidence is the evidence of a person, project or event item.
type entityEvidence []struct {
	URL     string `json:"url"`
	Snippet string `json:"snippet"`
}

// has reports whether the evidence names the page u.
func (ev entityEvidence) has(u string) bool {
	for _, e := range ev {
		if e.URL == u {
			return true
		}
	}
	return false
}

// TestEntitiesEndToEnd crawls the demo web and checks over HTTP that the
// people of its contact pages, the projects of its project pages and its
// events are listed, each with the demo pages as evidence, and that their
// pages answer.
func TestEntitiesEndToEnd(t *testing.T) {
	web, seeds := MustStartDemoWeb(t)
	dataDir := t.TempDir()
	MustCrawl(t, seeds, dataDir)
	base, _ := MustServe(t, seeds, dataDir)

	var people struct {
		Total  int `json:"total"`
		People []struct {
			ID        string         `json:"id"`
			Name      string         `json:"name"`
			Email     string         `json:"email"`
			SourceURL string         `json:"source_url"`
			Page      string         `json:"page"`
			Evidence  entityEvidence `json:"evidence"`
		} `json:"people"`
	}
	getJSON(t, base, "/api/v1/people?size=100", http.StatusOK, &people)
	if people.Total != len(people.People) {
		t.Fatalf("%d people, %d listed on one page of 100", people.Total, len(people.People))
	}
	contacts := map[string][]string{
		demoweb.SiteAngsmarken: {"Malin Ekedahl", "Johan Strandvik", "Petra Vallgren", "Oskar Lindmyr"},
		demoweb.SiteKustlandet: {"Karin Sjöbeck", "Mattias Tångholm", "Sara Revsten"},
		demoweb.SiteNatverket:  {"Helena Bergsjö", "David Ljungqvist"},
	}
	pages := map[string]string{} // URL → body, of the demo pages fetched
	fetch := func(u string) string {
		if b, ok := pages[u]; ok {
			return b
		}
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		pages[u] = string(b)
		return pages[u]
	}
	for site, names := range contacts {
		contact := web.URL(site, "/kontakt/")
		for _, name := range names {
			found := false
			for _, p := range people.People {
				if p.Name == name && p.Evidence.has(contact) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s of %s is not listed with the contact page as evidence", name, contact)
			}
		}
	}
	for _, p := range people.People {
		if len(p.Evidence) == 0 || !strings.HasPrefix(p.SourceURL, "http://127.0.0.1:") {
			t.Errorf("person %s: source %q, evidence %v", p.ID, p.SourceURL, p.Evidence)
		}
		if p.Email == "" {
			continue
		}
		// Only what a page published: the e-mail occurs on one of its pages.
		published := false
		for _, e := range p.Evidence {
			published = published || strings.Contains(fetch(e.URL), p.Email)
		}
		if !published {
			t.Errorf("person %s shows the e-mail %q that none of its pages publishes", p.ID, p.Email)
		}
	}
	if len(people.People) > 0 {
		mustPage(t, base+people.People[0].Page, people.People[0].Name)
	}

	var projects struct {
		Projects []struct {
			ID        string         `json:"id"`
			Name      string         `json:"name"`
			Period    string         `json:"period"`
			SourceURL string         `json:"source_url"`
			Page      string         `json:"page"`
			Owners    []struct{}     `json:"owners"`
			Evidence  entityEvidence `json:"evidence"`
		} `json:"projects"`
	}
	getJSON(t, base, "/api/v1/projects?size=100", http.StatusOK, &projects)
	for site, paths := range map[string][]string{
		demoweb.SiteAngsmarken:  {"/projekt/baljvaxtlyftet/", "/projekt/trygg-mat-i-ostergotland/"},
		demoweb.SiteKustlandet:  {"/projekt/bla-affarer/"},
		demoweb.SiteSkogsbrynet: {"/projekt/skogskapital/"},
	} {
		for _, path := range paths {
			u := web.URL(site, path)
			found := false
			for _, p := range projects.Projects {
				if p.Evidence.has(u) && p.Period != "" && len(p.Owners) > 0 {
					found = true
					mustPage(t, base+p.Page, p.Name)
				}
			}
			if !found {
				t.Errorf("the project of %s is not listed with its period, owner and the page as evidence", u)
			}
		}
	}

	var events struct {
		Events []struct {
			ID       string         `json:"id"`
			Name     string         `json:"name"`
			Start    string         `json:"start"`
			Page     string         `json:"page"`
			Evidence entityEvidence `json:"evidence"`
		} `json:"events"`
	}
	getJSON(t, base, "/api/v1/events?size=100", http.StatusOK, &events)
	for site, path := range map[string]string{
		demoweb.SiteAngsmarken:  "/kalender/beredskapsdag-for-lantbruket/",
		demoweb.SiteSkogsbrynet: "/kalender/frukostmote-om-kapital/",
		demoweb.SiteKustlandet:  demoweb.JSONLDEventPath,
	} {
		u := web.URL(site, path)
		found := false
		for _, ev := range events.Events {
			if ev.Evidence.has(u) && ev.Start != "" {
				found = true
				var one struct {
					ID string `json:"id"`
				}
				getJSON(t, base, "/api/v1/events/"+url.PathEscape(ev.ID), http.StatusOK, &one)
				mustPage(t, base+ev.Page, ev.Name)
			}
		}
		if !found {
			t.Errorf("the event of %s is not listed with its start and the page as evidence", u)
		}
	}
}

// mustPage fetches an HTML page of the server and checks that it answers
// 200 and shows text.
func mustPage(t *testing.T, u, text string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), html.EscapeString(text)) {
		t.Errorf("GET %s = %d, want 200 showing %q", u, resp.StatusCode, text)
	}
}
