package kg

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestEvidenceWeightCountsDistinctDocumentsByKind(t *testing.T) {
	tests := []struct {
		name string
		ev   []Evidence
		want float64
	}{
		{"none", nil, 0},
		{"project", []Evidence{{DocumentID: "a", Kind: KindProject}}, 3},
		{"same document twice", []Evidence{{DocumentID: "a", Kind: KindNews}, {DocumentID: "a", Kind: KindNews}}, 1.5},
		{"mixed", []Evidence{{DocumentID: "a", Kind: KindReport}, {DocumentID: "b", Kind: KindOther}, {DocumentID: "c", Kind: "unknown"}}, 4.5},
	}
	for _, tt := range tests {
		if got := EvidenceWeight(tt.ev); got != tt.want {
			t.Errorf("%s: EvidenceWeight = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSortEvidence(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse("2006-01-02", s); return v }
	ev := []Evidence{
		{URL: "c", Kind: KindNews, Date: d("2024-01-01")},
		{URL: "b", Kind: KindProject},
		{URL: "a", Kind: KindNews, Date: d("2025-01-01")},
		{URL: "d", Kind: KindNews, Date: d("2025-01-01")},
	}
	SortEvidence(ev)
	got := fmt.Sprint(ev[0].URL, ev[1].URL, ev[2].URL, ev[3].URL)
	if got != "badc" {
		t.Errorf("order = %s, want badc (kind, then newest, then URL)", got)
	}
}

func TestSearchRequestValidate(t *testing.T) {
	tests := []struct {
		req  SearchRequest
		ok   bool
		page int
		size int
	}{
		{SearchRequest{}, true, 1, DefaultPageSize},
		{SearchRequest{Page: 3, Size: 100}, true, 3, 100},
		{SearchRequest{Size: 101}, false, 0, 0},
		{SearchRequest{Page: -1}, false, 0, 0},
		{SearchRequest{Kind: "blog"}, false, 0, 0},
		{SearchRequest{Lang: "de"}, false, 0, 0},
		{SearchRequest{Query: string(make([]byte, MaxQueryLength+1))}, false, 0, 0},
	}
	for _, tt := range tests {
		r := tt.req
		err := r.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%+v: Validate() = %v", tt.req, err)
			continue
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("%+v: code %q, want %q", tt.req, ErrorCode(err), EINVALID)
		}
		if tt.ok && (r.Page != tt.page || r.Size != tt.size) {
			t.Errorf("%+v: defaults page=%d size=%d", tt.req, r.Page, r.Size)
		}
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	wrapped := fmt.Errorf("reading cluster: %w", Errorf(ENOTFOUND, "cluster %q not found", "x"))
	if ErrorCode(wrapped) != ENOTFOUND || ErrorMessage(wrapped) != `cluster "x" not found` {
		t.Errorf("wrapped application error lost: %q %q", ErrorCode(wrapped), ErrorMessage(wrapped))
	}
	plain := errors.New("disk on fire")
	if ErrorCode(plain) != EINTERNAL || ErrorMessage(plain) != "Internal error." {
		t.Errorf("plain error leaked: %q %q", ErrorCode(plain), ErrorMessage(plain))
	}
	if ErrorCode(nil) != "" {
		t.Error("nil error has a code")
	}
}

func TestDocumentFactsLinkClustersToTopics(t *testing.T) {
	doc := Document{ID: DocumentID("https://a.se/x"), URL: "https://a.se/x", Host: "a.se", Title: "Biogas",
		Kind: KindNews, Clusters: []string{"a", "b"}, ContentHash: "h",
		Topics: []TopicMatch{{TopicID: "bioenergy", Snippet: "biogas"}}}
	fs := DocumentFacts(doc)
	count := map[string]int{}
	for _, e := range fs.Edges {
		count[e.Rel]++
	}
	if count[RelWorksOn] != 2 || count[RelMentions] != 3 || count[RelPublishedOn] != 1 {
		t.Errorf("edges by type = %v", count)
	}
	if fs.Hash != "h" || fs.SourceID != doc.ID {
		t.Errorf("fact set identity = %q %q", fs.SourceID, fs.Hash)
	}
	reg := Registry{Clusters: []Cluster{{ID: "a", Name: "A", County: "X län"}, {ID: "b", Name: "B", County: "X län"}}}
	rf := RegistryFacts(reg, nil)
	if len(rf.Nodes) != 3 || rf.Hash == "" || rf.Hash != RegistryFacts(reg, nil).Hash {
		t.Errorf("registry facts: %d nodes, hash %q (must be stable)", len(rf.Nodes), rf.Hash)
	}
	reg.Clusters[0].Name = "A2"
	if RegistryFacts(reg, nil).Hash == rf.Hash {
		t.Error("registry hash did not change with a cluster's name")
	}
}

func TestSlugAndEntityIDs(t *testing.T) {
	tests := map[string]string{
		"Ängsmarkens Gröna Kluster": "angsmarkens-grona-kluster",
		"  LRF – Skåne!  ":          "lrf-skane",
		"Hushållningssällskapet":    "hushallningssallskapet",
		"":                          "",
	}
	for in, want := range tests {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	if PersonNodeID("Anna Öberg", "Agroväst") != PersonNodeID("anna  öberg", "AGROVÄST") {
		t.Error("the same person at the same organisation got two ids")
	}
	if PersonNodeID("Anna Öberg", "Agroväst") == PersonNodeID("Anna Öberg", "LRF") {
		t.Error("namesakes at different organisations share an id")
	}
}

// TestProjectLeaderMergesWithContactPagePerson checks that a person a
// cluster's project page names only as leader gets the same id as the same
// person on that cluster's contact page, and that a source site's mention
// stays apart.
func TestProjectLeaderMergesWithContactPagePerson(t *testing.T) {
	contact := Document{ID: DocumentID("https://a.se/kontakt"), URL: "https://a.se/kontakt", Host: "a.se",
		EntryKind: EntryCluster, EntryID: "a", ContentHash: "c",
		People: []Person{{Name: "Petra Vallgren", Role: "projektledare", ClusterID: "a"}}}
	project := Document{ID: DocumentID("https://a.se/projekt/x"), URL: "https://a.se/projekt/x", Host: "a.se",
		EntryKind: EntryCluster, EntryID: "a", ContentHash: "p",
		Projects: []Project{{Name: "X", Leader: "Petra Vallgren"}}}
	source := Document{ID: DocumentID("https://n.se/nyhet"), URL: "https://n.se/nyhet", Host: "n.se",
		EntryKind: EntrySource, EntryID: "n", ContentHash: "s",
		Projects: []Project{{Name: "Y", Leader: "Petra Vallgren"}}}
	persons := func(d Document) []string {
		var ids []string
		for _, n := range DocumentFacts(d).Nodes {
			if n.Label == LabelPerson {
				ids = append(ids, n.ID)
			}
		}
		return ids
	}
	want := PersonNodeID("Petra Vallgren", "a")
	if got := persons(contact); len(got) != 1 || got[0] != want {
		t.Fatalf("contact page people = %v, want [%s]", got, want)
	}
	if got := persons(project); len(got) != 1 || got[0] != want {
		t.Errorf("project page leader = %v, want the contact page's %s", got, want)
	}
	if got := persons(source); len(got) != 1 || got[0] == want {
		t.Errorf("a source site's leader = %v, must not be taken for the cluster's %s", got, want)
	}
}
