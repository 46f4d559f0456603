package crawler

import (
	"mime"
	"net"
	"net/url"
	"path"
	"strings"
)

// normalizeURL parses raw and returns it in the form the crawler dedupes
// on: http or https (webcal becomes https), lower-case host without the
// scheme's default port, a non-empty path, no fragment. It returns nil for
// anything else.
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
	if u.Path == "" {
		u.Path = "/"
		u.RawPath = ""
	}
	u.Fragment, u.RawFragment = "", ""
	return u
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
