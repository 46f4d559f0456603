package kg

import (
	"strings"
	"time"
	"unicode"
)

// Person is someone a page names in a work role. Only what the page
// publishes is kept, always with the page it came from.
type Person struct {
	Name         string
	Role         string // title as written: verksamhetsledare, projektledare, VD, ...
	Organisation string // organisation name as written, if any
	ClusterID    string // the cluster the person works at, if any
	Email        string // only where the page publishes it
	Phone        string // only where the page publishes it
	Snippet      string
	// MergedFrom lists the other forms ("name <e-mail>") under which the
	// document names the same person and which were merged into this one.
	MergedFrom []string
}

// Project is a project as a page describes it.
type Project struct {
	Name         string
	Owner        string // projektägare
	Leader       string // projektledare
	Funders      []string
	Stakeholders []string // intressenter
	Start, End   time.Time
	Period       string // the period as written: "220501-240430", "maj 2022 – april 2024"
	Status       string // "ongoing", "finished", "planned" or ""
	Topics       []string
	Snippet      string
}

// Project statuses.
const (
	StatusOngoing  = "ongoing"
	StatusFinished = "finished"
	StatusPlanned  = "planned"
)

// Event is an event as a page, a JSON-LD block or an iCal feed describes it.
type Event struct {
	Title           string
	Start, End      time.Time
	AllDay          bool
	Place           string
	Organisers      []string
	RegistrationURL string
	Topics          []string
	Snippet         string
}

// OrgMention is an organisation a document names.
type OrgMention struct {
	ID        string // stable slug from the organisation vocabulary or the name
	Name      string
	Kind      string   // vocabulary kind (authority, region, university, ...), if known
	ClusterID string   // set when the organisation is a registry cluster
	Written   []string // the forms the document writes the name in, so entity fields resolve to it
	Partner   bool     // the document states a partnership with it ("i samarbete med")
	Snippet   string
}

// Slug turns a name into a stable, readable id part: lower case, Swedish
// letters folded to ASCII (å→a, ä→a, ö→o), other runs of non-letters to one
// hyphen.
func Slug(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		if f, ok := foldLetter[r]; ok {
			b.WriteString(f)
			hyphen = false
			continue
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			hyphen = false
			continue
		}
		if !hyphen && b.Len() > 0 {
			b.WriteByte('-')
			hyphen = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// foldLetter maps the accented letters of Swedish and its neighbours to
// ASCII for ids.
var foldLetter = map[rune]string{
	'å': "a", 'ä': "a", 'à': "a", 'á': "a", 'â': "a", 'æ': "ae",
	'ö': "o", 'ø': "o", 'ó': "o", 'ò': "o", 'ô': "o",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'ü': "u", 'ú': "u", 'í': "i", 'ï': "i", 'ç': "c", 'ñ': "n", 'ß': "ss",
}

// PersonNodeID returns the graph id of a person: normalised name at an
// organisation (or cluster), so the same person on two sites merges and
// namesakes at different organisations do not.
func PersonNodeID(name, org string) string { return "person:" + Slug(name) + "@" + Slug(org) }

// ProjectNodeID returns the graph id of a project.
func ProjectNodeID(name string) string { return "project:" + Slug(name) }

// EventNodeID returns the graph id of an event on a start day.
func EventNodeID(title string, start time.Time) string {
	day := "undated"
	if !start.IsZero() {
		day = start.Format("2006-01-02")
	}
	return "event:" + Slug(title) + "@" + day
}

// OrganisationNodeID returns the graph id of an organisation.
func OrganisationNodeID(slug string) string { return "org:" + slug }
