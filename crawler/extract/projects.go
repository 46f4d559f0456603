package extract

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// projectField matches the labels of a project's fact box: "Projektägare:",
// "Finansiärer:", "Projekttid 220501-240430".
var projectField = newStartRegexp(`(?i)(?:^|[\s.;(])(projektnamn|projektägare|projektledare|projektledning|`+
	`finansiärer|finansiär|finansiering|finansieras av|medfinansiärer|medfinansiär|intressenter|`+
	`samarbetsparter|samarbetspartners|samarbetspartner|samverkanspartner|partner|projektpartner|`+
	`projekttid|projektperiod|period|löptid|status)\s*:\s*|(?:^|[\s.;(])(projekttid|projektperiod)\s+`,
	afterSeparator(true, ".;(", true, "projekt", "finansi", "medfinansi", "intressenter", "samarbetspart",
		"samverkanspartner", "partner", "period", "löptid", "status"))

// fieldKey maps a label to the project field it fills.
func fieldKey(label string) string {
	switch l := strings.ToLower(label); {
	case l == "projektnamn":
		return "name"
	case l == "projektägare":
		return "owner"
	case strings.HasPrefix(l, "projektled"):
		return "leader"
	case strings.HasPrefix(l, "finansi") || strings.HasPrefix(l, "medfinansi"):
		return "funders"
	case l == "intressenter" || strings.Contains(l, "partner") || strings.HasPrefix(l, "samarbetspart"):
		return "stakeholders"
	case l == "projekttid" || l == "projektperiod" || l == "period" || l == "löptid":
		return "period"
	case l == "status":
		return "status"
	}
	return ""
}

// fieldValue is one labelled value of a fact box.
type fieldValue struct {
	key, value string
	start      int
}

// readProjectFields reads the labelled values of text: each runs to the next
// label, the end of its line or the end of its sentence.
func readProjectFields(text string) []fieldValue {
	ms := projectField.findAllSubmatchIndex(text, -1)
	var out []fieldValue
	for i, m := range ms {
		label := ""
		if m[2] >= 0 {
			label = text[m[2]:m[3]]
		} else {
			label = text[m[4]:m[5]]
		}
		end := len(text)
		if i+1 < len(ms) {
			end = ms[i+1][0]
		}
		v := text[m[1]:end]
		if k := strings.IndexByte(v, '\n'); k >= 0 {
			v = v[:k]
		}
		v = cutSentence(v)
		out = append(out, fieldValue{key: fieldKey(label), value: strings.Trim(strings.TrimSpace(v), " .;,"), start: m[0]})
	}
	return out
}

// cutSentence cuts s at the end of its first sentence: a full stop
// followed by a space and a capital letter, that ends no abbreviation.
func cutSentence(s string) string {
	for k := 0; k < len(s); k++ {
		if s[k] != '.' || k+2 >= len(s) || s[k+1] != ' ' {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[k+2:])
		if unicode.IsUpper(r) && !abbrevBefore(s, k) {
			return s[:k]
		}
	}
	return s
}

// projectWords introduce a project's name in running text: "projektet
// X", "Projekt X", "förstudien X", "satsningen X", and their compounds
// ("ESF-projektet X", "samverkansprojektet X", "ett treårigt
// Vinnovaprojekt, X").
var projectWords = regexp.MustCompile(`(?i)(?:^|[^\p{L}-])[\p{L}-]*(?:projekt|projektet|förstudien|förprojektet|satsningen|programmet),?[ \t]+`)

// quoted matches a name in quotation marks.
var quoted = regexp.MustCompile(`^['"‘’“”«»]([^'"‘’“”«»\n]{3,90})['"‘’“”«»]`)

// nameStop are capitalised words that do not begin a project's name.
var nameStop = map[string]bool{"Det": true, "Den": true, "Som": true, "Och": true, "Med": true, "I": true, "Är": true,
	"Har": true, "Ska": true, "Kan": true, "Vi": true, "Där": true, "En": true, "Ett": true}

// nameEnd are the words that end a project's name written in running
// text: verbs and the words that begin a clause or an adjunct.
var nameEnd = map[string]bool{
	"ska": true, "skall": true, "som": true, "har": true, "hade": true, "är": true, "var": true, "blir": true,
	"blev": true, "kommer": true, "drivs": true, "drevs": true, "leds": true, "ledde": true, "leder": true,
	"får": true, "fick": true, "fått": true, "finansieras": true, "finansierades": true, "finansierat": true,
	"finansierad": true, "pågår": true, "pågick": true, "startade": true, "startar": true, "startas": true,
	"avslutades": true, "avslutas": true, "lanseras": true, "lanserades": true, "beviljades": true,
	"beviljats": true, "syftar": true, "handlar": true, "innebär": true, "vill": true, "kan": true,
	"där": true, "när": true, "hösten": true, "våren": true, "sommaren": true, "vintern": true, "under": true,
	"sedan": true, "mellan": true, "inom": true, "tillsammans": true, "samt": true, "med": true, "vid": true,
	"hos": true, "från": true, "genom": true, "enligt": true, "men": true, "eftersom": true, "då": true,
	"nu": true, "också": true, "även": true, "bland": true, "berättar": true, "säger": true, "has": true,
	"is": true, "will": true, "was": true, "fortsätter": true, "ingår": true, "består": true, "omfattar": true,
	"samlar": true, "arbetar": true, "erbjuder": true, "ger": true, "gav": true, "visar": true, "tar": true,
	"används": true, "finns": true, "behövs": true, "görs": true, "planeras": true, "byggs": true,
}

// nameLinks are lower-case words that may stand inside a name between two
// other words ("Ökad odling och hållbar konsumtion", "Hallonodling i
// norr").
var nameLinks = map[string]bool{"och": true, "i": true, "på": true, "för": true, "av": true, "till": true,
	"om": true, "mot": true, "ur": true, "utan": true, "&": true, "–": true, "-": true, "of": true, "in": true,
	"and": true, "the": true, "for": true, "genom": true, "med": true}

// maxNameWords bounds a project's name read from running text.
const maxNameWords = 10

// capitalisedName reads a project's name at the start of s: its first
// word capitalised, then words up to punctuation, a verb or a clause
// word, at most maxNameWords. Swedish names are mostly written in
// sentence case ("Lokalproducerat på bordet", "Grön kompetens –
// Livsmedel"); a connector is kept only before another word of the name
// ("SMAK – Synliggöra Mat genom Aktiviteter mot Konsument").
func capitalisedName(s string) string {
	words := firstFields(s, 11) // the loop reads ten words and looks one ahead
	var out []string
	for i := 0; i < len(words) && len(out) < maxNameWords; i++ {
		w := words[i]
		clean := strings.TrimRight(w, ".,;:)!?'\"”")
		trailing := clean != w
		if strings.HasPrefix(clean, "(") || clean == "" {
			break
		}
		lw := strings.ToLower(clean)
		if len(out) == 0 {
			if !startsUpper(clean) || nameStop[clean] || nameEnd[lw] {
				return ""
			}
			out = append(out, clean)
			if trailing {
				break
			}
			continue
		}
		if isDigits(clean) || yearRange.MatchString(clean) {
			if len(out) == 1 && !trailing && startsUpper(out[0]) {
				out = append(out, clean) // "Rutt 616"
				continue
			}
			break
		}
		if nameLinks[lw] || nameEnd[lw] {
			// A connector stays only between two words of the name: a
			// clause word only before a capitalised one.
			if i+1 >= len(words) || trailing {
				break
			}
			next := strings.TrimRight(words[i+1], ".,;:)!?'\"”")
			if next == "" || strings.HasPrefix(next, "(") || isDigits(next) || nameEnd[strings.ToLower(next)] && !startsUpper(next) {
				break
			}
			if nameEnd[lw] && !startsUpper(next) {
				break
			}
			if lw == "med" && !startsUpper(next) {
				break
			}
			out = append(out, clean)
			continue
		}
		if months[lw] != 0 {
			break
		}
		if !trailing && !startsUpper(clean) && strings.HasSuffix(clean, "s") && i+1 < len(words) {
			// A genitive ends the name: "projektet Skogens krafts konvent".
			next := strings.ToLower(words[i+1])
			if r, _ := utf8.DecodeRuneInString(next); unicode.IsLower(r) && !nameLinks[next] && !nameEnd[next] {
				out = append(out, strings.TrimSuffix(clean, "s"))
				break
			}
		}
		out = append(out, clean)
		if trailing {
			break
		}
	}
	for len(out) > 0 && (nameLinks[strings.ToLower(out[len(out)-1])] || nameEnd[strings.ToLower(out[len(out)-1])]) {
		out = out[:len(out)-1]
	}
	name := strings.Join(out, " ")
	if utf8.RuneCountInString(name) < 4 {
		return ""
	}
	return name
}

// yearRange matches a year or a range of years as one word.
var yearRange = regexp.MustCompile(`^\d{4}(?:[-–]\d{2,4})?$`)

// firstFields returns the first n fields of s, split as strings.Fields
// splits, without reading the rest of s.
func firstFields(s string, n int) []string {
	out := make([]string, 0, n)
	for len(out) < n {
		start := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) })
		if start < 0 {
			break
		}
		s = s[start:]
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// fundingCue introduces funders in running text.
var fundingCue = regexp.MustCompile(`(?i)(finansier\w* av|finansier\w* genom|finansier\w* från|medfinansier\w* av|stöd från|medel från|pengar från|beviljats av|beviljat av|beviljats stöd från|via|från)\s`)

// projectDraft is a project under construction.
type projectDraft struct {
	kg.Project
	sentence string
	box      bool // from a fact box
	weak     bool // a sentence's opening words before a colon
	fromCue  bool // named after "projektet" or its kin
	at       int  // where in the text it is named
}

// extractProjects finds the projects text describes: a fact box
// (Projektägare, Projektledare, Finansiärer, Intressenter, Projekttid), and
// projects named in running text ("projektet Foodinova"). title names the
// fact box's project when no Projektnamn is given. ref is the page's date,
// for the status. find returns the organisations of a passage.
func extractProjects(title, text, kind string, ref time.Time, find func(string) []string) []kg.Project {
	isProjectPage := kind == kg.KindProject
	aboutProjects := isProjectPage || kind == kg.KindReport
	var drafts []projectDraft
	fields := readProjectFields(text)
	// Fact boxes: split at every "Projektnamn", else one for the page.
	var boxes [][]fieldValue
	for _, f := range fields {
		if f.key == "" {
			continue
		}
		if f.key == "name" || len(boxes) == 0 {
			boxes = append(boxes, nil)
		}
		boxes[len(boxes)-1] = append(boxes[len(boxes)-1], f)
	}
	for _, box := range boxes {
		keys := map[string]bool{}
		for _, f := range box {
			keys[f.key] = true
		}
		strong := 0
		for _, k := range []string{"name", "owner", "leader", "funders", "stakeholders", "period"} {
			if keys[k] {
				strong++
			}
		}
		if strong < 2 && !(isProjectPage && strong >= 1 && !keys["period"]) {
			continue
		}
		var d projectDraft
		for _, f := range box {
			switch f.key {
			case "name":
				d.Name = f.value
			case "owner":
				d.Owner = cleanOrgName(f.value)
			case "leader":
				name, _, _ := strings.Cut(f.value, ",")
				name, _, _ = strings.Cut(name, "(")
				d.Leader = strings.TrimSpace(name)
			case "funders":
				d.Funders = append(d.Funders, splitOrgNames(stripParens(f.value))...)
			case "stakeholders":
				d.Stakeholders = append(d.Stakeholders, splitOrgNames(stripParens(f.value))...)
			case "period":
				d.Period = f.value
			case "status":
				d.Status = statusWord(f.value)
			}
		}
		d.sentence = text
		d.box, d.at = true, box[0].start
		drafts = append(drafts, d)
	}
	// Projects named in running text.
	drafts = append(drafts, runningTextProjects(text, isProjectPage, aboutProjects, find)...)
	drafts = append(drafts, listedProjects(text, aboutProjects, find)...)
	// On a project page, "Projektet undersöker ..." speaks of the page's
	// own project, which its title names.
	named := false
	for _, d := range drafts {
		named = named || d.fromCue
	}
	if isProjectPage && !named && ownProject.MatchString(text) && isProjectName(title) {
		d := projectDraft{sentence: text, at: len(text)}
		d.Name = title
		if start, end, ok := periodRange(text); ok {
			d.Start, d.End = start, end
			d.Period = periodText(text)
		}
		drafts = append(drafts, d)
	}
	// A fact box without a Projektnamn is the project named just before
	// it ("Projektet Gröna Näringar: ... Projektledare: ..."), else the
	// page's, named by its title.
	for i := range drafts {
		if !drafts[i].box || drafts[i].Name != "" {
			continue
		}
		best := -1
		for j, d := range drafts {
			if !d.box && !d.weak && d.at < drafts[i].at && d.at >= drafts[i].at-600 && (best < 0 || d.at > drafts[best].at) {
				best = j
			}
		}
		if best >= 0 {
			drafts[i].Name = drafts[best].Name
		} else if isProjectName(title) {
			drafts[i].Name = title
		}
	}
	// On a project page, the title names the page's project when the text
	// names none.
	if isProjectPage && len(drafts) == 0 && isProjectName(title) {
		d := projectDraft{sentence: text}
		d.Name = title
		if start, end, ok := periodRange(text); ok {
			d.Start, d.End = start, end
			d.Period = periodText(text)
		}
		drafts = append(drafts, d)
	}
	var out []kg.Project
	index := map[string]int{}
	for _, d := range drafts {
		d.Name = strings.Trim(collapse(d.Name), " .:;,–-")
		if kg.Slug(d.Name) == "" || d.box && d.Name == "" {
			continue
		}
		if d.Period != "" && d.Start.IsZero() && d.End.IsZero() {
			d.Start, d.End, _ = ParsePeriod(d.Period)
		}
		if d.Status == "" {
			d.Status = projectStatus(d.sentence, d.Start, d.End, ref)
		}
		d.Snippet = truncateRunes(strings.TrimSpace(d.sentence), 280)
		key := kg.Slug(d.Name)
		if i, ok := index[key]; ok {
			mergeProject(&out[i], d.Project)
			continue
		}
		index[key] = len(out)
		out = append(out, d.Project)
	}
	return out
}

// projectCue marks a sentence that speaks of projects or applications
// for them, so that a quoted name in it or the next sentence is one.
var projectCue = regexp.MustCompile(`(?i)projekt|ansökan|förstudie`)

// appositive matches a name followed by what it is: "Arena grön
// tillväxt, ett treårigt samverkansprojekt", "Utveckling Öjebyn, en
// förstudie".
var appositive = regexp.MustCompile(`^,\s+(?:ett|en)\s+(?:[\p{L}-]+\s+){0,2}?[\p{L}-]*(?:projekt|förstudie|satsning|pilotprojekt)\b`)

// runningTextProjects finds projects named in running text: after
// "projektet" and its kin, in quotation marks in a sentence about
// projects, and before an appositive that says it is one.
func runningTextProjects(text string, isProjectPage, aboutProjects bool, find func(string) []string) []projectDraft {
	var drafts []projectDraft
	add := func(name string, at int) {
		if name == "" || len(strings.Fields(name)) > maxNameWords+2 {
			return
		}
		s, e := sentenceBounds(text, at, at)
		sentence := text[s:e]
		d := projectDraft{sentence: sentence, at: at}
		d.Name = name
		if start, end, ok := periodRange(sentence); ok {
			d.Start, d.End = start, end
			d.Period = periodText(sentence)
		}
		if loc := fundingCue.FindStringIndex(sentence); loc != nil {
			d.Funders = find(sentence[loc[1]:])
		}
		if i := strings.Index(strings.ToLower(sentence), "projektägare"); i >= 0 {
			if os := find(sentence); len(os) > 0 {
				d.Owner = os[0]
			}
		}
		drafts = append(drafts, d)
	}
	for _, m := range projectWords.FindAllStringIndex(text, -1) {
		rest := text[m[1]:]
		n := len(drafts)
		if q := quoted.FindStringSubmatch(rest); q != nil {
			add(strings.TrimSpace(q[1]), m[1])
		} else {
			add(capitalisedName(rest), m[1])
		}
		cue := strings.ToLower(strings.TrimRight(text[m[0]:m[1]], " \t,"))
		if len(drafts) > n && (strings.HasSuffix(cue, "projektet") || strings.HasSuffix(cue, "förstudien") || strings.HasSuffix(cue, "satsningen")) {
			drafts[n].fromCue = true // the page names its project
		}
	}
	// Quoted names in a sentence about projects, and a quoted name that
	// opens the sentence after one ("Två projekt: ... 'A' ska ... 'B' ska").
	prevCue := false
	for _, sen := range sentences(text) {
		cue := projectCue.MatchString(text[sen.start:sen.end])
		opens := false
		for _, q := range quotedNames(text[sen.start:sen.end]) {
			if cue || prevCue && q.start == 1 {
				add(q.name, sen.start+q.start)
				opens = opens || q.start == 1
			}
		}
		prevCue = cue || prevCue && opens
		// "X, ett treårigt samverkansprojekt": X from the sentence's
		// start or a colon.
		seg := text[sen.start:sen.end]
		if k := strings.IndexByte(seg, ','); k > 0 && appositive.MatchString(seg[k:]) {
			head := seg[:k]
			if c := strings.LastIndexByte(head, ':'); c >= 0 {
				head = head[c+1:]
			}
			head = strings.TrimSpace(head)
			if n := len(strings.Fields(head)); n >= 1 && n <= maxNameWords && startsUpper(head) && capitalisedName(head) != "" {
				add(head, sen.start)
			}
		}
		// "Arena Skog startade med ...", "Lokalproducerat på bordet
		// avslutades": a sentence that opens with a name and what became
		// of the project; not an organisation's or a person's name.
		if m := projectFate.FindStringSubmatchIndex(seg); m != nil && aboutProjects {
			head := seg[:m[2]]
			if name := capitalisedName(head); name != "" && name == strings.TrimSpace(head) && len(strings.Fields(name)) >= 2 &&
				!determiners[strings.ToLower(strings.Fields(name)[0])] &&
				len(find(name)) == 0 && !hasNameStart(strings.Fields(name)) {
				add(name, sen.start)
			}
		}
	}
	// "Förstudie för att nå ökad försörjningsförmåga (2024), med ...": a
	// project page's sentence that begins by naming a förstudie.
	if isProjectPage {
		for _, m := range forstudieName.FindAllStringSubmatchIndex(text, -1) {
			if m[2] == 0 {
				continue // the title line
			}
			name := strings.TrimSpace(text[m[2]:m[3]])
			if n := len(strings.Fields(name)); n >= 3 && n <= maxNameWords {
				add(name, m[2])
			}
		}
	}
	return drafts
}

// determiners open a phrase that is not a name: "Flera idéprocesser
// pågår".
var determiners = map[string]bool{"flera": true, "många": true, "några": true, "alla": true, "andra": true,
	"båda": true, "dessa": true, "detta": true, "denna": true, "de": true, "det": true, "den": true, "vissa": true,
	"en": true, "ett": true, "två": true, "tre": true, "fyra": true, "fem": true, "sex": true, "sju": true,
	"åtta": true, "nio": true, "tio": true, "övriga": true}

// projectFate follows a project's name that opens a sentence: what became
// of it.
var projectFate = regexp.MustCompile(`^[^,:;()]{3,80}?\s(startade|startades|avslutades|avslutas|pågår|pågick|har avslutats|har startat)\b`)

// forstudieName matches a sentence that opens with "Förstudie ..." up to
// a parenthesis or punctuation.
var forstudieName = regexp.MustCompile(`(?:^|[.:]\s+|\n)(Förstudie\s[^(,:;.\n]{5,120})`)

// listIntro introduces a list of projects: "Fyra projekt presenterades:",
// "Projektexempel:", "Projektlista på ...".
var listIntro = regexp.MustCompile(`(?i)(?:\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|\d+|följande|några|flera|våra|pågående|aktuella|nya)\s+(?:\p{L}+\s+)?projekt\b[^.:\n]{0,40}|projektexempel|projektlista\b[^.:\n]{0,40})\s*[:.]\s+`)

// ownProject is a project page speaking of its own project without
// naming it: "Projektet undersöker", "projektet avslutas".
var ownProject = regexp.MustCompile(`(?:^|[.!?]\s+|\n)(?:Projektet|Förstudien)\s+\p{Ll}|\bprojektet\s+(?:avslutas|avslutades|pågår|startade|startar|syftar|undersöker|ska)\b`)

// listedProjects finds the projects a project page lists: "Hallonodling
// i norr: enligt ...", one per sentence after a list's introduction, and
// "Fyra projekt presenterades: Arena Skog (...), Lokalproducerat på
// bordet (...) och Cirkulära system".
func listedProjects(text string, isProjectPage bool, find func(string) []string) []projectDraft {
	var drafts []projectDraft
	add := func(name string, at int, weak bool) {
		if name == "" {
			return
		}
		s, e := sentenceBounds(text, at, at)
		d := projectDraft{sentence: text[s:e], at: at, weak: weak}
		d.Name = name
		drafts = append(drafts, d)
	}
	// "Name: description", a sentence of a project page that opens with a
	// project's name: not an organisation, a source and a date, or a
	// phrase with a verb.
	for _, sen := range sentences(text) {
		if !isProjectPage {
			break
		}
		seg := text[sen.start:sen.end]
		if loc := listIntro.FindStringIndex(seg); loc != nil && loc[0] == 0 {
			seg = seg[loc[1]:]
			sen.start += loc[1]
		}
		k := strings.Index(seg, ": ")
		if k <= 0 {
			continue
		}
		head := strings.TrimSpace(seg[:k])
		n := len(strings.Fields(head))
		r, _ := utf8.DecodeRuneInString(seg[k+2:])
		if n < 2 || n > maxNameWords || !startsUpper(head) || !unicode.IsLower(r) || fieldKey(head) != "" ||
			projectField.matchString(seg[:k+2]) || strings.ContainsAny(head, "(),;.") || hasNameStart(strings.Fields(head)) {
			continue
		}
		hw := strings.Fields(head)
		first, last := strings.ToLower(hw[0]), strings.ToLower(hw[len(hw)-1])
		if strings.HasSuffix(last, "sida") || last == "webbplats" || last == "nyhetsbrev" {
			continue // "Agro Testas projektsida: ...", a source
		}
		if capitalisedName(head) != head || len(find(head)) > 0 || strings.HasPrefix(first, "projekt") || determiners[first] ||
			strings.HasSuffix(first, "ade") || strings.HasSuffix(first, "ande") || strings.HasSuffix(first, "ende") {
			continue
		}
		add(head, sen.start, true)
	}
	// "N projekt presenterades: A (...), B och C".
	for _, m := range listIntro.FindAllStringIndex(text, -1) {
		intro := text[m[0]:m[1]]
		if !strings.HasSuffix(strings.TrimSpace(intro), ":") {
			continue
		}
		_, e := sentenceBounds(text, m[1], m[1])
		list := parenthesis.ReplaceAllString(text[m[1]:e], "")
		for _, item := range splitList(list) {
			add(capitalisedName(item), m[1], false)
		}
	}
	return drafts
}

// splitList splits "A, B och C" into its items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		for _, item := range strings.Split(part, " och ") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// isProjectName reports whether a page's title may be its project's
// name: not a headline that exclaims or asks, not too long, not empty.
func isProjectName(title string) bool {
	n := len(strings.Fields(title))
	return n > 0 && n <= 14 && !strings.HasSuffix(title, "!") && !titleSpeaksOfProjects.MatchString(title) &&
		!genericTitles[kg.Slug(title)]
}

// genericTitles are page titles that name a section, not a project.
var genericTitles = map[string]bool{"projekt": true, "projekten": true, "vara-projekt": true, "pagaende-projekt": true,
	"avslutade-projekt": true, "nyheter": true, "aktuellt": true, "start": true, "hem": true, "om-oss": true,
	"kontakt": true, "projects": true, "news": true}

// titleSpeaksOfProjects matches a headline about projects ("Krinova får
// pengar för nytt projekt"), which is not a project's name.
var titleSpeaksOfProjects = regexp.MustCompile(`(?i)\s(?:projekt|projektet|projekten|matprojekt)(?:\s|$)`)

// sentenceSpan is one sentence of a text.
type sentenceSpan struct{ start, end int }

// sentences splits text into its sentences, as sentenceBounds sees them.
func sentences(text string) []sentenceSpan {
	var out []sentenceSpan
	for i := 0; i < len(text); {
		_, e := sentenceBounds(text, i, i)
		for i < e && (text[i] == ' ' || text[i] == '\n') {
			i++
		}
		if e > i {
			out = append(out, sentenceSpan{i, e})
		}
		if e >= len(text) {
			break
		}
		i = e + 1
	}
	return out
}

// quotedName is a name in quotation marks within a sentence.
type quotedName struct {
	name  string
	start int
}

// quotePairs matches a capitalised name in quotation marks.
var quotePairs = regexp.MustCompile(`['‘’“”"«»](\p{Lu}[^'‘’“”"«»\n]{2,90})['‘’“”"«»]`)

// quotedNames returns the capitalised names in quotation marks in s.
func quotedNames(s string) []quotedName {
	var out []quotedName
	for _, m := range quotePairs.FindAllStringSubmatchIndex(s, -1) {
		out = append(out, quotedName{name: strings.TrimSpace(s[m[2]:m[3]]), start: m[2]})
	}
	return out
}

// mergeProject fills q's missing fields from p.
func mergeProject(q *kg.Project, p kg.Project) {
	q.Owner = firstNonEmpty(q.Owner, p.Owner)
	q.Leader = firstNonEmpty(q.Leader, p.Leader)
	if len(q.Funders) == 0 {
		q.Funders = p.Funders
	}
	if len(q.Stakeholders) == 0 {
		q.Stakeholders = p.Stakeholders
	}
	if q.Start.IsZero() && q.End.IsZero() {
		q.Start, q.End, q.Period = p.Start, p.End, p.Period
	}
	q.Status = firstNonEmpty(q.Status, p.Status)
}

// periodRange reads a period from running text only when it is written
// as a range ("2021–2023", "2022-03-01 till 2023-12-31", "–2015"), so
// that a year in passing is not taken for one.
func periodRange(s string) (time.Time, time.Time, bool) {
	pts := periodPoints(s)
	for i, p := range pts {
		if i+1 < len(pts) && rangeJoin.MatchString(s[p.end:pts[i+1].start]) {
			start, end, ok := ParsePeriod(s[p.start:])
			return start, end, ok
		}
		if openEnd.MatchString(s[p.end:]) {
			return p.first, time.Time{}, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// periodText returns the period as written in s, or "".
func periodText(s string) string {
	pts := periodPoints(s)
	for i, p := range pts {
		if i+1 < len(pts) && rangeJoin.MatchString(s[p.end:pts[i+1].start]) {
			return s[p.start:pts[i+1].end]
		}
	}
	return ""
}

func statusWord(s string) string {
	l := strings.ToLower(s)
	switch {
	case strings.Contains(l, "avslut") || strings.Contains(l, "finished") || strings.Contains(l, "completed"):
		return kg.StatusFinished
	case strings.Contains(l, "pågå") || strings.Contains(l, "ongoing") || strings.Contains(l, "aktiv"):
		return kg.StatusOngoing
	case strings.Contains(l, "planer") || strings.Contains(l, "kommande"):
		return kg.StatusPlanned
	}
	return ""
}

// stripParens drops parenthesised remarks: "MSB (2:4-medel)" → "MSB".
func stripParens(s string) string { return collapse(parenthesis.ReplaceAllString(s, "")) }
