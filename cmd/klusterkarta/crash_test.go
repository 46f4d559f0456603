package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/crawlstate"
	"github.com/klusterkarta/klusterkarta/internal/demoweb"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// MustBuild builds the klusterkarta binary into a temporary directory.
func MustBuild(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "klusterkarta")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// crawlCommand returns the command of one real crawl process.
func crawlCommand(bin, seeds, dataDir string, extra ...string) *exec.Cmd {
	args := append([]string{"crawl", "--json", "--log-level", "error", "--allow-private", "--seeds", seeds, "--data", dataDir}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = os.Environ()
	return cmd
}

// dataSnapshot is what a data directory holds, in comparable form.
type dataSnapshot struct {
	GraphDocs []string                        // ids of Document nodes
	IndexDocs []string                        // ids of indexed documents, as listed
	Count     uint64                          // the index's document count
	Topics    map[string][]kg.ClusterStrength // TopicClusters of every demo topic
	Clusters  map[string]kg.ClusterDetail     // every demo cluster
	State     crawlstate.Stats                // the crawl state
}

// MustSnapshot opens dataDir as the server would and reads what the
// comparisons need.
func MustSnapshot(t *testing.T, dataDir string, reg kg.Registry) dataSnapshot {
	t.Helper()
	ctx := context.Background()
	app, err := OpenApp(ctx, dataDir, reg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("opening %s: %v", dataDir, err)
	}
	defer app.Close()
	var snap dataSnapshot
	ex, ok := app.Graph.(kg.GraphExplorer)
	if !ok {
		t.Fatal("the embedded graph is not a kg.GraphExplorer")
	}
	nodes, err := ex.Nodes(ctx, kg.LabelDocument)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		snap.GraphDocs = append(snap.GraphDocs, n.ID)
	}
	if snap.Count, err = app.Index.Count(ctx); err != nil {
		t.Fatal(err)
	}
	for page := 1; ; page++ {
		req := kg.SearchRequest{Page: page, Size: kg.MaxPageSize}
		if err := req.Validate(); err != nil {
			t.Fatal(err)
		}
		res, err := app.Index.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			snap.IndexDocs = append(snap.IndexDocs, h.ID)
		}
		if len(res.Hits) < kg.MaxPageSize {
			break
		}
	}
	sort.Strings(snap.IndexDocs)
	snap.Topics = map[string][]kg.ClusterStrength{}
	for topic := range demoweb.Expected {
		cs, err := app.Graph.TopicClusters(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		snap.Topics[topic] = cs
	}
	snap.Clusters = map[string]kg.ClusterDetail{}
	for _, c := range reg.Clusters {
		d, err := app.Graph.Cluster(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		snap.Clusters[c.ID] = d
	}
	if snap.State, err = app.CrawlState.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	return snap
}

// TestKillAndResume kills a real crawl process with SIGKILL at random
// moments, restarts it each time, and checks that the crawl resumes and
// that the graph and index end as a clean crawl leaves them: the same
// documents, none twice, and the same answers.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills crawls; skipped with -short")
	}
	bin := MustBuild(t)
	web, seeds := MustStartDemoWeb(t)
	reg := web.Registry()

	clean := t.TempDir()
	out, err := crawlCommand(bin, seeds, clean, "--delay", "5ms").Output()
	if err != nil {
		t.Fatalf("clean crawl: %v\n%s", err, out)
	}
	var first Summary
	if err := json.Unmarshal(out, &first); err != nil {
		t.Fatalf("clean summary: %v\n%s", err, out)
	}
	want := MustSnapshot(t, clean, reg)
	if len(want.GraphDocs) < 20 {
		t.Fatalf("the clean crawl stored only %d documents", len(want.GraphDocs))
	}

	seed := time.Now().UnixNano()
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	killed := t.TempDir()
	const kills = 5
	var killedRunning int
	var progress []int
	for i := 0; i < kills; i++ {
		cmd := crawlCommand(bin, seeds, killed, "--delay", "200ms", "--checkpoint", "150ms")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		wait := time.Duration(300+rng.IntN(1000)) * time.Millisecond
		finished := false
		select {
		case err := <-exited:
			t.Logf("run %d finished by itself before the kill at %v (%v)", i, wait, err)
			finished = true
		case <-time.After(wait):
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-exited
			killedRunning++
			t.Logf("run %d killed after %v", i, wait)
		}
		st := mustStateStats(t, killed)
		// Every run goes on with crawl 1: none starts the crawl afresh,
		// and the URLs done never decrease.
		if st.Crawl != 1 && !(st.Crawl == 2 && !st.Open) {
			t.Errorf("after run %d the state is at crawl %d: a killed crawl was not resumed", i, st.Crawl)
		}
		if len(progress) > 0 && st.Records < progress[len(progress)-1] {
			t.Errorf("after run %d the state has %d records, fewer than the %d before", i, st.Records, progress[len(progress)-1])
		}
		progress = append(progress, st.Records)
		if finished {
			break
		}
	}
	if killedRunning < 3 {
		t.Fatalf("only %d of %d runs were killed while crawling; the test did not test", killedRunning, kills)
	}
	before := MustSnapshot(t, killed, reg)
	if !before.State.Open || before.State.Frontier == 0 {
		t.Logf("state before the last run: %+v", before.State)
	}

	// The last run completes.
	out, err = crawlCommand(bin, seeds, killed, "--delay", "5ms").Output()
	if err != nil {
		t.Fatalf("final crawl: %v\n%s", err, out)
	}
	var last Summary
	if err := json.Unmarshal(out, &last); err != nil {
		t.Fatalf("final summary: %v\n%s", err, out)
	}
	if before.State.Open && !last.Resumed {
		t.Errorf("the final run did not resume the interrupted crawl: %+v", last)
	}
	if before.State.Records > 0 && last.PagesFetched >= first.PagesFetched {
		t.Errorf("the resumed run fetched %d pages, as many as a whole crawl (%d): the work done was not kept", last.PagesFetched, first.PagesFetched)
	}
	got := MustSnapshot(t, killed, reg)
	t.Logf("killed %d times; records done after each run %v; final run fetched %d of %d pages; state %+v",
		killedRunning, progress, last.PagesFetched, first.PagesFetched, got.State)

	if got.State.Open || got.State.Frontier != 0 {
		t.Errorf("state after a completed crawl: %+v", got.State)
	}
	for name, s := range map[string]dataSnapshot{"clean": want, "killed": got} {
		if dup := duplicates(s.IndexDocs); len(dup) > 0 {
			t.Errorf("%s: index lists documents twice: %v", name, dup)
		}
		if int(s.Count) != len(s.IndexDocs) {
			t.Errorf("%s: index counts %d documents but lists %d", name, s.Count, len(s.IndexDocs))
		}
		if !slices.Equal(s.GraphDocs, s.IndexDocs) {
			t.Errorf("%s: graph and index hold different documents:\ngraph %v\nindex %v", name, s.GraphDocs, s.IndexDocs)
		}
	}
	if !slices.Equal(got.GraphDocs, want.GraphDocs) {
		t.Errorf("documents after kills differ from a clean crawl:\ngot  %v\nwant %v", got.GraphDocs, want.GraphDocs)
	}
	if !reflect.DeepEqual(got.Topics, want.Topics) {
		t.Errorf("TopicClusters after kills differ from a clean crawl:\ngot  %+v\nwant %+v", got.Topics, want.Topics)
	}
	if !reflect.DeepEqual(got.Clusters, want.Clusters) {
		t.Errorf("clusters after kills differ from a clean crawl")
	}

	// A re-crawl of the unchanged web asks conditionally, extracts nothing
	// and changes nothing.
	out, err = crawlCommand(bin, seeds, killed, "--delay", "5ms").Output()
	if err != nil {
		t.Fatalf("re-crawl: %v\n%s", err, out)
	}
	var again Summary
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatal(err)
	}
	if again.NotModified < len(want.GraphDocs)/2 || again.Changed != 0 || again.Resumed {
		t.Errorf("re-crawl of an unchanged web: %+v", again)
	}
	if after := MustSnapshot(t, killed, reg); !slices.Equal(after.GraphDocs, want.GraphDocs) || !reflect.DeepEqual(after.Topics, want.Topics) {
		t.Errorf("a conditional re-crawl changed the graph")
	}
}

// mustStateStats reads the crawl state of dataDir without opening the
// graph and index.
func mustStateStats(t *testing.T, dataDir string) crawlstate.Stats {
	t.Helper()
	st, err := crawlstate.Open(filepath.Join(dataDir, crawlstate.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// duplicates returns the values of a sorted list that occur more than once.
func duplicates(sorted []string) []string {
	var out []string
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] && (len(out) == 0 || out[len(out)-1] != sorted[i]) {
			out = append(out, sorted[i])
		}
	}
	return out
}
