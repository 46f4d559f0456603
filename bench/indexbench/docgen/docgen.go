// Package docgen generates Swedish-like documents of the green clusters for
// benchmarks of the index: titles, section headings and bodies of 150 to
// 600 words drawn from a Swedish vocabulary with compounds of domain words
// (so that decompounding and stemming see what they see on real pages),
// about one document in ten in English, the registry's clusters and
// counties, every document kind, dates over ten years, topics, people,
// projects and events, and a few near-duplicates (one press release on
// several sites).
//
// Every document is a function of the seed, the word lists and its number
// only: Doc(i) returns the same document on every call and every machine,
// so documents can be made in any order and in parallel.
package docgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/registry"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

// Shape of the generated documents.
const (
	MinWords = 150 // fewest words of a body
	MaxWords = 600 // most words of a body

	englishShare   = 0.10 // share of documents in English
	duplicateShare = 0.02 // share of documents repeating an earlier one's content
	sourceShare    = 0.10 // share of documents published by a source site
	compoundCount  = 3000 // compounds made from domain words
	years          = 10   // dates spread over this many years before End
)

// End is the last day a generated document may be dated.
var End = time.Date(2025, time.December, 31, 0, 0, 0, 0, time.UTC)

// kindShares is how often each kind occurs, in per mille.
var kindShares = []struct {
	kind  string
	share int
}{
	{kg.KindNews, 330}, {kg.KindEvent, 130}, {kg.KindProject, 160},
	{kg.KindReport, 90}, {kg.KindAbout, 90}, {kg.KindContact, 50},
	{kg.KindOther, 150},
}

// kindPaths are the URL paths of each kind's pages.
var kindPaths = map[string]string{
	kg.KindNews: "nyheter", kg.KindEvent: "kalender", kg.KindProject: "projekt",
	kg.KindReport: "rapporter", kg.KindAbout: "om-oss", kg.KindContact: "kontakt",
	kg.KindOther: "sida",
}

// Vocabulary holds the word lists and the registry documents are made of.
type Vocabulary struct {
	Domain   []string     // base forms of the green industries' words; compounds are built from them
	General  []string     // general Swedish words, drawn as the rare words of a text; may be empty
	Topics   []kg.Topic   // topic vocabulary: documents are tagged with topics and use their terms
	Clusters []kg.Cluster // clusters documents are attributed to; those with sites publish
	Sources  []kg.Source  // sites that write about several clusters
}

// DefaultVocabulary returns the given word lists with the built-in topic
// vocabulary and registry.
func DefaultVocabulary(domain, general []string) (Vocabulary, error) {
	reg, err := registry.Default()
	if err != nil {
		return Vocabulary{}, fmt.Errorf("loading registry: %w", err)
	}
	tops, err := topics.Default()
	if err != nil {
		return Vocabulary{}, fmt.Errorf("loading topics: %w", err)
	}
	return Vocabulary{Domain: domain, General: general, Topics: tops, Clusters: reg.Clusters, Sources: reg.Sources}, nil
}

// ReadWords reads a word list in the format of the index's dictionary
// files: one word a line, # comments, and words marked ! (never split),
// which are left out. A missing file is an error wrapping fs.ErrNotExist.
func ReadWords(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading word list: %w", err)
	}
	return ParseWords(b), nil
}

// ParseWords parses a word list in the format ReadWords reads: lower-cased
// words of letters only, in file order, without duplicates.
func ParseWords(data []byte) []string {
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		w := strings.ToLower(strings.TrimSpace(sc.Text()))
		if w == "" || strings.HasPrefix(w, "#") || strings.HasPrefix(w, "!") || seen[w] || !letters(w) {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

func letters(w string) bool {
	if !utf8.ValidString(w) {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// Generator makes documents and queries. It is safe for concurrent use.
type Generator struct {
	seed      uint64
	domain    []string
	general   []string
	compounds []string
	clusters  []kg.Cluster // every cluster
	sites     []int        // indexes of the clusters with a site
	sources   []kg.Source
	topics    []kg.Topic
	svTerms   [][]string // per topic: the terms a Swedish text uses
	enTerms   [][]string // per topic: the terms an English text uses
	towns     []string
}

// New returns a generator of documents from v, seeded with seed. v must
// have domain words, at least one topic and at least one cluster with a
// site.
func New(seed uint64, v Vocabulary) (*Generator, error) {
	g := &Generator{
		seed:     seed,
		domain:   slices.Clone(v.Domain),
		clusters: v.Clusters,
		sources:  v.Sources,
		topics:   v.Topics,
	}
	if len(g.domain) < 2 {
		return nil, errors.New("docgen: the vocabulary needs at least two domain words")
	}
	if len(g.topics) == 0 {
		return nil, errors.New("docgen: the vocabulary has no topics")
	}
	for i, c := range v.Clusters {
		if len(c.Sites) > 0 {
			g.sites = append(g.sites, i)
		}
		if t := town(c.Town); t != "" && !slices.Contains(g.towns, t) {
			g.towns = append(g.towns, t)
		}
	}
	if len(g.sites) == 0 {
		return nil, errors.New("docgen: no cluster of the vocabulary has a site")
	}
	if len(g.towns) == 0 {
		g.towns = []string{"Uppsala"}
	}
	// Word lists in file order would make alphabetical neighbours the
	// frequent words; a seeded shuffle spreads them.
	r := g.rng(streamSetup, 0)
	r.Shuffle(len(g.domain), func(i, j int) { g.domain[i], g.domain[j] = g.domain[j], g.domain[i] })
	g.general = slices.Clone(v.General)
	r.Shuffle(len(g.general), func(i, j int) { g.general[i], g.general[j] = g.general[j], g.general[i] })
	g.compounds = makeCompounds(r, g.domain, compoundCount)
	for _, t := range g.topics {
		// Swedish pages use every term, English words included; English
		// pages the English ones.
		sv := append([]string{strings.ToLower(t.SV)}, t.Terms...)
		en := []string{strings.ToLower(t.EN)}
		for _, term := range t.Terms {
			if isASCII(term) && term == strings.ToLower(term) {
				en = append(en, term)
			}
		}
		g.svTerms = append(g.svTerms, sv)
		g.enTerms = append(g.enTerms, en)
	}
	return g, nil
}

// Compounds returns the compounds the generator builds its texts from, the
// most frequent first.
func (g *Generator) Compounds() []string { return slices.Clone(g.compounds) }

// Random streams: each use of randomness has its own, so that changing how
// one part is generated leaves the others as they were.
const (
	streamSetup uint64 = iota + 1
	streamPlace
	streamContent
	streamQuery
)

func (g *Generator) rng(stream, n uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed^(stream*0x9e3779b97f4a7c15), n))
}

// makeCompounds joins pairs of domain words with a linking letter where
// Swedish takes one.
func makeCompounds(r *rand.Rand, domain []string, n int) []string {
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for tries := 0; len(out) < n && tries < 20*n; tries++ {
		first, last := domain[r.IntN(len(domain))], domain[r.IntN(len(domain))]
		if first == last || utf8.RuneCountInString(last) < 3 {
			continue
		}
		w := first + link(r, first) + last
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// link returns the linking letter after first in a compound: -s- after the
// endings that always take it, none after a vowel, and otherwise mostly
// none.
func link(r *rand.Rand, first string) string {
	for _, suf := range []string{"ning", "het", "skap", "tion", "dom", "else", "nad", "ing"} {
		if strings.HasSuffix(first, suf) {
			return "s"
		}
	}
	if endsInVowel(first) {
		return ""
	}
	return svLinks[r.IntN(len(svLinks))]
}

func endsInVowel(w string) bool {
	last, _ := utf8.DecodeLastRuneInString(w)
	return strings.ContainsRune("aeiouyåäö", last)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// town returns the first place name of a registry town ("Kil/Karlstad",
// "Lövsta (Gotland)").
func town(s string) string {
	s, _, _ = strings.Cut(s, "(")
	s, _, _ = strings.Cut(s, "/")
	return strings.TrimSpace(s)
}

// Docs returns documents first to first+n-1, made by workers goroutines.
func (g *Generator) Docs(first, n, workers int) []kg.IndexDoc {
	docs := make([]kg.IndexDoc, n)
	workers = max(1, min(workers, n))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				docs[i] = g.Doc(first + i)
			}
		})
	}
	wg.Wait()
	return docs
}

// Doc returns document i.
func (g *Generator) Doc(i int) kg.IndexDoc {
	r := g.rng(streamPlace, uint64(i))
	contentOf := i
	if i > 0 && r.Float64() < duplicateShare {
		contentOf = r.IntN(i)
	}
	c := g.content(contentOf)

	// Where it is published: a cluster's own site, or a source site
	// writing about several clusters.
	var host, root, entryID string
	entryKind := kg.EntryCluster
	var clusters []string
	if len(g.sources) > 0 && len(g.sources[0].Sites) > 0 && r.Float64() < sourceShare {
		s := g.sources[r.IntN(len(g.sources))]
		root, entryID, entryKind = s.Sites[0], s.ID, kg.EntrySource
		for range 1 + r.IntN(3) {
			if id := g.clusters[r.IntN(len(g.clusters))].ID; !slices.Contains(clusters, id) {
				clusters = append(clusters, id)
			}
		}
	} else {
		cl := g.clusters[g.sites[r.IntN(len(g.sites))]]
		root, entryID = cl.Sites[0], cl.ID
		clusters = append(clusters, cl.ID)
		if r.Float64() < 0.1 {
			if id := g.clusters[r.IntN(len(g.clusters))].ID; id != cl.ID {
				clusters = append(clusters, id)
			}
		}
	}
	slices.Sort(clusters)
	if root == "" || root[len(root)-1] != '/' {
		root += "/"
	}
	host = hostOf(root)
	url := fmt.Sprintf("%s%s/%s-%d", root, kindPaths[c.kind], slug(c.title), i)

	var counties []string
	for _, id := range clusters {
		for _, cl := range g.clusters {
			if cl.ID == id && cl.County != "" && !slices.Contains(counties, cl.County) {
				counties = append(counties, cl.County)
			}
		}
	}
	slices.Sort(counties)

	h := fnv.New64a()
	h.Write([]byte(c.title))
	h.Write([]byte(c.text))
	fetched := End.Add(24 * time.Hour).Add(time.Duration(r.IntN(86400)) * time.Second)
	return kg.IndexDoc{
		Document: kg.Document{
			ID:            kg.DocumentID(url),
			URL:           url,
			Host:          host,
			EntryKind:     entryKind,
			EntryID:       entryID,
			Title:         c.title,
			Text:          c.text,
			Lang:          c.lang,
			Kind:          c.kind,
			Date:          c.date,
			Clusters:      clusters,
			Topics:        c.topics,
			ContentHash:   fmt.Sprintf("%016x", h.Sum64()),
			FetchedAt:     fetched,
			People:        c.people,
			Projects:      c.projects,
			Events:        c.events,
			Organisations: c.orgs,
		},
		Counties: counties,
	}
}

func hostOf(root string) string {
	s := root
	if _, after, ok := strings.Cut(s, "://"); ok {
		s = after
	}
	s, _, _ = strings.Cut(s, "/")
	return s
}

// slug makes a URL path part of the first words of title.
func slug(title string) string {
	var b strings.Builder
	words := 0
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r == 'å' || r == 'ä':
			r = 'a'
		case r == 'ö':
			r = 'o'
		case r == 'é':
			r = 'e'
		}
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
				words++
				if words == 6 {
					break
				}
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return strings.TrimSuffix(b.String(), "-")
}

// content is what a document says, apart from where it is published.
type content struct {
	lang, kind, title, text string
	date                    time.Time
	topics                  []kg.TopicMatch
	people                  []kg.Person
	projects                []kg.Project
	events                  []kg.Event
	orgs                    []kg.OrgMention
}

// writer draws the words of one document.
type writer struct {
	g                              *Generator
	r                              *rand.Rand
	fn, verb, adj, noun, dom, comp *rand.Zipf
	gen, en                        *rand.Zipf
	topics                         []int // indexes of the document's topics
	counts                         []int // how often each topic's terms were written
	first                          []string
	b                              strings.Builder
	words                          int
}

// zipf returns a Zipf distribution over n list entries; a larger v
// flattens the head of the distribution.
func zipf(r *rand.Rand, n int, v float64) *rand.Zipf {
	if n < 2 {
		n = 2
	}
	return rand.NewZipf(r, 1.1, v, uint64(n-1))
}

func pick(z *rand.Zipf, list []string) string {
	return list[int(z.Uint64())%len(list)]
}

func (g *Generator) content(i int) content {
	r := g.rng(streamContent, uint64(i))
	w := &writer{
		g: g, r: r,
		fn: zipf(r, len(svFunction), 2), verb: zipf(r, len(svVerbs), 3), adj: zipf(r, len(svAdjectives), 3),
		noun: zipf(r, len(svNouns), 3), dom: zipf(r, len(g.domain), 4), comp: zipf(r, len(g.compounds), 10),
		gen: zipf(r, len(g.general), 10), en: zipf(r, len(enWords), 3),
	}
	c := content{lang: "sv", kind: kg.KindOther}
	if r.Float64() < englishShare {
		c.lang = "en"
	}
	k := r.IntN(1000)
	for _, s := range kindShares {
		if k < s.share {
			c.kind = s.kind
			break
		}
		k -= s.share
	}
	if c.kind == kg.KindAbout || c.kind == kg.KindContact {
		if r.Float64() < 0.3 {
			c.date = g.date(r)
		}
	} else if r.Float64() < 0.95 {
		c.date = g.date(r)
	}
	for range r.IntN(4) {
		if t := r.IntN(len(g.topics)); !slices.Contains(w.topics, t) {
			w.topics = append(w.topics, t)
		}
	}
	w.counts = make([]int, len(w.topics))

	c.title = w.title(c.lang, c.kind)
	w.b.Reset()
	w.words = 0
	target := MinWords + r.IntN(MaxWords-MinWords+1)
	w.kindLines(&c)
	for w.words < target {
		w.paragraph(c.lang, target)
	}
	c.text = strings.TrimSpace(w.b.String())
	for n, t := range w.topics {
		if w.counts[n] == 0 {
			continue
		}
		topic := g.topics[t]
		c.topics = append(c.topics, kg.TopicMatch{TopicID: topic.ID, Term: w.first[n], Count: w.counts[n]})
	}
	slices.SortFunc(c.topics, func(a, b kg.TopicMatch) int { return strings.Compare(a.TopicID, b.TopicID) })
	return c
}

// date returns a day of the ten years that end with End.
func (g *Generator) date(r *rand.Rand) time.Time {
	first := End.AddDate(-years, 0, 1)
	days := int(End.Sub(first)/(24*time.Hour)) + 1
	return first.AddDate(0, 0, r.IntN(days))
}

// word returns one word of a Swedish text.
func (w *writer) word() string {
	r := w.r
	x := r.Float64()
	switch {
	case x < 0.38:
		return pick(w.fn, svFunction)
	case x < 0.48:
		return inflect(r, pick(w.dom, w.g.domain))
	case x < 0.55:
		return inflect(r, pick(w.comp, w.g.compounds))
	case x < 0.64:
		return pick(w.verb, svVerbs)
	case x < 0.71:
		return pick(w.adj, svAdjectives)
	case x < 0.78:
		return pick(w.noun, svNouns)
	case x < 0.94 && len(w.g.general) > 0:
		return pick(w.gen, w.g.general)
	case x < 0.955 && len(w.topics) > 0:
		return w.topicTerm(w.g.svTerms)
	default:
		return w.name()
	}
}

// enWord returns one word of an English text.
func (w *writer) enWord() string {
	r := w.r
	x := r.Float64()
	switch {
	case x < 0.42:
		return pick(w.fn, enFunction)
	case x < 0.77:
		return pick(w.en, enWords)
	case x < 0.87:
		return enVerbs[r.IntN(len(enVerbs))]
	case x < 0.90 && len(w.topics) > 0:
		return w.topicTerm(w.g.enTerms)
	case x < 0.97:
		return pick(w.dom, w.g.domain)
	default:
		return w.name()
	}
}

// topicTerm returns a term of one of the document's topics and counts it.
func (w *writer) topicTerm(terms [][]string) string {
	n := w.r.IntN(len(w.topics))
	list := terms[w.topics[n]]
	if len(list) == 0 {
		list = w.g.svTerms[w.topics[n]]
	}
	term := list[w.r.IntN(len(list))]
	if w.first == nil {
		w.first = make([]string, len(w.topics))
	}
	if w.first[n] == "" {
		w.first[n] = term
	}
	w.counts[n]++
	return term
}

// name returns a proper name: a cluster, an organisation, a town, a year.
func (w *writer) name() string {
	r := w.r
	switch r.IntN(4) {
	case 0:
		return w.g.clusters[r.IntN(len(w.g.clusters))].Name
	case 1:
		return organisations[r.IntN(len(organisations))]
	case 2:
		return w.g.towns[r.IntN(len(w.g.towns))]
	default:
		return fmt.Sprint(End.Year() - r.IntN(years))
	}
}

// inflect adds an inflection ending to a Swedish noun.
func inflect(r *rand.Rand, w string) string {
	if endsInVowel(w) {
		return w + svVowelInflections[r.IntN(len(svVowelInflections))]
	}
	return w + svInflections[r.IntN(len(svInflections))]
}

// title returns a document title: a few content words around the
// document's subject.
func (w *writer) title(lang, kind string) string {
	r := w.r
	var parts []string
	if lang == "en" {
		if kind == kg.KindEvent {
			parts = append(parts, []string{"Seminar:", "Webinar:", "Field day:"}[r.IntN(3)])
		}
		if len(w.topics) > 0 {
			parts = append(parts, w.topicTerm(w.g.enTerms))
		}
		for range 2 + r.IntN(4) {
			parts = append(parts, pick(w.en, enWords))
		}
	} else {
		switch kind {
		case kg.KindEvent:
			parts = append(parts, []string{"Seminarium:", "Webbinarium:", "Fältdag:", "Frukostmöte:"}[r.IntN(4)])
		case kg.KindProject:
			parts = append(parts, "Projekt:")
		case kg.KindReport:
			parts = append(parts, "Rapport:")
		}
		if len(w.topics) > 0 {
			parts = append(parts, w.topicTerm(w.g.svTerms))
		}
		parts = append(parts, pick(w.adj, svAdjectives), pick(w.comp, w.g.compounds))
		for range r.IntN(3) {
			parts = append(parts, pick(w.fn, svFunction), inflect(r, pick(w.dom, w.g.domain)))
		}
		if r.Float64() < 0.3 {
			parts = append(parts, "i", w.g.towns[r.IntN(len(w.g.towns))])
		}
	}
	return capitalise(strings.Join(parts, " "))
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// kindLines writes what pages of the kind state first: the time and place
// of an event, the period and funders of a project, the people of a
// contact page, the publication date of news.
func (w *writer) kindLines(c *content) {
	r := w.r
	sv := c.lang == "sv"
	switch c.kind {
	case kg.KindEvent:
		start := c.date
		if start.IsZero() {
			start = w.g.date(r)
		}
		start = start.Add(time.Duration(8+r.IntN(10)) * time.Hour)
		place := w.g.towns[r.IntN(len(w.g.towns))]
		if sv {
			w.line(fmt.Sprintf("Tid: %d %s %d kl. %02d.00. Plats: %s.", start.Day(), months[start.Month()-1], start.Year(), start.Hour(), place))
		} else {
			w.line(fmt.Sprintf("Time: %s, %02d:00. Place: %s.", start.Format("2 January 2006"), start.Hour(), place))
		}
		c.events = append(c.events, kg.Event{Title: c.title, Start: start, Place: place, Snippet: place})
	case kg.KindProject:
		from := End.Year() - r.IntN(years)
		funder := organisations[r.IntN(len(organisations))]
		name := capitalise(pick(w.comp, w.g.compounds))
		if sv {
			w.line(fmt.Sprintf("Projektet %s pågår %d–%d och finansieras av %s.", name, from, from+1+r.IntN(3), funder))
		} else {
			w.line(fmt.Sprintf("The project %s runs %d–%d, funded by %s.", name, from, from+1+r.IntN(3), funder))
		}
		c.projects = append(c.projects, kg.Project{Name: name, Funders: []string{funder}, Snippet: name})
		c.orgs = append(c.orgs, kg.OrgMention{ID: kg.Slug(funder), Name: funder, Snippet: funder})
	case kg.KindContact:
		for range 1 + r.IntN(4) {
			first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
			role := roles[r.IntN(len(roles))]
			p := kg.Person{Name: first + " " + last, Role: role, Email: strings.ToLower(first + "." + asciiFold(last) + "@example.se")}
			p.Snippet = p.Name + ", " + role
			w.line(fmt.Sprintf("%s, %s, %s", p.Name, role, p.Email))
			c.people = append(c.people, p)
		}
	case kg.KindNews, kg.KindReport:
		if !c.date.IsZero() {
			if sv {
				w.line(fmt.Sprintf("Publicerad %d %s %d.", c.date.Day(), months[c.date.Month()-1], c.date.Year()))
			} else {
				w.line("Published " + c.date.Format("2 January 2006") + ".")
			}
		}
	}
}

func asciiFold(s string) string {
	return strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "A", "Ä", "A", "Ö", "O").Replace(s)
}

// line writes a line of its own.
func (w *writer) line(s string) {
	w.b.WriteString(s)
	w.b.WriteByte('\n')
	w.words += len(strings.Fields(s))
}

// paragraph writes an optional heading and two to six sentences, ending
// early at target words.
func (w *writer) paragraph(lang string, target int) {
	r := w.r
	if w.words > 0 && r.Float64() < 0.3 {
		if lang == "en" {
			w.line(enHeadings[r.IntN(len(enHeadings))])
		} else {
			w.line(svHeadings[r.IntN(len(svHeadings))])
		}
	}
	for range 2 + r.IntN(5) {
		if w.words >= target {
			break
		}
		n := min(6+r.IntN(15), max(3, target-w.words))
		for j := range n {
			var word string
			if lang == "en" {
				word = w.enWord()
			} else {
				word = w.word()
			}
			if j == 0 {
				word = capitalise(word)
			} else {
				w.b.WriteByte(' ')
			}
			w.b.WriteString(word)
			if j < n-1 && r.IntN(12) == 0 {
				w.b.WriteByte(',')
			}
			w.words += strings.Count(word, " ") + 1
		}
		w.b.WriteString(". ")
	}
	w.b.WriteByte('\n')
}

// Query returns query number i of the given number of terms: words a user
// types, drawn from the vocabulary the documents use: domain words in base
// and inflected form, compounds and their parts, topic terms, and some
// English words.
func (g *Generator) Query(i, terms int) string {
	r := g.rng(streamQuery, uint64(i)*8+uint64(terms))
	// Flatter than in the texts: people search for the subject words
	// more than for the most frequent ones.
	dom, comp, en := zipf(r, len(g.domain), 20), zipf(r, len(g.compounds), 50), zipf(r, len(enWords), 10)
	var out []string
	for tries := 0; len(out) < terms && tries < 100; tries++ {
		var t string
		x := r.Float64()
		switch {
		case x < 0.35:
			t = pick(dom, g.domain)
		case x < 0.60:
			t = pick(comp, g.compounds)
		case x < 0.80:
			list := g.svTerms[r.IntN(len(g.svTerms))]
			t = list[r.IntN(len(list))]
			if strings.Contains(t, " ") {
				continue
			}
		case x < 0.90:
			t = inflect(r, pick(dom, g.domain))
		default:
			t = pick(en, enWords)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}
