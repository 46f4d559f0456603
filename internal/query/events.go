package query

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Property keys of Event nodes and COLLABORATES_WITH relationships as the
// extraction writes them.
const (
	propStart        = "start"        // RFC 3339 or YYYY-MM-DD
	propEnd          = "end"          // RFC 3339 or YYYY-MM-DD
	propAllDay       = "all_day"      // "true" for a whole-day event
	propPlace        = "place"        // free text
	propRegistration = "registration" // registration URL
	propSourceURL    = "source_url"   // the page that describes the node
	propBasis        = "basis"        // COLLABORATES_WITH: project, event or statement
)

// Event is one event of the calendar: an Event node, or a document of kind
// event on a site from whose pages no Event node comes.
type Event struct {
	Ref                       // ID is the address id: "<slug>@<YYYY-MM-DD>"
	Start           time.Time // zero if unknown
	End             time.Time // zero if unknown
	AllDay          bool
	Place           string
	URL             string // the page that describes it
	RegistrationURL string
	Clusters        []Ref // organising clusters, else the clusters its pages are about
	Organisers      []Ref // organising organisations
	Topics          []kg.Topic
	Counties        []string // of its clusters
	Evidence        []kg.Evidence
}

// EventFilter selects events; empty fields select all.
type EventFilter struct {
	Topic   string    // topic id
	Cluster string    // cluster id
	County  string    // county of one of its clusters
	From    time.Time // only events ending (or starting) at or after From
	To      time.Time // only events starting before To
}

var eventLabels = []string{kg.LabelEvent, kg.LabelDocument, kg.LabelCluster, kg.LabelOrganisation, kg.LabelTopic}
var eventRels = []string{kg.RelMentions, kg.RelOrganisedBy, kg.RelAbout}

// Events lists the events that pass f, by start (undated last), then
// title and id.
func (e *Engine) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	s, err := e.load(ctx, eventLabels, eventRels)
	if err != nil {
		return nil, fmt.Errorf("listing events: %w", err)
	}
	var out []Event
	for _, ev := range s.events() {
		if f.matches(ev) {
			out = append(out, ev)
		}
	}
	return out, nil
}

// Event returns the event with the address id ("<slug>@<YYYY-MM-DD>").
// Returns ENOTFOUND for an unknown id.
func (e *Engine) Event(ctx context.Context, id string) (Event, error) {
	s, err := e.load(ctx, eventLabels, eventRels)
	if err != nil {
		return Event{}, fmt.Errorf("reading event %q: %w", id, err)
	}
	for _, ev := range s.events() {
		if ev.ID == id {
			return ev, nil
		}
	}
	return Event{}, kg.Errorf(kg.ENOTFOUND, "event %q not found", id)
}

func (f EventFilter) matches(ev Event) bool {
	if f.Topic != "" && !containsTopic(ev.Topics, f.Topic) {
		return false
	}
	if f.Cluster != "" && !containsRef(ev.Clusters, f.Cluster) {
		return false
	}
	if f.County != "" && !contains(ev.Counties, f.County) {
		return false
	}
	if !f.From.IsZero() {
		end := ev.End
		if end.IsZero() {
			end = ev.Start
			if ev.AllDay || isMidnight(end) {
				end = end.Add(24 * time.Hour)
			}
		}
		if ev.Start.IsZero() || end.Before(f.From) {
			return false
		}
	}
	if !f.To.IsZero() && (ev.Start.IsZero() || !ev.Start.Before(f.To)) {
		return false
	}
	return true
}

// events builds the calendar from the snapshot.
func (s *snapshot) events() []Event {
	var out []Event
	seen := map[string]bool{}
	covered := map[string]bool{} // documents that describe an Event node
	hosts := map[string]bool{}   // sites with Event nodes
	for _, n := range s.byLabel[kg.LabelEvent] {
		ev := Event{Ref: refOf(n), Place: n.Props[propPlace], RegistrationURL: n.Props[propRegistration]}
		ev.Start = parseTime(n.Props[propStart])
		ev.End = parseTime(n.Props[propEnd])
		ev.AllDay = n.Props[propAllDay] == "true"
		var evidence [][]kg.Evidence
		for _, r := range s.inFrom(n.ID, kg.RelMentions, kg.LabelDocument) {
			covered[r.From] = true
			hosts[s.nodes[r.From].Props[kg.PropHost]] = true
			evidence = append(evidence, r.Evidence)
		}
		for _, r := range s.outTo(n.ID, kg.RelOrganisedBy, "") {
			evidence = append(evidence, r.Evidence)
			switch s.label(r.To) {
			case kg.LabelCluster:
				ev.Clusters = append(ev.Clusters, refOf(s.nodes[r.To]))
			case kg.LabelOrganisation:
				ev.Organisers = append(ev.Organisers, refOf(s.nodes[r.To]))
			}
		}
		if len(ev.Clusters) == 0 {
			// No organising cluster is known: the clusters its pages are about.
			for _, r := range s.inFrom(n.ID, kg.RelMentions, kg.LabelDocument) {
				ev.Clusters = append(ev.Clusters, s.docClusters(r.From)...)
			}
		}
		for _, r := range s.outTo(n.ID, kg.RelAbout, kg.LabelTopic) {
			ev.Topics = append(ev.Topics, topicOf(s.nodes[r.To]))
		}
		ev.Evidence = mergeEvidence(evidence...)
		ev.URL = n.Props[propSourceURL]
		if ev.URL == "" && len(ev.Evidence) > 0 {
			ev.URL = ev.Evidence[0].URL
		}
		ev.ID = ShortID(n.ID)
		out = append(out, s.finishEvent(ev))
		seen[n.ID] = true
	}
	for _, d := range s.byLabel[kg.LabelDocument] {
		// Where events are read from a site's pages, its other event pages
		// are calendars, registration forms and the like, not events.
		if d.Props[kg.PropKind] != kg.KindEvent || covered[d.ID] || hosts[d.Props[kg.PropHost]] {
			continue
		}
		ev := Event{URL: d.Props[kg.PropURL]}
		ev.Start = parseTime(d.Props[kg.PropDate])
		ev.AllDay = !ev.Start.IsZero() && isMidnight(ev.Start)
		id := kg.EventNodeID(d.Name, ev.Start)
		if seen[id] {
			continue
		}
		seen[id] = true
		ev.Ref = Ref{NodeID: id, ID: ShortID(id), Kind: KindEvent, Name: d.Name}
		if ev.Name == "" {
			ev.Name = ev.URL
		}
		ev.Clusters = s.docClusters(d.ID)
		for _, r := range s.outTo(d.ID, kg.RelMentions, kg.LabelTopic) {
			ev.Topics = append(ev.Topics, topicOf(s.nodes[r.To]))
		}
		ev.Evidence = []kg.Evidence{kg.EvidenceFromNode(d, "")}
		out = append(out, s.finishEvent(ev))
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Start.IsZero() != b.Start.IsZero() {
			return !a.Start.IsZero()
		}
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	return out
}

// docClusters returns the clusters a document mentions.
func (s *snapshot) docClusters(doc string) []Ref {
	var out []Ref
	for _, r := range s.outTo(doc, kg.RelMentions, kg.LabelCluster) {
		out = append(out, refOf(s.nodes[r.To]))
	}
	return out
}

// finishEvent removes repeats, orders the lists and fills the counties.
func (s *snapshot) finishEvent(ev Event) Event {
	ev.Clusters = uniqueRefs(ev.Clusters)
	ev.Organisers = uniqueRefs(ev.Organisers)
	sort.Slice(ev.Topics, func(i, j int) bool { return ev.Topics[i].ID < ev.Topics[j].ID })
	counties := map[string]bool{}
	for _, c := range ev.Clusters {
		if county := s.nodes[c.NodeID].Props[kg.PropCounty]; county != "" && !counties[county] {
			counties[county] = true
			ev.Counties = append(ev.Counties, county)
		}
	}
	sort.Strings(ev.Counties)
	return ev
}

func uniqueRefs(refs []Ref) []Ref {
	seen := map[string]bool{}
	var out []Ref
	for _, r := range refs {
		if !seen[r.NodeID] {
			seen[r.NodeID] = true
			out = append(out, r)
		}
	}
	sortRefs(out)
	return out
}

// parseTime reads an RFC 3339 time or a YYYY-MM-DD date; the zero time if
// it is neither.
func parseTime(v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t
	}
	return time.Time{}
}

// isMidnight reports whether t is at 00:00:00 in its own zone, as dates
// without a time are stored.
func isMidnight(t time.Time) bool {
	h, m, sec := t.Clock()
	return h == 0 && m == 0 && sec == 0 && t.Nanosecond() == 0
}

func containsTopic(ts []kg.Topic, id string) bool {
	for _, t := range ts {
		if t.ID == id {
			return true
		}
	}
	return false
}

func containsRef(refs []Ref, id string) bool {
	for _, r := range refs {
		if r.ID == id {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
