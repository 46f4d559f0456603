package docgen_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/bench/indexbench/docgen"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// domainFile is the index's domain dictionary, relative to this package.
const domainFile = "../../../index/dict/domain.txt"

func newGenerator(t testing.TB, seed uint64) *docgen.Generator {
	t.Helper()
	domain, err := docgen.ReadWords(domainFile)
	if err != nil {
		t.Fatal(err)
	}
	v, err := docgen.DefaultVocabulary(domain, []string{"hängmatta", "kvällssol", "vedtrave"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := docgen.New(seed, v)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestParseWords(t *testing.T) {
	got := docgen.ParseWords([]byte("# comment\nBiogas\n\nskog\n!kristianstad\nskog\nco2\n  gård  \n"))
	want := []string{"biogas", "skog", "gård"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseWords = %q, want %q", got, want)
	}
}

func TestNewRejectsThinVocabulary(t *testing.T) {
	v, err := docgen.DefaultVocabulary([]string{"skog", "gård"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*docgen.Vocabulary){
		"one domain word": func(v *docgen.Vocabulary) { v.Domain = v.Domain[:1] },
		"no topics":       func(v *docgen.Vocabulary) { v.Topics = nil },
		"no sites": func(v *docgen.Vocabulary) {
			v.Clusters = []kg.Cluster{{ID: "a", Name: "A"}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			v := v
			mutate(&v)
			if _, err := docgen.New(1, v); err == nil {
				t.Error("New accepted the vocabulary")
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	a, b := newGenerator(t, 7), newGenerator(t, 7)
	other := newGenerator(t, 8)
	for _, i := range []int{0, 1, 99, 4321} {
		if !reflect.DeepEqual(a.Doc(i), b.Doc(i)) {
			t.Errorf("Doc(%d) differs between two generators of one seed", i)
		}
		if reflect.DeepEqual(a.Doc(i), other.Doc(i)) {
			t.Errorf("Doc(%d) is the same for seeds 7 and 8", i)
		}
		if a.Query(i, 2) != b.Query(i, 2) {
			t.Errorf("Query(%d, 2) differs between two generators of one seed", i)
		}
	}
	par := a.Docs(10, 50, 4)
	for i, d := range par {
		if !reflect.DeepEqual(d, b.Doc(10+i)) {
			t.Fatalf("Docs(10, 50, 4)[%d] differs from Doc(%d)", i, 10+i)
		}
	}
}

// TestShape checks the mix of a sample of documents against the shares
// the package promises.
func TestShape(t *testing.T) {
	g := newGenerator(t, 1)
	v, err := docgen.DefaultVocabulary(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	clusters := map[string]kg.Cluster{}
	for _, c := range v.Clusters {
		clusters[c.ID] = c
	}
	topicIDs := map[string]bool{}
	for _, tp := range v.Topics {
		topicIDs[tp.ID] = true
	}
	const n = 1000
	docs := g.Docs(0, n, 2)
	var en, dated, dups, withTopics, compounds int
	kinds, seenClusters, ids, texts := map[string]int{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	years := map[int]bool{}
	comp := map[string]bool{}
	for _, c := range g.Compounds() {
		comp[c] = true
	}
	first := docgen.End.AddDate(-10, 0, 1)
	for i, d := range docs {
		if d.ID != kg.DocumentID(d.URL) || ids[d.ID] {
			t.Fatalf("doc %d: id %q is not DocumentID(%q) or not unique", i, d.ID, d.URL)
		}
		ids[d.ID] = true
		if !strings.HasPrefix(d.URL, "http") || !strings.Contains(d.URL, d.Host) || d.Title == "" {
			t.Fatalf("doc %d: url %q, host %q, title %q", i, d.URL, d.Host, d.Title)
		}
		if d.Lang == "en" {
			en++
		} else if d.Lang != "sv" {
			t.Fatalf("doc %d: lang %q", i, d.Lang)
		}
		if !slices.Contains(kg.Kinds, d.Kind) {
			t.Fatalf("doc %d: kind %q", i, d.Kind)
		}
		kinds[d.Kind]++
		if !d.Date.IsZero() {
			dated++
			if d.Date.Before(first) || d.Date.After(docgen.End) {
				t.Fatalf("doc %d: date %v outside the ten years before %v", i, d.Date, docgen.End)
			}
			years[d.Date.Year()] = true
		}
		words := len(strings.Fields(d.Text))
		if words < docgen.MinWords || words > docgen.MaxWords+40 {
			t.Errorf("doc %d: %d words, want %d to %d", i, words, docgen.MinWords, docgen.MaxWords)
		}
		if len(d.Clusters) == 0 || !slices.IsSorted(d.Clusters) {
			t.Fatalf("doc %d: clusters %v", i, d.Clusters)
		}
		for _, c := range d.Clusters {
			cl, ok := clusters[c]
			if !ok {
				t.Fatalf("doc %d: unknown cluster %q", i, c)
			}
			seenClusters[c] = true
			if !slices.Contains(d.Counties, cl.County) {
				t.Fatalf("doc %d: counties %v lack %q of %s", i, d.Counties, cl.County, c)
			}
		}
		if len(d.Topics) > 0 {
			withTopics++
		}
		for _, tm := range d.Topics {
			if !topicIDs[tm.TopicID] || tm.Count < 1 || !strings.Contains(strings.ToLower(d.Title+" "+d.Text), strings.ToLower(tm.Term)) {
				t.Fatalf("doc %d: topic %+v not in the vocabulary or not in the text", i, tm)
			}
		}
		if texts[d.Text] {
			dups++
		}
		texts[d.Text] = true
		for _, w := range strings.Fields(strings.ToLower(d.Text)) {
			if comp[strings.Trim(w, ".,")] {
				compounds++
				break
			}
		}
		if d.Kind == kg.KindContact && len(d.People) == 0 {
			t.Errorf("doc %d: a contact page without people", i)
		}
	}
	for _, c := range []struct {
		name      string
		got       int
		low, high int
	}{
		{"English", en, n * 6 / 100, n * 14 / 100},
		{"dated", dated, n * 75 / 100, n},
		{"near-duplicates", dups, n / 200, n * 4 / 100},
		{"with topics", withTopics, n / 2, n},
		{"with a compound in base form", compounds, n * 8 / 10, n},
		{"news", kinds[kg.KindNews], n * 25 / 100, n * 40 / 100},
	} {
		if c.got < c.low || c.got > c.high {
			t.Errorf("%s: %d of %d, want %d to %d", c.name, c.got, n, c.low, c.high)
		}
	}
	for _, k := range []string{kg.KindAbout, kg.KindNews, kg.KindEvent, kg.KindProject, kg.KindReport, kg.KindContact, kg.KindOther} {
		if kinds[k] == 0 {
			t.Errorf("no document of kind %s: %v", k, kinds)
		}
	}
	if len(years) != 10 {
		t.Errorf("dates over %d years, want 10", len(years))
	}
	if len(seenClusters) != len(clusters) {
		t.Errorf("%d of %d clusters have documents", len(seenClusters), len(clusters))
	}
}

func TestQuery(t *testing.T) {
	g := newGenerator(t, 1)
	seen := map[string]bool{}
	for i := range 200 {
		for terms := 1; terms <= 3; terms++ {
			q := g.Query(i, terms)
			words := strings.Fields(q)
			if len(words) != terms {
				t.Fatalf("Query(%d, %d) = %q: %d words", i, terms, q, len(words))
			}
			for _, w := range words {
				if !utf8.ValidString(w) || strings.ContainsAny(w, `":+-`) {
					t.Fatalf("Query(%d, %d) = %q: bad word %q", i, terms, q, w)
				}
			}
			seen[q] = true
		}
	}
	if len(seen) < 400 {
		t.Errorf("only %d distinct queries of 600", len(seen))
	}
}

func BenchmarkDoc(b *testing.B) {
	g := newGenerator(b, 1)
	i := 0
	for b.Loop() {
		g.Doc(i)
		i++
	}
}
