// Command evalextract measures entity extraction against a hand-labelled
// corpus: it runs the extractor over every page of pages.jsonl (each text
// wrapped as a simple HTML page, attributed as the crawler would) and
// prints, for people, projects and events, how many were labelled, how
// many extracted, and precision and recall against labels.json.
//
//	go run ./crawler/extract/cmd/evalextract -corpus ../shared/corpus [-v]
//
// A person matches a label on the same page with the same normalised
// name; a project one whose name shares most of its words; an event one
// whose title does, or whose start falls on the labelled date (a labelled
// "2022-04" is a month). -v lists misses and false extractions.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
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
}

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "directory with pages.jsonl and labels.json")
	verbose := flag.Bool("v", false, "list misses and false extractions")
	flag.Parse()
	if err := run(context.Background(), *corpus, *verbose, os.Stdout); err != nil {
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

func run(ctx context.Context, dir string, verbose bool, w io.Writer) error {
	pages, err := readPages(filepath.Join(dir, "pages.jsonl"))
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		return fmt.Errorf("reading labels: %w", err)
	}
	var lab labels
	if err := json.Unmarshal(raw, &lab); err != nil {
		return fmt.Errorf("decoding labels: %w", err)
	}
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	vocab, err := topics.Default()
	if err != nil {
		return err
	}
	ex := extract.New(reg, topics.NewMatcher(vocab))
	ex.Now = func() time.Time { return time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC) }

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

	fmt.Fprintf(w, "pages %d, failed %d\n\n", len(pages), failed)
	fmt.Fprintf(w, "%-9s %8s %9s %9s %6s\n", "fact", "labelled", "extracted", "precision", "recall")
	for _, r := range []struct {
		name string
		s    score
	}{{"people", people}, {"projects", projects}, {"events", events}} {
		fmt.Fprintf(w, "%-9s %8d %9d %9.2f %6.2f\n", r.name, r.s.labelled, r.s.extracted, r.s.precision(), r.s.recall())
	}
	fmt.Fprintf(w, "\npeople found: role agrees %d/%d, organisation agrees %d/%d\n", roleOK, people.found, orgOK, people.found)
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
