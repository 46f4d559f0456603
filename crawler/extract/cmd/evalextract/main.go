// Command evalextract measures entity extraction against a hand-labelled
// corpus: it runs the extractor over every page of pages.jsonl (each text
// wrapped as a simple HTML page, attributed as the crawler would) and
// prints, for people, projects and events, how many were labelled, how
// many extracted, and precision and recall against hand-written labels,
// and the same for the cluster→topic links the graph would draw.
//
//	go run ./crawler/extract/cmd/evalextract -corpus ../shared/corpus [-labels DIR] [-v]
//
// The labels are data kept beside the command, in labels/ (people.json,
// projects.json, events.json, cluster_topics.json; see labels/README.md),
// and built into it; -labels reads them from another directory instead.
// The corpus directory needs only pages.jsonl.
//
// A person matches a label on the same page with the same normalised
// name; a project one whose name shares most of its words; an event one
// whose title does, or whose start falls on the labelled date (a labelled
// "2022-04" is a month). A cluster→topic link is a pair (cluster, topic)
// for which kg.DocumentFacts of some page gives a WORKS_ON edge: any such
// edge shows the cluster as working on the topic in the API and the UI.
// -v lists misses and false extractions.
package main

import (
	"bufio"
	"context"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/crawler/extract"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/registry"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

type page struct {
	URL    string `json:"url"`
	Domain string `json:"domain"`
	Title  string `json:"title"`
	Text   string `json:"text"`
	Kind   string `json:"kind"`
}

// labelFiles are the hand-written labels built into the command.
//
//go:embed labels/*.json
var labelFiles embed.FS

// labels are the facts the pages state, by fact type.
type labels struct {
	People []struct {
		Name         string `json:"name"`
		Role         string `json:"role"`
		Organisation string `json:"organisation"`
		URL          string `json:"url"`
	} `json:"people"`
	Projects []struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"projects"`
	Events []struct {
		Title string  `json:"title"`
		Date  *string `json:"date"`
		URL   string  `json:"url"`
	} `json:"events"`
	// ClusterTopics maps cluster id → topic id → URLs of pages that show
	// the cluster working on the topic.
	ClusterTopics map[string]map[string][]string `json:"cluster_topics"`
}

// readLabels reads the four label files from fsys.
func readLabels(fsys fs.FS) (labels, error) {
	var lab labels
	for _, f := range []struct {
		name string
		into any
	}{
		{"people.json", &lab.People},
		{"projects.json", &lab.Projects},
		{"events.json", &lab.Events},
		{"cluster_topics.json", &lab.ClusterTopics},
	} {
		raw, err := fs.ReadFile(fsys, f.name)
		if err != nil {
			return labels{}, fmt.Errorf("reading labels: %w", err)
		}
		if err := json.Unmarshal(raw, f.into); err != nil {
			return labels{}, fmt.Errorf("decoding labels %s: %w", f.name, err)
		}
	}
	return lab, nil
}

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "directory with pages.jsonl")
	labelDir := flag.String("labels", "", "directory with people.json, projects.json, events.json and cluster_topics.json (default: the labels beside the command, built in)")
	verbose := flag.Bool("v", false, "list misses and false extractions")
	show := flag.String("show", "", "print what is extracted from the pages whose URL contains this text, then stop")
	flag.Parse()
	var lfs fs.FS
	if *labelDir != "" {
		lfs = os.DirFS(*labelDir)
	} else {
		sub, err := fs.Sub(labelFiles, "labels")
		if err != nil {
			fmt.Fprintln(os.Stderr, "evalextract:", err)
			os.Exit(1)
		}
		lfs = sub
	}
	if *show != "" {
		if err := showPages(context.Background(), *corpus, *show, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "evalextract:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(context.Background(), *corpus, lfs, *verbose, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "evalextract:", err)
		os.Exit(1)
	}
}

// score counts one fact type.
type score struct {
	labelled, extracted, truePos, found int
}

func (s score) precision() float64 { return ratio(s.truePos, s.extracted) }
func (s score) recall() float64    { return ratio(s.found, s.labelled) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func run(ctx context.Context, dir string, labelFS fs.FS, verbose bool, w io.Writer) error {
	pages, err := readPages(filepath.Join(dir, "pages.jsonl"))
	if err != nil {
		return err
	}
	lab, err := readLabels(labelFS)
	if err != nil {
		return err
	}
	reg, ex, err := newExtractor()
	if err != nil {
		return err
	}

	docs := map[string]kg.Document{}
	failed := 0
	for _, p := range pages {
		d, err := ex.Extract(ctx, fetched(p, reg))
		if err != nil {
			failed++
			fmt.Fprintln(w, "extract:", err)
			continue
		}
		docs[p.URL] = d
	}

	var people, projects, events score
	var roleOK, orgOK int
	// People.
	labelledPeople := map[string][]int{}
	for i, l := range lab.People {
		labelledPeople[l.URL] = append(labelledPeople[l.URL], i)
	}
	people.labelled = len(lab.People)
	foundPerson := map[int]bool{}
	for _, p := range pages {
		d := docs[p.URL]
		for _, pe := range d.People {
			people.extracted++
			hit := -1
			for _, i := range labelledPeople[p.URL] {
				if kg.Slug(lab.People[i].Name) == kg.Slug(pe.Name) {
					hit = i
					break
				}
			}
			if hit < 0 {
				if verbose {
					fmt.Fprintf(w, "person+ %s (%s; %s) %s\n", pe.Name, pe.Role, pe.Organisation, p.URL)
				}
				continue
			}
			people.truePos++
			if !foundPerson[hit] {
				foundPerson[hit] = true
				l := lab.People[hit]
				if overlap(l.Role, pe.Role) {
					roleOK++
				}
				if overlap(l.Organisation, pe.Organisation) || pe.ClusterID != "" && overlap(l.Organisation, pe.ClusterID) {
					orgOK++
				}
			}
		}
	}
	people.found = len(foundPerson)
	if verbose {
		for i, l := range lab.People {
			if !foundPerson[i] {
				fmt.Fprintf(w, "person- %s (%s) %s\n", l.Name, l.Role, l.URL)
			}
		}
	}
	// Projects.
	projects.labelled = len(lab.Projects)
	foundProject := map[int]bool{}
	for _, p := range pages {
		for _, pr := range docs[p.URL].Projects {
			projects.extracted++
			hit := false
			for i, l := range lab.Projects {
				if l.URL == p.URL && similarNames(l.Name, pr.Name) {
					foundProject[i] = true
					hit = true
				}
			}
			if hit {
				projects.truePos++
			} else if verbose {
				fmt.Fprintf(w, "project+ %q %s\n", pr.Name, p.URL)
			}
		}
	}
	projects.found = len(foundProject)
	if verbose {
		for i, l := range lab.Projects {
			if !foundProject[i] {
				fmt.Fprintf(w, "project- %q %s\n", l.Name, l.URL)
			}
		}
	}
	// Events.
	events.labelled = len(lab.Events)
	foundEvent := map[int]bool{}
	for _, p := range pages {
		for _, ev := range docs[p.URL].Events {
			events.extracted++
			hit := false
			for i, l := range lab.Events {
				if l.URL != p.URL {
					continue
				}
				sameDate := l.Date != nil && !ev.Start.IsZero() && strings.HasPrefix(ev.Start.Format("2006-01-02"), *l.Date)
				if sameDate || similarNames(l.Title, ev.Title) {
					foundEvent[i] = true
					hit = true
				}
			}
			if hit {
				events.truePos++
			} else if verbose {
				fmt.Fprintf(w, "event+ %q %s %s\n", ev.Title, ev.Start.Format("2006-01-02"), p.URL)
			}
		}
	}
	events.found = len(foundEvent)
	if verbose {
		for i, l := range lab.Events {
			if !foundEvent[i] {
				d := ""
				if l.Date != nil {
					d = *l.Date
				}
				fmt.Fprintf(w, "event- %q %s %s\n", l.Title, d, l.URL)
			}
		}
	}

	links := scoreClusterTopics(pages, docs, lab.ClusterTopics, verbose, w)

	fmt.Fprintf(w, "pages %d, failed %d\n\n", len(pages), failed)
	fmt.Fprintf(w, "%-9s %8s %9s %9s %6s\n", "fact", "labelled", "extracted", "precision", "recall")
	for _, r := range []struct {
		name string
		s    score
	}{{"people", people}, {"projects", projects}, {"events", events}} {
		fmt.Fprintf(w, "%-9s %8d %9d %9.2f %6.2f\n", r.name, r.s.labelled, r.s.extracted, r.s.precision(), r.s.recall())
	}
	fmt.Fprintf(w, "\npeople found: role agrees %d/%d, organisation agrees %d/%d\n", roleOK, people.found, orgOK, people.found)
	fmt.Fprintf(w, "\n%-13s %8s %9s %9s %6s\n", "links", "labelled", "extracted", "precision", "recall")
	fmt.Fprintf(w, "%-13s %8d %9d %9.2f %6.2f\n", "cluster→topic", links.labelled, links.extracted, links.precision(), links.recall())
	return nil
}

// scoreClusterTopics compares the (cluster, topic) pairs that the
// documents' fact sets link with WORKS_ON against the labelled pairs. A
// pair is one link however many pages support it, as the graph merges
// them into one relationship.
func scoreClusterTopics(pages []page, docs map[string]kg.Document, lab map[string]map[string][]string, verbose bool, w io.Writer) score {
	type pair struct{ cluster, topic string }
	want := map[pair]bool{}
	for c, ts := range lab {
		for t := range ts {
			want[pair{c, t}] = true
		}
	}
	got := map[pair][]string{} // pair → URLs of the pages that give it
	for _, p := range pages {
		d, ok := docs[p.URL]
		if !ok {
			continue
		}
		for _, e := range kg.DocumentFacts(d).Edges {
			if e.Rel != kg.RelWorksOn {
				continue
			}
			k := pair{strings.TrimPrefix(e.From, kg.ClusterNodeID("")), strings.TrimPrefix(e.To, kg.TopicNodeID(""))}
			got[k] = append(got[k], p.URL)
		}
	}
	s := score{labelled: len(want), extracted: len(got)}
	for k := range got {
		if want[k] {
			s.truePos++
		}
	}
	s.found = s.truePos
	if verbose {
		var lines []string
		for k, urls := range got {
			if !want[k] {
				lines = append(lines, fmt.Sprintf("link+ %s → %s %s", k.cluster, k.topic, strings.Join(urls, " ")))
			}
		}
		for k := range want {
			if _, ok := got[k]; !ok {
				lines = append(lines, fmt.Sprintf("link- %s → %s", k.cluster, k.topic))
			}
		}
		sort.Strings(lines)
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
	}
	return s
}

// newExtractor returns the registry and an extractor over the default
// registry and vocabulary, with the clock at the corpus's crawl date.
func newExtractor() (kg.Registry, *extract.Extractor, error) {
	reg, err := registry.Default()
	if err != nil {
		return kg.Registry{}, nil, err
	}
	vocab, err := topics.Default()
	if err != nil {
		return kg.Registry{}, nil, err
	}
	ex := extract.New(reg, topics.NewMatcher(vocab))
	ex.Now = func() time.Time { return time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC) }
	return reg, ex, nil
}

// showPages prints the text of every page whose URL contains sub and the
// people, projects and organisations extracted from it.
func showPages(ctx context.Context, dir, sub string, w io.Writer) error {
	pages, err := readPages(filepath.Join(dir, "pages.jsonl"))
	if err != nil {
		return err
	}
	reg, ex, err := newExtractor()
	if err != nil {
		return err
	}
	for _, p := range pages {
		if !strings.Contains(p.URL, sub) {
			continue
		}
		d, err := ex.Extract(ctx, fetched(p, reg))
		if err != nil {
			fmt.Fprintln(w, "extract:", err)
			continue
		}
		fmt.Fprintf(w, "== %s (%s) clusters %v\n%s\n", p.URL, d.Kind, d.Clusters, p.Text)
		for _, pe := range d.People {
			fmt.Fprintf(w, "  person %q role %q org %q cluster %q\n", pe.Name, pe.Role, pe.Organisation, pe.ClusterID)
		}
		for _, pr := range d.Projects {
			fmt.Fprintf(w, "  project %q owner %q leader %q funders %q period %q status %q\n", pr.Name, pr.Owner, pr.Leader, pr.Funders, pr.Period, pr.Status)
		}
		for _, o := range d.Organisations {
			fmt.Fprintf(w, "  org %q id %q cluster %q\n", o.Name, o.ID, o.ClusterID)
		}
	}
	return nil
}

// fetched wraps a corpus page as the crawler would have fetched it: a
// simple HTML page from the registry entry whose site it is on, else from
// a source named after its domain.
func fetched(p page, reg kg.Registry) kg.FetchedDoc {
	body := "<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>" + html.EscapeString(p.Title) +
		"</title>" + kindHint(p.Kind) + "</head><body><main><h1>" + html.EscapeString(p.Title) + "</h1><p>" + html.EscapeString(p.Text) +
		"</p></main></body></html>"
	entry := kg.Entry{Kind: kg.EntrySource, ID: p.Domain}
	host := strings.TrimPrefix(strings.ToLower(p.Domain), "www.")
	for _, e := range reg.Entries() {
		for _, s := range e.Sites {
			if u, err := url.Parse(s); err == nil && strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") == host {
				entry = e
			}
		}
	}
	return kg.FetchedDoc{URL: p.URL, FinalURL: p.URL, Status: 200, ContentType: "text/html; charset=utf-8",
		Body: []byte(body), Entry: entry, FetchedAt: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)}
}

// kindHint states the page's labelled kind as a schema.org type: the
// paraphrased texts lack the addresses, markup and layout from which the
// extractor reads a live page's kind.
func kindHint(kind string) string {
	t := map[string]string{"event": "Event", "project": "ResearchProject", "news": "NewsArticle",
		"report": "Report", "contact-people": "ContactPage", "cluster-about": "AboutPage"}[kind]
	if t == "" {
		return ""
	}
	return `<script type="application/ld+json">{"@context":"https://schema.org","@type":"` + t + `"}</script>`
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
		var p page
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("decoding %s: %w", path, err)
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

// stopWords are not counted when names are compared.
var stopWords = map[string]bool{"och": true, "i": true, "for": true, "av": true, "pa": true, "till": true,
	"med": true, "den": true, "det": true, "en": true, "ett": true, "om": true, "the": true, "of": true, "and": true,
	"forstudie": true, "projektet": true}

func nameWords(s string) map[string]bool {
	if i := strings.Index(s, "("); i > 0 {
		s = s[:i]
	}
	out := map[string]bool{}
	for _, w := range strings.Split(kg.Slug(s), "-") {
		if w != "" && !stopWords[w] {
			out[w] = true
		}
	}
	return out
}

// similarNames reports whether two names share most of their words: one's
// words all in the other, or at least half of all.
func similarNames(a, b string) bool {
	wa, wb := nameWords(a), nameWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	common := 0
	for w := range wa {
		if wb[w] {
			common++
		}
	}
	small := min(len(wa), len(wb))
	union := len(wa) + len(wb) - common
	return common == small || float64(common)/float64(union) >= 0.5
}

// overlap reports whether two free texts share a significant word.
func overlap(a, b string) bool {
	wa, wb := nameWords(a), nameWords(b)
	keys := make([]string, 0, len(wa))
	for w := range wa {
		keys = append(keys, w)
	}
	sort.Strings(keys)
	for _, w := range keys {
		if len(w) > 2 && wb[w] {
			return true
		}
	}
	return false
}
