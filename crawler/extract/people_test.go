package extract

import (
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// personLine writes a person for comparison: "name|role|organisation".
func personLine(p kg.Person) string { return p.Name + "|" + p.Role + "|" + p.Organisation }

// peopleCase is a text and the people extractPeople finds in it, each as
// personLine writes it.
type peopleCase struct {
	name, text string
	want       []string
}

// runPeopleCases runs extractPeople on each case's text.
func runPeopleCases(t *testing.T, tests []peopleCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range extractPeople(tt.text, nil) {
				got = append(got, personLine(p))
			}
			if strings.Join(got, ";") != strings.Join(tt.want, ";") {
				t.Errorf("extractPeople(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestExtractPeopleInRunningText(t *testing.T) {
	tests := []peopleCase{
		{"title before", "Projektledare Anna Bergström visade odlingen.", []string{"Anna Bergström|Projektledare|"}},
		{"definite adjective title", "Projektansvarige Olof Lind säger att mycket återstår.", []string{"Olof Lind|Projektansvarige|"}},
		{"title and organisation after", "Anna Bergström, verksamhetsledare på Testklustret, ser fram emot våren.",
			[]string{"Anna Bergström|verksamhetsledare|Testklustret"}},
		{"säger with vd för", "– Det är ett bra år, säger Anna Bergström, vd för Mjölkgården AB.",
			[]string{"Anna Bergström|vd|Mjölkgården AB"}},
		{"adjective before title", "Erik Sand, näringspolitisk expert på LRF, välkomnar beslutet.",
			[]string{"Erik Sand|näringspolitisk expert|LRF"}},
		{"som title", "Klustret är ägare, med Jan-Olof Ek som projektledare.", []string{"Jan-Olof Ek|projektledare|"}},
		{"till title", "Regeringen har utsett Magnus Ahl till särskild utredare.", []string{"Magnus Ahl|särskild utredare|"}},
		{"har varit, long phrase", "Hulda Berg har varit samordnare för Matlyftet 2017–2020 och 2021–2022 och fungerat som nod för arbetet i hela länet under lång tid.",
			[]string{"Hulda Berg|samordnare|Matlyftet 2017–2020"}},
		{"multi-word field label", "Regional kontakt i Norrbotten: Ida Holm, Länsstyrelsen i Norrbotten.",
			[]string{"Ida Holm|regional kontakt i Norrbotten|Länsstyrelsen i Norrbotten"}},
		{"parenthesised kontakt", "Aktivitetsgrupper finns (kontakt Bitti Alvin Lehman).", []string{"Bitti Alvin Lehman|kontakt|"}},
		{"shared remark", "Pirjo Sund och Stina Ek (verksamhetsutvecklare, LRF Dalarna) berättar.",
			[]string{"Pirjo Sund|verksamhetsutvecklare|", "Stina Ek|verksamhetsutvecklare|"}},
		{"two titles, two people", "Rektor Anders Ström och delägaren Kristian Berg berättar.",
			[]string{"Anders Ström|Rektor|", "Kristian Berg|delägaren|"}},
		{"title belongs to the next name", "Rapporten skrevs av Christian Holm, examinator Jan Lind.", []string{"Jan Lind|examinator|"}},
		{"title far before another name", "Projektledare Frida Ek berättade att Arena Skog växer.", []string{"Frida Ek|Projektledare|"}},
		{"works at", "Lars-Göran Berg arbetar också med Testklustret i Dalsland.", []string{"Lars-Göran Berg||Testklustret i Dalsland"}},
		{"leder", "Anna Ragnar leder både holdingbolaget och inkubatorn.", []string{"Anna Ragnar|leder både holdingbolaget och inkubatorn|"}},
		{"no role, no person", "Vi besökte Joel och Olle Linder på gården.", nil},
	}
	runPeopleCases(t, tests)
}

func TestExtractPeopleGroupLists(t *testing.T) {
	tests := []peopleCase{
		{"styrgrupp with organisations", "Styrgrupp: Karl Ek (Region Gotland), Kjell Lund (Länsstyrelsen Gotland), Malin Ström och Therese Dahl (Livsmedelsverket, projektansvarig).",
			[]string{"Karl Ek|styrgruppsledamot|Region Gotland", "Kjell Lund|styrgruppsledamot|Länsstyrelsen Gotland",
				"Malin Ström|styrgruppsledamot|Livsmedelsverket", "Therese Dahl|styrgruppsledamot|Livsmedelsverket"}},
		{"members without organisations", "Medlemmar: Elisabeth Ek, Marie Sand, Ylva Holm.",
			[]string{"Elisabeth Ek|medlem|", "Marie Sand|medlem|", "Ylva Holm|medlem|"}},
		{"label with words before the colon", "Forskare från högskolan deltog: Pia Lind, Henrik Berg och innovationsrådgivaren Hans-Erik Ström.",
			[]string{"Pia Lind|forskare|", "Henrik Berg|forskare|", "Hans-Erik Ström|innovationsrådgivaren|"}},
		{"styrgrupp bl.a. without a colon", "Styrgrupp bl.a. Ingemar Ek (Dalaodlat) och Görgen Lund.",
			[]string{"Ingemar Ek|styrgruppsledamot|Dalaodlat", "Görgen Lund|styrgruppsledamot|"}},
		{"a list after a sentence is not the group", "Talare: Erik Ek (SLU). Sedan kom Anna Holm till gården.",
			[]string{"Erik Ek|talare|SLU"}},
	}
	runPeopleCases(t, tests)
}

func TestExtractPeopleOrganisationAfterPa(t *testing.T) {
	text := "Lars-Göran Berg på Gröna Klustret beskriver tre grenar. Anna Berg på Gotland odlar."
	i := strings.Index(text, "Gröna Klustret")
	people := extractPeople(text, []textSpan{{i, i + len("Gröna Klustret")}})
	if len(people) != 1 || personLine(people[0]) != "Lars-Göran Berg||Gröna Klustret" {
		t.Errorf("people = %+v, want only Lars-Göran Berg at Gröna Klustret (a place is no organisation)", people)
	}
}

func TestExtractPeopleContactTable(t *testing.T) {
	e := entityExtractor(t)
	d := mustExtractFile(t, e, "contact_table.html", "https://testklustret.se/kontakt/", "text/html; charset=utf-8")
	got := map[string]kg.Person{}
	for _, p := range d.People {
		got[p.Name] = p
	}
	want := []kg.Person{
		{Name: "Maja Lindqvist", Role: "Verksamhetsledare", Email: "maja.lindqvist@testklustret.se", Phone: "070-123 45 67"},
		{Name: "Per-Erik Sand", Role: "Projektledare", Email: "per-erik.sand@testklustret.se", Phone: "070-765 43 21"},
		{Name: "Sara Öhman", Role: "Rådgivare", Organisation: "Hushållningssällskapet Halland", Email: "sara.ohman@hush.se"},
	}
	if len(d.People) != len(want) {
		t.Errorf("extracted %d people, want %d: %+v", len(d.People), len(want), d.People)
	}
	for _, w := range want {
		g, ok := got[w.Name]
		if !ok {
			t.Errorf("missing %s", w.Name)
			continue
		}
		if g.Role != w.Role || g.Email != w.Email || g.Phone != w.Phone || g.Organisation != w.Organisation {
			t.Errorf("%s = role %q org %q email %q phone %q, want %q %q %q %q", w.Name, g.Role, g.Organisation, g.Email, g.Phone,
				w.Role, w.Organisation, w.Email, w.Phone)
		}
	}
	// Without an organisation on the cluster's own contact page, the
	// person works at the cluster.
	if p := got["Maja Lindqvist"]; p.ClusterID != "testklustret" {
		t.Errorf("Maja Lindqvist cluster = %q, want testklustret", p.ClusterID)
	}
}

func TestExtractPeopleNewsPage(t *testing.T) {
	e := entityExtractor(t)
	d := mustExtractFile(t, e, "news_people.html", "https://grannklustret.se/nyheter/arsmote/", "text/html; charset=utf-8")
	var got []string
	for _, p := range d.People {
		got = append(got, personLine(p))
	}
	want := []string{
		"Karin Holm|verksamhetschef|",
		"Frida Sand|Projektledare|",
		"Göran Ek|ordförande|Testklustret",
		"Anna Björk|vd|Mejeriet i Dalby AB",
	}
	if strings.Join(got, ";") != strings.Join(want, ";") {
		t.Errorf("people\n got %q\nwant %q", got, want)
	}
	for _, o := range d.Organisations {
		if genericBodies[strings.ToLower(o.Name)] || isFragment(o.Name) {
			t.Errorf("organisation %q is a generic body or a fragment", o.Name)
		}
	}
}

func TestIsRoleWord(t *testing.T) {
	tests := []struct {
		w    string
		want bool
	}{
		{"verksamhetsledare", true}, {"Projektledaren", true}, {"kommunalrådet", true}, {"projektansvarige", true},
		{"näringslivsutvecklare", true}, {"grisbonden", true}, {"vd", true}, {"kontakt", true},
		{"gården", false}, {"odlingen", false}, {"Anna", false}, {"", false},
	}
	for _, tt := range tests {
		if got := isRoleWord(tt.w); got != tt.want {
			t.Errorf("isRoleWord(%q) = %v, want %v", tt.w, got, tt.want)
		}
	}
}

func TestSplitOrgNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Europeiska havs-, fiskeri- och vattenbruksfonden och Region Gotland",
			[]string{"Europeiska havs-, fiskeri- och vattenbruksfonden", "Region Gotland"}},
		{"skogs- och lantbruksföretag, LRF", []string{"skogs- och lantbruksföretag", "LRF"}},
		{"LRF, SLU och RISE", []string{"LRF", "SLU", "RISE"}},
		{"Styrelsen för Gröna Klustret", []string{"Gröna Klustret"}},
		{"Styrelsen, Kansliet", nil},
		{"fiskeri-", nil},
	}
	for _, tt := range tests {
		if got := splitOrgNames(tt.in); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("splitOrgNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLookupOrgClusterPrefix(t *testing.T) {
	e := entityExtractor(t)
	e.once.Do(func() { e.names = clusterNames(e.Registry) })
	tests := []struct {
		name, cluster string
		ok            bool
	}{
		{"Testklustret AB", "testklustret", true},
		{"Testklustret Ekonomisk Förening i Dalsland", "testklustret", true},
		{"Testklustret", "testklustret", true},
		{"Stiftelsen Testklustret", "", false},
		{"Testklustret och Grannklustret", "", false},
	}
	for _, tt := range tests {
		f, ok := e.lookupOrg(tt.name)
		if ok && f.clusterID == "" {
			ok = false
		}
		if ok != tt.ok || ok && f.clusterID != tt.cluster {
			t.Errorf("lookupOrg(%q) = %q, %v; want %q, %v", tt.name, f.clusterID, ok, tt.cluster, tt.ok)
		}
	}
}

// FuzzPeopleBlock runs the people parser over arbitrary text: every
// person it returns is named in the text, with a role, an organisation,
// an e-mail or a phone, and it never panics.
func FuzzPeopleBlock(f *testing.F) {
	for _, s := range []string{
		"Kontakt:\nAnna Berg\nVerksamhetsledare\nanna@klustret.se\n070-123 45 67",
		"Namn | Roll | E-post\nAnna Berg | Projektledare | anna@k.se",
		"Styrgrupp: Karl Ek (Region Gotland), Kjell Lund och Malin Ström (SVA, projektansvarig).",
		"säger Anna Berg, vd för Mejeriet AB. Projektansvarige Olof Lind (",
		"Anna Berg och Per Ek (", " | | ", "Medlemmar: ,,, och ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range extractPeople(s, nil) {
			if p.Name == "" || !strings.Contains(s, p.Name) {
				t.Fatalf("person %q not in text %q", p.Name, s)
			}
			if p.Role == "" && p.Organisation == "" && p.Email == "" && p.Phone == "" {
				t.Fatalf("person %q without role, organisation or contact details", p.Name)
			}
		}
	})
}

func TestPeopleMergeAcrossSites(t *testing.T) {
	e := entityExtractor(t)
	extract := func(url, body string, entry kg.Entry) kg.Document {
		t.Helper()
		d, err := e.Extract(t.Context(), kg.FetchedDoc{URL: url, Status: 200, ContentType: "text/html; charset=utf-8",
			Body: []byte("<html><body><main>" + body + "</main></body></html>"), Entry: entry})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	source := kg.Entry{Kind: kg.EntrySource, ID: "lrf"}
	own := kg.Entry{Kind: kg.EntryCluster, ID: "testklustret"}
	personIDs := func(d kg.Document) map[string]string {
		out := map[string]string{}
		for _, n := range kg.DocumentFacts(d).Nodes {
			if n.Label == kg.LabelPerson {
				out[n.Name] = n.ID
			}
		}
		return out
	}
	// The same person on the cluster's site and on another site, with an
	// organisation that begins with the cluster's name.
	a := personIDs(extract("https://testklustret.se/om/", "<p>Anna Berg, verksamhetsledare på Testklustret, hälsar välkommen.</p>", own))
	b := personIDs(extract("https://lrf.se/nyheter/1/", "<p>Anna Berg, verksamhetsledare på Testklustret ekonomisk förening, talade.</p>", source))
	if a["Anna Berg"] == "" || a["Anna Berg"] != b["Anna Berg"] {
		t.Errorf("same person on two sites: ids %q and %q, want one", a["Anna Berg"], b["Anna Berg"])
	}
	// A namesake at another organisation stays apart.
	c := personIDs(extract("https://lrf.se/nyheter/2/", "<p>Anna Berg, rådgivare på SLU, talade.</p>", source))
	if c["Anna Berg"] == "" || c["Anna Berg"] == a["Anna Berg"] {
		t.Errorf("namesake at SLU has id %q, the cluster's Anna Berg %q: want different", c["Anna Berg"], a["Anna Berg"])
	}
	// A person with no organisation named but the cluster's e-mail
	// address works at the cluster.
	d := personIDs(extract("https://lrf.se/nyheter/3/", "<p>Kontakt:<br>Anna Berg<br>anna.berg@testklustret.se</p>", source))
	if d["Anna Berg"] != a["Anna Berg"] {
		t.Errorf("person with the cluster's e-mail: id %q, want %q", d["Anna Berg"], a["Anna Berg"])
	}
}
