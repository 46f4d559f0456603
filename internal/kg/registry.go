package kg

// Registry lists what Klusterkarta crawls: the green clusters and the source
// sites that write about many of them.
type Registry struct {
	Clusters []Cluster
	Sources  []Source
}

// Cluster is one regional green cluster as the registry describes it.
type Cluster struct {
	ID          string   // stable slug, e.g. "vreta-kluster"
	Name        string   // display name
	Aliases     []string // other names a page may use for it
	County      string   // Swedish county name, e.g. "Östergötlands län"
	Town        string   // seat or region, free text
	Description string   // one-sentence Swedish description
	Sites       []string // root URLs of its own websites; may be empty
}

// Source is a site that writes about many clusters (the national network,
// partners, the trade press). Its documents are attributed to the clusters
// they name, never to the source itself.
type Source struct {
	ID    string
	Name  string
	Sites []string
}

// EntryKind tells whether a registry entry is a cluster or a source.
type EntryKind string

// Registry entry kinds.
const (
	EntryCluster EntryKind = "cluster"
	EntrySource  EntryKind = "source"
)

// Entry is the registry entry a crawled site belongs to.
type Entry struct {
	Kind  EntryKind
	ID    string
	Name  string
	Sites []string
}

// Entries returns every cluster and source as crawlable entries, clusters
// first, in registry order.
func (r Registry) Entries() []Entry {
	out := make([]Entry, 0, len(r.Clusters)+len(r.Sources))
	for _, c := range r.Clusters {
		out = append(out, Entry{Kind: EntryCluster, ID: c.ID, Name: c.Name, Sites: c.Sites})
	}
	for _, s := range r.Sources {
		out = append(out, Entry{Kind: EntrySource, ID: s.ID, Name: s.Name, Sites: s.Sites})
	}
	return out
}

// ClusterByID returns the cluster with the given id.
func (r Registry) ClusterByID(id string) (Cluster, bool) {
	for _, c := range r.Clusters {
		if c.ID == id {
			return c, true
		}
	}
	return Cluster{}, false
}

// Topic is one entry of the topic vocabulary.
type Topic struct {
	ID    string   // stable id, part of the public API, e.g. "self-sufficiency"
	SV    string   // Swedish label
	EN    string   // English label
	Terms []string // Swedish and English words whose stems or compounds signal it
}

// Label returns the topic's label in lang ("sv" or "en"), falling back to
// the other language and then the id.
func (t Topic) Label(lang string) string {
	switch {
	case lang == "en" && t.EN != "":
		return t.EN
	case t.SV != "":
		return t.SV
	case t.EN != "":
		return t.EN
	}
	return t.ID
}
