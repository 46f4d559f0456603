package extract

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// projectField matches the labels of a project's fact box: "Projektägare:",
// "Finansiärer:", "Projekttid 220501-240430".
var projectField = newStartRegexp(`(?i)(?:^|[\s.;(])(projektnamn|projektägare|projektledare|projektledning|`+
	`finansiärer|finansiär|finansiering|finansieras av|medfinansiärer|medfinansiär|intressenter|`+
	`samarbetsparter|samarbetspartners|samarbetspartner|samverkanspartner|partner|projektpartner|`+
	`projekttid|projektperiod|period|löptid|status)\s*:\s*|(?:^|[\s.;(])(projekttid|projektperiod)\s+`,
	afterSeparator(true, ".;(", true, "projekt", "finansi", "medfinansi", "intressenter", "samarbetspart",
		"samverkanspartner", "partner", "period", "löptid", "status"))

// fieldKey maps a label to the project field it fills.
func fieldKey(label string) string {
	switch l := strings.ToLower(label); {
	case l == "projektnamn":
		return "name"
	case l == "projektägare":
		return "owner"
	case strings.HasPrefix(l, "projektled"):
		return "leader"
	case strings.HasPrefix(l, "finansi") || strings.HasPrefix(l, "medfinansi"):
		return "funders"
	case l == "intressenter" || strings.Contains(l, "partner") || strings.HasPrefix(l, "samarbetspart"):
		return "stakeholders"
	case l == "projekttid" || l == "projektperiod" || l == "period" || l == "löptid":
		return "period"
	case l == "status":
		return "status"
	}
	return ""
}

// fieldValue is one labelled value of a fact box.
type fieldValue struct {
	key, value string
	start      int
}

// readProjectFields reads the labelled values of text: each runs to the next
// label, the end of its line or the end of its sentence.
func readProjectFields(text string) []fieldValue {
	ms := projectField.findAllSubmatchIndex(text, -1)
	var out []fieldValue
	for i, m := range ms {
		label := ""
		if m[2] >= 0 {
			label = text[m[2]:m[3]]
		} else {
			label = text[m[4]:m[5]]
		}
		end := len(text)
		if i+1 < len(ms) {
			end = ms[i+1][0]
		}
		v := text[m[1]:end]
		if k := strings.IndexByte(v, '\n'); k >= 0 {
			v = v[:k]
		}
		v = cutSentence(v)
		out = append(out, fieldValue{key: fieldKey(label), value: strings.Trim(strings.TrimSpace(v), " .;,"), start: m[0]})
	}
	return out
}

// cutSentence cuts s at the end of its first sentence: a full stop
// followed by a space and a capital letter, that ends no abbreviation.
func cutSentence(s string) string {
	for k := 0; k < len(s); k++ {
		if s[k] != '.' || k+2 >= len(s) || s[k+1] != ' ' {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[k+2:])
		if unicode.IsUpper(r) && !abbrevBefore(s, k) {
			return s[:k]
		}
	}
	return s
}

// projectWords introduce a project's name in running text.
var projectWords = newStartRegexp(`(?:^|[\s(])(?:[Pp]rojektet|[Ff]örstudien|[Ff]örprojektet|[Ss]amarbetsprojektet|`+
	`[Ss]amverkansprojektet|[Ii]nnovationsprojektet|[Pp]rojekt|[Ss]atsningen|[Pp]rogrammet)\s+`,
	afterSeparator(true, "(", false, "Projekt", "projekt", "Förstudien", "förstudien", "Förprojektet", "förprojektet",
		"Samarbetsprojektet", "samarbetsprojektet", "Samverkansprojektet", "samverkansprojektet",
		"Innovationsprojektet", "innovationsprojektet", "Satsningen", "satsningen", "Programmet", "programmet"))

// quoted matches a name in quotation marks.
var quoted = regexp.MustCompile(`^['"‘’“”«»]([^'"‘’“”«»\n]{3,90})['"‘’“”«»]`)

// nameConnectors may join the capitalised words of a name.
var nameConnectors = map[string]bool{"och": true, "till": true, "i": true, "för": true, "på": true, "av": true,
	"med": true, "–": true, "-": true, "&": true, "of": true, "in": true, "and": true, "the": true, "for": true, "ur": true}

// nameStop are capitalised words that do not begin a project's name.
var nameStop = map[string]bool{"Det": true, "Den": true, "Som": true, "Och": true, "Med": true, "I": true, "Är": true,
	"Har": true, "Ska": true, "Kan": true, "Vi": true, "Där": true, "En": true, "Ett": true}

// capitalisedName reads a name of capitalised words at the start of s,
// with lower-case connectors between them ("Lokal Produktion till Lokal
// Konsumtion", "Arena Skog", "Grön kompetens – Livsmedel").
func capitalisedName(s string) string {
	words := firstFields(s, 11) // the loop reads ten words and looks one ahead
	var out []string
	for i := 0; i < len(words) && i < 10; i++ {
		w := words[i]
		clean := strings.TrimRight(w, ".,;:)!?'\"”")
		trailing := clean != w
		if startsUpper(clean) || (len(out) > 0 && isDigits(clean)) {
			if len(out) == 0 && nameStop[clean] {
				return ""
			}
			out = append(out, clean)
			if trailing {
				break
			}
			continue
		}
		if len(out) > 0 && nameConnectors[clean] && i+1 < len(words) && startsUpper(words[i+1]) && !trailing {
			out = append(out, clean)
			continue
		}
		break
	}
	for len(out) > 0 && nameConnectors[out[len(out)-1]] {
		out = out[:len(out)-1]
	}
	name := strings.Join(out, " ")
	if utf8.RuneCountInString(name) < 4 {
		return ""
	}
	return name
}

// firstFields returns the first n fields of s, split as strings.Fields
// splits, without reading the rest of s.
func firstFields(s string, n int) []string {
	out := make([]string, 0, n)
	for len(out) < n {
		start := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) })
		if start < 0 {
			break
		}
		s = s[start:]
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// fundingCue introduces funders in running text.
var fundingCue = regexp.MustCompile(`(?i)(finansier\w* av|finansier\w* genom|finansier\w* från|medfinansier\w* av|stöd från|medel från|pengar från|beviljats av|beviljat av|beviljats stöd från|via|från)\s`)

// projectDraft is a project under construction.
type projectDraft struct {
	kg.Project
	sentence string
}

// extractProjects finds the projects text describes: a fact box
// (Projektägare, Projektledare, Finansiärer, Intressenter, Projekttid), and
// projects named in running text ("projektet Foodinova"). title names the
// fact box's project when no Projektnamn is given. ref is the page's date,
// for the status. find returns the organisations of a passage.
func extractProjects(title, text string, isProjectPage bool, ref time.Time, find func(string) []string) []kg.Project {
	var drafts []projectDraft
	fields := readProjectFields(text)
	// Fact boxes: split at every "Projektnamn", else one for the page.
	var boxes [][]fieldValue
	for _, f := range fields {
		if f.key == "" {
			continue
		}
		if f.key == "name" || len(boxes) == 0 {
			boxes = append(boxes, nil)
		}
		boxes[len(boxes)-1] = append(boxes[len(boxes)-1], f)
	}
	for _, box := range boxes {
		keys := map[string]bool{}
		for _, f := range box {
			keys[f.key] = true
		}
		strong := 0
		for _, k := range []string{"name", "owner", "leader", "funders", "stakeholders", "period"} {
			if keys[k] {
				strong++
			}
		}
		if strong < 2 && !(isProjectPage && strong >= 1 && !keys["period"]) {
			continue
		}
		var d projectDraft
		for _, f := range box {
			switch f.key {
			case "name":
				d.Name = f.value
			case "owner":
				d.Owner = f.value
			case "leader":
				name, _, _ := strings.Cut(f.value, ",")
				name, _, _ = strings.Cut(name, "(")
				d.Leader = strings.TrimSpace(name)
			case "funders":
				d.Funders = append(d.Funders, kg.SplitNames(stripParens(f.value))...)
			case "stakeholders":
				d.Stakeholders = append(d.Stakeholders, kg.SplitNames(stripParens(f.value))...)
			case "period":
				d.Period = f.value
			case "status":
				d.Status = statusWord(f.value)
			}
		}
		if d.Name == "" {
			d.Name = title
		}
		d.sentence = text
		drafts = append(drafts, d)
	}
	// Projects named in running text.
	for _, m := range projectWords.findAllIndex(text, -1) {
		rest := text[m[1]:]
		name := ""
		if q := quoted.FindStringSubmatch(rest); q != nil {
			name = strings.TrimSpace(q[1])
		} else {
			name = capitalisedName(rest)
		}
		if name == "" || len(strings.Fields(name)) > 10 {
			continue
		}
		s, e := sentenceBounds(text, m[0], m[1])
		sentence := text[s:e]
		d := projectDraft{sentence: sentence}
		d.Name = name
		if start, end, ok := periodRange(sentence); ok {
			d.Start, d.End = start, end
			d.Period = periodText(sentence)
		}
		if loc := fundingCue.FindStringIndex(sentence); loc != nil {
			d.Funders = find(sentence[loc[1]:])
		}
		if i := strings.Index(strings.ToLower(sentence), "projektägare"); i >= 0 {
			if os := find(sentence); len(os) > 0 {
				d.Owner = os[0]
			}
		}
		drafts = append(drafts, d)
	}
	// On a project page, the title names the page's project when the text
	// speaks of it.
	if isProjectPage && len(drafts) == 0 && title != "" && len(strings.Fields(title)) <= 8 {
		d := projectDraft{sentence: text}
		d.Name = title
		if start, end, ok := periodRange(text); ok {
			d.Start, d.End = start, end
			d.Period = periodText(text)
		}
		drafts = append(drafts, d)
	}
	var out []kg.Project
	index := map[string]int{}
	for _, d := range drafts {
		d.Name = strings.Trim(collapse(d.Name), " .:;,–-")
		if kg.Slug(d.Name) == "" {
			continue
		}
		if d.Period != "" && d.Start.IsZero() && d.End.IsZero() {
			d.Start, d.End, _ = ParsePeriod(d.Period)
		}
		if d.Status == "" {
			d.Status = projectStatus(d.sentence, d.Start, d.End, ref)
		}
		d.Snippet = truncateRunes(strings.TrimSpace(d.sentence), 280)
		key := kg.Slug(d.Name)
		if i, ok := index[key]; ok {
			mergeProject(&out[i], d.Project)
			continue
		}
		index[key] = len(out)
		out = append(out, d.Project)
	}
	return out
}

// mergeProject fills q's missing fields from p.
func mergeProject(q *kg.Project, p kg.Project) {
	q.Owner = firstNonEmpty(q.Owner, p.Owner)
	q.Leader = firstNonEmpty(q.Leader, p.Leader)
	if len(q.Funders) == 0 {
		q.Funders = p.Funders
	}
	if len(q.Stakeholders) == 0 {
		q.Stakeholders = p.Stakeholders
	}
	if q.Start.IsZero() && q.End.IsZero() {
		q.Start, q.End, q.Period = p.Start, p.End, p.Period
	}
	q.Status = firstNonEmpty(q.Status, p.Status)
}

// periodRange reads a period from running text only when it is written
// as a range ("2021–2023", "2022-03-01 till 2023-12-31", "–2015"), so
// that a year in passing is not taken for one.
func periodRange(s string) (time.Time, time.Time, bool) {
	pts := periodPoints(s)
	for i, p := range pts {
		if i+1 < len(pts) && rangeJoin.MatchString(s[p.end:pts[i+1].start]) {
			start, end, ok := ParsePeriod(s[p.start:])
			return start, end, ok
		}
		if openEnd.MatchString(s[p.end:]) {
			return p.first, time.Time{}, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// periodText returns the period as written in s, or "".
func periodText(s string) string {
	pts := periodPoints(s)
	for i, p := range pts {
		if i+1 < len(pts) && rangeJoin.MatchString(s[p.end:pts[i+1].start]) {
			return s[p.start:pts[i+1].end]
		}
	}
	return ""
}

func statusWord(s string) string {
	l := strings.ToLower(s)
	switch {
	case strings.Contains(l, "avslut") || strings.Contains(l, "finished") || strings.Contains(l, "completed"):
		return kg.StatusFinished
	case strings.Contains(l, "pågå") || strings.Contains(l, "ongoing") || strings.Contains(l, "aktiv"):
		return kg.StatusOngoing
	case strings.Contains(l, "planer") || strings.Contains(l, "kommande"):
		return kg.StatusPlanned
	}
	return ""
}

// stripParens drops parenthesised remarks: "MSB (2:4-medel)" → "MSB".
func stripParens(s string) string { return collapse(parenthesis.ReplaceAllString(s, "")) }
