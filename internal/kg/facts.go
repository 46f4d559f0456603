package kg

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Node property keys. Every store reads and writes nodes through these, so
// the conventions live in one place.
const (
	PropCounty      = "county"
	PropTown        = "town"
	PropDescription = "description"
	PropSites       = "sites"
	PropAliases     = "aliases"
	PropSV          = "sv"
	PropEN          = "en"
	PropTerms       = "terms"
	PropOrder       = "order"
	PropURL         = "url"
	PropKind        = "kind"
	PropDate        = "date"
	PropLang        = "lang"
	PropHost        = "host"
)

// ClusterNode returns the graph node of a registry cluster.
func ClusterNode(c Cluster) Node {
	return Node{ID: ClusterNodeID(c.ID), Label: LabelCluster, Name: c.Name, Props: map[string]string{
		PropCounty:      c.County,
		PropTown:        c.Town,
		PropDescription: c.Description,
		PropSites:       JoinList(c.Sites),
		PropAliases:     JoinList(c.Aliases),
	}}
}

// ClusterFromNode is the inverse of ClusterNode.
func ClusterFromNode(n Node) Cluster {
	return Cluster{
		ID:          strings.TrimPrefix(n.ID, "cluster:"),
		Name:        n.Name,
		County:      n.Props[PropCounty],
		Town:        n.Props[PropTown],
		Description: n.Props[PropDescription],
		Sites:       SplitList(n.Props[PropSites]),
		Aliases:     SplitList(n.Props[PropAliases]),
	}
}

// TopicNode returns the graph node of a vocabulary topic at position order.
func TopicNode(t Topic, order int) Node {
	return Node{ID: TopicNodeID(t.ID), Label: LabelTopic, Name: t.SV, Props: map[string]string{
		PropSV:    t.SV,
		PropEN:    t.EN,
		PropTerms: JoinList(t.Terms),
		PropOrder: strconv.Itoa(order),
	}}
}

// TopicFromNode is the inverse of TopicNode; it also returns the position.
func TopicFromNode(n Node) (Topic, int) {
	order, _ := strconv.Atoi(n.Props[PropOrder])
	return Topic{
		ID:    strings.TrimPrefix(n.ID, "topic:"),
		SV:    n.Props[PropSV],
		EN:    n.Props[PropEN],
		Terms: SplitList(n.Props[PropTerms]),
	}, order
}

// DocumentNode returns the graph node of an extracted document.
func DocumentNode(d Document) Node {
	date := ""
	if !d.Date.IsZero() {
		date = d.Date.UTC().Format(time.RFC3339)
	}
	return Node{ID: d.ID, Label: LabelDocument, Name: d.Title, Props: map[string]string{
		PropURL:  d.URL,
		PropKind: d.Kind,
		PropDate: date,
		PropLang: d.Lang,
		PropHost: d.Host,
	}}
}

// EvidenceFromNode builds the evidence that a document node gives for an
// edge with the given snippet.
func EvidenceFromNode(n Node, snippet string) Evidence {
	var date time.Time
	if v := n.Props[PropDate]; v != "" {
		date, _ = time.Parse(time.RFC3339, v)
	}
	return Evidence{
		DocumentID: n.ID,
		URL:        n.Props[PropURL],
		Title:      n.Name,
		Kind:       n.Props[PropKind],
		Date:       date,
		Snippet:    snippet,
	}
}

// RegistryFacts returns the fact set of the registry and the topic
// vocabulary: cluster, source, topic and county nodes and LOCATED_IN edges.
func RegistryFacts(reg Registry, topics []Topic) FactSet {
	var fs FactSet
	fs.SourceID = RegistrySource
	counties := map[string]bool{}
	for _, c := range reg.Clusters {
		fs.Nodes = append(fs.Nodes, ClusterNode(c))
		if c.County != "" {
			if !counties[c.County] {
				counties[c.County] = true
				fs.Nodes = append(fs.Nodes, Node{ID: CountyNodeID(c.County), Label: LabelCounty, Name: c.County})
			}
			fs.Edges = append(fs.Edges, Edge{From: ClusterNodeID(c.ID), Rel: RelLocatedIn, To: CountyNodeID(c.County)})
		}
	}
	for _, s := range reg.Sources {
		fs.Nodes = append(fs.Nodes, Node{ID: SourceNodeID(s.ID), Label: LabelSource, Name: s.Name,
			Props: map[string]string{PropSites: JoinList(s.Sites)}})
	}
	for i, t := range topics {
		fs.Nodes = append(fs.Nodes, TopicNode(t, i))
	}
	fs.Hash = hashFactSet(fs)
	return fs
}

// DocumentFacts returns the fact set a document supports: its Document and
// Site nodes, PUBLISHED_ON, MENTIONS of its topics and clusters, and a
// WORKS_ON edge from every attributed cluster to every topic it shows.
func DocumentFacts(d Document) FactSet {
	fs := FactSet{SourceID: d.ID, Hash: d.ContentHash}
	fs.Nodes = append(fs.Nodes, DocumentNode(d))
	if d.Host != "" {
		fs.Nodes = append(fs.Nodes, Node{ID: SiteNodeID(d.Host), Label: LabelSite, Name: d.Host})
		fs.Edges = append(fs.Edges, Edge{From: d.ID, Rel: RelPublishedOn, To: SiteNodeID(d.Host)})
	}
	for _, c := range d.Clusters {
		fs.Edges = append(fs.Edges, Edge{From: d.ID, Rel: RelMentions, To: ClusterNodeID(c)})
	}
	for _, m := range d.Topics {
		fs.Edges = append(fs.Edges, Edge{From: d.ID, Rel: RelMentions, To: TopicNodeID(m.TopicID), Snippet: m.Snippet})
		for _, c := range d.Clusters {
			fs.Edges = append(fs.Edges, Edge{From: ClusterNodeID(c), Rel: RelWorksOn, To: TopicNodeID(m.TopicID), Snippet: m.Snippet})
		}
	}
	if fs.Hash == "" {
		fs.Hash = hashFactSet(fs)
	}
	return fs
}

// hashFactSet hashes a fact set's content in a stable order.
func hashFactSet(fs FactSet) string {
	var lines []string
	for _, n := range fs.Nodes {
		keys := make([]string, 0, len(n.Props))
		for k := range n.Props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("N\x00" + n.ID + "\x00" + n.Label + "\x00" + n.Name)
		for _, k := range keys {
			b.WriteString("\x00" + k + "=" + n.Props[k])
		}
		lines = append(lines, b.String())
	}
	for _, e := range fs.Edges {
		keys := make([]string, 0, len(e.Props))
		for k := range e.Props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("E\x00" + e.From + "\x00" + e.Rel + "\x00" + e.To + "\x00" + e.Snippet)
		for _, k := range keys {
			b.WriteString("\x00" + k + "=" + e.Props[k])
		}
		lines = append(lines, b.String())
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}
