package mock_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/mock"
)

func TestGraphStoreDelegates(t *testing.T) {
	want := errors.New("boom")
	var gotID string
	g := &mock.GraphStore{
		ClusterFn: func(_ context.Context, id string) (kg.ClusterDetail, error) {
			gotID = id
			return kg.ClusterDetail{Town: "Skara"}, want
		},
	}
	d, err := g.Cluster(context.Background(), "agro")
	if gotID != "agro" || d.Town != "Skara" || !errors.Is(err, want) {
		t.Fatalf("Cluster = %+v, %v (id %q)", d, err, gotID)
	}
	if err := g.Close(); err != nil {
		t.Fatalf("Close with nil CloseFn = %v, want nil", err)
	}
}

func TestSearcherDelegates(t *testing.T) {
	s := &mock.Searcher{
		CountFn: func(context.Context) (uint64, error) { return 7, nil },
		CloseFn: func() error { return errors.New("closed twice") },
	}
	if n, err := s.Count(context.Background()); n != 7 || err != nil {
		t.Fatalf("Count = %d, %v", n, err)
	}
	if err := s.Close(); err == nil {
		t.Fatal("Close did not return CloseFn's error")
	}
}

func TestNilFuncPanicsWithName(t *testing.T) {
	tests := []struct {
		name string
		call func()
	}{
		{"GraphStore.Topics", func() { (&mock.GraphStore{}).Topics(context.Background()) }},
		{"GraphStore.Stats", func() { (&mock.GraphStore{}).Stats(context.Background()) }},
		{"Searcher.Search", func() { (&mock.Searcher{}).Search(context.Background(), kg.SearchRequest{}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.Contains(msg, tt.name) {
					t.Fatalf("panic = %v, want a message naming %s", r, tt.name)
				}
			}()
			tt.call()
		})
	}
}
