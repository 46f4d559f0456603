package privacy

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func mustList(t *testing.T, people ...Person) *List {
	t.Helper()
	l, err := Open(filepath.Join(t.TempDir(), FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if _, err := l.Add(context.Background(), p); err != nil {
			t.Fatalf("Add(%+v): %v", p, err)
		}
	}
	return l
}

var karin = Person{
	ID:     kg.PersonNodeID("Karin Ödlund-Sjö", "Ängsmarkens kluster"),
	Name:   "Karin Ödlund-Sjö",
	Emails: []string{"karin.odlund@angsmarken.example"},
	Phones: []string{"070-123 45 67"},
}

func TestRedact(t *testing.T) {
	l := mustList(t, karin)
	tests := []struct{ in, want string }{
		{"Kontakta Karin Ödlund-Sjö, verksamhetsledare.", "Kontakta [… ], verksamhetsledare."},
		{"KARIN ÖDLUND SJÖ leder projektet", "[…] leder projektet"},
		{"karin odlund-sjo", "[…]"},
		{"Mejla karin.odlund@angsmarken.example eller ring 070-123 45 67.", "Mejla […] eller ring […]."},
		{"Skriv till Karin.Odlund [at] angsmarken.example!", "Skriv till […]!"},
		{"Ring +46 70 123 45 67", "Ring […]"},
		// Part of the name, another address and another number stay.
		{"Karin Andersson och Per Ödlund", "Karin Andersson och Per Ödlund"},
		{"per@angsmarken.example, 070-765 43 21", "per@angsmarken.example, 070-765 43 21"},
		{"", ""},
	}
	for _, tt := range tests {
		want := strings.ReplaceAll(tt.want, "[… ]", Redacted)
		if got := l.Redact(tt.in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, want)
		}
	}
}

func TestNameFromIDWhenNoneGiven(t *testing.T) {
	l := mustList(t, Person{ID: "person:anna-berg@lrf"})
	if got := l.Redact("Anna Berg talade."); got != Redacted+" talade." {
		t.Errorf("name from the id not redacted: %q", got)
	}
	// A one-word name is not redacted from text: it would hide everyone
	// who shares it. The id is still suppressed.
	l = mustList(t, Person{ID: "person:anna@lrf"})
	if got := l.Redact("Anna talade."); got != "Anna talade." {
		t.Errorf("one-word name redacted: %q", got)
	}
	if !l.Suppressed("person:anna@lrf") {
		t.Error("id not suppressed")
	}
}

func TestAddValidates(t *testing.T) {
	l := mustList(t)
	for _, p := range []Person{
		{ID: "anna-berg@lrf"},
		{ID: "person:"},
		{ID: "person:Anna Berg@lrf"},
		{ID: "person:@lrf"},
		{ID: "person:anna-berg@lrf", Emails: []string{"not an address"}},
		{ID: "person:anna-berg@lrf", Phones: []string{"12"}},
		{ID: "person:" + strings.Repeat("a", 300) + "@x"},
	} {
		if _, err := l.Add(context.Background(), p); kg.ErrorCode(err) != kg.EINVALID {
			t.Errorf("Add(%+v) = %v, want EINVALID", p, err)
		}
	}
	if l.Len() != 0 {
		t.Errorf("invalid people were added: %d", l.Len())
	}
	if _, err := os.Stat(l.Path()); !os.IsNotExist(err) {
		t.Errorf("the file was written for nothing: %v", err)
	}
}

func TestListPersistsHashesOnly(t *testing.T) {
	l := mustList(t, karin)
	added, err := l.Add(context.Background(), karin)
	if err != nil || added {
		t.Errorf("adding the same person again = %v, %v; want false, nil", added, err)
	}
	added, err = l.Add(context.Background(), Person{ID: karin.ID, Emails: []string{"k@privat.example"}})
	if err != nil || !added || l.Len() != 1 {
		t.Errorf("adding a new e-mail to the same person = %v, %v, %d entries; want true, nil, 1", added, err, l.Len())
	}
	data, err := os.ReadFile(l.Path())
	if err != nil {
		t.Fatal(err)
	}
	// Whole values only: a short digit run such as "070" turns up in hex
	// hashes and timestamps by chance.
	for _, plain := range []string{"karin", "Karin", "odlund", "angsmarken", "070-123", "0701234567", "1234567", "privat"} {
		if strings.Contains(string(data), plain) {
			t.Errorf("the file holds %q in plain text:\n%s", plain, data)
		}
	}
	if info, err := os.Stat(l.Path()); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %v, %v; want 0600", info.Mode(), err)
	}
	again, err := Open(l.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !again.Suppressed(karin.ID) || again.Redact("k@privat.example") != Redacted || again.Redact("Karin Ödlund Sjö") != Redacted {
		t.Error("the reopened list lost a suppression")
	}
}

func TestOpenRejectsBadFile(t *testing.T) {
	for name, content := range map[string]string{
		"not json":      "{",
		"other version": `{"version": 99, "suppressions": []}`,
	} {
		path := filepath.Join(t.TempDir(), FileName)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(path); err == nil {
			t.Errorf("%s: Open accepted it", name)
		}
	}
}

func TestFilterFacts(t *testing.T) {
	l := mustList(t, karin)
	doc := kg.DocumentID("https://angsmarken.example/kontakt")
	other := kg.PersonNodeID("Per Holm", "Ängsmarkens kluster")
	namesake := kg.PersonNodeID("Karin Ödlund-Sjö", "LRF")
	fs := kg.FactSet{SourceID: doc, Hash: "h1",
		Nodes: []kg.Node{
			{ID: doc, Label: kg.LabelDocument, Name: "Kontakt: Karin Ödlund-Sjö", Props: map[string]string{kg.PropURL: "https://angsmarken.example/karin-odlund-sjo"}},
			{ID: karin.ID, Label: kg.LabelPerson, Name: karin.Name},
			{ID: namesake, Label: kg.LabelPerson, Name: "Karin Ödlund-Sjö"},
			{ID: "person:k-o@x", Label: kg.LabelPerson, Name: "K. Ö.", Props: map[string]string{"email": "Karin.Odlund@angsmarken.example"}},
			{ID: other, Label: kg.LabelPerson, Name: "Per Holm", Props: map[string]string{"role": "ersätter Karin Ödlund-Sjö"}},
		},
		Edges: []kg.Edge{
			{From: karin.ID, Rel: kg.RelWorksAt, To: "cluster:angsmarken", Props: map[string]string{"role": "verksamhetsledare"}},
			{From: doc, Rel: kg.RelMentions, To: karin.ID},
			{From: doc, Rel: kg.RelMentions, To: namesake},
			{From: karin.ID, Rel: kg.RelLeads, To: "project:x"}, // the person's node declared by another source
			{From: other, Rel: kg.RelWorksAt, To: "cluster:angsmarken", Snippet: "Per Holm och Karin Ödlund-Sjö"},
			{From: doc, Rel: kg.RelMentions, To: "topic:beredskap", Snippet: "ring 070-123 45 67 om beredskap"},
		},
	}
	got := l.FilterFacts(fs)
	if got.SourceID != fs.SourceID || got.Hash != fs.Hash {
		t.Errorf("identity changed: %q %q", got.SourceID, got.Hash)
	}
	var nodes []string
	for _, n := range got.Nodes {
		nodes = append(nodes, n.ID)
	}
	if strings.Join(nodes, " ") != doc+" "+other {
		t.Errorf("nodes kept = %v, want the document and Per Holm", nodes)
	}
	if got.Nodes[0].Name != "Kontakt: "+Redacted {
		t.Errorf("document title = %q", got.Nodes[0].Name)
	}
	if got.Nodes[0].Props[kg.PropURL] != fs.Nodes[0].Props[kg.PropURL] {
		t.Errorf("the URL was changed: %q", got.Nodes[0].Props[kg.PropURL])
	}
	if got.Nodes[1].Props["role"] != "ersätter "+Redacted {
		t.Errorf("property not redacted: %q", got.Nodes[1].Props["role"])
	}
	if len(got.Edges) != 2 {
		t.Fatalf("edges kept = %+v, want Per Holm's WORKS_AT and the topic mention", got.Edges)
	}
	if got.Edges[0].Snippet != "Per Holm och "+Redacted || got.Edges[1].Snippet != "ring "+Redacted+" om beredskap" {
		t.Errorf("snippets = %q, %q", got.Edges[0].Snippet, got.Edges[1].Snippet)
	}
	if fs.Nodes[0].Name != "Kontakt: Karin Ödlund-Sjö" || fs.Nodes[4].Props["role"] != "ersätter Karin Ödlund-Sjö" {
		t.Error("FilterFacts changed its input")
	}
	// With nothing suppressed, fact sets pass unchanged.
	if empty := mustList(t); len(empty.FilterFacts(fs).Nodes) != len(fs.Nodes) {
		t.Error("an empty list filtered something")
	}
}

func TestFilterDocument(t *testing.T) {
	l := mustList(t, karin)
	d := kg.IndexDoc{Document: kg.Document{
		ID: "doc:x", Title: "Möt Karin Ödlund-Sjö", Text: "Karin Ödlund-Sjö (karin.odlund@angsmarken.example) och Per Holm.",
		Topics: []kg.TopicMatch{{TopicID: "t", Snippet: "Karin Ödlund-Sjö om t"}},
		People: []kg.Person{
			{Name: "Karin Ödlund-Sjö", Organisation: "Ängsmarkens kluster", Snippet: "Karin"},
			{Name: "K. Ödlund", Email: "karin.odlund@angsmarken.example"},
			{Name: "Per Holm", Snippet: "Per Holm, efter Karin Ödlund-Sjö"},
		},
		Projects: []kg.Project{{Name: "P", Leader: "Karin Ödlund-Sjö", Snippet: "leds av Karin Ödlund-Sjö"}},
		Events:   []kg.Event{{Title: "Lunch med Karin Ödlund-Sjö"}},
	}}
	got := l.FilterDocument(d)
	for _, s := range []string{got.Title, got.Text, got.Topics[0].Snippet, got.Projects[0].Leader, got.Projects[0].Snippet, got.Events[0].Title, got.People[0].Snippet} {
		if strings.Contains(s, "Karin") || strings.Contains(s, "odlund") {
			t.Errorf("not redacted: %q", s)
		}
	}
	if len(got.People) != 1 || got.People[0].Name != "Per Holm" {
		t.Errorf("people = %+v, want Per Holm only", got.People)
	}
	if !strings.Contains(got.Text, "Per Holm") {
		t.Errorf("text lost what it may keep: %q", got.Text)
	}
	if d.People[0].Name != "Karin Ödlund-Sjö" || d.Topics[0].Snippet != "Karin Ödlund-Sjö om t" {
		t.Error("FilterDocument changed its input")
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"Karin Ödlund-Sjö", "karin.odlund@angsmarken.example", "070-123 45 67", "a [at] b.se", "Karin Karin Ödlund Sjö Sjö", "\xff\xfe"} {
		f.Add(s)
	}
	l, err := Open(filepath.Join(f.TempDir(), FileName))
	if err != nil {
		f.Fatal(err)
	}
	if _, err := l.Add(context.Background(), karin); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := l.Redact(s)
		if l.Redact(got) != got {
			t.Errorf("Redact is not idempotent on %q: %q", s, got)
		}
		if strings.Contains(strings.ToLower(got), "karin.odlund@angsmarken.example") {
			t.Errorf("address survived: %q", got)
		}
	})
}
