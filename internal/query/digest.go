package query

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// DigestRequest asks for what is new.
type DigestRequest struct {
	Since  time.Duration // documents dated in the last Since; required
	Topics []string      // topic ids; nil means every topic
	Ahead  time.Duration // events starting within Ahead after now; 0 means 30 days
	Lang   string        // "sv" (default) or "en"
}

// Digest is what is new per topic across clusters, and the events ahead.
type Digest struct {
	From, To time.Time
	Lang     string
	Topics   []DigestTopic // vocabulary order, only topics with news
	Events   []Event       // starting between To and To+Ahead
	Total    int           // distinct documents
}

// DigestTopic is the new documents on one topic.
type DigestTopic struct {
	Topic     kg.Topic
	Documents []FeedDoc // newest first
	Clusters  []Ref     // the clusters the documents are about
}

// Digest collects the documents dated between now-Since and now on each
// topic, and the events starting in the next Ahead. Returns EINVALID for a
// non-positive Since and ENOTFOUND for an unknown topic.
func (e *Engine) Digest(ctx context.Context, req DigestRequest) (Digest, error) {
	if req.Since <= 0 {
		return Digest{}, kg.Errorf(kg.EINVALID, "since must be a positive duration")
	}
	if req.Ahead <= 0 {
		req.Ahead = 30 * 24 * time.Hour
	}
	now := e.now()
	d := Digest{From: now.Add(-req.Since), To: now, Lang: req.Lang}
	s, err := e.load(ctx, eventLabels, eventRels)
	if err != nil {
		return Digest{}, fmt.Errorf("building the digest: %w", err)
	}
	for _, id := range req.Topics {
		if _, err := findTopic(s, id); err != nil {
			return Digest{}, err
		}
	}
	topics := s.byLabel[kg.LabelTopic]
	sort.SliceStable(topics, func(i, j int) bool { return topicOrder(topics[i]) < topicOrder(topics[j]) })
	seen := map[string]bool{}
	for _, t := range topics {
		topic := topicOf(t)
		if len(req.Topics) > 0 && !slices.Contains(req.Topics, topic.ID) {
			continue
		}
		dt := DigestTopic{Topic: topic}
		for _, r := range s.inFrom(t.ID, kg.RelMentions, kg.LabelDocument) {
			fd := s.feedDoc(s.nodes[r.From], topic.ID)
			if fd.Date.IsZero() || fd.Date.Before(d.From) || fd.Date.After(d.To) {
				continue
			}
			dt.Documents = append(dt.Documents, fd)
			dt.Clusters = append(dt.Clusters, fd.Clusters...)
			seen[fd.ID] = true
		}
		if len(dt.Documents) == 0 {
			continue
		}
		sort.Slice(dt.Documents, func(i, j int) bool {
			a, b := dt.Documents[i], dt.Documents[j]
			if !a.Date.Equal(b.Date) {
				return a.Date.After(b.Date)
			}
			return a.URL < b.URL
		})
		dt.Clusters = uniqueRefs(dt.Clusters)
		d.Topics = append(d.Topics, dt)
	}
	d.Total = len(seen)
	f := EventFilter{From: now, To: now.Add(req.Ahead)}
	for _, ev := range s.events() {
		if !f.matches(ev) {
			continue
		}
		if len(req.Topics) > 0 && !slices.ContainsFunc(req.Topics, func(id string) bool { return containsTopic(ev.Topics, id) }) {
			continue
		}
		d.Events = append(d.Events, ev)
	}
	return d, nil
}

// digestText holds the digest's words in each language.
var digestText = map[string]map[string]string{
	"sv": {
		"title":    "Nytt hos de gröna klustren",
		"period":   "Dokument daterade %s–%s: %d.",
		"none":     "Inget nytt under perioden.",
		"clusters": "Kluster",
		"events":   "Kommande evenemang",
		"noevents": "Inga evenemang inom den närmaste tiden.",
	},
	"en": {
		"title":    "New at the green clusters",
		"period":   "Documents dated %s–%s: %d.",
		"none":     "Nothing new in the period.",
		"clusters": "Clusters",
		"events":   "Upcoming events",
		"noevents": "No events in the near future.",
	},
}

func (d Digest) t(key string) string {
	if m, ok := digestText[d.Lang][key]; ok {
		return m
	}
	return digestText["sv"][key]
}

func (d Digest) period() string {
	return fmt.Sprintf(d.t("period"), d.From.Format(time.DateOnly), d.To.Format(time.DateOnly), d.Total)
}

func refNames(refs []Ref) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.Name
	}
	return strings.Join(names, ", ")
}

// WriteText writes the digest as plain text for an e-mail or a terminal.
func (d Digest) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	p("%s\n%s\n\n%s\n", d.t("title"), strings.Repeat("=", len([]rune(d.t("title")))), d.period())
	if len(d.Topics) == 0 {
		p("\n%s\n", d.t("none"))
	}
	for _, t := range d.Topics {
		label := t.Topic.Label(d.Lang)
		p("\n%s\n%s\n", label, strings.Repeat("-", len([]rune(label))))
		p("%s: %s\n", d.t("clusters"), refNames(t.Clusters))
		for _, doc := range t.Documents {
			p("\n* %s (%s)\n  %s\n", doc.Title, doc.Date.Format(time.DateOnly), doc.URL)
			if doc.Snippet != "" {
				p("  %s\n", doc.Snippet)
			}
		}
	}
	p("\n%s\n%s\n", d.t("events"), strings.Repeat("-", len([]rune(d.t("events")))))
	if len(d.Events) == 0 {
		p("%s\n", d.t("noevents"))
	}
	for _, ev := range d.Events {
		p("* %s\t%s\t%s\n", ev.Start.Format(time.DateOnly), ev.Name, refNames(ev.Clusters))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing digest: %w", err)
	}
	return nil
}

var digestHTMLTemplate = template.Must(template.New("digest").Funcs(template.FuncMap{
	"names": refNames,
	"date":  func(t time.Time) string { return t.Format(time.DateOnly) },
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.T "title"}}</title>
</head>
<body>
<h1>{{.T "title"}}</h1>
<p>{{.Period}}</p>
{{- if not .Topics}}
<p>{{.T "none"}}</p>
{{- end}}
{{- range .Topics}}
<section>
<h2>{{.Topic.Label $.Lang}}</h2>
<p>{{$.T "clusters"}}: {{names .Clusters}}</p>
<ul>
{{- range .Documents}}
<li><a href="{{.URL}}">{{.Title}}</a> <time datetime="{{date .Date}}">{{date .Date}}</time>{{if .Snippet}}<br>{{.Snippet}}{{end}}</li>
{{- end}}
</ul>
</section>
{{- end}}
<h2>{{.T "events"}}</h2>
{{- if .Events}}
<ul>
{{- range .Events}}
<li><time datetime="{{date .Start}}">{{date .Start}}</time> {{if .URL}}<a href="{{.URL}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}{{with names .Clusters}} · {{.}}{{end}}</li>
{{- end}}
</ul>
{{- else}}
<p>{{.T "noevents"}}</p>
{{- end}}
</body>
</html>
`))

// digestView adapts a Digest to the HTML template.
type digestView struct {
	Digest
}

func (v digestView) T(key string) string { return v.t(key) }
func (v digestView) Period() string      { return v.period() }

// WriteHTML writes the digest as a standalone HTML page.
func (d Digest) WriteHTML(w io.Writer) error {
	if d.Lang == "" {
		d.Lang = "sv"
	}
	if err := digestHTMLTemplate.Execute(w, digestView{d}); err != nil {
		return fmt.Errorf("writing digest: %w", err)
	}
	return nil
}
