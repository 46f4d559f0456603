package query_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
)

// entityEngine stores a fixture of documents stating people, projects,
// events and organisations, through the same fact sets the extraction
// writes:
//   - Alfa's contact page names Anna Berg (verksamhetsledare at Alfa, with
//     e-mail) and Nils Öst (rådgivare at LRF, no contact details);
//   - Alfa's project page describes Gårdsgas (owned by Alfa, led by Anna
//     Berg, funded by Jordbruksverket, LRF and Beta taking part, about
//     biogas, 2024–2025, so finished by now);
//   - Beta's project page describes Matlyftet (planned, no stated status,
//     2027–2028, about food), and names a second Anna Berg at Beta;
//   - Gamma's event page describes Biogasdagen, organised by LRF.
func entityEngine(t *testing.T) *query.Engine {
	t.Helper()
	st, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	put := func(fs kg.FactSet) {
		t.Helper()
		if _, err := st.ReplaceFacts(ctx, fs); err != nil {
			t.Fatal(err)
		}
	}
	put(kg.RegistryFacts(reg, vocab))
	lrf := kg.OrgMention{ID: "lrf", Name: "LRF", Kind: "association", Written: []string{"Lantbrukarnas Riksförbund"}, Snippet: "LRF"}
	jbv := kg.OrgMention{ID: "jordbruksverket", Name: "Jordbruksverket", Kind: "authority", Snippet: "Jordbruksverket"}
	alfa := kg.OrgMention{ID: "alfa-kluster", Name: "Alfa kluster", ClusterID: "alfa"}
	beta := kg.OrgMention{ID: "beta-kluster", Name: "Beta kluster", ClusterID: "beta"}

	contact := doc("https://alfa.example/kontakt", "Kontakt", kg.KindContact, day(2025, 5, 1), []string{"alfa"})
	contact.Organisations = []kg.OrgMention{lrf, alfa}
	contact.People = []kg.Person{
		{Name: "Anna Berg", Role: "Verksamhetsledare", ClusterID: "alfa", Email: "anna.berg@alfa.example", Phone: "013-12 34 56", Snippet: "Anna Berg, verksamhetsledare"},
		{Name: "Nils Öst", Role: "Rådgivare", Organisation: "LRF", Snippet: "Nils Öst, rådgivare LRF"},
	}

	gas := doc("https://alfa.example/projekt/gardsgas", "Gårdsgas", kg.KindProject, day(2024, 2, 1), []string{"alfa"}, "biogas")
	gas.Organisations = []kg.OrgMention{lrf, jbv, alfa, beta}
	gas.Projects = []kg.Project{{
		Name: "Gårdsgas", Owner: "Alfa kluster", Leader: "Anna Berg", Funders: []string{"Jordbruksverket"},
		Stakeholders: []string{"LRF", "Beta kluster"}, Start: day(2024, 1, 1), End: day(2025, 12, 31),
		Period: "2024–2025", Topics: []string{"biogas"}, Snippet: "Projektägare: Alfa kluster",
	}}
	gas.People = []kg.Person{{Name: "Anna Berg", Role: "Projektledare", ClusterID: "alfa", Snippet: "Projektledare: Anna Berg"}}
	put(kg.DocumentFacts(gas))
	// Written after the project page: a node shows its latest declaration,
	// and the contact page is the one that publishes the contact details.
	put(kg.DocumentFacts(contact))

	mat := doc("https://beta.example/projekt/matlyftet", "Matlyftet", kg.KindProject, day(2026, 1, 10), []string{"beta"}, "food")
	mat.Organisations = []kg.OrgMention{beta}
	mat.Projects = []kg.Project{{
		Name: "Matlyftet", Owner: "Beta kluster", Start: day(2027, 1, 1), End: day(2028, 12, 31),
		Period: "2027–2028", Topics: []string{"food"}, Snippet: "Matlyftet 2027–2028",
	}}
	mat.People = []kg.Person{{Name: "Anna Berg", Role: "Koordinator", ClusterID: "beta", Snippet: "Anna Berg, koordinator"}}
	put(kg.DocumentFacts(mat))

	ev := doc("https://gamma.example/kalender/biogasdagen", "Biogasdagen", kg.KindEvent, day(2026, 4, 2), []string{"gamma"}, "biogas")
	ev.Organisations = []kg.OrgMention{lrf}
	ev.Events = []kg.Event{{Title: "Biogasdagen", Start: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC),
		Organisers: []string{"LRF"}, Topics: []string{"biogas"}, Place: "Lund", Snippet: "Biogasdagen 2 april"}}
	put(kg.DocumentFacts(ev))

	eng, err := query.New(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	eng.Now = func() time.Time { return now }
	return eng
}

func refIDs(refs []query.Ref) []string {
	out := []string{}
	for _, r := range refs {
		out = append(out, r.ID)
	}
	return out
}

func TestPeople(t *testing.T) {
	eng := entityEngine(t)
	ctx := context.Background()
	annaAlfa := "anna-berg@alfa"
	annaBeta := "anna-berg@beta"
	nils := "nils-ost@lrf"
	tests := []struct {
		name   string
		filter query.PersonFilter
		want   []string
	}{
		{"all, by name", query.PersonFilter{}, []string{annaAlfa, annaBeta, nils}},
		{"cluster worked at, or of the page naming them", query.PersonFilter{Cluster: "alfa"}, []string{annaAlfa, nils}},
		{"cluster worked at only", query.PersonFilter{Cluster: "beta"}, []string{annaBeta}},
		{"topic through a led project", query.PersonFilter{Topic: "biogas"}, []string{annaAlfa}},
		{"topic through the page naming them", query.PersonFilter{Topic: "food"}, []string{annaBeta}},
		{"query on the role", query.PersonFilter{Query: "rådgivare"}, []string{nils}},
		{"query folds case and letters", query.PersonFilter{Query: "OST"}, []string{nils}},
		{"query on the organisation", query.PersonFilter{Query: "lrf"}, []string{nils}},
		{"every word must match", query.PersonFilter{Query: "anna koordinator"}, []string{annaBeta}},
		{"no match", query.PersonFilter{Query: "zzz"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := eng.People(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("People(%+v) = %v, want %v", tt.filter, ids, tt.want)
			}
		})
	}

	for _, f := range []query.PersonFilter{{Topic: "nope"}, {Cluster: "nope"}, {Cluster: "biogas"}} {
		if _, err := eng.People(ctx, f); kg.ErrorCode(err) != kg.ENOTFOUND {
			t.Errorf("People(%+v) error = %v, want ENOTFOUND", f, err)
		}
	}

	p, err := eng.Person(ctx, annaAlfa)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Anna Berg" || p.Email != "anna.berg@alfa.example" || p.Phone != "013-12 34 56" {
		t.Errorf("person = %+v", p)
	}
	if p.URL != "https://alfa.example/kontakt" || p.Role != "Verksamhetsledare" {
		t.Errorf("URL %q, role %q: want the contact page's", p.URL, p.Role)
	}
	if got := refIDs(p.Leads); !slices.Equal(got, []string{"gardsgas"}) {
		t.Errorf("leads %v", got)
	}
	if got := refIDs(p.Clusters); !slices.Equal(got, []string{"alfa"}) {
		t.Errorf("clusters %v", got)
	}
	var roles []string
	for _, a := range p.WorksAt {
		roles = append(roles, a.ID+"/"+a.Role)
		if len(a.Evidence) == 0 {
			t.Errorf("affiliation %s has no evidence", a.ID)
		}
	}
	slices.Sort(roles)
	if !slices.Equal(roles, []string{"alfa/Verksamhetsledare"}) {
		t.Errorf("roles %v", roles)
	}
	var urls []string
	for _, e := range p.Evidence {
		urls = append(urls, e.URL)
		if e.Snippet == "" {
			t.Errorf("evidence %s has no snippet", e.URL)
		}
	}
	slices.Sort(urls)
	if !slices.Equal(urls, []string{"https://alfa.example/kontakt", "https://alfa.example/projekt/gardsgas"}) {
		t.Errorf("evidence %v", urls)
	}

	n, err := eng.Person(ctx, nils)
	if err != nil {
		t.Fatal(err)
	}
	if n.Email != "" || n.Phone != "" || n.Role != "Rådgivare" {
		t.Errorf("a person without published contact details: %+v", n)
	}
	if got := refIDs(n.Organisations); !slices.Equal(got, []string{"lrf"}) {
		t.Errorf("organisations %v", got)
	}
	if got := refIDs(n.Clusters); !slices.Equal(got, []string{"alfa"}) {
		t.Errorf("clusters of the page naming him: %v", got)
	}

	for _, id := range []string{"nobody@alfa", "", "gardsgas"} {
		if _, err := eng.Person(ctx, id); kg.ErrorCode(err) != kg.ENOTFOUND {
			t.Errorf("Person(%q) error = %v, want ENOTFOUND", id, err)
		}
	}
}

func TestProjects(t *testing.T) {
	eng := entityEngine(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		filter query.ProjectFilter
		want   []string
	}{
		{"all", query.ProjectFilter{}, []string{"gardsgas", "matlyftet"}},
		{"owning cluster", query.ProjectFilter{Cluster: "alfa"}, []string{"gardsgas"}},
		{"participating cluster", query.ProjectFilter{Cluster: "beta"}, []string{"gardsgas", "matlyftet"}},
		{"no project", query.ProjectFilter{Cluster: "gamma"}, nil},
		{"topic", query.ProjectFilter{Topic: "food"}, []string{"matlyftet"}},
		{"finished from the period", query.ProjectFilter{Status: kg.StatusFinished}, []string{"gardsgas"}},
		{"planned from the period", query.ProjectFilter{Status: kg.StatusPlanned}, []string{"matlyftet"}},
		{"ongoing", query.ProjectFilter{Status: kg.StatusOngoing}, nil},
		{"query on the funder", query.ProjectFilter{Query: "jordbruksverket"}, []string{"gardsgas"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := eng.Projects(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("Projects(%+v) = %v, want %v", tt.filter, ids, tt.want)
			}
		})
	}
	if _, err := eng.Projects(ctx, query.ProjectFilter{Status: "pågår"}); kg.ErrorCode(err) != kg.EINVALID {
		t.Errorf("unknown status: %v, want EINVALID", err)
	}
	if _, err := eng.Projects(ctx, query.ProjectFilter{Topic: "nope"}); kg.ErrorCode(err) != kg.ENOTFOUND {
		t.Errorf("unknown topic: %v, want ENOTFOUND", err)
	}

	p, err := eng.Project(ctx, "gardsgas")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what      string
		got, want []string
	}{
		{"owners", refIDs(p.Owners), []string{"alfa"}},
		{"leaders", refIDs(p.Leaders), []string{"anna-berg@alfa"}},
		{"funders", refIDs(p.Funders), []string{"jordbruksverket"}},
		{"participants", refIDs(p.Participants), []string{"beta", "lrf"}},
		{"clusters", refIDs(p.Clusters), []string{"alfa", "beta"}},
	}
	for _, c := range checks {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if p.Period != "2024–2025" || p.Status != kg.StatusFinished || p.URL != "https://alfa.example/projekt/gardsgas" {
		t.Errorf("project = %+v", p)
	}
	if !p.Start.Equal(day(2024, 1, 1)) || !p.End.Equal(day(2025, 12, 31)) {
		t.Errorf("period %v–%v", p.Start, p.End)
	}
	if len(p.Topics) != 1 || p.Topics[0].ID != "biogas" || p.Topics[0].EN != "Biogas" {
		t.Errorf("topics %+v", p.Topics)
	}
	if len(p.Evidence) != 1 || p.Evidence[0].URL != "https://alfa.example/projekt/gardsgas" || p.Evidence[0].Snippet == "" {
		t.Errorf("evidence %+v", p.Evidence)
	}
	if _, err := eng.Project(ctx, "nope"); kg.ErrorCode(err) != kg.ENOTFOUND {
		t.Errorf("unknown project: %v", err)
	}
}

func TestOrganisation(t *testing.T) {
	eng := entityEngine(t)
	ctx := context.Background()
	o, err := eng.Organisation(ctx, "lrf")
	if err != nil {
		t.Fatal(err)
	}
	if o.Name != "LRF" || o.Kind != "association" {
		t.Errorf("organisation = %+v", o)
	}
	if len(o.People) != 1 || o.People[0].ID != "nils-ost@lrf" || o.People[0].Role != "Rådgivare" {
		t.Errorf("people %+v", o.People)
	}
	checks := []struct {
		what      string
		got, want []string
	}{
		{"takes part in", refIDs(o.TakesPartIn), []string{"gardsgas"}},
		{"organises", refIDs(o.Organises), []string{"biogasdagen@2026-04-02"}},
		{"owns", refIDs(o.Owns), []string{}},
		{"collaborators", refIDs(o.Collaborators), []string{"alfa", "beta"}},
	}
	for _, c := range checks {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	var urls []string
	for _, e := range o.Evidence {
		urls = append(urls, e.URL)
	}
	slices.Sort(urls)
	want := []string{"https://alfa.example/kontakt", "https://alfa.example/projekt/gardsgas", "https://gamma.example/kalender/biogasdagen"}
	if !slices.Equal(urls, want) {
		t.Errorf("evidence %v, want %v", urls, want)
	}

	j, err := eng.Organisation(ctx, "jordbruksverket")
	if err != nil {
		t.Fatal(err)
	}
	if got := refIDs(j.Funds); !slices.Equal(got, []string{"gardsgas"}) {
		t.Errorf("funds %v", got)
	}
	for _, id := range []string{"nope", "alfa", "alfa-kluster"} {
		if _, err := eng.Organisation(ctx, id); kg.ErrorCode(err) != kg.ENOTFOUND {
			t.Errorf("Organisation(%q) = %v, want ENOTFOUND", id, err)
		}
	}
}
