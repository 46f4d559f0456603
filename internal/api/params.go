package api

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// parseQuery parses a raw query string strictly: it refuses malformed
// strings, names other than allowed, and names given more than once.
func parseQuery(raw string, allowed ...string) (url.Values, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, invalidf("malformed query string")
	}
	var unknown []string
	for name, vals := range q {
		if !slices.Contains(allowed, name) {
			unknown = append(unknown, strconv.Quote(name))
			continue
		}
		if len(vals) > 1 {
			return nil, invalidf("query parameter %q is given %d times; give it once", name, len(vals))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		noun := "parameter"
		if len(unknown) > 1 {
			noun = "parameters"
		}
		if len(allowed) == 0 {
			return nil, invalidf("unknown query %s %s: this endpoint takes none", noun, strings.Join(unknown, ", "))
		}
		return nil, invalidf("unknown query %s %s; allowed: %s", noun, strings.Join(unknown, ", "), strings.Join(allowed, ", "))
	}
	return q, nil
}

// intParam returns the integer value of the query parameter name, or 0 if
// it is absent or empty.
func intParam(q url.Values, name string) (int, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, invalidf("%s must be an integer, not %q", name, truncate(v, 40))
	}
	return n, nil
}

// truncate shortens s to at most n bytes, on a rune boundary, for echoing
// user input in messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
