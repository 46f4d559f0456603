package extract

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/textlang"
)

// How Swedish pages announce and report events, as the rules below read
// them:
//
//   - an event page states one event: in labelled fields ("Datum:",
//     "Plats:", "Arrangör:"), in its title ("AgroMorgon 4/2"), or in its
//     text, where a word for a gathering stands next to a time
//     ("årsmötet 7–8 mars 2020", "workshopen i mitten av mars"); a page
//     that reports an event and gives no other time is dated by its
//     dateline or its dated path;
//   - a calendar page lists one event per dated line;
//   - any other page may report or announce events in passing ("Vid
//     Gröna Klustrets årsmöte 2025 …", "med slutkonferens april 2015"):
//     a word for a gathering with a time next to it in the same sentence;
//   - a listing page ("Kalender", "Evenemang") is never itself an event,
//     and a deadline ("anmälan senast 5 mars") is never an event's time.

// eventField matches the labels of an event's facts.
var eventField = regexp.MustCompile(`(?i)(?:^|\n|[.;]\s)(datum|när|tid|tidpunkt|plats|var|lokal|adress|arrangör|arrangörer|arrangeras av|värd|anmälan|anmäl dig|sista anmälningsdag)\s*:\s*`)

// organiserCue marks a sentence that names an event's organisers.
var organiserCue = regexp.MustCompile(`(?i)arrangera|arrangör|anordna|ordnade|ordnar|bjuder in|bjöd in|i samarbete med|tillsammans med|samarrangera|står bakom|hälsar|värd för|på uppdrag av`)

// urlPattern finds a web address in text.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"')]+`)

// eventFields reads the labelled values of an event page.
func eventFields(text string) map[string]string {
	out := map[string]string{}
	ms := eventField.FindAllStringSubmatchIndex(text, -1)
	for i, m := range ms {
		label := strings.ToLower(text[m[2]:m[3]])
		end := len(text)
		if i+1 < len(ms) {
			end = ms[i+1][0]
		}
		v := text[m[1]:end]
		if k := strings.IndexByte(v, '\n'); k >= 0 {
			v = v[:k]
		}
		v = strings.Trim(strings.TrimSpace(v), " .;")
		key := ""
		switch label {
		case "datum", "när", "tid", "tidpunkt":
			key = "when"
		case "plats", "var", "lokal", "adress":
			key = "place"
		case "arrangör", "arrangörer", "arrangeras av", "värd":
			key = "organisers"
		case "anmälan", "anmäl dig", "sista anmälningsdag":
			key = "registration"
		}
		if _, ok := out[key]; !ok && v != "" {
			out[key] = v
		}
	}
	return out
}

// eventNoun is a word for a gathering: its title form, the stem every
// form begins with, and the endings it takes.
type eventNoun struct {
	base     string   // indefinite singular, as a title writes it
	stem     string   // lower case
	endings  []string // what may follow the stem
	alone    []string // endings allowed without a compound head; nil: all of endings
	compound bool     // may end a compound: "slutkonferens", "årsmötet"
	heads    []string // the only compound heads allowed; nil: any head of three letters or more
	notHeads []string // heads that make another word: "redo|visning", "kon|kurs"
	capOnly  bool     // only in a capitalised word: "AgroMorgon", "Fäbodveckan", "Öppet Forum"
	named    bool     // a capitalised compound takes any head: "Agrodagen", "Skaraborgsdagen"
	noAlone  bool     // never without a compound head
}

// eventNouns are the words Swedish pages use for gatherings.
var eventNouns = []eventNoun{
	{base: "konferens", stem: "konferens", endings: []string{"", "en", "er", "erna", "ens"}, compound: true},
	{base: "seminarium", stem: "seminari", endings: []string{"um", "et", "er", "erna", "edag", "edagen", "edagar", "edagarna"}, compound: true},
	{base: "webbinarium", stem: "webbinari", endings: []string{"um", "et", "er", "erna"}, compound: true},
	{base: "webinar", stem: "webinar", endings: []string{"", "et", "s"}, compound: true},
	{base: "workshop", stem: "workshop", endings: []string{"", "en", "pen", "s", "ar", "arna", "par", "parna"}, compound: true},
	{base: "mässa", stem: "mäss", endings: []string{"a", "an", "or", "orna"}, compound: true},
	{base: "möte", stem: "möte", endings: []string{"", "t", "n", "na"}, compound: true},
	{base: "stämma", stem: "stämm", endings: []string{"a", "an"}, alone: []string{"an"}, compound: true},
	{base: "träff", stem: "träff", endings: []string{"", "en", "ar", "arna"}, alone: []string{"en", "arna"}, compound: true},
	{base: "dag", stem: "dag", endings: []string{"", "en", "ar", "arna"}, compound: true, noAlone: true, named: true,
		heads: []string{"tema", "inspirations", "erfarenhets", "fält", "bransch", "skogs", "demonstrations", "visnings",
			"gårds", "konferens", "utbildnings", "studie", "kompetens", "framtids", "skörde", "marknads", "informations",
			"rådgivnings", "nätverks", "kunskaps", "innovations", "företagar", "odlings", "lantbruks", "medlems", "mat"}},
	{base: "kväll", stem: "kväll", endings: []string{"", "en", "ar"}, compound: true, noAlone: true,
		heads: []string{"tema", "informations", "vår", "höst", "sommar", "nätverks", "medlems", "inspirations", "företagar", "mat"}},
	{base: "morgon", stem: "morgon", endings: []string{"", "en"}, compound: true, capOnly: true, noAlone: true},
	{base: "vecka", stem: "veck", endings: []string{"a", "an"}, compound: true, capOnly: true, noAlone: true},
	{base: "forum", stem: "forum", endings: []string{"", "et"}, compound: true, capOnly: true},
	{base: "konvent", stem: "konvent", endings: []string{"", "et"}, compound: true},
	{base: "kongress", stem: "kongress", endings: []string{"", "en"}, compound: true},
	{base: "besök", stem: "besök", endings: []string{"", "et", "en"}, compound: true, noAlone: true,
		heads: []string{"studie", "gårds", "företags", "fält", "verksamhets"}},
	{base: "resa", stem: "res", endings: []string{"a", "an", "or"}, compound: true, noAlone: true, heads: []string{"studie"}},
	{base: "tur", stem: "tur", endings: []string{"", "en"}, compound: true, noAlone: true, heads: []string{"studie"}},
	{base: "exkursion", stem: "exkursion", endings: []string{"", "en", "er", "erna"}, compound: true},
	{base: "visning", stem: "visning", endings: []string{"", "en", "ar", "arna"}, compound: true,
		notHeads: []string{"redo", "hän", "an", "upp", "till", "bort", "ut", "be", "in"}},
	{base: "invigning", stem: "invigning", endings: []string{"", "en"}, compound: true},
	{base: "lansering", stem: "lansering", endings: []string{"", "en"}, compound: true},
	{base: "festival", stem: "festival", endings: []string{"", "en"}, compound: true},
	{base: "kurs", stem: "kurs", endings: []string{"", "en"}, compound: true,
		notHeads: []string{"kon", "dis", "ex", "aktie", "valuta", "kron", "rekord", "börs"}},
	{base: "föreläsning", stem: "föreläsning", endings: []string{"", "en"}, compound: true},
	{base: "dialog", stem: "dialog", endings: []string{"", "en"}, compound: true, noAlone: true},
	{base: "turné", stem: "turné", endings: []string{"", "n"}, compound: true},
	{base: "vandring", stem: "vandring", endings: []string{"", "en"}, compound: true, noAlone: true,
		heads: []string{"fält", "skogs", "natur", "gårds"}},
	{base: "evenemang", stem: "evenemang", endings: []string{"", "et"}, compound: true},
	{base: "gala", stem: "gal", endings: []string{"a", "an"}},
}

// matchEventNoun reports whether word (as written) is a word for a
// gathering, and returns its noun.
func matchEventNoun(word string) (*eventNoun, bool) {
	lower := strings.ToLower(word)
	capital := false
	if r, _ := utf8.DecodeRuneInString(word); unicode.IsUpper(r) {
		capital = true
	}
	for i := range eventNouns {
		n := &eventNouns[i]
		if n.capOnly && !capital {
			continue
		}
		for _, end := range n.endings {
			form := n.stem + end
			if !strings.HasSuffix(lower, form) {
				continue
			}
			head := lower[:len(lower)-len(form)]
			if head == "" {
				if n.noAlone {
					continue
				}
				if n.alone != nil && !containsString(n.alone, end) {
					continue
				}
				return n, true
			}
			if !n.compound || utf8.RuneCountInString(head) < 3 || strings.HasSuffix(head, "-") {
				continue
			}
			if n.heads != nil && !(capital && n.named) && !hasHead(head, n.heads) || n.notHeads != nil && hasHead(head, n.notHeads) {
				continue
			}
			return n, true
		}
	}
	return nil, false
}

// hasHead reports whether a compound's head ends with one of heads
// ("nätverksträff", "inspirationsdag").
func hasHead(head string, heads []string) bool {
	for _, h := range heads {
		if strings.HasSuffix(head, h) {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// listingTitle matches the titles of calendar and archive pages, which
// list events and are not events themselves.
var listingTitle = regexp.MustCompile(`(?i)^\s*(kalender|kalendarium|evenemang|händelser|aktiviteter|kommande\b.*|aktuellt|nyheter|arkiv|program|calendar|events?|upcoming\b.*|category\b.*|kategori\b.*|tagg?\b.*)\s*([–|:-].*)?$`)

// registrationTitle matches the titles of sign-up pages: "Anmälan till
// Beredskapsdag för lantbruket".
var registrationTitle = regexp.MustCompile(`(?i)^\s*(anmälan|anmäl dig|anmälningsformulär|registrering|boka plats|sign up|register)\b`)

// functionWords are words that end a name: articles, prepositions,
// conjunctions and common verbs.
var functionWords = textlang.WordSet("och i på vid för med om till från av den det de en ett som där när att är var har hade " +
	"blir blev kan ska skall hölls hålls samlade samlades ordnades arrangerades genomfördes presenterades " +
	"under inför efter mellan eller men samt även också också nu här the and of in at on for")

// aboutWords open what a gathering is about: "möte med länsstyrelsen",
// "seminarium om biogas", "dag för lantbruket".
var aboutWords = textlang.WordSet("om med för kring")

// deadlineWords before a time make it a deadline, not an event's time.
var deadlineWords = textlang.WordSet("senast sista före innan deadline tom t.o.m anmälan anmäl anmälningsdag anmälningstid ansökan")

// placeNouns may follow a place's capitalised name: "Örebro slott",
// "Angereds gård", "Hössna kyrka", "Örebro län".
var placeNouns = textlang.WordSet("slott slottet gård gården herrgård herrgården säteri kyrka kyrkan prästgård prästgården " +
	"län kommun hus huset park parken center centret centrum hall hallen skola skolan gymnasium gymnasiet")

// word is a word of a text with its byte offsets.
type word struct {
	s          string
	start, end int
}

// textWords splits text into words (letters, digits and inner hyphens or
// full stops, "2.0", "AgroMorgon") and single punctuation marks.
func textWords(text string) []word {
	var out []word
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			out = append(out, word{s: "\n", start: i, end: i + 1})
			i += size
		case unicode.IsSpace(r):
			i += size
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
					j += s2
					continue
				}
				if (r2 == '-' || r2 == '.' || r2 == ':') && j+s2 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[j+s2:])
					if unicode.IsLetter(r3) || unicode.IsDigit(r3) {
						j += s2
						continue
					}
				}
				break
			}
			out = append(out, word{s: text[i:j], start: i, end: j})
			i = j
		default:
			out = append(out, word{s: text[i : i+size], start: i, end: i + size})
			i += size
		}
	}
	return out
}

func isWordText(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isCapitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// eventMention is a word for a gathering found in a text, with the name
// around it and the time stated next to it.
type eventMention struct {
	noun          *eventNoun
	at            int    // index of the noun's word
	title         string // the event's name as the text gives it
	named         bool   // the title holds a name, not the noun alone
	nameEnd       int    // offset just after the noun or the name that follows it
	nounStart     int    // offsets of the noun
	nounEnd       int
	when          span
	hasWhen       bool
	more          []span // further times of a list: "20 januari, 17 februari och 17 mars"
	sentenceStart int
	sentenceEnd   int
}

// Windows, in words, within which a time belongs to a word for a gathering.
const (
	whenAfter  = 9 // "workshopen Framtidens livsmedelsproduktion i Örebro län 6 maj 2019"
	whenBefore = 3 // "den 9 juni hålls konferensen"
)

// findEventMentions returns the words for gatherings in text, each with
// its name and, where one stands next to it in the same sentence, its
// time. skip is a span of text (a dateline) whose time belongs to the
// page, not to an event.
func findEventMentions(text string, ref time.Time, skip span, hasSkip bool) []eventMention {
	ws := textWords(text)
	spans := scanSpans(text, ref, 200)
	var usable []span
	for _, s := range spans {
		if hasSkip && s.pos == skip.pos {
			continue
		}
		if deadline(text, s.pos) {
			continue
		}
		usable = append(usable, s)
	}
	wordAt := func(off int) int { // index of the first word ending after off
		return sort.Search(len(ws), func(i int) bool { return ws[i].end > off })
	}
	var out []eventMention
	taken := map[int]bool{} // spans already given to a mention
	for i, w := range ws {
		if !isWordText(w.s) {
			continue
		}
		n, ok := matchEventNoun(w.s)
		if !ok {
			continue
		}
		m := eventMention{noun: n, at: i, nounStart: w.start, nounEnd: w.end}
		m.sentenceStart, m.sentenceEnd = sentenceBounds(text, w.start, w.end)
		// A year right after the noun names the occasion: "årsmöte 2025".
		if i+1 < len(ws) && len(ws[i+1].s) == 4 && isAllDigits(ws[i+1].s) && ws[i+1].start == w.end+1 {
			if y := atoiSafe(ws[i+1].s); y >= minYear && y <= maxYear && !spanAt(usable, ws[i+1].start) {
				m.when, m.hasWhen = yearOnly(y, ws[i+1].start, ws[i+1].end), true
			}
		}
		first := sort.Search(len(usable), func(k int) bool { return usable[k].pos >= m.sentenceStart })
		for k := first; !m.hasWhen && k < len(usable) && usable[k].pos < m.sentenceEnd; k++ {
			s := usable[k]
			if taken[k] {
				continue
			}
			si := wordAt(s.pos)
			after := si > i && si-i-1 <= whenAfter && !nounBetween(ws, i+1, si)
			ei := wordAt(s.endAt)
			before := ei <= i && i-ei <= whenBefore && !nounBetween(ws, ei, i)
			if !after && !before {
				continue
			}
			m.when, m.hasWhen = s, true
			taken[k] = true
			// A list of times shares what its last one writes: "20
			// januari, 17 februari och 17 mars 2027 kl. 13.00–14.30".
			for k2 := k + 1; k2 < len(usable) && listGap(text[usable[k2-1].endAt:usable[k2].pos]); k2++ {
				m.more = append(m.more, usable[k2])
				taken[k2] = true
			}
			if len(m.more) > 0 {
				m.when, m.more = shareList(m.when, m.more)
			}
		}
		if m.hasWhen && m.when.yearless {
			if y, ok := sentenceYear(text[m.sentenceStart:m.sentenceEnd]); ok {
				m.when = m.when.shiftYear(y - m.when.start.Year())
				m.when.yearless = false
			}
		}
		m.title, m.named, m.nameEnd = mentionTitle(text, ws, i, n, m)
		out = append(out, m)
	}
	return out
}

// listGap reports whether the text between two times joins them in a
// list: a comma, "och", "samt", "&".
func listGap(gap string) bool {
	g := strings.TrimSpace(strings.ToLower(gap))
	return g == "," || g == "och" || g == "samt" || g == "&" || g == ", och" || g == "and"
}

// shareList gives every time of a list the year and the time of day its
// last one writes.
func shareList(first span, more []span) (span, []span) {
	last := more[len(more)-1]
	fix := func(s span) span {
		if s.yearless && !last.yearless {
			s = s.shiftYear(last.start.Year() - s.start.Year())
			s.yearless = false
		}
		if s.prec == precDay && s.allDay && last.prec == precDay && !last.allDay {
			y, mo, d := s.start.Date()
			s.start = time.Date(y, mo, d, last.start.Hour(), last.start.Minute(), 0, 0, last.start.Location())
			if !last.end.IsZero() {
				s.end = time.Date(y, mo, d, last.end.Hour(), last.end.Minute(), 0, 0, last.end.Location())
			}
			s.allDay = false
		}
		return s
	}
	first = fix(first)
	for i := range more[:len(more)-1] {
		more[i] = fix(more[i])
	}
	return first, more
}

// sentenceYear returns the one year a sentence writes, if it writes
// exactly one: "Smaka på kusten 2027 – matmässa i Tångeviken 8 september".
func sentenceYear(sentence string) (int, bool) {
	year := 0
	for _, t := range lexDates(sentence) {
		if t.kind != 'n' || len(t.s) != 4 {
			continue
		}
		y := atoiSafe(t.s)
		if y < minYear || y > maxYear {
			continue
		}
		if year != 0 && y != year {
			return 0, false
		}
		year = y
	}
	return year, year != 0
}

// spanAt reports whether one of spans begins at off.
func spanAt(spans []span, off int) bool {
	for _, s := range spans {
		if s.pos == off {
			return true
		}
	}
	return false
}

// nounBetween reports whether a word for a gathering stands among ws[i:j].
func nounBetween(ws []word, i, j int) bool {
	for k := i; k < j && k < len(ws); k++ {
		if _, ok := matchEventNoun(ws[k].s); ok && isWordText(ws[k].s) {
			return true
		}
	}
	return false
}

// deadline reports whether the time at off is a deadline: "anmälan
// senast 5 mars", "sista dag 1/9".
func deadline(text string, off int) bool {
	before := strings.ToLower(text[max(0, off-30):off])
	fields := strings.FieldsFunc(before, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' })
	for k := len(fields) - 1; k >= 0 && k >= len(fields)-3; k-- {
		if deadlineWords[strings.Trim(fields[k], ".")] || strings.HasPrefix(fields[k], "anmäl") {
			return true
		}
	}
	return false
}

func isAllDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func atoiSafe(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > 1e6 {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// mentionTitle builds an event's name around the noun at ws[i]: the
// owner before it ("Gröna Klustrets årsmöte"), the name after it
// ("workshopen Framtidens livsmedelsproduktion i Örebro län", "konferensen
// Agrodagen"), a year that names the occasion ("årsmöte 2025"), or the
// noun alone. named is false for the noun alone; end is the offset just
// after the noun or its name.
func mentionTitle(text string, ws []word, i int, n *eventNoun, m eventMention) (title string, named bool, end int) {
	w := ws[i]
	noun := w.s
	// A capitalised word is a name ("Agrodagen", "Öppet Forum") unless it
	// only opens a sentence ("Webbinarierna hålls …", "Temadagen …").
	lowerWord := strings.ToLower(w.s)
	initial := m.sentenceStart <= w.start && strings.TrimSpace(text[m.sentenceStart:w.start]) == ""
	isName := isCapitalised(w.s) && (!initial || n.capOnly ||
		n.named && len(lowerWord) > len(n.stem) && !hasHead(lowerWord[:strings.LastIndex(lowerWord, n.stem)], n.heads))
	if !isName {
		noun = n.base
		if head := strings.ToLower(w.s); len(head) > len(n.stem) {
			// Keep a compound's head: "slutkonferensen" → "slutkonferens".
			if k := strings.LastIndex(head, n.stem); k > 0 {
				noun = head[:k] + n.base
			}
		}
	}
	// The owner: genitives before the noun, the first capitalised.
	first := i
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		s := ws[k].s
		if !isWordText(s) || functionWords[strings.ToLower(s)] || ws[k].end+1 < ws[k+1].start {
			break
		}
		if k == i-1 && !(strings.HasSuffix(s, "s") || strings.HasSuffix(s, ":s")) && !(n.capOnly && isCapitalised(s)) {
			break
		}
		if !isCapitalised(s) && !(strings.HasSuffix(s, "s") && k == i-1) {
			break
		}
		first = k
	}
	if first < i && !isCapitalised(ws[first].s) {
		first = i // "skogens krafts" without a capital is no name
	}
	owner := ""
	if first < i {
		owner = text[ws[first].start:ws[i-1].end]
	}
	// A name set before the noun with a dash: "Smaka på kusten 2027 –
	// matmässa i Tångeviken".
	if owner == "" && i >= 2 && (ws[i-1].s == "–" || ws[i-1].s == "—" || ws[i-1].s == "-") {
		k := i - 2
		for k > 0 && ws[k-1].start >= m.sentenceStart && ws[k-1].s != "\n" && i-1-k < 6 {
			k--
		}
		if ws[k].start >= m.sentenceStart && isCapitalised(ws[k].s) && i-1-k <= 6 &&
			(k == 0 || ws[k-1].s == "\n" || ws[k-1].start < m.sentenceStart) {
			return strings.TrimSpace(text[ws[k].start:ws[i-2].end]), true, w.end
		}
	}
	// The name after the noun: a capitalised word and what follows it, up
	// to the time, a function word before a lower-case word, or the end
	// of the clause.
	name := ""
	end = w.end
	if i+1 < len(ws) && isWordText(ws[i+1].s) && isCapitalised(ws[i+1].s) && !functionWords[strings.ToLower(ws[i+1].s)] &&
		!isMonthWord(ws[i+1].s) {
		last := i + 1
		for k := i + 2; k < len(ws) && k <= i+8; k++ {
			s := ws[k].s
			if m.hasWhen && ws[k].start >= m.when.pos && m.when.pos > w.end {
				break
			}
			if !isWordText(s) {
				if s == "–" || s == "-" {
					continue
				}
				break
			}
			lower := strings.ToLower(s)
			if functionWords[lower] {
				if k+1 < len(ws) && isWordText(ws[k+1].s) && isCapitalised(ws[k+1].s) && !isMonthWord(ws[k+1].s) {
					continue
				}
				break
			}
			if isMonthWord(s) || isAllDigits(s) && !(m.when.prec == precYear && ws[k].start == m.when.pos) {
				break
			}
			if !isCapitalised(s) && (!m.hasWhen || m.when.pos < w.end) {
				break
			}
			last = k
		}
		name = strings.Trim(text[ws[i+1].start:ws[last].end], " –-,")
		end = ws[last].end
	}
	// Or what the gathering is about: "möte med länsstyrelsen",
	// "Beredskapsdag för lantbruket".
	if name == "" && i+2 < len(ws) && aboutWords[strings.ToLower(ws[i+1].s)] && ws[i+1].start <= w.end+1 {
		last := i
		for k := i + 2; k < len(ws) && k <= i+5; k++ {
			s := ws[k].s
			if !isWordText(s) || functionWords[strings.ToLower(s)] || isMonthWord(s) || isAllDigits(s) ||
				m.hasWhen && ws[k].start >= m.when.pos && m.when.pos > w.end {
				break
			}
			last = k
		}
		if last > i {
			name = text[ws[i+1].start:ws[last].end]
			end = ws[last].end
		}
	}
	year := ""
	if m.hasWhen && m.when.prec == precYear {
		year = " " + text[m.when.pos:m.when.endAt]
	}
	switch {
	case name != "":
		if _, ok := matchEventNoun(strings.Fields(name)[0]); ok && !aboutWords[strings.ToLower(strings.Fields(name)[0])] {
			return strings.TrimSpace(owner + " " + name), true, end
		}
		if _, ok := matchEventNoun(lastField(name)); ok {
			return name, true, end
		}
		if owner != "" {
			return owner + " " + w.s + " " + name, true, end
		}
		return upperFirst(noun) + " " + name, true, end
	case owner != "":
		return owner + " " + noun + year, true, end
	case isName && utf8.RuneCountInString(w.s) > len(n.stem)+2:
		return w.s + year, true, end // a name in itself: "Agrodagen", "Fäbodveckan"
	}
	return upperFirst(noun) + year, false, end
}

func lastField(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// isMonthWord reports whether s is a month's name.
func isMonthWord(s string) bool {
	_, ok := fullMonth(strings.ToLower(s))
	return ok
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// findPlace finds the place an event is held at in text[from:to]: "på
// Örebro slott", "på Lilla Böslid, Eldsberga", "vid Borgs Lantbruk i
// Gustafs"; or "i Skara" right after one of anchors, the offsets where the
// event's name or time ends ("konferensen i Skara", "5 maj i Skara"). A
// name that is the event's own ("samlades på AgroMorgon") or an owner
// ("vid Gröna Klustrets årsmöte") is no place.
func findPlace(text string, from, to int, anchors ...int) string {
	from, to = max(0, from), min(len(text), to)
	if from >= to {
		return ""
	}
	part := text[from:to]
	ws := textWords(part)
	inPlace := ""
	for i := 0; i+1 < len(ws); i++ {
		prep := strings.ToLower(ws[i].s)
		if prep != "på" && prep != "vid" && prep != "i" {
			continue
		}
		if prep == "i" {
			anchored := false
			for _, a := range anchors {
				if i > 0 && from+ws[i-1].end == a {
					anchored = true
				}
			}
			if !anchored || inPlace != "" {
				continue
			}
		}
		p, last := placeAt(part, ws, i+1)
		if p == "" {
			continue
		}
		if next := last + 1; next < len(ws) && isWordText(ws[next].s) && strings.HasSuffix(ws[last].s, "s") &&
			!functionWords[strings.ToLower(ws[next].s)] {
			continue // a genitive: "vid Gröna Klustrets årsmöte"
		}
		if namesEvent(p) {
			continue
		}
		if prep == "i" {
			inPlace = p
			continue
		}
		return p
	}
	return inPlace
}

// placeAt reads a place name starting at ws[i]: capitalised words and the
// common nouns of places after them, then ", Town" or "i Town". It returns
// the name and the index of its last word.
func placeAt(text string, ws []word, i int) (string, int) {
	if i >= len(ws) || !isWordText(ws[i].s) || !isCapitalised(ws[i].s) || isMonthWord(ws[i].s) ||
		functionWords[strings.ToLower(ws[i].s)] {
		return "", i
	}
	last := i
	for k := i + 1; k < len(ws) && k <= i+3; k++ {
		s := ws[k].s
		if !isWordText(s) || !(isCapitalised(s) && !isMonthWord(s) || placeNouns[strings.ToLower(s)]) {
			break
		}
		last = k
	}
	// ", Eldsberga" or "i Gustafs": the town after the place.
	if k := last + 1; k+1 < len(ws) && (ws[k].s == "," || strings.ToLower(ws[k].s) == "i") &&
		isWordText(ws[k+1].s) && isCapitalised(ws[k+1].s) && !isMonthWord(ws[k+1].s) && !functionWords[strings.ToLower(ws[k+1].s)] {
		last = k + 1
	}
	return strings.TrimSpace(text[ws[i].start:ws[last].end]), last
}

// eventPageInput is what the text of a page gives to find its events.
type eventPageInput struct {
	title, text  string
	ref          time.Time // the date years are read against
	page         span      // the page's own date, if hasPage
	hasPage      bool
	pageWeak     bool   // the page's date is only the document's date, which an event page may take from a deadline
	eventPage    bool   // the page is an event page
	kind         string // the page's kind
	registration string // the page's registration link, if any
	find         func(string) []string
}

// textEvents finds the events a page's text states: for an event page its
// calendar lines or its one event, for any page the events it reports in
// passing.
func textEvents(in eventPageInput) []kg.Event {
	if in.find == nil {
		in.find = func(string) []string { return nil }
	}
	listing := listingTitle.MatchString(in.title)
	if registrationTitle.MatchString(in.title) {
		return nil // a sign-up form is not itself an event
	}
	if in.eventPage {
		listed := calendarLines(in)
		if len(listed) >= 2 || listing {
			return listed
		}
		return pageEvents(in)
	}
	return reportedEvents(in)
}

// calendarLines reads a calendar: lines that begin with a date, each one
// event titled by the rest of the line or the next line.
func calendarLines(in eventPageInput) []kg.Event {
	lines := strings.Split(in.text, "\n")
	var listed []kg.Event
	for i, l := range lines {
		ss := scanSpans(l, in.ref, 1)
		if len(ss) == 0 || ss[0].pos > 8 || strings.Contains(l[:ss[0].pos], ":") || published(strings.ToLower(l[:ss[0].pos])) {
			continue
		}
		s := inferYear(ss[0], in.ref, false)
		rest := strings.Trim(l[s.endAt:], " –-:|,")
		rest = strings.TrimSpace(endTimePattern.ReplaceAllString(rest, ""))
		rest = strings.Trim(rest, " –-:|,")
		if len([]rune(rest)) < 4 && i+1 < len(lines) {
			rest = lines[i+1]
		}
		if len([]rune(rest)) < 4 || listingTitle.MatchString(rest) {
			continue
		}
		ev := kg.Event{Title: truncateRunes(rest, maxTitleRunes), Snippet: truncateRunes(l, 280)}
		setWhen(&ev, s)
		ev.Organisers = in.find(l)
		ev.Place = findPlace(l, 0, len(l), s.endAt)
		listed = append(listed, ev)
	}
	return listed
}

// pastCue marks a sentence that reports an event that took place.
var pastCue = regexp.MustCompile(`(?i)(^|[^\pL])(hölls|ägde rum|deltog|var|blev|gick|kom|bjöd|höll|\pL+ades?|\pL+des|\pL+tes)([^\pL]|$)`)

// inferYear gives a time written without a year the year that fits: ref's
// year, or the next when the time would fall more than two months before
// ref and the text announces rather than reports it.
func inferYear(s span, ref time.Time, past bool) span {
	if !s.yearless || ref.IsZero() {
		return s
	}
	if !past && s.start.Before(ref.AddDate(0, -2, 0)) {
		return s.shiftYear(1)
	}
	if past && s.start.After(ref.AddDate(0, 1, 0)) {
		return s.shiftYear(-1)
	}
	return s
}

// setWhen writes a span into an event: a day keeps its time of day and
// end; a week, a month or a year becomes a whole-day range over it.
func setWhen(ev *kg.Event, s span) {
	ev.Start, ev.End, ev.AllDay = s.start, s.end, s.allDay
}

// pageEvents reads the one event of an event page, or the dates of one
// event series ("Webbinarierna hålls 20 januari, 17 februari och 17 mars
// 2027").
func pageEvents(in eventPageInput) []kg.Event {
	text := in.text
	f := eventFields(text)
	ev := kg.Event{Title: in.title}
	mentions := findEventMentions(text, in.ref, in.page, in.hasPage)
	var when span
	found := false
	past := false
	// 1. The labelled date.
	if w := f["when"]; w != "" {
		if ss := scanSpans(w, in.ref, 1); len(ss) == 1 {
			when, found = inferYear(ss[0], in.ref, false), true
		}
	}
	// 2. A date in the title: "AgroMorgon 4/2", "Framtidens lantbruk i
	// Skåne, 2014-03-20".
	if !found {
		if s, ok := titleDate(in.title, in.ref); ok {
			when, found = s, true
		}
	}
	// 3. A word for a gathering with a time next to it; the most precise
	// time wins ("Årsmöte 2020 … årsmöte 7–8 mars 2020").
	var chosen *eventMention
	if !found {
		for k := range mentions {
			if mentions[k].hasWhen && (chosen == nil || mentions[k].when.prec < chosen.when.prec) {
				chosen = &mentions[k]
			}
		}
		if chosen != nil {
			past = pastCue.MatchString(text[chosen.sentenceStart:chosen.sentenceEnd])
			when, found = inferYear(chosen.when, in.ref, past), true
		}
	}
	// 4. The first time in the text that is neither the page's dateline,
	// a publication date nor a deadline.
	if !found {
		for _, s := range scanSpans(truncateRunes(text, eventRunes), in.ref, 40) {
			if in.hasPage && s.pos == in.page.pos || published(strings.ToLower(text[max(0, s.pos-40):s.pos])) ||
				deadline(text, s.pos) {
				continue
			}
			st, en := sentenceBounds(text, s.pos, s.endAt)
			past = pastCue.MatchString(text[st:en])
			when, found = inferYear(s, in.ref, past), true
			break
		}
	}
	// 5. A page that reports an event and states no other time: the
	// page's own date.
	if !found && in.hasPage && !in.pageWeak {
		when, found = in.page, true
	}
	if !found {
		return nil
	}
	setWhen(&ev, when)

	// The title: the page's own, unless the text names the event and the
	// page's title does not ("Ministerbesök om lokal produktion av mat"
	// reports "konferensen Agrodagen").
	if !titleNamesEvent(in.title) || listingTitle.MatchString(in.title) {
		named := chosen
		if named == nil || !named.named {
			named = nil
			for k := range mentions {
				if mentions[k].named {
					named = &mentions[k]
					break
				}
			}
		}
		if named != nil {
			ev.Title = named.title
		}
	}
	if listingTitle.MatchString(ev.Title) {
		return nil
	}
	ev.Title = stripDate(ev.Title, in.ref)

	// Place.
	ev.Place = f["place"]
	if ev.Place == "" {
		if chosen != nil {
			ev.Place = findPlace(text, chosen.sentenceStart, chosen.sentenceEnd, chosen.nameEnd, chosen.when.endAt)
		} else if when.endAt > 0 {
			st, en := sentenceBounds(text, when.pos, when.endAt)
			ev.Place = findPlace(text, st, en, when.endAt)
		}
	}
	// Organisers.
	if o := f["organisers"]; o != "" {
		ev.Organisers = kg.SplitNames(stripParens(o))
	} else {
		for _, loc := range organiserCue.FindAllStringIndex(text, 4) {
			s, e := sentenceBounds(text, loc[0], loc[1])
			ev.Organisers = appendNew(ev.Organisers, in.find(text[s:e])...)
		}
		if chosen != nil && len(ev.Organisers) == 0 {
			ev.Organisers = ownerOrganisers(text, chosen, in.find)
		}
	}
	ev.RegistrationURL = in.registration
	if ev.RegistrationURL == "" {
		if r := f["registration"]; r != "" {
			ev.RegistrationURL = urlPattern.FindString(r)
		}
	}
	ev.Snippet = truncateRunes(firstSentences(text), 280)
	out := []kg.Event{ev}
	if chosen != nil {
		for _, more := range chosen.more {
			next := ev
			setWhen(&next, inferYear(more, in.ref, past))
			out = append(out, next)
		}
	}
	return out
}

// ownerOrganisers returns the organisations a mention's owner names:
// "Gröna Klustrets årsmöte" is organised by Gröna Klustret.
func ownerOrganisers(text string, m *eventMention, find func(string) []string) []string {
	start := max(m.sentenceStart, m.nounStart-60)
	if start >= m.nounStart {
		return nil
	}
	return find(text[start:m.nounStart])
}

// titleNamesEvent reports whether a page's title names its event: it
// holds a date, or a word for a gathering among its first three words.
func titleNamesEvent(title string) bool {
	ws := textWords(title)
	n := 0
	for _, w := range ws {
		if !isWordText(w.s) {
			continue
		}
		n++
		if n > 3 {
			break
		}
		if _, ok := matchEventNoun(w.s); ok {
			return true
		}
	}
	return len(scanSpans(title, time.Now(), 1)) > 0
}

// titleDate reads a date in an event page's title. A title may write a
// day and month alone: "AgroMorgon 4/2".
func titleDate(title string, ref time.Time) (span, bool) {
	if ss := scanSpans(title, ref, 1); len(ss) == 1 && ss[0].prec <= precMonth {
		return inferYear(ss[0], ref, false), true
	}
	m := titleDayMonth.FindStringSubmatchIndex(title)
	if m == nil {
		return span{}, false
	}
	d, mo := atoiSafe(title[m[2]:m[3]]), atoiSafe(title[m[4]:m[5]])
	t := time.Date(ref.Year(), time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if mo < 1 || mo > 12 || t.Day() != d {
		return span{}, false
	}
	s := span{start: t, allDay: true, prec: precDay, yearless: true, pos: m[0], endAt: m[1]}
	return inferYear(s, ref, true), true
}

// titleDayMonth matches "4/2" ending a title.
var titleDayMonth = regexp.MustCompile(`(?:^|\s)([0-3]?\d)/([01]?\d)\s*$`)

// reportedEvents finds the events a page that is not an event page
// reports or announces in passing: a word for a gathering with a time
// next to it in the same sentence.
func reportedEvents(in eventPageInput) []kg.Event {
	var out []kg.Event
	seen := map[string]bool{}
	routine := in.kind == kg.KindAbout || in.kind == kg.KindContact
	for _, m := range findEventMentions(in.text, in.ref, in.page, in.hasPage) {
		if !m.hasWhen {
			continue
		}
		// A time without a year is read against the page's date: on a page
		// without one, a passing mention cannot be placed in a year. A
		// month or a week without a year on an about or contact page names
		// a routine ("väljs på årsstämman i mars").
		if m.when.yearless && (!in.hasPage || routine && m.when.prec != precDay) {
			continue
		}
		sentence := in.text[m.sentenceStart:m.sentenceEnd]
		past := pastCue.MatchString(sentence)
		next := nextYearCue.MatchString(sentence)
		title := m.title
		place := findPlace(in.text, m.sentenceStart, m.sentenceEnd, m.nameEnd, m.when.endAt)
		if !m.named {
			if place != "" && placeFollows(in.text, m, place) {
				title += " " + placePhrase(in.text, m, place)
			} else if in.title != "" && !strings.Contains(strings.ToLower(in.title), strings.ToLower(title)) {
				title += " – " + stripDate(in.title, in.ref)
			}
		}
		organisers := organisersOf(in.text, &m, in.find)
		for _, when := range append([]span{m.when}, m.more...) {
			s := inferYear(when, in.ref, past)
			if next && when.yearless && s.start.Year() == in.ref.Year() {
				s = s.shiftYear(1) // "Nästa år hålls Kornknarrsdagen i juni"
			}
			key := kg.Slug(title) + s.start.Format("2006-01-02")
			if seen[key] {
				continue
			}
			seen[key] = true
			ev := kg.Event{Title: truncateRunes(title, maxTitleRunes), Snippet: truncateRunes(strings.TrimSpace(sentence), 280),
				Place: place, Organisers: organisers}
			setWhen(&ev, s)
			out = append(out, ev)
			if len(out) == maxEvents {
				return out
			}
		}
	}
	return out
}

// nextYearCue marks a sentence about next year's occasion.
var nextYearCue = regexp.MustCompile(`(?i)(^|[^\pL])(nästa år|till nästa år|nästkommande år|next year)([^\pL]|$)`)

// placeFollows reports whether place stands right after the mention's
// noun ("vårkväll vid Hössna kyrka").
func placeFollows(text string, m eventMention, place string) bool {
	end := m.nounEnd
	i := strings.Index(text[end:], place)
	return i >= 0 && i <= 5
}

// placePhrase returns the preposition and place after a mention's noun.
func placePhrase(text string, m eventMention, place string) string {
	end := m.nounEnd
	i := strings.Index(text[end:], place)
	return strings.TrimSpace(text[end : end+i+len(place)])
}

// organisersOf returns the organisers a mention's sentence names: its
// owner, or the organisations a sentence with an organiser cue names.
func organisersOf(text string, m *eventMention, find func(string) []string) []string {
	out := ownerOrganisers(text, m, find)
	sentence := text[m.sentenceStart:m.sentenceEnd]
	if len(out) == 0 && organiserCue.MatchString(sentence) {
		out = find(sentence)
	}
	return out
}

// published reports whether text before a date marks it as a publication
// date.
func published(before string) bool {
	for _, w := range publishedWords {
		if strings.Contains(before, w) {
			return true
		}
	}
	return strings.Contains(before, "uppdaterad")
}

// firstSentences returns the first two hundred or so characters of text.
func firstSentences(text string) string {
	s, e := sentenceBounds(text, 0, 0)
	out := text[s:e]
	if len(out) < 80 && e < len(text) {
		_, e2 := sentenceBounds(text, e+1, e+1)
		out = text[s:e2]
	}
	return strings.TrimSpace(out)
}

func appendNew(list []string, vs ...string) []string {
	for _, v := range vs {
		dup := false
		for _, x := range list {
			if strings.EqualFold(x, v) {
				dup = true
				break
			}
		}
		if !dup && v != "" {
			list = append(list, v)
		}
	}
	return list
}

// documentEvents sets d's events from its text when its format states
// none: an event page's calendar lines or its one event, and on any page
// the events it reports in passing. u is the page's URL; dates are the
// page's own dates. Organisers are recorded among d's
// organisations so that the graph resolves them.
func (e *Extractor) documentEvents(d *kg.Document, p parsed, entry kg.Entry, u *url.URL, dates pageDates) {
	if len(p.events) > 0 {
		return
	}
	in := eventPageInput{title: d.Title, text: d.Text, eventPage: d.Kind == kg.KindEvent, kind: d.Kind}
	in.page, in.hasPage = dates.page, dates.hasPage
	if !in.hasPage {
		// A stated publication date ("Publicerad 28 maj 2025", a meta tag).
		pub := p.published
		if pub.IsZero() {
			pub = dates.marked
		}
		if !pub.IsZero() {
			in.page, in.hasPage, in.pageWeak = span{start: pub, allDay: true, prec: precDay, pos: -1, endAt: -1}, true, true
		}
	}
	in.ref = dates.ref
	if in.hasPage {
		in.ref = in.page.start
	}
	if in.eventPage && p.registration != "" && u != nil {
		if r, err := u.Parse(p.registration); err == nil && (r.Scheme == "http" || r.Scheme == "https") {
			in.registration = r.String()
		}
	}
	in.find = func(s string) []string {
		var out []string
		for _, f := range e.findOrgs(s) {
			out = appendNew(out, f.name)
		}
		return out
	}
	events := textEvents(in)
	own := ""
	if entry.Kind == kg.EntryCluster {
		own = entry.ID
	}
	known := map[string]bool{}
	for _, o := range d.Organisations {
		known[kg.Slug(o.Name)] = true
		for _, w := range o.Written {
			known[kg.Slug(w)] = true
		}
	}
	for i := range events {
		ev := &events[i]
		if len(ev.Organisers) == 0 && own != "" && in.eventPage {
			ev.Organisers = []string{e.clusterName(own)}
		}
		if in.eventPage && len(events) == 1 {
			for _, m := range d.Topics {
				ev.Topics = append(ev.Topics, m.TopicID)
			}
		} else {
			for _, m := range e.Topics.Match(ev.Title + "\n" + ev.Snippet) {
				ev.Topics = append(ev.Topics, m.TopicID)
			}
		}
		for _, o := range ev.Organisers {
			if known[kg.Slug(o)] {
				continue
			}
			known[kg.Slug(o)] = true
			if f, ok := e.lookupOrg(o); ok {
				d.Organisations = append(d.Organisations, kg.OrgMention{ID: f.id, Name: f.name, Kind: f.kind,
					ClusterID: f.clusterID, Written: []string{o}, Snippet: ev.Snippet})
				continue
			}
			if slug := kg.Slug(o); slug != "" {
				d.Organisations = append(d.Organisations, kg.OrgMention{ID: slug, Name: o, Snippet: ev.Snippet})
			}
		}
	}
	d.Events = events
}

// stripDate removes a date from a title: "Framtidens lantbruk i Skåne,
// 2014-03-20" → "Framtidens lantbruk i Skåne", "AgroMorgon 4/2" →
// "AgroMorgon". A title that is only a date is kept.
func stripDate(title string, ref time.Time) string {
	start, end := -1, -1
	if ss := scanSpans(title, ref, 1); len(ss) == 1 && ss[0].prec <= precMonth {
		start, end = ss[0].pos, ss[0].endAt
	} else if m := titleDayMonth.FindStringIndex(title); m != nil {
		start, end = m[0], m[1]
	}
	if start < 0 {
		return title
	}
	out := strings.Trim(title[:start], " ,–-:|") + " " + strings.Trim(title[end:], " ,–-:|")
	if out = strings.TrimSpace(out); letters(out) < 3 {
		return title
	}
	return out
}

// namesEvent reports whether one of the words of s is a word for a
// gathering.
func namesEvent(s string) bool {
	for _, f := range strings.Fields(s) {
		if _, ok := matchEventNoun(strings.Trim(f, ",.:;")); ok {
			return true
		}
	}
	return false
}
