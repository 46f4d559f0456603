package main

import (
	"errors"
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/pdfwrite"
)

// Kinds of resources, as the server counts the requests for them.
const (
	KindHTML    = "html"
	KindPDF     = "pdf"
	KindICal    = "ical"
	KindFeed    = "feed"
	KindRobots  = "robots"
	KindSitemap = "sitemap"
)

// perPage is how many items one listing page shows.
const perPage = 20

// fixedPages are the resources every host has besides its articles,
// projects, events, reports and extra listing pages.
var fixedPages = []string{"/", "/om-oss/", "/kontakt/", "/medarbetare/", "/nyheter/", "/projekt/", "/kalender/", "/rapporter/", "/kalender.ics", "/nyheter/feed.xml"}

// Config says what web to generate.
type Config struct {
	// Hosts is the number of sites, one cluster each.
	Hosts int
	// Pages is the number of fetchable resources over all hosts: HTML
	// pages, PDF reports, calendars and feeds. robots.txt and sitemap.xml
	// come on top.
	Pages int
	// Seed makes the web: the same seed gives the same bytes.
	Seed uint64
	// Base returns the base URL of host i (0-based), such as
	// "http://127.0.0.3:18480".
	Base func(i int) string
	// Topics is the vocabulary whose terms the text uses.
	Topics []kg.Topic
}

// Resource is one response body of the web.
type Resource struct {
	Body        []byte
	ContentType string
	Kind        string
	Modified    time.Time
}

// Host is one generated site.
type Host struct {
	Base      string // scheme, address and port, no trailing slash
	Cluster   kg.Cluster
	Resources map[string]Resource // by request path
	// Disallowed are paths that pages link to and robots.txt forbids.
	Disallowed []string
	// Broken are paths that pages link to and that answer 404.
	Broken []string
}

// Web is a generated web of cluster sites.
type Web struct {
	Hosts []*Host
}

// Registry returns the registry that lists every host's cluster.
func (w *Web) Registry() kg.Registry {
	var reg kg.Registry
	for _, h := range w.Hosts {
		reg.Clusters = append(reg.Clusters, h.Cluster)
	}
	return reg
}

// Counts returns how many resources of each kind the web has.
func (w *Web) Counts() map[string]int {
	out := map[string]int{}
	for _, h := range w.Hosts {
		for _, r := range h.Resources {
			out[r.Kind]++
		}
	}
	return out
}

// Fetchable returns the number of resources a complete crawl fetches:
// everything but robots.txt and sitemap.xml.
func (w *Web) Fetchable() int {
	c := w.Counts()
	return c[KindHTML] + c[KindPDF] + c[KindICal] + c[KindFeed]
}

// item is a planned article, project, event or report.
type item struct {
	title string
	path  string
	date  time.Time
}

// plan is what one host will hold, decided before anything is rendered so
// that hosts can link to each other's documents.
type plan struct {
	news, projects, events, reports []item
	extras                          []item // pages under /om-oss/
	focus                           []kg.Topic
	people                          []string
	orgs                            []string
}

// Generate builds the web cfg describes.
func Generate(cfg Config) (*Web, error) {
	switch {
	case cfg.Hosts < 1 || cfg.Hosts > len(clusterPlaces):
		return nil, fmt.Errorf("hosts must be between 1 and %d, not %d", len(clusterPlaces), cfg.Hosts)
	case cfg.Pages < cfg.Hosts*minPagesPerHost:
		return nil, fmt.Errorf("pages must be at least %d for %d hosts, not %d", cfg.Hosts*minPagesPerHost, cfg.Hosts, cfg.Pages)
	case cfg.Base == nil:
		return nil, errors.New("no base URL function")
	case len(cfg.Topics) < 4:
		return nil, fmt.Errorf("need at least 4 topics, have %d", len(cfg.Topics))
	}
	w := &Web{}
	plans := make([]*plan, cfg.Hosts)
	for i := range cfg.Hosts {
		n := cfg.Pages / cfg.Hosts
		if i < cfg.Pages%cfg.Hosts {
			n++
		}
		rnd := rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
		h, p := planHost(i, n, cfg, rnd)
		w.Hosts = append(w.Hosts, h)
		plans[i] = p
	}
	for i, h := range w.Hosts {
		rnd := rand.New(rand.NewPCG(cfg.Seed^0x9e3779b97f4a7c15, uint64(i)))
		renderHost(w, plans, i, h, cfg.Topics, rnd)
	}
	return w, nil
}

// minPagesPerHost is the smallest site: the fixed pages and one item of
// each kind.
var minPagesPerHost = len(fixedPages) + 4

// extraListings is how many listing pages beyond the first n items need.
func extraListings(n int) int {
	if n <= perPage {
		return 0
	}
	return (n+perPage-1)/perPage - 1
}

// splitBudget divides a host's n resources among its kinds so that they
// add up to n exactly.
func splitBudget(n int) (news, projects, events, reports, extras int) {
	r := n - len(fixedPages)
	projects, events, reports = max(1, r/5), max(1, r/5), max(1, r/10)
	rest := r - projects - events - reports - extraListings(projects) - extraListings(events) - extraListings(reports)
	for news = rest; news > 1 && news+extraListings(news) > rest; news-- {
	}
	extras = rest - news - extraListings(news)
	return news, projects, events, reports, extras
}

// planHost decides the cluster, people and items of host i with n
// resources.
func planHost(i, n int, cfg Config, rnd *rand.Rand) (*Host, *plan) {
	place := clusterPlaces[i]
	name := place + " " + clusterKinds[i%len(clusterKinds)]
	town := towns[i%len(towns)]
	county := counties[i%len(counties)]
	p := &plan{}
	perm := rnd.Perm(len(cfg.Topics))
	for _, k := range perm[:4] {
		p.focus = append(p.focus, cfg.Topics[k])
	}
	seenPeople := map[string]bool{}
	for len(p.people) < 10 {
		person := givenNames[rnd.IntN(len(givenNames))] + " " + surnames[rnd.IntN(len(surnames))]
		if !seenPeople[person] {
			seenPeople[person] = true
			p.people = append(p.people, person)
		}
	}
	for len(p.orgs) < 8 {
		org := towns[rnd.IntN(len(towns))] + " " + orgKinds[rnd.IntN(len(orgKinds))]
		if !slices.Contains(p.orgs, org) {
			p.orgs = append(p.orgs, org)
		}
	}
	p.orgs = append(p.orgs, "Länsstyrelsen i "+strings.TrimSuffix(county, " län"), "Hushållningssällskapet")
	h := &Host{
		Base: strings.TrimRight(cfg.Base(i), "/"),
		Cluster: kg.Cluster{
			ID:          slug(name),
			Name:        name,
			Aliases:     []string{strings.TrimSuffix(place, "s")},
			County:      county,
			Town:        town,
			Description: fmt.Sprintf("%s samlar företag i %s kring %s och %s.", name, county, strings.ToLower(p.focus[0].SV), strings.ToLower(p.focus[1].SV)),
		},
		Resources:  map[string]Resource{},
		Disallowed: []string{"/sok/", "/intern/"},
		Broken:     []string{"/gammal-sida/"},
	}
	h.Cluster.Sites = []string{h.Base + "/"}
	g := &textGen{rnd: rnd, cluster: name, county: county, focus: p.focus, all: cfg.Topics, orgs: p.orgs, people: p.people}
	used := map[string]bool{}
	unique := func(prefix, suffix string) item {
		for {
			t := g.title()
			path := prefix + slug(t) + suffix
			if !used[path] {
				used[path] = true
				return item{title: t, path: path}
			}
		}
	}
	nNews, nProjects, nEvents, nReports, nExtras := splitBudget(n)
	base := time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)
	for range nNews {
		it := unique("/nyheter/", "/")
		it.date = base.AddDate(0, 0, rnd.IntN(3*365))
		p.news = append(p.news, it)
	}
	for range nProjects {
		it := unique("/projekt/", "/")
		it.title = "Projektet " + it.title
		it.date = base.AddDate(0, 0, rnd.IntN(2*365))
		p.projects = append(p.projects, it)
	}
	for range nEvents {
		it := unique("/kalender/", "/")
		it.date = base.AddDate(1, 0, rnd.IntN(3*365)).Add(time.Duration(8+rnd.IntN(8)) * time.Hour)
		p.events = append(p.events, it)
	}
	for range nReports {
		it := unique("/rapporter/", ".pdf")
		it.title = "Rapport: " + it.title
		it.date = base.AddDate(0, 0, rnd.IntN(3*365))
		p.reports = append(p.reports, it)
	}
	extraNames := []string{"Styrelse", "Stadgar", "Medlemskap", "Historia", "Verksamhetsplan", "Årsberättelse", "Partner", "Press"}
	for k := range nExtras {
		t := extraNames[k%len(extraNames)]
		if k >= len(extraNames) {
			t += fmt.Sprintf(" del %s", swedishMonths[(k/len(extraNames))%12])
		}
		p.extras = append(p.extras, item{title: t, path: "/om-oss/" + slug(t) + "/", date: base})
	}
	newestFirst := func(a, b item) int { return b.date.Compare(a.date) }
	slices.SortStableFunc(p.news, newestFirst)
	slices.SortStableFunc(p.reports, newestFirst)
	slices.SortStableFunc(p.projects, newestFirst)
	slices.SortStableFunc(p.events, func(a, b item) int { return a.date.Compare(b.date) })
	return h, p
}

// esc escapes text for HTML.
func esc(s string) string { return html.EscapeString(s) }

// layout wraps main content in the site's head, navigation and footer.
func layout(h *Host, title, main string) []byte {
	var b strings.Builder
	c := h.Cluster
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s | %s</title>
<meta property="og:site_name" content="%s">
<link rel="alternate" type="application/rss+xml" title="Nyheter" href="/nyheter/feed.xml">
<style>body{font-family:sans-serif;margin:0 auto;max-width:60rem}header,footer{padding:1rem;background:#eef4ea}nav ul{display:flex;gap:1rem;list-style:none}</style>
</head>
<body>
<div class="cookie-banner" role="dialog" aria-label="Kakor"><p>Vi använder kakor för att webbplatsen ska fungera och för anonym besöksstatistik.</p><button type="button">Godkänn</button></div>
<header>
<a class="logo" href="/">%s</a>
<nav aria-label="Huvudmeny"><ul>
<li><a href="/">Start</a></li><li><a href="/om-oss/">Om oss</a></li><li><a href="/nyheter/">Nyheter</a></li>
<li><a href="/projekt/">Projekt</a></li><li><a href="/kalender/">Kalender</a></li><li><a href="/rapporter/">Rapporter</a></li>
<li><a href="/medarbetare/">Medarbetare</a></li><li><a href="/kontakt/">Kontakt</a></li>
</ul></nav>
<p class="search"><a href="/sok/?q=%s">Sök på webbplatsen</a> · <a href="/intern/">Medlemsinloggning</a></p>
</header>
`, esc(title), esc(c.Name), esc(c.Name), esc(c.Name), url.QueryEscape(strings.ToLower(c.Aliases[0])))
	b.WriteString(main)
	fmt.Fprintf(&b, `
<footer>
<p><strong>%s ekonomisk förening</strong></p>
<p>Kansliet, Storgatan 4, %s · %s</p>
<p><a href="/kontakt/">Kontakta oss</a> · <a href="/nyheter/feed.xml">Prenumerera på nyheter</a> · <a href="/kalender.ics">Kalender (iCal)</a></p>
</footer>
</body>
</html>
`, esc(c.Name), esc(c.Town), esc(c.County))
	return []byte(b.String())
}

// put stores a resource of host h.
func put(h *Host, path, kind, ctype string, modified time.Time, body []byte) {
	h.Resources[path] = Resource{Body: body, ContentType: ctype, Kind: kind, Modified: modified}
}

// putPage stores an HTML page.
func putPage(h *Host, path, title string, modified time.Time, main string) {
	put(h, path, KindHTML, "text/html; charset=utf-8", modified, layout(h, title, main))
}

// listing renders the pages of a list of items at prefix: prefix itself
// and prefix+"sida/N/" for the next ones, each linking to every other.
func listing(h *Host, prefix, heading, intro string, items []item, entry func(it item) string) {
	pages := max(1, (len(items)+perPage-1)/perPage)
	for n := range pages {
		path := prefix
		if n > 0 {
			path = fmt.Sprintf("%ssida/%d/", prefix, n+1)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "<main id=\"innehall\">\n<h1>%s</h1>\n<p class=\"ingress\">%s</p>\n<ul class=\"lista\">\n", esc(heading), esc(intro))
		for _, it := range items[n*perPage : min(len(items), (n+1)*perPage)] {
			fmt.Fprintf(&b, "<li>%s</li>\n", entry(it))
		}
		b.WriteString("</ul>\n<nav class=\"sidor\" aria-label=\"Sidor\">")
		for k := range pages {
			target := prefix
			if k > 0 {
				target = fmt.Sprintf("%ssida/%d/", prefix, k+1)
			}
			fmt.Fprintf(&b, ` <a href="%s">%d</a>`, target, k+1)
		}
		b.WriteString("</nav>\n</main>")
		putPage(h, path, heading, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), b.String())
	}
}

// renderHost renders every resource of host i.
func renderHost(w *Web, plans []*plan, i int, h *Host, topics []kg.Topic, rnd *rand.Rand) {
	p := plans[i]
	c := h.Cluster
	g := &textGen{rnd: rnd, cluster: c.Name, county: c.County, focus: p.focus, all: topics, orgs: p.orgs, people: p.people}
	para := func(n int) string { return "<p>" + esc(g.paragraph(n)) + "</p>\n" }
	other := func() int { // another host, or this one when it is alone
		if len(plans) == 1 {
			return i
		}
		return (i + 1 + rnd.IntN(len(plans)-1)) % len(plans)
	}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

	// Home.
	var home strings.Builder
	fmt.Fprintf(&home, "<main id=\"innehall\">\n<h1>Välkommen till %s</h1>\n%s", esc(c.Name), para(4))
	home.WriteString("<h2>Senaste nytt</h2>\n<ul>\n")
	for _, it := range p.news[:min(8, len(p.news))] {
		fmt.Fprintf(&home, "<li><a href=\"%s\">%s</a> <span class=\"datum\">%s</span></li>\n", it.path, esc(it.title), swedishDate(it.date))
	}
	home.WriteString("</ul>\n<p><a href=\"/nyheter/\">Fler nyheter</a></p>\n<h2>På gång</h2>\n<ul>\n")
	for _, it := range p.events[:min(5, len(p.events))] {
		fmt.Fprintf(&home, "<li><a href=\"%s\">%s</a>, %s</li>\n", it.path, esc(it.title), swedishDate(it.date))
	}
	home.WriteString("</ul>\n<h2>Samarbeten</h2>\n<p>Vi utbyter erfarenheter med gröna kluster i andra delar av landet:")
	for k := 1; k <= min(3, len(w.Hosts)-1); k++ {
		o := w.Hosts[(i+k)%len(w.Hosts)]
		fmt.Fprintf(&home, " <a href=\"%s/\">%s</a>", o.Base, esc(o.Cluster.Name))
	}
	home.WriteString(".</p>\n</main>")
	putPage(h, "/", "Start", now, home.String())

	// About, its extra pages, and the broken link.
	var about strings.Builder
	fmt.Fprintf(&about, "<main id=\"innehall\">\n<h1>Om %s</h1>\n<p class=\"ingress\">%s</p>\n%s%s<h2>Mer om oss</h2>\n<ul>\n", esc(c.Name), esc(c.Description), para(5), para(4))
	for _, it := range p.extras {
		fmt.Fprintf(&about, "<li><a href=\"%s\">%s</a></li>\n", it.path, esc(it.title))
	}
	fmt.Fprintf(&about, "<li><a href=\"%s\">Vårt gamla program (arkiv)</a></li>\n</ul>\n</main>", h.Broken[0])
	putPage(h, "/om-oss/", "Om oss", now, about.String())
	for _, it := range p.extras {
		putPage(h, it.path, it.title, it.date, "<main id=\"innehall\">\n<h1>"+esc(it.title)+"</h1>\n"+para(5)+para(3)+"</main>")
	}

	// Staff and contact.
	var staff strings.Builder
	staff.WriteString("<main id=\"innehall\">\n<h1>Medarbetare</h1>\n<div class=\"staff\">\n")
	mail := func(person string) string { return slug(person) + "@" + c.ID + ".example" }
	for k, person := range p.people[:8] {
		role := roles[k%len(roles)]
		fmt.Fprintf(&staff, "<div class=\"person\"><h2>%s</h2><p class=\"role\">%s</p><p>Telefon 010-%03d %02d %02d<br><a href=\"mailto:%s\">%s</a></p></div>\n",
			esc(person), role, 100+i, k, 10+k, mail(person), mail(person))
	}
	staff.WriteString("</div>\n</main>")
	putPage(h, "/medarbetare/", "Medarbetare", now, staff.String())
	putPage(h, "/kontakt/", "Kontakt", now, fmt.Sprintf(
		"<main id=\"innehall\">\n<h1>Kontakta oss</h1>\n<p>Kansliet finns på Storgatan 4 i %s. Vi nås på telefon 010-%03d 00 00 vardagar kl. 8–16.</p>\n"+
			"<p>Verksamhetsledare: %s, <a href=\"mailto:%s\">%s</a></p>\n<p>Ordförande: %s</p>\n<p><a href=\"/medarbetare/\">Alla medarbetare</a></p>\n</main>",
		esc(c.Town), 100+i, esc(p.people[0]), mail(p.people[0]), mail(p.people[0]), esc(p.people[9])))

	// News.
	listing(h, "/nyheter/", "Nyheter", "Aktuellt från "+c.Name+".", p.news, func(it item) string {
		return fmt.Sprintf(`<a href="%s">%s</a> <span class="datum">%s</span>`, it.path, esc(it.title), swedishDate(it.date))
	})
	for k, it := range p.news {
		var b strings.Builder
		fmt.Fprintf(&b, "<main id=\"innehall\">\n<article>\n<h1>%s</h1>\n<p class=\"datum\">Publicerad %s</p>\n<p class=\"ingress\">%s</p>\n%s%s%s",
			esc(it.title), swedishDate(it.date), esc(g.paragraph(2)), para(4), para(5), para(3))
		if len(p.projects) > 0 {
			pr := p.projects[k%len(p.projects)]
			fmt.Fprintf(&b, "<p>Läs mer om <a href=\"%s\">%s</a>.</p>\n", pr.path, esc(pr.title))
		}
		if rnd.IntN(5) == 0 {
			o := w.Hosts[other()]
			fmt.Fprintf(&b, "<p>Arbetet sker i samverkan med <a href=\"%s/\">%s</a>.</p>\n", o.Base, esc(o.Cluster.Name))
		}
		b.WriteString("</article>\n</main>")
		putPage(h, it.path, it.title, it.date, b.String())
	}

	// Projects.
	listing(h, "/projekt/", "Projekt", "Pågående och avslutade projekt.", p.projects, func(it item) string {
		return fmt.Sprintf(`<a href="%s">%s</a>`, it.path, esc(it.title))
	})
	for k, it := range p.projects {
		start := it.date
		end := start.AddDate(1+rnd.IntN(3), 0, -1)
		stake := []string{p.orgs[k%8], p.orgs[(k+1+rnd.IntN(7))%8], "Hushållningssällskapet"}
		var b strings.Builder
		fmt.Fprintf(&b, "<main id=\"innehall\">\n<h1>%s</h1>\n<p class=\"ingress\">%s</p>\n<div class=\"faktaruta\">\n", esc(it.title), esc(g.paragraph(2)))
		fmt.Fprintf(&b, "<p>Projektnamn: %s</p>\n<p>Projektägare: %s</p>\n<p>Projektledare: %s</p>\n<p>Finansiärer: %s och %s</p>\n<p>Intressenter: %s</p>\n<p>Projekttid: %s – %s</p>\n</div>\n",
			esc(strings.TrimPrefix(it.title, "Projektet ")), esc(c.Name), esc(p.people[1+k%4]), funders[rnd.IntN(len(funders))],
			esc(regionName(c.County)), esc(strings.Join(stake, ", ")), start.Format("2006-01-02"), end.Format("2006-01-02"))
		fmt.Fprintf(&b, "<h2>Bakgrund</h2>\n%s<h2>Mål</h2>\n%s", para(5), para(4))
		if len(p.reports) > 0 {
			rp := p.reports[k%len(p.reports)]
			fmt.Fprintf(&b, "<p>Ladda ner <a href=\"%s\">%s (PDF)</a>.</p>\n", rp.path, esc(rp.title))
		}
		if k%3 == 0 {
			j := other()
			if o := plans[j]; len(o.reports) > 0 {
				rp := o.reports[rnd.IntN(len(o.reports))]
				fmt.Fprintf(&b, "<p>Se även partnerns rapport <a href=\"%s%s\">%s</a> från %s.</p>\n", w.Hosts[j].Base, rp.path, esc(rp.title), esc(w.Hosts[j].Cluster.Name))
			}
			if o := plans[j]; len(o.projects) > 0 {
				op := o.projects[rnd.IntN(len(o.projects))]
				fmt.Fprintf(&b, "<p>Ett liknande projekt drivs av <a href=\"%s%s\">%s</a>.</p>\n", w.Hosts[j].Base, op.path, esc(w.Hosts[j].Cluster.Name))
			}
		}
		b.WriteString("</main>")
		putPage(h, it.path, it.title, it.date, b.String())
	}

	// Events and the calendar file.
	listing(h, "/kalender/", "Kalender", "Kommande träffar, seminarier och studiebesök.", p.events, func(it item) string {
		return fmt.Sprintf(`<a href="%s">%s</a>, %s`, it.path, esc(it.title), swedishDate(it.date))
	})
	var ics strings.Builder
	ics.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//" + c.Name + "//Kalender//SV\r\n")
	for k, it := range p.events {
		place := fmt.Sprintf("%s bygdegård, %s", towns[(i+k)%len(towns)], towns[(i+k)%len(towns)])
		endHour := it.date.Add(time.Duration(2+rnd.IntN(5)) * time.Hour)
		var b strings.Builder
		fmt.Fprintf(&b, "<main id=\"innehall\">\n<article class=\"event\">\n<h1>%s</h1>\n<p>Datum: %s kl. %s–%s</p>\n<p>Plats: %s</p>\n<p>Arrangör: %s och %s</p>\n<p>Sista anmälningsdag: %s</p>\n%s%s",
			esc(it.title), swedishDate(it.date), it.date.Format("15.04"), endHour.Format("15.04"), esc(place), esc(c.Name), esc(p.orgs[k%len(p.orgs)]),
			swedishDate(it.date.AddDate(0, 0, -7)), para(4), para(3))
		b.WriteString("<p><a href=\"/kalender.ics\">Lägg till i din kalender</a></p>\n</article>\n</main>")
		putPage(h, it.path, it.title, it.date.AddDate(0, -1, 0), b.String())
		fmt.Fprintf(&ics, "BEGIN:VEVENT\r\nUID:%s%s\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:%s\r\nDTEND:%s\r\nSUMMARY:%s\r\nLOCATION:%s\r\nURL:%s%s\r\nEND:VEVENT\r\n",
			slug(c.Name), it.path, it.date.Format("20060102T150405Z"), endHour.Format("20060102T150405Z"), icalText(it.title), icalText(place), h.Base, it.path)
	}
	ics.WriteString("END:VCALENDAR\r\n")
	put(h, "/kalender.ics", KindICal, "text/calendar; charset=utf-8", now, []byte(ics.String()))

	// Reports.
	listing(h, "/rapporter/", "Rapporter", "Rapporter och förstudier att ladda ner.", p.reports, func(it item) string {
		return fmt.Sprintf(`<a href="%s">%s</a> (PDF, %s)`, it.path, esc(it.title), swedishDate(it.date))
	})
	for _, it := range p.reports {
		var lines []string
		for range 3 + rnd.IntN(4) {
			lines = append(lines, wrap(g.paragraph(4), 90)...)
			lines = append(lines, "")
		}
		doc := pdfwrite.Doc{Title: it.title, Author: c.Name, Producer: "crawlweb", Date: it.date, Lines: append([]string{it.title, ""}, lines...)}
		put(h, it.path, KindPDF, "application/pdf", it.date, doc.Bytes())
	}

	// Feed, sitemap and robots.txt.
	var feed strings.Builder
	fmt.Fprintf(&feed, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>%s</title><link>%s/</link><description>Nyheter</description>\n", esc(c.Name), h.Base)
	for _, it := range p.news[:min(20, len(p.news))] {
		fmt.Fprintf(&feed, "<item><title>%s</title><link>%s%s</link><pubDate>%s</pubDate></item>\n", esc(it.title), h.Base, it.path, it.date.Format(time.RFC1123Z))
	}
	feed.WriteString("</channel></rss>\n")
	put(h, "/nyheter/feed.xml", KindFeed, "application/rss+xml; charset=utf-8", now, []byte(feed.String()))

	var paths []string
	for path, r := range h.Resources {
		if r.Kind == KindHTML {
			paths = append(paths, path)
		}
	}
	slices.Sort(paths)
	var sm strings.Builder
	sm.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for _, path := range paths {
		fmt.Fprintf(&sm, "<url><loc>%s%s</loc><lastmod>%s</lastmod></url>\n", h.Base, path, h.Resources[path].Modified.Format("2006-01-02"))
	}
	sm.WriteString("</urlset>\n")
	put(h, "/sitemap.xml", KindSitemap, "application/xml", now, []byte(sm.String()))
	var robots strings.Builder
	robots.WriteString("User-agent: *\n")
	for _, d := range h.Disallowed {
		robots.WriteString("Disallow: " + d + "\n")
	}
	fmt.Fprintf(&robots, "\nSitemap: %s/sitemap.xml\n", h.Base)
	put(h, "/robots.txt", KindRobots, "text/plain; charset=utf-8", now, []byte(robots.String()))
}

// icalText escapes a value for an iCalendar text property.
func icalText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// wrap breaks s into lines of at most width bytes at spaces.
func wrap(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, word := range strings.Fields(s) {
		if cur.Len() > 0 && cur.Len()+1+len(word) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(word)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
