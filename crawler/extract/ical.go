package extract

import (
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// icalProp is a property value as written, with its parameters
// ("TZID=Europe/Stockholm", "VALUE=DATE").
type icalProp struct {
	value, params string
}

// vevent is one VEVENT as read, before its recurrences are expanded.
type vevent struct {
	ev        kg.Event // the first occurrence: DTSTART, and DTEND or DURATION
	desc      string
	uid       string
	cancelled bool
	hasEnd    bool // DTEND or DURATION is stated
	rrules    []string
	rdates    []icalProp
	exdates   []icalProp
	recurID   *icalProp // RECURRENCE-ID: the occurrence of a series this one replaces
}

// parseICal reads an iCalendar body: every VEVENT becomes an event
// (SUMMARY, DTSTART, DTEND or DURATION, LOCATION, URL, ORGANIZER), except
// a cancelled one, and the SUMMARY, DESCRIPTION and LOCATION of the events
// become the text; the calendar's name (X-WR-CALNAME), else the first
// SUMMARY, is the title, and the first DTSTART the date.
//
// A recurring VEVENT (RRULE, RDATE, EXDATE, and VEVENTs of the same UID
// with a RECURRENCE-ID) becomes one event per occurrence in the window
// around now that recurWindowAt describes, at most recurMaxPerSeries of
// them; see expandSeries. A zero now anchors the window of each series at
// its DTSTART.
func parseICal(src string, now time.Time) parsed {
	p := parsed{kind: kg.KindEvent}
	var lines []string
	var vevents []vevent
	var cur *vevent
	var duration time.Duration
	nested := 0 // depth of components inside the current VEVENT (VALARM)
	calName := ""
	for _, l := range unfoldICal(src) {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		prop, params, _ := strings.Cut(name, ";")
		prop = strings.ToUpper(prop)
		if cur != nil && nested > 0 {
			// An alarm's SUMMARY and DESCRIPTION ("Reminder") are not the
			// event's. The end of the event ends an alarm left open.
			endsEvent := prop == "END" && strings.EqualFold(strings.TrimSpace(value), "VEVENT")
			switch {
			case prop == "BEGIN":
				nested++
			case endsEvent:
				nested = 0
			case prop == "END":
				nested--
			}
			if !endsEvent {
				continue
			}
		}
		switch prop {
		case "BEGIN":
			switch {
			case strings.EqualFold(strings.TrimSpace(value), "VEVENT"):
				cur, duration = &vevent{}, 0
			case cur != nil:
				nested++
			}
		case "END":
			if strings.EqualFold(strings.TrimSpace(value), "VEVENT") && cur != nil {
				finishVEvent(cur, duration)
				vevents = append(vevents, *cur)
				cur = nil
			}
		case "SUMMARY":
			v := unescapeICal(value)
			if p.title == "" {
				p.title = collapse(v)
			}
			lines = append(lines, v)
			if cur != nil {
				cur.ev.Title = truncateRunes(collapse(v), maxTitleRunes)
			}
		case "DESCRIPTION":
			v := unescapeICal(value)
			lines = append(lines, v)
			if cur != nil {
				cur.desc = v
			}
		case "LOCATION":
			v := unescapeICal(value)
			lines = append(lines, v)
			if cur != nil {
				cur.ev.Place = collapse(v)
			}
		case "URL":
			if cur != nil {
				cur.ev.RegistrationURL = strings.TrimSpace(value)
			}
		case "ORGANIZER":
			if cur != nil {
				if _, cn, ok := strings.Cut(params, "CN="); ok {
					cn, _, _ = strings.Cut(cn, ";")
					if cn = strings.Trim(unescapeICal(cn), `"`); cn != "" {
						cur.ev.Organisers = append(cur.ev.Organisers, collapse(cn))
					}
				}
			}
		case "STATUS":
			if cur != nil {
				cur.cancelled = strings.EqualFold(strings.TrimSpace(value), "CANCELLED")
			}
		case "DURATION":
			if d, ok := parseICalDuration(strings.TrimSpace(value)); ok && cur != nil {
				duration = d
				cur.hasEnd = true
			}
		case "X-WR-CALNAME":
			if calName == "" {
				calName = collapse(unescapeICal(value))
			}
		case "DTSTART":
			t, ok := parseICalTime(value, params)
			if ok && p.start.IsZero() {
				p.start = t
			}
			if ok && cur != nil {
				cur.ev.Start = t
				cur.ev.AllDay = len(strings.TrimSpace(value)) == 8
			}
		case "DTEND":
			if t, ok := parseICalTime(value, params); ok && cur != nil {
				cur.ev.End = t
				cur.hasEnd = true
			}
		case "UID":
			if cur != nil {
				cur.uid = strings.TrimSpace(value)
			}
		case "RRULE":
			if cur != nil {
				cur.rrules = append(cur.rrules, strings.TrimSpace(value))
			}
		case "RDATE":
			if cur != nil {
				cur.rdates = append(cur.rdates, icalProp{value, params})
			}
		case "EXDATE":
			if cur != nil {
				cur.exdates = append(cur.exdates, icalProp{value, params})
			}
		case "RECURRENCE-ID":
			if cur != nil {
				cur.recurID = &icalProp{value, params}
			}
		}
	}
	if calName != "" {
		p.title = calName
	}
	p.text = normalizeLines(strings.Join(lines, "\n"))
	p.events = calendarEvents(vevents, now)
	return p
}

// finishVEvent settles the end of a VEVENT once all its properties are read.
func finishVEvent(v *vevent, duration time.Duration) {
	ev := &v.ev
	if ev.End.IsZero() && duration > 0 && !ev.Start.IsZero() {
		ev.End = ev.Start.Add(duration)
	}
	if ev.AllDay && ev.End.After(ev.Start) {
		ev.End = ev.End.AddDate(0, 0, -1) // DTEND of a whole day is exclusive
	}
	if ev.End.Before(ev.Start) {
		ev.End = time.Time{} // an end before the start is a mistake, not a time
	}
	ev.Snippet = truncateRunes(collapse(ev.Title+". "+v.desc), 280)
}

// calendarEvents turns the VEVENTs of a calendar into events, in the order
// of the calendar: a single event as it is, a series as its occurrences
// (with the VEVENTs that override some of them) in time order. Cancelled
// events and occurrences are left out, and so are events without a title
// or a start. There are at most maxEvents.
func calendarEvents(vs []vevent, now time.Time) []kg.Event {
	series := map[string]int{} // UID → index of the VEVENT that states the series
	for i, v := range vs {
		if v.uid != "" && v.recurID == nil {
			if _, ok := series[v.uid]; !ok {
				series[v.uid] = i
			}
		}
	}
	overrides := map[int][]vevent{} // index of a series → the VEVENTs that override its occurrences
	var out []kg.Event
	add := func(evs ...kg.Event) {
		for _, ev := range evs {
			if ev.Title != "" && !ev.Start.IsZero() && len(out) < maxEvents {
				out = append(out, ev)
			}
		}
	}
	for _, v := range vs {
		if v.recurID != nil {
			if s, ok := series[v.uid]; ok && v.uid != "" {
				overrides[s] = append(overrides[s], v)
			}
		}
	}
	budget := recurBudget
	for i, v := range vs {
		if len(out) >= maxEvents {
			break
		}
		if v.recurID != nil {
			if _, ok := series[v.uid]; ok && v.uid != "" {
				continue // placed with its series
			}
			if !v.cancelled {
				add(v.ev) // a moved occurrence of a series the calendar does not hold
			}
			continue
		}
		if v.cancelled {
			continue
		}
		// A second VEVENT stating the same series stands on its own.
		var ovs []vevent
		if v.uid != "" && series[v.uid] == i {
			ovs = overrides[i]
		}
		add(expandSeries(v, ovs, now, &budget)...)
	}
	return out
}

// parseICalDuration reads an iCalendar DURATION: "PT1H30M", "P1D", "P2W",
// "P1DT2H".
func parseICalDuration(v string) (time.Duration, bool) {
	v = strings.TrimPrefix(v, "+")
	if !strings.HasPrefix(v, "P") || len(v) < 3 {
		return 0, false
	}
	var total time.Duration
	inTime := false
	n := 0
	digits := false
	for _, r := range v[1:] {
		switch {
		case r >= '0' && r <= '9':
			if n > 1_000_000 {
				return 0, false
			}
			n = n*10 + int(r-'0')
			digits = true
			continue
		case r == 'T':
			inTime = true
			continue
		}
		if !digits {
			return 0, false
		}
		unit := time.Duration(0)
		switch {
		case r == 'W' && !inTime:
			unit = 7 * 24 * time.Hour
		case r == 'D' && !inTime:
			unit = 24 * time.Hour
		case r == 'H' && inTime:
			unit = time.Hour
		case r == 'M' && inTime:
			unit = time.Minute
		case r == 'S' && inTime:
			unit = time.Second
		default:
			return 0, false
		}
		total += time.Duration(n) * unit
		n, digits = 0, false
	}
	return total, !digits && total > 0
}

// unfoldICal splits an iCalendar body into logical lines, joining folded
// continuation lines.
func unfoldICal(src string) []string {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	var out []string
	for _, l := range strings.Split(src, "\n") {
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(out) > 0 {
			out[len(out)-1] += l[1:]
			continue
		}
		out = append(out, strings.TrimRight(l, "\r"))
	}
	return out
}

// unescapeICal undoes iCalendar text escapes.
func unescapeICal(s string) string {
	return strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(s)
}

// parseICalTime reads a DTSTART value: a date (20240315), a UTC time
// (20240315T090000Z) or a local time, taken as Swedish time.
func parseICalTime(value, params string) (time.Time, bool) {
	value = strings.TrimSpace(value)
	var t time.Time
	var err error
	switch {
	case len(value) == 8:
		t, err = time.Parse("20060102", value)
	case strings.HasSuffix(value, "Z"):
		t, err = time.Parse("20060102T150405Z", value)
	default:
		loc := stockholm
		if _, tz, ok := strings.Cut(params, "TZID="); ok {
			if l, lerr := time.LoadLocation(strings.Trim(strings.Split(tz, ";")[0], `"`)); lerr == nil {
				loc = l
			}
		}
		t, err = time.ParseInLocation("20060102T150405", value, loc)
	}
	if err != nil || t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, false
	}
	return t, true
}
