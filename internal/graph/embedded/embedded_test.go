package embedded

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// MustOpen opens a store in dir and fails tb if it cannot.
func MustOpen(tb testing.TB, dir string) *Store {
	tb.Helper()
	s, err := Open(dir)
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	return s
}

func TestConformance(t *testing.T) {
	graphtest.Run(t,
		func(t *testing.T) kg.GraphStore { return MustOpen(t, t.TempDir()) },
		func(t *testing.T, closed kg.GraphStore) kg.GraphStore {
			return MustOpen(t, closed.(*Store).Dir())
		})
}

func TestOpenCreatesDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "graph")
	s := MustOpen(t, dir)
	defer s.Close()
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Fatalf("database file not created: %v", err)
	}
}

func TestOpenLocked(t *testing.T) {
	dir := t.TempDir()
	s := MustOpen(t, dir)
	defer s.Close()

	start := time.Now()
	_, err := Open(dir, WithLockTimeout(50*time.Millisecond))
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open of %s: err = %v, want ErrLocked", dir, err)
	}
	if !strings.Contains(err.Error(), filepath.Join(dir, FileName)) {
		t.Errorf("error %q does not name the file", err)
	}
	if d := time.Since(start); d > 10*DefaultLockTimeout {
		t.Errorf("second Open took %v", d)
	}

	// Once the first store is closed, the directory opens again.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	MustOpen(t, dir).Close()
}

func TestOpenCorrupt(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		want    string // part of the error message
	}{
		{
			name: "not a database",
			prepare: func(t *testing.T, dir string) {
				junk := []byte(strings.Repeat("det här är ingen databas\n", 1000))
				if err := os.WriteFile(filepath.Join(dir, FileName), junk, 0o600); err != nil {
					t.Fatal(err)
				}
			},
			want: "opening graph database",
		},
		{
			name: "undecodable fact set",
			prepare: func(t *testing.T, dir string) {
				putRaw(t, dir, factsBucket, "doc:https://x.example/", []byte("{not json"))
			},
			want: `decoding fact set of "doc:https://x.example/"`,
		},
		{
			name: "fact set under the wrong key",
			prepare: func(t *testing.T, dir string) {
				putRaw(t, dir, factsBucket, "doc:https://x.example/", []byte(`{"seq":1,"facts":{"SourceID":"doc:other"}}`))
			},
			want: `names source "doc:other"`,
		},
		{
			name: "unknown format",
			prepare: func(t *testing.T, dir string) {
				putRaw(t, dir, metaBucket, string(versionKey), []byte("99"))
			},
			want: `unsupported format version "99"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.prepare(t, dir)
			s, err := Open(dir)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), dir) {
				t.Errorf("Open error %q; want it to name %q and the directory", err, tt.want)
			}
		})
	}
}

// putRaw writes a raw value into a store's file, creating the store first.
func putRaw(t *testing.T, dir string, bucket []byte, key string, value []byte) {
	t.Helper()
	MustOpen(t, dir).Close()
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).Put([]byte(key), value)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUnchangedHashWritesNothing(t *testing.T) {
	s := MustOpen(t, t.TempDir())
	defer s.Close()
	ctx := t.Context()
	fs := kg.FactSet{SourceID: "doc:https://x.example/", Hash: "h1",
		Nodes: []kg.Node{{ID: "doc:https://x.example/", Label: kg.LabelDocument, Name: "X"}}}
	if _, err := s.ReplaceFacts(ctx, fs); err != nil {
		t.Fatal(err)
	}
	writes := func() int64 {
		st := s.db.Stats()
		return st.TxStats.GetWrite()
	}
	before := writes()
	changed, err := s.ReplaceFacts(ctx, fs)
	if err != nil || changed {
		t.Fatalf("ReplaceFacts with the same hash = %v, %v", changed, err)
	}
	if _, err := s.RetractFacts(ctx, "doc:unknown"); err != nil {
		t.Fatal(err)
	}
	if after := writes(); after != before {
		t.Errorf("writes went from %d to %d for an unchanged hash and an unknown retraction", before, after)
	}
}

func TestInvalidNodes(t *testing.T) {
	s := MustOpen(t, t.TempDir())
	defer s.Close()
	tests := []struct {
		name string
		fs   kg.FactSet
	}{
		{"node without id", kg.FactSet{SourceID: "s", Nodes: []kg.Node{{Label: kg.LabelTopic}}}},
		{"node without label", kg.FactSet{SourceID: "s", Nodes: []kg.Node{{ID: "topic:x"}}}},
		{"edge without type", kg.FactSet{SourceID: "s", Edges: []kg.Edge{{From: "a", To: "b"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ReplaceFacts(t.Context(), tt.fs)
			if code := kg.ErrorCode(err); code != kg.EINVALID {
				t.Errorf("ReplaceFacts: code %q (%v), want %q", code, err, kg.EINVALID)
			}
		})
	}
}

func TestClosed(t *testing.T) {
	s := MustOpen(t, t.TempDir())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ctx := t.Context()
	_, err := s.ReplaceFacts(ctx, kg.FactSet{SourceID: "s", Hash: "h"})
	if kg.ErrorCode(err) != kg.EUNAVAIL {
		t.Errorf("ReplaceFacts after Close: %v", err)
	}
	_, err = s.Clusters(ctx)
	if kg.ErrorCode(err) != kg.EUNAVAIL {
		t.Errorf("Clusters after Close: %v", err)
	}
}

// TestReadsDoNotShareMemory checks that a caller changing a returned value
// or a written fact set does not change the store.
func TestReadsDoNotShareMemory(t *testing.T) {
	s := MustOpen(t, t.TempDir())
	defer s.Close()
	ctx := t.Context()
	reg := kg.Registry{Clusters: []kg.Cluster{{ID: "a", Name: "A", County: "Län", Sites: []string{"https://a.example/"}}}}
	fs := kg.RegistryFacts(reg, []kg.Topic{{ID: "t", SV: "T", EN: "T", Terms: []string{"t"}}})
	if _, err := s.ReplaceFacts(ctx, fs); err != nil {
		t.Fatal(err)
	}
	fs.Nodes[0].Props[kg.PropCounty] = "Ändrat"
	fs.Nodes[0].Name = "Ändrat"
	c, err := s.Cluster(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "A" || c.County != "Län" {
		t.Fatalf("cluster changed with the caller's fact set: %+v", c)
	}
	c.Sites[0] = "https://changed.example/"
	again, err := s.Cluster(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if again.Sites[0] != "https://a.example/" {
		t.Errorf("cluster changed with a returned value: %+v", again)
	}
}

// TestCachedWeights checks that the weight kept with each edge equals the
// weight of its evidence after writes that change a document's kind from
// another source, and after retractions.
func TestCachedWeights(t *testing.T) {
	s := MustOpen(t, t.TempDir())
	defer s.Close()
	ctx := t.Context()
	reg := kg.Registry{Clusters: []kg.Cluster{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}}
	topics := []kg.Topic{{ID: "t", SV: "T"}, {ID: "u", SV: "U"}}
	doc := func(url, kind, hash string, clusters []string, topics ...string) kg.FactSet {
		d := kg.Document{ID: kg.DocumentID(url), URL: url, Kind: kind, Clusters: clusters, ContentHash: hash}
		for _, tp := range topics {
			d.Topics = append(d.Topics, kg.TopicMatch{TopicID: tp, Snippet: tp})
		}
		return kg.DocumentFacts(d)
	}
	steps := []func() error{
		func() error { _, err := s.ReplaceFacts(ctx, kg.RegistryFacts(reg, topics)); return err },
		func() error {
			_, err := s.ReplaceFacts(ctx, doc("https://x.example/1", kg.KindNews, "1", []string{"a", "b"}, "t", "u"))
			return err
		},
		func() error {
			_, err := s.ReplaceFacts(ctx, doc("https://x.example/2", kg.KindProject, "1", []string{"a"}, "t"))
			return err
		},
		// Another source declares document 1 as a report: it wins as the
		// latest declaration and changes the kind of 1's evidence.
		func() error {
			_, err := s.ReplaceFacts(ctx, kg.FactSet{SourceID: "test:other", Hash: "o", Nodes: []kg.Node{
				{ID: kg.DocumentID("https://x.example/1"), Label: kg.LabelDocument, Name: "1",
					Props: map[string]string{kg.PropKind: kg.KindReport}},
			}})
			return err
		},
		func() error {
			_, err := s.ReplaceFacts(ctx, doc("https://x.example/2", kg.KindEvent, "2", []string{"a", "b"}, "u"))
			return err
		},
		func() error { _, err := s.RetractFacts(ctx, "test:other"); return err },
		func() error { _, err := s.RetractFacts(ctx, kg.DocumentID("https://x.example/1")); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		s.mu.RLock()
		for k, es := range s.agg.edges {
			want := kg.EvidenceWeight(s.agg.evidence(k))
			if es.weight != want {
				t.Errorf("step %d: edge %v keeps weight %v, its evidence weighs %v", i, k, es.weight, want)
			}
		}
		s.mu.RUnlock()
	}
	a, err := s.Cluster(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.TopTopics) != 1 || a.TopTopics[0].TopicID != "u" || a.TopTopics[0].Weight != 2 {
		t.Errorf("cluster a's top topics = %+v, want u with weight 2", a.TopTopics)
	}
}
