package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
	"github.com/klusterkarta/klusterkarta/web"
)

// Paging of the people, project and event lists.
const (
	defaultListSize = 20
	maxListSize     = 100
	maxListPage     = 1000
	maxFilterText   = 200 // bytes of the q filter of the entity lists
)

// routeEntities registers the people, project, event and organisation
// endpoints and pages. GET /api/v1/people/:id shares its parameter name
// with the DELETE route of the same path.
func (h *handlers) routeEntities(e *gin.Engine, v1 *gin.RouterGroup) {
	get(v1, "/people", h.apiPeople)
	getHidden(v1, "/people/:id", h.apiPerson)
	get(v1, "/projects", h.apiProjects)
	get(v1, "/projects/:id", h.apiProject)
	get(v1, "/events", h.apiEvents)
	get(v1, "/events/:id", h.apiEvent)
	get(v1, "/organisations/:id", h.apiOrganisation)

	get(e, "/people", h.peoplePage)
	getHidden(e, "/people/:id", h.personPage)
	get(e, "/projects", h.projectsPage)
	get(e, "/projects/:id", h.projectPage)
	get(e, "/organisations/:id", h.organisationPage)
}

// getHidden routes GET and HEAD requests for a path that names a person:
// the log shows the route, not the path.
func getHidden(r gin.IRoutes, path string, handler gin.HandlerFunc) {
	r.GET(path, hidePathInLog, handler)
	r.HEAD(path, hidePathInLog, handler)
}

// personURL is the page of a person.
func personURL(id string) string { return "/people/" + url.PathEscape(id) }

// projectURL is the page of a project.
func projectURL(id string) string { return "/projects/" + url.PathEscape(id) }

// organisationURL is the page of an organisation.
func organisationURL(id string) string { return "/organisations/" + url.PathEscape(id) }

// entityURL returns the page of any node that has one, or "".
func entityURL(r query.Ref) string {
	switch r.Kind {
	case query.KindPerson:
		return personURL(r.ID)
	case query.KindProject:
		return projectURL(r.ID)
	case query.KindOrganisation:
		return organisationURL(r.ID)
	}
	return refURL(r)
}

// listPage is the page of a list a request asks for.
type listPage struct {
	Page int
	Size int
}

// listParams reads page (default 1, at most maxListPage) and size (default
// defaultListSize, at most maxListSize).
func listParams(q url.Values) (listPage, error) {
	page, err := intParam(q, "page")
	if err != nil {
		return listPage{}, err
	}
	size, err := intParam(q, "size")
	if err != nil {
		return listPage{}, err
	}
	if q.Has("page") && (page < 1 || page > maxListPage) {
		return listPage{}, invalidf("page must be between 1 and %d", maxListPage)
	}
	if q.Has("size") && (size < 1 || size > maxListSize) {
		return listPage{}, invalidf("size must be between 1 and %d", maxListSize)
	}
	if page == 0 {
		page = 1
	}
	if size == 0 {
		size = defaultListSize
	}
	return listPage{Page: page, Size: size}, nil
}

// bounds returns the slice bounds of the page in a list of n items.
func (p listPage) bounds(n int) (from, to int) {
	from = min((p.Page-1)*p.Size, n)
	return from, min(from+p.Size, n)
}

// filterText reads the free-text filter q.
func filterText(q url.Values) (string, error) {
	v := strings.TrimSpace(q.Get("q"))
	if len(v) > maxFilterText {
		return "", invalidf("q must be at most %d bytes", maxFilterText)
	}
	return v, nil
}

// personJSON is a person: only what the pages publish, with its evidence.
type personJSON struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Role          string         `json:"role"`
	Email         string         `json:"email,omitempty"`
	Phone         string         `json:"phone,omitempty"`
	SourceURL     string         `json:"source_url"`
	Page          string         `json:"page"`
	MergedFrom    []string       `json:"merged_from"`
	WorksAt       []roleJSON     `json:"works_at"`
	Clusters      []refJSON      `json:"clusters"`
	Organisations []refJSON      `json:"organisations"`
	Leads         []refJSON      `json:"leads"`
	Topics        []topicRefJSON `json:"topics"`
	Evidence      []evidenceJSON `json:"evidence"`
	EvidenceTotal int            `json:"evidence_total"`
}

// roleJSON is a node with the role that joins it to another.
type roleJSON struct {
	refJSON
	Role string `json:"role"`
}

type peopleResponse struct {
	Total  int          `json:"total"`
	Page   int          `json:"page"`
	Size   int          `json:"size"`
	People []personJSON `json:"people"`
}

func rolesOf(as []query.Affiliation) []roleJSON {
	out := make([]roleJSON, 0, len(as))
	for _, a := range as {
		out = append(out, roleJSON{refJSON: refOf(a.Ref), Role: a.Role})
	}
	return out
}

func topicsOf(ts []kg.Topic) []topicRefJSON {
	out := make([]topicRefJSON, 0, len(ts))
	for _, t := range ts {
		out = append(out, topicRefJSON{ID: t.ID, LabelSV: t.SV, LabelEN: t.EN})
	}
	return out
}

func personOf(p query.Person) personJSON {
	ev, total := evidenceList(p.Evidence)
	return personJSON{
		ID: p.ID, Name: p.Name, Role: p.Role, Email: p.Email, Phone: p.Phone,
		SourceURL: p.URL, Page: personURL(p.ID), MergedFrom: orEmpty(p.MergedFrom),
		WorksAt: rolesOf(p.WorksAt), Clusters: refsOf(p.Clusters), Organisations: refsOf(p.Organisations),
		Leads: refsOf(p.Leads), Topics: topicsOf(p.Topics), Evidence: ev, EvidenceTotal: total,
	}
}

// personFilter reads the filters of the people list.
func personFilter(q url.Values) (query.PersonFilter, error) {
	text, err := filterText(q)
	if err != nil {
		return query.PersonFilter{}, err
	}
	return query.PersonFilter{Topic: strings.TrimSpace(q.Get("topic")), Cluster: strings.TrimSpace(q.Get("cluster")), Query: text}, nil
}

// peopleList is the list of people.
var peopleList = entityList[query.PersonFilter, query.Person]{
	params: []string{"topic", "cluster", "q"},
	filter: personFilter,
	list:   (*query.Engine).People,
	what:   "listing people",
}

// personDetail reads a person; its id is left out of the logs.
var personDetail = entityDetail[query.Person]{
	read: (*query.Engine).Person, what: "reading a person", notFound: "error.person",
}

// apiPeople serves GET /api/v1/people?topic=&cluster=&q=&page=&size=.
func (h *handlers) apiPeople(c *gin.Context) {
	serveAPIList(h, c, peopleList, func(total int, lp listPage, page []query.Person) any {
		return peopleResponse{Total: total, Page: lp.Page, Size: lp.Size, People: convert(page, personOf)}
	})
}

// apiPerson serves GET /api/v1/people/:id.
func (h *handlers) apiPerson(c *gin.Context) {
	if p, ok := readAPIEntity(h, c, personDetail); ok {
		c.JSON(http.StatusOK, personOf(p))
	}
}

// projectJSON is a project with its evidence.
type projectJSON struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Period        string         `json:"period"`
	Start         string         `json:"start,omitempty"` // YYYY-MM-DD
	End           string         `json:"end,omitempty"`   // YYYY-MM-DD
	Status        string         `json:"status"`          // ongoing, finished, planned or ""
	Owner         string         `json:"owner"`
	Leader        string         `json:"leader"`
	SourceURL     string         `json:"source_url"`
	Page          string         `json:"page"`
	Owners        []refJSON      `json:"owners"`
	Leaders       []refJSON      `json:"leaders"`
	Funders       []refJSON      `json:"funders"`
	Participants  []refJSON      `json:"participants"`
	Clusters      []refJSON      `json:"clusters"`
	Topics        []topicRefJSON `json:"topics"`
	Evidence      []evidenceJSON `json:"evidence"`
	EvidenceTotal int            `json:"evidence_total"`
}

type projectsResponse struct {
	Total    int           `json:"total"`
	Page     int           `json:"page"`
	Size     int           `json:"size"`
	Projects []projectJSON `json:"projects"`
}

func projectOf(p query.Project) projectJSON {
	ev, total := evidenceList(p.Evidence)
	return projectJSON{
		ID: p.ID, Name: p.Name, Period: p.Period, Start: formatDate(p.Start), End: formatDate(p.End),
		Status: p.Status, Owner: p.Owner, Leader: p.Leader, SourceURL: p.URL, Page: projectURL(p.ID),
		Owners: refsOf(p.Owners), Leaders: refsOf(p.Leaders), Funders: refsOf(p.Funders),
		Participants: refsOf(p.Participants), Clusters: refsOf(p.Clusters), Topics: topicsOf(p.Topics),
		Evidence: ev, EvidenceTotal: total,
	}
}

// projectFilter reads the filters of the project list.
func projectFilter(q url.Values) (query.ProjectFilter, error) {
	text, err := filterText(q)
	if err != nil {
		return query.ProjectFilter{}, err
	}
	f := query.ProjectFilter{Topic: strings.TrimSpace(q.Get("topic")), Cluster: strings.TrimSpace(q.Get("cluster")),
		Status: strings.TrimSpace(q.Get("status")), Query: text}
	switch f.Status {
	case "", kg.StatusOngoing, kg.StatusFinished, kg.StatusPlanned:
	default:
		return f, invalidf("status must be %s, %s or %s", kg.StatusOngoing, kg.StatusFinished, kg.StatusPlanned)
	}
	return f, nil
}

// projectsList is the list of projects.
var projectsList = entityList[query.ProjectFilter, query.Project]{
	params: []string{"topic", "cluster", "status", "q"},
	filter: projectFilter,
	list:   (*query.Engine).Projects,
	what:   "listing projects",
}

// projectDetail reads a project.
var projectDetail = entityDetail[query.Project]{
	read: (*query.Engine).Project, what: "reading project", withID: true, notFound: "error.project",
}

// apiProjects serves GET /api/v1/projects?topic=&cluster=&status=&q=&page=&size=.
func (h *handlers) apiProjects(c *gin.Context) {
	serveAPIList(h, c, projectsList, func(total int, lp listPage, page []query.Project) any {
		return projectsResponse{Total: total, Page: lp.Page, Size: lp.Size, Projects: convert(page, projectOf)}
	})
}

// apiProject serves GET /api/v1/projects/:id.
func (h *handlers) apiProject(c *gin.Context) {
	if p, ok := readAPIEntity(h, c, projectDetail); ok {
		c.JSON(http.StatusOK, projectOf(p))
	}
}

// eventJSON is an event with its evidence.
type eventJSON struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Start         string         `json:"start,omitempty"` // RFC 3339
	End           string         `json:"end,omitempty"`   // RFC 3339
	AllDay        bool           `json:"all_day"`
	Place         string         `json:"place"`
	Registration  string         `json:"registration"`
	SourceURL     string         `json:"source_url"`
	Page          string         `json:"page"` // its page in the calendar
	Clusters      []refJSON      `json:"clusters"`
	Organisers    []refJSON      `json:"organisers"`
	Topics        []topicRefJSON `json:"topics"`
	Counties      []string       `json:"counties"`
	Evidence      []evidenceJSON `json:"evidence"`
	EvidenceTotal int            `json:"evidence_total"`
}

type eventsResponse struct {
	Total  int         `json:"total"`
	Page   int         `json:"page"`
	Size   int         `json:"size"`
	Events []eventJSON `json:"events"`
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func eventOf(ev query.Event) eventJSON {
	evidence, total := evidenceList(ev.Evidence)
	return eventJSON{
		ID: ev.ID, Name: ev.Name, Start: formatTime(ev.Start), End: formatTime(ev.End), AllDay: ev.AllDay,
		Place: ev.Place, Registration: ev.RegistrationURL, SourceURL: ev.URL, Page: eventURL(ev.ID),
		Clusters: refsOf(ev.Clusters), Organisers: refsOf(ev.Organisers), Topics: topicsOf(ev.Topics),
		Counties: orEmpty(ev.Counties), Evidence: evidence, EvidenceTotal: total,
	}
}

// apiEventFilter reads the filters of the event list: the events that end
// on or after from and start on or before to (both days).
func apiEventFilter(q url.Values) (query.EventFilter, error) {
	from, err := dateParam(q, "from")
	if err != nil {
		return query.EventFilter{}, err
	}
	to, err := dateParam(q, "to")
	if err != nil {
		return query.EventFilter{}, err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return query.EventFilter{}, invalidf("to must not be before from")
	}
	f := query.EventFilter{Topic: strings.TrimSpace(q.Get("topic")), Cluster: strings.TrimSpace(q.Get("cluster")),
		County: strings.TrimSpace(q.Get("county")), From: from}
	if !to.IsZero() {
		f.To = to.AddDate(0, 0, 1) // the whole of the last day
	}
	return f, nil
}

// eventsList is the list of events.
var eventsList = entityList[query.EventFilter, query.Event]{
	params: []string{"from", "to", "topic", "cluster", "county"},
	filter: apiEventFilter,
	check: func(eng *query.Engine, ctx context.Context, f query.EventFilter) error {
		return eng.CheckFilter(ctx, f.Topic, f.Cluster)
	},
	list: (*query.Engine).Events,
	what: "listing events",
}

// eventDetail reads an event.
var eventDetail = entityDetail[query.Event]{read: (*query.Engine).Event, what: "reading event", withID: true}

// apiEvents serves GET /api/v1/events?from=&to=&topic=&cluster=&county=&page=&size=:
// the events that end on or after from and start on or before to (both
// days), by start, undated last.
func (h *handlers) apiEvents(c *gin.Context) {
	serveAPIList(h, c, eventsList, func(total int, lp listPage, page []query.Event) any {
		return eventsResponse{Total: total, Page: lp.Page, Size: lp.Size, Events: convert(page, eventOf)}
	})
}

// apiEvent serves GET /api/v1/events/:id.
func (h *handlers) apiEvent(c *gin.Context) {
	if ev, ok := readAPIEntity(h, c, eventDetail); ok {
		c.JSON(http.StatusOK, eventOf(ev))
	}
}

// organisationJSON is an organisation with what the pages say it does.
type organisationJSON struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	OrgKind       string         `json:"org_kind"` // vocabulary kind, "" if unknown
	Page          string         `json:"page"`
	People        []roleJSON     `json:"people"`
	Owns          []refJSON      `json:"owns"`
	Funds         []refJSON      `json:"funds"`
	TakesPartIn   []refJSON      `json:"takes_part_in"`
	Organises     []refJSON      `json:"organises"`
	Collaborators []refJSON      `json:"collaborators"`
	Evidence      []evidenceJSON `json:"evidence"`
	EvidenceTotal int            `json:"evidence_total"`
}

// organisationDetail reads an organisation.
var organisationDetail = entityDetail[query.Organisation]{
	read: (*query.Engine).Organisation, what: "reading organisation", withID: true, notFound: "error.organisation",
}

// apiOrganisation serves GET /api/v1/organisations/:id.
func (h *handlers) apiOrganisation(c *gin.Context) {
	o, ok := readAPIEntity(h, c, organisationDetail)
	if !ok {
		return
	}
	ev, total := evidenceList(o.Evidence)
	c.JSON(http.StatusOK, organisationJSON{
		ID: o.ID, Name: o.Name, OrgKind: o.Kind, Page: organisationURL(o.ID),
		People: rolesOf(o.People), Owns: refsOf(o.Owns), Funds: refsOf(o.Funds), TakesPartIn: refsOf(o.TakesPartIn),
		Organises: refsOf(o.Organises), Collaborators: refsOf(o.Collaborators), Evidence: ev, EvidenceTotal: total,
	})
}

// links converts refs to links to their pages.
func links(refs []query.Ref) []web.Link {
	out := make([]web.Link, 0, len(refs))
	for _, r := range refs {
		out = append(out, web.Link{Text: r.Name, URL: entityURL(r)})
	}
	return out
}

// roleLinks converts affiliations to links with roles.
func roleLinks(as []query.Affiliation) []web.RoleLink {
	out := make([]web.RoleLink, 0, len(as))
	for _, a := range as {
		out = append(out, web.RoleLink{Link: web.Link{Text: a.Name, URL: entityURL(a.Ref)}, Role: a.Role})
	}
	return out
}

func topicLinks(ts []kg.Topic, lang string) []web.Link {
	out := make([]web.Link, 0, len(ts))
	for _, t := range ts {
		out = append(out, web.Link{Text: t.Label(lang), URL: topicURL(t.ID)})
	}
	return out
}

func personItem(p query.Person, lang string) web.PersonItem {
	ev, more := evidenceItems(p.Evidence)
	return web.PersonItem{
		Name: p.Name, URL: personURL(p.ID), Role: p.Role, WorksAt: roleLinks(p.WorksAt),
		Email: p.Email, Phone: p.Phone, SourceURL: p.URL, MergedFrom: p.MergedFrom,
		Clusters: links(p.Clusters), Leads: links(p.Leads), Topics: topicLinks(p.Topics, lang),
		Evidence: ev, More: more,
	}
}

func projectItem(p query.Project, lang string) web.ProjectItem {
	ev, more := evidenceItems(p.Evidence)
	it := web.ProjectItem{
		Name: p.Name, URL: projectURL(p.ID), Period: p.Period, Start: p.Start, End: p.End,
		Status: p.Status, Owner: p.Owner, Owners: links(p.Owners), Leaders: links(p.Leaders),
		Funders: links(p.Funders), Participants: links(p.Participants), Clusters: links(p.Clusters),
		Topics: topicLinks(p.Topics, lang), SourceURL: p.URL, Evidence: ev, More: more,
	}
	if p.Status != "" {
		it.StatusText = web.T(lang, "status."+p.Status)
	}
	return it
}

// listPager builds the pager of a list page at path with the filters v.
func listPager(path string, v url.Values, lp listPage, total int) web.Pager {
	pages := max((total+lp.Size-1)/lp.Size, 1)
	p := web.Pager{Page: lp.Page, Pages: pages}
	at := func(n int) string {
		w := url.Values{}
		for k, vs := range v {
			w[k] = vs
		}
		if n > 1 {
			w.Set("page", strconv.Itoa(n))
		}
		return withQuery(path, w)
	}
	if lp.Page > 1 {
		p.Prev = at(min(lp.Page-1, pages))
	}
	if lp.Page < pages {
		p.Next = at(lp.Page + 1)
	}
	for n := max(1, lp.Page-4); n <= min(pages, lp.Page+4); n++ {
		p.Links = append(p.Links, web.PageLink{Number: n, URL: at(n), Current: n == lp.Page})
	}
	return p
}

// keptFilters returns the named non-empty values of q.
func keptFilters(q url.Values, names ...string) url.Values {
	v := url.Values{}
	for _, n := range names {
		if s := strings.TrimSpace(q.Get(n)); s != "" {
			v.Set(n, s)
		}
	}
	return v
}

// withSize returns the filters v with the page size, unless it is the
// default, for the links of a pager.
func withSize(v url.Values, lp listPage) url.Values {
	if lp.Size == defaultListSize {
		return v
	}
	w := url.Values{}
	for k, vs := range v {
		w[k] = vs
	}
	w.Set("size", strconv.Itoa(lp.Size))
	return w
}

// pageListParams reads page and size leniently for the HTML pages: bad
// values fall back to the defaults.
func pageListParams(q url.Values) listPage {
	lp, err := listParams(keptFilters(q, "page", "size"))
	if err != nil {
		return listPage{Page: 1, Size: defaultListSize}
	}
	return lp
}

// entityFilterError tells an HTML list page why its filters gave no
// list: a status the page shows, and a message, or an internal error.
func entityFilterError(err error) (int, string, bool) {
	switch code := kg.ErrorCode(err); code {
	case kg.EINVALID, kg.ENOTFOUND:
		return statusOf(code), kg.ErrorMessage(err), true
	}
	return 0, "", false
}

// peoplePage serves GET /people?topic=&cluster=&q=&page=.
func (h *handlers) peoplePage(c *gin.Context) {
	v, r, ok := listPageData(h, c, "people", peopleList)
	if !ok {
		return
	}
	data := web.PeoplePage{
		Page: v.page, Query: v.query, Clusters: v.clusters, Topics: v.topics, APIURL: v.apiURL,
		Total: r.total, Pager: r.pager, Error: r.err,
	}
	for _, p := range r.items {
		data.People = append(data.People, personItem(p, v.lang))
	}
	h.render(c, r.status, web.TmplPeople, data)
}

// personPage serves GET /people/:id.
func (h *handlers) personPage(c *gin.Context) {
	lang := h.pageLang(c)
	p, ok := readPageEntity(h, c, lang, personDetail)
	if !ok {
		return
	}
	h.render(c, http.StatusOK, web.TmplPerson, web.PersonPage{
		Page:   h.newPage(c, lang, p.Name, "people"),
		Person: personItem(p, lang),
		APIURL: "/api/v1" + personURL(p.ID),
	})
}

// projectsPage serves GET /projects?topic=&cluster=&status=&q=&page=.
func (h *handlers) projectsPage(c *gin.Context) {
	v, r, ok := listPageData(h, c, "projects", projectsList)
	if !ok {
		return
	}
	status := v.filters.Get("status")
	statuses := []web.Option{{Value: "", Label: web.T(v.lang, "status.any"), Selected: status == ""}}
	for _, s := range []string{kg.StatusOngoing, kg.StatusPlanned, kg.StatusFinished} {
		statuses = append(statuses, web.Option{Value: s, Label: web.T(v.lang, "status."+s), Selected: s == status})
	}
	data := web.ProjectsPage{
		Page: v.page, Query: v.query, Statuses: statuses, Clusters: v.clusters, Topics: v.topics, APIURL: v.apiURL,
		Total: r.total, Pager: r.pager, Error: r.err,
	}
	for _, p := range r.items {
		data.Projects = append(data.Projects, projectItem(p, v.lang))
	}
	h.render(c, r.status, web.TmplProjects, data)
}

// projectPage serves GET /projects/:id.
func (h *handlers) projectPage(c *gin.Context) {
	lang := h.pageLang(c)
	p, ok := readPageEntity(h, c, lang, projectDetail)
	if !ok {
		return
	}
	h.render(c, http.StatusOK, web.TmplProject, web.ProjectPage{
		Page:    h.newPage(c, lang, p.Name, "projects"),
		Project: projectItem(p, lang),
		APIURL:  "/api/v1" + projectURL(p.ID),
	})
}

// organisationPage serves GET /organisations/:id.
func (h *handlers) organisationPage(c *gin.Context) {
	lang := h.pageLang(c)
	o, ok := readPageEntity(h, c, lang, organisationDetail)
	if !ok {
		return
	}
	ev, more := evidenceItems(o.Evidence)
	data := web.OrganisationPage{
		Page:          h.newPage(c, lang, o.Name, ""),
		Name:          o.Name,
		People:        roleLinks(o.People),
		Owns:          links(o.Owns),
		Funds:         links(o.Funds),
		TakesPartIn:   links(o.TakesPartIn),
		Organises:     links(o.Organises),
		Collaborators: links(o.Collaborators),
		Evidence:      ev,
		More:          more,
		APIURL:        "/api/v1" + organisationURL(o.ID),
	}
	if o.Kind != "" {
		data.Kind = web.T(lang, "orgkind."+o.Kind)
		if data.Kind == "orgkind."+o.Kind {
			data.Kind = o.Kind
		}
	}
	h.render(c, http.StatusOK, web.TmplOrganisation, data)
}
