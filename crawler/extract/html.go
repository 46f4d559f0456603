package extract

import (
	"encoding/json"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// parsed is what a format-specific reader makes of a body, before the
// format-independent decisions (kind, language, date, attribution).
type parsed struct {
	title     string
	text      string
	lang      string    // language the document declares, as written; "" if none
	canonical string    // canonical URL as written; "" if none
	kind      string    // kind the format itself decides (a PDF is a report); "" if none
	ldKind    string    // kind from schema.org JSON-LD types; "" if none
	ldArticle bool      // JSON-LD or Open Graph says "article"
	published time.Time // stated publication date
	start     time.Time // stated start of an event
	timeAttr  time.Time // first <time datetime> in the main content

	events       []kg.Event // events the format states (JSON-LD, iCalendar)
	registration string     // the page's registration link ("Anmäl dig"), absolute or as written
	items        int        // feed items read, for a feed
}

// dropTags are elements whose content is never main text.
var dropTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true, atom.Aside: true,
	atom.Form: true, atom.Iframe: true, atom.Svg: true, atom.Template: true, atom.Button: true,
	atom.Select: true, atom.Textarea: true, atom.Input: true, atom.Object: true, atom.Embed: true,
	atom.Canvas: true, atom.Head: true, atom.Dialog: true, atom.Footer: true, atom.Math: true,
	atom.Audio: true, atom.Video: true, atom.Picture: true, atom.Map: true,
}

// dropRoles are ARIA roles of page furniture.
var dropRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true, "search": true,
	"dialog": true, "alertdialog": true, "menu": true, "menubar": true, "toolbar": true, "tablist": true,
}

// dropWords are id and class words (split at - and _) of page furniture:
// menus, footers, cookie banners, breadcrumbs, share buttons, sidebars.
var dropWords = map[string]bool{
	"nav": true, "navbar": true, "navigation": true, "navigering": true, "menu": true, "meny": true,
	"menus": true, "submenu": true, "megamenu": true, "menubar": true, "footer": true, "sidfot": true,
	"breadcrumb": true, "breadcrumbs": true, "brodsmulor": true, "crumbs": true, "share": true,
	"sharing": true, "social": true, "socials": true, "dela": true, "sidebar": true, "sidopanel": true,
	"cookie": true, "cookies": true, "consent": true, "gdpr": true, "skip": true, "skiplink": true,
	"pagination": true, "related": true, "topbar": true, "toolbar": true, "masthead": true,
	"offcanvas": true, "hamburger": true, "sharebar": true, "someicons": true,
}

// dropNames are whole id or class names of page furniture whose words
// alone are too common to drop by.
var dropNames = map[string]bool{
	"site-header": true, "siteheader": true, "global-header": true, "main-header": true,
	"header-top": true, "top-header": true, "top-bar": true, "topp-meny": true, "site-footer": true, "page-footer": true,
	"site-navigation": true, "widget-area": true,
}

// dropFragments are substrings of id or class names that always mark page
// furniture (consent managers have many spellings).
var dropFragments = []string{"cookie", "consent", "gdpr", "breadcrumb", "onetrust", "cmplz", "cky-",
	"borlabs", "cookiebot", "navbar", "sharing", "socialmedia", "social-media", "some-links"}

// dropLabels are fragments of aria-label values of page furniture.
var dropLabels = []string{"meny", "menu", "navigering", "navigation", "brödsmul", "breadcrumb",
	"cookie", "sidfot", "footer", "dela ", "share", "social", "sociala medier"}

// blockTags end a line of text before and after them.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Blockquote: true, atom.Dd: true, atom.Details: true,
	atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true,
	atom.Figure: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Header: true, atom.Hr: true, atom.Li: true, atom.Main: true, atom.Ol: true,
	atom.P: true, atom.Pre: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Tr: true, atom.Ul: true, atom.Caption: true, atom.Body: true,
}

// cellSep separates the cells of a table row in the text.
const cellSep = " | "

// prevCell reports whether a table cell follows another in a row of
// three or more cells (a two-cell row reads as "label value").
func prevCell(n *html.Node) bool {
	if n.Parent == nil {
		return false
	}
	cells, before := 0, false
	for c := n.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
			cells++
			if c != n && cells == 1 {
				before = true
			}
		}
	}
	return before && cells >= 3
}

// minRootText is how many characters a <main> or <article> must hold to be
// preferred to the whole body.
const minRootText = 100

// parseHTML reads an HTML page: metadata, JSON-LD and main text.
func parseHTML(src string) parsed {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return parsed{}
	}
	var p parsed
	var (
		body           *html.Node
		main           *html.Node
		articles       []*html.Node
		h1Clean, h1Any string
		ogTitle        string
	)
	var walk func(n *html.Node, furniture, inSVG bool, articleDepth int)
	walk = func(n *html.Node, furniture, inSVG bool, articleDepth int) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				if v := attr(n, "lang"); v != "" && p.lang == "" {
					p.lang = v
				}
			case atom.Body:
				body = n
			case atom.Title:
				if !inSVG && p.title == "" {
					p.title = nodeText(n)
				}
			case atom.Meta:
				readMeta(n, &p, &ogTitle)
			case atom.Link:
				if hasToken(attr(n, "rel"), "canonical") && p.canonical == "" {
					p.canonical = strings.TrimSpace(attr(n, "href"))
				}
			case atom.Script:
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
					readLinkedData(nodeText(n), &p)
				}
				return
			case atom.Svg:
				inSVG = true
			case atom.H1:
				t := nodeText(n)
				if t != "" {
					if h1Any == "" {
						h1Any = t
					}
					if !furniture && h1Clean == "" {
						h1Clean = t
					}
				}
			case atom.Main:
				if !furniture && main == nil {
					main = n
				}
			case atom.A:
				if p.registration == "" && !furniture && isRegistrationLink(nodeText(n)) {
					p.registration = strings.TrimSpace(attr(n, "href"))
				}
			case atom.Article:
				if !furniture && articleDepth == 0 {
					articles = append(articles, n)
				}
				articleDepth++
			}
			if !furniture && attr(n, "role") == "main" && main == nil {
				main = n
			}
			if !furniture && isFurniture(n, articleDepth > 0) {
				furniture = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, furniture, inSVG, articleDepth)
		}
	}
	walk(doc, false, false, 0)

	if ogTitle != "" {
		p.title = ogTitle // the page's own title, usually without the site name
	}
	root := body
	switch {
	case main != nil:
		root = main
	case len(articles) == 1:
		root = articles[0]
	}
	if root == nil {
		root = doc
	}
	tw := &textWriter{}
	tw.walk(root, true, root.DataAtom == atom.Article)
	p.text = tw.String()
	p.timeAttr = tw.time
	if root != body && body != nil && len([]rune(p.text)) < minRootText {
		bw := &textWriter{}
		bw.walk(body, true, false)
		if t := bw.String(); len(t) > len(p.text) {
			p.text, p.timeAttr = t, bw.time
		}
	}
	h1 := h1Clean
	if h1 == "" {
		h1 = h1Any
	}
	p.title = chooseTitle(p.title, h1)
	return p
}

// readMeta records the <meta> tags extraction uses.
func readMeta(n *html.Node, p *parsed, ogTitle *string) {
	key := strings.ToLower(attr(n, "property"))
	if key == "" {
		key = strings.ToLower(attr(n, "name"))
	}
	content := strings.TrimSpace(attr(n, "content"))
	switch key {
	case "og:title":
		if *ogTitle == "" {
			*ogTitle = collapse(content)
		}
	case "og:type":
		if strings.EqualFold(content, "article") {
			p.ldArticle = true
		}
	case "article:published_time", "datepublished", "dc.date", "dc.date.issued", "dcterms.date":
		if t, ok := parseMachineDate(content); ok && p.published.IsZero() {
			p.published = t
		}
	}
}

// isFurniture reports whether element n is page furniture rather than
// content: menus, headers and footers, cookie banners, breadcrumbs, share
// buttons, sidebars, hidden elements. A <header> inside an article is the
// article's own and is kept.
func isFurniture(n *html.Node, inArticle bool) bool {
	if dropTags[n.DataAtom] {
		return true
	}
	switch n.DataAtom {
	case atom.Header:
		return !inArticle
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return false
	}
	if _, ok := attrOK(n, "hidden"); ok {
		return true
	}
	if strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	if style := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", "")); strings.Contains(style, "display:none") ||
		strings.Contains(style, "visibility:hidden") {
		return true
	}
	if dropRoles[strings.ToLower(strings.TrimSpace(attr(n, "role")))] {
		return true
	}
	if label := strings.ToLower(attr(n, "aria-label")); label != "" {
		for _, f := range dropLabels {
			if strings.Contains(label+" ", f) {
				return true
			}
		}
	}
	names := strings.Fields(strings.ToLower(attr(n, "class") + " " + attr(n, "id")))
	for _, name := range names {
		if isStateClass(name) {
			continue
		}
		if furnitureName(name) && !containsH1(n) {
			return true
		}
	}
	return false
}

// isStateClass reports whether a class name describes a state of the
// element ("has-sidebar", "no-cookies") rather than what it is.
func isStateClass(name string) bool {
	for _, p := range []string{"has-", "with-", "no-", "is-", "show-", "hide-"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return strings.Contains(name, "-with-") || strings.Contains(name, "-has-")
}

// furnitureName reports whether one id or class name marks furniture.
func furnitureName(name string) bool {
	if dropNames[name] {
		return true
	}
	for _, f := range dropFragments {
		if strings.Contains(name, f) {
			return true
		}
	}
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' }) {
		if dropWords[w] {
			return true
		}
	}
	return false
}

// containsH1 reports whether n holds an <h1>: a block with the page's
// heading is content whatever its class says.
func containsH1(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.H1 || containsH1(c)) {
			return true
		}
	}
	return false
}

// textWriter collects the visible text of a subtree, one line per block.
type textWriter struct {
	b    strings.Builder
	time time.Time // first <time datetime> seen
}

// walk writes the text under n. root is true for the subtree's root, whose
// own attributes are not judged.
func (w *textWriter) walk(n *html.Node, root, inArticle bool) {
	switch n.Type {
	case html.TextNode:
		// Line breaks in the source are spaces; blocks make lines.
		w.b.WriteString(strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == '\t' || r == '\f' {
				return ' '
			}
			return r
		}, n.Data))
		return
	case html.ElementNode:
		if !root && isFurniture(n, inArticle) {
			return
		}
		switch n.DataAtom {
		case atom.Br:
			w.b.WriteByte('\n')
			return
		case atom.Td, atom.Th:
			// Cells of one row stay on its line, apart: a contact table's
			// "Anna Berg | Verksamhetsledare | anna@klustret.se".
			if prevCell(n) {
				w.b.WriteString(cellSep)
			} else {
				w.b.WriteByte('\t')
			}
		case atom.Article:
			inArticle = true
		case atom.Time:
			if w.time.IsZero() {
				if t, ok := parseMachineDate(attr(n, "datetime")); ok {
					w.time = t
				}
			}
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	block := n.Type == html.ElementNode && blockTags[n.DataAtom]
	if block {
		w.b.WriteByte('\n')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, false, inArticle)
	}
	if block {
		w.b.WriteByte('\n')
	}
}

// String returns the text: whitespace collapsed within lines, empty lines
// dropped.
func (w *textWriter) String() string { return normalizeLines(w.b.String()) }

// normalizeLines collapses whitespace within each line of s, drops
// zero-width characters and empty lines, and joins the lines with "\n".
func normalizeLines(s string) string {
	s = invisibleChars.Replace(s)
	lines := strings.Split(strings.ReplaceAll(s, "\r", "\n"), "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = collapse(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// invisibleChars removes zero-width characters and soft hyphens.
var invisibleChars = strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "", "\u00ad", "")

// collapse trims s and replaces each run of whitespace with one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// nodeText returns the text under n, whitespace collapsed.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return collapse(b.String())
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

// attrOK returns the value of n's attribute key and whether it is present.
func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// hasToken reports whether the space-separated list s holds tok, ignoring
// case.
func hasToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// titleSeparators split a page title from the site name.
var titleSeparators = []string{" | ", " – ", " — ", " - ", " :: ", " » ", " · ", " • "}

// chooseTitle cleans a site-name suffix or prefix from title when the
// page's h1 confirms which part is the page's own, and falls back to the
// h1 when there is no title.
func chooseTitle(title, h1 string) string {
	title, h1 = collapse(title), collapse(h1)
	if title == "" {
		return h1
	}
	if h1 == "" {
		return title
	}
	if sameText(title, h1) {
		return title
	}
	for _, sep := range titleSeparators {
		if !strings.Contains(title, sep) {
			continue
		}
		parts := strings.Split(title, sep)
		for i := range parts {
			// The page's part may itself hold the separator: try the
			// longest runs of parts that start or end the title.
			if head := strings.Join(parts[:i+1], sep); sameText(head, h1) {
				return head
			}
			if tail := strings.Join(parts[i:], sep); sameText(tail, h1) {
				return tail
			}
		}
	}
	return title
}

// sameText compares two headings ignoring case, spacing and trailing
// punctuation.
func sameText(a, b string) bool {
	norm := func(s string) string {
		return strings.TrimRight(strings.ToLower(collapse(s)), ".:!?… ")
	}
	return norm(a) == norm(b)
}

// readLinkedData records the schema.org types and dates of a JSON-LD
// script. Malformed JSON is ignored.
func readLinkedData(src string, p *parsed) {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(src)), &v); err != nil {
		return
	}
	var visit func(v any, depth int)
	visit = func(v any, depth int) {
		if depth > 8 {
			return
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				visit(e, depth+1)
			}
		case map[string]any:
			kind := ""
			for _, t := range ldTypes(x["@type"]) {
				k := ldTypeKind(t)
				if k == "article" {
					p.ldArticle = true
					continue
				}
				if k != "" && kind == "" {
					kind = k
				}
			}
			if kind != "" && p.ldKind == "" {
				p.ldKind = kind
			}
			if kind == kg.KindEvent {
				if ev, ok := linkedDataEvent(x); ok && len(p.events) < maxEvents {
					p.events = append(p.events, ev)
				}
			}
			if s, ok := x["datePublished"].(string); ok && p.published.IsZero() {
				if t, ok := parseMachineDate(s); ok {
					p.published = t
				}
			}
			if s, ok := x["startDate"].(string); ok && p.start.IsZero() {
				if t, ok := parseMachineDate(s); ok {
					p.start = t
				}
			}
			for k, e := range x {
				if k != "@context" {
					visit(e, depth+1)
				}
			}
		}
	}
	visit(v, 0)
}

// ldTypes returns the @type value as a list.
func ldTypes(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// maxEvents is how many events one document may state.
const maxEvents = 500

// isRegistrationLink reports whether a link's text invites registration.
func isRegistrationLink(text string) bool {
	l := strings.ToLower(text)
	return strings.Contains(l, "anmäl") || strings.Contains(l, "registrera") || strings.Contains(l, "register") ||
		strings.Contains(l, "boka plats") || strings.Contains(l, "sign up")
}

// linkedDataEvent reads a schema.org Event object.
func linkedDataEvent(x map[string]any) (kg.Event, bool) {
	str := func(v any) string {
		switch y := v.(type) {
		case string:
			return collapse(y)
		case map[string]any:
			if n, ok := y["name"].(string); ok {
				return collapse(n)
			}
			if a, ok := y["address"]; ok {
				return ldAddress(a)
			}
		}
		return ""
	}
	ev := kg.Event{Title: str(x["name"])}
	if ev.Title == "" {
		return kg.Event{}, false
	}
	if s, ok := x["startDate"].(string); ok {
		ev.Start, _ = parseMachineDate(s)
		ev.AllDay = len(strings.TrimSpace(s)) <= 10
	}
	if s, ok := x["endDate"].(string); ok {
		ev.End, _ = parseMachineDate(s)
	}
	if ev.Start.IsZero() {
		return kg.Event{}, false
	}
	switch loc := x["location"].(type) {
	case []any:
		if len(loc) > 0 {
			ev.Place = str(loc[0])
		}
	default:
		ev.Place = str(loc)
	}
	if m, ok := x["location"].(map[string]any); ok {
		if n, a := str(m["name"]), ldAddress(m["address"]); n != "" && a != "" && !strings.Contains(n, a) {
			ev.Place = n + ", " + a
		}
	}
	var orgs []any
	switch o := x["organizer"].(type) {
	case []any:
		orgs = o
	case nil:
	default:
		orgs = []any{o}
	}
	for _, o := range orgs {
		if n := str(o); n != "" {
			ev.Organisers = append(ev.Organisers, n)
		}
	}
	switch o := x["offers"].(type) {
	case map[string]any:
		if u, ok := o["url"].(string); ok {
			ev.RegistrationURL = u
		}
	}
	desc, _ := x["description"].(string)
	ev.Snippet = truncateRunes(collapse(ev.Title+". "+desc), 280)
	return ev, true
}

// ldAddress writes a schema.org address as one line.
func ldAddress(v any) string {
	switch a := v.(type) {
	case string:
		return collapse(a)
	case map[string]any:
		var parts []string
		for _, k := range []string{"streetAddress", "postalCode", "addressLocality"} {
			if s, ok := a[k].(string); ok && s != "" {
				parts = append(parts, collapse(s))
			}
		}
		return strings.Join(parts, ", ")
	}
	return ""
}
