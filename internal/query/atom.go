package query

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// FeedDoc is one document of a feed or digest.
type FeedDoc struct {
	ID       string // graph id
	URL      string
	Title    string
	Kind     string
	Date     time.Time
	Clusters []Ref
	Topics   []kg.Topic
	Snippet  string // plain text: the passage on the topic, if there is one
}

// DocFilter selects documents for a feed; empty fields select all.
type DocFilter struct {
	Query   string    // words, searched in the index when not empty
	Topic   string    // topic id
	Cluster string    // cluster id
	Since   time.Time // only documents dated at or after Since
	Limit   int       // at most this many; 0 means 50
}

// maxSearchedDocs is how many hits of a query the feed reads before
// ordering them by date.
const maxSearchedDocs = kg.MaxPageSize

// NewestDocuments returns the dated documents that pass f, newest first
// (ties by URL). Without words it reads the graph, so every matching
// document is considered; with words it orders the index's best
// maxSearchedDocs hits by date. Undated documents are left out: a feed
// cannot place them. Returns ENOTFOUND for an unknown topic or cluster.
func (e *Engine) NewestDocuments(ctx context.Context, f DocFilter) ([]FeedDoc, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	s, err := e.load(ctx, []string{kg.LabelDocument, kg.LabelCluster, kg.LabelTopic}, []string{kg.RelMentions})
	if err != nil {
		return nil, fmt.Errorf("reading documents: %w", err)
	}
	if f.Topic != "" {
		if _, err := findTopic(s, f.Topic); err != nil {
			return nil, err
		}
	}
	if f.Cluster != "" {
		if _, err := findCluster(s, f.Cluster); err != nil {
			return nil, err
		}
	}
	var ids []string
	if f.Query != "" {
		if e.Search == nil {
			return nil, kg.Errorf(kg.EUNAVAIL, "full-text search is not available")
		}
		req := kg.SearchRequest{Query: f.Query, Topic: f.Topic, Cluster: f.Cluster, Size: maxSearchedDocs}
		if err := req.Validate(); err != nil {
			return nil, err
		}
		res, err := e.Search.Search(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("searching %q: %w", f.Query, err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
	} else {
		for _, d := range s.byLabel[kg.LabelDocument] {
			if f.Topic != "" && !s.hasRel(d.ID, kg.RelMentions, kg.TopicNodeID(f.Topic)) {
				continue
			}
			if f.Cluster != "" && !s.hasRel(d.ID, kg.RelMentions, kg.ClusterNodeID(f.Cluster)) {
				continue
			}
			ids = append(ids, d.ID)
		}
	}
	var out []FeedDoc
	for _, id := range ids {
		n, ok := s.nodes[id]
		if !ok || n.Label != kg.LabelDocument {
			continue
		}
		fd := s.feedDoc(n, f.Topic)
		if fd.Date.IsZero() || (!f.Since.IsZero() && fd.Date.Before(f.Since)) {
			continue
		}
		out = append(out, fd)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Date.Equal(out[j].Date) {
			return out[i].Date.After(out[j].Date)
		}
		return out[i].URL < out[j].URL
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// feedDoc describes the document node n; the snippet is the passage on
// topic, else on its first topic.
func (s *snapshot) feedDoc(n kg.Node, topic string) FeedDoc {
	ev := kg.EvidenceFromNode(n, "")
	fd := FeedDoc{ID: n.ID, URL: ev.URL, Title: ev.Title, Kind: ev.Kind, Date: ev.Date, Clusters: s.docClusters(n.ID)}
	if fd.Title == "" {
		fd.Title = fd.URL
	}
	for _, r := range s.outTo(n.ID, kg.RelMentions, kg.LabelTopic) {
		t := topicOf(s.nodes[r.To])
		fd.Topics = append(fd.Topics, t)
		if len(r.Evidence) > 0 && (fd.Snippet == "" || t.ID == topic) {
			fd.Snippet = r.Evidence[0].Snippet
		}
	}
	sortRefs(fd.Clusters)
	return fd
}

// AtomOptions describes an Atom feed as a whole.
type AtomOptions struct {
	ID      string    // the feed's permanent IRI, e.g. its own URL
	Title   string    // feed title
	SelfURL string    // the feed's own absolute URL
	HTMLURL string    // the page showing the same documents
	Updated time.Time // used when there are no documents
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Gen     string      `xml:"generator"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Summary    string         `xml:"summary,omitempty"`
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// WriteAtom writes docs as an RFC 4287 Atom feed. The entry id of a
// document is its URL, so that a document keeps its id across feeds.
func WriteAtom(w io.Writer, docs []FeedDoc, opt AtomOptions) error {
	updated := opt.Updated
	if len(docs) > 0 {
		updated = docs[0].Date
		for _, d := range docs[1:] {
			if d.Date.After(updated) {
				updated = d.Date
			}
		}
	}
	f := atomFeed{
		Lang:    "sv",
		ID:      opt.ID,
		Title:   opt.Title,
		Updated: updated.UTC().Format(time.RFC3339),
		Author:  atomPerson{Name: "Klusterkarta"},
		Gen:     "Klusterkarta",
		Links:   []atomLink{{Rel: "self", Type: "application/atom+xml", Href: opt.SelfURL}},
	}
	if opt.HTMLURL != "" {
		f.Links = append(f.Links, atomLink{Rel: "alternate", Type: "text/html", Href: opt.HTMLURL})
	}
	for _, d := range docs {
		ts := d.Date.UTC().Format(time.RFC3339)
		e := atomEntry{
			ID:        d.URL,
			Title:     d.Title,
			Updated:   ts,
			Published: ts,
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: d.URL}},
			Summary:   d.Snippet,
		}
		for _, c := range d.Clusters {
			e.Categories = append(e.Categories, atomCategory{Term: "cluster:" + c.ID, Label: c.Name})
		}
		for _, t := range d.Topics {
			e.Categories = append(e.Categories, atomCategory{Term: "topic:" + t.ID, Label: t.Label("sv")})
		}
		f.Entries = append(f.Entries, e)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("writing feed: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("writing feed: %w", err)
	}
	return nil
}
