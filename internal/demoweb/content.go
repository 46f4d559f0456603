package demoweb

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

//go:embed sites
var siteFS embed.FS

// Site names, as Web.URL, Web.Hits and Page.Site take them.
const (
	SiteAngsmarken  = "angsmarken"
	SiteSkogsbrynet = "skogsbrynet"
	SiteKustlandet  = "kustlandet"
	SiteNatverket   = "natverket"
)

// Paths and words that tests of a crawl of the demo web look for.
const (
	// InternPath is the Ängsmarken page that robots.txt disallows; the home
	// page links to it, and a crawler must never request it.
	InternPath = "/intern/"
	// InternWord occurs only on InternPath, so it must never be indexed.
	InternWord = "hemligprotokoll"
	// SitemapOnlyPath is the Ängsmarken news page that only sitemap.xml
	// lists; no page links to it.
	SitemapOnlyPath = "/nyheter/kornknarrsdagen/"
	// SitemapOnlyWord occurs only on SitemapOnlyPath.
	SitemapOnlyWord = "kornknarrsdagen"
	// ReportPath is the Ängsmarken PDF report on self-sufficiency.
	ReportPath = "/dokument/sjalvforsorjning-ostergotland-2025.pdf"
	// EnglishPath is the Kustlandet page written in English.
	EnglishPath = "/en/about-us/"
	// JSONLDEventPath is the Kustlandet event page with schema.org JSON-LD.
	JSONLDEventPath = "/kalender/smaka-pa-kusten-2027/"
)

// Page is one document a demo site serves, as its author meant it.
type Page struct {
	Site      string    // site name, e.g. SiteAngsmarken
	Path      string    // URL path on the site
	Title     string    // the page's own title, without the site name
	Kind      string    // the kg.Kind* the page is written as
	Lang      string    // "sv" or "en"
	Date      time.Time // publication date, or when the page last changed
	Crawlable bool      // false for pages robots.txt disallows
}

// siteSpec describes how one site is served.
type siteSpec struct {
	name      string
	latin1    bool              // serve text as ISO-8859-1 with no charset
	modified  time.Time         // Last-Modified of files without a date
	redirects map[string]string // old path → new path, answered with 301
	pdfs      map[string]pdfDoc // generated PDF documents by path
}

var siteSpecs = []siteSpec{
	{
		name:      SiteAngsmarken,
		modified:  day("2025-11-03"),
		redirects: map[string]string{"/aktuellt/": "/nyheter/"},
		pdfs:      map[string]pdfDoc{ReportPath: reportPDF},
	},
	{
		name:     SiteSkogsbrynet,
		latin1:   true,
		modified: day("2025-10-20"),
	},
	{
		name:      SiteKustlandet,
		modified:  day("2025-09-15"),
		redirects: map[string]string{"/om/": "/om-oss/"},
	},
	{
		name:     SiteNatverket,
		modified: day("2025-12-01"),
	},
}

// day parses a date written as 2006-01-02; it panics on a bad literal.
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Add(9 * time.Hour)
}

// resource is one response body a site serves.
type resource struct {
	body        []byte
	contentType string
	modified    time.Time
	etag        string
}

func newResource(body []byte, contentType string, modified time.Time) resource {
	sum := sha256.Sum256(body)
	return resource{body: body, contentType: contentType, modified: modified,
		etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

// page is one page file: its header fields and its HTML fragment.
type page struct {
	path      string
	title     string
	kind      string
	lang      string
	modified  time.Time
	inSitemap bool
	body      string
}

// parsePage reads a page file. It starts with a comment holding one
// "key: value" field a line (title and kind are required; lang, modified
// as 2006-01-02, and sitemap: no are optional), followed by the page's
// HTML fragment.
func parsePage(data []byte) (page, error) {
	const open, closing = "<!--\n", "\n-->\n"
	s := string(data)
	if !utf8.ValidString(s) {
		return page{}, fmt.Errorf("page is not UTF-8")
	}
	if !strings.HasPrefix(s, open) {
		return page{}, fmt.Errorf("page does not start with a header comment")
	}
	header, body, ok := strings.Cut(s[len(open):], closing)
	if !ok {
		return page{}, fmt.Errorf("header comment is not closed")
	}
	p := page{body: body, inSitemap: true}
	for _, line := range strings.Split(header, "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return page{}, fmt.Errorf("header line %q is not key: value", line)
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "title":
			p.title = value
		case "kind":
			if !slices.Contains(kg.Kinds, value) {
				return page{}, fmt.Errorf("kind %q is not one of %v", value, kg.Kinds)
			}
			p.kind = value
		case "lang":
			if value != "sv" && value != "en" {
				return page{}, fmt.Errorf("lang %q is not sv or en", value)
			}
			p.lang = value
		case "modified":
			t, err := time.Parse(time.DateOnly, value)
			if err != nil {
				return page{}, fmt.Errorf("modified: %w", err)
			}
			p.modified = t.Add(9 * time.Hour)
		case "sitemap":
			if value != "yes" && value != "no" {
				return page{}, fmt.Errorf("sitemap %q is not yes or no", value)
			}
			p.inSitemap = value == "yes"
		default:
			return page{}, fmt.Errorf("unknown header field %q", key)
		}
	}
	if p.title == "" || p.kind == "" {
		return page{}, fmt.Errorf("header needs a title and a kind")
	}
	return p, nil
}

// pagePath maps a file name under pages/ to its URL path: index.html is
// "/", a/index.html is "/a/" and a/b.html is "/a/b/".
func pagePath(name string) string {
	name = strings.TrimSuffix(name, ".html")
	name = strings.TrimSuffix(strings.TrimSuffix(name, "index"), "/")
	if name == "" {
		return "/"
	}
	return "/" + name + "/"
}

// rendered is a site ready to serve.
type rendered struct {
	resources map[string]resource
	pages     []Page
}

// render builds every response of spec's site. bases maps every site name
// to its base URL (scheme and host, no trailing slash); pages use them
// through the placeholders {{BASE}} (their own site) and {{SITE:name}}.
func render(spec siteSpec, bases map[string]string) (rendered, error) {
	root := "sites/" + spec.name
	layout, err := fs.ReadFile(siteFS, root+"/layout.html")
	if err != nil {
		return rendered{}, fmt.Errorf("reading layout of %s: %w", spec.name, err)
	}
	out := rendered{resources: map[string]resource{}}
	var pages []page
	err = fs.WalkDir(siteFS, root+"/pages", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(siteFS, name)
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		p, err := parsePage(data)
		if err != nil {
			return fmt.Errorf("page %s: %w", name, err)
		}
		p.path = pagePath(strings.TrimPrefix(name, root+"/pages/"))
		if p.lang == "" {
			p.lang = "sv"
		}
		if p.modified.IsZero() {
			p.modified = spec.modified
		}
		pages = append(pages, p)
		return nil
	})
	if err != nil {
		return rendered{}, fmt.Errorf("site %s: %w", spec.name, err)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].path < pages[j].path })

	fill := func(name, s string) (string, error) {
		s = strings.ReplaceAll(s, "{{BASE}}", bases[spec.name])
		for site, base := range bases {
			s = strings.ReplaceAll(s, "{{SITE:"+site+"}}", base)
		}
		if i := strings.Index(s, "{{"); i >= 0 {
			end := min(len(s), i+30)
			return "", fmt.Errorf("%s %s: unknown placeholder at %q", spec.name, name, s[i:end])
		}
		return s, nil
	}

	robots := map[string]bool{}
	for _, p := range pages {
		html := string(layout)
		html = strings.ReplaceAll(html, "{{TITLE}}", p.title)
		html = strings.ReplaceAll(html, "{{LANG}}", p.lang)
		html = strings.ReplaceAll(html, "{{PATH}}", p.path)
		html = strings.ReplaceAll(html, "{{MAIN}}", strings.TrimSpace(p.body))
		html, err = fill(p.path, html)
		if err != nil {
			return rendered{}, err
		}
		out.resources[p.path] = newResource([]byte(html), "text/html", p.modified)
		out.pages = append(out.pages, Page{Site: spec.name, Path: p.path, Title: p.title, Kind: p.kind,
			Lang: p.lang, Date: p.modified, Crawlable: true})
	}

	err = fs.WalkDir(siteFS, root+"/files", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(siteFS, name)
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		urlPath := strings.TrimPrefix(name, root+"/files")
		text, err := fill(urlPath, string(data))
		if err != nil {
			return err
		}
		if urlPath == "/robots.txt" {
			for _, d := range disallowed(text) {
				robots[d] = true
			}
		}
		out.resources[urlPath] = newResource([]byte(text), contentType(urlPath), spec.modified)
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return rendered{}, fmt.Errorf("site %s: %w", spec.name, err)
	}

	for p, doc := range spec.pdfs {
		out.resources[p] = newResource(doc.bytes(), "application/pdf", doc.date)
		out.pages = append(out.pages, Page{Site: spec.name, Path: p, Title: doc.title, Kind: kg.KindReport,
			Lang: "sv", Date: doc.date, Crawlable: true})
	}
	if _, ok := out.resources["/sitemap.xml"]; !ok {
		out.resources["/sitemap.xml"] = newResource(sitemap(bases[spec.name], pages), "application/xml", spec.modified)
	}
	for i, p := range out.pages {
		for prefix := range robots {
			if strings.HasPrefix(p.Path, prefix) {
				out.pages[i].Crawlable = false
			}
		}
	}
	sort.Slice(out.pages, func(i, j int) bool { return out.pages[i].Path < out.pages[j].Path })

	if spec.latin1 {
		for p, r := range out.resources {
			if r.contentType == "application/pdf" {
				continue
			}
			enc, err := charmap.ISO8859_1.NewEncoder().Bytes(r.body)
			if err != nil {
				return rendered{}, fmt.Errorf("site %s: %s is not ISO-8859-1: %w", spec.name, p, err)
			}
			out.resources[p] = newResource(enc, r.contentType, r.modified)
		}
	} else {
		for p, r := range out.resources {
			if strings.HasPrefix(r.contentType, "text/") {
				r.contentType += "; charset=utf-8"
				out.resources[p] = r
			}
		}
	}
	return out, nil
}

// contentType returns the media type of a file served verbatim, without a
// charset.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".txt":
		return "text/plain"
	case ".xml":
		return "application/xml"
	case ".css":
		return "text/css"
	case ".html":
		return "text/html"
	case ".ics":
		return "text/calendar"
	}
	return "application/octet-stream"
}

// disallowed returns the Disallow rules of a robots.txt.
func disallowed(robots string) []string {
	var out []string
	for _, line := range strings.Split(robots, "\n") {
		key, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(key), "disallow") && strings.TrimSpace(value) != "" {
			out = append(out, strings.TrimSpace(value))
		}
	}
	return out
}

// sitemap lists the pages that want to be in it, with their dates.
func sitemap(base string, pages []page) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range pages {
		if !p.inSitemap {
			continue
		}
		fmt.Fprintf(&b, "  <url><loc>%s%s</loc><lastmod>%s</lastmod></url>\n", base, p.path, p.modified.Format(time.DateOnly))
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}
