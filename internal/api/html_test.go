package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// wantHTML checks a page's status and content type and that its body holds
// every string of want and none of not.
func wantHTML(t *testing.T, rec *httptest.ResponseRecorder, status int, want []string, not ...string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	body := rec.Body.String()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	for _, n := range not {
		if strings.Contains(body, n) {
			t.Errorf("page contains %q", n)
		}
	}
	if t.Failed() {
		t.Logf("body:\n%s", body)
	}
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "/?q=lager&kind=news&doclang=sv&page=2")
	wantHTML(t, rec, http.StatusOK, []string{
		`<html lang="sv">`,
		`<label for="q">Sökord</label>`,
		`value="lager"`,
		`<input type="hidden" name="kind" value="news">`,
		`<input type="hidden" name="doclang" value="sv">`,
		"23 träffar",
		// Hits, with the snippet's marks kept and its script escaped.
		`<a href="https://fjallmat.example/nyheter/lager">Lager inför krisen</a>`,
		"Om <mark>självförsörjning</mark> &amp; lager &lt;script&gt;alert(1)&lt;/script&gt;",
		`<time datetime="2024-11-05">2024-11-05</time>`,
		`<a href="/clusters/fjallmat">Fjällmat Kluster</a>`,
		// Facets as links, labelled from the graph and the message table.
		`<a href="/?cluster=fjallmat&amp;doclang=sv&amp;kind=news&amp;q=lager">Fjällmat Kluster</a> <span class="count">(14)</span>`,
		`<a href="/?doclang=sv&amp;kind=news&amp;q=lager&amp;topic=self-sufficiency">Självförsörjning</a>`,
		`<a href="/?doclang=sv&amp;q=lager" class="selected" aria-current="true">Nyhet</a>`,
		`>Om klustret</a>`,
		`>Engelska</a>`,
		`>Jämtlands län</a>`,
		// Active filters, each removable.
		`Typ av sida: Nyhet`,
		`Språk: Svenska`,
		`<a href="/?q=lager">Rensa alla filter</a>`,
		// Pagination: 23 hits, 10 a page, on page 2.
		"Sida 2 av 3",
		`<a href="/?doclang=sv&amp;kind=news&amp;q=lager" rel="prev">`,
		`<a href="/?doclang=sv&amp;kind=news&amp;page=3&amp;q=lager" rel="next">`,
	}, "<script>")
	s := f.Searches()
	want := kg.SearchRequest{Query: "lager", Kind: "news", Lang: "sv", Page: 2, Size: kg.DefaultPageSize}
	if len(s) != 1 || s[0] != want {
		t.Errorf("index got %+v, want %+v", s, want)
	}
}

func TestSearchPageBadRequest(t *testing.T) {
	tests := []struct {
		query, msg string
	}{
		{"page=tre", "page must be an integer"},
		{"kind=podcast", `kind &#34;podcast&#34; is not one of`},
		{"doclang=fi", "lang must be sv or en"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			f := newFixture(t)
			rec := f.Do(t, "GET", "/?q=lager&"+tt.query)
			wantHTML(t, rec, http.StatusBadRequest, []string{`role="alert"`, "Sökningen kunde inte utföras", tt.msg, `value="lager"`})
			if n := len(f.Searches()); n != 0 {
				t.Errorf("the index was asked %d times", n)
			}
		})
	}
}

func TestSearchPageIgnoresUnknownParams(t *testing.T) {
	f := newFixture(t)
	wantHTML(t, f.Do(t, "GET", "/?q=lager&utm_source=nyhetsbrev"), http.StatusOK, []string{"23 träffar"})
}

func TestClustersPage(t *testing.T) {
	f := newFixture(t)
	wantHTML(t, f.Do(t, "GET", "/clusters"), http.StatusOK, []string{
		"<h1>Gröna kluster</h1>",
		`<a href="/clusters/fjallmat">Fjällmat Kluster</a>`,
		`<a href="/clusters/slattbygd">Slättbygdens Gröna Nod &amp; Co</a>`,
		"Jämtlands län · 14 dokument",
		`<a class="tag" href="/topics/self-sufficiency">Självförsörjning</a>`,
		`<a href="/clusters" aria-current="page">Kluster</a>`,
	})
}

func TestClusterPage(t *testing.T) {
	f := newFixture(t)
	wantHTML(t, f.Do(t, "GET", "/clusters/fjallmat"), http.StatusOK, []string{
		"<title>Fjällmat Kluster · Klusterkarta</title>",
		"<h1>Fjällmat Kluster</h1>",
		"Ett kluster för mat från fjällen.",
		"Östersund",
		`<a href="https://fjallmat.example/">https://fjallmat.example/</a>`,
		`<a href="/topics/self-sufficiency">Självförsörjning</a> <span class="weight">Vikt 7,5</span>`,
		`<a href="https://fjallmat.example/sida-00">Sida 00 om lager</a>`,
		`<a href="https://fjallmat.example/sida-09">Sida 09 om lager</a>`,
		"Stycke 03 om självförsörjning.",
		"och 2 belägg till",
		`href="/?cluster=fjallmat"`,
	}, "sida-10", "sida-11")
}

func TestTopicsPage(t *testing.T) {
	f := newFixture(t)
	wantHTML(t, f.Do(t, "GET", "/topics?lang=en"), http.StatusOK, []string{
		"<h1>Topics</h1>",
		`<a href="/topics/self-sufficiency">Self-sufficiency</a>`,
		"2 clusters · 15 documents",
		`<a href="/topics/bioenergy">Bioenergy</a>`,
		"0 clusters · 0 documents",
	})
}

func TestTopicPage(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "/topics/self-sufficiency")
	wantHTML(t, rec, http.StatusOK, []string{
		"<h1>Självförsörjning</h1>",
		"självförsörjning, food security",
		`<a href="/clusters/fjallmat">Fjällmat Kluster</a> <span class="weight">Vikt 7,5</span>`,
		`<a href="/clusters/slattbygd">Slättbygdens Gröna Nod &amp; Co</a> <span class="weight">Vikt 1,5</span>`,
		`<a href="https://fjallmat.example/sida-00">Sida 00 om lager</a>`,
		`<blockquote cite="https://fjallmat.example/sida-01"><p>Stycke 01 om självförsörjning.</p></blockquote>`,
		"och 2 belägg till",
		`href="/?topic=self-sufficiency"`,
	})
	body := rec.Body.String()
	if strings.Index(body, "/clusters/fjallmat") > strings.Index(body, "/clusters/slattbygd") {
		t.Error("clusters are not in the graph's order")
	}
	wantHTML(t, f.Do(t, "GET", "/topics/bioenergy"), http.StatusOK, []string{"Inget kluster arbetar med ämnet ännu."})
}

func TestPageNotFound(t *testing.T) {
	tests := []struct {
		target string
		want   string
	}{
		{"/clusters/nowhere", "Det finns inget kluster med id &#34;nowhere&#34;."},
		{"/topics/nothing", "Det finns inget ämne med id &#34;nothing&#34;."},
		{"/topics/nothing?lang=en", "There is no topic with id &#34;nothing&#34;."},
		{"/no/such/page", "Det finns ingen sida på den här adressen."},
		{"/static/missing.css", "Det finns ingen sida på den här adressen."},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			wantHTML(t, newFixture(t).Do(t, "GET", tt.target), http.StatusNotFound, []string{tt.want, `<a href="/">`})
		})
	}
}

func TestPageErrors(t *testing.T) {
	f := newFixture(t)
	f.Graph.ClustersFn = func(context.Context) ([]kg.ClusterSummary, error) { return nil, errors.New("disk on fire") }
	f.Graph.TopicsFn = func(context.Context) ([]kg.TopicSummary, error) {
		return nil, kg.Errorf(kg.EUNAVAIL, "graph is closed")
	}
	h := f.MustHandler(t)
	rec := do(t, h, "GET", "/clusters")
	wantHTML(t, rec, http.StatusInternalServerError, []string{"Något gick fel", "Referens: " + rec.Header().Get("X-Request-ID")}, "disk on fire")
	if n := strings.Count(f.Logs.String(), "disk on fire"); n != 1 {
		t.Errorf("internal error logged %d times", n)
	}
	wantHTML(t, do(t, h, "GET", "/topics"), http.StatusServiceUnavailable, []string{"Tjänsten är inte tillgänglig"})
	wantHTML(t, do(t, h, "POST", "/clusters"), http.StatusMethodNotAllowed, []string{"Metoden stöds inte"})
}

func TestLanguageSwitch(t *testing.T) {
	f := newFixture(t)
	h := f.MustHandler(t)

	// Swedish by default, with a link to English that keeps the query.
	rec := do(t, h, "GET", "/clusters?x=1")
	wantHTML(t, rec, http.StatusOK, []string{`<html lang="sv">`, "Hoppa till innehållet",
		`<a href="/clusters?lang=en&amp;x=1" lang="en" hreflang="en">English</a>`, `<span class="current" lang="sv">Svenska</span>`})
	if c := rec.Header().Get("Set-Cookie"); c != "" {
		t.Errorf("a page without lang set a cookie: %q", c)
	}

	// Switching sets the cookie.
	rec = do(t, h, "GET", "/clusters?lang=en")
	wantHTML(t, rec, http.StatusOK, []string{`<html lang="en">`, "<h1>Green clusters</h1>", "Skip to content",
		`<a href="/clusters?lang=sv" lang="sv" hreflang="sv">Svenska</a>`})
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != "lang" || cookies[0].Value != "en" || cookies[0].Path != "/" ||
		cookies[0].MaxAge <= 0 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteLaxMode {
		t.Fatalf("cookies = %+v", cookies)
	}
	if v := rec.Header().Get("Vary"); v != "Cookie" {
		t.Errorf("Vary = %q, want Cookie", v)
	}

	// The cookie is remembered on other pages.
	rec = do(t, h, "GET", "/topics/self-sufficiency", "Cookie", "lang=en")
	wantHTML(t, rec, http.StatusOK, []string{`<html lang="en">`, "<h1>Self-sufficiency</h1>", "Weight 7.5", "and 2 more pieces of evidence"})
	if c := rec.Header().Get("Set-Cookie"); c != "" {
		t.Errorf("a remembered language was set again: %q", c)
	}

	// Switching back overrides the cookie; an unknown language is ignored.
	rec = do(t, h, "GET", "/?lang=sv", "Cookie", "lang=en")
	wantHTML(t, rec, http.StatusOK, []string{`<html lang="sv">`})
	if c := rec.Result().Cookies(); len(c) != 1 || c[0].Value != "sv" {
		t.Errorf("cookies = %+v, want lang=sv", c)
	}
	wantHTML(t, do(t, h, "GET", "/?lang=de", "Cookie", "lang=en"), http.StatusOK, []string{`<html lang="en">`})
	wantHTML(t, do(t, h, "GET", "/?lang=de", "Cookie", "lang=<x>"), http.StatusOK, []string{`<html lang="sv">`})
}

func TestLanguageLinkStaysOnSite(t *testing.T) {
	f := newFixture(t)
	rec := f.Do(t, "GET", "//evil.example/x")
	if strings.Contains(rec.Body.String(), `href="//evil.example`) {
		t.Errorf("language link leaves the site:\n%s", rec.Body)
	}
}

func TestStatic(t *testing.T) {
	f := newFixture(t)
	h := f.MustHandler(t)
	rec := do(t, h, "GET", "/static/style.css")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("style.css: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if !strings.Contains(rec.Body.String(), ":focus-visible") {
		t.Error("style.css lacks focus styles")
	}
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if rec := do(t, h, "GET", "/static/style.css", "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", rec.Code)
	}
	if rec := do(t, h, "GET", "/static/"); rec.Code != http.StatusNotFound {
		t.Errorf("directory: %d, want 404", rec.Code)
	}
	if rec := do(t, h, "GET", "/static/favicon.svg"); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/svg+xml" {
		t.Errorf("favicon: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
}
