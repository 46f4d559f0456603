package privacy_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/privacy"
)

// store is a data directory: the embedded graph, the Bleve index and the
// suppression list, with the write path filtered as the crawl writes.
type store struct {
	graph  *embedded.Store
	index  *index.Index
	list   *privacy.List
	closed bool
}

func openStore(t *testing.T, dir string) *store {
	t.Helper()
	g, err := embedded.Open(filepath.Join(dir, "graph"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(dir, "index"))
	if err != nil {
		g.Close()
		t.Fatal(err)
	}
	l, err := privacy.Open(filepath.Join(dir, privacy.FileName))
	if err != nil {
		t.Fatal(err)
	}
	s := &store{graph: g, index: ix, list: l}
	t.Cleanup(func() { s.close() })
	reg := kg.Registry{Clusters: []kg.Cluster{{ID: cluster, Name: "Ängsmarkens kluster", County: "Östergötlands län"}}}
	topics := []kg.Topic{{ID: "preparedness", SV: "Beredskap", EN: "Preparedness", Terms: []string{"beredskap"}}}
	if _, err := g.ReplaceFacts(context.Background(), kg.RegistryFacts(reg, topics)); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *store) close() {
	if s.closed {
		return
	}
	s.closed = true
	s.index.Close()
	s.graph.Close()
}

const (
	site    = "https://angsmarken.example"
	name    = "Karin Ödlund-Sjö"
	email   = "karin.odlund@angsmarken.example"
	cluster = "angsmarken"
)

// personID is the id the graph gives the person, as the facts of a page
// that names them say.
var personID = func() string {
	_, fs := page("/kontakt", "Kontakt", name, true)
	for _, n := range fs.Nodes {
		if n.Label == kg.LabelPerson {
			return n.ID
		}
	}
	panic("the facts of a page with a person have no Person node")
}()

// page is one crawled page: its document and the facts it supports, with
// the people on it.
func page(path, title, text string, withPerson bool) (kg.IndexDoc, kg.FactSet) {
	d := kg.Document{ID: kg.DocumentID(site + path), URL: site + path, Host: "angsmarken.example", Title: title, Text: text,
		Lang: "sv", Kind: kg.KindContact, Clusters: []string{cluster}, ContentHash: "hash-of-" + path,
		Topics: []kg.TopicMatch{{TopicID: "preparedness", Term: "beredskap", Snippet: text, Count: 1}}}
	if withPerson {
		d.People = []kg.Person{{Name: name, Role: "verksamhetsledare", ClusterID: cluster, Email: email, Snippet: name + ", verksamhetsledare"}}
		d.Projects = []kg.Project{{Name: "Baljväxtlyftet", Leader: name, Snippet: "Projektledare: " + name}}
	}
	return kg.IndexDoc{Document: d}, kg.DocumentFacts(d)
}

// crawl writes the pages as the ingest pipeline does: unchanged pages are
// skipped, the rest go to the index, then to the graph, both filtered.
func (s *store) crawl(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	graph, idx := s.list.Graph(s.graph), s.list.Searcher(s.index)
	pages := [][2]string{
		{"/kontakt", "Kontakt"},
		{"/nyheter/ny-ledare", "Ny verksamhetsledare"},
		{"/om-oss", "Om oss"},
	}
	texts := map[string]string{
		"/kontakt":           "Verksamhetsledare är " + name + ", " + email + ". Ring om beredskap.",
		"/nyheter/ny-ledare": name + " börjar som verksamhetsledare och satsar på beredskap och baljväxter.",
		"/om-oss":            "Ängsmarken arbetar med beredskap och baljväxter.",
	}
	for _, p := range pages {
		doc, fs := page(p[0], p[1], texts[p[0]], p[0] != "/om-oss")
		if h, ok, err := graph.SourceHash(ctx, doc.ID); err != nil {
			t.Fatal(err)
		} else if ok && h == doc.ContentHash {
			continue
		}
		if err := idx.Index(ctx, []kg.IndexDoc{doc}); err != nil {
			t.Fatal(err)
		}
		if _, err := graph.ReplaceFacts(ctx, fs); err != nil {
			t.Fatal(err)
		}
	}
}

func (s *store) hits(t *testing.T, q string) []kg.Hit {
	t.Helper()
	req := kg.SearchRequest{Query: q}
	if err := req.Validate(); err != nil {
		t.Fatal(err)
	}
	res, err := s.index.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res.Hits
}

// wantGone checks that the graph and the index hold nothing of the person.
func (s *store) wantGone(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.graph.Node(ctx, personID); kg.ErrorCode(err) != kg.ENOTFOUND {
		t.Errorf("person node: err = %v, want not found", err)
	}
	for _, f := range []kg.RelFilter{{From: personID}, {To: personID}} {
		if rels, err := s.graph.Relationships(ctx, f); err != nil || len(rels) != 0 {
			t.Errorf("relationships %+v = %+v, %v; want none", f, rels, err)
		}
	}
	all, err := s.graph.Relationships(ctx, kg.RelFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		for _, ev := range r.Evidence {
			if strings.Contains(ev.Snippet, "Ödlund") || strings.Contains(ev.Title, "Ödlund") || strings.Contains(ev.Snippet, email) {
				t.Errorf("%s -%s-> %s: evidence names the person: %q", r.From, r.Rel, r.To, ev.Snippet)
			}
		}
	}
	people, err := s.graph.Nodes(ctx, kg.LabelPerson)
	if err != nil || len(people) != 0 {
		t.Errorf("person nodes = %+v, %v; want none", people, err)
	}
	for _, q := range []string{`"Karin Ödlund-Sjö"`, "Ödlund", `"` + email + `"`, "karin.odlund"} {
		if hits := s.hits(t, q); len(hits) != 0 {
			t.Errorf("search %s finds %d documents, first %q: %s", q, len(hits), hits[0].URL, hits[0].Snippet)
		}
	}
}

func TestEraseEndToEnd(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	s.crawl(t)
	if _, err := s.graph.Node(ctx, personID); err != nil {
		t.Fatalf("before erasure the person is missing: %v", err)
	}
	if len(s.hits(t, `"Karin Ödlund-Sjö"`)) != 2 {
		t.Fatalf("before erasure the name is not found in both pages")
	}

	er := &privacy.Eraser{Graph: s.graph, Index: s.index, List: s.list}
	res, err := er.Erase(ctx, privacy.Erasure{PersonID: personID})
	if err != nil {
		t.Fatal(err)
	}
	wantDocs := []string{kg.DocumentID(site + "/kontakt"), kg.DocumentID(site + "/nyheter/ny-ledare")}
	if !res.Found || !res.NewSuppression || res.Remaining || strings.Join(res.Documents, " ") != strings.Join(wantDocs, " ") {
		t.Errorf("result = %+v, want found, new, not remaining, documents %v", res, wantDocs)
	}
	s.wantGone(t)
	if hits := s.hits(t, "baljväxter"); len(hits) != 1 {
		t.Errorf("a page that never named the person was lost: %d hits", len(hits))
	}

	// The next crawl writes the pages again, without the person.
	s.crawl(t)
	s.wantGone(t)
	hits := s.hits(t, "verksamhetsledare")
	if len(hits) != 2 {
		t.Fatalf("after the re-crawl the pages are not back: %d hits", len(hits))
	}
	for _, h := range hits {
		if !strings.Contains(h.Snippet, privacy.Redacted) {
			t.Errorf("snippet of %s lacks the redaction mark: %s", h.URL, h.Snippet)
		}
	}
	rels, err := s.graph.Relationships(ctx, kg.RelFilter{From: kg.ClusterNodeID(cluster), Rel: kg.RelWorksOn})
	if err != nil || len(rels) == 0 {
		t.Errorf("the cluster's topics were lost: %v %v", rels, err)
	}

	// Erasing again is harmless and records nothing new.
	res, err = er.Erase(ctx, privacy.Erasure{PersonID: personID})
	if err != nil || res.NewSuppression || res.Found || len(res.Documents) != 0 {
		t.Errorf("second erasure = %+v, %v", res, err)
	}

	// The suppression outlives a restart, and another crawl.
	s.close()
	s = openStore(t, dir)
	if !s.list.Suppressed(personID) {
		t.Fatal("the suppression was lost on restart")
	}
	// A page that changed is written again, still without the person.
	doc, fs := page("/kontakt", "Kontakt", "Ny text: "+name+", "+email+".", true)
	doc.ContentHash, fs.Hash = "changed", "changed"
	if err := s.list.Searcher(s.index).Index(ctx, []kg.IndexDoc{doc}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.list.Graph(s.graph).ReplaceFacts(ctx, fs); err != nil {
		t.Fatal(err)
	}
	s.wantGone(t)
}

func TestEraseSomeoneNotInTheGraph(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	er := &privacy.Eraser{Graph: s.graph, Index: s.index, List: s.list}
	res, err := er.Erase(ctx, privacy.Erasure{PersonID: personID, Name: name, Emails: []string{email}})
	if err != nil || res.Found || !res.NewSuppression || len(res.Documents) != 0 {
		t.Fatalf("Erase = %+v, %v", res, err)
	}
	// The first crawl that finds them keeps them out.
	s.crawl(t)
	s.wantGone(t)
}

func TestEraseRejectsBadInput(t *testing.T) {
	s := openStore(t, t.TempDir())
	er := &privacy.Eraser{Graph: s.graph, Index: s.index, List: s.list}
	for _, req := range []privacy.Erasure{
		{PersonID: "cluster:angsmarken"},
		{PersonID: personID, Emails: []string{"nope"}},
	} {
		if _, err := er.Erase(context.Background(), req); kg.ErrorCode(err) != kg.EINVALID {
			t.Errorf("Erase(%+v) = %v, want EINVALID", req, err)
		}
	}
	if s.list.Len() != 0 {
		t.Errorf("a rejected erasure was recorded")
	}
}
