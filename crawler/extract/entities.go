package extract

import (
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// partnerCue marks a stated partnership just before an organisation's
// name.
var partnerCue = regexp.MustCompile(`(?i)(i samarbete med|i samverkan med|samarbetar med|samverkar med|tillsammans med|i partnerskap med|samarbetspart\w*:?|partner\w*:)`)

// orgFound is an organisation or cluster a passage names.
type orgFound struct {
	id, name, kind, clusterID string
	start, end                int
}

// entityContext finds organisations and clusters for one document.
type entityContext struct {
	e        *Extractor
	mentions map[string]*kg.OrgMention // by ID (cluster mentions by "cluster:" + id)
	order    []string
}

// findOrgs returns the organisations and registry clusters s names, in
// text order, without overlaps.
func (e *Extractor) findOrgs(s string) []orgFound {
	var out []orgFound
	for _, m := range e.Orgs.Find(s) {
		out = append(out, orgFound{id: m.ID, name: m.Name, kind: m.Kind, start: m.Start, end: m.End})
	}
	lower := lowerSameLength(s)
	for _, n := range e.names.names {
		for off := 0; off < len(lower); {
			i := strings.Index(lower[off:], n.name)
			if i < 0 {
				break
			}
			i += off
			end := i + len(n.name)
			off = end
			if !wordBoundaryBefore(lower, i) || !wordBoundaryAfter(lower, end) {
				continue
			}
			overlap := false
			for k, f := range out {
				if i < f.end && f.start < end {
					overlap = true
					if f.clusterID == "" && end-i >= f.end-f.start {
						// A cluster's own name wins over a vocabulary
						// match inside it.
						out[k] = orgFound{id: n.clusterID, name: e.clusterName(n.clusterID), clusterID: n.clusterID, start: i, end: end}
					}
					break
				}
			}
			if !overlap {
				out = append(out, orgFound{id: n.clusterID, name: e.clusterName(n.clusterID), clusterID: n.clusterID, start: i, end: end})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// clusterName returns the registry name of a cluster.
func (e *Extractor) clusterName(id string) string {
	for _, c := range e.Registry.Clusters {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}

// lookupOrg resolves one name as written to an organisation or cluster:
// the name must be little more than one organisation's name.
//
// A name that begins with a cluster's name or alias and names no other
// organisation is that cluster: "Krinova AB", "Gröna Klustret Nuntorp".
func (e *Extractor) lookupOrg(name string) (orgFound, bool) {
	name = strings.TrimSpace(name)
	fs := e.findOrgs(name)
	for _, f := range fs {
		rest := name[:f.start] + name[f.end:]
		if letters(stripParens(rest)) <= 2 {
			return f, true
		}
	}
	if len(fs) == 1 && fs[0].clusterID != "" && strings.TrimSpace(name[:fs[0].start]) == "" {
		return fs[0], true
	}
	return orgFound{}, false
}

// clusterByEmail returns the cluster whose site's domain an e-mail
// address is at ("anna@testklustret.se" for https://www.testklustret.se/),
// or "": a person named with no organisation but a cluster's address
// works there, whichever site names them.
func (e *Extractor) clusterByEmail(email string) string {
	_, domain, ok := strings.Cut(strings.ToLower(email), "@")
	if !ok || domain == "" {
		return ""
	}
	for _, c := range e.Registry.Clusters {
		if slices.Contains(siteHosts(c.Sites), domain) {
			return c.ID
		}
	}
	return ""
}

// genericBodies are the bodies a page names as if they were
// organisations ("Styrelsen", "Kansliet"); alone they name none, and
// before "i", "för" or "hos" the organisation follows ("Styrelsen för
// Gröna Klustret").
var genericBodies = map[string]bool{
	"styrelsen": true, "styrelse": true, "styrgruppen": true, "styrgrupp": true, "kansliet": true,
	"ledningen": true, "arbetsgruppen": true, "projektgruppen": true, "referensgruppen": true,
	"redaktionen": true, "valberedningen": true, "ledningsgruppen": true, "sekretariatet": true,
	"medlemmarna": true, "partnerskapet": true, "nätverket": true, "föreningen": true, "företaget": true,
	"kommunen": true, "regionen": true, "projektet": true, "klustret": true,
}

// cleanOrgName returns an organisation's name without a generic body
// before it, or "" when the name is a generic body alone.
func cleanOrgName(s string) string {
	s = strings.Trim(strings.TrimSpace(s), " .,:;")
	words := strings.Fields(s)
	if len(words) == 0 || !genericBodies[strings.ToLower(words[0])] {
		return s
	}
	if len(words) > 2 && (words[1] == "i" || words[1] == "för" || words[1] == "hos" || words[1] == "vid") {
		return strings.Join(words[2:], " ")
	}
	if len(words) == 1 {
		return ""
	}
	return s
}

// hyphenCoordination matches Swedish coordinated compounds that share
// their last part: "havs-, fiskeri- och vattenbruksfonden", "skogs- och
// lantbruksföretag". The commas and "och" inside one are not list
// separators.
var hyphenCoordination = regexp.MustCompile(`\p{L}+-(?:,\s+\p{L}+-)*\s+(?:och|eller|&)\s+\p{L}+`)

// splitOrgNames splits a list of organisation names as kg.SplitNames
// does, but keeps a hyphen coordination whole: "Europeiska havs-, fiskeri-
// och vattenbruksfonden och Region Gotland" is two names, not four.
// Generic bodies are dropped and stripped.
func splitOrgNames(s string) []string {
	const comma, and = "\x00", "\x01"
	s = hyphenCoordination.ReplaceAllStringFunc(s, func(m string) string {
		m = strings.ReplaceAll(m, ",", comma)
		for _, w := range []string{" och ", " eller ", " & "} {
			m = strings.ReplaceAll(m, w, strings.ReplaceAll(w, " ", and))
		}
		return m
	})
	var out []string
	for _, part := range kg.SplitNames(s) {
		part = strings.NewReplacer(comma, ",", and, " ").Replace(part)
		if part = cleanOrgName(part); part != "" && !isFragment(part) {
			out = append(out, part)
		}
	}
	return out
}

// isFragment reports whether a name is a piece of a coordination, such
// as "fiskeri-": it ends in a hyphen.
func isFragment(s string) bool {
	return strings.HasSuffix(strings.TrimSpace(s), "-")
}

// names returns the names of the organisations s names, for entity
// fields.
func (c *entityContext) names(s string) []string {
	var out []string
	for _, f := range c.e.findOrgs(s) {
		c.add(f, s, false)
		out = appendNew(out, f.name)
	}
	return out
}

// add records a mention of f found in passage.
func (c *entityContext) add(f orgFound, passage string, partner bool) *kg.OrgMention {
	key := f.id
	if f.clusterID != "" {
		key = "cluster:" + f.clusterID
	}
	m, ok := c.mentions[key]
	if !ok {
		m = &kg.OrgMention{ID: f.id, Name: f.name, Kind: f.kind, ClusterID: f.clusterID}
		s, e := sentenceBounds(passage, f.start, f.end)
		m.Snippet = truncateRunes(strings.TrimSpace(passage[s:e]), 280)
		c.mentions[key] = m
		c.order = append(c.order, key)
	}
	if partner && !m.Partner {
		m.Partner = true
		s, e := sentenceBounds(passage, f.start, f.end)
		m.Snippet = truncateRunes(strings.TrimSpace(passage[s:e]), 280)
	}
	return m
}

// resolveField records the organisations a field value names (the whole
// value, else each listed part), each with the value's written form, so
// that the graph resolves the field to them. Unknown names become
// organisations of their own.
func (c *entityContext) resolveField(value, snippet string) {
	value = cleanOrgName(value)
	if value == "" || isFragment(value) {
		return
	}
	if f, ok := c.e.lookupOrg(value); ok {
		m := c.add(f, value, false)
		m.Written = appendNew(m.Written, value)
		return
	}
	for _, part := range splitOrgNames(value) {
		if f, ok := c.e.lookupOrg(part); ok {
			m := c.add(f, part, false)
			m.Written = appendNew(m.Written, part)
			continue
		}
		slug := kg.Slug(part)
		if slug == "" || letters(part) < 2 || utf8.RuneCountInString(part) > 100 {
			continue
		}
		if _, ok := c.mentions[slug]; !ok {
			c.mentions[slug] = &kg.OrgMention{ID: slug, Name: part, Snippet: truncateRunes(snippet, 280)}
			c.order = append(c.order, slug)
		}
	}
}

// extractEntities fills d's people, projects, events and organisations
// from its text and the events its format states. now is the clock, for
// pages without a date.
func (e *Extractor) extractEntities(d *kg.Document, p parsed, entry kg.Entry, base *url.URL, now time.Time) {
	text := d.Text
	ref := d.Date
	if ref.IsZero() && base != nil {
		// A dated path ("/2017/10/") dates the page.
		if m := datePath.FindStringSubmatch(base.Path); m != nil {
			ref, _ = time.Parse("2006/1", strings.Trim(m[0], "/"))
		}
	}
	if ref.IsZero() {
		ref = now
	}
	own := ""
	if entry.Kind == kg.EntryCluster {
		own = entry.ID
	}
	c := &entityContext{e: e, mentions: map[string]*kg.OrgMention{}}

	// Organisations the text names, and stated partnerships.
	whole := text
	if !strings.HasPrefix(text, d.Title) {
		whole = d.Title + "\n" + text
	}
	wholeOrgs := e.findOrgs(whole)
	for _, f := range wholeOrgs {
		s, _ := sentenceBounds(whole, f.start, f.end)
		partner := f.clusterID != own && partnerCue.MatchString(whole[max(s, f.start-120):f.start])
		c.add(f, whole, partner)
	}

	topicIDs := func(s string) []string {
		var ids []string
		for _, m := range e.Topics.Match(s) {
			ids = append(ids, m.TopicID)
		}
		return ids
	}
	docTopics := make([]string, 0, len(d.Topics))
	for _, m := range d.Topics {
		docTopics = append(docTopics, m.TopicID)
	}

	// Projects.
	projects := extractProjects(d.Title, text, d.Kind, ref, c.names)
	for i := range projects {
		pr := &projects[i]
		if pr.Snippet == truncateRunes(strings.TrimSpace(text), 280) {
			pr.Topics = docTopics // the page's own project
		} else {
			pr.Topics = topicIDs(pr.Snippet)
		}
		if own != "" && d.Kind == kg.KindProject && pr.Owner == "" {
			pr.Stakeholders = appendNew(pr.Stakeholders, e.clusterName(own))
		}
		c.resolveField(pr.Owner, pr.Snippet)
		for _, f := range pr.Funders {
			c.resolveField(f, pr.Snippet)
		}
		for _, s := range pr.Stakeholders {
			c.resolveField(s, pr.Snippet)
		}
	}

	// Events the format states (JSON-LD, iCal); documentEvents reads
	// those the text announces or reports.
	events := append([]kg.Event(nil), p.events...)
	for i := range events {
		ev := &events[i]
		if len(ev.Organisers) == 0 && own != "" {
			ev.Organisers = []string{e.clusterName(own)}
		}
		if len(events) == 1 && len(p.events) == 0 {
			ev.Topics = docTopics
		} else {
			ev.Topics = topicIDs(ev.Title + "\n" + ev.Snippet)
		}
		for _, o := range ev.Organisers {
			c.resolveField(o, ev.Snippet)
		}
	}

	// People, and the leaders of projects.
	found := wholeOrgs
	if whole != text {
		found = e.findOrgs(text)
	}
	orgSpans := make([]textSpan, 0, len(found))
	for _, f := range found {
		orgSpans = append(orgSpans, textSpan{f.start, f.end})
	}
	people := extractPeople(text, orgSpans)
	known := map[string]bool{}
	for _, pe := range people {
		known[kg.Slug(pe.Name)] = true
	}
	for _, pr := range projects {
		for _, name := range kg.SplitNames(pr.Leader) {
			if !known[kg.Slug(name)] && len(strings.Fields(name)) >= 2 && len(strings.Fields(name)) <= 4 {
				known[kg.Slug(name)] = true
				people = append(people, kg.Person{Name: name, Role: "projektledare", Organisation: pr.Owner, Snippet: pr.Snippet})
			}
		}
	}
	for i := range people {
		pe := &people[i]
		pe.Organisation = cleanOrgName(pe.Organisation)
		if pe.Organisation != "" {
			if f, ok := e.lookupOrg(pe.Organisation); ok {
				if f.clusterID != "" {
					pe.ClusterID = f.clusterID
				}
				m := c.add(f, pe.Organisation, false)
				m.Written = appendNew(m.Written, pe.Organisation)
			} else {
				c.resolveField(pe.Organisation, pe.Snippet)
			}
		} else if id := e.clusterByEmail(pe.Email); id != "" {
			pe.ClusterID = id
		} else if own != "" && d.Kind == kg.KindContact {
			pe.ClusterID = own
		}
	}

	d.People, d.Projects, d.Events = people, projects, events
	for _, k := range c.order {
		d.Organisations = append(d.Organisations, *c.mentions[k])
	}
}

// lowerSameLength lower-cases s keeping every rune's byte length, so that
// offsets into the result are offsets into s.
func lowerSameLength(s string) string {
	b := []byte(s)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) == size {
			utf8.EncodeRune(b[i:], l)
		}
		i += size
	}
	return string(b)
}
