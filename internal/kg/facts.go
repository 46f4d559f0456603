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

	// Entity properties.
	PropRole         = "role"         // WORKS_AT: the title as written
	PropEmail        = "email"        // Person, where published
	PropPhone        = "phone"        // Person, where published
	PropMergedFrom   = "merged_from"  // Person: other forms merged into it
	PropOrgKind      = "org_kind"     // Organisation: vocabulary kind
	PropStart        = "start"        // Project, Event: RFC 3339
	PropEnd          = "end"          // Project, Event: RFC 3339
	PropPeriod       = "period"       // Project: the period as written
	PropStatus       = "status"       // Project: Status* constant
	PropOwner        = "owner"        // Project: owner as written
	PropLeader       = "leader"       // Project: leader as written
	PropFunders      = "funders"      // Project: list
	PropStakeholders = "stakeholders" // Project: list
	PropAllDay       = "all_day"      // Event: "true" for a whole day
	PropPlace        = "place"        // Event
	PropOrganisers   = "organisers"   // Event: list
	PropRegistration = "registration" // Event: registration URL
	PropBasis        = "basis"        // COLLABORATES_WITH: project, event or statement
	PropTopics       = "topics"       // Project, Event: topic ids
	PropSourceURL    = "source_url"   // entity nodes: the page that describes them
)

// Bases of a COLLABORATES_WITH edge.
const (
	BasisProject   = "project"
	BasisEvent     = "event"
	BasisStatement = "statement"
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
// Site nodes, PUBLISHED_ON, MENTIONS of its topics, clusters, organisations
// and people, a WORKS_ON edge from every attributed cluster to every topic
// it shows, and the entities it states: Person (WORKS_AT, LEADS), Project
// (OWNED_BY, FUNDS, TAKES_PART_IN, ABOUT), Event (ORGANISED_BY, ABOUT),
// Organisation nodes, and COLLABORATES_WITH edges from a cluster to the
// clusters and organisations it shares a project or an event with, or
// states a partnership with. Every edge carries the snippet that shows it.
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
	if len(d.People)+len(d.Projects)+len(d.Events)+len(d.Organisations) > 0 {
		b := newEntityFacts(d, &fs)
		b.organisations()
		b.people()
		b.projects()
		b.events()
		b.statedPartners()
		fs.Edges = dedupeEdges(fs.Edges)
	}
	if fs.Hash == "" {
		fs.Hash = hashFactSet(fs)
	}
	return fs
}

// entityFacts builds the entity part of a document's fact set.
type entityFacts struct {
	d         Document
	fs        *FactSet
	orgIDs    map[string]string // Slug(written name) → node id
	personIDs map[string]string // Slug(person name) → node id
	nodes     map[string]bool
	clusters  map[string]bool // the document's attributed clusters, as node ids
}

func newEntityFacts(d Document, fs *FactSet) *entityFacts {
	b := &entityFacts{d: d, fs: fs, orgIDs: map[string]string{}, personIDs: map[string]string{},
		nodes: map[string]bool{}, clusters: map[string]bool{}}
	for _, c := range d.Clusters {
		b.clusters[ClusterNodeID(c)] = true
	}
	return b
}

// addNode adds n once.
func (b *entityFacts) addNode(n Node) {
	if b.nodes[n.ID] {
		return
	}
	b.nodes[n.ID] = true
	b.fs.Nodes = append(b.fs.Nodes, n)
}

func (b *entityFacts) edge(from, rel, to, snippet string, props map[string]string) {
	if from == "" || to == "" || from == to {
		return
	}
	b.fs.Edges = append(b.fs.Edges, Edge{From: from, Rel: rel, To: to, Snippet: snippet, Props: props})
}

// organisations adds the Organisation nodes and MENTIONS edges, and
// indexes every written form for resolving entity fields.
func (b *entityFacts) organisations() {
	for _, o := range b.d.Organisations {
		id := OrganisationNodeID(o.ID)
		if o.ClusterID != "" {
			id = ClusterNodeID(o.ClusterID)
		} else {
			if o.ID == "" {
				continue
			}
			props := map[string]string{}
			if o.Kind != "" {
				props[PropOrgKind] = o.Kind
			}
			b.addNode(Node{ID: id, Label: LabelOrganisation, Name: o.Name, Props: props})
		}
		for _, w := range append([]string{o.Name}, o.Written...) {
			if k := Slug(w); k != "" {
				if _, ok := b.orgIDs[k]; !ok {
					b.orgIDs[k] = id
				}
			}
		}
		if !b.clusters[id] {
			b.edge(b.d.ID, RelMentions, id, o.Snippet, nil)
		}
	}
}

// resolveOrgs returns the node ids of the organisations or clusters a
// field value names: the whole value when the document knows it, else
// each part of a list ("LRF, Region Skåne och SLU"). Unknown names become
// Organisation nodes of their own.
func (b *entityFacts) resolveOrgs(value string) []string {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil
	}
	if id, ok := b.orgIDs[Slug(value)]; ok {
		return []string{id}
	}
	var out []string
	for _, part := range SplitNames(value) {
		if id, ok := b.orgIDs[Slug(part)]; ok {
			out = append(out, id)
			continue
		}
		slug := Slug(part)
		if slug == "" {
			continue
		}
		id := OrganisationNodeID(slug)
		b.addNode(Node{ID: id, Label: LabelOrganisation, Name: part})
		b.orgIDs[slug] = id
		out = append(out, id)
	}
	return out
}

// SplitNames splits a list of names as pages write them: "A, B och C",
// "A & B", "A; B", "A samt B", "A / B".
func SplitNames(s string) []string {
	s = strings.NewReplacer(" och ", ",", " samt ", ",", " & ", ",", ";", ",", " / ", ",", " and ", ",").Replace(s)
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.Trim(strings.TrimSpace(p), ".:"); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// orgKey is the part of a person's id that names where they work.
func orgKey(id string) string {
	if _, k, ok := strings.Cut(id, ":"); ok {
		return k
	}
	return id
}

// people adds Person nodes, WORKS_AT and MENTIONS edges.
func (b *entityFacts) people() {
	for _, p := range b.d.People {
		if strings.TrimSpace(p.Name) == "" {
			continue
		}
		var works []string
		switch {
		case p.ClusterID != "":
			works = []string{ClusterNodeID(p.ClusterID)}
		case p.Organisation != "":
			works = b.resolveOrgs(p.Organisation)
		}
		key := b.homeKey()
		if len(works) > 0 {
			key = orgKey(works[0])
		}
		id := PersonNodeID(p.Name, key)
		props := map[string]string{PropSourceURL: b.d.URL}
		if p.Email != "" {
			props[PropEmail] = p.Email
		}
		if p.Phone != "" {
			props[PropPhone] = p.Phone
		}
		if len(p.MergedFrom) > 0 {
			props[PropMergedFrom] = JoinList(p.MergedFrom)
		}
		b.addNode(Node{ID: id, Label: LabelPerson, Name: p.Name, Props: props})
		if _, ok := b.personIDs[Slug(p.Name)]; !ok {
			b.personIDs[Slug(p.Name)] = id
		}
		b.edge(b.d.ID, RelMentions, id, p.Snippet, nil)
		for _, w := range works {
			var props map[string]string
			if p.Role != "" {
				props = map[string]string{PropRole: p.Role}
			}
			b.edge(id, RelWorksAt, w, p.Snippet, props)
		}
	}
}

// homeKey is where a person the document names without an organisation
// is taken to work: the cluster whose own site published the document, so
// a project leader on a cluster's project page is the same person as on
// its contact page; else the host.
func (b *entityFacts) homeKey() string {
	if b.d.EntryKind == EntryCluster && b.d.EntryID != "" {
		return b.d.EntryID
	}
	return b.d.Host
}

// person returns the node id of a person a field names, adding a node
// when the document lists no such person.
func (b *entityFacts) person(name string) string {
	if id, ok := b.personIDs[Slug(name)]; ok {
		return id
	}
	id := PersonNodeID(name, b.homeKey())
	b.addNode(Node{ID: id, Label: LabelPerson, Name: name, Props: map[string]string{PropSourceURL: b.d.URL}})
	b.personIDs[Slug(name)] = id
	return id
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// projects adds Project nodes and their edges.
func (b *entityFacts) projects() {
	for _, p := range b.d.Projects {
		if Slug(p.Name) == "" {
			continue
		}
		id := ProjectNodeID(p.Name)
		props := map[string]string{PropSourceURL: b.d.URL}
		set := func(k, v string) {
			if v != "" {
				props[k] = v
			}
		}
		set(PropStart, formatTime(p.Start))
		set(PropEnd, formatTime(p.End))
		set(PropPeriod, p.Period)
		set(PropStatus, p.Status)
		set(PropOwner, p.Owner)
		set(PropLeader, p.Leader)
		set(PropFunders, JoinList(p.Funders))
		set(PropStakeholders, JoinList(p.Stakeholders))
		set(PropTopics, JoinList(p.Topics))
		b.addNode(Node{ID: id, Label: LabelProject, Name: p.Name, Props: props})
		b.edge(b.d.ID, RelMentions, id, p.Snippet, nil)
		owners := b.resolveOrgs(p.Owner)
		for _, o := range owners {
			b.edge(id, RelOwnedBy, o, p.Snippet, nil)
		}
		for _, f := range p.Funders {
			for _, o := range b.resolveOrgs(f) {
				b.edge(o, RelFunds, id, p.Snippet, nil)
			}
		}
		participants := append([]string(nil), owners...)
		for _, s := range p.Stakeholders {
			for _, o := range b.resolveOrgs(s) {
				b.edge(o, RelTakesPartIn, id, p.Snippet, nil)
				participants = append(participants, o)
			}
		}
		if p.Leader != "" {
			for _, name := range SplitNames(p.Leader) {
				b.edge(b.person(name), RelLeads, id, p.Snippet, nil)
			}
		}
		for _, t := range p.Topics {
			b.edge(id, RelAbout, TopicNodeID(t), p.Snippet, nil)
		}
		b.collaborations(participants, BasisProject, p.Snippet)
	}
}

// events adds Event nodes and their edges.
func (b *entityFacts) events() {
	for _, e := range b.d.Events {
		if Slug(e.Title) == "" {
			continue
		}
		id := EventNodeID(e.Title, e.Start)
		props := map[string]string{PropSourceURL: b.d.URL}
		set := func(k, v string) {
			if v != "" {
				props[k] = v
			}
		}
		set(PropStart, formatTime(e.Start))
		set(PropEnd, formatTime(e.End))
		if e.AllDay {
			props[PropAllDay] = "true"
		}
		set(PropPlace, e.Place)
		set(PropOrganisers, JoinList(e.Organisers))
		set(PropRegistration, e.RegistrationURL)
		set(PropTopics, JoinList(e.Topics))
		b.addNode(Node{ID: id, Label: LabelEvent, Name: e.Title, Props: props})
		b.edge(b.d.ID, RelMentions, id, e.Snippet, nil)
		var organisers []string
		for _, o := range e.Organisers {
			for _, n := range b.resolveOrgs(o) {
				b.edge(id, RelOrganisedBy, n, e.Snippet, nil)
				organisers = append(organisers, n)
			}
		}
		for _, t := range e.Topics {
			b.edge(id, RelAbout, TopicNodeID(t), e.Snippet, nil)
		}
		b.collaborations(organisers, BasisEvent, e.Snippet)
	}
}

// collaborations links every cluster among the participants of one
// project or event to every other participant.
func (b *entityFacts) collaborations(participants []string, basis, snippet string) {
	for _, a := range participants {
		if !strings.HasPrefix(a, "cluster:") {
			continue
		}
		for _, o := range participants {
			if o != a {
				b.edge(a, RelCollaboratesWith, o, snippet, map[string]string{PropBasis: basis})
			}
		}
	}
}

// statedPartners links the document's clusters to the organisations it
// states a partnership with.
func (b *entityFacts) statedPartners() {
	for _, o := range b.d.Organisations {
		if !o.Partner {
			continue
		}
		to := OrganisationNodeID(o.ID)
		if o.ClusterID != "" {
			to = ClusterNodeID(o.ClusterID)
		}
		for _, c := range b.d.Clusters {
			b.edge(ClusterNodeID(c), RelCollaboratesWith, to, o.Snippet, map[string]string{PropBasis: BasisStatement})
		}
	}
}

// dedupeEdges keeps the first edge of every (From, Rel, To, role).
func dedupeEdges(edges []Edge) []Edge {
	seen := map[string]bool{}
	out := edges[:0]
	for _, e := range edges {
		k := e.From + "\x00" + e.Rel + "\x00" + e.To + "\x00" + e.Props[PropRole]
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	return out
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
