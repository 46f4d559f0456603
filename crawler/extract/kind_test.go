package extract

import (
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func TestDecideKind(t *testing.T) {
	const (
		projectBox  = "Projektnamn: Gårdsbiogas\nProjektägare: Vreta Kluster\nProjekttid: 220501-240430"
		eventText   = "Datum: 12 september 2024 kl. 08.00\nPlats: Skara\nAnmälan senast 5 september."
		contactList = "Anna Andersson\nVerksamhetsledare\nanna@kluster.example\n070-123 45 67\n" +
			"Bo Berg\nProjektledare\nbo@kluster.example\n070-234 56 78"
		plain = "Vi arbetar med de gröna näringarna i länet."
	)
	tests := []struct {
		name string
		url  string
		p    parsed
		text string
		want string
	}{
		// URL paths.
		{"about path", "https://vretakluster.se/om-oss/", parsed{}, plain, kg.KindAbout},
		{"about history", "https://agroorebro.se/historik/", parsed{}, plain, kg.KindAbout},
		{"news path", "https://agrovast.se/nyheter/ny-rapport-om-biogas/", parsed{}, plain, kg.KindNews},
		{"aktuellt path", "https://agrovast.se/aktuellt/", parsed{}, plain, kg.KindNews},
		{"calendar path", "https://agrovast.se/kalender/skordefest/", parsed{}, plain, kg.KindEvent},
		{"evenemang path", "https://krinova.se/evenemang/", parsed{}, plain, kg.KindEvent},
		{"project path", "https://vretakluster.se/projekt/gardsbiogas/", parsed{}, plain, kg.KindProject},
		{"project dir with odd name", "https://agroorebro.se/nprojekt/okad-robusthet/", parsed{}, plain, kg.KindProject},
		{"reports path", "https://agrovast.se/rapporter/", parsed{}, plain, kg.KindReport},
		{"contact path", "https://agrovast.se/kontakt/", parsed{}, plain, kg.KindContact},
		{"staff path", "https://agrovast.se/om-oss/medarbetare/", parsed{}, plain, kg.KindContact},
		{"personal path", "https://nifa.se/personal", parsed{}, plain, kg.KindContact},
		{"Swedish letters in path", "https://x.se/om-oss/vårt-team/", parsed{}, plain, kg.KindContact},
		{"slug naming a kind word", "https://agrovast.se/nyheter/nytt-projekt-om-biogas/", parsed{}, plain, kg.KindNews},
		{"landsbygdsnatverket archive", "https://www.landsbygdsnatverket.se/nyheterochartiklar/nyhetsarkiv/x.5.4fe8.html", parsed{}, plain, kg.KindNews},
		{"dated path", "https://rapidus.se/2008/11/03/krinova-bygger-ut", parsed{}, plain, kg.KindNews},
		{"front page", "https://vretakluster.se/", parsed{}, plain, kg.KindAbout},
		{"nothing known", "https://vretakluster.se/lokaler/", parsed{}, plain, kg.KindOther},
		// Content signals.
		{"project fields under about", "https://vretakluster.se/verksamhet/gardsbiogas/", parsed{}, projectBox, kg.KindProject},
		{"event under news", "https://agrovast.se/aktuellt/frukostmote/", parsed{}, eventText, kg.KindEvent},
		{"contact list", "https://gronaklustret.se/vi-pa-klustret/", parsed{}, contactList, kg.KindContact},
		{"date without time is no event", "https://agrovast.se/sida/", parsed{}, "Den 12 september 2024. Plats: Skara.", kg.KindOther},
		{"time without place is no event", "https://agrovast.se/sida/", parsed{}, "Den 12 september 2024 kl. 08.00 hände det.", kg.KindOther},
		{"one project label is not enough", "https://agrovast.se/sida/", parsed{}, "Projektledare: Anna", kg.KindOther},
		{"sure path beats content", "https://agrovast.se/kontakt/", parsed{}, projectBox, kg.KindContact},
		// Format and JSON-LD.
		{"PDF", "https://agrovast.se/nyheter/a.pdf", parsed{kind: kg.KindReport}, plain, kg.KindReport},
		{"iCal", "https://agrovast.se/feed.ics", parsed{kind: kg.KindEvent}, plain, kg.KindEvent},
		{"JSON-LD event", "https://agrovast.se/nyheter/skordefest/", parsed{ldKind: kg.KindEvent}, plain, kg.KindEvent},
		{"JSON-LD contact page", "https://agrovast.se/vi/", parsed{ldKind: kg.KindContact}, plain, kg.KindContact},
		{"article type", "https://agrovast.se/ny-rapport/", parsed{ldArticle: true}, plain, kg.KindNews},
		{"article type loses to content", "https://agrovast.se/frukost/", parsed{ldArticle: true}, eventText, kg.KindEvent},
		// Newsletters.
		{"newsletter archive", "https://agrovast.se/nyhetsbrev/", parsed{}, plain, KindNewsletter},
		{"newsletter issue", "https://agrovast.se/nyhetsbrev/mars-2024/", parsed{}, plain, KindNewsletter},
		{"newsletter PDF by name", "https://agrovast.se/wp-content/uploads/2024/03/Nyhetsbrev-mars-2024.pdf", parsed{kind: kg.KindReport}, plain, KindNewsletter},
		{"newsletter PDF by title", "https://agrovast.se/filer/nr3.pdf", parsed{kind: kg.KindReport, title: "Nyhetsbrev nr 3 2024"}, plain, KindNewsletter},
		{"newsletter by title", "https://agrovast.se/aktuellt/brev/", parsed{title: "Agrovästs nyhetsbrev – juni"}, plain, KindNewsletter},
		{"mailing service", "https://us5.campaign-archive.com/?u=1&id=2", parsed{title: "Juni hos oss"}, plain, KindNewsletter},
		{"news about a newsletter stays news", "https://agrovast.se/nyheter/vart-nytt-nyhetsbrev/", parsed{title: "Prenumerera på vårt nya nyhetsbrev"}, plain, kg.KindNews},
		{"a newsletter calendar feed is events", "https://agrovast.se/nyhetsbrev/kalender.ics", parsed{kind: kg.KindEvent}, plain, kg.KindEvent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := mustParseURL(t, tt.url)
			if got := decideKind(tt.p, u, contentKind(tt.text, !firstTimedDate(tt.text, fixedNow).IsZero())); got != tt.want {
				t.Errorf("kind of %s = %q, want %q", tt.url, got, tt.want)
			}
		})
	}
}

func TestLinkedDataTypes(t *testing.T) {
	tests := []struct {
		json     string
		kind     string
		article  bool
		startISO string
	}{
		{`{"@type":"NewsArticle"}`, kg.KindNews, false, ""},
		{`{"@type":"Article","datePublished":"2024-03-15"}`, "", true, ""},
		{`{"@graph":[{"@type":"WebPage"},{"@type":"BusinessEvent","startDate":"2024-05-02T09:00:00+02:00"}]}`, kg.KindEvent, false, "2024-05-02T07:00:00Z"},
		{`[{"@type":["AboutPage","WebPage"]}]`, kg.KindAbout, false, ""},
		{`{"@type":"http://schema.org/ContactPage"}`, kg.KindContact, false, ""},
		{`{"@type":"ResearchProject"}`, kg.KindProject, false, ""},
		{`not json`, "", false, ""},
		{`{"@type":42}`, "", false, ""},
	}
	for _, tt := range tests {
		var p parsed
		readLinkedData(tt.json, &p)
		start := ""
		if !p.start.IsZero() {
			start = p.start.UTC().Format("2006-01-02T15:04:05Z")
		}
		if p.ldKind != tt.kind || p.ldArticle != tt.article || start != tt.startISO {
			t.Errorf("%s: kind %q article %v start %q; want %q %v %q", tt.json, p.ldKind, p.ldArticle, start, tt.kind, tt.article, tt.startISO)
		}
	}
}
