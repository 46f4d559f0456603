package extract

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Stockholm must load on machines without a zone database
	"unicode"
	"unicode/utf8"
)

// stockholm is the zone of times of day written on Swedish pages.
var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

// Years outside this range are not taken for dates.
const (
	minYear = 1990
	maxYear = 2100
)

// months maps Swedish and English month names and their abbreviations to
// month numbers.
var months = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1,
	"februari": 2, "feb": 2, "february": 2,
	"mars": 3, "mar": 3, "march": 3,
	"april": 4, "apr": 4,
	"maj": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6,
	"juli": 7, "jul": 7, "july": 7,
	"augusti": 8, "aug": 8, "august": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10,
	"november": 11, "nov": 11,
	"december": 12, "dec": 12,
}

// swedishMonths are the full Swedish month names, January first.
var swedishMonths = [12]string{"januari", "februari", "mars", "april", "maj", "juni",
	"juli", "augusti", "september", "oktober", "november", "december"}

// dateLeads are words that may stand before a day/month date such as
// "15/3" and make it a date rather than a fraction.
var dateLeads = map[string]bool{
	"den": true, "datum": true, "måndag": true, "tisdag": true, "onsdag": true, "torsdag": true,
	"fredag": true, "lördag": true, "söndag": true, "mån": true, "tis": true, "ons": true,
	"tor": true, "tors": true, "fre": true, "lör": true, "sön": true,
}

// ParseDate finds the first date in s and returns it. It reads Swedish
// dates ("15 mars 2024", "15:e mars", "3 maj 2023 kl. 13.00", "15/3 2024"),
// ISO dates ("2024-03-15", "2024-03-15T13:00") and English ones
// ("15 March 2024", "March 15, 2024"). Month names may be abbreviated
// ("15 okt."). A date without a year takes the year of now.
//
// A date alone is midnight UTC; a date with a time of day is in Swedish
// time, and hasTime is true.
func ParseDate(s string, now time.Time) (t time.Time, hasTime, ok bool) {
	ds := scanDates(s, now, 1)
	if len(ds) == 0 {
		return time.Time{}, false, false
	}
	return ds[0].t, ds[0].hasTime, true
}

// dateMatch is a date found in a text.
type dateMatch struct {
	t          time.Time
	hasTime    bool
	start, end int  // byte offsets of the expression
	yearless   bool // the year was not written and comes from now
	lastDay    int  // the last day of a range of days ("15–16 mars"), else 0
}

// dateToken is a word, a number or one punctuation character.
type dateToken struct {
	s          string // lower case
	kind       byte   // 'n' number, 'w' word, 'p' punctuation
	start, end int
	space      bool // whitespace precedes it
}

// dateLexer splits a text into number, word and punctuation tokens as
// they are asked for, so that a scan that stops early does not read the
// rest of the text.
type dateLexer struct {
	s     string
	pos   int  // where the next token is looked for
	space bool // whitespace precedes pos
	toks  []dateToken
}

func newDateLexer(s string) *dateLexer {
	return &dateLexer{s: s, space: true, toks: make([]dateToken, 0, min(len(s)/4+1, 16))}
}

// has reports whether the text has a token k, reading up to it.
func (lx *dateLexer) has(k int) bool {
	for len(lx.toks) <= k && lx.next() {
	}
	return k < len(lx.toks)
}

// tok returns token k, or the zero token past the end of the text. A
// token already read is a slice index; tok is small enough to be inlined
// where dateAt and timeAt look at a token, which they do many times for
// every token of a text.
func (lx *dateLexer) tok(k int) dateToken {
	if uint(k) < uint(len(lx.toks)) {
		return lx.toks[k]
	}
	return lx.tokAhead(k)
}

// tokAhead is tok for a token not read yet.
func (lx *dateLexer) tokAhead(k int) dateToken {
	if lx.has(k) {
		return lx.toks[k]
	}
	return dateToken{}
}

// next reads one more token; it reports false at the end of the text.
func (lx *dateLexer) next() bool {
	s := lx.s
	for i := lx.pos; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var t dateToken
		switch {
		case unicode.IsSpace(r):
			lx.space = true
			i += size
			continue
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			t = dateToken{s: s[i:j], kind: 'n', start: i, end: j, space: lx.space}
		case unicode.IsLetter(r):
			j := i
			lower := true // every letter is its own lower case
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				if r2 < utf8.RuneSelf {
					lower = lower && (r2 < 'A' || r2 > 'Z')
				} else {
					lower = lower && unicode.ToLower(r2) == r2
				}
				j += sz
			}
			w := s[i:j]
			if !lower {
				w = strings.ToLower(w)
			}
			t = dateToken{s: w, kind: 'w', start: i, end: j, space: lx.space}
		default:
			t = dateToken{s: s[i : i+size], kind: 'p', start: i, end: i + size, space: lx.space}
		}
		lx.toks = append(lx.toks, t)
		lx.pos, lx.space = t.end, false
		return true
	}
	lx.pos = len(s)
	return false
}

// forget drops the tokens before k when toks is full and they are at
// least half of it, so that a scan through a long text reuses their room
// instead of holding every token of the text; token k+j is then token j.
// It returns how many tokens it dropped.
func (lx *dateLexer) forget(k int) int {
	if k <= 0 || len(lx.toks) < cap(lx.toks) || 2*k < len(lx.toks) {
		return 0
	}
	n := copy(lx.toks, lx.toks[k:])
	lx.toks = lx.toks[:n]
	return k
}

// lexAll returns a lexer that has read all of s.
func lexAll(s string) *dateLexer {
	lx := newDateLexer(s)
	for lx.next() {
	}
	return lx
}

// lexDates splits all of s into tokens.
func lexDates(s string) []dateToken { return lexAll(s).toks }

// scanDates returns up to limit dates found in s, in order.
func scanDates(s string, now time.Time, limit int) []dateMatch {
	return scanDatesUntil(s, now, limit, nil)
}

// scanDatesUntil is scanDates that also stops after a date for which
// stop, if not nil, is true.
func scanDatesUntil(s string, now time.Time, limit int, stop func(dateMatch) bool) []dateMatch {
	lx := newDateLexer(s)
	var out []dateMatch
	for i := 0; lx.has(i) && len(out) < limit; i++ {
		i -= lx.forget(i - 1) // dateAt looks back one token, never further
		if d, next, ok := dateAt(lx, i, now); ok {
			out = append(out, d)
			if stop != nil && stop(d) {
				break
			}
			i = next - 1
		}
	}
	return out
}

// dateAt tries to read a date starting at token i; it returns the date and
// the index of the first token after it.
func dateAt(lx *dateLexer, i int, now time.Time) (dateMatch, int, bool) {
	// Not the method value lx.tok: a call through it is not inlined.
	tok := func(k int) dateToken { return lx.tok(k) }
	isNum := func(k, minLen, maxLen int) bool {
		t := tok(k)
		return t.kind == 'n' && len(t.s) >= minLen && len(t.s) <= maxLen
	}
	isPunct := func(k int, set string) bool {
		t := tok(k)
		return t.kind == 'p' && strings.Contains(set, t.s)
	}
	num := func(k int) int { n, _ := strconv.Atoi(tok(k).s); return n }
	// A number glued to a preceding number, word or separator is part of
	// something else: a phone number, a code, a range.
	if t := tok(i); i > 0 && t.kind == 'n' && !t.space {
		if p := tok(i - 1); p.kind != 'p' || strings.Contains("-–/.,+", p.s) {
			return dateMatch{}, 0, false
		}
	}
	var year, day, lastDay int
	var month time.Month
	k := i
	switch {
	// 2024-03-15
	case isNum(k, 4, 4) && isPunct(k+1, "-") && isNum(k+2, 1, 2) && isPunct(k+3, "-") && isNum(k+4, 1, 2) &&
		!tok(k+1).space && !tok(k+2).space && !tok(k+3).space && !tok(k+4).space:
		year, month, day = num(k), time.Month(num(k+2)), num(k+4)
		k += 5
	// 15 mars 2024, 15:e mars, 15–16 mars, 15 okt.
	case isNum(k, 1, 2):
		day = num(k)
		k++
		if isPunct(k, ":") && !tok(k).space && tok(k+1).kind == 'w' && (tok(k+1).s == "e" || tok(k+1).s == "a") {
			k += 2
		} else if isPunct(k, ".") && months[tok(k+1).s] != 0 {
			k++
		} else if isPunct(k, "-–") && isNum(k+1, 1, 2) && months[tok(k+2).s] != 0 {
			lastDay = num(k + 1)
			k += 2 // a range of days: the first day is the date
		}
		if m := months[tok(k).s]; m != 0 && tok(k).kind == 'w' {
			month = m
			k++
			if isPunct(k, ".") {
				k++
			}
			if isNum(k, 4, 4) {
				year = num(k)
				k++
			}
			break
		}
		// 15/3 2024, 15/3-2024, or 15/3 after "den" or a weekday.
		k = i + 1
		if isPunct(k, "/") && !tok(k).space && isNum(k+1, 1, 2) && !tok(k+1).space {
			day, month = num(i), time.Month(num(k+1))
			k += 2
			switch {
			case isNum(k, 4, 4):
				year = num(k)
				k++
			case isPunct(k, "-") && isNum(k+1, 4, 4):
				year = num(k + 1)
				k += 2
			case i > 0 && dateLeads[tok(i-1).s]:
			default:
				return dateMatch{}, 0, false
			}
			break
		}
		return dateMatch{}, 0, false
	// March 15, 2024
	case tok(k).kind == 'w' && months[tok(k).s] != 0 && isNum(k+1, 1, 2):
		month, day = months[tok(k).s], num(k+1)
		k += 2
		if isPunct(k, ",") {
			k++
		}
		if !isNum(k, 4, 4) {
			return dateMatch{}, 0, false
		}
		year = num(k)
		k++
	default:
		return dateMatch{}, 0, false
	}
	yearless := year == 0
	if yearless {
		year = now.Year()
	}
	if year < minYear || year > maxYear || month < 1 || month > 12 || day < 1 || day > 31 {
		return dateMatch{}, 0, false
	}
	d := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if d.Day() != day {
		return dateMatch{}, 0, false // 31 april
	}
	dm := dateMatch{t: d, start: tok(i).start, end: tok(k - 1).end, yearless: yearless}
	if lastDay > day && lastDay <= 31 {
		dm.lastDay = lastDay
	}
	if hour, minute, next, ok := timeAt(lx, k); ok {
		dm.t = time.Date(year, month, day, hour, minute, 0, 0, stockholm)
		dm.hasTime = true
		dm.end = tok(next - 1).end
		k = next
	}
	return dm, k, true
}

// timeAt reads a time of day at token k: "13:00", "kl. 13.00", "kl 9",
// "T13:00", ", 13:00".
func timeAt(lx *dateLexer, k int) (hour, minute, next int, ok bool) {
	tok := func(j int) dateToken { return lx.tok(j) }
	if tok(k).kind == 'p' && tok(k).s == "," {
		k++
	}
	clock := false
	switch t := tok(k); {
	case t.kind == 'w' && (t.s == "kl" || t.s == "klockan" || t.s == "at"):
		clock = true
		k++
		if tok(k).kind == 'p' && tok(k).s == "." {
			k++
		}
	case t.kind == 'w' && t.s == "t" && !t.space:
		clock = true
		k++
	}
	h := tok(k)
	if h.kind != 'n' || len(h.s) > 2 {
		return 0, 0, 0, false
	}
	hour, _ = strconv.Atoi(h.s)
	k++
	if sep := tok(k); sep.kind == 'p' && (sep.s == ":" || sep.s == ".") && !sep.space {
		if m := tok(k + 1); m.kind == 'n' && len(m.s) == 2 && !m.space {
			minute, _ = strconv.Atoi(m.s)
			k += 2
			if tok(k).kind == 'p' && tok(k).s == ":" && tok(k+1).kind == 'n' && len(tok(k+1).s) == 2 {
				k += 2 // seconds
			}
		} else if !clock {
			return 0, 0, 0, false
		}
	} else if !clock {
		return 0, 0, 0, false
	}
	if hour > 23 || minute > 59 {
		return 0, 0, 0, false
	}
	return hour, minute, k, true
}

// formatSwedishDate writes t the way a Swedish page would: "15 mars 2024",
// with " kl. 13:00" when withTime.
func formatSwedishDate(t time.Time, withTime bool) string {
	s := strconv.Itoa(t.Day()) + " " + swedishMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
	if withTime {
		s += " kl. " + t.Format("15:04")
	}
	return s
}

// isoLayouts are the machine-readable date forms of meta tags, <time> and
// JSON-LD.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
}

// parseMachineDate parses a machine-readable date: ISO 8601 with or
// without a time and zone. A date alone is midnight UTC; a time without a
// zone is Swedish time.
func parseMachineDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	var t time.Time
	var err error
	for _, layout := range isoLayouts {
		if strings.Contains(layout, "Z07") {
			t, err = time.Parse(layout, s)
		} else {
			t, err = time.ParseInLocation(layout, s, stockholm)
		}
		if err == nil {
			break
		}
	}
	if err != nil {
		if len(s) < 10 {
			return time.Time{}, false
		}
		t, err = time.Parse("2006-01-02", s[:10])
		if err != nil {
			return time.Time{}, false
		}
	}
	if t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, false
	}
	return t, true
}

// Precisions of an event's time as a page states it.
const (
	precDay   = iota // a day, with or without a time of day
	precWeek         // "vecka 37"
	precMonth        // "i april 2022", "i mitten av mars"
	precYear         // "årsmötet 2025"
)

// span is a time a page states for an event: a day (maybe with a time and
// an end), a week, a month or a year, at byte offsets [pos, end) of the
// text it was read from.
type span struct {
	start, end time.Time // end is zero for a day without a written end
	allDay     bool
	prec       int
	yearless   bool // the year was not written and comes from the reference date
	pos, endAt int
}

// weekWords introduce a week number: "vecka 37", "v. 37", "v 37".
var weekWords = map[string]bool{"vecka": true, "veckan": true, "v": true, "week": true}

// monthLeads may stand before a month name without a year and make it a
// time rather than a name ("i maj", not "Maj Larsson").
var monthLeads = map[string]bool{"i": true, "under": true, "av": true, "in": true, "från": true, "sedan": true}

// fullMonth reports whether w is a full Swedish or English month name.
func fullMonth(w string) (time.Month, bool) {
	for i, m := range swedishMonths {
		if w == m {
			return time.Month(i + 1), true
		}
	}
	switch w {
	case "january", "february", "march", "may", "june", "july", "august", "october":
		return months[w], true
	}
	return 0, false
}

// scanSpans returns up to limit event times found in text, in order: days
// as ParseDate reads them, with a time range ("kl. 09.00–16.00"), a range
// of days ("7–8 mars") and a year in parentheses ("24 oktober (2017)");
// months ("april 2022", "i juli", "i mitten av mars"); and weeks ("vecka
// 37"). A missing year is ref's.
func scanSpans(text string, ref time.Time, limit int) []span {
	if ref.IsZero() {
		ref = time.Now()
	}
	lx := lexAll(text)
	toks := lx.toks
	var out []span
	for i := 0; i < len(toks) && len(out) < limit; i++ {
		if d, next, ok := dateAt(lx, i, ref); ok {
			out = append(out, daySpan(text, d))
			i = next - 1
			continue
		}
		if s, next, ok := coarseAt(toks, i, ref); ok {
			out = append(out, s)
			i = next - 1
		}
	}
	return out
}

// daySpan turns a day date found in text into a span, reading what
// follows it: the end of a time range and a year in parentheses.
func daySpan(text string, d dateMatch) span {
	s := span{start: d.t, allDay: !d.hasTime, prec: precDay, yearless: d.yearless, pos: d.start, endAt: d.end}
	rest := text[d.end:]
	if m := yearAfter.FindStringSubmatchIndex(rest); d.yearless && m != nil {
		y, _ := strconv.Atoi(rest[m[2]:m[3]])
		s.start = s.start.AddDate(y-s.start.Year(), 0, 0)
		s.yearless = false
		s.endAt += m[1]
	}
	if d.lastDay > 0 {
		s.end = time.Date(s.start.Year(), s.start.Month(), d.lastDay, 0, 0, 0, 0, time.UTC)
	}
	if d.hasTime {
		if m := endTimePattern.FindStringSubmatch(rest); m != nil {
			h, _ := strconv.Atoi(m[1])
			mi, _ := strconv.Atoi(m[2])
			if h <= 23 && mi <= 59 {
				e := time.Date(s.start.Year(), s.start.Month(), s.start.Day(), h, mi, 0, 0, s.start.Location())
				if e.After(s.start) {
					s.end = e
				}
			}
		}
	}
	return s
}

// coarseAt reads a month or a week at token i: "april 2022", "i juli",
// "i början av maj 2023", "vecka 37", "v. 12 2024".
func coarseAt(toks []dateToken, i int, ref time.Time) (span, int, bool) {
	tok := func(k int) dateToken {
		if k >= 0 && k < len(toks) {
			return toks[k]
		}
		return dateToken{}
	}
	year := func(k int) (int, bool) {
		t := tok(k)
		if t.kind != 'n' || len(t.s) != 4 {
			return 0, false
		}
		y, _ := strconv.Atoi(t.s)
		return y, y >= minYear && y <= maxYear
	}
	t := tok(i)
	if t.kind != 'w' {
		return span{}, 0, false
	}
	if weekWords[t.s] {
		k := i + 1
		if tok(k).kind == 'p' && tok(k).s == "." {
			k++
		}
		n := tok(k)
		if n.kind != 'n' || len(n.s) > 2 || (t.s == "v" && !tok(i-1).space && i > 0) {
			return span{}, 0, false
		}
		week, _ := strconv.Atoi(n.s)
		if week < 1 || week > 53 {
			return span{}, 0, false
		}
		k++
		y, ok := year(k)
		if ok {
			k++
		} else if tok(k).kind == 'p' && tok(k).s == "," {
			if y, ok = year(k + 1); ok {
				k += 2
			}
		}
		yearless := !ok
		if yearless {
			y = ref.Year()
		}
		start := isoWeekStart(y, week)
		if start.IsZero() {
			return span{}, 0, false
		}
		return span{start: start, end: start.AddDate(0, 0, 6), allDay: true, prec: precWeek, yearless: yearless,
			pos: t.start, endAt: tok(k - 1).end}, k, true
	}
	m, ok := fullMonth(t.s)
	if !ok {
		return span{}, 0, false
	}
	// A day number before the month makes it a day date, read elsewhere.
	if p := tok(i - 1); p.kind == 'n' && len(p.s) <= 2 {
		return span{}, 0, false
	}
	y, hasYear := year(i + 1)
	next := i + 1
	if hasYear {
		next = i + 2
	} else {
		if !monthLeads[tok(i-1).s] {
			return span{}, 0, false
		}
		y = ref.Year()
	}
	start := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	pos := t.start
	// "i början av", "i mitten av", "i slutet av" narrow the month but
	// do not make it a day; they belong to the expression.
	if tok(i-1).s == "av" {
		switch tok(i - 2).s {
		case "början", "mitten", "slutet":
			pos = tok(i - 2).start
		}
	}
	return span{start: start, end: start.AddDate(0, 1, -1), allDay: true, prec: precMonth, yearless: !hasYear,
		pos: pos, endAt: tok(next - 1).end}, next, true
}

// isoWeekStart returns the Monday of ISO week w of year y, or zero when the
// year has no such week.
func isoWeekStart(y, w int) time.Time {
	// 4 January is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	start := monday.AddDate(0, 0, 7*(w-1))
	if _, wk := start.ISOWeek(); wk != w {
		return time.Time{}
	}
	return start
}

// yearOnly returns the span of a whole year.
func yearOnly(y, pos, end int) span {
	start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	return span{start: start, end: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), allDay: true, prec: precYear, pos: pos, endAt: end}
}

// shiftYear moves a span whose year was not written by n years; a week
// keeps its number.
func (s span) shiftYear(n int) span {
	if n == 0 {
		return s
	}
	if s.prec == precWeek {
		y, w := s.start.ISOWeek()
		if st := isoWeekStart(y+n, w); !st.IsZero() {
			s.start, s.end = st, st.AddDate(0, 0, 6)
		}
		return s
	}
	s.start = s.start.AddDate(n, 0, 0)
	if !s.end.IsZero() {
		s.end = s.end.AddDate(n, 0, 0)
	}
	return s
}

// datelineRunes is how far into a text a dateline may reach.
const datelineRunes = 90

// dateline returns the date a text opens with (offsets into text), the way news items and
// press releases write it before their first sentence: "Pressmeddelande
// 2020-09-07: …", "LRF Dalarna juli 2019: …", "Krinova 5 december 2019:
// …", "LRF Skåne 2016: …", "Rapidus (2008): …". The date must be followed
// by a colon within a few words. ok is false when the text opens with no
// dateline.
func dateline(text string, ref time.Time) (span, bool) {
	// The first lines: a page's text often opens with its heading.
	lines := strings.SplitN(truncateRunes(text, 3*datelineRunes), "\n", 4)
	off := 0
	for i, line := range lines {
		if i == 3 {
			break
		}
		if s, ok := datelineOf(truncateRunes(line, datelineRunes), ref); ok {
			s.pos += off
			s.endAt += off
			return s, true
		}
		off += len(line) + 1
	}
	return span{}, false
}

// datelineOf reads the dateline of one line.
func datelineOf(head string, ref time.Time) (span, bool) {
	colon := strings.IndexByte(head, ':')
	if colon < 0 {
		return span{}, false
	}
	if ss := scanSpans(head[:colon+1], ref, 1); len(ss) == 1 {
		s := ss[0]
		between := head[s.endAt:colon]
		sentenceEnded := strings.HasSuffix(head[s.pos:s.endAt], ".") && strings.TrimSpace(between) != ""
		if len(strings.Fields(between)) <= 3 && !strings.ContainsAny(between, ".!?") && !sentenceEnded {
			return s, true
		}
	}
	// A year alone: "LRF Skåne 2016:", "Rapidus (2008):".
	toks := lexDates(head[:colon])
	if n := len(toks); n >= 2 {
		last := toks[n-1]
		if last.kind == 'p' && last.s == ")" && n >= 3 {
			last = toks[n-2]
		}
		if last.kind == 'n' && len(last.s) == 4 {
			y, _ := strconv.Atoi(last.s)
			if y >= minYear && y <= maxYear {
				return yearOnly(y, last.start, last.end), true
			}
		}
	}
	return span{}, false
}

// urlDatePattern matches the /2024/03/ or /2024/03/15/ directories of
// dated posts.
var urlDatePattern = regexp.MustCompile(`/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(?:(0?[1-9]|[12]\d|3[01])/)?`)

// urlDate returns the date a dated path states: a day for
// "/2019/11/07/", a month for "/2022/04/". Its offsets are -1: it is not in
// the text.
func urlDate(u *url.URL) (span, bool) {
	if u == nil {
		return span{}, false
	}
	m := urlDatePattern.FindStringSubmatch(u.Path)
	if m == nil {
		return span{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if m[3] != "" {
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Day() == d {
			return span{start: t, allDay: true, prec: precDay, pos: -1, endAt: -1}, true
		}
	}
	t := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
	return span{start: t, end: t.AddDate(0, 1, -1), allDay: true, prec: precMonth, pos: -1, endAt: -1}, true
}

// pageDate returns the date a page states for itself, the most precise of
// its dateline and its dated path when they agree, else whichever it has.
func pageDate(u *url.URL, text string, ref time.Time) (span, bool) {
	dl, okDL := dateline(text, ref)
	ud, okURL := urlDate(u)
	switch {
	case okDL && okURL:
		if ud.prec < dl.prec && ud.start.Year() == dl.start.Year() &&
			(dl.prec == precYear || ud.start.Month() == dl.start.Month()) {
			return ud, true
		}
		return dl, true
	case okDL:
		return dl, true
	case okURL:
		return ud, true
	}
	return span{}, false
}

// pageDates are the dates a page gives itself, read once per page.
type pageDates struct {
	page    span      // its dateline or dated path (pageDate)
	hasPage bool      // page is set
	ref     time.Time // what dates written without a year are read against: page, else now
	marked  time.Time // the first date a word like "Publicerad" marks, zero if none
	top     time.Time // the document's date from its text: marked, else page, else the first date
}

// readPageDates reads the dates text gives its page near its top, and the
// date of u's dated path; now is the clock.
func readPageDates(u *url.URL, text string, now time.Time) pageDates {
	var pd pageDates
	pd.page, pd.hasPage = pageDate(u, text, now)
	pd.ref = now
	if pd.hasPage {
		pd.ref = pd.page.start
	}
	head := truncateRunes(text, topRunes)
	ds := scanDates(head, pd.ref, 5)
	for _, d := range ds {
		if published(strings.ToLower(head[max(0, d.start-40):d.start])) {
			pd.marked = d.t
			break
		}
	}
	switch {
	case !pd.marked.IsZero():
		pd.top = pd.marked
	case pd.hasPage:
		pd.top = pd.page.start
	case len(ds) > 0:
		pd.top = ds[0].t
	}
	return pd
}
