package web

import (
	"strconv"
	"strings"
	"time"
)

// Page is what every page shows: the language, the title, the navigation
// and the language switch. Each page's data embeds it.
type Page struct {
	Lang      string     // interface language, LangSV or LangEN
	Title     string     // page title, already in Lang; empty on the start page
	Nav       string     // the navigation entry to mark current: "search", "clusters" or "topics"
	LangLinks []LangLink // links that show the same page in each language
	Version   string     // version shown in the footer
	Actions   []Action   // related pages and feeds: partners, network, follow links
}

// LangLink switches the interface to one language.
type LangLink struct {
	Lang    string // language code
	Name    string // the language's name in itself
	URL     string // the current page with lang set
	Current bool   // whether it is the language shown
}

// T returns the message key in the page's language.
func (p Page) T(key string) string { return T(p.Lang, key) }

// Tf formats the message key in the page's language.
func (p Page) Tf(key string, args ...any) string { return Tf(p.Lang, key, args...) }

// Tn formats the message key with the number n, singular or plural.
func (p Page) Tn(key string, n int) string { return Tn(p.Lang, key, n) }

// KindName names a document kind in the page's language.
func (p Page) KindName(kind string) string {
	if m := T(p.Lang, "kind."+kind); m != "kind."+kind {
		return m
	}
	return kind
}

// DocLangName names a document language in the page's language.
func (p Page) DocLangName(lang string) string {
	if m := T(p.Lang, "doclang."+lang); m != "doclang."+lang {
		return m
	}
	return lang
}

// Num formats a weight with at most two decimals and the page language's
// decimal sign.
func (p Page) Num(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s) > i+3 {
		s = strconv.FormatFloat(f, 'f', 2, 64)
	}
	if p.Lang == LangSV {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Date formats a date as YYYY-MM-DD, or "" for the zero time.
func (p Page) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// EvidenceList is a list of evidence pages as the "evidence" template
// renders it: each page's link, kind and date, and, when Snippets is
// set, the passage that supports the fact. A list without its own
// heading carries an accessible label (Labelled).
type EvidenceList struct {
	Page     Page
	Items    []Evidence
	Labelled bool
	Snippets bool
}

// EvidenceList returns items ready for the "evidence" template.
func (p Page) EvidenceList(items []Evidence, labelled, snippets bool) EvidenceList {
	return EvidenceList{Page: p, Items: items, Labelled: labelled, Snippets: snippets}
}

// Link is a text with an address.
type Link struct {
	Text string
	URL  string
}

// SearchPage is the start page: the search form and one page of results.
type SearchPage struct {
	Page
	Query    string
	Hidden   []Field        // active filters, kept as hidden inputs when the query changes
	Error    string         // why the request was refused; empty if it was not
	Total    int            // hits over all pages
	Hits     []SearchHit    // this page's hits
	Filters  []ActiveFilter // filters in force, each with a link that removes it
	ClearURL string         // the current query without filters
	Facets   []Facet        // facets with at least one value
	Pager    Pager
	// DidYouMean links to the query with unknown words corrected; its
	// Text is empty when every word is known.
	DidYouMean Link
}

// Field is a name and value of a form field.
type Field struct {
	Name  string
	Value string
}

// SearchHit is one result.
type SearchHit struct {
	Title    string
	URL      string
	Host     string
	Kind     string
	Lang     string
	Date     time.Time
	Clusters []Link
	Snippet  string // index HTML; the template sanitises it with the snippet func
	AlsoOn   []Link // other sites publishing the same text, collapsed into this hit
}

// ActiveFilter is a filter in force.
type ActiveFilter struct {
	Facet     string // facet title, in the page language
	Label     string // the value's label
	RemoveURL string // the current search without this filter
}

// Facet is one facet of the results.
type Facet struct {
	Name   string // parameter name, e.g. "cluster"
	Title  string // heading, in the page language
	Values []FacetValue
}

// FacetValue is one value of a facet: a link that applies or removes it.
type FacetValue struct {
	Label    string
	Count    int
	URL      string
	Selected bool
}

// Pager links to the other pages of a result.
type Pager struct {
	Page  int // current page, 1-based
	Pages int // number of pages
	Prev  string
	Next  string
	Links []PageLink
}

// PageLink is a link to one page of a result.
type PageLink struct {
	Number  int
	URL     string
	Current bool
}

// ClustersPage lists every cluster.
type ClustersPage struct {
	Page
	Clusters []ClusterItem
}

// ClusterItem is a cluster in the list.
type ClusterItem struct {
	Name      string
	URL       string
	County    string
	Documents int
	TopTopics []Link
}

// ClusterPage shows one cluster with its topics and their evidence.
type ClusterPage struct {
	Page
	Name        string
	County      string
	Town        string
	Description string
	Aliases     []string
	Sites       []string
	Documents   int
	SearchURL   string // search restricted to the cluster
	Topics      []ClusterTopic
}

// ClusterTopic is a topic a cluster works on.
type ClusterTopic struct {
	Label    string
	URL      string
	Weight   float64
	Evidence []Evidence
	More     int // evidence not shown
}

// Evidence is a document that supports a relationship.
type Evidence struct {
	Title   string
	URL     string
	Kind    string
	Date    time.Time
	Snippet string // plain text
}

// TopicsPage lists every topic.
type TopicsPage struct {
	Page
	Topics []TopicItem
}

// TopicItem is a topic in the list.
type TopicItem struct {
	Label     string
	URL       string
	Clusters  int
	Documents int
}

// TopicPage shows the clusters that work on one topic, strongest first.
type TopicPage struct {
	Page
	Label     string
	Terms     []string
	SearchURL string // search restricted to the topic
	Clusters  []TopicCluster
}

// TopicCluster is a cluster that works on a topic.
type TopicCluster struct {
	Name     string
	URL      string
	County   string
	Weight   float64
	Evidence []Evidence
	More     int // evidence not shown
}

// ErrorPage explains why a request failed.
type ErrorPage struct {
	Page
	Status    int
	Heading   string
	Message   string
	RequestID string
}
