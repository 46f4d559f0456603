package extract

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Bounds of the expansion of recurring events. A calendar states a series
// once, and an endless one ("every Tuesday", no COUNT or UNTIL) would
// otherwise have no end; a hostile one could ask for millions of
// occurrences.
//
// The window reaches a year back, so that recent meetings remain
// evidence of what a cluster does, and a year and a month ahead, so that
// every occurrence of the coming twelve months is upcoming. It is anchored
// at the first day of the clock's month: fetching the same calendar again
// within a month gives the same occurrences, and so the same document.
//
// A series keeps at most recurMaxPerSeries occurrences: a monthly meeting
// fills 25 of them, a weekly one a year of its upcoming dates. When a
// series has more in the window (a daily one), the recurMaxPast latest
// before the anchor are kept and the rest are the next ones after it.
const (
	recurMaxPerSeries = 60
	recurMaxPast      = 10
	recurMaxInterval  = 10_000  // an INTERVAL beyond this is not a calendar's
	recurMaxDates     = 1000    // RDATE and EXDATE values read per event
	recurBudget       = 200_000 // days one calendar may try as occurrences
)

// recurWindow is the span in which the occurrences of a series are kept:
// those that start at or after lo and before hi. Pivot divides past from
// upcoming when a series has more than recurMaxPerSeries.
type recurWindow struct {
	lo, hi, pivot time.Time
}

// recurWindowAt returns the window of occurrences for the clock reading
// ref: from a year before the first day of ref's month to a year and a
// month after it.
func recurWindowAt(ref time.Time) recurWindow {
	m := time.Date(ref.Year(), ref.Month(), 1, 0, 0, 0, 0, time.UTC)
	return recurWindow{lo: m.AddDate(-1, 0, 0), hi: m.AddDate(1, 1, 0), pivot: m}
}

func (w recurWindow) contains(t time.Time) bool {
	return !t.Before(w.lo) && t.Before(w.hi)
}

// expandSeries returns the events of VEVENT v: one per occurrence it
// states (DTSTART, RRULE, RDATE, less EXDATE) in the window around now,
// with the occurrences that overrides move or cancel replaced or left out.
// Overrides of occurrences the series does not yield stand as events of
// their own when they fall in the window. A series without a rule, with a
// rule it cannot follow, or with no occurrence in the window yields its
// DTSTART alone. budget is what the calendar may still spend on rules.
func expandSeries(v vevent, overrides []vevent, now time.Time, budget *int) []kg.Event {
	ref := now
	if ref.IsZero() {
		ref = v.ev.Start
	}
	w := recurWindowAt(ref)
	starts, expanded := []time.Time{v.ev.Start}, false
	if !v.ev.Start.IsZero() {
		starts, expanded = occurrenceStarts(v, w, budget)
	}
	events := make([]kg.Event, len(starts), len(starts)+len(overrides))
	for i, t := range starts {
		events[i] = v.occurrence(t)
	}
	removed := make([]bool, len(events))
	for _, o := range overrides {
		rid, ok := alignedTime(o.recurID.value, o.recurID.params, v.ev.Start, v.ev.AllDay)
		i := -1
		if ok {
			i = slices.IndexFunc(starts, rid.Equal)
		}
		switch {
		case i >= 0 && o.cancelled:
			removed[i] = true
		case i >= 0:
			events[i], removed[i] = overriding(o, v, rid), false
		case o.cancelled:
		case !expanded || w.contains(o.ev.Start):
			events, removed = append(events, overriding(o, v, rid)), append(removed, false)
		}
	}
	out := events[:0]
	for i, ev := range events {
		if !removed[i] {
			out = append(out, ev)
		}
	}
	slices.SortStableFunc(out, func(a, b kg.Event) int { return a.Start.Compare(b.Start) })
	return out
}

// occurrence returns the event of v at start t: same title, place,
// organisers, URL and snippet, and the same length.
func (v vevent) occurrence(t time.Time) kg.Event {
	ev := v.ev
	ev.Organisers = slices.Clone(ev.Organisers)
	ev.Start, ev.End = t, v.endFor(t)
	return ev
}

// endFor returns the end of v's occurrence that starts at t: a timed
// event lasts as long as its first occurrence, a whole-day one as many
// days.
func (v vevent) endFor(t time.Time) time.Time {
	if v.ev.End.IsZero() || t.IsZero() {
		return time.Time{}
	}
	if v.ev.AllDay {
		days := int(v.ev.End.Sub(v.ev.Start).Round(24*time.Hour) / (24 * time.Hour))
		return t.AddDate(0, 0, days)
	}
	return t.Add(v.ev.End.Sub(v.ev.Start))
}

// overriding returns the event of override o, which replaces the
// occurrence of series v at rid: what o does not state, it keeps from v.
func overriding(o, v vevent, rid time.Time) kg.Event {
	ev := o.ev
	if ev.Title == "" {
		ev.Title = v.ev.Title
	}
	if ev.Place == "" {
		ev.Place = v.ev.Place
	}
	if len(ev.Organisers) == 0 {
		ev.Organisers = slices.Clone(v.ev.Organisers)
	}
	if ev.RegistrationURL == "" {
		ev.RegistrationURL = v.ev.RegistrationURL
	}
	desc := o.desc
	if desc == "" {
		desc = v.desc
	}
	if ev.Start.IsZero() {
		ev.Start, ev.AllDay = rid, v.ev.AllDay
	}
	if !o.hasEnd {
		ev.End = v.endFor(ev.Start)
		if ev.AllDay != v.ev.AllDay {
			ev.End = time.Time{}
		}
	}
	ev.Snippet = truncateRunes(collapse(ev.Title+". "+desc), 280)
	return ev
}

// occurrenceStarts returns the starts of v's occurrences in w, in time
// order, and whether v was expanded as a series. A VEVENT without a
// recurrence, or with one it cannot follow (a malformed or unsupported
// RRULE, several RRULEs, a rule that would cost more than the budget
// left), gives its DTSTART alone and false; a series with no occurrence in
// w gives its DTSTART alone and true.
func occurrenceStarts(v vevent, w recurWindow, budget *int) ([]time.Time, bool) {
	start, allDay := v.ev.Start, v.ev.AllDay
	single := []time.Time{start}
	if (len(v.rrules) == 0 && len(v.rdates) == 0) || len(v.rrules) > 1 {
		return single, false
	}
	var ts []time.Time
	if w.contains(start) {
		ts = append(ts, start)
	}
	if len(v.rrules) == 1 {
		r, err := parseRRule(v.rrules[0], start, allDay)
		if err != nil {
			return single, false
		}
		occ, ok := r.between(start, w, budget)
		if !ok {
			return single, false
		}
		ts = append(ts, occ...)
	}
	for _, t := range propTimes(v.rdates, start, allDay) {
		if w.contains(t) {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return single, true
	}
	slices.SortFunc(ts, time.Time.Compare)
	ts = slices.CompactFunc(ts, time.Time.Equal)
	if len(v.exdates) > 0 {
		ex := map[int64]bool{}
		for _, t := range propTimes(v.exdates, start, allDay) {
			ex[t.Unix()] = true
		}
		ts = slices.DeleteFunc(ts, func(t time.Time) bool { return ex[t.Unix()] })
	}
	return nearPivot(ts, w.pivot), true
}

// nearPivot keeps at most recurMaxPerSeries of the sorted times ts: at
// most recurMaxPast before pivot, unless fewer follow it.
func nearPivot(ts []time.Time, pivot time.Time) []time.Time {
	if len(ts) <= recurMaxPerSeries {
		return ts
	}
	i, _ := slices.BinarySearchFunc(ts, pivot, time.Time.Compare)
	from := max(0, i-recurMaxPast)
	to := min(len(ts), from+recurMaxPerSeries)
	from = max(0, to-recurMaxPerSeries)
	return ts[from:to]
}

// propTimes reads the comma-separated times of RDATE or EXDATE lines,
// aligned with a series that starts at start; at most recurMaxDates.
func propTimes(props []icalProp, start time.Time, allDay bool) []time.Time {
	var out []time.Time
	for _, p := range props {
		for v := range strings.SplitSeq(p.value, ",") {
			if len(out) == recurMaxDates {
				return out
			}
			v, _, _ = strings.Cut(v, "/") // a PERIOD: its start
			if t, ok := alignedTime(v, p.params, start, allDay); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

// alignedTime reads a RECURRENCE-ID, RDATE or EXDATE value so that it
// compares with the occurrences of a series that starts at start: for a
// whole-day series, its date; for a timed one, a date is that day at the
// series' time of day.
func alignedTime(value, params string, start time.Time, allDay bool) (time.Time, bool) {
	t, ok := parseICalTime(value, params)
	if !ok {
		return time.Time{}, false
	}
	y, m, d := t.Date()
	switch {
	case allDay:
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
	case len(strings.TrimSpace(value)) == 8:
		h, mi, s := start.Clock()
		return time.Date(y, m, d, h, mi, s, 0, start.Location()), true
	}
	return t, true
}

// recurFreq is the FREQ of a recurrence rule.
type recurFreq int

// The frequencies followed; finer ones (HOURLY and below) are not.
const (
	freqDaily recurFreq = iota + 1
	freqWeekly
	freqMonthly
	freqYearly
)

// weekdayNum is one BYDAY value: a weekday, and for a monthly or yearly
// rule an ordinal within the month or year (1 the first, -1 the last; 0
// every one).
type weekdayNum struct {
	n  int
	wd time.Weekday
}

// rrule is a recurrence rule (RFC 5545, section 3.3.10) in the subset
// calendars use.
type rrule struct {
	freq       recurFreq
	interval   int
	count      int       // 0: no COUNT
	until      time.Time // zero: no UNTIL
	byDay      []weekdayNum
	byMonthDay []int // 1..31, or -31..-1 from the end of the month
	byMonth    [13]bool
	hasByMonth bool
	wkst       time.Weekday
}

// errRecurUnsupported is returned for a rule with a part that is valid
// but not followed (BYSETPOS, BYWEEKNO, BYYEARDAY, BYHOUR, HOURLY, ...).
var errRecurUnsupported = errors.New("unsupported recurrence")

// weekdayCodes maps the two-letter weekdays of iCalendar to weekdays.
var weekdayCodes = map[string]time.Weekday{
	"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday,
	"TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday,
}

// parseRRule reads an RRULE value ("FREQ=MONTHLY;BYDAY=1TU") for a series
// that starts at start. It returns an error wrapping errRecurUnsupported
// for a rule with parts it does not follow, and an error for a malformed
// rule.
func parseRRule(s string, start time.Time, allDay bool) (rrule, error) {
	r := rrule{interval: 1, wkst: time.Monday}
	fail := func(format string, args ...any) (rrule, error) {
		return rrule{}, fmt.Errorf("RRULE %q: %s", s, fmt.Sprintf(format, args...))
	}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(strings.ToUpper(strings.TrimSpace(s)), ";") {
		if part == "" {
			continue
		}
		key, val, ok := strings.Cut(part, "=")
		if !ok || val == "" {
			return fail("part %q has no value", part)
		}
		if seen[key] {
			return fail("%s twice", key)
		}
		seen[key] = true
		switch key {
		case "FREQ":
			switch val {
			case "DAILY":
				r.freq = freqDaily
			case "WEEKLY":
				r.freq = freqWeekly
			case "MONTHLY":
				r.freq = freqMonthly
			case "YEARLY":
				r.freq = freqYearly
			case "SECONDLY", "MINUTELY", "HOURLY":
				return rrule{}, fmt.Errorf("RRULE %q: %w: FREQ=%s", s, errRecurUnsupported, val)
			default:
				return fail("unknown FREQ %q", val)
			}
		case "INTERVAL":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > recurMaxInterval {
				return fail("bad INTERVAL %q", val)
			}
			r.interval = n
		case "COUNT":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				return fail("bad COUNT %q", val)
			}
			r.count = n
		case "UNTIL":
			t, ok := parseUntil(val, start, allDay)
			if !ok {
				return fail("bad UNTIL %q", val)
			}
			r.until = t
		case "BYDAY":
			for v := range strings.SplitSeq(val, ",") {
				wn, ok := parseWeekdayNum(v)
				if !ok {
					return fail("bad BYDAY %q", v)
				}
				r.byDay = append(r.byDay, wn)
			}
		case "BYMONTHDAY":
			for v := range strings.SplitSeq(val, ",") {
				n, err := strconv.Atoi(v)
				if err != nil || n == 0 || n < -31 || n > 31 {
					return fail("bad BYMONTHDAY %q", v)
				}
				r.byMonthDay = append(r.byMonthDay, n)
			}
		case "BYMONTH":
			for v := range strings.SplitSeq(val, ",") {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 || n > 12 {
					return fail("bad BYMONTH %q", v)
				}
				r.byMonth[n], r.hasByMonth = true, true
			}
		case "WKST":
			wd, ok := weekdayCodes[val]
			if !ok {
				return fail("bad WKST %q", val)
			}
			r.wkst = wd
		case "BYSETPOS", "BYWEEKNO", "BYYEARDAY", "BYHOUR", "BYMINUTE", "BYSECOND":
			return rrule{}, fmt.Errorf("RRULE %q: %w: %s", s, errRecurUnsupported, key)
		default:
			if strings.HasPrefix(key, "X-") {
				return rrule{}, fmt.Errorf("RRULE %q: %w: %s", s, errRecurUnsupported, key)
			}
			return fail("unknown part %q", key)
		}
	}
	if r.freq == 0 {
		return fail("no FREQ")
	}
	if r.freq == freqDaily || r.freq == freqWeekly {
		for _, wn := range r.byDay {
			if wn.n != 0 {
				return fail("BYDAY with an ordinal in a DAILY or WEEKLY rule")
			}
		}
	}
	if r.freq == freqWeekly && len(r.byMonthDay) > 0 {
		return fail("BYMONTHDAY in a weekly rule")
	}
	return r, nil
}

// parseWeekdayNum reads a BYDAY value: "TU", "1TU", "+2WE", "-1FR".
func parseWeekdayNum(v string) (weekdayNum, bool) {
	if len(v) < 2 {
		return weekdayNum{}, false
	}
	wd, ok := weekdayCodes[v[len(v)-2:]]
	if !ok {
		return weekdayNum{}, false
	}
	num := v[:len(v)-2]
	if num == "" {
		return weekdayNum{wd: wd}, true
	}
	if len(num) > 3 {
		return weekdayNum{}, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n == 0 || n < -53 || n > 53 {
		return weekdayNum{}, false
	}
	return weekdayNum{n: n, wd: wd}, true
}

// parseUntil reads an UNTIL value for a series that starts at start: a
// UTC time, a floating time (in the series' zone) or a date, which for a
// timed series includes the whole day.
func parseUntil(v string, start time.Time, allDay bool) (time.Time, bool) {
	var t time.Time
	var err error
	switch {
	case len(v) == 8:
		t, err = time.Parse("20060102", v)
		if err == nil && !allDay {
			t = time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, start.Location())
		}
	case strings.HasSuffix(v, "Z"):
		t, err = time.Parse("20060102T150405Z", v)
	default:
		t, err = time.ParseInLocation("20060102T150405", v, start.Location())
	}
	return t, err == nil
}

// between returns the occurrences of r after start (which is the first)
// that start in w, in time order. It spends budget on every day it tries
// and returns false if the budget runs out.
func (r rrule) between(start time.Time, w recurWindow, budget *int) ([]time.Time, bool) {
	loc := start.Location()
	h, mi, s := start.Clock()
	d0 := civilDate(start)
	p0 := r.firstPeriod(d0)
	n := 0
	if r.count == 0 {
		// Without a COUNT, periods before the window need not be walked.
		if k := r.periodsBetween(p0, civilDate(w.lo).AddDate(0, 0, -1))/r.interval - 1; k > 0 {
			n = k
		}
	}
	last := civilDate(w.hi).AddDate(0, 0, 1)
	if !r.until.IsZero() {
		if u := civilDate(r.until.In(loc)).AddDate(0, 0, 1); u.Before(last) {
			last = u
		}
	}
	seen := 1 // DTSTART is the first occurrence
	var out []time.Time
	for ; ; n++ {
		ps := r.periodStart(p0, n)
		if ps.After(last) || ps.Year() > maxYear {
			return out, true
		}
		for _, c := range r.candidates(ps, d0) {
			if *budget--; *budget < 0 {
				return nil, false
			}
			if !r.matches(c) {
				continue
			}
			t := time.Date(c.Year(), c.Month(), c.Day(), h, mi, s, 0, loc)
			if !t.After(start) {
				continue
			}
			if (!r.until.IsZero() && t.After(r.until)) || !t.Before(w.hi) {
				return out, true
			}
			if seen++; r.count > 0 && seen > r.count {
				return out, true
			}
			if !t.Before(w.lo) {
				out = append(out, t)
			}
		}
		if *budget--; *budget < 0 {
			return nil, false
		}
	}
}

// civilDate returns the calendar date of t as midnight UTC, where days
// are all 24 hours long.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysIn returns the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// firstPeriod returns the first day of the period (day, week from WKST,
// month, year) that holds date d.
func (r rrule) firstPeriod(d time.Time) time.Time {
	switch r.freq {
	case freqWeekly:
		return d.AddDate(0, 0, -int((d.Weekday()-r.wkst+7)%7))
	case freqMonthly:
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	case freqYearly:
		return time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// periodStart returns the first day of the n-th period of the rule from
// the one that starts on p0.
func (r rrule) periodStart(p0 time.Time, n int) time.Time {
	k := n * r.interval
	switch r.freq {
	case freqWeekly:
		return p0.AddDate(0, 0, 7*k)
	case freqMonthly:
		return p0.AddDate(0, k, 0)
	case freqYearly:
		return p0.AddDate(k, 0, 0)
	}
	return p0.AddDate(0, 0, k)
}

// periodsBetween returns how many periods of the rule's frequency lie
// from the one starting on p0 to the one holding date d.
func (r rrule) periodsBetween(p0, d time.Time) int {
	switch r.freq {
	case freqWeekly:
		return int(d.Sub(p0).Hours()/24) / 7
	case freqMonthly:
		return (d.Year()-p0.Year())*12 + int(d.Month()-p0.Month())
	case freqYearly:
		return d.Year() - p0.Year()
	}
	return int(d.Sub(p0).Hours() / 24)
}

// candidates returns, in order, the days of the period starting on ps
// that may be occurrences; matches decides. d0 is the date of DTSTART,
// whose weekday, day or month a rule without BY parts repeats.
func (r rrule) candidates(ps, d0 time.Time) []time.Time {
	var out []time.Time
	days := func(y int, m time.Month) {
		for d := 1; d <= daysIn(y, m); d++ {
			out = append(out, time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
		}
	}
	dayIfValid := func(y int, m time.Month, d int) {
		if d <= daysIn(y, m) {
			out = append(out, time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
		}
	}
	expands := len(r.byDay) > 0 || len(r.byMonthDay) > 0
	switch r.freq {
	case freqDaily:
		out = append(out, ps)
	case freqWeekly:
		if len(r.byDay) == 0 {
			return append(out, ps.AddDate(0, 0, int((d0.Weekday()-r.wkst+7)%7)))
		}
		for i := range 7 {
			out = append(out, ps.AddDate(0, 0, i))
		}
	case freqMonthly:
		if expands {
			days(ps.Year(), ps.Month())
		} else {
			dayIfValid(ps.Year(), ps.Month(), d0.Day())
		}
	case freqYearly:
		for m := time.January; m <= time.December; m++ {
			switch {
			case r.hasByMonth && !r.byMonth[m]:
			case expands:
				days(ps.Year(), m)
			case r.hasByMonth || m == d0.Month():
				dayIfValid(ps.Year(), m, d0.Day())
			}
		}
	}
	return out
}

// matches reports whether day c, a candidate, passes the rule's BYMONTH,
// BYMONTHDAY and BYDAY parts.
func (r rrule) matches(c time.Time) bool {
	y, m, d := c.Date()
	if r.hasByMonth && !r.byMonth[m] {
		return false
	}
	if len(r.byMonthDay) > 0 {
		dim := daysIn(y, m)
		if !slices.ContainsFunc(r.byMonthDay, func(v int) bool { return v == d || v < 0 && dim+1+v == d }) {
			return false
		}
	}
	if len(r.byDay) == 0 {
		return true
	}
	// The ordinal counts within the month, or within the year for a
	// yearly rule without BYMONTH.
	pos, size := d, daysIn(y, m)
	if r.freq == freqYearly && !r.hasByMonth {
		pos, size = c.YearDay(), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC).YearDay()
	}
	for _, wn := range r.byDay {
		switch {
		case wn.wd != c.Weekday():
		case wn.n == 0,
			wn.n > 0 && (pos-1)/7+1 == wn.n,
			wn.n < 0 && (size-pos)/7+1 == -wn.n:
			return true
		}
	}
	return false
}
