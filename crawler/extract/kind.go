package extract

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// KindNewsletter is the kind of a newsletter issue or archive
// (nyhetsbrev): a cluster's own digest of its news, events and calls,
// often a PDF or a page on a mailing service.
const KindNewsletter = kg.KindLetter

// newsletterTitle matches the titles of newsletter issues: "Nyhetsbrev
// mars 2024", "Nyhetsbrev nr 3", "Månadsbrev", "Newsletter".
var newsletterTitle = regexp.MustCompile(`(?i)^\s*(\pL+\s+)?(nyhetsbrev|månadsbrev|medlemsbrev|veckobrev|newsletter)\b`)

// newsletterHosts are the hosts of mailing services whose pages are
// newsletter issues.
var newsletterHosts = []string{"campaign-archive.com", "mailchi.mp", "ymlp.com", "anpdm.com", "paloma.se", "mailchimp.com"}

// isNewsletter reports whether a document is a newsletter issue or
// archive: its path, its title or the mailing service it is on says so.
func isNewsletter(u *url.URL, title string) bool {
	if newsletterTitle.MatchString(title) {
		return true
	}
	host := strings.ToLower(u.Hostname())
	for _, h := range newsletterHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	if strings.HasPrefix(host, "nyhetsbrev.") || strings.HasPrefix(host, "newsletter.") {
		return true
	}
	// A file named for it: "/uploads/2024/03/Nyhetsbrev-mars-2024.pdf".
	last := strings.ToLower(u.Path[strings.LastIndexByte(u.Path, '/')+1:])
	if strings.HasPrefix(last, "nyhetsbrev") || strings.HasPrefix(last, "newsletter") {
		return true
	}
	k, sure := urlKind(u)
	return k == KindNewsletter && sure
}

// ldTypeKind maps a schema.org type to a document kind; "article" marks
// the generic article types, which suggest news only when nothing else
// decides.
func ldTypeKind(t string) string {
	t = strings.TrimPrefix(strings.TrimPrefix(t, "http://schema.org/"), "https://schema.org/")
	switch {
	case t == "NewsArticle" || t == "BlogPosting" || t == "ReportageNewsArticle" || t == "AnalysisNewsArticle":
		return kg.KindNews
	case t == "Article" || t == "SocialMediaPosting":
		return "article"
	case t == "Event" || strings.HasSuffix(t, "Event") && t != "Event":
		return kg.KindEvent
	case t == "AboutPage":
		return kg.KindAbout
	case t == "ContactPage":
		return kg.KindContact
	case t == "Report" || t == "ScholarlyArticle" || t == "Thesis":
		return kg.KindReport
	case t == "ResearchProject" || t == "Project" || t == "FundingScheme":
		return kg.KindProject
	}
	return ""
}

// pathKinds maps whole URL path segments to kinds.
var pathKinds = map[string]string{
	"om": kg.KindAbout, "om-oss": kg.KindAbout, "omoss": kg.KindAbout, "about": kg.KindAbout,
	"about-us": kg.KindAbout, "historik": kg.KindAbout, "history": kg.KindAbout,
	"vilka-vi-ar": kg.KindAbout, "var-verksamhet": kg.KindAbout, "verksamhet": kg.KindAbout,
	"organisation": kg.KindAbout, "uppdrag": kg.KindAbout, "vart-uppdrag": kg.KindAbout,
	"vision": kg.KindAbout, "om-klustret": kg.KindAbout, "who-we-are": kg.KindAbout,

	"nyheter": kg.KindNews, "nyhet": kg.KindNews, "aktuellt": kg.KindNews, "news": kg.KindNews,
	"nyhetsarkiv": kg.KindNews, "pressmeddelanden": kg.KindNews, "press": kg.KindNews,
	"blogg": kg.KindNews, "blog": kg.KindNews, "artiklar": kg.KindNews, "artikel": kg.KindNews,
	"nyheterochartiklar": kg.KindNews, "aktuellt-och-nyheter": kg.KindNews,
	"inlagg": kg.KindNews, "posts": kg.KindNews,

	"kalender": kg.KindEvent, "kalendarium": kg.KindEvent, "evenemang": kg.KindEvent,
	"event": kg.KindEvent, "events": kg.KindEvent, "aktiviteter": kg.KindEvent,
	"seminarier": kg.KindEvent, "seminarium": kg.KindEvent, "webbinarier": kg.KindEvent,
	"webbinarium": kg.KindEvent, "kurser": kg.KindEvent, "traffar": kg.KindEvent,
	"moten": kg.KindEvent, "calendar": kg.KindEvent,

	"projekt": kg.KindProject, "project": kg.KindProject, "projects": kg.KindProject,
	"nprojekt": kg.KindProject, "vara-projekt": kg.KindProject, "pagaende-projekt": kg.KindProject,
	"avslutade-projekt": kg.KindProject, "projektportfolj": kg.KindProject, "satsningar": kg.KindProject,

	"rapporter": kg.KindReport, "rapport": kg.KindReport, "publikationer": kg.KindReport,
	"publikation": kg.KindReport, "publications": kg.KindReport, "reports": kg.KindReport,
	"report": kg.KindReport, "dokument": kg.KindReport, "forstudier": kg.KindReport,
	"skrifter": kg.KindReport,

	"nyhetsbrev": KindNewsletter, "newsletter": KindNewsletter, "newsletters": KindNewsletter,
	"nyhetsbrevsarkiv": KindNewsletter, "manadsbrev": KindNewsletter, "medlemsbrev": KindNewsletter,

	"kontakt": kg.KindContact, "kontakta-oss": kg.KindContact, "kontakt-oss": kg.KindContact,
	"contact": kg.KindContact, "contact-us": kg.KindContact, "medarbetare": kg.KindContact,
	"personal": kg.KindContact, "staff": kg.KindContact, "team": kg.KindContact,
	"vart-team": kg.KindContact, "styrelse": kg.KindContact, "styrelsen": kg.KindContact,
	"kontaktpersoner": kg.KindContact, "people": kg.KindContact, "medarbetarna": kg.KindContact,
}

// dirKinds are fragments of directory names (not the last segment, which
// may be a slug of any title) that name a kind.
var dirKinds = []struct{ frag, kind string }{
	{"nyhetsbrev", KindNewsletter}, {"newsletter", KindNewsletter},
	{"nyhet", kg.KindNews}, {"aktuellt", kg.KindNews}, {"news", kg.KindNews},
	{"kalend", kg.KindEvent}, {"evenemang", kg.KindEvent}, {"event", kg.KindEvent},
	{"projekt", kg.KindProject}, {"project", kg.KindProject},
	{"rapport", kg.KindReport}, {"publikation", kg.KindReport},
	{"kontakt", kg.KindContact}, {"medarbetare", kg.KindContact},
}

// datePath matches the /2024/03/ directories of dated posts.
var datePath = regexp.MustCompile(`/(19|20)\d\d/(0?[1-9]|1[0-2])/`)

// foldSwedish writes å, ä, ö and é as the ASCII letters of URL slugs.
var foldSwedish = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e")

// urlKind returns the kind the URL path names, from its deepest segment
// that names one, and whether the path is sure of it. A last segment
// ("/kontakt/") is sure; a directory is sure for projects, events,
// reports and contacts ("/projekt/biogas-i-lanet/"), but news and about
// directories hold pages of every kind, and dated paths ("/2024/03/") are
// only likely news. "" if the path names no kind.
func urlKind(u *url.URL) (kind string, sure bool) {
	path := strings.ToLower(u.Path)
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	path = foldSwedish.Replace(path)
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	weak := ""
	for i := len(segs) - 1; i >= 0; i-- {
		seg := segs[i]
		if j := strings.IndexAny(seg, ".?;"); j > 0 {
			seg = seg[:j] // "nyhetsarkiv.html", "x.5.abc.html"
		}
		last := i == len(segs)-1
		k, ok := pathKinds[seg]
		if !ok && !last {
			for _, d := range dirKinds {
				if strings.Contains(seg, d.frag) {
					k, ok = d.kind, true
					break
				}
			}
		}
		if !ok {
			continue
		}
		if last || (k != kg.KindNews && k != kg.KindAbout) {
			return k, true
		}
		if weak == "" {
			weak = k
		}
	}
	if weak == "" && datePath.MatchString(path) {
		weak = kg.KindNews
	}
	return weak, false
}

// Content signals.
var (
	emailRE = regexp.MustCompile(`[\p{L}0-9._%+-]+@[\p{L}0-9.-]+\.[a-z]{2,}|[\p{L}0-9._%+-]+\s?(\(at\)|\[at\])\s?[\p{L}0-9.-]+\.[a-z]{2,}`)
	phoneRE = regexp.MustCompile(`(\+46|0)\s?\d{1,3}[\s-]?\d{2,3}[\s-]?\d{2}[\s-]?\d{2}\b|(\+46|0)\d{1,3}-\d{5,8}\b`)
	// roleRE finds job titles of people on contact pages.
	roleRE = regexp.MustCompile(`(?i)\b(verksamhetsledare|projektledare|vd|koordinator|samordnare|rådgivare|` +
		`innovationsrådgivare|affärsutvecklare|kommunikatör|ordförande|processledare|handläggare|` +
		`ekonom|chef|projektmedarbetare|ledamot|sekreterare|coordinator|manager|director|ceo|advisor)\b`)
	// projectFields are labels of the fact box on a project page.
	projectFields = newStartRegexp(`(?i)\b(projektnamn|projektägare|projekttid|projektperiod|`+
		`finansiär(er)?|medfinansiär(er)?|finansieras av|projektbudget|total budget|projektpartner|`+
		`projektets mål|project owner|project period|funded by)\b`,
		atWordStart("proje", "finansi", "medfinansi", "total budget", "funded by"))
	// eventWords are what an event page says beside its time.
	eventWords = regexp.MustCompile(`(?i)\b(anmälan|anmäl dig|anmälningsdag|sista dag att anmäla|plats:|plats|` +
		`lokal:|registrering|registration|register|venue|location)\b`)
)

// contentKind returns the kind the text shows, or "": a project fact box,
// an event (a time and a place or a sign-up), or a contact list (e-mail
// addresses and phone numbers beside job titles).
func contentKind(text string, timed bool) string {
	fields := map[string]bool{}
	for _, m := range projectFields.findAll(text, -1) {
		fields[strings.ToLower(m)] = true
	}
	if len(fields) >= 2 {
		return kg.KindProject
	}
	if timed && eventWords.MatchString(text) {
		return kg.KindEvent
	}
	contacts := len(emailRE.FindAllStringIndex(text, 50)) + len(phoneRE.FindAllStringIndex(text, 50))
	roles := len(roleRE.FindAllStringIndex(text, 50))
	if contacts >= 3 && roles >= 2 {
		return kg.KindContact
	}
	return ""
}

// decideKind chooses a document's kind from its signals, strongest first:
// an iCalendar feed is events; a newsletter (by its path, title or mailing
// service, whatever its format) is a newsletter; the format (a PDF is a
// report, a feed is news), a specific JSON-LD type, a URL path sure of a
// kind other than news, the content (project fact box, event, contact
// list), what the path suggests, an article type, and for a site's front
// page "about".
func decideKind(p parsed, u *url.URL, content string) string {
	if p.kind == kg.KindEvent {
		return p.kind
	}
	if isNewsletter(u, p.title) {
		return KindNewsletter
	}
	if p.kind != "" {
		return p.kind
	}
	if p.ldKind != "" {
		return p.ldKind
	}
	uk, sure := urlKind(u)
	if sure && uk != kg.KindNews {
		return uk
	}
	if content != "" {
		return content
	}
	if uk != "" {
		return uk
	}
	if p.ldArticle {
		return kg.KindNews
	}
	if u.Path == "" || u.Path == "/" {
		return kg.KindAbout
	}
	return kg.KindOther
}
