package api

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
	"github.com/klusterkarta/klusterkarta/web"
)

// eventFilter reads the calendar's filters: topic, cluster, county and
// when (upcoming, the default, past or all).
func eventFilter(q url.Values, now time.Time) (query.EventFilter, string, error) {
	f := query.EventFilter{Topic: q.Get("topic"), Cluster: q.Get("cluster"), County: q.Get("county")}
	when := q.Get("when")
	switch when {
	case "", "upcoming":
		when = "upcoming"
		f.From = startOfDay(now)
	case "past":
		f.To = startOfDay(now)
	case "all":
	default:
		return f, when, invalidf("when must be upcoming, past or all")
	}
	return f, when, nil
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// eventItem converts an event for the pages.
func eventItem(ev query.Event, lang string) web.EventItem {
	it := web.EventItem{
		Name: ev.Name, URL: eventURL(ev.ID), SourceURL: ev.URL, Registration: ev.RegistrationURL,
		Start: ev.Start, End: ev.End, AllDay: ev.AllDay, Place: ev.Place, Counties: ev.Counties,
	}
	for _, c := range ev.Clusters {
		it.Clusters = append(it.Clusters, web.Link{Text: c.Name, URL: clusterURL(c.ID)})
	}
	for _, o := range ev.Organisers {
		it.Organisers = append(it.Organisers, web.Link{Text: o.Name})
	}
	for _, t := range ev.Topics {
		it.Topics = append(it.Topics, web.Link{Text: t.Label(lang), URL: topicURL(t.ID)})
	}
	it.Evidence, _ = evidenceItems(ev.Evidence)
	return it
}

// calendarPage serves GET /calendar?when=&topic=&cluster=&county=.
func (h *handlers) calendarPage(c *gin.Context) {
	lang := h.pageLang(c)
	ctx := c.Request.Context()
	q := pageQuery(c)
	cs, err := h.graph.Clusters(ctx)
	if err != nil {
		h.failPage(c, lang, wrap("listing clusters", err))
		return
	}
	ts, err := h.graph.Topics(ctx)
	if err != nil {
		h.failPage(c, lang, wrap("listing topics", err))
		return
	}
	f, when, err := eventFilter(q, time.Now())
	if err != nil {
		f, when, _ = eventFilter(url.Values{}, time.Now())
	}
	data := web.CalendarPage{
		Page:     h.newPage(c, lang, web.T(lang, "calendar.title"), "calendar"),
		When:     when,
		Clusters: clusterOptions(cs, f.Cluster, web.T(lang, "network.all")),
		Topics:   topicOptions(ts, lang, f.Topic, web.T(lang, "network.all")),
		Counties: countyOptions(cs, f.County, web.T(lang, "network.all")),
	}
	eng, err := h.engine()
	if err != nil {
		h.failPage(c, lang, err)
		return
	}
	events, err := eng.Events(ctx, f)
	if err != nil {
		h.failPage(c, lang, wrap("listing events", err))
		return
	}
	if when == "past" {
		for i, j := 0, len(events)-1; i < j; i, j = i+1, j-1 {
			events[i], events[j] = events[j], events[i]
		}
	}
	for _, ev := range events {
		data.Events = append(data.Events, eventItem(ev, lang))
	}
	v := url.Values{}
	for _, p := range []string{"topic", "cluster", "county"} {
		if s := q.Get(p); s != "" {
			v.Set(p, s)
		}
	}
	data.ICSURL = withQuery("/feeds/events.ics", v)
	data.WebCal = template.URL("webcal://" + url.PathEscape(c.Request.Host) + data.ICSURL)
	h.render(c, http.StatusOK, web.TmplCalendar, data)
}

// eventPage serves GET /calendar/:id.
func (h *handlers) eventPage(c *gin.Context) {
	lang := h.pageLang(c)
	id := c.Param("id")
	eng, err := h.engine()
	if err != nil {
		h.failPage(c, lang, err)
		return
	}
	ev, err := eng.Event(c.Request.Context(), id)
	if kg.ErrorCode(err) == kg.ENOTFOUND {
		h.notFoundPage(c, lang, web.Tf(lang, "error.event", truncate(id, 100)))
		return
	}
	if err != nil {
		h.failPage(c, lang, wrap("reading event "+id, err))
		return
	}
	item := eventItem(ev, lang)
	item.ICSURL = withQuery("/feeds/events.ics", url.Values{"id": {ev.ID}})
	h.render(c, http.StatusOK, web.TmplEvent, web.EventPage{
		Page:  h.newPage(c, lang, ev.Name, "calendar"),
		Event: item,
	})
}

// eventsFeed serves GET /feeds/events.ics?topic=&cluster=&county=&when=&id=:
// the events as an iCalendar file that calendar programs subscribe to.
// Without when it holds the events of the last 90 days and all to come.
func (h *handlers) eventsFeed(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.RawQuery, "topic", "cluster", "county", "when", "id", "lang")
	if err != nil {
		h.fail(c, err)
		return
	}
	now := time.Now()
	var f query.EventFilter
	if q.Has("when") {
		f, _, err = eventFilter(q, now)
		if err != nil {
			h.fail(c, err)
			return
		}
	} else {
		f = query.EventFilter{Topic: q.Get("topic"), Cluster: q.Get("cluster"), County: q.Get("county"),
			From: startOfDay(now).AddDate(0, 0, -90)}
	}
	eng, err := h.engine()
	if err != nil {
		h.fail(c, err)
		return
	}
	var events []query.Event
	if id := q.Get("id"); id != "" {
		ev, err := eng.Event(c.Request.Context(), id)
		if err != nil {
			h.fail(c, wrap("reading event "+id, err))
			return
		}
		events = []query.Event{ev}
	} else if events, err = eng.Events(c.Request.Context(), f); err != nil {
		h.fail(c, wrap("listing events", err))
		return
	}
	var buf bytes.Buffer
	err = query.WriteICal(&buf, events, query.ICalOptions{
		Name:   "Klusterkarta",
		Domain: "klusterkarta",
		Stamp:  now,
	})
	if err != nil {
		h.fail(c, wrap("writing the calendar", err))
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Header("Content-Disposition", `inline; filename="klusterkarta.ics"`)
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}
