package crawler

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Limits of the crawler-trap rules.
const (
	maxURLLength     = 2048 // longer URLs are generated, not linked by people
	maxPathSegments  = 16   // deeper paths are generated
	maxSegmentRepeat = 2    // a path segment seen more often repeats itself
	maxQueryParams   = 10   // more parameters are a faceted-search explosion
	calendarPast     = 20   // years back a calendar or archive is followed
	calendarFuture   = 3    // years ahead a calendar is followed
)

// yearPattern finds a year in a date-like path segment or query value:
// "2024", "2024-05", "2024-05-17", "20240517" or "2024/05".
var yearPattern = regexp.MustCompile(`(?:^|[^0-9])((?:1[0-9]|2[0-9])[0-9]{2})(?:[-_./]?[01][0-9](?:[-_./]?[0-3][0-9])?)?(?:[^0-9]|$)`)

// dateKeys are query parameter names whose numeric values are years or
// dates in calendars.
var dateKeys = map[string]bool{
	"year": true, "ar": true, "år": true, "month": true, "manad": true, "månad": true,
	"date": true, "datum": true, "day": true, "dag": true, "week": true, "vecka": true,
	"cal": true, "calendar": true, "kalender": true, "start": true, "from": true, "tribe-bar-date": true,
}

// trapReason returns why a normalized URL looks like a crawler trap, or ""
// when it does not. now places the window of calendar years.
func trapReason(u *url.URL, now time.Time) string {
	if len(u.String()) > maxURLLength {
		return "URL longer than " + strconv.Itoa(maxURLLength)
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) > maxPathSegments {
		return "path deeper than " + strconv.Itoa(maxPathSegments) + " segments"
	}
	if repeatingPath(segs) {
		return "repeating path segments"
	}
	q := u.Query()
	n := 0
	for _, vs := range q {
		n += len(vs)
	}
	if n > maxQueryParams {
		return "more than " + strconv.Itoa(maxQueryParams) + " query parameters"
	}
	lo, hi := now.Year()-calendarPast, now.Year()+calendarFuture
	outside := func(s string) bool {
		for _, m := range yearPattern.FindAllStringSubmatch(s, -1) {
			if y, err := strconv.Atoi(m[1]); err == nil && (y < lo || y > hi) {
				return true
			}
		}
		return false
	}
	for _, s := range segs {
		if (isDateSegment(s) || isYearSegment(s)) && outside(s) {
			return "calendar date outside " + strconv.Itoa(lo) + "–" + strconv.Itoa(hi)
		}
	}
	for k, vs := range q {
		if !dateKeys[strings.ToLower(k)] {
			continue
		}
		for _, v := range vs {
			if outside(v) {
				return "calendar date outside " + strconv.Itoa(lo) + "–" + strconv.Itoa(hi)
			}
		}
	}
	return ""
}

// isYearSegment reports whether a path segment is only a year.
func isYearSegment(s string) bool {
	if len(s) != 4 {
		return false
	}
	_, err := strconv.Atoi(s)
	return err == nil
}

// isDateSegment reports whether a path segment is a date such as
// "2024-05" or "2024-05-17".
func isDateSegment(s string) bool {
	if len(s) < 7 || len(s) > 10 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return s[4] == '-'
}

// repeatingPath reports whether a path repeats itself: one segment more
// than maxSegmentRepeat times, or a run of segments twice in a row
// ("/a/b/a/b/"), as relative links on misconfigured sites produce.
func repeatingPath(segs []string) bool {
	count := map[string]int{}
	for _, s := range segs {
		if s == "" {
			continue
		}
		count[s]++
		if count[s] > maxSegmentRepeat {
			return true
		}
	}
	for size := 1; 2*size <= len(segs); size++ {
		for i := 0; i+2*size <= len(segs); i++ {
			same := true
			for j := range size {
				if segs[i+j] != segs[i+size+j] || segs[i+j] == "" {
					same = false
					break
				}
			}
			if same && (size > 1 || !isNumeric(segs[i])) {
				return true
			}
		}
	}
	return false
}

// isNumeric reports whether s is made of digits only.
func isNumeric(s string) bool {
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

// urlPattern returns the shape of a normalized URL: its host and path with
// every run of digits replaced by "0", and the names of its query
// parameters. Calendars, pagination and faceted search produce many URLs of
// one shape; Config.MaxURLsPerPattern bounds how many are followed.
func urlPattern(u *url.URL) string {
	var b strings.Builder
	b.WriteString(u.Host)
	digits := false
	for _, r := range u.Path {
		if r >= '0' && r <= '9' {
			if !digits {
				b.WriteByte('0')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteRune(r)
	}
	if u.RawQuery != "" {
		b.WriteByte('?')
		for i, pair := range strings.Split(u.RawQuery, "&") {
			name, _, _ := strings.Cut(pair, "=")
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(name)
		}
	}
	return b.String()
}

// pathOf returns u without its query: the unit of query-string variants.
func pathOf(u *url.URL) string { return u.Host + u.EscapedPath() }
