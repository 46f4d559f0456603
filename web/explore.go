package web

import (
	"html/template"
	"strconv"
	"strings"
	"time"
)

// Page template names of the partner finder, the network views and the
// calendar.
const (
	TmplPartners = "partners"
	TmplNetwork  = "network"
	TmplMap      = "map"
	TmplHeatMap  = "heatmap"
	TmplGaps     = "gaps"
	TmplCalendar = "calendar"
	TmplEvent    = "event"
)

func init() {
	pageNames = append(pageNames, TmplPartners, TmplNetwork, TmplMap, TmplHeatMap, TmplGaps, TmplCalendar, TmplEvent)
}

// Option is one choice of a select box.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// PartnersPage is the partner finder: a form to choose a cluster and a
// topic, and the ranked partners.
type PartnersPage struct {
	Page
	Clusters []Option
	Topics   []Option
	Asked    bool   // whether a topic was chosen
	Topic    string // the topic's label
	Asking   string // the asking cluster's name, if any
	Error    string
	Partners []PartnerItem
	Similar  []SimilarItem // clusters with a similar profile to the asking one
	FeedURL  string        // Atom feed of the topic
}

// PartnerItem is one suggested partner.
type PartnerItem struct {
	Rank         int
	Name         string
	URL          string // its page, if it has one
	Kind         string // "cluster" or "organisation"
	County       string
	Score        float64
	Explanation  string
	Collaborates bool
	Evidence     []Evidence
	More         int
}

// SimilarItem is a cluster with a similar topic profile.
type SimilarItem struct {
	Name   string
	URL    string
	County string
	Score  float64
	Shared []Link
}

// NetworkTabs are the views of the network, for the tab bar.
type NetworkTabs struct {
	Current string // "graph", "map", "heatmap" or "gaps"
	Query   string // the filter query string, "" or "?topic=..."
}

// TabURL returns the address of a view with the current filters.
func (t NetworkTabs) TabURL(view string) string {
	path := "/network"
	if view != "graph" {
		path += "/" + view
	}
	return path + t.Query
}

// NetworkPage is the interactive network graph with a table of its nodes
// for those without scripts.
type NetworkPage struct {
	Page
	Tabs      NetworkTabs
	Topics    []Option
	Counties  []Option
	Kinds     []KindOption
	DataURL   string // the network API request the script draws
	ExportURL string // the same network as GraphML
	CSVNodes  string
	CSVEdges  string
	JSONLD    string
	Error     string
	Nodes     []NetworkNodeItem
	Edges     int
}

// KindOption is a node kind the network can show.
type KindOption struct {
	Value   string
	Label   string
	Checked bool
}

// NetworkNodeItem is one node in the table of the network.
type NetworkNodeItem struct {
	Name      string
	URL       string
	Kind      string
	KindLabel string
	County    string
	Degree    int
	Links     []Link // its neighbours
}

// MapPage is the map of Sweden with clusters by county.
type MapPage struct {
	Page
	Tabs     NetworkTabs
	Topics   []Option
	Width    int
	Height   int
	Outline  string // SVG points of the mainland
	Gotland  string // SVG points of Gotland
	Counties []MapCounty
	Error    string
}

// MapCounty is one county on the map.
type MapCounty struct {
	Name      string
	X, Y      float64
	R         float64 // circle radius; 0 for none
	LabelX    float64
	Anchor    string // text-anchor of the label
	Clusters  []Link
	Count     int
	Documents int
	Known     bool
}

// Fmt formats a coordinate for SVG.
func (MapPage) Fmt(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// HeatMapPage is the topic × cluster matrix.
type HeatMapPage struct {
	Page
	Tabs     NetworkTabs
	Clusters []Link
	Rows     []HeatRow
}

// HeatRow is one topic's weights across clusters.
type HeatRow struct {
	Topic Link
	Cells []HeatCell
}

// HeatCell is one weight, with its shade from 0 (none) to 5 (strongest).
type HeatCell struct {
	Weight float64
	Level  int
	Title  string // "cluster, topic: weight" for screen readers and hover
}

// GapsPage shows the topics with no or few clusters per county.
type GapsPage struct {
	Page
	Tabs     NetworkTabs
	Counties []string
	Empty    []string
	Rows     []GapRow
}

// GapRow is one topic's clusters per county.
type GapRow struct {
	Topic  Link
	Counts []int
	Total  int
	Gaps   int
}

// CalendarPage lists events across clusters.
type CalendarPage struct {
	Page
	When     string // "upcoming", "past" or "all"
	Clusters []Option
	Topics   []Option
	Counties []Option
	Events   []EventItem
	ICSURL   string       // the calendar feed with the same filters
	WebCal   template.URL // the same as a webcal: address, for subscribing; built from the site's own address
}

// EventItem is an event in a list or on its own page.
type EventItem struct {
	Name         string
	URL          string // its page here
	SourceURL    string // the page that describes it
	Registration string
	Start        time.Time
	End          time.Time
	AllDay       bool
	Place        string
	Clusters     []Link
	Organisers   []Link
	Topics       []Link
	Counties     []string
	Evidence     []Evidence
	ICSURL       string
}

// When formats the event's time span.
func (e EventItem) When() string {
	if e.Start.IsZero() {
		return ""
	}
	if e.AllDay || (e.End.IsZero() && e.Start.Hour() == 0 && e.Start.Minute() == 0) {
		s := e.Start.Format(time.DateOnly)
		if !e.End.IsZero() && e.End.Format(time.DateOnly) != s {
			s += "–" + e.End.Format(time.DateOnly)
		}
		return s
	}
	s := e.Start.Format("2006-01-02 15.04")
	if !e.End.IsZero() {
		if e.End.Format(time.DateOnly) == e.Start.Format(time.DateOnly) {
			s += "–" + e.End.Format("15.04")
		} else {
			s += "–" + e.End.Format("2006-01-02 15.04")
		}
	}
	return s
}

// ISO is the start as an HTML datetime value.
func (e EventItem) ISO() string {
	if e.Start.IsZero() {
		return ""
	}
	if e.AllDay {
		return e.Start.Format(time.DateOnly)
	}
	return e.Start.Format(time.RFC3339)
}

// EventPage is one event.
type EventPage struct {
	Page
	Event EventItem
}

// EmptyList joins the counties without clusters.
func (g GapsPage) EmptyList() string { return strings.Join(g.Empty, ", ") }
