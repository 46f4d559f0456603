package extract

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

func entityExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	ts, err := topics.Default()
	if err != nil {
		tb.Fatal(err)
	}
	reg := kg.Registry{Clusters: []kg.Cluster{
		{ID: "testklustret", Name: "Testklustret", Sites: []string{"https://testklustret.se/"}},
		{ID: "grannklustret", Name: "Grannklustret", Sites: []string{"https://grannklustret.se/"}},
	}}
	e := New(reg, topics.NewMatcher(ts))
	e.Now = func() time.Time { return fixedNow }
	return e
}

func mustExtractFile(tb testing.TB, e *Extractor, file, url, contentType string) kg.Document {
	tb.Helper()
	d, err := e.Extract(context.Background(), kg.FetchedDoc{URL: url, Status: 200, ContentType: contentType,
		Body: mustRead(tb, file), Entry: kg.Entry{Kind: kg.EntryCluster, ID: "testklustret"}})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in         string
		start, end time.Time
		ok         bool
	}{
		{"220501-240430", day(2022, 5, 1), day(2024, 4, 30), true},
		{"2022-05-01–2024-04-30", day(2022, 5, 1), day(2024, 4, 30), true},
		{"2022-03-01 till 2023-12-31", day(2022, 3, 1), day(2023, 12, 31), true},
		{"maj 2022 – april 2024", day(2022, 5, 1), day(2024, 4, 30), true},
		{"2021–2023", day(2021, 1, 1), day(2023, 12, 31), true},
		{"2015-2018", day(2015, 1, 1), day(2018, 12, 31), true},
		{"2022-03 – 2023-12-31", day(2022, 3, 1), day(2023, 12, 31), true},
		{"hösten 2022", day(2022, 8, 1), day(2022, 12, 31), true},
		{"2019–", day(2019, 1, 1), time.Time{}, true},
		{"–2015", time.Time{}, day(2015, 12, 31), true},
		{"till 2023-10-31", time.Time{}, day(2023, 10, 31), true},
		{"2024", day(2024, 1, 1), day(2024, 12, 31), true},
		{"2024–2020", time.Time{}, time.Time{}, false},
		{"", time.Time{}, time.Time{}, false},
		{"tre år", time.Time{}, time.Time{}, false},
		{"991341", time.Time{}, time.Time{}, false},
	}
	for _, tt := range tests {
		s, e, ok := ParsePeriod(tt.in)
		if ok != tt.ok || !s.Equal(tt.start) || !e.Equal(tt.end) {
			t.Errorf("ParsePeriod(%q) = %v, %v, %v; want %v, %v, %v", tt.in, s.Format("2006-01-02"), e.Format("2006-01-02"), ok,
				tt.start.Format("2006-01-02"), tt.end.Format("2006-01-02"), tt.ok)
		}
	}
}

func TestParseEventTime(t *testing.T) {
	ref := time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, stockholm) }
	tests := []struct {
		in         string
		start, end time.Time
		allDay, ok bool
	}{
		{"15 mars 2024 kl. 09.00–16.00", at(2024, 3, 15, 9, 0), at(2024, 3, 15, 16, 0), false, true},
		{"tis 3/10 kl 13", at(2024, 10, 3, 13, 0), time.Time{}, false, true},
		{"den 5 maj", day(2025, 5, 5), time.Time{}, true, true}, // before the page: next year
		{"den 5 oktober", day(2024, 10, 5), time.Time{}, true, true},
		{"hölls 24 oktober (2017)", day(2017, 10, 24), time.Time{}, true, true},
		{"15–16 mars 2024", day(2024, 3, 15), day(2024, 3, 16), true, true},
		{"2024-03-15", day(2024, 3, 15), time.Time{}, true, true},
		{"inget datum", time.Time{}, time.Time{}, false, false},
	}
	for _, tt := range tests {
		s, e, allDay, ok := ParseEventTime(tt.in, ref)
		if ok != tt.ok || !s.Equal(tt.start) || !e.Equal(tt.end) || allDay != tt.allDay {
			t.Errorf("ParseEventTime(%q) = %v, %v, %v, %v; want %v, %v, %v, %v", tt.in, s, e, allDay, ok, tt.start, tt.end, tt.allDay, tt.ok)
		}
	}
}

func TestExtractPeopleFromText(t *testing.T) {
	tests := []struct {
		text string
		want []string // "name|role|organisation"
	}{
		{"Nils Berg, samordnare på Landsbygdsnätverket, konstaterar att klustren växer.",
			[]string{"Nils Berg|samordnare|Landsbygdsnätverket"}},
		{"Klustrets vd Karin Holm säger att projektet är viktigt.", []string{"Karin Holm|vd|Klustret"}},
		{"Landshövding Maria Ek invigde dagen.", []string{"Maria Ek|Landshövding|"}},
		{"Kontakt: Petra Lund, verksamhetsutvecklare LRF Västra Sverige.", []string{"Petra Lund|verksamhetsutvecklare|LRF Västra Sverige"}},
		{"Med var David Stål (företagsutvecklare LRF Dalarna) och Eva Sund.", []string{"David Stål|företagsutvecklare|LRF Dalarna"}},
		{"Roger Alm är ordförande i Gröna Klustret.", []string{"Roger Alm|ordförande|Gröna Klustret"}},
		// Organisations and places that look like names are not people.
		{"Projektansvarig för Agro Örebro är ny.", nil},
		{"Västra Götaland och Region Skåne samarbetar.", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range extractPeople(tt.text, nil) {
			got = append(got, p.Name+"|"+p.Role+"|"+p.Organisation)
		}
		if strings.Join(got, ";") != strings.Join(tt.want, ";") {
			t.Errorf("extractPeople(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestMergePeopleByNameAndEmail(t *testing.T) {
	in := []kg.Person{
		{Name: "Carin Alm", Role: "projektledare", Email: "carin@k.se"},
		{Name: "Carin Almén", Role: "verksamhetschef", Email: "carin@k.se"},
		{Name: "Carin Alm", Organisation: "Klustret", Phone: "070-1"},
		{Name: "Bo Ek"},
	}
	out := mergePeople(in)
	if len(out) != 2 {
		t.Fatalf("merged into %d people: %+v", len(out), out)
	}
	c := out[0]
	if c.Organisation != "Klustret" || c.Phone != "070-1" || len(c.MergedFrom) != 2 {
		t.Errorf("merged person = %+v", c)
	}
}

func TestExtractProjectFactBox(t *testing.T) {
	e := entityExtractor(t)
	d := mustExtractFile(t, e, "entities_project.html", "https://testklustret.se/projekt/angsgrodor/", "text/html; charset=utf-8")
	if d.Kind != kg.KindProject {
		t.Errorf("kind = %q", d.Kind)
	}
	if len(d.Projects) != 1 {
		t.Fatalf("projects = %+v", d.Projects)
	}
	p := d.Projects[0]
	if p.Name != "Ängsgrödor för framtiden" || p.Owner != "Testklustret" || p.Leader != "Maja Lindqvist" {
		t.Errorf("project = %+v", p)
	}
	if strings.Join(p.Funders, ",") != "Jordbruksverket,Region Östergötland" ||
		strings.Join(p.Stakeholders, ",") != "LRF Östergötland,SLU,Grannklustret" {
		t.Errorf("funders %q stakeholders %q", p.Funders, p.Stakeholders)
	}
	if !p.Start.Equal(day(2022, 5, 1)) || !p.End.Equal(day(2024, 4, 30)) || p.Status != kg.StatusFinished {
		t.Errorf("period %v–%v status %q (page dated by the clock, 2024-06-01)", p.Start, p.End, p.Status)
	}
	if !contains(p.Topics, "bioenergy") {
		t.Errorf("topics = %v", p.Topics)
	}
	people := map[string]kg.Person{}
	for _, pe := range d.People {
		people[pe.Name] = pe
	}
	maja := people["Maja Lindqvist"]
	if maja.Email != "maja.lindqvist@testklustret.se" || maja.Phone != "070-123 45 67" || maja.ClusterID != "testklustret" || maja.Role != "projektledare" {
		t.Errorf("Maja = %+v", maja)
	}
	olof := people["Olof Berg"]
	if olof.Role != "verksamhetsledare" || olof.ClusterID != "testklustret" || olof.Email != "" || olof.Phone != "013-12 34 56" {
		t.Errorf("Olof = %+v", olof)
	}
	orgs := map[string]kg.OrgMention{}
	for _, o := range d.Organisations {
		orgs[o.ID] = o
	}
	for _, id := range []string{"jordbruksverket", "region-ostergotland", "lrf-ostergotland", "slu", "grannklustret"} {
		if _, ok := orgs[id]; !ok {
			t.Errorf("organisation %q not found in %+v", id, d.Organisations)
		}
	}
	if !orgs["hushallningssallskapet-ostergotland"].Partner {
		t.Error("the stated partnership with Hushållningssällskapet Östergötland is not marked")
	}
	if orgs["grannklustret"].ClusterID != "grannklustret" {
		t.Error("a registry cluster named in a field is not resolved to the cluster")
	}

	// The graph gets the entities, their edges and the collaborations.
	fs := kg.DocumentFacts(d)
	has := func(from, rel, to string) bool {
		for _, e := range fs.Edges {
			if e.From == from && e.Rel == rel && e.To == to {
				return true
			}
		}
		return false
	}
	proj := kg.ProjectNodeID("Ängsgrödor för framtiden")
	maj := kg.PersonNodeID("Maja Lindqvist", "testklustret")
	for _, want := range [][3]string{
		{proj, kg.RelOwnedBy, "cluster:testklustret"},
		{"org:jordbruksverket", kg.RelFunds, proj},
		{"org:slu", kg.RelTakesPartIn, proj},
		{"cluster:grannklustret", kg.RelTakesPartIn, proj},
		{maj, kg.RelLeads, proj},
		{maj, kg.RelWorksAt, "cluster:testklustret"},
		{proj, kg.RelAbout, "topic:bioenergy"},
		{"cluster:testklustret", kg.RelCollaboratesWith, "cluster:grannklustret"},
		{"cluster:testklustret", kg.RelCollaboratesWith, "org:hushallningssallskapet-ostergotland"},
		{d.ID, kg.RelMentions, "org:jordbruksverket"},
	} {
		if !has(want[0], want[1], want[2]) {
			t.Errorf("missing edge %v", want)
		}
	}
	if fs.Hash == "" || fs.Hash != mustExtractFile(t, e, "entities_project.html", "https://testklustret.se/projekt/angsgrodor/", "text/html").ContentHash {
		t.Error("the same page gave another hash")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestExtractJSONLDEvent(t *testing.T) {
	d := mustExtractFile(t, entityExtractor(t), "entities_event.html", "https://testklustret.se/kalender/faltdag/", "text/html")
	if len(d.Events) != 1 {
		t.Fatalf("events = %+v", d.Events)
	}
	ev := d.Events[0]
	if ev.Title != "Fältdag om vallodling" || !ev.Start.Equal(time.Date(2026, 6, 10, 7, 0, 0, 0, time.UTC)) ||
		!ev.End.Equal(time.Date(2026, 6, 10, 13, 0, 0, 0, time.UTC)) || ev.AllDay {
		t.Errorf("event = %+v", ev)
	}
	if ev.Place != "Försöksgården, Gårdsvägen 1, Linköping" || strings.Join(ev.Organisers, ",") != "Testklustret,LRF Östergötland" ||
		ev.RegistrationURL != "https://testklustret.se/anmalan/faltdag" {
		t.Errorf("event = %+v", ev)
	}
	fs := kg.DocumentFacts(d)
	id := kg.EventNodeID(ev.Title, ev.Start)
	var organisedBy []string
	for _, e := range fs.Edges {
		if e.From == id && e.Rel == kg.RelOrganisedBy {
			organisedBy = append(organisedBy, e.To)
		}
	}
	if strings.Join(organisedBy, ",") != "cluster:testklustret,org:lrf-ostergotland" {
		t.Errorf("ORGANISED_BY = %v", organisedBy)
	}
}

func TestExtractTextEvent(t *testing.T) {
	e := entityExtractor(t)
	body := `<html><head><title>Studiebesök i skogen</title></head><body><main><h1>Studiebesök i skogen</h1>
<p>Publicerad 2 maj 2024</p><p>Datum: tis 3/9 kl 13–16</p><p>Plats: Skogsgården, Ydre</p>
<p>Arrangör: Testklustret och Skogsstyrelsen</p><p><a href="/anmal">Anmälan</a></p></main></body></html>`
	d, err := e.Extract(context.Background(), kg.FetchedDoc{URL: "https://testklustret.se/kalender/studiebesok/", Status: 200,
		ContentType: "text/html", Body: []byte(body), Entry: kg.Entry{Kind: kg.EntryCluster, ID: "testklustret"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Events) != 1 {
		t.Fatalf("events = %+v", d.Events)
	}
	ev := d.Events[0]
	want := time.Date(2024, 9, 3, 13, 0, 0, 0, stockholm)
	if !ev.Start.Equal(want) || !ev.End.Equal(want.Add(3*time.Hour)) || ev.Place != "Skogsgården, Ydre" ||
		strings.Join(ev.Organisers, ",") != "Testklustret,Skogsstyrelsen" || ev.RegistrationURL != "https://testklustret.se/anmal" {
		t.Errorf("event = %+v", ev)
	}
}

func TestExtractICalEvents(t *testing.T) {
	d := mustExtractFile(t, entityExtractor(t), "calendar.ics", "https://testklustret.se/kalender.ics", "text/calendar")
	if len(d.Events) != 2 {
		t.Fatalf("events = %+v (an event without a date is skipped)", d.Events)
	}
	a, b := d.Events[0], d.Events[1]
	if a.Title != "Frukostmöte om biogas" || a.Place != "Klusterhuset, Linköping" || strings.Join(a.Organisers, ",") != "Testklustret" ||
		a.RegistrationURL != "https://testklustret.se/kalender/frukostmote" || a.End.Sub(a.Start) != 90*time.Minute || a.AllDay {
		t.Errorf("first event = %+v", a)
	}
	if !contains(a.Topics, "bioenergy") {
		t.Errorf("first event topics = %v", a.Topics)
	}
	if !b.AllDay || !b.Start.Equal(day(2026, 9, 5)) || !b.End.Equal(day(2026, 9, 5)) {
		t.Errorf("whole-day event = %+v", b)
	}
}

func TestExtractFeeds(t *testing.T) {
	e := entityExtractor(t)
	for _, tt := range []struct{ file, contentType, title, firstItem string }{
		{"news.rss", "application/rss+xml", "Testklustrets nyheter", "Nytt projekt om ängsgrödor"},
		{"news.rss", "text/xml", "Testklustrets nyheter", "Nytt projekt om ängsgrödor"},
		{"news.atom", "application/atom+xml", "Testklustret", "Fältdag i juni"},
	} {
		d := mustExtractFile(t, e, tt.file, "https://testklustret.se/feed", tt.contentType)
		if d.Kind != kg.KindNews || d.Title != tt.title || !strings.HasPrefix(d.Text, tt.firstItem) {
			t.Errorf("%s as %s: kind %q title %q text %q", tt.file, tt.contentType, d.Kind, d.Title, d.Text)
		}
		if strings.Contains(d.Text, "<") {
			t.Errorf("%s: markup left in text %q", tt.file, d.Text)
		}
	}
	_, items, ok := ParseFeed(string(mustRead(t, "news.rss")))
	if !ok || len(items) != 2 || items[0].Link != "https://testklustret.se/nyheter/angsgrodor" ||
		!items[0].Date.Equal(time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)) || items[0].Text != "Projektet Ängsgrödor för framtiden har startat." {
		t.Errorf("items = %+v", items)
	}
	if _, _, ok := ParseFeed("<html><body>no</body></html>"); ok {
		t.Error("an HTML page was read as a feed")
	}
}

func TestPeopleOnlyWithPublishedDetails(t *testing.T) {
	people := extractPeople("Anna Ek, rådgivare på LRF, berättar.\nKontakt: info@klustret.se", nil)
	if len(people) != 1 || people[0].Phone != "" {
		t.Fatalf("people = %+v", people)
	}
}

// Fuzz targets: no panics, no hangs, and results that hold together.

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"220501-240430", "2022-05-01–2024-04-30", "maj 2022 – april 2024", "2021–2023", "–2015",
		"hösten 2022", "2019–", "till 2023-10-31", "9999-99-99", "dec. 2100 - jan 1990"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, end, ok := ParsePeriod(s)
		if ok && !start.IsZero() && !end.IsZero() && end.Before(start) {
			t.Fatalf("ParsePeriod(%q) ends before it starts: %v %v", s, start, end)
		}
	})
}

func FuzzParseEventTime(f *testing.F) {
	for _, s := range []string{"15 mars 2024 kl. 09.00–16.00", "tis 3/10 kl 13", "den 5 maj", "15–16 mars", "2024-03-15T10:00",
		"31–30 april", "den 5 maj (2019)"} {
		f.Add(s)
	}
	ref := time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		start, end, _, ok := ParseEventTime(s, ref)
		if ok && !end.IsZero() && end.Before(start) {
			t.Fatalf("ParseEventTime(%q) ends before it starts: %v %v", s, start, end)
		}
	})
}

func FuzzParseICal(f *testing.F) {
	f.Add(string(mustRead(f, "calendar.ics")))
	f.Add("BEGIN:VEVENT\nSUMMARY:x\nDTSTART:20240101\nEND:VEVENT")
	f.Add("BEGIN:VEVENT\r\n DTSTART;TZID=\"Nowhere\":20240101T1000\r\nEND:VEVENT\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		for _, ev := range parseICal(s, time.Time{}).events {
			if ev.Title == "" || ev.Start.IsZero() {
				t.Fatalf("event without title or start: %+v", ev)
			}
		}
	})
}

func FuzzParseFeed(f *testing.F) {
	f.Add(string(mustRead(f, "news.rss")))
	f.Add(string(mustRead(f, "news.atom")))
	f.Add("<rss><channel><item><title>&lt;b&gt;</title></item></channel></rss>")
	f.Fuzz(func(t *testing.T, s string) {
		_, items, ok := ParseFeed(s)
		if !ok && len(items) > 0 {
			t.Fatal("items from a document that is no feed")
		}
		if len(items) > maxFeedItems {
			t.Fatalf("%d items", len(items))
		}
	})
}

func FuzzExtractPeopleAndProjects(f *testing.F) {
	for _, s := range []string{
		"Projektledare: Hahn Hyun, Hushållningssällskapet. Projektägare: SVA. Finansiering: MSB (2:4-medel). Projekttid 2023-03-01–2025-12-31.",
		"Krinovas vd Anna Berg (S), säger att projektet 'Mat i Skåne' är viktigt.",
		"Anna Berg\nprojektledare\nanna@x.se\n070-123 45 67\nBo Ek\nVD",
		"Projektnamn: A\nProjektägare: B\nProjektnamn: C\nProjektledare: D E",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range extractPeople(s, nil) {
			if p.Name == "" || !strings.Contains(s, p.Name) {
				t.Fatalf("person %q not in text", p.Name)
			}
		}
		for _, p := range extractProjects("Titel", s, kg.KindProject, fixedNow, func(string) []string { return nil }) {
			if kg.Slug(p.Name) == "" {
				t.Fatalf("project without a name: %+v", p)
			}
		}
	})
}
