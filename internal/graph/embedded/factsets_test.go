package embedded

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// roleFacts is a document asserting that a person works at a cluster in
// a role.
func roleFacts(url, role string) kg.FactSet {
	id := kg.DocumentID(url)
	return kg.FactSet{SourceID: id, Hash: url + role,
		Nodes: []kg.Node{
			kg.DocumentNode(kg.Document{ID: id, URL: url, Title: role, Kind: kg.KindContact}),
			{ID: "person:eva", Label: kg.LabelPerson, Name: "Eva " + role},
		},
		Edges: []kg.Edge{{From: "person:eva", Rel: kg.RelWorksAt, To: "cluster:syd", Props: map[string]string{"role": role}}},
	}
}

func copyRegistry(hash, name string) kg.FactSet {
	return kg.FactSet{SourceID: kg.RegistrySource, Hash: hash, Nodes: []kg.Node{
		{ID: "cluster:syd", Label: kg.LabelCluster, Name: name},
	}}
}

func TestFactSetsWriteOrder(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t, t.TempDir())
	defer s.Close()
	writes := []kg.FactSet{
		copyRegistry("r1", "Sydkluster"),
		roleFacts("https://a.example/", "ordförande"),
		roleFacts("https://b.example/", "sekreterare"),
		copyRegistry("r2", "Sydklustret"),
		roleFacts("https://a.example/", "kassör"), // rewritten: now the latest
	}
	for _, fs := range writes {
		if _, err := s.ReplaceFacts(ctx, fs); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ReplaceFacts(ctx, roleFacts("https://c.example/", "gone")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RetractFacts(ctx, kg.DocumentID("https://c.example/")); err != nil {
		t.Fatal(err)
	}

	var got []kg.FactSet
	if err := s.FactSets(ctx, func(fs kg.FactSet) error { got = append(got, fs); return nil }); err != nil {
		t.Fatalf("FactSets: %v", err)
	}
	want := []kg.FactSet{writes[2], writes[3], writes[4]}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fact sets:\n got %+v\nwant %+v", got, want)
	}

	// Written in that order into a new store, they give the same graph.
	copied := MustOpen(t, t.TempDir())
	defer copied.Close()
	for _, fs := range got {
		if _, err := copied.ReplaceFacts(ctx, fs); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []kg.RelFilter{{}, {From: "person:eva"}} {
		a, err := s.Relationships(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := copied.Relationships(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("Relationships(%+v): copy %+v, original %+v", f, b, a)
		}
	}
	for _, id := range []string{"person:eva", "cluster:syd"} {
		a, _ := s.Node(ctx, id)
		b, _ := copied.Node(ctx, id)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("Node(%s): copy %+v, original %+v", id, b, a)
		}
	}
}

func TestFactSetsStops(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t, t.TempDir())
	defer s.Close()
	for _, url := range []string{"https://a.example/", "https://b.example/"} {
		if _, err := s.ReplaceFacts(ctx, roleFacts(url, "x")); err != nil {
			t.Fatal(err)
		}
	}

	stop := errors.New("stop")
	calls := 0
	err := s.FactSets(ctx, func(kg.FactSet) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("FactSets with a failing fn: err %v after %d calls, want stop after 1", err, calls)
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	calls = 0
	err = s.FactSets(canceled, func(kg.FactSet) error { calls++; return nil })
	if !errors.Is(err, context.Canceled) || calls != 0 {
		t.Errorf("FactSets with a canceled context: err %v after %d calls", err, calls)
	}

	s.Close()
	err = s.FactSets(ctx, func(kg.FactSet) error { return nil })
	if kg.ErrorCode(err) != kg.EUNAVAIL {
		t.Errorf("FactSets on a closed store: %v, want EUNAVAIL", err)
	}
}
