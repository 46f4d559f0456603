package kg

import (
	"context"
	"time"
)

// FetchedDoc is one response the crawler received and kept: the raw input
// of extraction.
type FetchedDoc struct {
	URL         string              // the URL requested
	FinalURL    string              // the URL after redirects
	Status      int                 // HTTP status code
	ContentType string              // media type as understood (sniffed when the server sent none)
	Header      map[string][]string // response headers
	Body        []byte              // the body, capped at the crawler's size limit
	FetchedAt   time.Time
	Entry       Entry // the registry entry whose site led to this document
	Depth       int   // link depth from the entry's site root
}

// Document kinds.
const (
	KindAbout   = "about"
	KindNews    = "news"
	KindLetter  = "newsletter" // a newsletter issue or archive
	KindEvent   = "event"
	KindProject = "project"
	KindReport  = "report"
	KindContact = "contact"
	KindOther   = "other"
)

// Kinds lists every document kind in display order.
var Kinds = []string{KindAbout, KindNews, KindLetter, KindEvent, KindProject, KindReport, KindContact, KindOther}

// Document is what extraction makes of a fetched document.
type Document struct {
	ID          string    // DocumentID(URL)
	URL         string    // canonical URL
	Host        string    // host the document was published on
	EntryKind   EntryKind // kind of the registry entry whose site it came from
	EntryID     string    // id of that entry
	Title       string
	Text        string    // main text, without menus, footers and cookie banners
	Lang        string    // "sv" or "en"
	Kind        string    // one of the Kind* constants
	Date        time.Time // publication or event date where stated; zero if unknown
	Clusters    []string  // ids of the clusters the document is attributed to, sorted
	Topics      []TopicMatch
	ContentHash string // hash of the extracted content; equal hashes mean nothing changed
	FetchedAt   time.Time

	// Entities the document states, each with the snippet that shows it.
	People        []Person
	Projects      []Project
	Events        []Event
	Organisations []OrgMention
}

// TopicMatch is one topic found in a document, with the text that shows it.
type TopicMatch struct {
	TopicID string
	Term    string // the vocabulary term that matched
	Snippet string // a short passage around the first match
	Count   int    // how many times the topic's terms occur
}

// DocumentID returns the stable graph id of the document at url.
func DocumentID(url string) string { return "doc:" + url }

// PageSink receives every document the crawler fetched and kept. It must be
// safe for concurrent use.
type PageSink interface {
	HandlePage(ctx context.Context, doc FetchedDoc) error
}

// PageSinkFunc adapts a function to PageSink.
type PageSinkFunc func(ctx context.Context, doc FetchedDoc) error

// HandlePage calls f.
func (f PageSinkFunc) HandlePage(ctx context.Context, doc FetchedDoc) error { return f(ctx, doc) }

// GoneSink is implemented by a PageSink that also wants to know when a
// previously crawled URL answers 404 or 410, so that the facts it supported
// can be retracted.
type GoneSink interface {
	HandleGone(ctx context.Context, url string, status int) error
}
