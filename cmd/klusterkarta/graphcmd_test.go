package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/graph/neo4j"
	"github.com/klusterkarta/klusterkarta/internal/graph/neo4j/neo4jtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// lockedBuffer is a bytes.Buffer safe for concurrent writes: the Neo4j
// driver logs from its own goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runCmd runs klusterkarta with args and returns its exit code, stdout
// and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr lockedBuffer
	code := RunEnv(context.Background(), args, &stdout, &stderr, Env{})
	return code, stdout.String(), stderr.String()
}

func TestGraphCommandErrors(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no subcommand", []string{"graph"}, 2, "graph copy --to"},
		{"unknown subcommand", []string{"graph", "move"}, 2, `unknown command "move"`},
		{"copy without --to", []string{"graph", "copy", "--data", data}, 1, "needs --to bolt://"},
		{"copy to a file", []string{"graph", "copy", "--to", "/tmp/x", "--neo4j-password", "p", "--data", data}, 1, "not a usable Neo4j URI"},
		{"copy without password", []string{"graph", "copy", "--to", "bolt://127.0.0.1:1", "--data", data}, 1, "needs --neo4j-password"},
		{"copy to a bad scheme", []string{"graph", "copy", "--to", "http://127.0.0.1:1", "--neo4j-password", "p", "--data", data}, 1, "not a usable Neo4j URI"},
		{"copy from Neo4j", []string{"graph", "copy", "--graph", "bolt://127.0.0.1:1", "--to", "bolt://127.0.0.1:2", "--neo4j-password", "p", "--data", data}, 1, "leave --graph at embedded"},
		{"copy without a graph", []string{"graph", "copy", "--to", "bolt://127.0.0.1:1", "--neo4j-password", "p", "--data", data}, 1, "no graph in"},
		{"export without a graph", []string{"graph", "export", "--data", data}, 1, "no graph in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, want %d; stderr %q does not contain %q (stdout %q)", code, tt.code, stderr, tt.msg, stdout)
			}
		})
	}
}

// wipeNeo4j deletes everything in the test database.
func wipeNeo4j(t *testing.T, s neo4jtest.Settings) {
	t.Helper()
	ctx := t.Context()
	d, err := driver.NewDriverWithContext(s.URI, driver.BasicAuth(s.User, s.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	sess := d.NewSession(ctx, driver.SessionConfig{DatabaseName: s.Database})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, `MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`, nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		t.Fatalf("wiping the Neo4j test database: %v", err)
	}
}

// canonical returns v as JSON decoded into plain values, with empty lists
// and objects dropped, so that a store returning nil and one returning an
// empty list compare equal.
func canonical(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var x any
	if err := json.Unmarshal(data, &x); err != nil {
		t.Fatal(err)
	}
	var drop func(any) any
	drop = func(v any) any {
		switch y := v.(type) {
		case []any:
			if len(y) == 0 {
				return nil
			}
			for i := range y {
				y[i] = drop(y[i])
			}
		case map[string]any:
			for k, e := range y {
				if e = drop(e); e == nil {
					delete(y, k)
				} else {
					y[k] = e
				}
			}
			if len(y) == 0 {
				return nil
			}
		}
		return v
	}
	return drop(x)
}

func sameAnswer(t *testing.T, what string, want, got any) {
	t.Helper()
	if w, g := canonical(t, want), canonical(t, got); !reflect.DeepEqual(w, g) {
		wj, _ := json.MarshalIndent(w, "", " ")
		gj, _ := json.MarshalIndent(g, "", " ")
		t.Errorf("%s differs between the stores:\nembedded: %s\nneo4j:    %s", what, wj, gj)
	}
}

// TestGraphCopy crawls the demo web, copies its graph into the Neo4j test
// engine and checks that both stores answer every read alike.
func TestGraphCopy(t *testing.T) {
	s := neo4jtest.Use(t)
	wipeNeo4j(t, s)
	_, seeds := MustStartDemoWeb(t)
	data := t.TempDir()
	MustCrawl(t, seeds, data)

	copyArgs := []string{"graph", "copy", "--to", s.URI, "--neo4j-user", s.User, "--neo4j-password", s.Password,
		"--neo4j-database", s.Database, "--data", data, "--log-level", "warn"}
	code, stdout, stderr := runCmd(t, copyArgs...)
	if code != 0 {
		t.Fatalf("graph copy exited %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "Copied ") || !strings.Contains(stdout, "already there") {
		t.Errorf("graph copy printed %q", stdout)
	}

	// A second copy finds every fact set there already.
	code, stdout, stderr = runCmd(t, copyArgs...)
	if code != 0 || !strings.Contains(stdout, "(0 written,") {
		t.Errorf("second graph copy exited %d: %s %s", code, stdout, stderr)
	}

	ctx := t.Context()
	emb, err := embedded.Open(filepath.Join(data, "graph"))
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	neo, err := neo4j.Open(ctx, neo4j.Config{URI: s.URI, User: s.User, Password: s.Password, Database: s.Database})
	if err != nil {
		t.Fatal(err)
	}
	defer neo.Close()

	stores := []kg.GraphStore{emb, neo}
	answers := func(name string, read func(st kg.GraphStore) (any, error)) {
		t.Helper()
		var got [2]any
		for i, st := range stores {
			v, err := read(st)
			if err != nil {
				t.Fatalf("%s on %T: %v", name, st, err)
			}
			got[i] = v
		}
		sameAnswer(t, name, got[0], got[1])
	}

	answers("Stats", func(st kg.GraphStore) (any, error) { return st.Stats(ctx) })
	answers("Clusters", func(st kg.GraphStore) (any, error) { return st.Clusters(ctx) })
	answers("Topics", func(st kg.GraphStore) (any, error) { return st.Topics(ctx) })
	clusters, err := emb.Clusters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(clusters) == 0 {
		t.Fatal("the demo crawl left no clusters")
	}
	for _, c := range clusters {
		answers("Cluster "+c.ID, func(st kg.GraphStore) (any, error) { return st.Cluster(ctx, c.ID) })
	}
	topics, err := emb.Topics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ranked := 0
	for _, tp := range topics {
		answers("TopicClusters "+tp.ID, func(st kg.GraphStore) (any, error) { return st.TopicClusters(ctx, tp.ID) })
		if tp.Clusters > 0 {
			ranked++
		}
	}
	if ranked == 0 {
		t.Error("no topic has clusters: the comparison of TopicClusters proves nothing")
	}
	answers("Relationships", func(st kg.GraphStore) (any, error) {
		return st.(kg.GraphExplorer).Relationships(ctx, kg.RelFilter{})
	})
	for _, label := range []string{kg.LabelCluster, kg.LabelDocument, kg.LabelTopic, kg.LabelPerson, kg.LabelOrganisation} {
		answers("Nodes "+label, func(st kg.GraphStore) (any, error) { return st.(kg.GraphExplorer).Nodes(ctx, label) })
	}
	emb.Close()

	// graph export gives the same GraphML from either store.
	exportArgs := []string{"graph", "export", "--format", "graphml", "--data", data, "--log-level", "warn"}
	code, fromEmbedded, stderr := runCmd(t, exportArgs...)
	if code != 0 || !strings.Contains(fromEmbedded, "<graphml") {
		t.Fatalf("graph export from the embedded store exited %d: %s", code, stderr)
	}
	code, fromNeo4j, stderr := runCmd(t, append(exportArgs, "--graph", s.URI, "--neo4j-user", s.User,
		"--neo4j-password", s.Password, "--neo4j-database", s.Database)...)
	if code != 0 {
		t.Fatalf("graph export from Neo4j exited %d: %s", code, stderr)
	}
	if fromEmbedded != fromNeo4j {
		t.Errorf("graph export differs between the stores:\nembedded: %.2000s\nneo4j:    %.2000s", fromEmbedded, fromNeo4j)
	}
}

// TestGraphCopyIntoUsedDatabase checks that copying into a database that
// holds other facts fails with a clear message.
func TestGraphCopyIntoUsedDatabase(t *testing.T) {
	s := neo4jtest.Use(t)
	wipeNeo4j(t, s)
	ctx := t.Context()
	neo, err := neo4j.Open(ctx, neo4j.Config{URI: s.URI, User: s.User, Password: s.Password, Database: s.Database})
	if err != nil {
		t.Fatal(err)
	}
	defer neo.Close()
	other := kg.FactSet{SourceID: "doc:https://other.example/", Hash: "o", Nodes: []kg.Node{
		{ID: "org:other", Label: kg.LabelOrganisation, Name: "Annan"},
	}}
	if _, err := neo.ReplaceFacts(ctx, other); err != nil {
		t.Fatal(err)
	}

	data := t.TempDir()
	emb, err := embedded.Open(filepath.Join(data, "graph"))
	if err != nil {
		t.Fatal(err)
	}
	mine := kg.FactSet{SourceID: kg.RegistrySource, Hash: "r", Nodes: []kg.Node{
		{ID: "cluster:syd", Label: kg.LabelCluster, Name: "Sydkluster"},
	}}
	if _, err := emb.ReplaceFacts(ctx, mine); err != nil {
		t.Fatal(err)
	}
	emb.Close()

	code, stdout, stderr := runCmd(t, "graph", "copy", "--to", s.URI, "--neo4j-user", s.User, "--neo4j-password", s.Password,
		"--neo4j-database", s.Database, "--data", data)
	if code != 1 || !strings.Contains(stderr, "the target held other facts before") {
		t.Errorf("copy into a used database exited %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}
