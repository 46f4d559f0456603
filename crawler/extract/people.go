package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// roleWords are titles as whole words, lower case.
var roleWords = map[string]bool{
	"vd": true, "ceo": true, "ordförande": true, "landshövding": true, "kommunalråd": true, "regionråd": true,
	"oppositionsråd": true, "rektor": true, "professor": true, "docent": true, "intendent": true,
	"delägare": true, "ägare": true, "grundare": true, "redaktör": true, "skribent": true, "författare": true,
	"föreläsare": true, "moderator": true, "koordinator": true, "samordnare": true, "sekreterare": true,
	"kassör": true, "ledamot": true, "styrelseledamot": true, "suppleant": true, "forskare": true,
	"doktorand": true, "lektor": true, "adjunkt": true, "konsult": true, "expert": true, "sakkunnig": true,
	"utredare": true, "handläggare": true, "kommunikatör": true, "minister": true, "statssekreterare": true,
	"chef": true, "direktör": true, "rådgivare": true, "strateg": true, "ansvarig": true, "kontaktperson": true,
	"projektmedlem": true, "projektmedarbetare": true, "medarbetare": true, "lantbrukare": true, "bonde": true,
	"agronom": true, "ekonom": true, "veterinär": true, "pedagog": true, "assistent": true, "praktikant": true,
	"talesperson": true, "kock": true, "coach": true, "mentor": true, "ombud": true, "projektansvarig": true,
	"manager": true, "director": true, "coordinator": true, "chair": true, "advisor": true, "adviser": true,
	"researcher": true, "officer": true, "founder": true, "kontakt": true, "examinator": true, "talare": true,
	"paneldeltagare": true, "medlem": true, "styrgruppsledamot": true, "värd": true,
}

// roleSuffixes end Swedish compound titles: verksamhetsledare,
// näringslivsutvecklare, innovationsrådgivare, enhetschef.
var roleSuffixes = []string{"ledare", "rådgivare", "utvecklare", "samordnare", "ordförande", "ansvarig",
	"chef", "strateg", "direktör", "minister", "koordinator", "handläggare", "expert", "sakkunnig", "lektor",
	"adjunkt", "professor", "pedagog", "ledamot", "konsult", "ekonom", "företagare", "forskare", "utredare",
	"redaktör", "kommunikatör", "hövding", "intendent", "rektor", "sekreterare", "agronom", "odlare", "bonde"}

// roleModifiers may stand before a title and belong to it.
var roleModifiers = map[string]bool{
	"vice": true, "första": true, "andre": true, "andra": true, "biträdande": true, "tillförordnad": true,
	"tf": true, "t.f.": true, "vikarierande": true, "tidigare": true, "före": true, "detta": true, "förre": true,
	"nya": true, "nye": true, "ny": true, "regional": true, "regionala": true, "nationell": true, "senior": true,
	"ansvarig": true, "ekonomiansvarig": true,
}

// fieldRoles are labels of contact fields ("Kontakt: Anna Berg") and the
// role they give.
var fieldRoles = map[string]string{
	"kontakt": "kontaktperson", "kontaktperson": "kontaktperson", "kontaktpersoner": "kontaktperson",
	"projektledare": "projektledare", "projektledning": "projektledare", "författare": "författare",
	"ordförande": "ordförande", "verksamhetsledare": "verksamhetsledare", "processledare": "processledare",
	"moderator": "moderator", "föreläsare": "föreläsare", "talare": "talare", "contact": "kontaktperson",
}

// isRoleWord reports whether w (any case) is a title, also in definite
// form: "kommunalrådet", "ordföranden", "projektledaren".
func isRoleWord(w string) bool {
	w = strings.ToLower(strings.Trim(w, ".,:;()"))
	if w == "" {
		return false
	}
	// Definite forms: "-en", "-n", "-et", and "-e" of an adjective title
	// ("projektansvarige").
	for _, f := range []string{w, strings.TrimSuffix(w, "en"), strings.TrimSuffix(w, "n"), strings.TrimSuffix(w, "et"), strings.TrimSuffix(w, "e")} {
		if f == "" || len(f) < 2 {
			continue
		}
		if roleWords[f] {
			return true
		}
		for _, s := range roleSuffixes {
			if strings.HasSuffix(f, s) && len(f) > len(s)+2 {
				return true
			}
		}
	}
	return false
}

// isNameWord reports whether w is one word of a person's name: an upper-
// case letter and one or more lower-case ones, twice when joined by a
// hyphen: "Anna", "Lorentz", "Hans-Erik", "Åhlander".
func isNameWord(w string) bool {
	rest, ok := nameWordPart(w)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	if rest[0] != '-' {
		return false
	}
	rest, ok = nameWordPart(rest[1:])
	return ok && rest == ""
}

// nameWordPart reads an upper-case letter and one or more lower-case ones
// at the start of s, and returns what follows.
func nameWordPart(s string) (rest string, ok bool) {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || !unicode.Is(unicode.Lu, r) {
		return s, false
	}
	i, lower := size, 0
	for i < len(s) {
		r, size = utf8.DecodeRuneInString(s[i:])
		if !unicode.Is(unicode.Ll, r) {
			break
		}
		i += size
		lower++
	}
	return s[i:], lower > 0
}

// notNameWords are capitalised words that never end or continue a name.
var notNameWords = map[string]bool{
	"Region": true, "Länsstyrelsen": true, "Projektet": true, "Projektledare": true, "Kommun": true,
	"Kontakt": true, "Hushållningssällskapet": true, "Sverige": true, "Sveriges": true, "Leader": true,
	"Den": true, "Det": true, "De": true, "Vi": true, "Han": true, "Hon": true, "Under": true,
	"Med": true, "Och": true, "Nya": true, "Gröna": true, "Grön": true, "Telefon": true, "Tel": true,
	"Mobil": true, "Mejl": true, "Epost": true, "Läs": true, "Mer": true, "Foto": true,
}

// emailPattern and phonePattern find published contact details.
var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	phonePattern = regexp.MustCompile(`(?:\+46\s?|\b0)\d{1,3}[\s\-–]?\d{2,3}[\s\-]?\d{2}[\s\-]?\d{2,3}\b`)
	partyPattern = regexp.MustCompile(`^\s*\((?:S|M|C|L|V|KD|MP|SD)\)`)
)

// nameSpan is a candidate person's name in a text.
type nameSpan struct {
	name       string
	start, end int
	known      bool // starts with a known given name
}

// findNames returns the person-like names in s: two to four capitalised
// words, the first not a sentence's ordinary first word.
func findNames(s string) []nameSpan {
	type word struct {
		w          string
		start, end int
	}
	var words []word
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r2, sz := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsLetter(r2) && r2 != '-' {
				break
			}
			j += sz
		}
		words = append(words, word{strings.TrimRight(s[i:j], "-"), i, i + len(strings.TrimRight(s[i:j], "-"))})
		i = j
	}
	var out []nameSpan
	for i := 0; i < len(words); i++ {
		if !isNameWord(words[i].w) || notNameWords[words[i].w] {
			continue
		}
		j := i + 1
		for j < len(words) && j-i < 4 && isNameWord(words[j].w) && !notNameWords[words[j].w] &&
			s[words[j-1].end:words[j].start] == " " {
			j++
		}
		if j-i < 2 {
			continue
		}
		if _, isMonth := months[strings.ToLower(words[j-1].w)]; isMonth {
			j--
		}
		if j-i < 2 {
			continue
		}
		// Three or four words where the first is a title or other word
		// and the rest a name: "Landshövding Maria Larsson".
		first := i
		for k := i; k < j-1; k++ {
			if givenNames[words[k].w] {
				first = k
				break
			}
		}
		ns := nameSpan{start: words[first].start, end: words[j-1].end, known: givenNames[words[first].w]}
		ns.name = s[ns.start:ns.end]
		out = append(out, ns)
		i = j - 1
	}
	return out
}

// sentenceBounds returns the start and end of the sentence around [i,j)
// in s: up to a full stop followed by a capital, a line break, "!" or "?".
func sentenceBounds(s string, i, j int) (int, int) {
	start := 0
	for k := i - 1; k >= 0; k-- {
		c := s[k]
		if c == '\n' || c == '!' || c == '?' || (c == '.' && k+1 < len(s) && s[k+1] == ' ' && !abbrevBefore(s, k)) {
			start = k + 1
			break
		}
	}
	end := len(s)
	for k := j; k < len(s); k++ {
		c := s[k]
		if c == '\n' || c == '!' || c == '?' || (c == '.' && (k+1 == len(s) || s[k+1] == ' ') && !abbrevBefore(s, k)) {
			end = k
			break
		}
	}
	return start, end
}

// abbrevBefore reports whether the full stop at k ends an abbreviation
// ("bl.a.", "t.f.", "m.fl.") rather than a sentence.
func abbrevBefore(s string, k int) bool {
	w := k
	for w > 0 && s[w-1] != ' ' && s[w-1] != '\n' {
		w--
	}
	word := strings.ToLower(s[w : k+1])
	if webAddress.MatchString(word) {
		return false // "på naramat.nu." ends a sentence
	}
	return strings.Count(word, ".") >= 2 || len(word) <= 3 && word != "" && word != "vd." && unicode.IsLower(rune(word[0]))
}

// webAddress matches a host name that ends a sentence.
var webAddress = regexp.MustCompile(`^[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.(?:se|nu|com|org|net|eu|fi|no|dk|info)\.$`)

// personContext is what the text around a name says about the person.
type personContext struct {
	role, org string
	cue       bool // a title or contact field stands next to the name
}

// contextBefore reads the title before a name: "vd", "Krinovas vd",
// "landshövding", "LRF:s ordförande i Västra Götaland", "Projektledare:",
// "Regional kontakt i Norrbotten:". A title separated from the name by
// another person's name is not this person's ("Projektledare Frida
// Andersson berättade att Arena Skog ...").
func contextBefore(before string) personContext {
	before = strings.TrimRight(before, " ")
	var pc personContext
	if strings.HasSuffix(before, ":") {
		label := before[:len(before)-1]
		if k := strings.LastIndexAny(label, ".;:()\n"); k >= 0 {
			label = label[k+1:]
		}
		words := strings.Fields(label)
		if len(words) == 0 || len(words) > 6 || groupLabel.MatchString(before) {
			return pc // a group's list: groupRole reads it
		}
		if r, ok := fieldRoles[strings.ToLower(words[len(words)-1])]; ok {
			pc.role, pc.cue = r, true
			return pc
		}
		for _, w := range words {
			if r, ok := fieldRoles[strings.ToLower(w)]; ok || isRoleWord(w) {
				if !ok {
					r = strings.ToLower(w)
				}
				pc.role, pc.cue = r, true
				if len(words) > 1 {
					pc.role = lowerFirst(strings.Join(words, " "))
				}
				return pc
			}
		}
		return pc
	}
	// The words since the last comma, parenthesis or colon.
	cut := strings.LastIndexAny(before, ",;:()–")
	words := strings.Fields(before[cut+1:])
	if len(words) > 7 {
		words = words[len(words)-7:]
	}
	for k, w := range words {
		if !isRoleWord(w) {
			continue
		}
		if hasNameStart(words[k+1:]) {
			continue
		}
		start := k
		for start > 0 && roleModifiers[strings.ToLower(words[start-1])] {
			start--
		}
		pc.role = strings.Trim(strings.Join(words[start:], " "), " ,")
		pc.cue = true
		if start > 0 {
			if g := words[start-1]; isGenitiveOrg(g) {
				pc.org = strings.TrimSuffix(strings.TrimSuffix(g, ":s"), "s")
			}
		}
		return pc
	}
	return pc
}

// hasNameStart reports whether words hold a known given name followed by
// a capitalised word: another person's name.
func hasNameStart(words []string) bool {
	for i := 0; i+1 < len(words); i++ {
		if givenNames[strings.Trim(words[i], ".,:;()")] && startsUpper(words[i+1]) {
			return true
		}
	}
	return false
}

// lowerFirst lower-cases the first letter of s unless s starts with an
// abbreviation ("VD", "LRF").
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || size < len(s) && unicode.IsUpper(rune(s[size])) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// isGenitiveOrg reports whether a word is an organisation in the
// genitive: "Krinovas", "LRF:s", "Nifas".
func isGenitiveOrg(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && (strings.HasSuffix(w, ":s") || strings.HasSuffix(w, "s") && len(w) > 3)
}

// orgPrepositions introduce the organisation after a title.
var orgPrepositions = map[string]bool{"på": true, "vid": true, "hos": true, "i": true, "inom": true,
	"för": true, "från": true, "at": true, "of": true}

// afterLeads are the ways running text goes on from a name to the
// person's title or organisation, and whether an organisation alone
// there says where the person works.
var afterLeads = []struct {
	lead    string
	orgOnly bool
}{
	{", ", false}, {" (", false}, {" är ", false}, {" har varit ", false}, {" blir ", false},
	{" som ", false}, {" till ", false}, {" arbetar som ", false}, {" arbetar också som ", false},
	{" arbetar på ", true}, {" arbetar vid ", true}, {" arbetar med ", true}, {" arbetar också med ", true},
	{" arbetar inom ", true}, {" arbetar i ", true}, {" leder ", false}, {" i ", false},
}

// maxPhraseWords bounds the title-and-organisation phrase after a name.
const maxPhraseWords = 12

// contextAfter reads what follows a name: ", samordnare på
// Landsbygdsnätverket", " (företagsutvecklare LRF Dalarna)", " är
// ordförande i Gröna Klustret", " (Dalarna Science Park)", ", SVA", ",
// näringspolitisk expert på LRF", " som projektledare", " till särskild
// utredare", " arbetar också med FRODA". A title followed by another
// person's name is that person's ("X, examinator Jan Larsson").
func contextAfter(after string, fieldRole bool) personContext {
	var pc personContext
	if m := partyPattern.FindString(after); m != "" {
		after = after[len(m):]
	}
	var phrase string
	paren, orgOnly, found := false, false, false
	for _, l := range afterLeads {
		if strings.HasPrefix(after, l.lead) {
			phrase, paren, orgOnly, found = after[len(l.lead):], l.lead == " (", l.orgOnly, true
			break
		}
	}
	if !found {
		return pc
	}
	if strings.HasPrefix(after, " leder ") {
		phrase = "leder " + after[len(" leder "):]
	}
	end := len(phrase)
	stops := ",;)"
	if !paren {
		stops = ",;)(:"
	}
	if k := strings.IndexAny(phrase, stops); k >= 0 {
		end = k
	}
	phrase = strings.TrimSpace(phrase[:end])
	words := strings.Fields(phrase)
	if len(words) > maxPhraseWords {
		words = words[:maxPhraseWords]
	}
	if len(words) == 0 {
		return pc
	}
	// The title: after modifiers and up to two adjectives ("vice",
	// "näringspolitisk", "särskild").
	k := 0
	for k < len(words) && roleModifiers[strings.ToLower(words[k])] && !(isRoleWord(words[k]) && (k+1 == len(words) || !isRoleWord(words[k+1]))) {
		k++
	}
	for a := 0; a < 2 && k+1 < len(words) && !isRoleWord(words[k]) && isLowerWord(words[k]) && isRoleWord(words[k+1]); a++ {
		k++
	}
	if k < len(words) && (isRoleWord(words[k]) || strings.ToLower(words[k]) == "leder") && !orgOnly {
		if hasNameStart(words[k:]) {
			return personContext{}
		}
		// The title runs to a preposition before a capitalised name, or to
		// a capitalised word.
		j := k + 1
		for ; j < len(words); j++ {
			w := words[j]
			r, _ := utf8.DecodeRuneInString(w)
			if orgPrepositions[strings.ToLower(w)] && j+1 < len(words) && startsUpper(words[j+1]) {
				pc.org = strings.Join(words[j+1:], " ")
				break
			}
			if unicode.IsUpper(r) && !isRoleWord(w) {
				pc.org = strings.Join(words[j:], " ")
				break
			}
		}
		pc.role = strings.Join(words[:j], " ")
		pc.cue = true
		pc.org = trimOrg(pc.org)
		return pc
	}
	// No title: an organisation alone, when it is one ("Elisabeth Öberg,
	// Länsstyrelsen i Norrbotten" after a field, "(Dalarna Science Park)",
	// "arbetar på SLU").
	if startsUpper(words[0]) && (paren || fieldRole || orgOnly) && len(words) <= 6 && !hasNameStart(words) {
		pc.org = trimOrg(strings.Join(words, " "))
		pc.cue = orgOnly && !paren
	}
	return pc
}

// isLowerWord reports whether w is a lower-case word.
func isLowerWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLower(r)
}

// trimOrg cuts an organisation name at words that end it: "och", "som",
// a verb.
func trimOrg(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		lw := strings.ToLower(w)
		if i > 0 && (lw == "och" || lw == "som" || lw == "med" || lw == "berättar" || lw == "säger" ||
			lw == "betonar" || lw == "konstaterar" || lw == "lyfter" || lw == "talade" || lw == "menar") {
			words = words[:i]
			break
		}
	}
	if len(words) > 6 {
		words = words[:6]
	}
	return strings.Trim(strings.Join(words, " "), " .:")
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// groupLabel introduces a list of people who share a role: "Styrgrupp:",
// "Medlemmar:", "Talare:", "Forskare från högskolan deltog:", "Styrgrupp
// bl.a.". The role each gets is groupRoles of the label's word.
var groupLabel = regexp.MustCompile(`(?i)(?:^|[\s(.;])(styrgrupp(?:en)?|referensgrupp(?:en)?|projektgrupp(?:en)?|arbetsgrupp(?:en)?|` +
	`styrelse(?:n)?|medlemmar|projektmedlemmar|deltagare|talare|panel(?:en)?|paneldeltagare|forskare|kontakter|` +
	`kontaktpersoner|föreläsare|medverkande|medarbetare)\b[^:.;\n]{0,60}?(?::|\s+bl\.a\.|\s+bland annat)\s*`)

// groupRoles gives the role of one member of a listed group.
var groupRoles = map[string]string{
	"styrgrupp": "styrgruppsledamot", "referensgrupp": "referensgruppsledamot", "projektgrupp": "projektmedlem",
	"arbetsgrupp": "arbetsgruppsledamot", "styrelse": "styrelseledamot", "medlemmar": "medlem",
	"projektmedlemmar": "projektmedlem", "deltagare": "deltagare", "talare": "talare", "panel": "paneldeltagare",
	"paneldeltagare": "paneldeltagare", "forskare": "forskare", "kontakter": "kontaktperson",
	"kontaktpersoner": "kontaktperson", "föreläsare": "föreläsare", "medverkande": "medverkande",
	"medarbetare": "medarbetare",
}

// groupRole returns the role of a group list that the name at start is
// part of: the list's label stands earlier in the sentence, and between
// it and the name are only other list items (names, parenthesised
// remarks, titles, "och").
func groupRole(text string, sStart, start int) string {
	seg := text[sStart:start]
	ms := groupLabel.FindAllStringSubmatchIndex(seg, -1)
	if len(ms) == 0 {
		return ""
	}
	m := ms[len(ms)-1]
	between := parenthesis.ReplaceAllString(seg[m[1]:], "")
	for _, w := range strings.Fields(between) {
		w = strings.Trim(w, ",")
		if w == "" || w == "och" || w == "samt" || startsUpper(w) || isRoleWord(w) || roleModifiers[strings.ToLower(w)] {
			continue
		}
		return ""
	}
	word := strings.ToLower(seg[m[2]:m[3]])
	for _, suf := range []string{"en", "n"} {
		if r, ok := groupRoles[strings.TrimSuffix(word, suf)]; ok && strings.HasSuffix(word, suf) {
			return r
		}
	}
	return groupRoles[word]
}

// textSpan is a byte range of a text.
type textSpan struct{ start, end int }

// extractPeople finds the people text names in a work role: titles before
// or after a name, contact fields, lists of a group's members, staff
// lists with e-mail and phone. orgs are the spans of text that name
// organisations: no person's name overlaps one, and one right after a
// name ("Anna Berg på SLU") is where the person works. The same person
// named twice is merged, by name or e-mail, and the merge recorded in
// MergedFrom.
func extractPeople(text string, orgs []textSpan) []kg.Person {
	orgAt := func(pos int) (string, bool) {
		for _, f := range orgs {
			if f.start == pos {
				return text[f.start:f.end], true
			}
		}
		return "", false
	}
	var found []kg.Person
	names := findNames(text)
	type mention struct {
		p     kg.Person
		ok    bool // named in a work role
		own   bool // the text next to the name gives its role or organisation
		paren bool // the role or organisation stands in parentheses after the name
	}
	ms := make([]mention, len(names))
	for n, ns := range names {
		overlap := false
		for _, f := range orgs {
			if ns.start < f.end && f.start < ns.end {
				overlap = true
			}
		}
		if overlap {
			continue
		}
		sStart, sEnd := sentenceBounds(text, ns.start, ns.end)
		before := text[sStart:ns.start]
		after := text[ns.end:sEnd]
		if strings.TrimSpace(before) == "" && sStart > 0 {
			// A label on the line before: "Projektledare:\nMaja Lindqvist".
			prev := text[strings.LastIndexByte(text[:sStart-1], '\n')+1 : sStart-1]
			if strings.HasSuffix(strings.TrimSpace(prev), ":") {
				before = strings.TrimSpace(prev) + " "
			}
		}
		pb := contextBefore(before)
		if pb.cue && endsWithPreposition(pb.role) {
			continue // "projektledare för Arena Skog": an organisation or project follows
		}
		pa := contextAfter(after, pb.cue && strings.HasSuffix(strings.TrimSpace(before), ":"))
		if !pa.cue && pa.org == "" {
			for _, lead := range []string{" på ", " vid ", " hos "} {
				if strings.HasPrefix(after, lead) {
					if o, ok := orgAt(ns.end + len(lead)); ok && ns.known {
						pa.org, pa.cue = o, true
					}
				}
			}
		}
		group := ""
		if !pb.cue || strings.HasSuffix(strings.TrimSpace(before), ":") {
			group = groupRole(text, sStart, ns.start)
		}
		lineStart := strings.LastIndexByte(text[:ns.start], '\n') + 1
		wholeLine := strings.TrimSpace(text[lineStart:ns.start]) == "" && (ns.end == len(text) || text[ns.end] == '\n')
		ok := pb.cue || pa.cue || group != "" || ns.known && (pa.org != "" || wholeLine)
		p := kg.Person{Name: ns.name}
		p.Role = firstNonEmpty(pa.role, pb.role, group)
		if pb.role != "" && pa.role != "" && !strings.EqualFold(pb.role, pa.role) && !fieldRoleName(pb.role) {
			p.Role = pb.role
		}
		p.Organisation = firstNonEmpty(pa.org, pb.org)
		// Contact details: in the person's block, up to the next name.
		blockEnd := len(text)
		if n+1 < len(names) {
			blockEnd = names[n+1].start
		}
		if blockEnd-ns.end > 300 {
			blockEnd = ns.end + 300
		}
		block := text[ns.end:blockEnd]
		if wholeLine {
			// A staff list: the title is often the next line.
			lines := strings.SplitN(strings.TrimLeft(block, "\n"), "\n", 4)
			for _, l := range lines {
				l = strings.TrimSpace(l)
				if p.Role == "" && l != "" && isRoleWord(strings.Fields(l)[0]) || p.Role == "" && len(strings.Fields(l)) > 1 && isRoleWord(strings.Fields(l)[1]) {
					pc := contextAfter(", "+l, false)
					p.Role, p.Organisation = firstNonEmpty(pc.role, l), firstNonEmpty(p.Organisation, pc.org)
				}
			}
			if p.Role == "" && !emailPattern.MatchString(block) && !phonePattern.MatchString(block) {
				ok = false
			}
		}
		if m := emailPattern.FindString(block); m != "" {
			p.Email = strings.ToLower(strings.TrimRight(m, "."))
		}
		if m := phonePattern.FindString(block); m != "" {
			p.Phone = strings.TrimSpace(m)
		}
		p.Snippet = strings.TrimSpace(text[sStart:sEnd])
		if len(p.Snippet) > 300 {
			p.Snippet = truncateRunes(p.Snippet, 280)
		}
		own := pb.cue || pa.cue || pa.org != ""
		ms[n] = mention{p: p, ok: ok, own: own, paren: strings.HasPrefix(after, " (")}
	}
	// "Anna Berg och Per Ek (verksamhetsutvecklare, LRF Dalarna)": the
	// remark after the last of two names joined by "och" is both's.
	for n := len(names) - 2; n >= 0; n-- {
		if ms[n].own || ms[n].p.Name == "" || !ms[n+1].ok || !ms[n+1].paren {
			continue
		}
		if text[names[n].end:names[n+1].start] == " och " {
			next := ms[n+1].p
			ms[n].p.Role = firstNonEmpty(ms[n].p.Role, next.Role)
			ms[n].p.Organisation = next.Organisation
			ms[n].ok, ms[n].paren = true, true
		}
	}
	for _, m := range ms {
		if m.ok {
			found = append(found, m.p)
		}
	}
	return mergePeople(append(tablePeople(text), found...))
}

// tableColumn names what a contact table's column holds, by its header.
func tableColumn(header string) string {
	switch h := strings.ToLower(strings.TrimSpace(header)); {
	case h == "namn" || h == "name" || h == "kontaktperson" || h == "person":
		return "name"
	case h == "titel" || h == "roll" || h == "befattning" || h == "funktion" || h == "title" || h == "role" || h == "uppdrag" || h == "tjänst":
		return "role"
	case h == "organisation" || h == "företag" || h == "arbetsplats" || h == "organization" || h == "company":
		return "org"
	case strings.HasPrefix(h, "e-post") || strings.HasPrefix(h, "epost") || h == "mejl" || h == "mail" || h == "e-mail" || h == "email":
		return "email"
	case strings.HasPrefix(h, "telefon") || h == "tel" || h == "tel." || h == "mobil" || h == "phone":
		return "phone"
	}
	return ""
}

// tablePeople reads the people of contact tables: rows of cells (cellSep
// apart), one cell a person's whole name. A header row ("Namn | Roll |
// E-post | Telefon") says what each column holds; without one, a cell
// that is a title is the role, an e-mail address and a phone number are
// known by their form, and another capitalised cell is the
// organisation.
func tablePeople(text string) []kg.Person {
	var out []kg.Person
	var columns []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.Contains(line, cellSep) {
			columns = nil
			continue
		}
		cells := strings.Split(line, cellSep)
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		header := true
		cols := make([]string, len(cells))
		for i, c := range cells {
			if cols[i] = tableColumn(c); cols[i] == "" && c != "" {
				header = false
			}
		}
		if header {
			columns = cols
			continue
		}
		var p kg.Person
		for i, c := range cells {
			col := ""
			if len(columns) == len(cells) {
				col = columns[i]
			}
			switch {
			case col == "name" || col == "" && p.Name == "" && isWholeName(c):
				if isWholeName(c) {
					p.Name = c
				}
			case col == "email" || col == "" && emailPattern.MatchString(c):
				p.Email = strings.ToLower(emailPattern.FindString(c))
			case col == "phone" || col == "" && phonePattern.MatchString(c):
				p.Phone = strings.TrimSpace(phonePattern.FindString(c))
			case col == "role" || col == "" && p.Role == "" && c != "" && isRoleWord(strings.Fields(c)[0]):
				p.Role = c
			case col == "org" || col == "" && p.Organisation == "" && startsUpper(c):
				p.Organisation = c
			}
		}
		if p.Name == "" || p.Role == "" && p.Email == "" && p.Phone == "" {
			continue
		}
		p.Snippet = truncateRunes(strings.TrimSpace(line), 280)
		out = append(out, p)
	}
	return out
}

// isWholeName reports whether s is a person's name and nothing else.
func isWholeName(s string) bool {
	ns := findNames(s)
	return len(ns) == 1 && ns[0].start == 0 && ns[0].end == len(s)
}

func endsWithPreposition(role string) bool {
	words := strings.Fields(role)
	return len(words) > 0 && orgPrepositions[strings.ToLower(words[len(words)-1])]
}

func fieldRoleName(r string) bool { return r == "kontaktperson" }

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// mergePeople merges the mentions of one person in one document: same
// normalised name, or same e-mail. Fields missing in the first mention are
// filled from later ones; a mention that adds a different spelling,
// title, organisation or e-mail is recorded in MergedFrom.
func mergePeople(in []kg.Person) []kg.Person {
	var out []kg.Person
	byName := map[string]int{}
	byEmail := map[string]int{}
	for _, p := range in {
		i, ok := byName[kg.Slug(p.Name)]
		if !ok && p.Email != "" {
			i, ok = byEmail[p.Email]
		}
		if !ok {
			out = append(out, p)
			i = len(out) - 1
			byName[kg.Slug(p.Name)] = i
			if p.Email != "" {
				byEmail[p.Email] = i
			}
			continue
		}
		q := &out[i]
		if p.Name != q.Name || (p.Role != "" && p.Role != q.Role) || (p.Organisation != "" && p.Organisation != q.Organisation) ||
			(p.Email != "" && p.Email != q.Email) {
			q.MergedFrom = append(q.MergedFrom, personForm(p))
		}
		byName[kg.Slug(p.Name)] = i
		if q.Role == "" || q.Role == "kontaktperson" && p.Role != "" {
			q.Role = p.Role
		}
		q.Organisation = firstNonEmpty(q.Organisation, p.Organisation)
		q.Email = firstNonEmpty(q.Email, p.Email)
		q.Phone = firstNonEmpty(q.Phone, p.Phone)
		if q.Email != "" {
			byEmail[q.Email] = i
		}
	}
	return out
}

// personForm writes a merged mention for the record: "name | role |
// organisation | e-mail".
func personForm(p kg.Person) string {
	return strings.Join([]string{p.Name, p.Role, p.Organisation, p.Email}, " | ")
}
