package demoweb

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParsePage(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    page
		wantErr string
	}{
		{"full", "<!--\ntitle: Om oss\nkind: about\nlang: en\nmodified: 2025-03-01\nsitemap: no\n-->\n<main>x</main>\n",
			page{title: "Om oss", kind: "about", lang: "en", modified: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), body: "<main>x</main>\n"}, ""},
		{"defaults", "<!--\ntitle: T\nkind: news\n-->\n<main></main>",
			page{title: "T", kind: "news", inSitemap: true, body: "<main></main>"}, ""},
		{"title with colon", "<!--\ntitle: Projekt: Blå affärer\nkind: project\n-->\n",
			page{title: "Projekt: Blå affärer", kind: "project", inSitemap: true}, ""},
		{"no header", "<main></main>", page{}, "header comment"},
		{"unclosed", "<!--\ntitle: T\nkind: news\n", page{}, "not closed"},
		{"bad line", "<!--\ntitle T\n-->\n", page{}, "key: value"},
		{"unknown field", "<!--\ntitle: T\nkind: news\nauthor: A\n-->\n", page{}, "unknown header field"},
		{"bad kind", "<!--\ntitle: T\nkind: blog\n-->\n", page{}, "kind"},
		{"bad lang", "<!--\ntitle: T\nkind: news\nlang: de\n-->\n", page{}, "lang"},
		{"bad date", "<!--\ntitle: T\nkind: news\nmodified: 12 mars 2025\n-->\n", page{}, "modified"},
		{"bad sitemap", "<!--\ntitle: T\nkind: news\nsitemap: maybe\n-->\n", page{}, "sitemap"},
		{"no title", "<!--\nkind: news\n-->\n", page{}, "title and a kind"},
		{"not utf-8", "<!--\ntitle: \xe5\nkind: news\n-->\n", page{}, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePage([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func FuzzParsePage(f *testing.F) {
	f.Add([]byte("<!--\ntitle: Om oss\nkind: about\nmodified: 2025-03-01\n-->\n<main>x</main>\n"))
	f.Add([]byte("<!--\ntitle: T\nkind: news\nsitemap: no\nlang: en\n-->\n"))
	f.Add([]byte("<!--\n-->\n"))
	f.Add([]byte("<!--\ntitle:\n-->\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parsePage(data)
		if err != nil {
			return
		}
		if p.title == "" || p.kind == "" || !strings.HasSuffix(string(data), p.body) {
			t.Fatalf("accepted page %+v from %q", p, data)
		}
	})
}

func TestPagePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"index.html", "/"},
		{"om-oss.html", "/om-oss/"},
		{"nyheter/index.html", "/nyheter/"},
		{"nyheter/kornknarrsdagen.html", "/nyheter/kornknarrsdagen/"},
		{"kalender/dag/anmalan.html", "/kalender/dag/anmalan/"},
	}
	for _, tt := range tests {
		if got := pagePath(tt.in); got != tt.want {
			t.Errorf("pagePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPDFLayout(t *testing.T) {
	long := strings.Repeat("självförsörjning ", 600)
	doc := pdfDoc{title: "Rapport (utkast) \\ 2025 – ≠", author: "Ängsmarken", date: day("2025-01-02"), paragraphs: []string{long, "Slut."}}
	lines := doc.lines()
	if len(lines) <= pdfLinesPerPage {
		t.Fatalf("%d lines do not need a second page", len(lines))
	}
	for _, l := range lines {
		if n := len([]rune(l)); n > pdfLineChars {
			t.Errorf("line of %d characters", n)
		}
	}
	pdf := doc.bytes()
	checkPDFStructure(t, pdf)
	pages := (len(lines) + pdfLinesPerPage - 1) / pdfLinesPerPage
	if !strings.Contains(string(pdf), "/Count "+strconv.Itoa(pages)+" ") {
		t.Errorf("document of %d lines is not %d pages", len(lines), pages)
	}
	text := pdfText(t, pdf)
	if !strings.Contains(text, "Rapport (utkast) \\ 2025 – ?") || !strings.Contains(text, "Slut.") {
		t.Errorf("text = %q", text[:200])
	}
}

func FuzzPDF(f *testing.F) {
	f.Add("Självförsörjning", "En rad (med parentes) och \\ snedstreck.")
	f.Add("", "")
	f.Add("\x00\n\t", "Ω ≠ € – ”citat”")
	f.Fuzz(func(t *testing.T, title, paragraph string) {
		doc := pdfDoc{title: title, author: title, date: day("2025-11-03"), paragraphs: []string{paragraph}}
		checkPDFStructure(t, doc.bytes())
	})
}
