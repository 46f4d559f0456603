// Command evalsearch measures search quality on a corpus of pages with a
// judged query set: it indexes the pages with the project's index and with
// a baseline (Bleve's default mapping and standard analyser, a plain match
// query), runs every query on both and prints nDCG@10 and recall@10,
// overall and per query group.
//
//	go run ./index/cmd/evalsearch -corpus ../shared/corpus
//
// The corpus directory holds pages.jsonl, one page a line (url, title,
// text, kind, about_clusters). The judged queries are those of
// queries.json beside this file, compiled in; -queries reads another file
// of the same shape. README.md says how the judgements were made. With
// -pool N, every query also lists the pages in the first N hits of either
// ranking that have no judgement, which is where judging a new query
// starts. Nothing of the corpus is kept.
package main

import (
	"bufio"
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

// judgedQueries is the query set judged over the corpus.
//
//go:embed queries.json
var judgedQueries []byte

// groups are the query groups, in the order they are printed.
var groups = []string{"sv", "en", "compound", "typo", "question", "phrase"}

// cutoff is the rank the figures are measured at.
const cutoff = 10

type page struct {
	URL           string   `json:"url"`
	Title         string   `json:"title"`
	Text          string   `json:"text"`
	Kind          string   `json:"kind"`
	AboutClusters []string `json:"about_clusters"`
}

type judgedQuery struct {
	Query    string         `json:"query"`
	Lang     string         `json:"lang"`
	Group    string         `json:"group"`
	Note     string         `json:"note"`
	Relevant []relevantURL  `json:"relevant_urls"`
	grades   map[string]int // url → grade
}

type relevantURL struct {
	URL   string `json:"url"`
	Grade int    `json:"grade"`
}

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "directory with pages.jsonl")
	queries := flag.String("queries", "", "judged queries (JSON); default: the compiled-in queries.json")
	verbose := flag.Bool("v", false, "print every query's figures")
	pool := flag.Int("pool", 0, "list the unjudged pages among the first `n` hits of either ranking")
	show := flag.String("show", "", "print both rankings, with grades, of the queries containing `text`")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *corpus, *queries, *verbose, *pool, *show); err != nil {
		fmt.Fprintln(os.Stderr, "evalsearch:", err)
		os.Exit(1)
	}
}

// scores are the figures of one ranking.
type scores struct{ ndcg, recall float64 }

func run(ctx context.Context, w io.Writer, dir, queriesPath string, verbose bool, pool int, show string) error {
	pages, err := readPages(filepath.Join(dir, "pages.jsonl"))
	if err != nil {
		return err
	}
	qs, err := readQueries(queriesPath, pages)
	if err != nil {
		return err
	}
	vocab, err := topics.Default()
	if err != nil {
		return fmt.Errorf("loading topics: %w", err)
	}
	ix, err := buildIndex(ctx, pages, vocab)
	if err != nil {
		return err
	}
	defer ix.Close()
	base, err := buildBaseline(pages)
	if err != nil {
		return err
	}
	defer base.Close()

	n := max(cutoff, pool)
	titles := map[string]string{}
	for _, p := range pages {
		titles[p.URL] = p.Title
	}
	info := index.BuiltinDictionary()
	fmt.Fprintf(w, "corpus: %d pages, %d judged queries; dictionary: %d domain + %d general words\n",
		len(pages), len(qs), info.DomainWords, info.GeneralWords)
	var ours, theirs []scores
	var shares []float64 // per query: the share of the pages it matches
	for _, q := range qs {
		got, dym, total, err := search(ctx, ix, q.Query, n)
		if err != nil {
			return err
		}
		shares = append(shares, float64(total)/float64(len(pages)))
		bgot, err := searchBaseline(base, q.Query, n)
		if err != nil {
			return err
		}
		o := scores{ndcg(got, q.grades), recall(got, q.grades)}
		b := scores{ndcg(bgot, q.grades), recall(bgot, q.grades)}
		ours, theirs = append(ours, o), append(theirs, b)
		if verbose {
			if dym != "" {
				dym = " (did you mean: " + dym + ")"
			}
			fmt.Fprintf(w, "%-8s nDCG %.3f (base %.3f) recall %.3f (base %.3f) matches %3.0f%%  %s%s\n",
				q.Group, o.ndcg, b.ndcg, o.recall, b.recall, 100*shares[len(shares)-1], q.Query, dym)
		}
		if pool > 0 {
			printPool(w, q, got, bgot, titles)
		}
		if show != "" && strings.Contains(q.Query, show) {
			printRankings(w, q, got, bgot, titles)
		}
	}
	o, b := mean(ours, nil), mean(theirs, nil)
	fmt.Fprintf(w, "%-22s nDCG@10 %.3f  recall@10 %.3f\n", "klusterkarta:", o.ndcg, o.recall)
	fmt.Fprintf(w, "%-22s nDCG@10 %.3f  recall@10 %.3f\n", "baseline (standard):", b.ndcg, b.recall)
	if b.ndcg > 0 {
		fmt.Fprintf(w, "nDCG@10 gain over baseline: %+.0f%%\n", 100*(o.ndcg/b.ndcg-1))
	}
	slices.Sort(shares)
	fmt.Fprintf(w, "share of the pages a query matches: median %.1f%%, 90th percentile %.1f%%\n",
		100*shares[len(shares)/2], 100*shares[len(shares)*9/10])
	for _, g := range groups {
		in := func(i int) bool { return qs[i].Group == g }
		k := 0
		for i := range qs {
			if in(i) {
				k++
			}
		}
		if k == 0 {
			continue
		}
		o, b := mean(ours, in), mean(theirs, in)
		fmt.Fprintf(w, "  %-9s %2d queries  nDCG@10 %.3f  recall@10 %.3f   baseline nDCG@10 %.3f  recall@10 %.3f\n",
			g, k, o.ndcg, o.recall, b.ndcg, b.recall)
	}
	return nil
}

// buildIndex indexes pages with the project's index, each page in the
// language its text is written in.
func buildIndex(ctx context.Context, pages []page, vocab []kg.Topic) (*index.Index, error) {
	ix, err := index.OpenMem(index.WithTopics(vocab))
	if err != nil {
		return nil, err
	}
	matcher := topics.NewMatcher(vocab)
	docs := make([]kg.IndexDoc, 0, len(pages))
	for _, p := range pages {
		d := kg.Document{
			ID: kg.DocumentID(p.URL), URL: p.URL, Title: p.Title, Text: p.Text,
			Lang: index.DetectLang(p.Title + "\n" + p.Text), Kind: kindOf(p.Kind),
			Topics: matcher.Match(p.Title + "\n" + p.Text),
		}
		for _, c := range p.AboutClusters {
			if c != "all" {
				d.Clusters = append(d.Clusters, c)
			}
		}
		docs = append(docs, kg.IndexDoc{Document: d})
	}
	if err := ix.Index(ctx, docs); err != nil {
		_ = ix.Close()
		return nil, fmt.Errorf("indexing the corpus: %w", err)
	}
	return ix, nil
}

// buildBaseline indexes pages with Bleve's default mapping: every field
// analysed by the standard analyser into the composite field _all.
func buildBaseline(pages []page) (bleve.Index, error) {
	base, err := bleve.NewMemOnly(bleve.NewIndexMapping())
	if err != nil {
		return nil, fmt.Errorf("creating the baseline index: %w", err)
	}
	batch := base.NewBatch()
	for _, p := range pages {
		if err := batch.Index(p.URL, map[string]string{"title": p.Title, "text": p.Text}); err != nil {
			_ = base.Close()
			return nil, fmt.Errorf("indexing %q in the baseline: %w", p.URL, err)
		}
	}
	if err := base.Batch(batch); err != nil {
		_ = base.Close()
		return nil, fmt.Errorf("indexing the baseline: %w", err)
	}
	return base, nil
}

// search returns the URLs of the first n hits of q, each followed by the
// pages collapsed into it, and the "did you mean".
func search(ctx context.Context, ix *index.Index, q string, n int) ([]string, string, uint64, error) {
	res, err := ix.Search(ctx, kg.SearchRequest{Query: q, Size: n})
	if err != nil {
		return nil, "", 0, fmt.Errorf("searching %q: %w", q, err)
	}
	// A hit lists the near-duplicates collapsed into it ("also on"):
	// they are shown, in the ranks after it.
	got := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		got = append(got, h.URL)
		got = append(got, h.AlsoOn...)
	}
	return got, res.DidYouMean, res.Total, nil
}

// searchBaseline returns the URLs of the first n hits of q as a plain
// match query on the baseline.
func searchBaseline(base bleve.Index, q string, n int) ([]string, error) {
	res, err := base.Search(bleve.NewSearchRequestOptions(bleve.NewMatchQuery(q), n, 0, false))
	if err != nil {
		return nil, fmt.Errorf("baseline %q: %w", q, err)
	}
	got := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		got = append(got, h.ID)
	}
	return got, nil
}

// printPool lists the pages in either ranking that q has no judgement for.
func printPool(w io.Writer, q judgedQuery, got, bgot []string, titles map[string]string) {
	seen := map[string]bool{}
	fmt.Fprintf(w, "  unjudged for %q:\n", q.Query)
	for _, u := range slices.Concat(got, bgot) {
		if _, judged := q.grades[u]; judged || seen[u] {
			continue
		}
		seen[u] = true
		fmt.Fprintf(w, "    %s  %s\n", u, titles[u])
	}
}

// printRankings prints the first ten hits of both rankings of q with
// their grades.
func printRankings(w io.Writer, q judgedQuery, got, bgot []string, titles map[string]string) {
	for _, r := range []struct {
		name string
		urls []string
	}{{"klusterkarta", got}, {"baseline", bgot}} {
		fmt.Fprintf(w, "  %s for %q:\n", r.name, q.Query)
		for i, u := range r.urls[:min(cutoff, len(r.urls))] {
			fmt.Fprintf(w, "    %2d  grade %d  %.60s  %s\n", i+1, q.grades[u], titles[u], u)
		}
	}
}

// mean returns the mean scores of the queries in, all when in is nil.
func mean(ss []scores, in func(int) bool) scores {
	var sum scores
	k := 0
	for i, s := range ss {
		if in != nil && !in(i) {
			continue
		}
		sum.ndcg += s.ndcg
		sum.recall += s.recall
		k++
	}
	if k == 0 {
		return scores{}
	}
	return scores{sum.ndcg / float64(k), sum.recall / float64(k)}
}

// kindOf maps the corpus's kinds to document kinds.
func kindOf(k string) string {
	switch k {
	case "cluster-about":
		return kg.KindAbout
	case "contact-people":
		return kg.KindContact
	case kg.KindNews, kg.KindEvent, kg.KindProject, kg.KindReport:
		return k
	}
	return kg.KindOther
}

func readPages(path string) ([]page, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading pages: %w", err)
	}
	defer f.Close()
	var out []page
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var p page
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("parsing %s: %w", path, err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return out, nil
}

// readQueries reads the judged queries from path, or the compiled-in set
// when path is empty, and checks them against the pages: every judged URL
// must be a page of the corpus, every grade 1 or 2, every group known.
func readQueries(path string, pages []page) ([]judgedQuery, error) {
	b, name := judgedQueries, "queries.json"
	if path != "" {
		var err error
		if b, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("reading queries: %w", err)
		}
		name = path
	}
	var qs []judgedQuery
	if err := json.Unmarshal(b, &qs); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", name, err)
	}
	known := map[string]bool{}
	for _, p := range pages {
		known[p.URL] = true
	}
	for i := range qs {
		q := &qs[i]
		if strings.TrimSpace(q.Query) == "" || !slices.Contains(groups, q.Group) {
			return nil, fmt.Errorf("%s: query %d (%q) needs words and one of the groups %v", name, i+1, q.Query, groups)
		}
		q.grades = map[string]int{}
		for _, r := range q.Relevant {
			if r.Grade < 1 || r.Grade > 2 {
				return nil, fmt.Errorf("%s: query %q: grade %d of %s is not 1 or 2", name, q.Query, r.Grade, r.URL)
			}
			if !known[r.URL] {
				return nil, fmt.Errorf("%s: query %q: %s is not a page of the corpus", name, q.Query, r.URL)
			}
			q.grades[r.URL] = r.Grade
		}
	}
	return qs, nil
}

// ndcg returns the nDCG@10 of the ranked URLs got, with gain 2^grade - 1.
func ndcg(got []string, grades map[string]int) float64 {
	dcg := 0.0
	for i, u := range got[:min(cutoff, len(got))] {
		dcg += gain(grades[u]) / math.Log2(float64(i+2))
	}
	ideal := make([]int, 0, len(grades))
	for _, g := range grades {
		ideal = append(ideal, g)
	}
	slices.SortFunc(ideal, func(a, b int) int { return cmp.Compare(b, a) })
	idcg := 0.0
	for i, g := range ideal[:min(cutoff, len(ideal))] {
		idcg += gain(g) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	return dcg / idcg
}

func gain(grade int) float64 { return math.Exp2(float64(grade)) - 1 }

// recall returns the share of the relevant URLs (of at most 10) found in
// the first ten.
func recall(got []string, grades map[string]int) float64 {
	if len(grades) == 0 {
		return 0
	}
	found := 0
	for _, u := range got[:min(cutoff, len(got))] {
		if grades[u] > 0 {
			found++
		}
	}
	return float64(found) / float64(min(cutoff, len(grades)))
}
