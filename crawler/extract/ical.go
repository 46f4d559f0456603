package extract

import (
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// parseICal reads an iCalendar body: the SUMMARY and DESCRIPTION (and
// LOCATION) of its events as text, the first SUMMARY as title and the
// first DTSTART as date.
func parseICal(src string) parsed {
	p := parsed{kind: kg.KindEvent}
	var lines []string
	for _, l := range unfoldICal(src) {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		prop, params, _ := strings.Cut(name, ";")
		switch strings.ToUpper(prop) {
		case "SUMMARY":
			v := unescapeICal(value)
			if p.title == "" {
				p.title = collapse(v)
			}
			lines = append(lines, v)
		case "DESCRIPTION", "LOCATION":
			lines = append(lines, unescapeICal(value))
		case "DTSTART":
			if p.start.IsZero() {
				if t, ok := parseICalTime(value, params); ok {
					p.start = t
				}
			}
		}
	}
	p.text = normalizeLines(strings.Join(lines, "\n"))
	return p
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
