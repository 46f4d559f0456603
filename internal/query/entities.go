package query

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Affiliation is where a person works, with the role a page gives them
// there.
type Affiliation struct {
	Ref             // the cluster or organisation
	Role     string // as written, e.g. "verksamhetsledare"; "" if none
	Evidence []kg.Evidence
}

// Person is someone the crawled pages name in a work role. It holds only
// what those pages publish.
type Person struct {
	Ref
	Role          string   // the first role given, "" if none
	Email         string   // only where a page publishes it
	Phone         string   // only where a page publishes it
	URL           string   // the page that describes the person
	MergedFrom    []string // other forms under which a page names the same person
	WorksAt       []Affiliation
	Clusters      []Ref // clusters worked at, else the clusters of the pages naming the person
	Organisations []Ref // organisations worked at
	Leads         []Ref // projects led
	Topics        []kg.Topic
	Evidence      []kg.Evidence
}

// PersonFilter selects people; empty fields select all.
type PersonFilter struct {
	Topic   string // topic id: people leading a project about it or named on a page about it
	Cluster string // cluster id
	Query   string // words in the name, role, organisation, e-mail or merged forms
}

// Project is a project as the crawled pages describe it.
type Project struct {
	Ref
	Period       string    // as written, e.g. "220501-240430"
	Start        time.Time // zero if unknown
	End          time.Time // zero if unknown
	Status       string    // kg.Status* as stated, else from the period; "" if unknown
	Owner        string    // projektägare as written
	Leader       string    // projektledare as written
	URL          string    // the page that describes it
	Owners       []Ref     // OWNED_BY: clusters and organisations
	Leaders      []Ref     // people who lead it
	Funders      []Ref     // organisations that fund it
	Participants []Ref     // clusters and organisations that take part (intressenter)
	Clusters     []Ref     // owning or participating clusters and those whose pages describe it
	Topics       []kg.Topic
	Evidence     []kg.Evidence
}

// ProjectFilter selects projects; empty fields select all.
type ProjectFilter struct {
	Topic   string // topic id
	Cluster string // cluster id
	Status  string // kg.StatusOngoing, kg.StatusFinished or kg.StatusPlanned
	Query   string // words in the name, owner, leader or funders
}

// Organisation is an organisation the crawled pages name, with what they
// say it does.
type Organisation struct {
	Ref
	Kind          string        // vocabulary kind (authority, region, university, ...), "" if unknown
	People        []Affiliation // people working there, Ref naming the person
	Owns          []Ref         // projects it owns
	Funds         []Ref         // projects it funds
	TakesPartIn   []Ref         // projects it takes part in
	Organises     []Ref         // events it organises
	Collaborators []Ref         // clusters it collaborates with
	Evidence      []kg.Evidence // the pages that name it
}

var (
	personLabels  = []string{kg.LabelPerson, kg.LabelDocument, kg.LabelCluster, kg.LabelOrganisation, kg.LabelTopic, kg.LabelProject}
	personRels    = []string{kg.RelMentions, kg.RelWorksAt, kg.RelLeads, kg.RelAbout}
	projectLabels = []string{kg.LabelProject, kg.LabelDocument, kg.LabelCluster, kg.LabelOrganisation, kg.LabelTopic, kg.LabelPerson}
	projectRels   = []string{kg.RelMentions, kg.RelOwnedBy, kg.RelFunds, kg.RelTakesPartIn, kg.RelLeads, kg.RelAbout}
	orgLabels     = []string{kg.LabelOrganisation, kg.LabelDocument, kg.LabelCluster, kg.LabelPerson, kg.LabelProject, kg.LabelEvent}
	orgRels       = []string{kg.RelMentions, kg.RelWorksAt, kg.RelOwnedBy, kg.RelFunds, kg.RelTakesPartIn, kg.RelOrganisedBy, kg.RelCollaboratesWith}
)

// CheckFilter returns ENOTFOUND if topic or cluster, when not empty, names
// no topic or cluster of the graph.
func (e *Engine) CheckFilter(ctx context.Context, topic, cluster string) error {
	for _, c := range []struct{ id, nodeID, label, what string }{
		{topic, kg.TopicNodeID(topic), kg.LabelTopic, "topic"},
		{cluster, kg.ClusterNodeID(cluster), kg.LabelCluster, "cluster"},
	} {
		if c.id == "" {
			continue
		}
		n, err := e.Explorer.Node(ctx, c.nodeID)
		if kg.ErrorCode(err) == kg.ENOTFOUND || (err == nil && n.Label != c.label) {
			return kg.Errorf(kg.ENOTFOUND, "%s %q not found", c.what, c.id)
		}
		if err != nil {
			return fmt.Errorf("reading %s %q: %w", c.what, c.id, err)
		}
	}
	return nil
}

// People lists the people that pass f, by name, then id. Returns
// ENOTFOUND for an unknown topic or cluster.
func (e *Engine) People(ctx context.Context, f PersonFilter) ([]Person, error) {
	if err := e.CheckFilter(ctx, f.Topic, f.Cluster); err != nil {
		return nil, err
	}
	s, err := e.load(ctx, personLabels, personRels)
	if err != nil {
		return nil, fmt.Errorf("listing people: %w", err)
	}
	words := queryWords(f.Query)
	var out []Person
	for _, n := range s.byLabel[kg.LabelPerson] {
		p := s.person(n)
		if f.Topic != "" && !containsTopic(p.Topics, f.Topic) {
			continue
		}
		if f.Cluster != "" && !containsRef(p.Clusters, f.Cluster) {
			continue
		}
		if !matchesWords(words, p.searchText()) {
			continue
		}
		out = append(out, p)
	}
	sortByName(out, func(p Person) Ref { return p.Ref })
	return out, nil
}

// Person returns the person with the short id ("<name>@<organisation>").
// Returns ENOTFOUND for an unknown id.
func (e *Engine) Person(ctx context.Context, id string) (Person, error) {
	s, err := e.load(ctx, personLabels, personRels)
	if err != nil {
		return Person{}, fmt.Errorf("reading person %q: %w", id, err)
	}
	n, ok := s.nodes["person:"+id]
	if !ok || n.Label != kg.LabelPerson {
		return Person{}, kg.Errorf(kg.ENOTFOUND, "person %q not found", id)
	}
	return s.person(n), nil
}

// person assembles a person from the snapshot.
func (s *snapshot) person(n kg.Node) Person {
	p := Person{
		Ref:        refOf(n),
		Email:      n.Props[kg.PropEmail],
		Phone:      n.Props[kg.PropPhone],
		URL:        n.Props[kg.PropSourceURL],
		MergedFrom: kg.SplitList(n.Props[kg.PropMergedFrom]),
	}
	var evidence [][]kg.Evidence
	var pages []string
	for _, r := range s.inFrom(n.ID, kg.RelMentions, kg.LabelDocument) {
		evidence = append(evidence, r.Evidence)
		pages = append(pages, r.From)
	}
	for _, r := range s.outTo(n.ID, kg.RelWorksAt, "") {
		a := Affiliation{Ref: refOf(s.nodes[r.To]), Role: r.Props[kg.PropRole], Evidence: r.Evidence}
		switch s.label(r.To) {
		case kg.LabelCluster:
			p.Clusters = append(p.Clusters, a.Ref)
		case kg.LabelOrganisation:
			p.Organisations = append(p.Organisations, a.Ref)
		default:
			continue
		}
		p.WorksAt = append(p.WorksAt, a)
		evidence = append(evidence, r.Evidence)
		if p.Role == "" {
			p.Role = a.Role
		}
	}
	topics := map[string]kg.Topic{}
	for _, r := range s.outTo(n.ID, kg.RelLeads, kg.LabelProject) {
		p.Leads = append(p.Leads, refOf(s.nodes[r.To]))
		evidence = append(evidence, r.Evidence)
		for _, a := range s.outTo(r.To, kg.RelAbout, kg.LabelTopic) {
			topics[a.To] = topicOf(s.nodes[a.To])
		}
	}
	for _, d := range pages {
		for _, r := range s.outTo(d, kg.RelMentions, kg.LabelTopic) {
			topics[r.To] = topicOf(s.nodes[r.To])
		}
	}
	if len(p.Clusters) == 0 {
		for _, d := range pages {
			p.Clusters = append(p.Clusters, s.docClusters(d)...)
		}
	}
	p.Clusters = uniqueRefs(p.Clusters)
	p.Organisations = uniqueRefs(p.Organisations)
	p.Leads = uniqueRefs(p.Leads)
	sort.SliceStable(p.WorksAt, func(i, j int) bool { return p.WorksAt[i].Name < p.WorksAt[j].Name })
	p.Topics = s.sortedTopics(topics)
	p.Evidence = mergeEvidence(evidence...)
	if p.URL == "" && len(p.Evidence) > 0 {
		p.URL = p.Evidence[0].URL
	}
	return p
}

// searchText is what a people query matches.
func (p Person) searchText() string {
	parts := []string{p.Name, p.Email}
	for _, a := range p.WorksAt {
		parts = append(parts, a.Name, a.Role)
	}
	parts = append(parts, p.MergedFrom...)
	return strings.Join(parts, " ")
}

// Projects lists the projects that pass f, by name, then id. Returns
// ENOTFOUND for an unknown topic or cluster, EINVALID for an unknown
// status.
func (e *Engine) Projects(ctx context.Context, f ProjectFilter) ([]Project, error) {
	switch f.Status {
	case "", kg.StatusOngoing, kg.StatusFinished, kg.StatusPlanned:
	default:
		return nil, kg.Errorf(kg.EINVALID, "status must be %s, %s or %s", kg.StatusOngoing, kg.StatusFinished, kg.StatusPlanned)
	}
	if err := e.CheckFilter(ctx, f.Topic, f.Cluster); err != nil {
		return nil, err
	}
	s, err := e.load(ctx, projectLabels, projectRels)
	if err != nil {
		return nil, fmt.Errorf("listing projects: %w", err)
	}
	now := e.now()
	words := queryWords(f.Query)
	var out []Project
	for _, n := range s.byLabel[kg.LabelProject] {
		p := s.project(n, now)
		if f.Topic != "" && !containsTopic(p.Topics, f.Topic) {
			continue
		}
		if f.Cluster != "" && !containsRef(p.Clusters, f.Cluster) {
			continue
		}
		if f.Status != "" && p.Status != f.Status {
			continue
		}
		if !matchesWords(words, p.searchText()) {
			continue
		}
		out = append(out, p)
	}
	sortByName(out, func(p Project) Ref { return p.Ref })
	return out, nil
}

// Project returns the project with the short id. Returns ENOTFOUND for an
// unknown id.
func (e *Engine) Project(ctx context.Context, id string) (Project, error) {
	s, err := e.load(ctx, projectLabels, projectRels)
	if err != nil {
		return Project{}, fmt.Errorf("reading project %q: %w", id, err)
	}
	n, ok := s.nodes["project:"+id]
	if !ok || n.Label != kg.LabelProject {
		return Project{}, kg.Errorf(kg.ENOTFOUND, "project %q not found", id)
	}
	return s.project(n, e.now()), nil
}

// project assembles a project from the snapshot.
func (s *snapshot) project(n kg.Node, now time.Time) Project {
	p := Project{
		Ref:    refOf(n),
		Period: n.Props[kg.PropPeriod],
		Start:  parseTime(n.Props[kg.PropStart]),
		End:    parseTime(n.Props[kg.PropEnd]),
		Status: n.Props[kg.PropStatus],
		Owner:  n.Props[kg.PropOwner],
		Leader: n.Props[kg.PropLeader],
		URL:    n.Props[kg.PropSourceURL],
	}
	if p.Status == "" {
		p.Status = statusOf(p.Start, p.End, now)
	}
	var evidence [][]kg.Evidence
	addCluster := func(id string) {
		if s.label(id) == kg.LabelCluster {
			p.Clusters = append(p.Clusters, refOf(s.nodes[id]))
		}
	}
	for _, r := range s.inFrom(n.ID, kg.RelMentions, kg.LabelDocument) {
		evidence = append(evidence, r.Evidence)
		p.Clusters = append(p.Clusters, s.docClusters(r.From)...)
	}
	for _, r := range s.outTo(n.ID, kg.RelOwnedBy, "") {
		p.Owners = append(p.Owners, refOf(s.nodes[r.To]))
		addCluster(r.To)
		evidence = append(evidence, r.Evidence)
	}
	for _, r := range s.inFrom(n.ID, kg.RelLeads, kg.LabelPerson) {
		p.Leaders = append(p.Leaders, refOf(s.nodes[r.From]))
		evidence = append(evidence, r.Evidence)
	}
	for _, r := range s.inFrom(n.ID, kg.RelFunds, "") {
		p.Funders = append(p.Funders, refOf(s.nodes[r.From]))
		evidence = append(evidence, r.Evidence)
	}
	for _, r := range s.inFrom(n.ID, kg.RelTakesPartIn, "") {
		p.Participants = append(p.Participants, refOf(s.nodes[r.From]))
		addCluster(r.From)
		evidence = append(evidence, r.Evidence)
	}
	topics := map[string]kg.Topic{}
	for _, r := range s.outTo(n.ID, kg.RelAbout, kg.LabelTopic) {
		topics[r.To] = topicOf(s.nodes[r.To])
	}
	p.Owners = uniqueRefs(p.Owners)
	p.Leaders = uniqueRefs(p.Leaders)
	p.Funders = uniqueRefs(p.Funders)
	p.Participants = uniqueRefs(p.Participants)
	p.Clusters = uniqueRefs(p.Clusters)
	p.Topics = s.sortedTopics(topics)
	p.Evidence = mergeEvidence(evidence...)
	if p.URL == "" && len(p.Evidence) > 0 {
		p.URL = p.Evidence[0].URL
	}
	return p
}

// statusOf derives a project's status from its period: finished after
// its end, planned before its start, else ongoing once it has started.
// It is "" when the period is unknown.
func statusOf(start, end time.Time, now time.Time) string {
	switch {
	case !end.IsZero() && end.Before(now):
		return kg.StatusFinished
	case !start.IsZero() && start.After(now):
		return kg.StatusPlanned
	case !start.IsZero() || !end.IsZero():
		return kg.StatusOngoing
	}
	return ""
}

// searchText is what a project query matches.
func (p Project) searchText() string {
	parts := []string{p.Name, p.Owner, p.Leader}
	for _, r := range append(append(append([]Ref(nil), p.Owners...), p.Funders...), p.Leaders...) {
		parts = append(parts, r.Name)
	}
	return strings.Join(parts, " ")
}

// Organisation returns the organisation with the short id. Returns
// ENOTFOUND for an unknown id; clusters are not organisations here.
func (e *Engine) Organisation(ctx context.Context, id string) (Organisation, error) {
	s, err := e.load(ctx, orgLabels, orgRels)
	if err != nil {
		return Organisation{}, fmt.Errorf("reading organisation %q: %w", id, err)
	}
	n, ok := s.nodes[kg.OrganisationNodeID(id)]
	if !ok || n.Label != kg.LabelOrganisation {
		return Organisation{}, kg.Errorf(kg.ENOTFOUND, "organisation %q not found", id)
	}
	o := Organisation{Ref: refOf(n), Kind: n.Props[kg.PropOrgKind]}
	var evidence [][]kg.Evidence
	for _, r := range s.inFrom(n.ID, kg.RelMentions, kg.LabelDocument) {
		evidence = append(evidence, r.Evidence)
	}
	for _, r := range s.inFrom(n.ID, kg.RelWorksAt, kg.LabelPerson) {
		o.People = append(o.People, Affiliation{Ref: refOf(s.nodes[r.From]), Role: r.Props[kg.PropRole], Evidence: r.Evidence})
	}
	sort.SliceStable(o.People, func(i, j int) bool {
		if o.People[i].Name != o.People[j].Name {
			return o.People[i].Name < o.People[j].Name
		}
		return o.People[i].NodeID < o.People[j].NodeID
	})
	for _, r := range s.inFrom(n.ID, kg.RelOwnedBy, kg.LabelProject) {
		o.Owns = append(o.Owns, refOf(s.nodes[r.From]))
	}
	for _, r := range s.outTo(n.ID, kg.RelFunds, kg.LabelProject) {
		o.Funds = append(o.Funds, refOf(s.nodes[r.To]))
	}
	for _, r := range s.outTo(n.ID, kg.RelTakesPartIn, kg.LabelProject) {
		o.TakesPartIn = append(o.TakesPartIn, refOf(s.nodes[r.To]))
	}
	for _, r := range s.inFrom(n.ID, kg.RelOrganisedBy, kg.LabelEvent) {
		o.Organises = append(o.Organises, refOf(s.nodes[r.From]))
	}
	for _, r := range s.inFrom(n.ID, kg.RelCollaboratesWith, kg.LabelCluster) {
		o.Collaborators = append(o.Collaborators, refOf(s.nodes[r.From]))
	}
	for _, r := range s.outTo(n.ID, kg.RelCollaboratesWith, kg.LabelCluster) {
		o.Collaborators = append(o.Collaborators, refOf(s.nodes[r.To]))
	}
	o.Owns = uniqueRefs(o.Owns)
	o.Funds = uniqueRefs(o.Funds)
	o.TakesPartIn = uniqueRefs(o.TakesPartIn)
	o.Organises = uniqueRefs(o.Organises)
	o.Collaborators = uniqueRefs(o.Collaborators)
	o.Evidence = mergeEvidence(evidence...)
	return o, nil
}

// sortedTopics returns the topics in vocabulary order.
func (s *snapshot) sortedTopics(topics map[string]kg.Topic) []kg.Topic {
	ids := make([]string, 0, len(topics))
	for id := range topics {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		oi, oj := topicOrder(s.nodes[ids[i]]), topicOrder(s.nodes[ids[j]])
		if oi != oj {
			return oi < oj
		}
		return ids[i] < ids[j]
	})
	out := make([]kg.Topic, 0, len(ids))
	for _, id := range ids {
		out = append(out, topics[id])
	}
	return out
}

// sortByName orders items by the name of their ref in Swedish
// alphabetical order (å, ä, ö after z), then by id.
func sortByName[T any](items []T, ref func(T) Ref) {
	col := collate.New(language.Swedish, collate.IgnoreCase)
	sort.SliceStable(items, func(i, j int) bool {
		a, b := ref(items[i]), ref(items[j])
		if c := col.CompareString(a.Name, b.Name); c != 0 {
			return c < 0
		}
		return a.NodeID < b.NodeID
	})
}

// queryWords splits a free-text filter into folded words.
func queryWords(q string) []string {
	var out []string
	for _, w := range strings.Fields(q) {
		if s := kg.Slug(w); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// matchesWords reports whether every word occurs in text, both folded as
// kg.Slug folds them (case and Swedish letters).
func matchesWords(words []string, text string) bool {
	if len(words) == 0 {
		return true
	}
	folded := "-" + kg.Slug(text) + "-"
	for _, w := range words {
		if !strings.Contains(folded, w) {
			return false
		}
	}
	return true
}
