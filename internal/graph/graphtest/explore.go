package graphtest

import (
	"context"
	"sort"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The explorer rules, checked for stores that implement kg.GraphExplorer:
//   - Node shows the node as the read methods do, and ENOTFOUND for an
//     unknown id: the registry's declaration if the registry declares the
//     node, else the label and name of the most recent declaration with
//     the properties of every declaration merged in write order (a later
//     non-empty value overrides an earlier one; an empty value never
//     erases a key).
//   - Nodes lists one label's nodes ordered by id.
//   - Relationships lists the merged relationships matching the filter
//     whose both ends exist, ordered by From, Rel, To; their evidence and
//     weight are those the read methods show, and their properties come
//     from the asserting source written most recently.

// explorerTests returns the subtests of the explorer rules.
func (s *suite) explorerTests() []struct {
	name string
	fn   func(t *testing.T)
} {
	return []struct {
		name string
		fn   func(t *testing.T)
	}{
		{"ExplorerNode", s.testExplorerNode},
		{"ExplorerNodes", s.testExplorerNodes},
		{"NodePropsMerge", s.testNodePropsMerge},
		{"ExplorerRelationships", s.testExplorerRelationships},
		{"ExplorerRelationshipProps", s.testExplorerRelationshipProps},
		{"ExplorerHiddenEnds", s.testExplorerHiddenEnds},
	}
}

// isExplorer reports whether the stores open returns implement
// kg.GraphExplorer.
func (s *suite) isExplorer(t *testing.T) bool {
	t.Helper()
	st := s.open(t)
	if st == nil {
		t.Fatal("open returned a nil store")
	}
	defer st.Close()
	_, ok := st.(kg.GraphExplorer)
	return ok
}

func explorer(t *testing.T, st kg.GraphStore) kg.GraphExplorer {
	t.Helper()
	ex, ok := st.(kg.GraphExplorer)
	if !ok {
		t.Fatalf("%T does not implement kg.GraphExplorer", st)
	}
	return ex
}

func mustRels(t *testing.T, ex kg.GraphExplorer, f kg.RelFilter) []kg.Relationship {
	t.Helper()
	rels, err := ex.Relationships(context.Background(), f)
	if err != nil {
		t.Fatalf("Relationships(%+v): %v", f, err)
	}
	return rels
}

func (s *suite) testExplorerNode(t *testing.T) {
	st := s.full(t)
	ex := explorer(t, st)
	ctx := context.Background()

	c := fixtureClusters()[alfa]
	got, err := ex.Node(ctx, kg.ClusterNodeID(alfa))
	if err != nil {
		t.Fatalf("Node(cluster): %v", err)
	}
	equal(t, "cluster node", kg.ClusterNode(c), got)

	got, err = ex.Node(ctx, d1.ID)
	if err != nil {
		t.Fatalf("Node(document): %v", err)
	}
	equal(t, "document node", kg.DocumentNode(d1), got)

	_, err = ex.Node(ctx, "cluster:no-such-cluster")
	wantCode(t, "Node(unknown)", err, kg.ENOTFOUND)

	// The registry's declaration wins over a later document's.
	mustReplace(t, st, kg.FactSet{SourceID: "doc:https://x.example/", Hash: "h", Nodes: []kg.Node{
		{ID: kg.ClusterNodeID(alfa), Label: kg.LabelCluster, Name: "Annat namn"},
	}}, true)
	got, err = ex.Node(ctx, kg.ClusterNodeID(alfa))
	if err != nil {
		t.Fatalf("Node(cluster) after merge: %v", err)
	}
	equal(t, "merged cluster node", kg.ClusterNode(c), got)

	// Changing the returned node changes nothing in the store.
	got.Props[kg.PropCounty] = "changed"
	again, _ := ex.Node(ctx, kg.ClusterNodeID(alfa))
	if again.Props[kg.PropCounty] != c.County {
		t.Errorf("Node shares its properties with the store: county %q", again.Props[kg.PropCounty])
	}
}

func (s *suite) testExplorerNodes(t *testing.T) {
	st := s.full(t)
	ex := explorer(t, st)
	ctx := context.Background()

	clusters, err := ex.Nodes(ctx, kg.LabelCluster)
	if err != nil {
		t.Fatalf("Nodes(Cluster): %v", err)
	}
	var ids []string
	for _, n := range clusters {
		ids = append(ids, n.ID)
	}
	want := []string{kg.ClusterNodeID(alfa), kg.ClusterNodeID(beta), kg.ClusterNodeID(delta), kg.ClusterNodeID(gamma)}
	equal(t, "cluster node ids", want, ids)

	docs, err := ex.Nodes(ctx, kg.LabelDocument)
	if err != nil {
		t.Fatalf("Nodes(Document): %v", err)
	}
	var wantDocs []kg.Node
	for _, d := range fixtureDocs() {
		wantDocs = append(wantDocs, kg.DocumentNode(d))
	}
	sort.Slice(wantDocs, func(i, j int) bool { return wantDocs[i].ID < wantDocs[j].ID })
	equal(t, "document nodes", wantDocs, docs)

	none, err := ex.Nodes(ctx, "NoSuchLabel")
	if err != nil {
		t.Fatalf("Nodes(NoSuchLabel): %v", err)
	}
	if len(none) != 0 {
		t.Errorf("Nodes(NoSuchLabel) = %v, want none", none)
	}
}

func (s *suite) testNodePropsMerge(t *testing.T) {
	st := s.full(t)
	ex := explorer(t, st)
	ctx := context.Background()
	const id = "person:karin-lund@beta-kluster"
	contact := kg.DocumentID("https://beta.example/kontakt")
	project := kg.DocumentID("https://beta.example/projekt/vall")
	declare := func(source, hash, name string, props map[string]string) kg.FactSet {
		return kg.FactSet{SourceID: source, Hash: hash, Nodes: []kg.Node{
			{ID: id, Label: kg.LabelPerson, Name: name, Props: props},
		}}
	}
	check := func(what string, want kg.Node) {
		t.Helper()
		got, err := ex.Node(ctx, id)
		if err != nil {
			t.Fatalf("%s: Node: %v", what, err)
		}
		equal(t, what+": Node", want, got)
		people, err := ex.Nodes(ctx, kg.LabelPerson)
		if err != nil {
			t.Fatalf("%s: Nodes(Person): %v", what, err)
		}
		equal(t, what+": Nodes(Person)", []kg.Node{want}, people)
	}
	person := func(name string, props map[string]string) kg.Node {
		return kg.Node{ID: id, Label: kg.LabelPerson, Name: name, Props: props}
	}

	// The contact page, written first, gives the e-mail; the project page,
	// written later, names the person without one.
	mustReplace(t, st, declare(contact, "c1", "Karin Lund", map[string]string{
		"email": "karin.lund@beta.example", "phone": "013-12 34 56",
	}), true)
	mustReplace(t, st, declare(project, "p1", "Karin Lund (projektledare)", map[string]string{
		"email": "", "title": "Projektledare",
	}), true)
	check("two sources", person("Karin Lund (projektledare)", map[string]string{
		"email": "karin.lund@beta.example", "phone": "013-12 34 56", "title": "Projektledare",
	}))

	// A later non-empty value overrides an earlier one.
	mustReplace(t, st, declare(project, "p2", "Karin Lund", map[string]string{
		"email": "karin@vallprojektet.example",
	}), true)
	check("newer e-mail", person("Karin Lund", map[string]string{
		"email": "karin@vallprojektet.example", "phone": "013-12 34 56",
	}))

	// Rewriting the older source makes it the most recent one.
	mustReplace(t, st, declare(contact, "c2", "Karin Lund, Beta", map[string]string{
		"email": "k.lund@beta.example",
	}), true)
	check("contact page rewritten", person("Karin Lund, Beta", map[string]string{
		"email": "k.lund@beta.example",
	}))

	// Retracting a source recomputes the properties from the rest.
	mustRetract(t, st, contact, true)
	check("contact page retracted", person("Karin Lund", map[string]string{
		"email": "karin@vallprojektet.example",
	}))
	mustReplace(t, st, declare(contact, "c3", "Karin Lund", map[string]string{
		"email": "karin.lund@beta.example", "phone": "013-65 43 21",
	}), true)
	mustReplace(t, st, declare(project, "p3", "Karin Lund", map[string]string{"title": "Projektledare"}), true)
	check("both rewritten", person("Karin Lund", map[string]string{
		"email": "karin.lund@beta.example", "phone": "013-65 43 21", "title": "Projektledare",
	}))
	mustRetract(t, st, contact, true)
	check("e-mail source gone", person("Karin Lund", map[string]string{"title": "Projektledare"}))

	// A node the registry declares shows exactly the registry's
	// declaration, whatever documents add.
	alfaID := kg.ClusterNodeID(alfa)
	mustReplace(t, st, kg.FactSet{SourceID: project, Hash: "p4", Nodes: []kg.Node{
		{ID: alfaID, Label: kg.LabelCluster, Name: "Alfa", Props: map[string]string{"email": "info@alfa.example"}},
	}}, true)
	got, err := ex.Node(ctx, alfaID)
	if err != nil {
		t.Fatalf("Node(alfa): %v", err)
	}
	equal(t, "registry-declared node", kg.ClusterNode(fixtureClusters()[alfa]), got)
}

func (s *suite) testExplorerRelationships(t *testing.T) {
	st := s.full(t)
	ex := explorer(t, st)

	// WORKS_ON biogas: the same clusters, weights and evidence as
	// TopicClusters, ordered by From.
	rels := mustRels(t, ex, kg.RelFilter{Rel: kg.RelWorksOn, To: kg.TopicNodeID(biogas)})
	var want []kg.Relationship
	for _, cs := range wantFullTopicClusters()[biogas] {
		want = append(want, kg.Relationship{
			From: kg.ClusterNodeID(cs.ClusterID), Rel: kg.RelWorksOn, To: kg.TopicNodeID(biogas),
			Weight: cs.Weight, Evidence: cs.Evidence,
		})
	}
	sort.Slice(want, func(i, j int) bool { return want[i].From < want[j].From })
	equal(t, "WORKS_ON biogas", want, rels)

	// Everything alfa asserts, in Rel then To order.
	rels = mustRels(t, ex, kg.RelFilter{From: kg.ClusterNodeID(alfa)})
	var got []string
	for _, r := range rels {
		got = append(got, r.Rel+" "+r.To)
	}
	equal(t, "relationships from alfa", []string{
		kg.RelLocatedIn + " " + kg.CountyNodeID(ostergotland),
		kg.RelWorksOn + " " + kg.TopicNodeID(biogas),
		kg.RelWorksOn + " " + kg.TopicNodeID(food),
		kg.RelWorksOn + " " + kg.TopicNodeID(forestry),
		kg.RelWorksOn + " " + kg.TopicNodeID(selfSuff),
	}, got)
	for _, r := range rels {
		if r.Rel == kg.RelLocatedIn && (r.Weight != 0 || len(r.Evidence) != 0) {
			t.Errorf("LOCATED_IN from the registry has weight %v and evidence %v, want none", r.Weight, r.Evidence)
		}
	}

	// One exact relationship, and the whole graph in order.
	rels = mustRels(t, ex, kg.RelFilter{From: d2.ID, Rel: kg.RelMentions, To: kg.TopicNodeID(biogas)})
	if len(rels) != 1 || len(rels[0].Evidence) != 1 || rels[0].Evidence[0].URL != d2.URL {
		t.Errorf("exact MENTIONS relationship: %+v", rels)
	}
	all := mustRels(t, ex, kg.RelFilter{})
	sorted := sort.SliceIsSorted(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.Rel != b.Rel {
			return a.Rel < b.Rel
		}
		return a.To < b.To
	})
	if !sorted {
		t.Errorf("Relationships({}) is not ordered by From, Rel, To")
	}
	total := 0
	for _, n := range wantFullStats().Edges {
		total += n
	}
	if len(all) != total {
		t.Errorf("Relationships({}) lists %d relationships, Stats counts %d", len(all), total)
	}
}

func (s *suite) testExplorerRelationshipProps(t *testing.T) {
	st := s.full(t)
	ex := explorer(t, st)
	person := kg.Node{ID: "person:anna-berg@alfa-kluster", Label: kg.LabelPerson, Name: "Anna Berg"}
	assert := func(url, role string) kg.FactSet {
		return kg.FactSet{SourceID: kg.DocumentID(url), Hash: url + role,
			Nodes: []kg.Node{kg.DocumentNode(kg.Document{ID: kg.DocumentID(url), URL: url, Title: role, Kind: kg.KindContact}), person},
			Edges: []kg.Edge{{From: person.ID, Rel: kg.RelWorksAt, To: kg.ClusterNodeID(alfa), Props: map[string]string{"role": role}}},
		}
	}
	filter := kg.RelFilter{From: person.ID, Rel: kg.RelWorksAt}
	role := func(what string) string {
		t.Helper()
		rels := mustRels(t, ex, filter)
		if len(rels) != 1 {
			t.Fatalf("%s: %d WORKS_AT relationships, want 1", what, len(rels))
		}
		if len(rels[0].Evidence) == 0 {
			t.Errorf("%s: WORKS_AT has no evidence", what)
		}
		return rels[0].Props["role"]
	}

	mustReplace(t, st, assert("https://alfa.example/kontakt", "verksamhetsledare"), true)
	mustReplace(t, st, assert("https://natverket.example/alfa", "projektledare"), true)
	if got := role("two sources"); got != "projektledare" {
		t.Errorf("role = %q, want the most recent assertion's projektledare", got)
	}
	mustReplace(t, st, assert("https://alfa.example/kontakt", "koordinator"), true)
	if got := role("first source rewritten"); got != "koordinator" {
		t.Errorf("role = %q, want the rewritten assertion's koordinator", got)
	}
	mustRetract(t, st, kg.DocumentID("https://alfa.example/kontakt"), true)
	if got := role("after retraction"); got != "projektledare" {
		t.Errorf("role = %q, want the remaining assertion's projektledare", got)
	}
}

func (s *suite) testExplorerHiddenEnds(t *testing.T) {
	st := s.full(t)
	ex := explorer(t, st)
	ghost := "org:ghost"
	mustReplace(t, st, kg.FactSet{SourceID: "doc:https://alfa.example/ghost", Hash: "g",
		Edges: []kg.Edge{{From: kg.ClusterNodeID(alfa), Rel: kg.RelCollaboratesWith, To: ghost}},
	}, true)
	if rels := mustRels(t, ex, kg.RelFilter{Rel: kg.RelCollaboratesWith}); len(rels) != 0 {
		t.Errorf("relationship to an undeclared node is listed: %+v", rels)
	}
	mustReplace(t, st, kg.FactSet{SourceID: "doc:https://beta.example/ghost", Hash: "g",
		Nodes: []kg.Node{{ID: ghost, Label: kg.LabelOrganisation, Name: "Spöket AB"}},
	}, true)
	rels := mustRels(t, ex, kg.RelFilter{To: ghost})
	if len(rels) != 1 || rels[0].From != kg.ClusterNodeID(alfa) {
		t.Errorf("relationship to a declared node: %+v, want alfa's COLLABORATES_WITH", rels)
	}
	mustRetract(t, st, "doc:https://beta.example/ghost", true)
	if rels := mustRels(t, ex, kg.RelFilter{From: kg.ClusterNodeID(alfa), Rel: kg.RelCollaboratesWith}); len(rels) != 0 {
		t.Errorf("relationship listed after its end was retracted: %+v", rels)
	}
	_, err := ex.Node(context.Background(), ghost)
	wantCode(t, "Node(retracted)", err, kg.ENOTFOUND)
}
