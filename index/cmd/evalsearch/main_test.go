package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNDCGAndRecall(t *testing.T) {
	grades := map[string]int{"a": 2, "b": 1, "c": 2}
	tests := []struct {
		name         string
		got          []string
		ndcg, recall float64
	}{
		{"ideal", []string{"a", "c", "b"}, 1, 1},
		{"nothing", []string{"x", "y"}, 0, 0},
		{"empty", nil, 0, 0},
		// DCG 1/log2(2) = 1 for "b"; ideal 3 + 3/log2(3) + 1/2.
		{"partly", []string{"b", "x"}, 1 / (3 + 3/math.Log2(3) + 0.5), 1.0 / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ndcg(tt.got, grades); math.Abs(got-tt.ndcg) > 1e-9 {
				t.Errorf("ndcg = %v, want %v", got, tt.ndcg)
			}
			if got := recall(tt.got, grades); math.Abs(got-tt.recall) > 1e-9 {
				t.Errorf("recall = %v, want %v", got, tt.recall)
			}
		})
	}
}

// TestJudgedQueries checks the compiled-in query set: enough queries in
// every group, each with judgements of grade 1 or 2.
func TestJudgedQueries(t *testing.T) {
	var qs []judgedQuery
	if err := json.Unmarshal(judgedQueries, &qs); err != nil {
		t.Fatal(err)
	}
	if len(qs) < 50 {
		t.Errorf("%d judged queries, want at least 50", len(qs))
	}
	perGroup := map[string]int{}
	seen := map[string]bool{}
	for _, q := range qs {
		perGroup[q.Group]++
		if seen[q.Query] {
			t.Errorf("query %q is judged twice", q.Query)
		}
		seen[q.Query] = true
		if len(q.Relevant) == 0 {
			t.Errorf("query %q has no relevant page", q.Query)
		}
		for _, r := range q.Relevant {
			if r.Grade != 1 && r.Grade != 2 {
				t.Errorf("query %q: grade %d", q.Query, r.Grade)
			}
		}
	}
	for _, g := range groups {
		if perGroup[g] < 5 {
			t.Errorf("group %s has %d queries, want at least 5", g, perGroup[g])
		}
	}
}

// TestRun runs the command on a corpus of three pages of its own.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	pages := []page{
		{URL: "https://a.example/", Title: "Biogas på gården", Text: "Gården bygger en biogasanläggning för gödsel.", Kind: "news"},
		{URL: "https://b.example/", Title: "Torka i länet", Text: "Lantbrukare behöver bevattning när det är torrt.", Kind: "news"},
		{URL: "https://c.example/", Title: "Skogsdag", Text: "Skogsägare träffas för att prata om skogsbruk.", Kind: "event"},
	}
	var b bytes.Buffer
	for _, p := range pages {
		line, _ := json.Marshal(p)
		b.Write(append(line, '\n'))
	}
	if err := os.WriteFile(filepath.Join(dir, "pages.jsonl"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	queries := `[{"query": "biogas", "lang": "sv", "group": "sv", "relevant_urls": [{"url": "https://a.example/", "grade": 2}]},
		{"query": "drought", "lang": "en", "group": "en", "relevant_urls": [{"url": "https://b.example/", "grade": 2}]}]`
	qpath := filepath.Join(dir, "queries.json")
	if err := os.WriteFile(qpath, []byte(queries), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, dir, qpath, true, 0, ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 pages, 2 judged queries", "klusterkarta:          nDCG@10 1.000  recall@10 1.000", "baseline (standard):", "  sv         1 queries", "  en         1 queries"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	bad := `[{"query": "biogas", "lang": "sv", "group": "sv", "relevant_urls": [{"url": "https://elsewhere.example/", "grade": 2}]}]`
	if err := os.WriteFile(qpath, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), &out, dir, qpath, false, 0, ""); err == nil || !strings.Contains(err.Error(), "not a page of the corpus") {
		t.Errorf("run with a judgement of an unknown page: %v, want an error naming it", err)
	}
}
