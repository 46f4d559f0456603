package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/mock"
)

// mustEntityServer is a server over an embedded graph holding a contact
// page with three people (one at LRF, without contact details), a project
// page and 25 event pages, so that the event list has more than one page.
func mustEntityServer(t *testing.T) http.Handler {
	t.Helper()
	st, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	reg := kg.Registry{Clusters: []kg.Cluster{
		{ID: "fjallmat", Name: "Fjällmat Kluster", County: "Jämtlands län", Sites: []string{"https://fjallmat.example/"}},
		{ID: "slattbygd", Name: "Slättbygdens Nod", County: "Skåne län"},
	}}
	topics := []kg.Topic{{ID: "biogas", SV: "Biogas", EN: "Biogas"}, {ID: "mjolk", SV: "Mjölk", EN: "Dairy"}}
	facts := []kg.FactSet{kg.RegistryFacts(reg, topics)}
	lrf := kg.OrgMention{ID: "lrf", Name: "LRF", Kind: "interest", Snippet: "LRF"}
	newDoc := func(url, title, kind string) kg.Document {
		return kg.Document{ID: kg.DocumentID(url), URL: url, Host: "fjallmat.example", Title: title, Kind: kind,
			Date: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Clusters: []string{"fjallmat"}}
	}
	contact := newDoc("https://fjallmat.example/kontakt", "Kontakt", kg.KindContact)
	contact.Organisations = []kg.OrgMention{lrf}
	contact.People = []kg.Person{
		{Name: "Åsa Fjäll", Role: "Verksamhetsledare", ClusterID: "fjallmat", Email: "asa@fjallmat.example", Phone: "063-10 20 30", Snippet: "Åsa Fjäll, verksamhetsledare"},
		{Name: "Bo Ek", Role: "Projektledare", ClusterID: "fjallmat", Snippet: "Bo Ek, projektledare"},
		{Name: "Cilla Lund", Role: "Rådgivare", Organisation: "LRF", Snippet: "Cilla Lund, rådgivare på LRF"},
	}
	project := newDoc("https://fjallmat.example/projekt/godselgas", "Gödselgas", kg.KindProject)
	project.Topics = []kg.TopicMatch{{TopicID: "biogas", Snippet: "rötning av gödsel"}}
	project.Organisations = []kg.OrgMention{lrf, {ID: "jordbruksverket", Name: "Jordbruksverket", Kind: "authority", Snippet: "Jordbruksverket"}}
	project.People = []kg.Person{{Name: "Bo Ek", Role: "Projektledare", ClusterID: "fjallmat", Snippet: "Projektledare: Bo Ek"}}
	project.Projects = []kg.Project{{Name: "Gödselgas", Owner: "LRF", Leader: "Bo Ek", Funders: []string{"Jordbruksverket"},
		Period: "240501-260430", Start: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC),
		Status: kg.StatusFinished, Topics: []string{"biogas"}, Snippet: "Projektägare: LRF"}}
	facts = append(facts, kg.DocumentFacts(contact), kg.DocumentFacts(project))
	for i := range 25 {
		d := newDoc(fmt.Sprintf("https://fjallmat.example/kalender/%02d", i), fmt.Sprintf("Träff %02d", i), kg.KindEvent)
		start := time.Date(2027, 1, 1+i, 9, 0, 0, 0, time.UTC)
		d.Events = []kg.Event{{Title: d.Title, Start: start, Place: "Östersund", Topics: []string{"mjolk"}, Snippet: d.Title + " i Östersund"}}
		facts = append(facts, kg.DocumentFacts(d))
	}
	for _, fs := range facts {
		if _, err := st.ReplaceFacts(ctx, fs); err != nil {
			t.Fatal(err)
		}
	}
	h, err := (&api.Server{Graph: st, Search: &mock.Searcher{}}).Handler()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type refBody struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

type evidenceBody struct {
	URL     string `json:"url"`
	Snippet string `json:"snippet"`
}

type personBody struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Email     *string   `json:"email"`
	Phone     *string   `json:"phone"`
	SourceURL string    `json:"source_url"`
	Page      string    `json:"page"`
	Leads     []refBody `json:"leads"`
	WorksAt   []struct {
		refBody
		Role string `json:"role"`
	} `json:"works_at"`
	Evidence []evidenceBody `json:"evidence"`
}

type listBody struct {
	Total    int          `json:"total"`
	Page     int          `json:"page"`
	Size     int          `json:"size"`
	People   []personBody `json:"people"`
	Projects []struct {
		ID       string         `json:"id"`
		Status   string         `json:"status"`
		Start    string         `json:"start"`
		Owners   []refBody      `json:"owners"`
		Leaders  []refBody      `json:"leaders"`
		Funders  []refBody      `json:"funders"`
		Evidence []evidenceBody `json:"evidence"`
	} `json:"projects"`
	Events []struct {
		ID       string         `json:"id"`
		Start    string         `json:"start"`
		Page     string         `json:"page"`
		Evidence []evidenceBody `json:"evidence"`
	} `json:"events"`
}

func TestEntityLists(t *testing.T) {
	h := mustEntityServer(t)
	tests := []struct {
		target string
		total  int
		ids    []string
	}{
		{"/api/v1/people", 3, []string{"bo-ek@fjallmat", "cilla-lund@lrf", "asa-fjall@fjallmat"}}, // Swedish order: Å after Z
		{"/api/v1/people?q=r%C3%A5dgivare", 1, []string{"cilla-lund@lrf"}},
		{"/api/v1/people?topic=biogas", 1, []string{"bo-ek@fjallmat"}},
		{"/api/v1/people?cluster=slattbygd", 0, nil},
		{"/api/v1/people?size=2&page=2", 3, []string{"asa-fjall@fjallmat"}},
		{"/api/v1/people?size=2&page=9", 3, nil},
		{"/api/v1/projects", 1, []string{"godselgas"}},
		{"/api/v1/projects?status=finished&topic=biogas&cluster=fjallmat", 1, []string{"godselgas"}},
		{"/api/v1/projects?status=ongoing", 0, nil},
		{"/api/v1/events", 25, []string{"traff-00@2027-01-01"}},
		{"/api/v1/events?from=2027-01-10&to=2027-01-11", 2, []string{"traff-09@2027-01-10", "traff-10@2027-01-11"}},
		{"/api/v1/events?topic=biogas", 0, nil},
		{"/api/v1/events?page=2", 25, []string{"traff-20@2027-01-21"}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := do(t, h, http.MethodGet, tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			b := decode[listBody](t, rec)
			if b.Total != tt.total {
				t.Errorf("total %d, want %d", b.Total, tt.total)
			}
			var ids []string
			for _, p := range b.People {
				ids = append(ids, p.ID)
				if len(p.Evidence) == 0 || p.SourceURL == "" {
					t.Errorf("person %s without evidence or source", p.ID)
				}
			}
			for _, p := range b.Projects {
				ids = append(ids, p.ID)
				if len(p.Evidence) == 0 {
					t.Errorf("project %s without evidence", p.ID)
				}
			}
			for _, e := range b.Events {
				ids = append(ids, e.ID)
				if len(e.Evidence) == 0 || e.Page != "/calendar/"+e.ID {
					t.Errorf("event %s: evidence %v, page %q", e.ID, e.Evidence, e.Page)
				}
			}
			if b.Total == 25 && len(ids) > 1 {
				ids = ids[:1] // the first of a page of events is enough
			}
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("ids %v, want %v", ids, tt.ids)
			}
		})
	}
}

func TestEntityDetails(t *testing.T) {
	h := mustEntityServer(t)

	p := decode[personBody](t, do(t, h, http.MethodGet, "/api/v1/people/asa-fjall@fjallmat"))
	if p.Name != "Åsa Fjäll" || p.Role != "Verksamhetsledare" || p.Email == nil || *p.Email != "asa@fjallmat.example" ||
		p.Phone == nil || *p.Phone != "063-10 20 30" || p.SourceURL != "https://fjallmat.example/kontakt" || p.Page != "/people/asa-fjall@fjallmat" {
		t.Errorf("person %+v", p)
	}
	if len(p.Evidence) != 1 || p.Evidence[0].Snippet != "Åsa Fjäll, verksamhetsledare" {
		t.Errorf("evidence %+v", p.Evidence)
	}
	c := decode[personBody](t, do(t, h, http.MethodGet, "/api/v1/people/cilla-lund@lrf"))
	if c.Email != nil || c.Phone != nil {
		t.Errorf("unpublished contact details shown: %+v", c)
	}
	if len(c.WorksAt) != 1 || c.WorksAt[0].ID != "lrf" || c.WorksAt[0].Kind != "organisation" || c.WorksAt[0].Role != "Rådgivare" {
		t.Errorf("works at %+v", c.WorksAt)
	}
	b := decode[personBody](t, do(t, h, http.MethodGet, "/api/v1/people/bo-ek@fjallmat"))
	if len(b.Leads) != 1 || b.Leads[0].ID != "godselgas" {
		t.Errorf("leads %+v", b.Leads)
	}

	type projectBody struct {
		Period  string    `json:"period"`
		Start   string    `json:"start"`
		End     string    `json:"end"`
		Status  string    `json:"status"`
		Owners  []refBody `json:"owners"`
		Leaders []refBody `json:"leaders"`
		Funders []refBody `json:"funders"`
	}
	proj := decode[projectBody](t, do(t, h, http.MethodGet, "/api/v1/projects/godselgas"))
	if proj.Period != "240501-260430" || proj.Start != "2024-05-01" || proj.End != "2026-04-30" || proj.Status != "finished" {
		t.Errorf("project %+v", proj)
	}
	if len(proj.Owners) != 1 || proj.Owners[0].ID != "lrf" || len(proj.Leaders) != 1 || proj.Leaders[0].ID != "bo-ek@fjallmat" ||
		len(proj.Funders) != 1 || proj.Funders[0].ID != "jordbruksverket" {
		t.Errorf("project %+v", proj)
	}

	type orgBody struct {
		Name    string    `json:"name"`
		OrgKind string    `json:"org_kind"`
		Owns    []refBody `json:"owns"`
		People  []refBody `json:"people"`
	}
	org := decode[orgBody](t, do(t, h, http.MethodGet, "/api/v1/organisations/lrf"))
	if org.Name != "LRF" || org.OrgKind != "interest" || len(org.Owns) != 1 || len(org.People) != 1 || org.People[0].ID != "cilla-lund@lrf" {
		t.Errorf("organisation %+v", org)
	}

	type eventBody struct {
		Name  string `json:"name"`
		Start string `json:"start"`
		Place string `json:"place"`
	}
	ev := decode[eventBody](t, do(t, h, http.MethodGet, "/api/v1/events/traff-03@2027-01-04"))
	if ev.Name != "Träff 03" || ev.Start != "2027-01-04T09:00:00Z" || ev.Place != "Östersund" {
		t.Errorf("event %+v", ev)
	}
}

func TestEntityErrors(t *testing.T) {
	h := mustEntityServer(t)
	tests := []struct {
		target string
		status int
		code   string
		msg    string
	}{
		{"/api/v1/people?name=x", 400, "invalid", `unknown query parameter "name"`},
		{"/api/v1/people?size=101", 400, "invalid", "size must be between 1 and 100"},
		{"/api/v1/people?page=0", 400, "invalid", "page must be between"},
		{"/api/v1/people?page=x", 400, "invalid", "page must be an integer"},
		{"/api/v1/people?topic=nope", 404, "not_found", `topic "nope" not found`},
		{"/api/v1/people?cluster=biogas", 404, "not_found", `cluster "biogas" not found`},
		{"/api/v1/projects?status=p%C3%A5g%C3%A5ende", 400, "invalid", "status must be ongoing, finished or planned"},
		{"/api/v1/projects?cluster=nope", 404, "not_found", `cluster "nope" not found`},
		{"/api/v1/events?from=2027-13-01", 400, "invalid", "from must be a date"},
		{"/api/v1/events?from=2027-02-01&to=2027-01-01", 400, "invalid", "to must not be before from"},
		{"/api/v1/events?topic=nope", 404, "not_found", `topic "nope" not found`},
		{"/api/v1/events?when=all", 400, "invalid", `unknown query parameter "when"`},
		{"/api/v1/people/nobody@nowhere", 404, "not_found", "not found"},
		{"/api/v1/people/asa-fjall@fjallmat?x=1", 400, "invalid", "takes none"},
		{"/api/v1/projects/nope", 404, "not_found", `project "nope" not found`},
		{"/api/v1/events/nope@2027-01-01", 404, "not_found", "not found"},
		{"/api/v1/organisations/fjallmat", 404, "not_found", `organisation "fjallmat" not found`},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			wantError(t, do(t, h, http.MethodGet, tt.target), tt.status, tt.code, tt.msg)
		})
	}
}

func TestEntityPages(t *testing.T) {
	h := mustEntityServer(t)
	tests := []struct {
		target string
		status int
		want   []string
		not    []string
	}{
		{"/people", 200, []string{`<html lang="sv">`, "<h1>Personer</h1>", `<a href="/people" aria-current="page">Personer</a>`, `href="/people/asa-fjall@fjallmat"`, "3 personer", `<label for="q">`, `href="/api/v1/people"`}, nil},
		{"/people?lang=en&cluster=fjallmat", 200, []string{`<html lang="en">`, "<h1>People</h1>", `<option value="fjallmat" selected>`, `href="/api/v1/people?cluster=fjallmat"`}, []string{"Personer"}},
		{"/people?topic=nope&bogus=1", 404, []string{`role="alert"`, `topic &#34;nope&#34; not found`}, nil},
		{"/people/asa-fjall@fjallmat", 200, []string{"<h1>Åsa Fjäll</h1>", `href="mailto:asa@fjallmat.example"`, "063-10 20 30", `href="/clusters/fjallmat"`, `<blockquote cite="https://fjallmat.example/kontakt">`}, nil},
		{"/people/cilla-lund@lrf", 200, []string{`href="/organisations/lrf"`, "Rådgivare"}, []string{"mailto:"}},
		{"/people/nobody", 404, []string{"Det finns ingen person med id"}, nil},
		{"/projects", 200, []string{"<h1>Projekt</h1>", `<a href="/projects" aria-current="page">Projekt</a>`, `href="/projects/godselgas"`, "Avslutat", `<option value="finished">`}, nil},
		{"/projects?status=ongoing", 200, []string{"Inga projekt matchar."}, nil},
		{"/projects?status=bad", 400, []string{"status must be ongoing"}, nil},
		{"/projects/godselgas?lang=en", 200, []string{"<h1>Gödselgas</h1>", "Finished", "240501-260430", `href="/people/bo-ek@fjallmat"`, `href="/organisations/jordbruksverket"`, `href="/topics/biogas"`}, nil},
		{"/projects/nope", 404, []string{"Det finns inget projekt med id"}, nil},
		{"/organisations/lrf", 200, []string{"<h1>LRF</h1>", "Intresseorganisation", `href="/people/cilla-lund@lrf"`, `href="/projects/godselgas"`}, nil},
		{"/organisations/nope", 404, []string{"Det finns ingen organisation med id"}, nil},
		{"/clusters/fjallmat", 200, []string{`href="/people?cluster=fjallmat"`, `href="/projects?cluster=fjallmat"`}, nil},
		{"/topics/biogas", 200, []string{`href="/people?topic=biogas"`, `href="/projects?topic=biogas"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			wantHTML(t, do(t, h, http.MethodGet, tt.target), tt.status, tt.want, tt.not...)
		})
	}
}

func TestEntityPager(t *testing.T) {
	h := mustEntityServer(t)
	wantHTML(t, do(t, h, http.MethodGet, "/people?size=1&page=2&q=fj"), 200, []string{
		"2 personer", `<p>Sida 2 av 2</p>`, `href="/people?q=fj&amp;size=1" rel="prev"`, `aria-current="page"`, `href="/people/asa-fjall@fjallmat"`,
	}, `rel="next"`, "bo-ek@")
}
