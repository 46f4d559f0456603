package kg

import "testing"

func TestDocumentFactsEntities(t *testing.T) {
	d := Document{ID: DocumentID("https://k.se/p"), URL: "https://k.se/p", Host: "k.se", Kind: KindProject,
		Clusters: []string{"k"}, ContentHash: "h",
		Organisations: []OrgMention{
			{ID: "lrf", Name: "LRF", Written: []string{"LRF"}},
			{ID: "k", Name: "Klustret", ClusterID: "k", Written: []string{"Klustret"}},
			{ID: "slu", Name: "SLU", Partner: true, Snippet: "i samarbete med SLU"},
		},
		People: []Person{
			{Name: "Anna Ek", Role: "projektledare", ClusterID: "k", Email: "anna@k.se", MergedFrom: []string{"Anna Eek | | | anna@k.se"}},
			{Name: "Anna Ek", Role: "rådgivare", Organisation: "LRF"}, // a namesake elsewhere
		},
		Projects: []Project{{Name: "Mer mat", Owner: "Klustret", Leader: "Anna Ek", Funders: []string{"LRF"},
			Stakeholders: []string{"Okänd förening"}, Status: StatusOngoing, Topics: []string{"food"}}},
		Events: []Event{{Title: "Fältdag", Organisers: []string{"Klustret", "LRF"}}},
	}
	fs := DocumentFacts(d)
	edges := map[[3]string]Edge{}
	for _, e := range fs.Edges {
		edges[[3]string{e.From, e.Rel, e.To}] = e
	}
	nodes := map[string]Node{}
	for _, n := range fs.Nodes {
		nodes[n.ID] = n
	}
	anna, namesake := PersonNodeID("Anna Ek", "k"), PersonNodeID("Anna Ek", "lrf")
	proj, ev := ProjectNodeID("Mer mat"), EventNodeID("Fältdag", d.Date)
	for _, want := range [][3]string{
		{anna, RelWorksAt, "cluster:k"},
		{namesake, RelWorksAt, "org:lrf"},
		{anna, RelLeads, proj},
		{proj, RelOwnedBy, "cluster:k"},
		{"org:lrf", RelFunds, proj},
		{"org:okand-forening", RelTakesPartIn, proj},
		{proj, RelAbout, "topic:food"},
		{ev, RelOrganisedBy, "cluster:k"},
		{ev, RelOrganisedBy, "org:lrf"},
		{"cluster:k", RelCollaboratesWith, "org:okand-forening"},
		{"cluster:k", RelCollaboratesWith, "org:lrf"},
		{"cluster:k", RelCollaboratesWith, "org:slu"},
		{d.ID, RelMentions, "org:lrf"},
		{d.ID, RelMentions, anna},
	} {
		if _, ok := edges[want]; !ok {
			t.Errorf("missing edge %v", want)
		}
	}
	if got := edges[[3]string{anna, RelWorksAt, "cluster:k"}].Props[PropRole]; got != "projektledare" {
		t.Errorf("role on WORKS_AT = %q", got)
	}
	if got := edges[[3]string{"cluster:k", RelCollaboratesWith, "org:slu"}]; got.Props[PropBasis] != BasisStatement || got.Snippet == "" {
		t.Errorf("stated partnership edge = %+v", got)
	}
	if n := nodes[anna]; n.Props[PropEmail] != "anna@k.se" || n.Props[PropMergedFrom] == "" || n.Label != LabelPerson {
		t.Errorf("person node = %+v", n)
	}
	if nodes[namesake].Props[PropEmail] != "" {
		t.Error("an e-mail reached a person who did not publish one")
	}
	if nodes[proj].Props[PropStatus] != StatusOngoing || nodes["org:okand-forening"].Label != LabelOrganisation {
		t.Errorf("nodes = %+v", nodes)
	}
	for _, e := range fs.Edges {
		if e.From == "" || e.To == "" || e.From == e.To {
			t.Errorf("bad edge %+v", e)
		}
	}
}

func TestSplitNames(t *testing.T) {
	got := SplitNames("LRF, Region Skåne och SLU; RISE & Vinnova")
	want := []string{"LRF", "Region Skåne", "SLU", "RISE", "Vinnova"}
	if len(got) != len(want) {
		t.Fatalf("SplitNames = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("SplitNames[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}
