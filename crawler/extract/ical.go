package extract

import (
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// parseICal reads an iCalendar body: every VEVENT becomes an event
// (SUMMARY, DTSTART, DTEND or DURATION, LOCATION, URL, ORGANIZER), except
// a cancelled one, and the SUMMARY, DESCRIPTION and LOCATION of the events
// become the text; the calendar's name (X-WR-CALNAME), else the first
// SUMMARY, is the title, and the first DTSTART the date.
func parseICal(src string) parsed {
	p := parsed{kind: kg.KindEvent}
	var lines []string
	var cur *kg.Event
	var desc string
	var duration time.Duration
	cancelled := false
	calName := ""
	for _, l := range unfoldICal(src) {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		prop, params, _ := strings.Cut(name, ";")
		switch strings.ToUpper(prop) {
		case "BEGIN":
			if strings.EqualFold(strings.TrimSpace(value), "VEVENT") {
				cur, desc, duration, cancelled = &kg.Event{}, "", 0, false
			}
		case "END":
			if strings.EqualFold(strings.TrimSpace(value), "VEVENT") && cur != nil {
				if cur.End.IsZero() && duration > 0 && !cur.Start.IsZero() {
					cur.End = cur.Start.Add(duration)
				}
				if cur.AllDay && cur.End.After(cur.Start) {
					cur.End = cur.End.AddDate(0, 0, -1) // DTEND of a whole day is exclusive
				}
				if cur.End.Before(cur.Start) {
					cur.End = time.Time{} // an end before the start is a mistake, not a time
				}
				if cur.Title != "" && !cur.Start.IsZero() && !cancelled && len(p.events) < maxEvents {
					cur.Snippet = truncateRunes(collapse(cur.Title+". "+desc), 280)
					p.events = append(p.events, *cur)
				}
				cur = nil
			}
		case "SUMMARY":
			v := unescapeICal(value)
			if p.title == "" {
				p.title = collapse(v)
			}
			lines = append(lines, v)
			if cur != nil {
				cur.Title = truncateRunes(collapse(v), maxTitleRunes)
			}
		case "DESCRIPTION":
			v := unescapeICal(value)
			lines = append(lines, v)
			desc = v
		case "LOCATION":
			v := unescapeICal(value)
			lines = append(lines, v)
			if cur != nil {
				cur.Place = collapse(v)
			}
		case "URL":
			if cur != nil {
				cur.RegistrationURL = strings.TrimSpace(value)
			}
		case "ORGANIZER":
			if cur != nil {
				if _, cn, ok := strings.Cut(params, "CN="); ok {
					cn, _, _ = strings.Cut(cn, ";")
					if cn = strings.Trim(unescapeICal(cn), `"`); cn != "" {
						cur.Organisers = append(cur.Organisers, collapse(cn))
					}
				}
			}
		case "STATUS":
			cancelled = strings.EqualFold(strings.TrimSpace(value), "CANCELLED")
		case "DURATION":
			if d, ok := parseICalDuration(strings.TrimSpace(value)); ok {
				duration = d
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
				cur.Start = t
				cur.AllDay = len(strings.TrimSpace(value)) == 8
			}
		case "DTEND":
			if t, ok := parseICalTime(value, params); ok && cur != nil {
				cur.End = t
			}
		}
	}
	if calName != "" {
		p.title = calName
	}
	p.text = normalizeLines(strings.Join(lines, "\n"))
	return p
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
