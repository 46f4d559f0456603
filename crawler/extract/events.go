package extract

import (
	"regexp"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// eventField matches the labels of an event's facts.
var eventField = regexp.MustCompile(`(?i)(?:^|\n|[.;]\s)(datum|när|tid|tidpunkt|plats|var|lokal|adress|arrangör|arrangörer|arrangeras av|värd|anmälan|anmäl dig|sista anmälningsdag)\s*:\s*`)

// organiserCue marks a sentence that names an event's organisers.
var organiserCue = regexp.MustCompile(`(?i)arrangera|arrangör|anordna|ordnade|ordnar|bjuder in|bjöd in|i samarbete med|tillsammans med|samarrangera|står bakom|hälsar`)

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

// extractTextEvents finds the events of an event page: a calendar of
// dated lines gives one event per line; otherwise the page is one event
// titled by the page, at the date its fields or text give. ref is the
// page's date, for dates written without a year. find returns the
// organisations of a passage; registration is the page's registration
// link, if any.
func extractTextEvents(title, text string, ref time.Time, registration string, find func(string) []string) []kg.Event {
	lines := strings.Split(text, "\n")
	var listed []kg.Event
	for i, l := range lines {
		ds := scanDates(l, ref, 1)
		if len(ds) == 0 || ds[0].start > 8 || strings.Contains(l[:ds[0].start], ":") || published(strings.ToLower(l[:ds[0].start])) {
			continue
		}
		start, end, allDay, ok := ParseEventTime(l, ref)
		if !ok {
			continue
		}
		rest := strings.Trim(l[ds[0].end:], " –-:|,")
		rest = strings.TrimSpace(endTimePattern.ReplaceAllString(rest, ""))
		rest = strings.Trim(rest, " –-:|,")
		if len([]rune(rest)) < 4 && i+1 < len(lines) {
			rest = lines[i+1]
		}
		if len([]rune(rest)) < 4 {
			continue
		}
		ev := kg.Event{Title: truncateRunes(rest, maxTitleRunes), Start: start, End: end, AllDay: allDay, Snippet: truncateRunes(l, 280)}
		ev.Organisers = find(l)
		listed = append(listed, ev)
	}
	if len(listed) >= 2 {
		return listed
	}

	f := eventFields(text)
	ev := kg.Event{Title: title}
	var ok bool
	if w := f["when"]; w != "" {
		ev.Start, ev.End, ev.AllDay, ok = ParseEventTime(w, ref)
	}
	if !ok {
		for _, d := range scanDates(truncateRunes(text, eventRunes), ref, 20) {
			before := strings.ToLower(text[max(0, d.start-40):d.start])
			if published(before) {
				continue
			}
			ev.Start, ev.End, ev.AllDay, ok = ParseEventTime(text[d.start:], ref)
			if ok {
				break
			}
		}
	}
	if !ok {
		return nil
	}
	ev.Place = f["place"]
	if o := f["organisers"]; o != "" {
		ev.Organisers = kg.SplitNames(stripParens(o))
	} else {
		for _, loc := range organiserCue.FindAllStringIndex(text, 4) {
			s, e := sentenceBounds(text, loc[0], loc[1])
			ev.Organisers = appendNew(ev.Organisers, find(text[s:e])...)
		}
	}
	ev.RegistrationURL = registration
	if ev.RegistrationURL == "" {
		if r := f["registration"]; r != "" {
			ev.RegistrationURL = urlPattern.FindString(r)
		}
	}
	ev.Snippet = truncateRunes(firstSentences(text), 280)
	return []kg.Event{ev}
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
