// Command evalsearch measures search quality on a corpus of pages with
// judged queries: it indexes the pages with the project's index and with a
// baseline (Bleve's default mapping and standard analyser, a plain match
// query), runs every query on both and prints nDCG@10 and recall@10.
//
//	go run ./index/cmd/evalsearch -corpus ../shared/corpus
//
// The corpus directory holds pages.jsonl (url, title, text, kind,
// about_clusters), queries.json (query, relevant_urls with grade 1 or 2)
// and labels.json (cluster_topics: cluster → topic → URLs). Besides the
// queries of queries.json, each topic of the vocabulary is searched by its
// Swedish and its English label, with the pages labels.json gives for the
// topic as relevant (grade 2), and misspelt variants of queries are
// searched with the judgements of the query they misspell. Nothing of the
// corpus is kept.
package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
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
	Note     string         `json:"note"`
	Relevant []relevantURL  `json:"relevant_urls"`
	grades   map[string]int // url → grade
	source   string
}

type relevantURL struct {
	URL   string `json:"url"`
	Grade int    `json:"grade"`
}

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "directory with pages.jsonl, queries.json and labels.json")
	verbose := flag.Bool("v", false, "print every query's figures")
	flag.Parse()
	if err := run(context.Background(), *corpus, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "evalsearch:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir string, verbose bool) error {
	pages, err := readPages(filepath.Join(dir, "pages.jsonl"))
	if err != nil {
		return err
	}
	vocab, err := topics.Default()
	if err != nil {
		return fmt.Errorf("loading topics: %w", err)
	}
	qs, err := readQueries(dir, vocab)
	if err != nil {
		return err
	}

	ix, err := index.OpenMem(index.WithTopics(vocab))
	if err != nil {
		return err
	}
	defer ix.Close()
	matcher := topics.NewMatcher(vocab)
	docs := make([]kg.IndexDoc, 0, len(pages))
	for _, p := range pages {
		d := kg.Document{
			ID: kg.DocumentID(p.URL), URL: p.URL, Title: p.Title, Text: p.Text,
			Lang: "sv", Kind: kindOf(p.Kind), Topics: matcher.Match(p.Title + "\n" + p.Text),
		}
		for _, c := range p.AboutClusters {
			if c != "all" {
				d.Clusters = append(d.Clusters, c)
			}
		}
		docs = append(docs, kg.IndexDoc{Document: d})
	}
	if err := ix.Index(ctx, docs); err != nil {
		return err
	}

	base, err := bleve.NewMemOnly(bleve.NewIndexMapping())
	if err != nil {
		return err
	}
	defer base.Close()
	batch := base.NewBatch()
	for _, p := range pages {
		if err := batch.Index(p.URL, map[string]string{"title": p.Title, "text": p.Text}); err != nil {
			return err
		}
	}
	if err := base.Batch(batch); err != nil {
		return err
	}

	info := index.BuiltinDictionary()
	fmt.Printf("corpus: %d pages, %d queries; dictionary: %d domain + %d general words\n",
		len(pages), len(qs), info.DomainWords, info.GeneralWords)
	var sum, baseSum [2]float64
	bySource := map[string][4]float64{}
	for _, q := range qs {
		res, err := ix.Search(ctx, kg.SearchRequest{Query: q.Query, Size: 10})
		if err != nil {
			return fmt.Errorf("searching %q: %w", q.Query, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.URL)
		}
		br, err := base.Search(bleve.NewSearchRequestOptions(bleve.NewMatchQuery(q.Query), 10, 0, false))
		if err != nil {
			return fmt.Errorf("baseline %q: %w", q.Query, err)
		}
		var bgot []string
		for _, h := range br.Hits {
			bgot = append(bgot, h.ID)
		}
		n, r := ndcg(got, q.grades), recall(got, q.grades)
		bn, brc := ndcg(bgot, q.grades), recall(bgot, q.grades)
		sum[0] += n
		sum[1] += r
		baseSum[0] += bn
		baseSum[1] += brc
		s := bySource[q.source]
		s[0] += n
		s[1] += bn
		s[2]++
		bySource[q.source] = s
		if verbose {
			dym := ""
			if res.DidYouMean != "" {
				dym = " (did you mean: " + res.DidYouMean + ")"
			}
			fmt.Printf("%-8s nDCG %.3f (base %.3f) recall %.3f (base %.3f)  %q%s\n", q.source, n, bn, r, brc, q.Query, dym)
		}
	}
	k := float64(len(qs))
	fmt.Printf("%-22s nDCG@10 %.3f  recall@10 %.3f\n", "klusterkarta:", sum[0]/k, sum[1]/k)
	fmt.Printf("%-22s nDCG@10 %.3f  recall@10 %.3f\n", "baseline (standard):", baseSum[0]/k, baseSum[1]/k)
	if baseSum[0] > 0 {
		fmt.Printf("nDCG@10 gain over baseline: %+.0f%%\n", 100*(sum[0]/baseSum[0]-1))
	}
	srcs := make([]string, 0, len(bySource))
	for s := range bySource {
		srcs = append(srcs, s)
	}
	slices.Sort(srcs)
	for _, s := range srcs {
		v := bySource[s]
		fmt.Printf("  %-8s %3.0f queries  nDCG@10 %.3f  baseline %.3f\n", s, v[2], v[0]/v[2], v[1]/v[2])
	}
	return nil
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
	return out, sc.Err()
}

// readQueries returns the judged queries of queries.json, one Swedish and
// one English label query per topic judged from labels.json, and misspelt
// variants.
func readQueries(dir string, vocab []kg.Topic) ([]judgedQuery, error) {
	b, err := os.ReadFile(filepath.Join(dir, "queries.json"))
	if err != nil {
		return nil, fmt.Errorf("reading queries: %w", err)
	}
	var qs []judgedQuery
	if err := json.Unmarshal(b, &qs); err != nil {
		return nil, fmt.Errorf("parsing queries.json: %w", err)
	}
	for i := range qs {
		qs[i].source = "given"
		qs[i].grades = map[string]int{}
		for _, r := range qs[i].Relevant {
			qs[i].grades[r.URL] = r.Grade
		}
	}
	b, err = os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		return nil, fmt.Errorf("reading labels: %w", err)
	}
	var labels struct {
		ClusterTopics map[string]map[string][]string `json:"cluster_topics"`
	}
	if err := json.Unmarshal(b, &labels); err != nil {
		return nil, fmt.Errorf("parsing labels.json: %w", err)
	}
	byTopic := map[string]map[string]int{}
	for _, ts := range labels.ClusterTopics {
		for t, urls := range ts {
			if byTopic[t] == nil {
				byTopic[t] = map[string]int{}
			}
			for _, u := range urls {
				byTopic[t][u] = 2
			}
		}
	}
	for _, t := range vocab {
		g := byTopic[t.ID]
		if len(g) == 0 {
			continue
		}
		qs = append(qs,
			judgedQuery{Query: strings.ToLower(t.SV), Lang: "sv", grades: g, source: "topic-sv"},
			judgedQuery{Query: strings.ToLower(t.EN), Lang: "en", grades: g, source: "topic-en"})
	}
	// Misspellings of given queries: a dropped letter and a dropped
	// linking s.
	for _, m := range []struct{ typo, of string }{
		{"självförsörjnig", "självförsörjning"},
		{"beredskapslagr", "beredskapslager"},
		{"livsmedelstrategin", "livsmedelsstrategin"},
		{"naturbruksgymnasiun", "naturbruksgymnasium"},
		{"fiskodlig på land vattenbruk", "fiskodling på land vattenbruk"},
	} {
		for _, q := range qs {
			if q.Query == m.of {
				qs = append(qs, judgedQuery{Query: m.typo, Lang: q.Lang, grades: q.grades, source: "typo"})
			}
		}
	}
	return qs, nil
}

// ndcg returns the nDCG@10 of the ranked URLs got.
func ndcg(got []string, grades map[string]int) float64 {
	dcg := 0.0
	for i, u := range got[:min(10, len(got))] {
		dcg += gain(grades[u]) / math.Log2(float64(i+2))
	}
	ideal := make([]int, 0, len(grades))
	for _, g := range grades {
		ideal = append(ideal, g)
	}
	slices.SortFunc(ideal, func(a, b int) int { return cmp.Compare(b, a) })
	idcg := 0.0
	for i, g := range ideal[:min(10, len(ideal))] {
		idcg += gain(g) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	return dcg / idcg
}

func gain(grade int) float64 { return math.Exp2(float64(grade)) - 1 }

// recall returns the share of the relevant URLs (up to 10) found in the
// first ten.
func recall(got []string, grades map[string]int) float64 {
	if len(grades) == 0 {
		return 0
	}
	found := 0
	for _, u := range got[:min(10, len(got))] {
		if grades[u] > 0 {
			found++
		}
	}
	return float64(found) / float64(min(10, len(grades)))
}
