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
	"researcher": true, "officer": true, "founder": true,
}

// roleSuffixes end Swedish compound titles: verksamhetsledare,
// näringslivsutvecklare, innovationsrådgivare, enhetschef.
var roleSuffixes = []string{"ledare", "rådgivare", "utvecklare", "samordnare", "ordförande", "ansvarig",
	"chef", "strateg", "direktör", "minister", "koordinator", "handläggare", "expert", "sakkunnig", "lektor",
	"adjunkt", "professor", "pedagog", "ledamot", "konsult", "ekonom", "företagare", "forskare", "utredare",
	"redaktör", "kommunikatör", "hövding", "intendent", "rektor", "sekreterare", "agronom", "odlare"}

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
	for _, f := range []string{w, strings.TrimSuffix(w, "en"), strings.TrimSuffix(w, "n"), strings.TrimSuffix(w, "et")} {
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
	return strings.Count(word, ".") >= 2 || len(word) <= 3 && word != "" && word != "vd." && unicode.IsLower(rune(word[0]))
}

// personContext is what the text around a name says about the person.
type personContext struct {
	role, org string
	cue       bool // a title or contact field stands next to the name
}

// contextBefore reads the title before a name: "vd", "Krinovas vd",
// "landshövding", "LRF:s ordförande i Västra Götaland", "Projektledare:".
func contextBefore(before string) personContext {
	before = strings.TrimRight(before, " ")
	var pc personContext
	if strings.HasSuffix(before, ":") {
		words := strings.Fields(before[:len(before)-1])
		if len(words) > 0 {
			if r, ok := fieldRoles[strings.ToLower(words[len(words)-1])]; ok {
				pc.role, pc.cue = r, true
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

// isGenitiveOrg reports whether a word is an organisation in the
// genitive: "Krinovas", "LRF:s", "Nifas".
func isGenitiveOrg(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && (strings.HasSuffix(w, ":s") || strings.HasSuffix(w, "s") && len(w) > 3)
}

// orgPrepositions introduce the organisation after a title.
var orgPrepositions = map[string]bool{"på": true, "vid": true, "hos": true, "i": true, "inom": true,
	"för": true, "från": true, "at": true, "of": true}

// contextAfter reads what follows a name: ", samordnare på
// Landsbygdsnätverket", " (företagsutvecklare LRF Dalarna)", " är
// ordförande i Gröna Klustret", " (Dalarna Science Park)", ", SVA".
func contextAfter(after string, fieldRole bool) personContext {
	var pc personContext
	if m := partyPattern.FindString(after); m != "" {
		after = after[len(m):]
	}
	var phrase string
	paren := false
	switch {
	case strings.HasPrefix(after, ", "):
		phrase = after[2:]
	case strings.HasPrefix(after, " ("):
		phrase, paren = after[2:], true
	case strings.HasPrefix(after, " är "):
		phrase = after[4:]
	case strings.HasPrefix(after, " har varit "):
		phrase = after[len(" har varit "):]
	case strings.HasPrefix(after, " leder "):
		phrase = "leder " + after[len(" leder "):]
	default:
		return pc
	}
	end := len(phrase)
	stops := ",;)"
	if !paren {
		stops = ",;)("
	}
	if k := strings.IndexAny(phrase, stops); k >= 0 {
		end = k
	}
	phrase = strings.TrimSpace(phrase[:end])
	if len(phrase) > 120 {
		return pc
	}
	words := strings.Fields(phrase)
	if len(words) == 0 {
		return pc
	}
	k := 0
	for k < len(words) && roleModifiers[strings.ToLower(words[k])] {
		k++
	}
	if k < len(words) && (isRoleWord(words[k]) || strings.ToLower(words[k]) == "leder") {
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
	// Länsstyrelsen i Norrbotten" after a field, "(Dalarna Science Park)").
	if startsUpper(words[0]) && (paren || fieldRole) && len(words) <= 6 {
		pc.org = trimOrg(phrase)
	}
	return pc
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

// extractPeople finds the people text names in a work role: titles before
// or after a name, contact fields, staff lists with e-mail and phone. The
// same person named twice is merged, by name or e-mail, and the merge
// recorded in MergedFrom.
func extractPeople(text string, isOrg func(start, end int) bool) []kg.Person {
	var found []kg.Person
	names := findNames(text)
	for n, ns := range names {
		if isOrg != nil && isOrg(ns.start, ns.end) {
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
		lineStart := strings.LastIndexByte(text[:ns.start], '\n') + 1
		wholeLine := strings.TrimSpace(text[lineStart:ns.start]) == "" && (ns.end == len(text) || text[ns.end] == '\n')
		if !pb.cue && !pa.cue && !(ns.known && (pa.org != "" || wholeLine)) {
			continue
		}
		if !ns.known && !pb.cue && !pa.cue {
			continue
		}
		p := kg.Person{Name: ns.name}
		p.Role = firstNonEmpty(pa.role, pb.role)
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
				continue
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
		found = append(found, p)
	}
	return mergePeople(found)
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
