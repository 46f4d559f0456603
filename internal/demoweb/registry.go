package demoweb

import "github.com/klusterkarta/klusterkarta/internal/kg"

// Registry ids of the demo clusters and the demo source.
const (
	ClusterAngsmarken  = "angsmarkens-grona-kluster"
	ClusterSkogsbrynet = "skogsbrynets-kluster"
	ClusterKustlandet  = "kustlandets-matkluster"
	// ClusterSlattbygden has no site of its own: the demo web knows it only
	// through an article on the source site.
	ClusterSlattbygden = "slattbygdens-kluster"
	SourceNatverket    = "natverket-for-grona-kluster"
)

// clusterSpec is a demo cluster with the name of its site, if any.
type clusterSpec struct {
	cluster kg.Cluster
	site    string
}

var clusterSpecs = []clusterSpec{
	{site: SiteAngsmarken, cluster: kg.Cluster{
		ID:          ClusterAngsmarken,
		Name:        "Ängsmarkens Gröna Kluster",
		Aliases:     []string{"Ängsmarken", "Ängsmarkens kluster"},
		County:      "Östergötlands län",
		Town:        "Lövåsa",
		Description: "Ekonomisk förening på Östgötaslätten som samlar lantbrukare och livsmedelsföretag kring självförsörjning, krisberedskap och den regionala livsmedelsstrategin.",
	}},
	{site: SiteSkogsbrynet, cluster: kg.Cluster{
		ID:          ClusterSkogsbrynet,
		Name:        "Skogsbrynets Kluster",
		Aliases:     []string{"Skogsbrynet"},
		County:      "Västerbottens län",
		Town:        "Granliden",
		Description: "Kluster i Västerbottens inland för skogsägare, sågverk och energiföretag med fokus på biogas, bioenergi och kapital till småföretag.",
	}},
	{site: SiteKustlandet, cluster: kg.Cluster{
		ID:          ClusterKustlandet,
		Name:        "Kustlandets Matkluster",
		Aliases:     []string{"Matklustret Kustlandet"},
		County:      "Hallands län",
		Town:        "Tångeviken",
		Description: "Matkluster längs halländska kusten för fiske, vattenbruk och livsmedelsförädling som prövar nya affärsmodeller.",
	}},
	{cluster: kg.Cluster{
		ID:          ClusterSlattbygden,
		Name:        "Slättbygdens Kluster",
		County:      "Skåne län",
		Town:        "Vallby",
		Description: "Trädgårds- och grönsakskluster på den skånska slätten, känt i demowebben bara genom nationella nätverkets artiklar.",
	}},
}

// Expected is the ranking of demo clusters, by registry id and strongest
// first, that a correct crawl of the demo web yields for a topic through
// kg.GraphStore.TopicClusters. Clusters not listed show no evidence for the
// topic at all.
//
// The order follows from the pages as written: each page that mentions one
// of a topic's terms weighs as kg.EvidenceWeight counts its kind (project 3,
// report 2.5, event and about 2, news 1.5, contact and other 1), a cluster's
// own pages count for it, and a source-site article counts for every
// cluster it names. TestExpectedFollowsFromPages recomputes the ranking
// from the served pages and requires it to hold however a start or listing
// page is classified, whether or not the PDF is read, and whether terms are
// matched only as words and their inflections, anywhere inside a word, or
// by the project's own topic matcher (internal/topics).
var Expected = map[string][]string{
	"self-sufficiency":     {ClusterAngsmarken, ClusterKustlandet, ClusterSkogsbrynet},
	"crisis-preparedness":  {ClusterAngsmarken, ClusterSkogsbrynet, ClusterKustlandet},
	"rules-and-conditions": {ClusterKustlandet, ClusterAngsmarken, ClusterSkogsbrynet},
	"capital-supply":       {ClusterSkogsbrynet, ClusterKustlandet, ClusterAngsmarken},
	"business-models":      {ClusterKustlandet, ClusterSkogsbrynet, ClusterAngsmarken},
	"food-strategy":        {ClusterAngsmarken, ClusterKustlandet},
	"bioenergy":            {ClusterSkogsbrynet},
	"aquaculture-fishing":  {ClusterKustlandet},
}
