package demoweb

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// MustStart starts the demo web and closes it when the test ends.
func MustStart(tb testing.TB, opts ...Option) *Web {
	tb.Helper()
	w, err := Start(context.Background(), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = w.Close() })
	return w
}

// noRedirects is a client that returns redirects instead of following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// get fetches rawURL and returns the response with its body read.
func get(tb testing.TB, method, rawURL string, header http.Header) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, rawURL, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("reading %s: %v", rawURL, err)
	}
	return resp, body
}

// text returns a page body as UTF-8, decoding the ISO-8859-1 site.
func text(tb testing.TB, site string, body []byte) string {
	tb.Helper()
	if site != SiteSkogsbrynet {
		return string(body)
	}
	dec, err := charmap.ISO8859_1.NewDecoder().Bytes(body)
	if err != nil {
		tb.Fatal(err)
	}
	return string(dec)
}

func TestStartServesEveryPage(t *testing.T) {
	w := MustStart(t)
	if got, want := w.Sites(), []string{SiteAngsmarken, SiteSkogsbrynet, SiteKustlandet, SiteNatverket}; !slices.Equal(got, want) {
		t.Fatalf("Sites() = %v, want %v", got, want)
	}
	hosts := map[string]bool{}
	for _, s := range w.Sites() {
		u, err := url.Parse(w.Base(s))
		if err != nil || u.Hostname() != "127.0.0.1" {
			t.Fatalf("base of %s = %q, want a 127.0.0.1 URL", s, w.Base(s))
		}
		if hosts[u.Host] {
			t.Fatalf("site %s shares host %s with another site", s, u.Host)
		}
		hosts[u.Host] = true
	}
	pages := w.Pages()
	if len(pages) < 35 {
		t.Fatalf("Pages() lists %d documents, want the whole demo web", len(pages))
	}
	for _, p := range pages {
		t.Run(p.Site+p.Path, func(t *testing.T) {
			resp, body := get(t, http.MethodGet, w.URL(p.Site, p.Path), nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
			if etag == "" || lm == "" {
				t.Fatalf("ETag %q, Last-Modified %q: want both", etag, lm)
			}
			ct := resp.Header.Get("Content-Type")
			switch {
			case p.Kind == kg.KindReport:
				if ct != "application/pdf" {
					t.Errorf("Content-Type %q", ct)
				}
			case p.Site == SiteSkogsbrynet:
				if ct != "text/html" {
					t.Errorf("Content-Type %q, want text/html without charset", ct)
				}
			default:
				if ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
				if !utf8.Valid(body) {
					t.Error("body is not UTF-8")
				}
			}

			head, headBody := get(t, http.MethodHead, w.URL(p.Site, p.Path), nil)
			if head.StatusCode != http.StatusOK || len(headBody) != 0 || head.Header.Get("ETag") != etag ||
				head.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Errorf("HEAD: status %d, %d body bytes, ETag %q, Content-Length %q; GET had %d bytes",
					head.StatusCode, len(headBody), head.Header.Get("ETag"), head.Header.Get("Content-Length"), len(body))
			}
			for _, h := range []http.Header{{"If-None-Match": {etag}}, {"If-Modified-Since": {lm}}} {
				cond, condBody := get(t, http.MethodGet, w.URL(p.Site, p.Path), h)
				if cond.StatusCode != http.StatusNotModified || len(condBody) != 0 {
					t.Errorf("conditional GET with %v: status %d, %d bytes", h, cond.StatusCode, len(condBody))
				}
			}
		})
	}
}

func TestRobotsAndSitemaps(t *testing.T) {
	w := MustStart(t)
	type urlset struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	for _, s := range w.Sites() {
		t.Run(s, func(t *testing.T) {
			resp, body := get(t, http.MethodGet, w.URL(s, "/robots.txt"), nil)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				t.Fatalf("robots.txt: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if want := "Sitemap: " + w.URL(s, "/sitemap.xml"); !strings.Contains(string(body), want) {
				t.Errorf("robots.txt lacks %q:\n%s", want, body)
			}
			resp, body = get(t, http.MethodGet, w.URL(s, "/sitemap.xml"), nil)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/xml" {
				t.Fatalf("sitemap.xml: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			var set urlset
			if err := xml.Unmarshal(body, &set); err != nil {
				t.Fatalf("sitemap.xml: %v", err)
			}
			if len(set.URLs) < 4 {
				t.Fatalf("sitemap lists %d URLs", len(set.URLs))
			}
			var locs []string
			for _, u := range set.URLs {
				locs = append(locs, u.Loc)
				if !strings.HasPrefix(u.Loc, w.Base(s)+"/") || len(u.LastMod) != len("2006-01-02") {
					t.Errorf("sitemap entry %+v", u)
				}
				if r, _ := get(t, http.MethodHead, u.Loc, nil); r.StatusCode != http.StatusOK {
					t.Errorf("sitemap URL %s: status %d", u.Loc, r.StatusCode)
				}
			}
			if s == SiteAngsmarken {
				if !strings.Contains(string(get2(t, w.URL(s, "/robots.txt"))), "Disallow: /intern/") {
					t.Error("robots.txt does not disallow /intern/")
				}
				if !slices.Contains(locs, w.URL(s, SitemapOnlyPath)) {
					t.Errorf("sitemap lacks %s", SitemapOnlyPath)
				}
				if slices.Contains(locs, w.URL(s, InternPath)) {
					t.Errorf("sitemap lists %s", InternPath)
				}
			}
		})
	}
}

// get2 returns the body of a GET that must succeed.
func get2(tb testing.TB, rawURL string) []byte {
	tb.Helper()
	resp, body := get(tb, http.MethodGet, rawURL, nil)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: status %d", rawURL, resp.StatusCode)
	}
	return body
}

func TestLatin1Site(t *testing.T) {
	w := MustStart(t)
	pages := 0
	for _, p := range w.Pages() {
		if p.Site != SiteSkogsbrynet {
			continue
		}
		pages++
		body := get2(t, w.URL(p.Site, p.Path))
		if utf8.Valid(body) {
			t.Errorf("%s is valid UTF-8; want ISO-8859-1 bytes", p.Path)
		}
		if bytes.Contains(bytes.ToLower(body), []byte("charset")) {
			t.Errorf("%s declares a charset", p.Path)
		}
		s := text(t, p.Site, body)
		for _, r := range []string{"å", "ä", "ö"} {
			if !strings.Contains(s, r) {
				t.Errorf("%s decoded from ISO-8859-1 has no %q", p.Path, r)
			}
		}
	}
	if pages < 7 {
		t.Fatalf("Skogsbrynet serves %d pages", pages)
	}
	if s := text(t, SiteSkogsbrynet, get2(t, w.URL(SiteSkogsbrynet, "/om-klustret/"))); !strings.Contains(s, "Västerbottens län") ||
		!strings.Contains(s, "Kapitalförsörjning") {
		t.Errorf("decoded about page lacks its words:\n%s", s)
	}
}

func TestReportPDF(t *testing.T) {
	w := MustStart(t)
	resp, body := get(t, http.MethodGet, w.URL(SiteAngsmarken, ReportPath), nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !bytes.HasPrefix(body, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(body), []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q ... %q", body[:min(16, len(body))], body[max(0, len(body)-16):])
	}
	checkPDFStructure(t, body)
	got := pdfText(t, body)
	for _, want := range []string{"Självförsörjningsgraden", "beredskapslager", "livsmedelsstrategin", "Ängsmarkens Gröna Kluster"} {
		if !strings.Contains(got, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, got)
		}
	}
	link := text(t, SiteAngsmarken, get2(t, w.URL(SiteAngsmarken, "/nyheter/sjalvforsorjningsgraden-i-lanet/")))
	if !strings.Contains(link, `href="../../dokument/sjalvforsorjning-ostergotland-2025.pdf"`) {
		t.Error("the news page does not link to the report")
	}
}

var objRE = regexp.MustCompile(`(?m)^(\d+) 0 obj$`)

// checkPDFStructure checks the cross-reference table and startxref of a
// PDF written by pdfDoc.bytes.
func checkPDFStructure(tb testing.TB, pdf []byte) {
	tb.Helper()
	s := string(pdf)
	i := strings.LastIndex(s, "startxref\n")
	if i < 0 {
		tb.Fatal("no startxref")
	}
	xref, err := strconv.Atoi(strings.Fields(s[i+len("startxref\n"):])[0])
	if err != nil || xref <= 0 || xref >= len(s) || !strings.HasPrefix(s[xref:], "xref\n") {
		tb.Fatalf("startxref %d does not point at the xref table (err %v)", xref, err)
	}
	lines := strings.Split(s[xref:], "\n")
	n, err := xrefCount(lines[1])
	if err != nil {
		tb.Fatalf("xref subsection header %q: %v", lines[1], err)
	}
	objects := objRE.FindAllStringSubmatchIndex(s, -1)
	if n != len(objects)+1 {
		tb.Fatalf("xref lists %d entries for %d objects", n, len(objects))
	}
	for obj := 1; obj < n; obj++ {
		entry := lines[2+obj] + "\n"
		if len(entry) != 20 || !strings.HasSuffix(entry, " n \n") {
			tb.Fatalf("xref entry %d = %q, want 20 bytes in use", obj, entry)
		}
		off, _ := strconv.Atoi(entry[:10])
		if want := strconv.Itoa(obj) + " 0 obj\n"; !strings.HasPrefix(s[off:], want) {
			tb.Errorf("xref entry %d points at %q", obj, s[off:min(len(s), off+12)])
		}
	}
	for _, m := range regexp.MustCompile(`/Length (\d+) >>\nstream\n`).FindAllStringSubmatchIndex(s, -1) {
		length, _ := strconv.Atoi(s[m[2]:m[3]])
		if !strings.HasPrefix(s[m[1]+length:], "\nendstream") {
			tb.Errorf("stream at %d is not %d bytes long", m[1], length)
		}
	}
}

// xrefCount reads the entry count of an xref subsection header "0 N".
func xrefCount(line string) (int, error) {
	f := strings.Fields(line)
	if len(f) != 2 || f[0] != "0" {
		return 0, errors.New("want 0 N")
	}
	return strconv.Atoi(f[1])
}

// pdfText decodes the text shown by Tj operators in a PDF written by
// pdfDoc.bytes.
func pdfText(tb testing.TB, pdf []byte) string {
	tb.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`\(((?:\\.|[^\\)])*)\) Tj`).FindAllSubmatch(pdf, -1) {
		var raw []byte
		lit := m[1]
		for i := 0; i < len(lit); i++ {
			if lit[i] != '\\' {
				raw = append(raw, lit[i])
				continue
			}
			i++
			if lit[i] >= '0' && lit[i] <= '7' {
				v, _ := strconv.ParseUint(string(lit[i:i+3]), 8, 8)
				raw = append(raw, byte(v))
				i += 2
				continue
			}
			raw = append(raw, lit[i])
		}
		dec, err := charmap.Windows1252.NewDecoder().Bytes(raw)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, string(dec))
	}
	return strings.Join(out, "\n")
}

func TestRegistry(t *testing.T) {
	w := MustStart(t)
	reg := w.Registry()
	ids := map[string]bool{}
	for _, e := range reg.Entries() {
		if ids[e.ID] {
			t.Errorf("duplicate registry id %q", e.ID)
		}
		ids[e.ID] = true
		for _, s := range e.Sites {
			u, err := url.Parse(s)
			if err != nil || u.Hostname() != "127.0.0.1" || u.Path != "/" {
				t.Errorf("%s: site %q", e.ID, s)
			}
			if resp, _ := get(t, http.MethodGet, s, nil); resp.StatusCode != http.StatusOK {
				t.Errorf("%s: site %s answers %d", e.ID, s, resp.StatusCode)
			}
		}
	}
	if len(reg.Clusters) != 4 || len(reg.Sources) != 1 {
		t.Fatalf("registry has %d clusters and %d sources", len(reg.Clusters), len(reg.Sources))
	}
	want := map[string]string{
		ClusterAngsmarken:  w.URL(SiteAngsmarken, "/"),
		ClusterSkogsbrynet: w.URL(SiteSkogsbrynet, "/"),
		ClusterKustlandet:  w.URL(SiteKustlandet, "/"),
		ClusterSlattbygden: "",
	}
	for _, c := range reg.Clusters {
		site := ""
		if len(c.Sites) > 0 {
			site = c.Sites[0]
		}
		if site != want[c.ID] || len(c.Sites) > 1 {
			t.Errorf("%s sites = %v, want %q", c.ID, c.Sites, want[c.ID])
		}
		if c.Name == "" || c.County == "" || c.Town == "" || c.Description == "" {
			t.Errorf("%s is incomplete: %+v", c.ID, c)
		}
	}
	if a, _ := reg.ClusterByID(ClusterAngsmarken); !slices.Contains(a.Aliases, "Ängsmarken") {
		t.Errorf("Ängsmarken aliases = %v", a.Aliases)
	}
	if s := reg.Sources[0]; s.ID != SourceNatverket || !slices.Equal(s.Sites, []string{w.URL(SiteNatverket, "/")}) {
		t.Errorf("source = %+v", s)
	}
	for topic, ranking := range Expected {
		for _, id := range ranking {
			if _, ok := reg.ClusterByID(id); !ok {
				t.Errorf("Expected[%s] names unknown cluster %q", topic, id)
			}
		}
	}
}

func TestCloseStopsServers(t *testing.T) {
	w, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	u := w.URL(SiteKustlandet, "/")
	get2(t, u)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := client.Get(u); err == nil {
		resp.Body.Close()
		t.Fatalf("GET after Close answered %d", resp.StatusCode)
	}
}

func TestStartHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Start(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Start with a done context: %v", err)
	}
	if _, err := Start(context.Background(), WithUnavailableOnce("nosuchsite", "/")); err == nil {
		t.Fatal("Start accepted an unknown site")
	}
}

func TestHitsRedirectsAndErrors(t *testing.T) {
	w := MustStart(t, WithUnavailableOnce(SiteKustlandet, "/om-oss/"))

	resp, _ := get(t, http.MethodGet, w.URL(SiteKustlandet, "/om-oss/"), nil)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "0" {
		t.Fatalf("first request: status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	get2(t, w.URL(SiteKustlandet, "/om-oss/"))
	if n := w.Hits(SiteKustlandet, "/om-oss/"); n != 2 {
		t.Errorf("Hits = %d, want 2", n)
	}
	if n := w.Hits(SiteAngsmarken, "/om-oss/"); n != 0 {
		t.Errorf("Hits on another site = %d, want 0", n)
	}
	if n := w.Hits("nosuchsite", "/"); n != 0 {
		t.Errorf("Hits on an unknown site = %d", n)
	}

	tests := []struct {
		site, path, method string
		status             int
		location           string
	}{
		{SiteAngsmarken, "/aktuellt/", http.MethodGet, http.StatusMovedPermanently, "/nyheter/"},
		{SiteAngsmarken, "/om-oss", http.MethodGet, http.StatusMovedPermanently, "/om-oss/"},
		{SiteKustlandet, "/om/", http.MethodGet, http.StatusMovedPermanently, "/om-oss/"},
		{SiteAngsmarken, "/finns-inte/", http.MethodGet, http.StatusNotFound, ""},
		{SiteSkogsbrynet, "/sok", http.MethodGet, http.StatusNotFound, ""},
		{SiteNatverket, "/", http.MethodPost, http.StatusMethodNotAllowed, ""},
		{SiteAngsmarken, InternPath, http.MethodGet, http.StatusOK, ""},
	}
	for _, tt := range tests {
		resp, _ := get(t, tt.method, w.URL(tt.site, tt.path), nil)
		if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
			t.Errorf("%s %s%s: status %d, Location %q; want %d, %q", tt.method, tt.site, tt.path,
				resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
		}
	}
	if n := w.Hits(SiteAngsmarken, InternPath); n != 1 {
		t.Errorf("Hits(%s) = %d, want 1", InternPath, n)
	}
	if w.URL("nosuchsite", "/") != "" || w.URL(SiteAngsmarken, "om-oss/") != w.Base(SiteAngsmarken)+"/om-oss/" {
		t.Error("URL does not build URLs as documented")
	}
}

// parsedPage is a fetched HTML page.
type parsedPage struct {
	Page
	html  string
	doc   *html.Node
	links []string // href values of <a> elements
}

// fetchPages fetches and parses every HTML page of the demo web.
func fetchPages(tb testing.TB, w *Web) []parsedPage {
	tb.Helper()
	var out []parsedPage
	for _, p := range w.Pages() {
		if p.Kind == kg.KindReport {
			continue
		}
		s := text(tb, p.Site, get2(tb, w.URL(p.Site, p.Path)))
		doc, err := html.Parse(strings.NewReader(s))
		if err != nil {
			tb.Fatalf("%s%s: %v", p.Site, p.Path, err)
		}
		pp := parsedPage{Page: p, html: s, doc: doc}
		walk(doc, func(n *html.Node) bool {
			if n.Type == html.ElementNode && n.Data == "a" {
				pp.links = append(pp.links, attr(n, "href"))
			}
			return true
		})
		out = append(out, pp)
	}
	return out
}

// walk calls f for n and its descendants; f returns false to skip a
// node's children.
func walk(n *html.Node, f func(*html.Node) bool) {
	if !f(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// find returns the first element named tag, or nil.
func find(n *html.Node, tag string) *html.Node {
	var found *html.Node
	walk(n, func(c *html.Node) bool {
		if found == nil && c.Type == html.ElementNode && c.Data == tag {
			found = c
		}
		return found == nil
	})
	return found
}

// textOf returns the text under n, without scripts and styles.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.ElementNode && (c.Data == "script" || c.Data == "style") {
			return false
		}
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
		return true
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestPageStructure(t *testing.T) {
	w := MustStart(t)
	reg := w.Registry()
	owner := map[string]kg.Cluster{}
	for _, c := range reg.Clusters {
		for _, s := range c.Sites {
			owner[s] = c
		}
	}
	for _, p := range fetchPages(t, w) {
		t.Run(p.Site+p.Path, func(t *testing.T) {
			for _, tag := range []string{"header", "nav", "main", "footer", "title"} {
				if find(p.doc, tag) == nil {
					t.Errorf("no <%s>", tag)
				}
			}
			if !regexp.MustCompile(`(?i)class="cookie|id="cookie|id="consent`).MatchString(p.html) {
				t.Error("no cookie banner")
			}
			if f := textOf(find(p.doc, "footer")); !regexp.MustCompile(`\d{3} \d{2} \S+`).MatchString(f) {
				t.Errorf("footer has no postal address: %q", f)
			}
			if got := attr(find(p.doc, "html"), "lang"); got != p.Lang || (p.Lang == "en") != (p.Path == EnglishPath) {
				t.Errorf("<html lang=%q>, page says %q; only %s is in English", got, p.Lang, EnglishPath)
			}
			if h1 := find(find(p.doc, "main"), "h1"); h1 == nil || textOf(h1) == "" {
				t.Error("main has no h1")
			}
			c, isCluster := owner[w.URL(p.Site, "/")]
			if !isCluster {
				return
			}
			if !strings.Contains(p.html, c.Name) {
				t.Errorf("page does not name its own cluster %q", c.Name)
			}
			for _, other := range reg.Clusters {
				if other.ID == c.ID {
					continue
				}
				for _, name := range append([]string{other.Name}, other.Aliases...) {
					if strings.Contains(strings.ToLower(p.html), strings.ToLower(name)) {
						t.Errorf("page names another cluster, %q", name)
					}
				}
			}
		})
	}
}

func TestLinks(t *testing.T) {
	w := MustStart(t)
	pages := fetchPages(t, w)
	linked := map[string]bool{} // absolute URLs
	crossSite := 0
	for _, p := range pages {
		base, err := url.Parse(w.URL(p.Site, p.Path))
		if err != nil {
			t.Fatal(err)
		}
		for _, href := range p.links {
			ref, err := url.Parse(href)
			if err != nil {
				t.Errorf("%s%s: bad href %q", p.Site, p.Path, href)
				continue
			}
			if ref.Scheme == "mailto" || (ref.Path == "" && ref.Fragment != "") || href == "#" {
				continue
			}
			target := base.ResolveReference(ref)
			target.Fragment = ""
			linked[target.String()] = true
			if ref.IsAbs() {
				if p.Site != SiteAngsmarken || !strings.HasPrefix(href, w.Base(SiteSkogsbrynet)+"/") {
					t.Errorf("%s%s: absolute link %q; links within the demo web are relative", p.Site, p.Path, href)
				}
				crossSite++
			}
			resp, _ := get(t, http.MethodGet, target.String(), nil)
			if resp.StatusCode == http.StatusMovedPermanently {
				resp, _ = get(t, http.MethodGet, w.Base(p.Site)+resp.Header.Get("Location"), nil)
			}
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s%s: link %q answers %d", p.Site, p.Path, href, resp.StatusCode)
			}
		}
	}
	if crossSite < 2 {
		t.Errorf("found %d links from Ängsmarken to Skogsbrynet, want at least 2", crossSite)
	}
	if linked[w.URL(SiteAngsmarken, SitemapOnlyPath)] {
		t.Errorf("%s is linked from a page; only the sitemap may list it", SitemapOnlyPath)
	}
	if !linked[w.URL(SiteAngsmarken, InternPath)] {
		t.Errorf("%s is not linked; the crawler must meet it and obey robots.txt", InternPath)
	}
	if !linked[w.URL(SiteAngsmarken, ReportPath)] {
		t.Error("the report is not linked")
	}
}

func TestUniqueWords(t *testing.T) {
	w := MustStart(t)
	words := map[string]string{InternWord: InternPath, SitemapOnlyWord: SitemapOnlyPath}
	for _, s := range w.Sites() {
		for path, r := range w.sites[s].resources {
			if path == "/sitemap.xml" {
				continue // it lists every page's URL
			}
			body := strings.ToLower(text(t, s, r.body))
			for word, home := range words {
				if strings.Contains(body, word) != (s == SiteAngsmarken && path == home) {
					t.Errorf("%q on %s%s: %v", word, s, path, strings.Contains(body, word))
				}
			}
		}
	}
	var intern, hidden Page
	for _, p := range w.Pages() {
		switch {
		case p.Site == SiteAngsmarken && p.Path == InternPath:
			intern = p
		case p.Site == SiteAngsmarken && p.Path == SitemapOnlyPath:
			hidden = p
		case !p.Crawlable:
			t.Errorf("%s%s is not crawlable", p.Site, p.Path)
		}
	}
	if intern.Crawlable || !hidden.Crawlable || hidden.Kind != kg.KindNews {
		t.Errorf("intern %+v, sitemap-only %+v", intern, hidden)
	}
}

func TestSpecialPages(t *testing.T) {
	w := MustStart(t)
	en := text(t, SiteKustlandet, get2(t, w.URL(SiteKustlandet, EnglishPath)))
	if !strings.Contains(en, `<html lang="en">`) || !strings.Contains(en, "About Kustlandets Matkluster") {
		t.Errorf("English page:\n%s", en)
	}
	ev := text(t, SiteKustlandet, get2(t, w.URL(SiteKustlandet, JSONLDEventPath)))
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(ev)
	if m == nil {
		t.Fatal("event page has no JSON-LD")
	}
	var event struct {
		Type      string `json:"@type"`
		Name      string `json:"name"`
		StartDate string `json:"startDate"`
		Location  struct {
			Address struct {
				Locality string `json:"addressLocality"`
			} `json:"address"`
		} `json:"location"`
		Organizer struct {
			URL string `json:"url"`
		} `json:"organizer"`
	}
	if err := json.Unmarshal([]byte(m[1]), &event); err != nil {
		t.Fatalf("JSON-LD: %v", err)
	}
	if event.Type != "Event" || event.StartDate != "2027-09-08T10:00:00+02:00" || event.Location.Address.Locality != "Tångeviken" ||
		event.Organizer.URL != w.URL(SiteKustlandet, "/") {
		t.Errorf("JSON-LD event = %+v", event)
	}

	counts := map[string]map[string]int{}
	for _, p := range w.Pages() {
		if counts[p.Site] == nil {
			counts[p.Site] = map[string]int{}
		}
		counts[p.Site][p.Kind]++
	}
	want := map[string]map[string]int{
		SiteAngsmarken:  {kg.KindAbout: 1, kg.KindNews: 4, kg.KindProject: 2, kg.KindEvent: 1, kg.KindContact: 1, kg.KindReport: 1},
		SiteSkogsbrynet: {kg.KindAbout: 1, kg.KindNews: 2, kg.KindProject: 1, kg.KindEvent: 1, kg.KindContact: 1},
		SiteKustlandet:  {kg.KindAbout: 2, kg.KindNews: 2, kg.KindProject: 1, kg.KindEvent: 1, kg.KindContact: 1},
		SiteNatverket:   {kg.KindAbout: 1, kg.KindNews: 6, kg.KindContact: 1},
	}
	for site, kinds := range want {
		for kind, n := range kinds {
			if counts[site][kind] != n {
				t.Errorf("%s has %d %s documents, want %d", site, counts[site][kind], kind, n)
			}
		}
	}

	project := text(t, SiteAngsmarken, get2(t, w.URL(SiteAngsmarken, "/projekt/trygg-mat-i-ostergotland/")))
	for _, field := range []string{"Projektnamn:", "Projektägare:", "Projektledare:", "Finansiärer:", "Intressenter:", "Projekttid:</dt><dd>230101-251231"} {
		if !strings.Contains(project, field) {
			t.Errorf("project page lacks %q", field)
		}
	}
	event2 := text(t, SiteAngsmarken, get2(t, w.URL(SiteAngsmarken, "/kalender/beredskapsdag-for-lantbruket/")))
	for _, field := range []string{"Datum: 15 april 2027 kl. 09.00–16.00", "Plats: Lövåsa gård", "Anmälan: <a href="} {
		if !strings.Contains(event2, field) {
			t.Errorf("event page lacks %q", field)
		}
	}
}

func TestCancelledContextStopsServers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	w, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u := w.URL(SiteNatverket, "/")
	get2(t, u)
	cancel()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := client.Get(u)
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("still serving 5 s after the context was cancelled")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close after cancel: %v", err)
	}
}
