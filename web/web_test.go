package web

import (
	"bytes"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestMessagesComplete(t *testing.T) {
	for _, lang := range Langs {
		for _, other := range Langs {
			for key := range messages[other] {
				if _, ok := messages[lang][key]; !ok {
					t.Errorf("message %q is in %s but not in %s", key, other, lang)
				}
			}
		}
	}
}

// keyUse finds message keys used in templates: .T "key", $.Tf "key", .Tn "key".
var keyUse = regexp.MustCompile(`\.T[fn]? "([a-z0-9.]+)"`)

func TestTemplateKeysExist(t *testing.T) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	seen := 0
	for _, name := range files {
		b, err := fs.ReadFile(templateFS, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(b), -1) {
			seen++
			key := m[1]
			if strings.Contains(m[0], ".Tn ") {
				key += ".one"
			}
			if _, ok := messages[LangSV][key]; !ok {
				t.Errorf("%s uses message %q, which does not exist", name, key)
			}
		}
	}
	if seen < 20 {
		t.Errorf("found only %d message uses; the pattern is stale", seen)
	}
}

func TestT(t *testing.T) {
	tests := []struct {
		lang, key, want string
	}{
		{LangSV, "nav.search", "Sök"},
		{LangEN, "nav.search", "Search"},
		{"de", "nav.search", "Sök"},
		{LangEN, "no.such.key", "no.such.key"},
	}
	for _, tt := range tests {
		if got := T(tt.lang, tt.key); got != tt.want {
			t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	if got := Tn(LangEN, "search.total", 1); got != "1 result" {
		t.Errorf("Tn one = %q", got)
	}
	if got := Tn(LangEN, "search.total", 3); got != "3 results" {
		t.Errorf("Tn other = %q", got)
	}
}

func TestPageFormatting(t *testing.T) {
	sv, en := Page{Lang: LangSV}, Page{Lang: LangEN}
	tests := []struct {
		got, want string
	}{
		{sv.Num(5.5), "5,5"},
		{en.Num(5.5), "5.5"},
		{en.Num(2), "2"},
		{en.Num(1.23456), "1.23"},
		{sv.KindName("project"), "Projekt"},
		{en.KindName("project"), "Project"},
		{en.KindName("podcast"), "podcast"},
		{sv.DocLangName("en"), "Engelska"},
		{en.DocLangName("fi"), "fi"},
		{sv.Date(time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC)), "2024-03-09"},
		{sv.Date(time.Time{}), ""},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func testPage(lang, nav string) Page {
	return Page{
		Lang: lang, Title: "Titel", Nav: nav, Version: "v1.2.3",
		LangLinks: []LangLink{
			{Lang: LangSV, Name: "Svenska", URL: "/x?lang=sv", Current: lang == LangSV},
			{Lang: LangEN, Name: "English", URL: "/x?lang=en", Current: lang == LangEN},
		},
	}
}

func TestRenderPages(t *testing.T) {
	tmpl, err := ParseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	ev := []Evidence{{Title: "Betesdag på gården", URL: "https://a.example/bete", Kind: "event", Snippet: "Vi visar <b>bete</b>"}}
	tests := []struct {
		name string
		data any
		want []string
		not  []string
	}{
		{
			name: TmplSearch,
			data: SearchPage{
				Page: testPage(LangEN, "search"), Query: `vall "bete"`, Total: 12,
				Hidden: []Field{{Name: "kind", Value: "news"}},
				Hits: []SearchHit{{Title: "Vallkurs", URL: "https://a.example/vall", Host: "a.example", Kind: "news",
					Date: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC), Snippet: "om <mark>vall</mark> <script>x</script>",
					Clusters: []Link{{Text: "Klustret", URL: "/clusters/k"}}}},
				Filters:  []ActiveFilter{{Facet: "Kind of page", Label: "News", RemoveURL: "/?q=vall"}},
				ClearURL: "/?q=vall",
				Facets:   []Facet{{Name: "kind", Title: "Kind of page", Values: []FacetValue{{Label: "News", Count: 12, URL: "/?q=vall", Selected: true}}}},
				Pager:    Pager{Page: 1, Pages: 2, Next: "/?page=2", Links: []PageLink{{1, "/", true}, {2, "/?page=2", false}}},
			},
			want: []string{`<html lang="en">`, `<label for="q">Search terms</label>`, `value="vall &#34;bete&#34;"`,
				`<input type="hidden" name="kind" value="news">`, "12 results", "<mark>vall</mark> &lt;script&gt;x&lt;/script&gt;",
				`<a href="https://a.example/vall">Vallkurs</a>`, `<time datetime="2024-05-02">`, `href="/clusters/k"`,
				`rel="next"`, `aria-current="true">News</a>`, `aria-current="page">Search</a>`, `href="#main"`, `id="main"`},
			not: []string{"<script>", "style="},
		},
		{
			name: TmplSearch,
			data: SearchPage{Page: testPage(LangSV, "search"), Error: "page must be an integer"},
			want: []string{`<html lang="sv">`, `role="alert"`, "Sökningen kunde inte utföras", "page must be an integer"},
			not:  []string{"Träffar"},
		},
		{
			name: TmplClusters,
			data: ClustersPage{Page: testPage(LangSV, "clusters"), Clusters: []ClusterItem{{Name: "Mat & Skog", URL: "/clusters/ms", County: "Jämtlands län", Documents: 1,
				TopTopics: []Link{{Text: "Skogsbruk", URL: "/topics/forestry"}}}}},
			want: []string{"Mat &amp; Skog", `href="/clusters/ms"`, "1 dokument", `href="/topics/forestry"`, "Jämtlands län"},
		},
		{
			name: TmplCluster,
			data: ClusterPage{Page: testPage(LangSV, "clusters"), Name: "Mat & Skog", Town: "Östersund", Documents: 4, SearchURL: "/?cluster=ms",
				Sites:  []string{"https://ms.example/"},
				Topics: []ClusterTopic{{Label: "Bete", URL: "/topics/grazing", Weight: 4.5, Evidence: ev, More: 2}}},
			want: []string{"<h1>Mat &amp; Skog</h1>", "Östersund", `href="https://ms.example/"`, "Vikt 4,5",
				`<a href="https://a.example/bete">Betesdag på gården</a>`, "Vi visar &lt;b&gt;bete&lt;/b&gt;", "och 2 belägg till", `href="/?cluster=ms"`},
		},
		{
			name: TmplTopics,
			data: TopicsPage{Page: testPage(LangEN, "topics"), Topics: []TopicItem{{Label: "Grazing", URL: "/topics/grazing", Clusters: 1, Documents: 3}}},
			want: []string{"Grazing", "1 cluster", "3 documents"},
		},
		{
			name: TmplTopic,
			data: TopicPage{Page: testPage(LangEN, "topics"), Label: "Grazing", Terms: []string{"bete", "grazing"}, SearchURL: "/?topic=grazing",
				Clusters: []TopicCluster{{Name: "Mat & Skog", URL: "/clusters/ms", Weight: 2, Evidence: ev}}},
			want: []string{"<h1>Grazing</h1>", "bete, grazing", `href="/clusters/ms"`, "Weight 2", `href="https://a.example/bete"`, "Event"},
		},
		{
			name: TmplTopic,
			data: TopicPage{Page: testPage(LangEN, "topics"), Label: "Grazing"},
			want: []string{"No cluster works on the topic yet."},
		},
		{
			name: TmplError,
			data: ErrorPage{Page: testPage(LangEN, ""), Status: 500, Heading: "Something went wrong", RequestID: "abc123"},
			want: []string{"<h1>Something went wrong</h1>", "Reference: abc123"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tmpl.Render(&buf, tt.name, tt.data); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("output contains %q", n)
				}
			}
		})
	}
}

func TestRenderUnknownTemplate(t *testing.T) {
	tmpl, err := ParseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tmpl.Render(&buf, "nope", nil); err == nil {
		t.Fatal("Render of an unknown template succeeded")
	}
	if err := tmpl.Render(&buf, TmplSearch, struct{}{}); err == nil {
		t.Fatal("Render with the wrong data succeeded")
	}
	if buf.Len() != 0 {
		t.Errorf("a failed Render wrote %d bytes", buf.Len())
	}
}

func TestStatic(t *testing.T) {
	css, err := fs.ReadFile(Static(), "style.css")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(css, []byte(":focus-visible")) {
		t.Error("style sheet has no visible focus style")
	}
}
