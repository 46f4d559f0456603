package graphtest

import (
	"net/url"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// The fixture: four clusters in two counties (one without a county), one
// source, a vocabulary of five topics and nine documents. Registry order,
// name order and id order of the clusters all differ, and the vocabulary is
// not in id order, so that every ordering rule is exercised.

const (
	alfa  = "alfa-kluster"
	beta  = "beta-kluster"
	gamma = "gamma-kluster"
	delta = "delta-kluster"

	biogas   = "biogas"
	selfSuff = "self-sufficiency"
	forestry = "forestry"
	food     = "food"
	horses   = "horses"

	ostergotland = "Östergötlands län"
	skane        = "Skåne län"
)

func fixtureClusters() map[string]kg.Cluster {
	return map[string]kg.Cluster{
		alfa: {
			ID: alfa, Name: "Alfa gröna kluster", Aliases: []string{"Alfaklustret", "Gröna Alfa"},
			County: ostergotland, Town: "Linköping",
			Description: "Ett kluster för lantbruk och energi på slätten.",
			Sites:       []string{"https://alfa.example/"},
		},
		beta: {
			ID: beta, Name: "Betanätverket", County: skane, Town: "Lund",
			Description: "Nätverk för livsmedel och biogas i söder.",
			Sites:       []string{"https://beta.example/", "https://www.beta.example/"},
		},
		gamma: {
			ID: gamma, Name: "Gammagruppen", County: ostergotland,
			Sites: []string{"https://gamma.example/"},
		},
		delta: {ID: delta, Name: "Deltaklustret"},
	}
}

// fixtureRegistry returns the registry with its clusters in an order that
// is neither by id nor by name.
func fixtureRegistry() kg.Registry {
	cs := fixtureClusters()
	return kg.Registry{
		Clusters: []kg.Cluster{cs[gamma], cs[beta], cs[delta], cs[alfa]},
		Sources: []kg.Source{{
			ID: "natverket", Name: "Nationella nätverket", Sites: []string{"https://natverket.example/"},
		}},
	}
}

func fixtureTopics() []kg.Topic {
	return []kg.Topic{
		{ID: biogas, SV: "Biogas", EN: "Biogas", Terms: []string{"biogas", "rötning"}},
		{ID: selfSuff, SV: "Självförsörjning", EN: "Self-sufficiency", Terms: []string{"självförsörjning"}},
		{ID: forestry, SV: "Skogsbruk", EN: "Forestry", Terms: []string{"skog", "skogsbruk", "forestry"}},
		{ID: food, SV: "Livsmedel", EN: "Food", Terms: []string{"livsmedel", "mat"}},
		{ID: horses, SV: "Häst", EN: "Horses", Terms: []string{"häst"}},
	}
}

func topicByID(id string) kg.Topic {
	for _, t := range fixtureTopics() {
		if t.ID == id {
			return t
		}
	}
	panic("graphtest: no fixture topic " + id)
}

func registryFacts() kg.FactSet { return kg.RegistryFacts(fixtureRegistry(), fixtureTopics()) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// doc builds a fixture document; topics alternate topic id and snippet.
func doc(rawURL, title, kind string, date time.Time, clusters []string, topics ...string) kg.Document {
	d := kg.Document{
		ID: kg.DocumentID(rawURL), URL: rawURL, Host: hostOf(rawURL), EntryKind: kg.EntryCluster,
		Title: title, Text: title, Lang: "sv", Kind: kind, Date: date, Clusters: clusters,
		ContentHash: "hash-1-" + rawURL, FetchedAt: day(2025, 1, 1),
	}
	if len(clusters) > 0 {
		d.EntryID = clusters[0]
	}
	for i := 0; i+1 < len(topics); i += 2 {
		d.Topics = append(d.Topics, kg.TopicMatch{TopicID: topics[i], Term: topics[i], Snippet: topics[i+1], Count: 1})
	}
	return d
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic("graphtest: bad fixture URL " + raw)
	}
	return u.Host
}

var cest = time.FixedZone("CEST", 2*60*60)

// The fixture documents. Their kinds, dates and URLs are chosen so that
// kg.SortEvidence uses each of its keys: kind, then date (newest first,
// undated last), then URL.
var (
	d1 = doc("https://alfa.example/projekt/biogasanlaggning", "Biogas på gården", kg.KindProject, day(2024, 3, 1),
		[]string{alfa},
		biogas, "Projektet bygger en gårdsnära biogasanläggning.",
		selfSuff, "Gården ska bli självförsörjande på energi.")
	d2 = doc("https://beta.example/nyheter/1", "Ny rötkammare invigd", kg.KindNews, day(2024, 5, 10),
		[]string{beta},
		biogas, "Rötkammaren ger biogas till bussarna.")
	d3 = doc("https://natverket.example/rapport-2023", "Rapport om gröna näringar", kg.KindReport, day(2023, 11, 20),
		[]string{alfa, beta},
		biogas, "Båda klustren driver biogasfrågor.",
		forestry, "Skogsbruket i regionerna beskrivs.")
	d4 = doc("https://gamma.example/om-oss", "Om Gammagruppen", kg.KindAbout, time.Time{},
		[]string{gamma},
		food, "Vi arbetar med lokala livsmedel.",
		selfSuff, "Målet är högre självförsörjning.")
	d5 = doc("https://beta.example/kalender/biogasdag", "Biogasdagen", kg.KindEvent, time.Date(2024, 6, 1, 18, 0, 0, 0, cest),
		[]string{beta},
		biogas, "En dag om biogas för lantbrukare.")
	d6 = doc("https://alfa.example/om", "Om Alfa", kg.KindAbout, day(2022, 2, 2),
		[]string{alfa, delta},
		food, "Alfa och Delta samarbetar kring mat.")
	d7 = doc("https://beta.example/nyheter/0", "Biogas i fokus", kg.KindNews, day(2024, 5, 10),
		[]string{beta},
		biogas, "Biogas i fokus på mässan.")
	d8 = doc("https://beta.example/nyheter/2", "Odaterad nyhet", kg.KindNews, time.Time{},
		[]string{beta},
		biogas, "Mer om rötning.")
	d9 = doc("https://gamma.example/kontakt", "Kontakt", kg.KindContact, time.Time{},
		[]string{gamma})
)

func fixtureDocs() []kg.Document { return []kg.Document{d1, d2, d3, d4, d5, d6, d7, d8, d9} }

// ev is the evidence that d gives for a WORKS_ON or MENTIONS edge to topic.
func ev(d kg.Document, topic string) kg.Evidence {
	snippet := ""
	for _, m := range d.Topics {
		if m.TopicID == topic {
			snippet = m.Snippet
			break
		}
	}
	var date time.Time
	if !d.Date.IsZero() {
		date = d.Date.UTC()
	}
	return kg.Evidence{DocumentID: d.ID, URL: d.URL, Title: d.Title, Kind: d.Kind, Date: date, Snippet: snippet}
}

func tw(topic string, weight float64, evidence ...kg.Evidence) kg.TopicWeight {
	t := topicByID(topic)
	return kg.TopicWeight{TopicID: t.ID, SV: t.SV, EN: t.EN, Weight: weight, Evidence: evidence}
}

// top strips the evidence, as TopTopics shows topics.
func top(tws ...kg.TopicWeight) []kg.TopicWeight {
	out := make([]kg.TopicWeight, len(tws))
	for i, t := range tws {
		t.Evidence = nil
		out[i] = t
	}
	return out
}

func strength(cluster string, weight float64, evidence ...kg.Evidence) kg.ClusterStrength {
	c := fixtureClusters()[cluster]
	return kg.ClusterStrength{ClusterID: c.ID, Name: c.Name, County: c.County, Weight: weight, Evidence: evidence}
}

// wantTopicsOf is what Cluster returns as Topics for each cluster of the
// full fixture (registry and d1..d9): strongest first, ties by topic id.
func wantTopicsOf(cluster string) []kg.TopicWeight {
	switch cluster {
	case alfa:
		return []kg.TopicWeight{
			tw(biogas, 5.5, ev(d1, biogas), ev(d3, biogas)),
			tw(selfSuff, 3, ev(d1, selfSuff)),
			tw(forestry, 2.5, ev(d3, forestry)),
			tw(food, 2, ev(d6, food)),
		}
	case beta:
		return []kg.TopicWeight{
			tw(biogas, 9, ev(d3, biogas), ev(d5, biogas), ev(d7, biogas), ev(d2, biogas), ev(d8, biogas)),
			tw(forestry, 2.5, ev(d3, forestry)),
		}
	case gamma:
		return []kg.TopicWeight{
			tw(food, 2, ev(d4, food)),
			tw(selfSuff, 2, ev(d4, selfSuff)),
		}
	case delta:
		return []kg.TopicWeight{tw(food, 2, ev(d6, food))}
	}
	return nil
}

// wantDocumentsOf is how many fixture documents are attributed to cluster.
var wantDocumentsOf = map[string]int{alfa: 3, beta: 5, gamma: 2, delta: 1}

func wantSummary(cluster string, docs int, topics []kg.TopicWeight) kg.ClusterSummary {
	c := fixtureClusters()[cluster]
	if len(topics) > 3 {
		topics = topics[:3]
	}
	return kg.ClusterSummary{
		ID: c.ID, Name: c.Name, County: c.County, Sites: c.Sites,
		Documents: docs, TopTopics: top(topics...),
	}
}

func wantDetail(cluster string, docs int, topics []kg.TopicWeight) kg.ClusterDetail {
	c := fixtureClusters()[cluster]
	return kg.ClusterDetail{
		ClusterSummary: wantSummary(cluster, docs, topics),
		Aliases:        c.Aliases, Town: c.Town, Description: c.Description,
		Topics: topics,
	}
}

// nameOrder is the fixture clusters ordered by name.
var nameOrder = []string{alfa, beta, delta, gamma}

func wantFullClusters() []kg.ClusterSummary {
	var out []kg.ClusterSummary
	for _, id := range nameOrder {
		out = append(out, wantSummary(id, wantDocumentsOf[id], wantTopicsOf(id)))
	}
	return out
}

func wantRegistryOnlyClusters() []kg.ClusterSummary {
	var out []kg.ClusterSummary
	for _, id := range nameOrder {
		out = append(out, wantSummary(id, 0, nil))
	}
	return out
}

func wantFullTopicClusters() map[string][]kg.ClusterStrength {
	return map[string][]kg.ClusterStrength{
		biogas: {
			strength(beta, 9, ev(d3, biogas), ev(d5, biogas), ev(d7, biogas), ev(d2, biogas), ev(d8, biogas)),
			strength(alfa, 5.5, ev(d1, biogas), ev(d3, biogas)),
		},
		selfSuff: {
			strength(alfa, 3, ev(d1, selfSuff)),
			strength(gamma, 2, ev(d4, selfSuff)),
		},
		forestry: {
			strength(alfa, 2.5, ev(d3, forestry)),
			strength(beta, 2.5, ev(d3, forestry)),
		},
		food: {
			strength(alfa, 2, ev(d6, food)),
			strength(delta, 2, ev(d6, food)),
			strength(gamma, 2, ev(d4, food)),
		},
		horses: nil,
	}
}

func topicSummary(id string, clusters, documents int) kg.TopicSummary {
	return kg.TopicSummary{Topic: topicByID(id), Clusters: clusters, Documents: documents}
}

func wantFullTopics() []kg.TopicSummary {
	return []kg.TopicSummary{
		topicSummary(biogas, 2, 6),
		topicSummary(selfSuff, 2, 2),
		topicSummary(forestry, 2, 1),
		topicSummary(food, 3, 2),
		topicSummary(horses, 0, 0),
	}
}

func wantRegistryOnlyTopics() []kg.TopicSummary {
	var out []kg.TopicSummary
	for _, t := range fixtureTopics() {
		out = append(out, kg.TopicSummary{Topic: t})
	}
	return out
}

func wantRegistryOnlyStats() kg.GraphStats {
	return kg.GraphStats{
		Nodes: map[string]int{kg.LabelCluster: 4, kg.LabelCounty: 2, kg.LabelSource: 1, kg.LabelTopic: 5},
		Edges: map[string]int{kg.RelLocatedIn: 3},
	}
}

func wantFullStats() kg.GraphStats {
	return kg.GraphStats{
		Nodes: map[string]int{
			kg.LabelCluster: 4, kg.LabelCounty: 2, kg.LabelSource: 1, kg.LabelTopic: 5,
			kg.LabelDocument: 9, kg.LabelSite: 4,
		},
		Edges: map[string]int{
			kg.RelLocatedIn:   3,
			kg.RelPublishedOn: 9,
			kg.RelMentions:    22, // 11 to clusters, 11 to topics
			kg.RelWorksOn:     9,
		},
	}
}
