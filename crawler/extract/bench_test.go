package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/golden"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// update rewrites the golden files of the hot-path fixtures.
var update = flag.Bool("update", false, "rewrite testdata/bench/*.golden")

// benchPage is a cluster's news page of about 36 KB: cookie banner, mega
// menu, breadcrumbs, an article with a project fact box and a contact
// block, related news, a sidebar and a footer.
const benchPage = "bench/cluster_news.html"

// benchURL is where benchPage is said to be fetched from.
const benchURL = "https://angsdalen-kluster.example/aktuellt/gardsbiogas-och-lokal-mat/"

// benchRegistry adds the cluster of benchPage to the test registry.
func benchRegistry() kg.Registry {
	reg := testRegistry()
	reg.Clusters = append(reg.Clusters, kg.Cluster{ID: "angsdalen", Name: "Ängsdalens Gröna Kluster",
		Sites: []string{"https://angsdalen-kluster.example/"}})
	return reg
}

func benchDoc(tb testing.TB) kg.FetchedDoc {
	tb.Helper()
	return kg.FetchedDoc{
		URL:         benchURL,
		FinalURL:    benchURL,
		ContentType: "text/html; charset=utf-8",
		Body:        mustRead(tb, benchPage),
		Entry:       clusterEntry("angsdalen"),
		FetchedAt:   fixedNow,
	}
}

func benchExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	e := mustExtractor(tb)
	e.Registry = benchRegistry()
	return e
}

// benchDates are date expressions as Swedish cluster pages write them,
// and a few that are no dates.
var benchDates = []string{
	"15 mars 2024",
	"Publicerad 12 september 2024",
	"tisdag 15 oktober 2024 kl. 13.00",
	"den 3:e maj kl 9",
	"2024-03-15T13:00",
	"2024-10-01",
	"15/3 2024",
	"tis 3/10 kl 13.30",
	"15–16 mars",
	"5 okt. 2023",
	"March 15, 2024",
	"Uppdaterad: 28 aug 2024, 14:05",
	"Telefon 070-123 45 67",
	"Projekttid 220501-240430",
	"Inga datum här.",
}

// TestBenchFixturesGolden pins what the hot paths return on the benchmark
// fixtures, so that making them faster cannot change what they find.
// Run with -update to rewrite the golden file after a deliberate change.
func TestBenchFixturesGolden(t *testing.T) {
	e := benchExtractor(t)
	d, err := e.Extract(context.Background(), benchDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		t.Fatal(err)
	}
	for _, s := range benchDates {
		got, hasTime, ok := ParseDate(s, fixedNow)
		fmt.Fprintf(&b, "ParseDate(%q) = %s %v %v\n", s, got.Format(time.RFC3339), hasTime, ok)
	}
	goldenPath := filepath.Join("testdata", "bench", "golden.txt")
	golden.Check(t, goldenPath, b.Bytes(), *update)
	// The fixture is a real test of the extraction, not only a pin.
	if d.Kind != kg.KindProject && d.Kind != kg.KindNews {
		t.Errorf("Kind = %q, want project or news", d.Kind)
	}
	if len(d.People) < 3 || len(d.Projects) == 0 {
		t.Errorf("found %d people and %d projects, want at least 3 and 1", len(d.People), len(d.Projects))
	}
	for _, w := range []string{"cookie", "Godkänn alla", "Organisationsnummer", "Prenumerera", "Hoppa till innehåll"} {
		if strings.Contains(d.Text, w) {
			t.Errorf("text holds page furniture %q", w)
		}
	}
}

// BenchmarkExtract extracts the 36 KB cluster news page: parsing, main
// text, language, date, kind, topics, attribution, people, projects and
// organisations.
func BenchmarkExtract(b *testing.B) {
	e := benchExtractor(b)
	doc := benchDoc(b)
	ctx := context.Background()
	if _, err := e.Extract(ctx, doc); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc.Body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Extract(ctx, doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseHTML is the HTML part of BenchmarkExtract alone: the parse
// and the main text.
func BenchmarkParseHTML(b *testing.B) {
	src := string(mustRead(b, benchPage))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if p := parseHTML(src); p.text == "" {
			b.Fatal("no text")
		}
	}
}

// BenchmarkParseDate reads each of benchDates once per iteration.
func BenchmarkParseDate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchDates {
			ParseDate(s, fixedNow)
		}
	}
}

// BenchmarkScanDates scans the text of the fixture page for dates, as
// Extract does for the publication and event dates.
func BenchmarkScanDates(b *testing.B) {
	text := parseHTML(string(mustRead(b, benchPage))).text
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		scanDates(text, fixedNow, 20)
	}
}
