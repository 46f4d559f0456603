// Package extract turns a fetched document (HTML, PDF, iCalendar or plain
// text) into an extracted kg.Document: its main text without menus,
// footers and cookie banners, its title, language, kind and date, the
// vocabulary topics it shows, and the clusters it is attributed to.
//
// Extraction is a pure function of the fetched document, the registry and
// the topic vocabulary: no I/O. The same page fetched twice gives the same
// Document, and the same ContentHash.
package extract

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/orgs"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

// Errors for documents that cannot be extracted; Extract wraps them with
// the document's URL.
var (
	ErrEmptyBody   = errors.New("empty body")
	ErrNoText      = errors.New("no text")
	ErrUnsupported = errors.New("unsupported content type")
)

// Limits.
const (
	maxTextRunes  = 200_000 // main text beyond this is cut
	maxTitleRunes = 200     // titles beyond this are cut
	topRunes      = 1500    // how far into the text a publication date is looked for
	eventRunes    = 5000    // how far into the text an event's date and time are looked for
)

// Extractor extracts documents. Its fields may be set directly; New fills
// them. It is safe for concurrent use once its fields are set.
type Extractor struct {
	Registry kg.Registry      // the clusters whose names attribute source pages
	Topics   *topics.Matcher  // the vocabulary; nil finds no topics
	Now      func() time.Time // the clock, for dates written without a year and recurring calendar events; nil is time.Now
	Orgs     *orgs.Vocabulary // the organisations found in text; nil is the embedded vocabulary

	once  sync.Once
	names clusterNameList
}

// New returns an Extractor for the clusters of reg and the topics of m.
func New(reg kg.Registry, m *topics.Matcher) *Extractor {
	return &Extractor{Registry: reg, Topics: m, Now: time.Now}
}

// Extract turns doc into a Document. It returns an error wrapping
// ErrEmptyBody, ErrNoText or ErrUnsupported for a document without
// content, and an error for a malformed or encrypted PDF; every error
// names the URL.
func (e *Extractor) Extract(ctx context.Context, doc kg.FetchedDoc) (kg.Document, error) {
	raw := doc.FinalURL
	if raw == "" {
		raw = doc.URL
	}
	fail := func(err error) (kg.Document, error) {
		return kg.Document{}, fmt.Errorf("extracting %s: %w", raw, err)
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fail(fmt.Errorf("parsing URL: %w", err))
	}
	if u.Host == "" {
		return fail(errors.New("URL has no host"))
	}
	if len(bytes.TrimSpace(doc.Body)) == 0 {
		return fail(ErrEmptyBody)
	}
	e.once.Do(func() {
		e.names = clusterNames(e.Registry)
		if e.Orgs == nil {
			e.Orgs, _ = orgs.Default() // the embedded vocabulary is checked by its tests
		}
	})

	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	var p parsed
	switch format := detectFormat(doc.ContentType, doc.Body); format {
	case "html":
		p = parseHTML(decodeBody(doc.Body, doc.ContentType, true))
	case "pdf":
		if p, err = parsePDF(ctx, doc.Body); err != nil {
			return fail(err)
		}
	case "ical":
		p = parseICal(decodeBody(doc.Body, doc.ContentType, false), now())
	case "feed":
		p = parseFeed(decodeBody(doc.Body, doc.ContentType, false))
	case "text":
		p = parsed{text: normalizeLines(decodeBody(doc.Body, doc.ContentType, false))}
	default:
		return fail(fmt.Errorf("%w %q", ErrUnsupported, format))
	}
	text := truncateRunes(p.text, maxTextRunes)
	if text == "" {
		return fail(ErrNoText)
	}
	title := truncateRunes(collapse(p.title), maxTitleRunes)
	if title == "" {
		title = firstLine(text, maxTitleRunes)
	}

	canon := canonicalURL(u, p.canonical)
	dates := readPageDates(canon, text, now())
	timed := firstTimedDate(truncateRunes(text, eventRunes), dates.ref)
	kind := decideKind(p, canon, contentKind(text, !timed.IsZero()))
	// The title is matched with the text, once: pages often repeat it as
	// their first heading.
	whole := text
	if first, _, _ := strings.Cut(text, "\n"); !sameText(first, title) {
		whole = title + "\n" + text
	}
	d := kg.Document{
		ID:        kg.DocumentID(canon.String()),
		URL:       canon.String(),
		Host:      strings.ToLower(canon.Hostname()),
		EntryKind: doc.Entry.Kind,
		EntryID:   doc.Entry.ID,
		Title:     title,
		Text:      text,
		Lang:      detectLang(p.lang, whole),
		Kind:      kind,
		Date:      chooseDate(kind, p, timed, dates.top),
		Clusters:  attribute(doc.Entry, e.names, whole),
		Topics:    e.matchTopics(whole),
		FetchedAt: doc.FetchedAt,
	}
	e.extractEntities(&d, p, doc.Entry, canon, dates.ref)
	e.documentEvents(&d, p, doc.Entry, canon, dates)
	d.ContentHash = contentHash(d)
	return d, nil
}

// entityVersion names the entity extraction rules; it is part of every
// content hash.
const entityVersion = "entities-1"

// detectFormat returns "html", "pdf", "ical", "text", or the media type
// when it is none of them. Magic bytes decide over a generic or missing
// Content-Type.
func detectFormat(contentType string, body []byte) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = ""
	}
	mt = strings.ToLower(mt)
	head := bytes.TrimLeft(body[:min(len(body), 1024)], " \t\r\n\ufeff")
	switch {
	case mt == "application/pdf" || bytes.HasPrefix(head, []byte("%PDF-")):
		return "pdf"
	case mt == "text/calendar" || bytes.HasPrefix(bytes.ToUpper(head), []byte("BEGIN:VCALENDAR")):
		return "ical"
	case mt == "application/rss+xml" || mt == "application/atom+xml" || isFeedHead(head):
		return "feed"
	case mt == "text/html" || mt == "application/xhtml+xml":
		return "html"
	case mt == "" || mt == "application/octet-stream" || mt == "text/plain":
		sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(body))
		switch sniffed {
		case "text/html":
			return "html"
		case "text/plain":
			return "text"
		}
		if mt == "text/plain" {
			return "text"
		}
		return sniffed
	}
	return mt
}

// isFeedHead reports whether the start of a body is an RSS or Atom
// document.
func isFeedHead(head []byte) bool {
	if !bytes.HasPrefix(head, []byte("<")) {
		return false
	}
	h := bytes.ToLower(head)
	if bytes.Contains(h, []byte("<html")) {
		return false
	}
	return bytes.Contains(h, []byte("<rss")) || bytes.Contains(h, []byte("<feed")) || bytes.Contains(h, []byte("<rdf:rdf"))
}

// canonicalURL returns the document's URL: the declared canonical URL when
// it is on the same host (and does not send an inner page to the site's
// front page, a common misconfiguration), else the fetched URL; without a
// fragment.
func canonicalURL(final *url.URL, declared string) *url.URL {
	c := *final
	if declared != "" {
		if ref, err := url.Parse(declared); err == nil {
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

// firstTimedDate returns the first date with a time of day in text, or
// zero.
func firstTimedDate(text string, now time.Time) time.Time {
	ds := scanDatesUntil(text, now, 20, func(d dateMatch) bool { return d.hasTime })
	for _, d := range ds {
		if d.hasTime {
			return d.t
		}
	}
	return time.Time{}
}

// publishedWords mark a date as the publication date.
var publishedWords = []string{"publicerad", "publ.", "published", "datum", "postad", "skriven"}

// chooseDate picks a document's date: for an event its start, else its
// publication date, each from the most explicit source that states it.
func chooseDate(kind string, p parsed, timed, top time.Time) time.Time {
	var order []time.Time
	if kind == kg.KindEvent {
		order = []time.Time{p.start, timed, p.timeAttr, top, p.published}
	} else {
		order = []time.Time{p.published, p.timeAttr, top}
	}
	for _, t := range order {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// contentHash hashes everything extracted from the page's content, and
// nothing about when it was fetched.
func contentHash(d kg.Document) string {
	h := sha256.New()
	put := func(s string) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	date := ""
	if !d.Date.IsZero() {
		date = d.Date.UTC().Format(time.RFC3339Nano)
	}
	for _, s := range []string{d.ID, d.URL, d.Host, string(d.EntryKind), d.EntryID, d.Title, d.Text,
		d.Lang, d.Kind, date, strings.Join(d.Clusters, "\n")} {
		put(s)
	}
	for _, m := range d.Topics {
		put(m.TopicID)
		put(m.Term)
		put(strconv.Itoa(m.Count))
		put(m.Snippet)
	}
	// The entities, so that a change in what is extracted from the same
	// text reaches the graph.
	put(entityVersion)
	fmt.Fprintf(h, "%v\x00%v\x00%v\x00%v", d.People, d.Projects, d.Events, d.Organisations)
	return hex.EncodeToString(h.Sum(nil))
}

// truncateRunes cuts s to at most n characters, at a space when one is
// near the end.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	cut := s[:i]
	if j := strings.LastIndexFunc(cut, unicode.IsSpace); j > len(cut)-200 && j > 0 {
		cut = cut[:j]
	}
	return strings.TrimSpace(cut)
}

// firstLine returns the first line of text, cut to n characters.
func firstLine(text string, n int) string {
	line, _, _ := strings.Cut(text, "\n")
	return truncateRunes(collapse(line), n)
}
