package extract

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func TestMatchEventNoun(t *testing.T) {
	tests := []struct {
		word string
		want bool
	}{
		{"konferensen", true}, {"slutkonferens", true}, {"Avslutningskonferensen", true},
		{"seminariet", true}, {"seminariedagar", true}, {"webbinarierna", true}, {"workshopen", true},
		{"årsmötet", true}, {"styrgruppsmöte", true}, {"dialogmöten", true}, {"föreningsstämman", true},
		{"nätverksträffen", true}, {"temadag", true}, {"inspirationsdagen", true}, {"Agrodagen", true},
		{"Skaraborgsdagen", true}, {"Fäbodveckan", true}, {"AgroMorgon", true}, {"Forum", true},
		{"studiebesök", true}, {"studieresan", true}, {"exkursionen", true}, {"visningen", true},
		{"lantbruksmässa", true}, {"livsmedelsdialog", true}, {"kommunturné", true}, {"vårkväll", true},
		{"motorsågskurs", true},
		// Other words.
		{"mötesplats", false}, {"anmälningsdag", false}, {"måndag", false}, {"idag", false},
		{"redovisning", false}, {"konkurs", false}, {"träffar", false}, {"krisberedskapsveckan", false},
		{"morgon", false}, {"forum", false}, {"besök", false}, {"resa", false}, {"dialog", false},
		{"Ministerbesök", false}, {"kväll", false}, {"dag", false},
	}
	for _, tt := range tests {
		if _, got := matchEventNoun(tt.word); got != tt.want {
			t.Errorf("matchEventNoun(%q) = %v, want %v", tt.word, got, tt.want)
		}
	}
}

// wantEvent is what a test expects of one event.
type wantEvent struct {
	title      string
	start, end time.Time
	allDay     bool
	place      string
}

func checkEvents(t *testing.T, name string, got []kg.Event, want []wantEvent) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d events %+v, want %d", name, len(got), got, len(want))
		return
	}
	for i, w := range want {
		g := got[i]
		if g.Title != w.title || !g.Start.Equal(w.start) || !g.End.Equal(w.end) || g.AllDay != w.allDay ||
			w.place != "" && g.Place != w.place {
			t.Errorf("%s: event %d = %q %v–%v allDay %v place %q; want %q %v–%v allDay %v place %q",
				name, i, g.Title, g.Start, g.End, g.AllDay, g.Place, w.title, w.start, w.end, w.allDay, w.place)
		}
	}
}

func TestReportedEvents(t *testing.T) {
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, stockholm) }
	month := func(y int, m time.Month) (time.Time, time.Time) {
		s := day(y, m, 1)
		return s, s.AddDate(0, 1, -1)
	}
	apr22s, apr22e := month(2022, 4)
	apr15s, apr15e := month(2015, 4)
	jun26s, jun26e := month(2026, 6)
	nov25s, nov25e := month(2025, 11)
	tests := []struct {
		name  string
		title string
		text  string
		kind  string
		page  time.Time // zero: an undated page
		want  []wantEvent
	}{
		{"a day, reported", "Ministern på besök", "Agrodagen hölls den 7 november på Örebro slott.", kg.KindNews,
			day(2019, 11, 10), []wantEvent{{"Agrodagen", day(2019, 11, 7), time.Time{}, true, "Örebro slott"}}},
		{"a month", "Gediget program", "Under Skaraborgsdagen i april samlades 300 besökare i Skara.", kg.KindNews,
			day(2022, 5, 2), []wantEvent{{"Skaraborgsdagen", apr22s, apr22e, true, ""}}},
		{"a year naming the occasion", "Summering", "Vid Gröna Klustrets årsmöte 2025 presenterades en ny satsning.", kg.KindNews,
			day(2025, 5, 2), []wantEvent{{"Gröna Klustrets årsmöte 2025", day(2025, 1, 1), day(2025, 12, 31), true, ""}}},
		{"a word for a gathering alone", "Snabba växter", "Projektet avslutas med slutkonferens april 2015.", kg.KindNews,
			day(2014, 10, 1), []wantEvent{{"Slutkonferens – Snabba växter", apr15s, apr15e, true, ""}}},
		{"a name after the word", "Agro Örebro", "Starten var workshopen Framtidens livsmedelsproduktion i Örebro län 6 maj 2019.", kg.KindProject,
			day(2020, 1, 1), []wantEvent{{"Workshop Framtidens livsmedelsproduktion i Örebro län", day(2019, 5, 6), time.Time{}, true, ""}}},
		{"a list of dates sharing year and time", "Norr och söder övar", "Webbinarierna hålls 20 januari, 17 februari och 17 mars 2027 kl. 13.00–14.30.", kg.KindNews,
			day(2026, 10, 5), []wantEvent{
				{"Webbinarium – Norr och söder övar", at(2027, 1, 20, 13, 0), at(2027, 1, 20, 14, 30), false, ""},
				{"Webbinarium – Norr och söder övar", at(2027, 2, 17, 13, 0), at(2027, 2, 17, 14, 30), false, ""},
				{"Webbinarium – Norr och söder övar", at(2027, 3, 17, 13, 0), at(2027, 3, 17, 14, 30), false, ""}}},
		{"next year", "Kornknarrsdagen samlade 300", "Nästa år hålls Kornknarrsdagen den tredje lördagen i juni.", kg.KindNews,
			day(2025, 6, 16), []wantEvent{{"Kornknarrsdagen", jun26s, jun26e, true, ""}}},
		{"a year elsewhere in the sentence", "Mat från kusten", "Smaka på kusten 2027 – matmässa i Tångeviken 8 september", kg.KindAbout,
			day(2025, 9, 15), []wantEvent{{"Smaka på kusten 2027", day(2027, 9, 8), time.Time{}, true, ""}}},
		{"what a meeting is about", "Regelförenkling", "Klustret följer upp förslaget på ett möte med länsstyrelsen i november.", kg.KindNews,
			day(2025, 6, 18), []wantEvent{{"Möte med länsstyrelsen", nov25s, nov25e, true, ""}}},
		// No events.
		{"a deadline", "Konferens", "Anmälan till konferensen senast 5 mars 2026.", kg.KindNews, day(2026, 1, 1), nil},
		{"a project period", "Projekt", "Projekttid 2022-03-01 till 2023-12-31.", kg.KindProject, day(2022, 1, 1), nil},
		{"a routine on an about page", "Om oss", "Styrelsen väljs på årsstämman i mars.", kg.KindAbout, day(2025, 1, 1), nil},
		{"a month on an undated page", "Kostall", "Visningen i juli lockade många besökare.", kg.KindNews, time.Time{}, nil},
		{"accounting is no show", "Livskraften", "Redovisningen lämnades till regeringen 2 mars 2023.", kg.KindNews, day(2023, 3, 5), nil},
		{"a bankruptcy is no course", "Företag", "Företaget gick i konkurs 3 maj 2020.", kg.KindNews, day(2020, 6, 1), nil},
		{"a time with no gathering", "Krinova", "Krinova 5 december 2019: Skåne står för hälften av livsmedelsproduktionen.", kg.KindNews, day(2019, 12, 5), nil},
	}
	for _, tt := range tests {
		in := eventPageInput{title: tt.title, text: tt.text, kind: tt.kind, ref: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)}
		if d, ok := dateline(tt.text, in.ref); ok {
			in.page, in.hasPage, in.ref = d, true, d.start
		} else if !tt.page.IsZero() {
			in.page, in.hasPage, in.ref = span{start: tt.page, prec: precDay, pos: -1, endAt: -1}, true, tt.page
		}
		checkEvents(t, tt.name, textEvents(in), tt.want)
	}
}

func TestPageEvents(t *testing.T) {
	e := entityExtractor(t)
	extract := func(url, body string) kg.Document {
		t.Helper()
		d, err := e.Extract(context.Background(), kg.FetchedDoc{URL: url, Status: 200, ContentType: "text/html; charset=utf-8",
			Body: []byte(body), Entry: kg.Entry{Kind: kg.EntryCluster, ID: "testklustret"}})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	page := func(title, body string) string {
		return "<html><head><title>" + title + "</title></head><body><main><h1>" + title + "</h1>" + body + "</main></body></html>"
	}
	tests := []struct {
		name, url, title, body string
		want                   []wantEvent
	}{
		{"report dated by its path", "https://testklustret.se/evenemang/2019/11/07/ministerbesok/", "Ministerbesök om lokal mat",
			"<p>Landsbygdsministern besöker Örebro slott för konferensen Agrodagen och möter länets kommuner.</p>",
			[]wantEvent{{"Agrodagen", day(2019, 11, 7), time.Time{}, true, ""}}},
		{"date in the title", "https://testklustret.se/kalender/agromorgon/", "AgroMorgon 4/2",
			"<p>Testklustret 2020-02-05: 38 personer samlades på AgroMorgon för frukost och information.</p>",
			[]wantEvent{{"AgroMorgon", day(2020, 2, 4), time.Time{}, true, ""}}},
		{"a week", "https://testklustret.se/evenemang/mangbrukskonvent/", "Mångbrukskonvent på Asa Herrgård",
			"<p>Publicerad 20 september 2024</p><p>Vi rapporterar från Skogens krafts konvent på Asa Herrgård, Lammhult (vecka 37), där skogsägare möttes.</p>",
			[]wantEvent{{"Mångbrukskonvent på Asa Herrgård", day(2024, 9, 9), day(2024, 9, 15), true, "Asa Herrgård, Lammhult"}}},
		{"the most precise time wins", "https://testklustret.se/evenemang/arsmote/", "Årsmöte inkl studiebesök 2020",
			"<p>Agroforestry Sveriges årsmöte 7–8 mars 2020 på Angereds gård, följt av studiebesök.</p>",
			[]wantEvent{{"Årsmöte inkl studiebesök 2020", day(2020, 3, 7), day(2020, 3, 8), true, "Angereds gård"}}},
		{"a calendar page with one dated line", "https://testklustret.se/kalender/", "Kalender",
			"<p>12 maj 2026 Fältdag om vall</p>",
			[]wantEvent{{"Fältdag om vall", day(2026, 5, 12), time.Time{}, true, ""}}},
		{"a calendar page with none", "https://testklustret.se/kalender/", "Kalender",
			"<p>Här hittar du våra kommande aktiviteter. Anmäl dig senast 1 maj 2026.</p>", nil},
		{"a sign-up page", "https://testklustret.se/kalender/faltdag/anmalan/", "Anmälan till Fältdag om vall",
			"<p>Fyll i formuläret senast 1 april 2027.</p>", nil},
		{"a news page reporting in passing", "https://testklustret.se/nyheter/regler/", "Enklare regler",
			"<p>Publicerad 28 maj 2025</p><p>Vid en workshop i Lövåsa i maj beskrev tolv företagare hur reglerna skiljer sig.</p>",
			[]wantEvent{{"Workshop i Lövåsa", day(2025, 5, 1), day(2025, 5, 31), true, "Lövåsa"}}},
	}
	for _, tt := range tests {
		d := extract(tt.url, page(tt.title, tt.body))
		checkEvents(t, tt.name, d.Events, tt.want)
	}
}

func TestPageEventOrganisersReachTheGraph(t *testing.T) {
	e := entityExtractor(t)
	body := `<html><head><title>Vårträff</title></head><body><main><h1>Vårträff</h1>
<p>Grannklustret arrangerade nätverksträffen den 5 maj 2026 på Gården i Ydre tillsammans med LRF Östergötland.</p></main></body></html>`
	d, err := e.Extract(context.Background(), kg.FetchedDoc{URL: "https://testklustret.se/kalender/varträff/", Status: 200,
		ContentType: "text/html", Body: []byte(body), Entry: kg.Entry{Kind: kg.EntryCluster, ID: "testklustret"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Events) != 1 {
		t.Fatalf("events = %+v", d.Events)
	}
	fs := kg.DocumentFacts(d)
	var organisedBy []string
	for _, edge := range fs.Edges {
		if edge.Rel == kg.RelOrganisedBy {
			organisedBy = append(organisedBy, edge.To)
		}
	}
	if !contains(organisedBy, "cluster:grannklustret") || !contains(organisedBy, "org:lrf-ostergotland") {
		t.Errorf("ORGANISED_BY = %v (event %+v)", organisedBy, d.Events[0])
	}
}

func TestStripDate(t *testing.T) {
	ref := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{
		"Framtidens lantbruk i Skåne, 2014-03-20": "Framtidens lantbruk i Skåne",
		"AgroMorgon 4/2":            "AgroMorgon",
		"Seminarium 5 maj – biogas": "Seminarium biogas",
		"Framsteget 2022":           "Framsteget 2022",
		"15 mars 2024":              "15 mars 2024",
	} {
		if got := stripDate(in, ref); got != want {
			t.Errorf("stripDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzTextEvents checks that reading events from any text, as an event
// page or in passing, never panics and gives events with a title, a start
// and an end that is not before the start.
func FuzzTextEvents(f *testing.F) {
	for _, s := range []string{
		"Agrodagen hölls den 7 november på Örebro slott.",
		"LRF Dalarna april 2018: den andra workshopen hölls i mitten av mars på Dalarna Science Park i Borlänge.",
		"Webbinarierna hålls 20 januari, 17 februari och 17 mars 2027 kl. 13.00–14.30.",
		"Vid Gröna Klustrets årsmöte 2025 presenterades",
		"Smaka på kusten 2027 – matmässa i Tångeviken 8 september",
		"Datum: tis 3/10 kl 13\nPlats: Skara\nArrangör: Agroväst",
		"12 maj 2026 Fältdag\n13 maj 2026 Seminarium om biogas",
		"– – konferensen – 5 maj –", "vid mötet 7 december", "vecka 53 2020 Fäbodveckan",
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, text string, eventPage bool) {
		if !utf8.ValidString(text) {
			return
		}
		ref := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
		in := eventPageInput{title: "Sida", text: text, ref: ref, eventPage: eventPage, kind: kg.KindNews}
		in.page, in.hasPage = dateline(text, ref)
		for _, ev := range textEvents(in) {
			if strings.TrimSpace(ev.Title) == "" || ev.Start.IsZero() {
				t.Fatalf("event without title or start: %+v", ev)
			}
			if !ev.End.IsZero() && ev.End.Before(ev.Start) {
				t.Fatalf("event ends before it starts: %+v", ev)
			}
		}
	})
}
