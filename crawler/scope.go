package crawler

import (
	"mime"
	"net"
	"net/url"
	"path"
	"slices"
	"strings"
)

// normalizeURL parses raw and returns it in the form the crawler fetches
// and dedupes on: http or https (webcal becomes https), lower-case host
// without the scheme's default port, a non-empty path without dot segments
// or ";jsessionid=" parameters, no fragment, and a query without tracking or
// session parameters, sorted by name. It returns nil for anything else.
func normalizeURL(raw string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		u.Scheme = strings.ToLower(u.Scheme)
	case "webcal":
		u.Scheme = "https"
	default:
		return nil
	}
	if u.Host == "" || u.User != nil || u.Opaque != "" {
		return nil
	}
	host, port := u.Hostname(), u.Port()
	if host == "" {
		return nil
	}
	host = strings.ToLower(host)
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	u.Host = host
	if port != "" {
		u.Host += ":" + port
	}
	u.Path, u.RawPath = cleanPath(u.EscapedPath())
	u.RawQuery = cleanQuery(u.RawQuery)
	u.ForceQuery = false
	u.Fragment, u.RawFragment = "", ""
	return u
}

// cleanPath removes dot segments and ";jsessionid=" path parameters from an
// escaped path, keeping a trailing slash, and returns the path and its raw
// form as url.URL holds them.
func cleanPath(escaped string) (string, string) {
	if i := strings.Index(strings.ToLower(escaped), ";jsessionid="); i >= 0 {
		rest := escaped[i+1:]
		end := strings.IndexAny(rest, "/;")
		if end < 0 {
			escaped = escaped[:i]
		} else {
			escaped = escaped[:i] + rest[end:]
		}
	}
	if escaped == "" || escaped[0] != '/' {
		escaped = "/" + escaped
	}
	if strings.Contains(escaped, "/.") || strings.Contains(escaped, "//") {
		trailing := strings.HasSuffix(escaped, "/") || strings.HasSuffix(escaped, "/.") || strings.HasSuffix(escaped, "/..")
		escaped = path.Clean(escaped)
		if trailing && escaped != "/" {
			escaped += "/"
		}
	}
	p, err := url.PathUnescape(escaped)
	if err != nil {
		return escaped, ""
	}
	if (&url.URL{Path: p}).EscapedPath() == escaped {
		return p, ""
	}
	return p, escaped
}

// dropParams are query parameters that track the visitor or their session
// and never select content; they are removed so that one page is one URL.
var dropParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true, "msclkid": true,
	"yclid": true, "igshid": true, "mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true,
	"mkt_tok": true, "_hsenc": true, "_hsmi": true, "ref_src": true,
	"jsessionid": true, "phpsessid": true, "sessionid": true, "session_id": true, "sid": true,
	"cfid": true, "cftoken": true, "aspsessionid": true,
}

// isDropParam reports whether the query parameter name is removed.
func isDropParam(name string) bool {
	n := strings.ToLower(name)
	return dropParams[n] || strings.HasPrefix(n, "utm_") || strings.HasPrefix(n, "aspsessionid")
}

// cleanQuery removes tracking and session parameters from a raw query and
// sorts the rest by name (stable, so repeated names keep their order). Each
// parameter keeps its original encoding.
func cleanQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type param struct{ name, pair string }
	var params []param
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		name, _, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if isDropParam(name) {
			continue
		}
		params = append(params, param{name, pair})
	}
	slices.SortStableFunc(params, func(a, b param) int { return strings.Compare(a.name, b.name) })
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = p.pair
	}
	return strings.Join(parts, "&")
}

// urlKey returns the key the crawler dedupes a normalized URL on: its
// string without a trailing slash on a path other than "/", so that /a and
// /a/ are one page.
func urlKey(u *url.URL) string {
	if u.Path == "/" || !strings.HasSuffix(u.Path, "/") {
		return u.String()
	}
	c := *u
	c.Path = strings.TrimRight(c.Path, "/")
	if c.Path == "" {
		c.Path = "/"
	}
	c.RawPath = strings.TrimRight(c.RawPath, "/")
	return c.String()
}

// hostPort returns u's host with the scheme's default port filled in: the
// unit of politeness.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// origin returns u's scheme and host: where its robots.txt lives.
func origin(u *url.URL) string { return u.Scheme + "://" + u.Host }

// scope is one host and path prefix a site covers.
type scope struct {
	host   string // lower-case hostname without "www.", with a non-default port
	prefix string // path prefix; "/" for the whole host
}

// scopeOf returns the scope rooted at u: its host, and its path as a
// directory. A last path segment with an extension ("/kluster/index.html")
// names a file, whose directory is the prefix; one without
// ("/gronakluster") names a directory.
func scopeOf(u *url.URL) scope {
	p := u.Path
	if !strings.HasSuffix(p, "/") {
		if path.Ext(p) != "" {
			p = p[:strings.LastIndexByte(p, '/')+1]
		} else {
			p += "/"
		}
	}
	if p == "" {
		p = "/"
	}
	return scope{host: siteHost(u), prefix: p}
}

// siteHost is the host part of a scope: "www." is ignored, so that
// www.example.se and example.se are one site; http and https are one site.
func siteHost(u *url.URL) string {
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		h += ":" + p
	}
	return h
}

// contains reports whether u lies within the scope.
func (s scope) contains(u *url.URL) bool {
	if siteHost(u) != s.host {
		return false
	}
	if s.prefix == "/" {
		return true
	}
	p := u.Path
	return strings.HasPrefix(p, s.prefix) || p+"/" == s.prefix
}

// Document kinds the crawler keeps, by content type.
const (
	typeHTML = "html"
	typePDF  = "pdf"
	typeICal = "ical"
	typeXML  = "xml" // RSS, Atom and other XML; sitemaps are dropped
	typeText = "text"
)

// contentKind classifies a Content-Type value, returning "" for types the
// crawler does not keep.
func contentKind(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	switch mt {
	case "text/html", "application/xhtml+xml":
		return typeHTML
	case "application/pdf", "application/x-pdf":
		return typePDF
	case "text/calendar":
		return typeICal
	case "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml":
		return typeXML
	case "text/plain":
		return typeText
	}
	return ""
}

// extensionKind classifies a URL by the extension of its path, for the
// documents the crawler fetches from other hosts.
func extensionKind(u *url.URL) string {
	switch strings.ToLower(path.Ext(u.Path)) {
	case ".pdf":
		return typePDF
	case ".ics", ".ical", ".ifb":
		return typeICal
	}
	return ""
}

// linkedDocument reports whether a link to u, with the type attribute
// typeAttr, points to a PDF or iCalendar document.
func linkedDocument(u *url.URL, typeAttr string) bool {
	if k := extensionKind(u); k != "" {
		return true
	}
	k := contentKind(typeAttr)
	return k == typePDF || k == typeICal
}

// isBinaryType reports whether a Content-Type says nothing useful about the
// body, so that the URL's extension decides.
func isBinaryType(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	switch strings.ToLower(strings.TrimSpace(mt)) {
	case "", "application/octet-stream", "binary/octet-stream", "application/download", "application/force-download":
		return true
	}
	return false
}
