package crawler

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// directives are what a page says about its own indexing: robots meta tags
// and X-Robots-Tag headers, and its canonical link.
type directives struct {
	noindex   bool
	nofollow  bool
	canonical string // the canonical link as written; "" if none
}

// maxHeadBytes bounds how much of an HTML body is scanned for meta tags and
// the canonical link, which belong in the head.
const maxHeadBytes = 256 << 10

// agentToken returns the product token of a User-Agent ("klusterkarta" for
// "Klusterkarta/0.1 (+https://...)"), lower-cased, as robots rules name it.
func agentToken(userAgent string) string {
	tok, _, _ := strings.Cut(strings.TrimSpace(userAgent), "/")
	tok, _, _ = strings.Cut(tok, " ")
	return strings.ToLower(tok)
}

// applyRobots adds the rules of one robots meta content or X-Robots-Tag
// value ("noindex, nofollow", "none"). A value may start with a user agent
// ("googlebot: noindex"); it then applies only when that agent is ours.
func (d *directives) applyRobots(value, agent string) {
	v := strings.TrimSpace(value)
	if name, rest, ok := strings.Cut(v, ":"); ok && !strings.ContainsAny(name, ", ") {
		switch n := strings.ToLower(strings.TrimSpace(name)); n {
		case "noindex", "nofollow", "none", "all", "index", "follow", "unavailable_after", "max-snippet",
			"max-image-preview", "max-video-preview", "noarchive", "nosnippet", "notranslate", "noimageindex":
			// A rule with a parameter, not an agent.
		default:
			if n != agent {
				return
			}
			v = rest
		}
	}
	for rule := range strings.SplitSeq(v, ",") {
		switch strings.ToLower(strings.TrimSpace(rule)) {
		case "noindex":
			d.noindex = true
		case "nofollow":
			d.nofollow = true
		case "none":
			d.noindex, d.nofollow = true, true
		}
	}
}

// headerDirectives reads the X-Robots-Tag headers of a response.
func headerDirectives(h map[string][]string, agent string) directives {
	var d directives
	for k, vs := range h {
		if !strings.EqualFold(k, "X-Robots-Tag") {
			continue
		}
		for _, v := range vs {
			d.applyRobots(v, agent)
		}
	}
	return d
}

// htmlDirectives adds the robots meta tags (name="robots" or our agent's
// token) and the first canonical link of an HTML body to d. It reads the
// head only.
func htmlDirectives(d directives, body []byte, agent string) directives {
	z := html.NewTokenizer(bytes.NewReader(body[:min(len(body), maxHeadBytes)]))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return d
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				return d
			case atom.Meta, atom.Link:
			default:
				continue
			}
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			if atom.Lookup(name) == atom.Meta {
				n := strings.ToLower(strings.TrimSpace(attrs["name"]))
				if n == "robots" || (agent != "" && n == agent) {
					d.applyRobots(attrs["content"], agent)
				}
				continue
			}
			if d.canonical == "" && hasToken(attrs["rel"], "canonical") {
				d.canonical = strings.TrimSpace(attrs["href"])
			}
		}
	}
}

// hasToken reports whether the space-separated list s holds tok, ignoring
// case.
func hasToken(s, tok string) bool {
	for f := range strings.FieldsSeq(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// documentURL returns the URL the document of a response is stored under:
// its declared canonical URL when that is on the same host and does not
// send an inner page to the site's front page, else the final URL; without
// a fragment and with a lower-case host. Extraction names documents by the
// same rule.
func documentURL(final *url.URL, canonical string) *url.URL {
	c := *final
	if canonical != "" {
		if ref, err := url.Parse(canonical); err == nil {
			abs := final.ResolveReference(ref)
			isRoot := func(u *url.URL) bool { return u.Path == "" || u.Path == "/" }
			if (abs.Scheme == "http" || abs.Scheme == "https") && strings.EqualFold(abs.Host, final.Host) &&
				(!isRoot(abs) || isRoot(final)) {
				c = *abs
			}
		}
	}
	c.Fragment, c.RawFragment = "", ""
	c.Host = strings.ToLower(c.Host)
	return &c
}
