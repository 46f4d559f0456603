package embedded

import (
	"reflect"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// docFacts is a small document fact set: the document and one topic edge.
func docFacts(url, hash, topic string) kg.FactSet {
	id := "doc:" + url
	return kg.FactSet{SourceID: id, Hash: hash,
		Nodes: []kg.Node{{ID: id, Label: kg.LabelDocument, Name: url}, {ID: "topic:" + topic, Label: kg.LabelTopic, Name: topic}},
		Edges: []kg.Edge{{From: id, Rel: kg.RelMentions, To: "topic:" + topic}},
	}
}

func TestReplaceFactsBatchMatchesOneByOne(t *testing.T) {
	ctx := t.Context()
	sets := []kg.FactSet{
		docFacts("https://a.example/1", "h1", "biogas"),
		docFacts("https://a.example/2", "h2", "skog"),
		docFacts("https://b.example/3", "h3", "biogas"),
	}
	one := MustOpen(t, t.TempDir())
	defer one.Close()
	for _, fs := range sets {
		if _, err := one.ReplaceFacts(ctx, fs); err != nil {
			t.Fatal(err)
		}
	}

	dir := t.TempDir()
	batch := MustOpen(t, dir)
	if _, err := batch.ReplaceFacts(ctx, sets[0]); err != nil {
		t.Fatal(err)
	}
	changed, err := batch.ReplaceFactsBatch(ctx, sets)
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{false, true, true}; !reflect.DeepEqual(changed, want) {
		t.Errorf("changed = %v, want %v (the first set was stored already)", changed, want)
	}
	wantStats, err := one.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gotStats, err := batch.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotStats, wantStats) {
		t.Errorf("after the batch the graph holds %+v, one by one %+v", gotStats, wantStats)
	}

	// The batch survives a reopen.
	if err := batch.Close(); err != nil {
		t.Fatal(err)
	}
	reopened := MustOpen(t, dir)
	defer reopened.Close()
	for _, fs := range sets {
		if h, ok, err := reopened.SourceHash(ctx, fs.SourceID); err != nil || !ok || h != fs.Hash {
			t.Errorf("after reopen SourceHash(%s) = %q, %v, %v; want %q", fs.SourceID, h, ok, err, fs.Hash)
		}
	}
}

func TestReplaceFactsBatchInvalidWritesNothing(t *testing.T) {
	ctx := t.Context()
	s := MustOpen(t, t.TempDir())
	defer s.Close()
	bad := docFacts("https://a.example/2", "h2", "skog")
	bad.Edges = append(bad.Edges, kg.Edge{From: bad.SourceID, Rel: kg.RelMentions}) // no end
	_, err := s.ReplaceFactsBatch(ctx, []kg.FactSet{docFacts("https://a.example/1", "h1", "biogas"), bad})
	if kg.ErrorCode(err) != kg.EINVALID {
		t.Fatalf("ReplaceFactsBatch with an invalid set: err = %v, want EINVALID", err)
	}
	if _, ok, _ := s.SourceHash(ctx, "doc:https://a.example/1"); ok {
		t.Error("the valid set of a rejected batch was written")
	}
}
