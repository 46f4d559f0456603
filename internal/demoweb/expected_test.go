package demoweb

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

// vocabulary returns the terms of every topic of the project's vocabulary.
func vocabulary(t *testing.T) map[string][]string {
	t.Helper()
	ts, err := topics.Default()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, topic := range ts {
		out[topic.ID] = topic.Terms
	}
	return out
}

// modelDoc is one crawlable document as the ranking model sees it.
type modelDoc struct {
	url      string
	text     string          // title and main text, lower-cased
	found    map[string]bool // topics the project's matcher finds in it
	clusters []string
	min, max float64 // the weight its kind gives, at the least and most
}

// matchBroad reports whether term occurs anywhere in text, also inside a
// word: the widest reading of "stems or compounds".
func matchBroad(text, term string) bool { return strings.Contains(text, term) }

// matchStrict reports whether term occurs at the start of a word and is
// followed by at most four more letters: the word itself and its
// inflections, the narrowest reading.
func matchStrict(text, term string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], term)
		if j < 0 {
			return false
		}
		start := i + j
		end := start + len(term)
		i = start + 1
		if start > 0 {
			r := lastRune(text[:start])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				continue
			}
		}
		suffix := 0
		for _, r := range text[end:] {
			if !unicode.IsLetter(r) {
				break
			}
			suffix++
		}
		if suffix <= 4 {
			return true
		}
	}
}

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}

// kindWeight returns the weight kg.EvidenceWeight gives one document of a
// kind.
func kindWeight(kind string) float64 {
	return kg.EvidenceWeight([]kg.Evidence{{DocumentID: "d", Kind: kind}})
}

// modelDocs reads every crawlable document of the demo web, attributed as
// the design says: a cluster's own pages to it, a source page to every
// cluster it names by name or alias.
func modelDocs(t *testing.T) []modelDoc {
	w := MustStart(t)
	vocab, err := topics.Default()
	if err != nil {
		t.Fatal(err)
	}
	matcher := topics.NewMatcher(vocab)
	found := func(text string) map[string]bool {
		out := map[string]bool{}
		for _, m := range matcher.Match(text) {
			out[m.TopicID] = true
		}
		return out
	}
	reg := w.Registry()
	ownerOf := map[string]string{}
	for _, c := range reg.Clusters {
		for _, s := range c.Sites {
			ownerOf[strings.TrimSuffix(s, "/")] = c.ID
		}
	}
	var docs []modelDoc
	for _, p := range fetchPages(t, w) {
		if !p.Crawlable {
			continue
		}
		d := modelDoc{url: w.URL(p.Site, p.Path)}
		text := textOf(find(p.doc, "title")) + " " + textOf(find(p.doc, "main"))
		d.text = strings.ToLower(text)
		d.found = found(text)
		if id, ok := ownerOf[w.Base(p.Site)]; ok {
			d.clusters = []string{id}
		} else {
			for _, c := range reg.Clusters {
				for _, name := range append([]string{c.Name}, c.Aliases...) {
					if strings.Contains(text, name) && !slices.Contains(d.clusters, c.ID) {
						d.clusters = append(d.clusters, c.ID)
					}
				}
			}
		}
		d.min, d.max = kindWeight(p.Kind), kindWeight(p.Kind)
		if p.Kind == kg.KindOther { // start and listing pages: other, or read as about or news
			d.max = kindWeight(kg.KindAbout)
		}
		docs = append(docs, d)
	}
	report := strings.Join(reportPDF.lines(), "\n")
	docs = append(docs, modelDoc{
		url:      w.URL(SiteAngsmarken, ReportPath),
		text:     strings.ToLower(report),
		found:    found(report),
		clusters: []string{ClusterAngsmarken},
		min:      0, // a crawl that cannot read PDFs still gets the ranking
		max:      kindWeight(kg.KindReport),
	})
	return docs
}

// matches reports whether doc shows topic under the given matcher; a nil
// matcher is the project's own.
func (d modelDoc) matches(terms map[string][]string, topic string, match func(text, term string) bool) bool {
	if match == nil {
		return d.found[topic]
	}
	for _, term := range terms[topic] {
		if match(d.text, strings.ToLower(term)) {
			return true
		}
	}
	return false
}

func TestExpectedFollowsFromPages(t *testing.T) {
	docs := modelDocs(t)
	terms := vocabulary(t)
	attributed := func(d modelDoc, c string) bool { return slices.Contains(d.clusters, c) }
	allClusters := []string{ClusterAngsmarken, ClusterSkogsbrynet, ClusterKustlandet, ClusterSlattbygden}

	ids := make([]string, 0, len(Expected))
	for topic := range Expected {
		ids = append(ids, topic)
	}
	sort.Strings(ids)
	for _, topic := range ids {
		ranking := Expected[topic]
		t.Run(topic, func(t *testing.T) {
			if _, ok := terms[topic]; !ok {
				t.Fatalf("topic %q is not in the vocabulary", topic)
			}
			// The table of evidence, for the reader of a failure.
			var table []string
			for _, c := range allClusters {
				var lo, hi float64
				var urls []string
				for _, d := range docs {
					if !attributed(d, c) {
						continue
					}
					if d.matches(terms, topic, matchStrict) {
						lo += d.min
					}
					if d.matches(terms, topic, matchBroad) {
						hi += d.max
						urls = append(urls, strings.TrimPrefix(d.url, "http://"))
					}
					if d.matches(terms, topic, nil) && !d.matches(terms, topic, matchBroad) {
						t.Errorf("the project's matcher finds %s in %s, the broad reading does not", topic, d.url)
					}
				}
				table = append(table, fmt.Sprintf("%s: %.1f..%.1f %v", c, lo, hi, urls))
				switch {
				case slices.Contains(ranking, c) && lo == 0:
					t.Errorf("%s is ranked but no page shows the topic for certain", c)
				case !slices.Contains(ranking, c) && hi > 0:
					t.Errorf("%s is not ranked but pages may show the topic", c)
				}
			}
			// a before b must hold at the worst: documents only a has count
			// at their least, documents only b has at their most; shared
			// documents add the same to both. It must hold both across the
			// strict and broad readings and under the project's matcher.
			for i, a := range ranking {
				for _, b := range ranking[i+1:] {
					var diff, diffProject float64
					for _, d := range docs {
						switch {
						case attributed(d, a) && !attributed(d, b):
							if d.matches(terms, topic, matchStrict) {
								diff += d.min
							}
							if d.matches(terms, topic, nil) {
								diffProject += d.min
							}
						case attributed(d, b) && !attributed(d, a):
							if d.matches(terms, topic, matchBroad) {
								diff -= d.max
							}
							if d.matches(terms, topic, nil) {
								diffProject -= d.max
							}
						}
					}
					if diff <= 0 || diffProject <= 0 {
						t.Errorf("%s may not rank above %s: worst-case margin %.1f (%.1f with the project's matcher)", a, b, diff, diffProject)
					}
				}
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("evidence weights (certain..possible):\n%s", strings.Join(table, "\n"))
			}
		})
	}
}

func TestMatchers(t *testing.T) {
	tests := []struct {
		text, term    string
		strict, broad bool
	}{
		{"självförsörjningsgraden i länet", "självförsörjningsgrad", true, true},
		{"krisberedskapen", "krisberedskap", true, true},
		{"krisberedskapen", "beredskap", false, true},
		{"ett beredskapslager", "beredskapslager", true, true},
		{"beredskapslagret", "beredskap", false, true},
		{"biogasanläggningen", "biogas", false, true},
		{"långsiktig", "lån", false, true},
		{"ett lån till", "lån", true, true},
		{"fisket.", "fiske", true, true},
		{"", "fiske", false, false},
	}
	for _, tt := range tests {
		if got := matchStrict(tt.text, tt.term); got != tt.strict {
			t.Errorf("matchStrict(%q, %q) = %v", tt.text, tt.term, got)
		}
		if got := matchBroad(tt.text, tt.term); got != tt.broad {
			t.Errorf("matchBroad(%q, %q) = %v", tt.text, tt.term, got)
		}
	}
}
