package extract

import (
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

// tok returns token k, or the zero token past the end of the text.
func (lx *dateLexer) tok(k int) dateToken {
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
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += sz
			}
			t = dateToken{s: strings.ToLower(s[i:j]), kind: 'w', start: i, end: j, space: lx.space}
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
	tok := lx.tok
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
	tok := lx.tok
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
