package graphtest

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The large benchmark graph: the registry's 17 clusters and 20 topics,
// 10,000 organisations with four people each, and 22,000 documents of the
// clusters' sites that mention organisations, people, projects and events
// as extraction states them, so that ingest's own kg.DocumentFacts turns
// each into the fact set it would write. At full size it holds more than
// 1,000,000 relationships.
const (
	LargeOrganisations = 10_000
	LargeDocuments     = 22_000
	LargeMinEdges      = 1_000_000

	largePeoplePerOrg = 4
	largeOrgsPerDoc   = 15
	largePeoplePerDoc = 20
)

// LargeGraph is the large benchmark graph at some size. The zero value is
// empty; NewLargeGraph sizes it.
type LargeGraph struct {
	Organisations int // organisations, each with largePeoplePerOrg people
	Documents     int // documents, each one fact set
}

// NewLargeGraph returns the large benchmark graph scaled by fraction: 1
// is the full graph of LargeOrganisations organisations and
// LargeDocuments documents, 0.1 a tenth of it. Fractions outside (0, 1]
// give the full graph.
func NewLargeGraph(fraction float64) LargeGraph {
	if !(fraction > 0 && fraction <= 1) {
		fraction = 1
	}
	return LargeGraph{
		Organisations: max(largeOrgsPerDoc*2, int(math.Round(LargeOrganisations*fraction))),
		Documents:     max(1, int(math.Round(LargeDocuments*fraction))),
	}
}

// MinEdges is the number of relationships the graph holds at least: the
// full graph's LargeMinEdges, scaled with the documents.
func (g LargeGraph) MinEdges() int {
	return int(float64(LargeMinEdges) * float64(g.Documents) / LargeDocuments)
}

// Registry returns the registry fact set: the same clusters and topics as
// the shared benchmark graph.
func (g LargeGraph) Registry() kg.FactSet { return BenchRegistry() }

// mix is SplitMix64: a cheap, well-spread hash that makes every choice of
// the generator a function of its inputs only.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// pick returns a number in [0, n) chosen by the inputs.
func pick(n int, in ...int) int {
	h := uint64(0x6b6c7573746572)
	for _, v := range in {
		h = mix(h ^ uint64(v))
	}
	return int(h % uint64(n))
}

var largeOrgKinds = []struct{ kind, word string }{
	{"company", "Lantbruk"}, {"company", "Mejeri"}, {"company", "Skogsbolaget"},
	{"cooperative", "Föreningen"}, {"municipality", "Kommun"}, {"region", "Regionförbundet"},
	{"university", "Institutet"}, {"authority", "Verket"}, {"company", "Växthus"}, {"company", "Biogas"},
}

// orgName is the name of organisation o; its slug is its id.
func orgName(o int) string {
	return fmt.Sprintf("%s %05d", largeOrgKinds[o%len(largeOrgKinds)].word, o)
}

var (
	largeFirst = []string{"Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Nils", "Åsa", "Björn"}
	largeLast  = []string{"Lind", "Berg", "Holm", "Ek", "Sjöberg", "Ström", "Dahl", "Lund", "Nyberg", "Öhman"}
)

// personName is the name of person p: unique, since it carries p.
func personName(p int) string {
	return fmt.Sprintf("%s %s %06d", largeFirst[p%len(largeFirst)], largeLast[(p/len(largeFirst))%len(largeLast)], p)
}

func clusterID(c int) string   { return fmt.Sprintf("kluster-%02d", c) }
func clusterName(c int) string { return fmt.Sprintf("Kluster %02d", c) }
func topicID(t int) string     { return fmt.Sprintf("amne-%02d", t) }

// docOrgs returns the organisations document i mentions: most of them
// from its cluster's region (organisations whose number is the cluster's
// modulo BenchClusters), the rest from anywhere, without repeats.
func (g LargeGraph) docOrgs(i, c, v int) []int {
	var out []int
	for j := 0; len(out) < largeOrgsPerDoc; j++ {
		// A new version of a page changes its last three organisations.
		vj := 0
		if len(out) >= largeOrgsPerDoc-3 {
			vj = v
		}
		var o int
		if pick(10, i, j, vj, 1) < 7 {
			region := (g.Organisations + BenchClusters - 1 - c) / BenchClusters
			o = c + BenchClusters*pick(max(region, 1), i, j, vj, 2)
		} else {
			o = pick(g.Organisations, i, j, vj, 3)
		}
		if o < g.Organisations && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// docTopics returns the topics document i shows: mostly from its
// cluster's six favourite topics, so that clusters rank differently on
// each topic.
func docTopics(i, c, v int) []int {
	var out []int
	n := 3 + pick(4, i, v, 4)
	for j := 0; len(out) < n; j++ {
		t := (c*3 + pick(6, i, j, v, 5)) % BenchTopics
		if pick(10, i, j, v, 6) < 3 {
			t = pick(BenchTopics, i, j, v, 7)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// Document returns document i (0 ≤ i < g.Documents) in version v, as
// extraction would make it of a page of cluster i mod 17: one or two
// attributed clusters, three to six topics, 15 organisations of which the
// first may be a stated partner, 20 of their people and a contact person
// of the cluster, a project on every fifth document and an event on every
// seventh. Another version has another kind and topics, and changes three
// of the organisations and four of the people.
func (g LargeGraph) Document(i, v int) kg.Document {
	c := i % BenchClusters
	host := fmt.Sprintf("k%02d.example", c)
	url := fmt.Sprintf("https://%s/sida/%d", host, i)
	d := kg.Document{
		ID: kg.DocumentID(url), URL: url, Host: host, EntryKind: kg.EntryCluster, EntryID: clusterID(c),
		Title: fmt.Sprintf("Sida %d", i), Lang: "sv",
		Kind:        kg.Kinds[pick(len(kg.Kinds), i, v, 8)],
		Date:        time.Date(2019+pick(7, i, 9), time.Month(1+pick(12, i, 10)), 1+pick(28, i, 11), 0, 0, 0, 0, time.UTC),
		Clusters:    []string{clusterID(c)},
		ContentHash: fmt.Sprintf("large-%d-%d", i, v),
	}
	clusters := []int{c}
	if i%3 == 0 {
		clusters = append(clusters, (c+1+pick(BenchClusters-1, i, 12))%BenchClusters)
		slices.Sort(clusters)
		d.Clusters = []string{clusterID(clusters[0]), clusterID(clusters[1])}
	}
	topics := docTopics(i, c, v)
	for _, t := range topics {
		d.Topics = append(d.Topics, kg.TopicMatch{TopicID: topicID(t), Term: "term",
			Snippet: fmt.Sprintf("Stycke %d om ämne %d.", i, t), Count: 1 + pick(5, i, t)})
	}
	for _, k := range clusters {
		d.Organisations = append(d.Organisations, kg.OrgMention{ID: clusterID(k), Name: clusterName(k),
			ClusterID: clusterID(k), Snippet: "Klustret " + clusterName(k) + "."})
	}
	orgs := g.docOrgs(i, c, v)
	for j, o := range orgs {
		name := orgName(o)
		d.Organisations = append(d.Organisations, kg.OrgMention{
			ID: kg.Slug(name), Name: name, Kind: largeOrgKinds[o%len(largeOrgKinds)].kind,
			Partner: j == 0 && i%4 == 0, Snippet: fmt.Sprintf("I samarbete med %s.", name),
		})
	}
	for j := range largePeoplePerDoc {
		o := orgs[j%len(orgs)]
		vj := 0 // a new version changes the last four people
		if j >= largePeoplePerDoc-4 {
			vj = v
		}
		p := o*largePeoplePerOrg + pick(largePeoplePerOrg, i, j, vj, 13)
		person := kg.Person{Name: personName(p), Role: "projektledare", Organisation: orgName(o),
			Snippet: fmt.Sprintf("%s, %s.", personName(p), orgName(o))}
		if p%3 == 0 {
			person.Email = fmt.Sprintf("person%d@example.org", p)
		}
		d.People = append(d.People, person)
	}
	d.People = append(d.People, kg.Person{Name: fmt.Sprintf("Kontakt %02d-%d", c, i%5), Role: "verksamhetsledare",
		ClusterID: clusterID(c), Snippet: "Kontakta klustret."})
	if i%5 == 0 {
		owner := clusterName(c)
		if i%10 == 5 {
			owner = orgName(orgs[0])
		}
		start := time.Date(2020+pick(5, i, 14), time.Month(1+pick(12, i, 15)), 1, 0, 0, 0, 0, time.UTC)
		d.Projects = append(d.Projects, kg.Project{
			Name: fmt.Sprintf("Projekt %05d", i/5), Owner: owner, Leader: d.People[0].Name,
			Funders:      []string{orgName(orgs[1]), orgName(orgs[2])},
			Stakeholders: []string{orgName(orgs[3]), orgName(orgs[4]), orgName(orgs[5]), orgName(orgs[6])},
			Start:        start, End: start.AddDate(2, 0, 0), Status: kg.StatusOngoing,
			Topics:  []string{topicID(topics[0]), topicID(topics[1])},
			Snippet: fmt.Sprintf("Projektet %d.", i/5),
		})
	}
	if i%7 == 3 {
		d.Events = append(d.Events, kg.Event{
			Title: fmt.Sprintf("Seminarium %05d", i/7), Start: d.Date.Add(10 * time.Hour), End: d.Date.Add(12 * time.Hour),
			Place: "Alnarp", Organisers: []string{clusterName(c), orgName(orgs[7])},
			Topics: []string{topicID(topics[0])}, Snippet: fmt.Sprintf("Seminariet %d.", i/7),
		})
	}
	return d
}

// Facts returns the fact set of document i in version v, as ingest
// writes it.
func (g LargeGraph) Facts(i, v int) kg.FactSet { return kg.DocumentFacts(g.Document(i, v)) }
