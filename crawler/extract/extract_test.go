package extract

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

// testRegistry is a registry shaped like the real one, composite names
// included.
func testRegistry() kg.Registry {
	return kg.Registry{
		Clusters: []kg.Cluster{
			{ID: "vreta-kluster", Name: "Vreta Kluster", Sites: []string{"https://vretakluster.se/"}},
			{ID: "agrovast", Name: "Agroväst (Agroväst Livsmedel AB)", Sites: []string{"https://agrovast.se/"}},
			{ID: "agro-orebro", Name: "Agro Örebro", Aliases: []string{"AgroÖrebro"}},
			{ID: "krinova", Name: "Krinova Incubator & Science Park", Aliases: []string{"Krinova"}},
			{ID: "nifa-varmland", Name: "Nifa", Aliases: []string{"Nifa Värmland"}},
			{ID: "gront-kluster-vasterbotten", Name: "Grönt kluster Västerbotten (tidigare Gröna Navet)"},
			{ID: "grona-klustret-fyrbodal", Name: "Gröna Klustret", Sites: []string{"https://gronaklustret.se/"}},
			{ID: "gotland-gront-centrum", Name: "Gotland Grönt Centrum AB", Sites: []string{"http://grontcentrum.se/"}},
			{ID: "froda", Name: "FRODA – Food Region Of Dalarna Assembly"},
			{ID: "grona-naringar-norrbotten", Name: "Gröna Näringar (Norrbotten)"},
		},
		Sources: []kg.Source{{ID: "landsbygdsnatverket", Name: "Landsbygdsnätverket", Sites: []string{"https://www.landsbygdsnatverket.se/"}}},
	}
}

// fixedNow is the extraction clock of the tests.
var fixedNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func mustExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	ts, err := topics.Default()
	if err != nil {
		tb.Fatal(err)
	}
	e := New(testRegistry(), topics.NewMatcher(ts))
	e.Now = func() time.Time { return fixedNow }
	return e
}

func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

var (
	clusterEntry = func(id string) kg.Entry { return kg.Entry{Kind: kg.EntryCluster, ID: id} }
	sourceEntry  = kg.Entry{Kind: kg.EntrySource, ID: "landsbygdsnatverket", Name: "Landsbygdsnätverket"}
)

func topicSet(d kg.Document) []string {
	var ids []string
	for _, m := range d.Topics {
		ids = append(ids, m.TopicID)
	}
	return ids
}

func TestExtractFixtures(t *testing.T) {
	e := mustExtractor(t)
	tests := []struct {
		file, url, contentType string
		entry                  kg.Entry

		wantURL      string
		title        string
		kind         string
		lang         string
		date         time.Time
		clusters     []string
		topics       []string // must be among the topics
		notTopics    []string
		contains     []string // must be in the text
		notContains  []string // menus, footers, banners: must not be in the text
		firstLineEqs string   // the text's first line
	}{
		{
			file: "about_sv.html", url: "https://vretakluster.se/om-oss/?utm_source=x#team",
			contentType: "text/html; charset=UTF-8", entry: clusterEntry("vreta-kluster"),
			wantURL: "https://vretakluster.se/om-oss/",
			title:   "Om oss", kind: kg.KindAbout, lang: "sv",
			clusters:     []string{"vreta-kluster"}, // Agroväst is named, but this is Vreta Kluster's own page
			topics:       []string{"self-sufficiency", "forestry", "bioenergy", "business-models", "networking-exchange"},
			contains:     []string{"Vreta Kluster är en företagspark", "Vårt uppdrag", "Testbädd för precisionsodling", "Agroväst i Skara"},
			notContains:  []string{"kakor", "cookie", "Godkänn", "Hoppa till", "Start", "Kalender", "Hem", "Dela på", "Senaste nyheterna", "Skördefest", "590 70", "sociala medier", "dataLayer", "display: flex"},
			firstLineEqs: "Om oss",
		},
		{
			file: "news_source.html", url: "https://www.landsbygdsnatverket.se/nyheterochartiklar/nyhetsarkiv/klustrensamlas.5.4fe88.html",
			contentType: "text/html", entry: sourceEntry,
			title: "Klustren samlas kring beredskap", kind: kg.KindNews, lang: "sv",
			date: time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC),
			// Named in the text; Krinova and Nifa only in the footer;
			// AgroÖst is not a cluster; the source itself is never one.
			clusters:    []string{"agro-orebro", "agrovast", "vreta-kluster"},
			topics:      []string{"crisis-preparedness", "self-sufficiency", "food-strategy"},
			contains:    []string{"Publicerad 15 mars 2024", "Agroväst Livsmedel AB"},
			notContains: []string{"cookies", "Tillåt alla", "Nyheter och artiklar", "Brödsmulor", "Krinova", "Nifa"},
		},
		{
			file: "event.html", url: "https://agrovast.se/aktuellt/frukostmote-krisberedskap/",
			contentType: "text/html", entry: clusterEntry("agrovast"),
			title: "Frukostmöte: Krisberedskap på gården", kind: kg.KindEvent, lang: "sv",
			date:        time.Date(2024, 9, 12, 8, 0, 0, 0, stockholm),
			clusters:    []string{"agrovast"},
			topics:      []string{"crisis-preparedness", "animal-husbandry"},
			contains:    []string{"Plats: Agroväst, Skara", "Anmälan: senast den 5 september"},
			notContains: []string{"Aktuellt", "Agroväst Livsmedel AB · Skara"},
		},
		{
			file: "project.html", url: "https://vretakluster.se/projekt/gardsbiogas-i-ostergotland/",
			contentType: "text/html", entry: clusterEntry("vreta-kluster"),
			title: "Gårdsbiogas i Östergötland", kind: kg.KindProject, lang: "sv",
			date:        time.Date(2022, 6, 1, 8, 0, 0, 0, time.UTC),
			clusters:    []string{"vreta-kluster"},
			topics:      []string{"bioenergy", "circular-bioeconomy"},
			contains:    []string{"Projektägare Vreta Kluster AB", "Projekttid: 220501-240430", "Finansiärer Jordbruksverket"},
			notContains: []string{"Start Om oss Projekt", "Ljungsbro"},
		},
		{
			file: "contact.html", url: "https://gronaklustret.se/vi-pa-klustret/",
			contentType: "text/html", entry: clusterEntry("grona-klustret-fyrbodal"),
			title: "Medarbetare", kind: kg.KindContact, lang: "sv",
			clusters:    []string{"grona-klustret-fyrbodal"},
			contains:    []string{"Verksamhetsledare", "bo.berg@gronaklustret.example", "0521-12 34 56"},
			notContains: []string{"Hem", "ekonomisk förening"},
		},
		{
			file: "english.html", url: "https://www.example.se/en/",
			contentType: "text/html; charset=utf-8", entry: clusterEntry("krinova"),
			title: "Food security and renewable energy in the north", kind: kg.KindOther, lang: "en",
			clusters:    []string{"krinova"},
			topics:      []string{"self-sufficiency", "bioenergy", "horticulture", "skills-education"},
			contains:    []string{"testbed for renewable energy"},
			notContains: []string{"cookies", "Accept", "Home", "Contact us"},
		},
		{
			file: "latin1.html", url: "http://grontcentrum.se/vaxtodling.html",
			contentType: "text/html", entry: clusterEntry("gotland-gront-centrum"),
			title: "Växtodling på Gotland", kind: kg.KindOther, lang: "sv",
			clusters:    []string{"gotland-gront-centrum"},
			topics:      []string{"crop-production", "horticulture", "self-sufficiency", "skills-education"},
			contains:    []string{"självförsörjning", "åkerbönor", "lantbrukare – även"},
			notContains: []string{"Om Grönt Centrum", "Lövsta\nGotland Grönt Centrum AB"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fetched := time.Date(2024, 6, 2, 3, 4, 5, 0, time.UTC)
			d, err := e.Extract(context.Background(), kg.FetchedDoc{
				URL: tt.url, FinalURL: tt.url, Status: 200, ContentType: tt.contentType,
				Body: mustRead(t, tt.file), FetchedAt: fetched, Entry: tt.entry,
			})
			if err != nil {
				t.Fatal(err)
			}
			wantURL := tt.wantURL
			if wantURL == "" {
				wantURL = tt.url
			}
			if d.URL != wantURL || d.ID != kg.DocumentID(wantURL) {
				t.Errorf("URL %q ID %q, want %q", d.URL, d.ID, wantURL)
			}
			if d.Title != tt.title {
				t.Errorf("title %q, want %q", d.Title, tt.title)
			}
			if d.Kind != tt.kind {
				t.Errorf("kind %q, want %q", d.Kind, tt.kind)
			}
			if d.Lang != tt.lang {
				t.Errorf("lang %q, want %q", d.Lang, tt.lang)
			}
			if !d.Date.Equal(tt.date) {
				t.Errorf("date %v, want %v", d.Date, tt.date)
			}
			if !slices.Equal(d.Clusters, tt.clusters) {
				t.Errorf("clusters %v, want %v", d.Clusters, tt.clusters)
			}
			got := topicSet(d)
			for _, id := range tt.topics {
				if !slices.Contains(got, id) {
					t.Errorf("topics %v lack %s", got, id)
				}
			}
			if !slices.IsSorted(got) {
				t.Errorf("topics %v not sorted", got)
			}
			for _, s := range tt.contains {
				if !strings.Contains(d.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, d.Text)
				}
			}
			for _, s := range tt.notContains {
				if strings.Contains(d.Text, s) {
					t.Errorf("text has furniture %q:\n%s", s, d.Text)
				}
			}
			if tt.firstLineEqs != "" {
				if first, _, _ := strings.Cut(d.Text, "\n"); first != tt.firstLineEqs {
					t.Errorf("first line %q, want %q", first, tt.firstLineEqs)
				}
			}
			if !utf8.ValidString(d.Text) || !utf8.ValidString(d.Title) {
				t.Error("invalid UTF-8 in output")
			}
			if strings.Contains(d.Text, "  ") || strings.Contains(d.Text, "\n\n") {
				t.Errorf("whitespace not collapsed:\n%q", d.Text)
			}
			if d.EntryKind != tt.entry.Kind || d.EntryID != tt.entry.ID {
				t.Errorf("entry %s/%s, want %s/%s", d.EntryKind, d.EntryID, tt.entry.Kind, tt.entry.ID)
			}
			if !d.FetchedAt.Equal(fetched) {
				t.Errorf("FetchedAt %v, want %v", d.FetchedAt, fetched)
			}
			if len(d.ContentHash) != 64 {
				t.Errorf("ContentHash %q is not a sha256 hex", d.ContentHash)
			}
		})
	}
}

func TestContentHashIgnoresFetchTime(t *testing.T) {
	e := mustExtractor(t)
	body := mustRead(t, "news_source.html")
	doc := kg.FetchedDoc{URL: "https://www.landsbygdsnatverket.se/n/a.html", ContentType: "text/html",
		Body: body, Entry: sourceEntry, FetchedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	a, err := e.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	doc.FetchedAt = doc.FetchedAt.Add(72 * time.Hour)
	doc.Header = map[string][]string{"Date": {"Thu, 04 Jan 2024 00:00:00 GMT"}}
	b, err := e.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if a.ContentHash != b.ContentHash {
		t.Errorf("re-fetch changed the hash: %s vs %s", a.ContentHash, b.ContentHash)
	}
	doc.Body = bytes.Replace(body, []byte("tiotal"), []byte("tjugotal"), 1)
	c, err := e.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if c.ContentHash == a.ContentHash {
		t.Error("changed text kept the hash")
	}
	doc.Entry = clusterEntry("vreta-kluster")
	doc.Body = body
	d, err := e.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if d.ContentHash == a.ContentHash {
		t.Error("changed attribution kept the hash")
	}
}

func TestExtractCharsets(t *testing.T) {
	e := mustExtractor(t)
	latin1 := []byte("<html><body><p>V\xe4xtodling och sj\xe4lvf\xf6rs\xf6rjning p\xe5 G\xf6taland \x96 \xe5ret runt.</p></body></html>")
	utf8Page := []byte("<html><body><p>Växtodling och självförsörjning på Götaland – året runt.</p></body></html>")
	want := "Växtodling och självförsörjning på Götaland – året runt."
	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        string
	}{
		{"latin1 without any charset", "text/html", latin1, want},
		{"latin1 without content type", "", latin1, want},
		{"latin1 declared in header", "text/html; charset=ISO-8859-1", latin1, want},
		{"latin1 declared in meta charset", "text/html",
			append([]byte(`<meta charset="windows-1252">`), latin1...), want},
		{"latin1 declared in meta http-equiv", "text/html",
			append([]byte(`<head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>`), latin1...), want},
		{"latin1 mislabelled utf-8", "text/html; charset=utf-8", latin1, want},
		{"utf-8 without charset", "text/html", utf8Page, want},
		{"utf-8 mislabelled latin1", "text/html; charset=iso-8859-1", utf8Page, want},
		{"utf-8 with a stray byte", "text/html; charset=utf-8",
			bytes.Replace(utf8Page, []byte("året"), []byte("\xffåret"), 1), want},
		{"utf-8 byte-order mark", "text/html", append([]byte("\xef\xbb\xbf"), utf8Page...), want},
		{"utf-16 byte-order mark", "text/html", utf16LE(string(utf8Page)), want},
		{"control characters", "text/html", []byte("<p>Växt\x00odling\x07 och självförsörjning på Götaland – året runt.</p>"),
			"Växtodling och självförsörjning på Götaland – året runt."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := e.Extract(context.Background(), kg.FetchedDoc{URL: "https://example.se/sida",
				ContentType: tt.contentType, Body: tt.body, Entry: clusterEntry("x")})
			if err != nil {
				t.Fatal(err)
			}
			if d.Text != tt.want {
				t.Errorf("text %q, want %q", d.Text, tt.want)
			}
			if !utf8.ValidString(d.Text) {
				t.Error("invalid UTF-8")
			}
		})
	}
}

func utf16LE(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, r := range s {
		if r > 0xffff {
			r = '?'
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

func TestExtractErrors(t *testing.T) {
	e := mustExtractor(t)
	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        error // nil: any error
	}{
		{"empty body", "text/html", nil, ErrEmptyBody},
		{"blank body", "text/html", []byte(" \n\t "), ErrEmptyBody},
		{"only furniture", "text/html", []byte(`<html><body><nav>Start Om oss</nav><div class="cookie-banner">Vi använder kakor</div><footer>Sidfot</footer></body></html>`), ErrNoText},
		{"only script", "text/html", []byte(`<script>var a = 1;</script>`), ErrNoText},
		{"image", "image/png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), ErrUnsupported},
		{"broken PDF", "application/pdf", mustRead(t, "broken.pdf"), nil},
		{"truncated PDF", "application/pdf", buildPDF(t, "Titel", []string{"Rad ett"})[:200], nil},
		{"encrypted PDF", "application/pdf", encryptedPDF(), nil},
		{"PDF without pages", "application/octet-stream", []byte("%PDF-1.4\n%%EOF\n"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := "https://example.se/fil"
			_, err := e.Extract(context.Background(), kg.FetchedDoc{URL: url, ContentType: tt.contentType, Body: tt.body, Entry: clusterEntry("x")})
			if err == nil {
				t.Fatal("Extract succeeded, want error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), url) {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
}

func TestExtractEncryptedPDFSaysSo(t *testing.T) {
	_, err := mustExtractor(t).Extract(context.Background(), kg.FetchedDoc{URL: "https://example.se/a.pdf",
		ContentType: "application/pdf", Body: encryptedPDF(), Entry: clusterEntry("x")})
	if err == nil || !strings.Contains(err.Error(), "encrypted") {
		t.Errorf("error %v, want one saying the PDF is encrypted", err)
	}
}

func TestExtractCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := mustExtractor(t).Extract(ctx, kg.FetchedDoc{URL: "https://example.se/", ContentType: "text/html",
		Body: []byte("<p>Text</p>"), Entry: clusterEntry("x")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestExtractPDF(t *testing.T) {
	e := mustExtractor(t)
	tests := []struct {
		name      string
		title     string // metadata title
		lines     []string
		wantTitle string
	}{
		{"title from metadata", "Biogas på gården – slutrapport",
			[]string{"Slutrapport", "Projektet har visat att gårdsbiogas är lönsam.", "Skogsägarna deltog också."},
			"Biogas på gården – slutrapport"},
		{"title from first line", "",
			[]string{"Självförsörjning i Östergötland", "En förstudie om beredskapslager och livsmedelsförsörjning."},
			"Självförsörjning i Östergötland"},
		{"file name is no title", "rapport_v3_final.docx",
			[]string{"Vattenbruk i Norrland", "Fiskodling och musselodling."},
			"Vattenbruk i Norrland"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := e.Extract(context.Background(), kg.FetchedDoc{
				URL: "https://vretakluster.se/wp-content/uploads/rapport.pdf", ContentType: "application/pdf",
				Body: buildPDF(t, tt.title, tt.lines), Entry: clusterEntry("vreta-kluster"),
			})
			if err != nil {
				t.Fatal(err)
			}
			if d.Title != tt.wantTitle {
				t.Errorf("title %q, want %q", d.Title, tt.wantTitle)
			}
			if d.Kind != kg.KindReport {
				t.Errorf("kind %q, want report", d.Kind)
			}
			for _, l := range tt.lines {
				if !strings.Contains(d.Text, l) {
					t.Errorf("text %q lacks %q", d.Text, l)
				}
			}
			if len(d.Topics) == 0 {
				t.Error("no topics found in the PDF's text")
			}
			if !slices.Equal(d.Clusters, []string{"vreta-kluster"}) {
				t.Errorf("clusters %v", d.Clusters)
			}
		})
	}
}

func TestExtractICal(t *testing.T) {
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Europe/Stockholm:20241003T130000\r\n" +
		"SUMMARY:Nätverksträff om gårdsbiogas\r\nDESCRIPTION:Vi besöker en biogasanläggning\\, fikar och \r\n" +
		" diskuterar lönsamhet.\\nAnmälan till Vreta Kluster.\r\nLOCATION:Ljungsbro\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	d, err := mustExtractor(t).Extract(context.Background(), kg.FetchedDoc{
		URL: "https://vretakluster.se/events/?ical=1", ContentType: "text/calendar; charset=utf-8",
		Body: []byte(ics), Entry: clusterEntry("vreta-kluster"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Nätverksträff om gårdsbiogas" || d.Kind != kg.KindEvent {
		t.Errorf("title %q kind %q", d.Title, d.Kind)
	}
	if want := time.Date(2024, 10, 3, 13, 0, 0, 0, stockholm); !d.Date.Equal(want) {
		t.Errorf("date %v, want %v", d.Date, want)
	}
	for _, s := range []string{"biogasanläggning, fikar och diskuterar lönsamhet.", "Anmälan till Vreta Kluster.", "Ljungsbro"} {
		if !strings.Contains(d.Text, s) {
			t.Errorf("text %q lacks %q", d.Text, s)
		}
	}
	if strings.Contains(d.Text, "VERSION") || strings.Contains(d.Text, "DTSTART") {
		t.Errorf("text keeps iCalendar syntax: %q", d.Text)
	}
}

func TestExtractPlainText(t *testing.T) {
	body := "Verksamhetsplan 2024\n\nAgro Örebro arbetar med   livsmedelsstrategin.\n"
	d, err := mustExtractor(t).Extract(context.Background(), kg.FetchedDoc{
		URL: "https://www.landsbygdsnatverket.se/plan.txt", ContentType: "text/plain",
		Body: []byte(body), Entry: sourceEntry,
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Verksamhetsplan 2024" || d.Text != "Verksamhetsplan 2024\nAgro Örebro arbetar med livsmedelsstrategin." {
		t.Errorf("title %q text %q", d.Title, d.Text)
	}
	if !slices.Equal(d.Clusters, []string{"agro-orebro"}) || !slices.Contains(topicSet(d), "food-strategy") {
		t.Errorf("clusters %v topics %v", d.Clusters, topicSet(d))
	}
}

func TestExtractLargePage(t *testing.T) {
	para := "<p>" + strings.Repeat("Växtodling på Gotland är en gammal näring. ", 100) + "</p>\n"
	body := "<html><body><main>" + strings.Repeat(para, 60) + "</main></body></html>"
	d, err := mustExtractor(t).Extract(context.Background(), kg.FetchedDoc{URL: "https://example.se/stor",
		ContentType: "text/html", Body: []byte(body), Entry: clusterEntry("x")})
	if err != nil {
		t.Fatal(err)
	}
	n := utf8.RuneCountInString(d.Text)
	if n > maxTextRunes || n < maxTextRunes-300 {
		t.Errorf("text has %d characters, want just under %d", n, maxTextRunes)
	}
	if !utf8.ValidString(d.Text) || strings.HasSuffix(d.Text, "Växtodlin") {
		t.Errorf("text cut badly: ...%q", d.Text[len(d.Text)-30:])
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		final, declared, want string
	}{
		{"https://agrovast.se/aktuellt/a/?p=1", "https://agrovast.se/aktuellt/a/", "https://agrovast.se/aktuellt/a/"},
		{"https://agrovast.se/aktuellt/a/", "/aktuellt/b/", "https://agrovast.se/aktuellt/b/"},
		{"https://agrovast.se/aktuellt/a/", "https://other.example/aktuellt/a/", "https://agrovast.se/aktuellt/a/"},
		{"https://agrovast.se/aktuellt/a/", "https://agrovast.se/", "https://agrovast.se/aktuellt/a/"},
		{"https://agrovast.se/", "https://agrovast.se/#top", "https://agrovast.se/"},
		{"https://Agrovast.se/a#section", "", "https://agrovast.se/a"},
		{"https://agrovast.se/a", "javascript:void(0)", "https://agrovast.se/a"},
	}
	for _, tt := range tests {
		u := mustParseURL(t, tt.final)
		if got := canonicalURL(u, tt.declared).String(); got != tt.want {
			t.Errorf("canonicalURL(%q, %q) = %q, want %q", tt.final, tt.declared, got, tt.want)
		}
	}
}

func TestLinkedDataKindAndDate(t *testing.T) {
	page := `<html lang="sv"><head><script type="application/ld+json">
	{"@context":"https://schema.org","@type":["Event"],"name":"Skördefest","startDate":"2024-09-21T10:00:00+02:00"}
	</script></head><body><h1>Skördefest</h1><p>Välkommen till skördefest på gården med marknad och musik.</p></body></html>`
	d, err := mustExtractor(t).Extract(context.Background(), kg.FetchedDoc{URL: "https://agrovast.se/skordefest/",
		ContentType: "text/html", Body: []byte(page), Entry: clusterEntry("agrovast")})
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != kg.KindEvent || !d.Date.Equal(time.Date(2024, 9, 21, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("kind %q date %v", d.Kind, d.Date)
	}
}

func FuzzExtractHTML(f *testing.F) {
	for _, name := range []string{"about_sv.html", "news_source.html", "event.html", "project.html", "latin1.html"} {
		f.Add(mustRead(f, name))
	}
	f.Add([]byte(`<html><body><main><p>x</p></main><script type="application/ld+json">{"@type":[1,{"a":null}]}</script>`))
	f.Add([]byte("<p>\xff\xfe\x00 15 mars kl. 25:99</p>"))
	e := mustExtractor(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := e.Extract(context.Background(), kg.FetchedDoc{URL: "https://vretakluster.se/a/",
			ContentType: "text/html", Body: body, Entry: sourceEntry})
		if err != nil {
			return
		}
		if !utf8.ValidString(d.Text) || !utf8.ValidString(d.Title) {
			t.Fatalf("invalid UTF-8 in %q / %q", d.Title, d.Text)
		}
		if d.Text == "" || (d.Lang != "sv" && d.Lang != "en") || !slices.Contains(kg.Kinds, d.Kind) {
			t.Fatalf("bad document %+v", d)
		}
		if !slices.IsSorted(d.Clusters) {
			t.Fatalf("clusters not sorted: %v", d.Clusters)
		}
	})
}
