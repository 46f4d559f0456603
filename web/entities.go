package web

import (
	"net/url"
	"time"
)

// Page template names of the people, project and organisation pages.
const (
	TmplPeople       = "people"
	TmplPerson       = "person"
	TmplProjects     = "projects"
	TmplProject      = "project"
	TmplOrganisation = "organisation"
)

func init() {
	pageNames = append(pageNames, TmplPeople, TmplPerson, TmplProjects, TmplProject, TmplOrganisation)
	funcs["retarget"] = Retarget
}

// Retarget returns the address addr with its path replaced by path and
// only its cluster and topic filters kept, so that a page can link to the
// people or projects of the cluster or topic it shows (from its search
// address). It returns path alone when addr holds neither filter.
func Retarget(path, addr string) string {
	u, err := url.Parse(addr)
	if err != nil {
		return path
	}
	q := u.Query()
	v := url.Values{}
	for _, name := range []string{"cluster", "topic"} {
		if s := q.Get(name); s != "" {
			v.Set(name, s)
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// RoleLink is a link to a person, cluster or organisation with the role
// that joins them.
type RoleLink struct {
	Link
	Role string
}

// PeoplePage lists people with filters.
type PeoplePage struct {
	Page
	Query    string
	Clusters []Option
	Topics   []Option
	People   []PersonItem
	Total    int
	Pager    Pager
	Error    string // why the filters gave no list
	APIURL   string // the same list from the JSON API
}

// PersonItem is a person in the list or on their own page.
type PersonItem struct {
	Name       string
	URL        string // the person's page here
	Role       string
	WorksAt    []RoleLink
	Email      string // only where a page publishes it
	Phone      string // only where a page publishes it
	SourceURL  string // the page that describes the person
	MergedFrom []string
	Clusters   []Link
	Leads      []Link
	Topics     []Link
	Evidence   []Evidence
	More       int // evidence not shown
}

// PersonPage is one person.
type PersonPage struct {
	Page
	Person PersonItem
	APIURL string
}

// ProjectsPage lists projects with filters.
type ProjectsPage struct {
	Page
	Query    string
	Statuses []Option
	Clusters []Option
	Topics   []Option
	Projects []ProjectItem
	Total    int
	Pager    Pager
	Error    string
	APIURL   string
}

// ProjectItem is a project in the list or on its own page.
type ProjectItem struct {
	Name         string
	URL          string // its page here
	Period       string // as written
	Start        time.Time
	End          time.Time
	Status       string // kg.Status* constant, "" if unknown
	StatusText   string // the status in the page's language
	Owner        string // as written
	Owners       []Link
	Leaders      []Link
	Funders      []Link
	Participants []Link
	Clusters     []Link
	Topics       []Link
	SourceURL    string
	Evidence     []Evidence
	More         int
}

// ProjectPage is one project.
type ProjectPage struct {
	Page
	Project ProjectItem
	APIURL  string
}

// OrganisationPage is one organisation and what the pages say it does.
type OrganisationPage struct {
	Page
	Name          string
	Kind          string // vocabulary kind in the page's language, "" if unknown
	People        []RoleLink
	Owns          []Link
	Funds         []Link
	TakesPartIn   []Link
	Organises     []Link
	Collaborators []Link
	Evidence      []Evidence
	More          int
	APIURL        string
}
