package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// periodPoint is one end of a period as written, at its precision.
type periodPoint struct {
	first, last time.Time // the first and last day the point covers
	start, end  int       // byte offsets in the text
}

// pointPattern finds the points a period is written with: ISO dates and
// months, the six-digit dates of Swedish project forms (220501), month
// names with a year, seasons with a year, years, and days written out
// ("31 december 2023").
var pointPattern = regexp.MustCompile(`(?i)` +
	`(\d{4})-(\d{1,2})-(\d{1,2})` + // 1-3: 2022-05-01
	`|(\d{4})-(\d{1,2})\b` + // 4-5: 2022-05
	`|\b(\d{2})(\d{2})(\d{2})\b` + // 6-8: 220501
	`|\b(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?\s+(\d{4})\b` + // 9-10
	`|\b(våren|hösten|sommaren|vintern|vår|höst|sommar|vinter)\s+(\d{4})\b` + // 11-12
	`|\b((?:19|20)\d{2})\b` + // 13
	`|\b(\d{1,2})\s+(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\s+(\d{4})\b`) // 14-16: 31 december 2023

// rangeJoin matches what may stand between the two ends of a period.
var rangeJoin = regexp.MustCompile(`^\s*(?:[-–—]|till(?:\s+och\s+med)?|t\.o\.m\.?|to|until)\s*$`)

// openStart matches what may stand before the end of a period without a
// start: "–2015", "till 2023-10-31", "t.o.m. 2024".
var openStart = regexp.MustCompile(`(?i)(?:^|\s)(?:[-–—]|till|t\.o\.m\.?|until)\s*$`)

// openEnd matches a range sign after a start with no end: "2019–".
var openEnd = regexp.MustCompile(`^\s*[-–—](\s|$|[.,;)])`)

// ParsePeriod reads the first period in s: "220501-240430",
// "2022-05-01–2024-04-30", "2022-03-01 till 2023-12-31", "maj 2022 – april
// 2024", "2021–2023", "hösten 2022", "2019–" (no end), "–2015" (no
// start), or a single year or month. start is the first day of the first
// end, end the last day of the other (both midnight UTC); either may be
// zero for an open period. ok is false when s holds no period.
func ParsePeriod(s string) (start, end time.Time, ok bool) {
	pts := periodPoints(s)
	if len(pts) == 0 {
		return time.Time{}, time.Time{}, false
	}
	a := pts[0]
	if openStart.MatchString(s[:a.start]) && !hasPointBefore(s[:a.start]) {
		return time.Time{}, a.last, true
	}
	if len(pts) > 1 && rangeJoin.MatchString(s[a.end:pts[1].start]) {
		b := pts[1]
		if b.last.Before(a.first) {
			return time.Time{}, time.Time{}, false
		}
		return a.first, b.last, true
	}
	rest := s[a.end:]
	if openEnd.MatchString(rest) {
		return a.first, time.Time{}, true
	}
	return a.first, a.last, true
}

func hasPointBefore(s string) bool { return len(periodPoints(s)) > 0 }

// periodPoints returns the period points of s in order.
func periodPoints(s string) []periodPoint {
	var out []periodPoint
	for _, m := range pointPattern.FindAllStringSubmatchIndex(s, 8) {
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		n := func(i int) int { v, _ := strconv.Atoi(g(i)); return v }
		var p periodPoint
		switch {
		case g(1) != "":
			d, ok := validDay(n(1), n(2), n(3))
			if !ok {
				continue
			}
			p.first, p.last = d, d
		case g(4) != "":
			if !validMonth(n(4), n(5)) {
				continue
			}
			p.first, p.last = monthSpan(n(4), time.Month(n(5)))
		case g(6) != "":
			d, ok := validDay(2000+n(6), n(7), n(8))
			if !ok {
				continue
			}
			p.first, p.last = d, d
		case g(9) != "":
			mo := months[strings.ToLower(g(9))]
			if mo == 0 || n(10) < minYear || n(10) > maxYear {
				continue
			}
			p.first, p.last = monthSpan(n(10), mo)
		case g(11) != "":
			y := n(12)
			if y < minYear || y > maxYear {
				continue
			}
			from, to := seasonMonths(strings.ToLower(g(11)))
			p.first, _ = monthSpan(y, from)
			_, p.last = monthSpan(y, to)
		case g(14) != "":
			d, ok := validDay(n(16), int(months[strings.ToLower(g(15))]), n(14))
			if !ok {
				continue
			}
			p.first, p.last = d, d
		case g(13) != "":
			y := n(13)
			if y < minYear || y > maxYear {
				continue
			}
			p.first = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			p.last = time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
		}
		p.start, p.end = m[0], m[1]
		out = append(out, p)
	}
	return out
}

func validDay(y, m, d int) (time.Time, bool) {
	if y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d
}

func validMonth(y, m int) bool { return y >= minYear && y <= maxYear && m >= 1 && m <= 12 }

func monthSpan(y int, m time.Month) (time.Time, time.Time) {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return first, first.AddDate(0, 1, -1)
}

// seasonMonths returns the months a Swedish season covers in project
// writing: spring is January to June, autumn August to December.
func seasonMonths(s string) (time.Month, time.Month) {
	switch {
	case strings.HasPrefix(s, "vår"):
		return 1, 6
	case strings.HasPrefix(s, "sommar"):
		return 6, 8
	case strings.HasPrefix(s, "höst"):
		return 8, 12
	}
	return 1, 2 // vinter: the start of the year
}

// projectStatus decides a project's status: stated words win, else the
// period against the page's date (ref).
func projectStatus(text string, start, end, ref time.Time) string {
	l := strings.ToLower(text)
	switch {
	case strings.Contains(l, "avslutat projekt") || strings.Contains(l, "avslutade projekt") ||
		strings.Contains(l, "projektet avslutades") || strings.Contains(l, "projektet är avslutat"):
		return kg.StatusFinished
	case strings.Contains(l, "pågående projekt") || strings.Contains(l, "projektet pågår"):
		return kg.StatusOngoing
	}
	if ref.IsZero() || (start.IsZero() && end.IsZero()) {
		return ""
	}
	switch {
	case !end.IsZero() && end.Before(ref):
		return kg.StatusFinished
	case !start.IsZero() && start.After(ref):
		return kg.StatusPlanned
	}
	return kg.StatusOngoing
}

// endTimePattern reads the end of a time range after a start: "–16.00",
// "- 16", "till 16:30".
var endTimePattern = regexp.MustCompile(`^\s*(?:[-–—]|till)\s*(?:kl\.?\s*)?(\d{1,2})(?:[.:](\d{2}))?\b`)

// yearAfter reads a year written in parentheses after a date.
var yearAfter = regexp.MustCompile(`^\s*\(((?:19|20)\d\d)\)`)

// ParseEventTime reads the first date in s as an event's time: "15 mars
// 2024 kl. 09.00–16.00", "tis 3/10 kl 13", "den 5 maj", "15–16 mars",
// "2024-03-15". A date without a year takes the year of ref (the page's
// date), or the next year when that would put it more than two months
// before ref. allDay is true when no time of day is written; end is zero
// when no end is written.
func ParseEventTime(s string, ref time.Time) (start, end time.Time, allDay, ok bool) {
	ds := scanDates(s, ref, 1)
	if len(ds) == 0 {
		return time.Time{}, time.Time{}, false, false
	}
	d := ds[0]
	start = d.t
	if m := yearAfter.FindStringSubmatch(s[d.end:]); d.yearless && m != nil {
		y, _ := strconv.Atoi(m[1])
		start = start.AddDate(y-start.Year(), 0, 0) // "24 oktober (2017)"
	} else if d.yearless && !ref.IsZero() && start.Before(ref.AddDate(0, -2, 0)) {
		start = start.AddDate(1, 0, 0)
	}
	allDay = !d.hasTime
	if d.lastDay > 0 {
		end = time.Date(start.Year(), start.Month(), d.lastDay, 0, 0, 0, 0, time.UTC)
	}
	if d.hasTime {
		if m := endTimePattern.FindStringSubmatch(s[d.end:]); m != nil {
			h, _ := strconv.Atoi(m[1])
			mi, _ := strconv.Atoi(m[2])
			if h <= 23 && mi <= 59 {
				e := time.Date(start.Year(), start.Month(), start.Day(), h, mi, 0, 0, start.Location())
				if e.After(start) {
					end = e
				}
			}
		}
	}
	return start, end, allDay, true
}
