package extract

import (
	"encoding/xml"
	"io"
	"net/mail"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// maxFeedItems is how many items of a feed are read.
const maxFeedItems = 200

// feedXML holds the parts of RSS 2.0 and Atom documents extraction reads.
type feedXML struct {
	XMLName xml.Name
	// RSS
	Channel struct {
		Title string    `xml:"title"`
		Items []feedRSS `xml:"item"`
	} `xml:"channel"`
	// Atom
	Title   string      `xml:"title"`
	Entries []feedEntry `xml:"entry"`
}

type feedRSS struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	Description string `xml:"description"`
	PubDate     string `xml:"pubDate"`
}

type feedEntry struct {
	Title string `xml:"title"`
	Links []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Summary   string `xml:"summary"`
	Content   string `xml:"content"`
	Updated   string `xml:"updated"`
	Published string `xml:"published"`
}

// FeedItem is one item of an RSS or Atom feed.
type FeedItem struct {
	Title string
	Link  string
	Text  string
	Date  time.Time
}

// ParseFeed reads an RSS 2.0 or Atom feed: its title and items (title,
// link, text without markup, date), newest first as the feed lists them.
// ok is false when src is neither.
func ParseFeed(src string) (title string, items []FeedItem, ok bool) {
	dec := xml.NewDecoder(strings.NewReader(src))
	dec.Strict = false
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var f feedXML
	if err := dec.Decode(&f); err != nil {
		return "", nil, false
	}
	switch strings.ToLower(f.XMLName.Local) {
	case "rss", "rdf":
		title = collapse(f.Channel.Title)
		for _, it := range f.Channel.Items {
			if len(items) == maxFeedItems {
				break
			}
			d, _ := parseFeedDate(it.PubDate)
			items = append(items, FeedItem{Title: collapse(htmlText(it.Title)), Link: strings.TrimSpace(it.Link),
				Text: htmlText(it.Description), Date: d})
		}
	case "feed":
		title = collapse(htmlText(f.Title))
		for _, e := range f.Entries {
			if len(items) == maxFeedItems {
				break
			}
			link := ""
			for _, l := range e.Links {
				if l.Rel == "" || l.Rel == "alternate" {
					link = strings.TrimSpace(l.Href)
					break
				}
			}
			d, ok := parseMachineDate(e.Published)
			if !ok {
				d, _ = parseMachineDate(e.Updated)
			}
			text := e.Summary
			if text == "" {
				text = e.Content
			}
			items = append(items, FeedItem{Title: collapse(htmlText(e.Title)), Link: link, Text: htmlText(text), Date: d})
		}
	default:
		return "", nil, false
	}
	return title, items, true
}

// parseFeedDate reads an RSS date (RFC 1123 and its variants) or an ISO
// date.
func parseFeedDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := mail.ParseDate(s); err == nil {
		return t, t.Year() >= minYear && t.Year() <= maxYear
	}
	return parseMachineDate(s)
}

// htmlText returns the visible text of an HTML fragment.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return normalizeLines(s)
	}
	return parseHTML("<body>" + s + "</body>").text
}

// parseFeed turns a feed into a news document: the feed's items as text,
// one block each (title, text, link), and the newest item's date.
func parseFeed(src string) parsed {
	title, items, ok := ParseFeed(src)
	if !ok {
		return parsed{}
	}
	p := parsed{title: title, kind: kg.KindNews, items: len(items)}
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.Title + "\n")
		if it.Text != "" {
			b.WriteString(it.Text + "\n")
		}
		if it.Link != "" {
			b.WriteString(it.Link + "\n")
		}
		if it.Date.After(p.published) {
			p.published = it.Date
		}
	}
	p.text = normalizeLines(b.String())
	return p
}
