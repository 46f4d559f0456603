package privacy

import (
	"context"
	"maps"
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Graph returns g with ReplaceFacts filtered through the list: every other
// method is g's own. Put it on the write path (the ingest pipeline), not
// in front of reads.
func (l *List) Graph(g kg.GraphStore) kg.GraphStore { return &filteredGraph{GraphStore: g, list: l} }

// Searcher returns s with Index filtered through the list: every other
// method is s's own.
func (l *List) Searcher(s kg.Searcher) kg.Searcher { return &filteredSearcher{Searcher: s, list: l} }

// filteredGraph drops suppressed people from every fact set it writes.
type filteredGraph struct {
	kg.GraphStore
	list *List
}

// ReplaceFacts writes FilterFacts(fs).
func (g *filteredGraph) ReplaceFacts(ctx context.Context, fs kg.FactSet) (bool, error) {
	g.list.writes.RLock()
	defer g.list.writes.RUnlock()
	return g.GraphStore.ReplaceFacts(ctx, g.list.FilterFacts(fs))
}

// filteredSearcher redacts suppressed people from every document it
// indexes.
type filteredSearcher struct {
	kg.Searcher
	list *List
}

// Index indexes the documents after FilterDocument.
func (s *filteredSearcher) Index(ctx context.Context, docs []kg.IndexDoc) error {
	s.list.writes.RLock()
	defer s.list.writes.RUnlock()
	out := make([]kg.IndexDoc, len(docs))
	for i, d := range docs {
		out[i] = s.list.FilterDocument(d)
	}
	return s.Searcher.Index(ctx, out)
}

// addressProps are node properties that hold addresses, never prose, and
// are left as they are.
var addressProps = map[string]bool{
	kg.PropURL: true, kg.PropHost: true, kg.PropSites: true, kg.PropSourceURL: true, kg.PropRegistration: true,
}

// FilterFacts returns fs without the suppressed people: their nodes (by id,
// by name, or by a published e-mail or phone) and every edge that touches
// one are dropped, and their names, e-mail addresses and phone numbers are
// redacted from the names, properties and snippets that remain. The hash
// is kept, so an unchanged page stays unchanged.
func (l *List) FilterFacts(fs kg.FactSet) kg.FactSet {
	m := l.match.Load()
	if m.empty() {
		return fs
	}
	out := kg.FactSet{SourceID: fs.SourceID, Hash: fs.Hash}
	dropped := map[string]bool{}
	for _, n := range fs.Nodes {
		if m.id(n.ID) || (n.Label == kg.LabelPerson && m.personNode(n)) {
			dropped[n.ID] = true
			continue
		}
		n.Name = m.redact(n.Name)
		n.Props = m.redactProps(n.Props, addressProps)
		out.Nodes = append(out.Nodes, n)
	}
	for _, e := range fs.Edges {
		if dropped[e.From] || dropped[e.To] || m.id(e.From) || m.id(e.To) {
			continue
		}
		e.Snippet = m.redact(e.Snippet)
		e.Props = m.redactProps(e.Props, nil)
		out.Edges = append(out.Edges, e)
	}
	return out
}

// personNode reports whether a Person node names a suppressed person by
// name, e-mail or phone.
func (m *matcher) personNode(n kg.Node) bool {
	if m.name(n.Name) {
		return true
	}
	for _, v := range n.Props {
		if strings.Contains(v, "@") && m.email(v) || m.phone(v) {
			return true
		}
	}
	return false
}

// redactProps returns props with every value redacted, except those whose
// key is in keep. It returns props itself when nothing changes.
func (m *matcher) redactProps(props map[string]string, keep map[string]bool) map[string]string {
	var out map[string]string
	for k, v := range props {
		if keep[k] {
			continue
		}
		if r := m.redact(v); r != v {
			if out == nil {
				out = maps.Clone(props)
			}
			out[k] = r
		}
	}
	if out == nil {
		return props
	}
	return out
}

// FilterDocument returns d without the suppressed people: they are removed
// from d.People, and their names, e-mail addresses and phone numbers are
// redacted from the title, the text and every snippet.
func (l *List) FilterDocument(d kg.IndexDoc) kg.IndexDoc {
	m := l.match.Load()
	if m.empty() {
		return d
	}
	d.Title = m.redact(d.Title)
	d.Text = m.redact(d.Text)
	if d.Topics != nil {
		topics := make([]kg.TopicMatch, len(d.Topics))
		for i, t := range d.Topics {
			t.Snippet = m.redact(t.Snippet)
			topics[i] = t
		}
		d.Topics = topics
	}
	var people []kg.Person
	for _, p := range d.People {
		if m.person(p) {
			continue
		}
		p.Snippet = m.redact(p.Snippet)
		p.MergedFrom = m.redactAll(p.MergedFrom)
		people = append(people, p)
	}
	d.People = people
	if d.Projects != nil {
		projects := make([]kg.Project, len(d.Projects))
		for i, p := range d.Projects {
			p.Name = m.redact(p.Name)
			p.Leader = m.redact(p.Leader)
			p.Owner = m.redact(p.Owner)
			p.Funders = m.redactAll(p.Funders)
			p.Stakeholders = m.redactAll(p.Stakeholders)
			p.Snippet = m.redact(p.Snippet)
			projects[i] = p
		}
		d.Projects = projects
	}
	if d.Events != nil {
		events := make([]kg.Event, len(d.Events))
		for i, e := range d.Events {
			e.Title = m.redact(e.Title)
			e.Place = m.redact(e.Place)
			e.Organisers = m.redactAll(e.Organisers)
			e.Snippet = m.redact(e.Snippet)
			events[i] = e
		}
		d.Events = events
	}
	if d.Organisations != nil {
		orgs := make([]kg.OrgMention, len(d.Organisations))
		for i, o := range d.Organisations {
			o.Snippet = m.redact(o.Snippet)
			orgs[i] = o
		}
		d.Organisations = orgs
	}
	return d
}

// person reports whether an extracted person is suppressed: by the id
// their name and organisation or cluster give, by name, by e-mail or by
// phone.
func (m *matcher) person(p kg.Person) bool {
	return m.id(kg.PersonNodeID(p.Name, p.Organisation)) || m.id(kg.PersonNodeID(p.Name, p.ClusterID)) ||
		m.name(p.Name) || m.email(p.Email) || m.phone(p.Phone)
}

// redactAll returns a copy of list with every item redacted, or nil for
// nil.
func (m *matcher) redactAll(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = m.redact(s)
	}
	return out
}
