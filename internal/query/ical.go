package query

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// ICalOptions describes the calendar as a whole.
type ICalOptions struct {
	Name    string    // X-WR-CALNAME, the calendar's display name
	BaseURL string    // absolute address of the site, for event page URLs; may be empty
	Domain  string    // the right-hand side of every UID, e.g. "klusterkarta.example"
	Stamp   time.Time // DTSTAMP of every event
}

// WriteICal writes events as an RFC 5545 calendar: CRLF line ends, lines
// folded at 75 octets without splitting a UTF-8 sequence, text values
// escaped, a stable UID and a DTSTAMP on every event. Events without a
// start are left out, since a VEVENT in a published calendar needs one.
func WriteICal(w io.Writer, events []Event, opt ICalOptions) error {
	bw := bufio.NewWriter(w)
	line := func(name, value string) {
		writeFolded(bw, name+":"+value)
	}
	domain := opt.Domain
	if domain == "" {
		domain = "klusterkarta"
	}
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Klusterkarta//Klusterkarta//SV")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if opt.Name != "" {
		line("X-WR-CALNAME", escapeText(opt.Name))
	}
	stamp := opt.Stamp.UTC().Format("20060102T150405Z")
	for _, ev := range events {
		if ev.Start.IsZero() {
			continue
		}
		line("BEGIN", "VEVENT")
		line("UID", escapeText(ev.ID)+"@"+domain)
		line("DTSTAMP", stamp)
		if ev.AllDay || (ev.End.IsZero() && isMidnight(ev.Start)) {
			start := dateOnly(ev.Start)
			end := start.AddDate(0, 0, 1)
			if !ev.End.IsZero() && dateOnly(ev.End).After(start) {
				// An all-day DTEND is exclusive: the day after the last day.
				end = dateOnly(ev.End)
				if ev.AllDay {
					end = end.AddDate(0, 0, 1)
				}
			}
			line("DTSTART;VALUE=DATE", start.Format("20060102"))
			line("DTEND;VALUE=DATE", end.Format("20060102"))
		} else {
			line("DTSTART", ev.Start.UTC().Format("20060102T150405Z"))
			if !ev.End.IsZero() && ev.End.After(ev.Start) {
				line("DTEND", ev.End.UTC().Format("20060102T150405Z"))
			}
		}
		line("SUMMARY", escapeText(ev.Name))
		if ev.Place != "" {
			line("LOCATION", escapeText(ev.Place))
		}
		var desc []string
		var names []string
		for _, c := range ev.Clusters {
			names = append(names, c.Name)
		}
		for _, o := range ev.Organisers {
			names = append(names, o.Name)
		}
		if len(names) > 0 {
			desc = append(desc, strings.Join(names, ", "))
		}
		if ev.URL != "" {
			desc = append(desc, ev.URL)
		}
		if ev.RegistrationURL != "" {
			desc = append(desc, "Anmälan: "+ev.RegistrationURL)
		}
		if len(desc) > 0 {
			line("DESCRIPTION", escapeText(strings.Join(desc, "\n")))
		}
		if ev.URL != "" {
			line("URL;VALUE=URI", ev.URL)
		}
		if len(ev.Topics) > 0 {
			var cats []string
			for _, t := range ev.Topics {
				cats = append(cats, escapeText(t.Label("sv")))
			}
			line("CATEGORIES", strings.Join(cats, ","))
		}
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing calendar: %w", err)
	}
	return nil
}

// dateOnly returns the calendar day of t in its own zone, at midnight UTC.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// escapeText escapes an iCalendar TEXT value: backslash, semicolon, comma
// and newline.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`)
	return r.Replace(s)
}

// writeFolded writes one content line ended by CRLF, folded so that no
// physical line exceeds 75 octets: continuation lines begin with a space.
// A fold never splits a UTF-8 sequence. Control characters other than tab
// are dropped.
func writeFolded(w *bufio.Writer, line string) {
	line = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, line)
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.WriteString(line[:cut])
		w.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	w.WriteString(line)
	w.WriteString("\r\n")
}
