package extract

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseICalDurationStatusAndName(t *testing.T) {
	p := parseICal(string(mustRead(t, "calendar_more.ics")), time.Time{})
	if p.title != "Testklustrets kalender" {
		t.Errorf("title = %q, want the calendar's name", p.title)
	}
	if len(p.events) != 2 {
		t.Fatalf("events = %+v (the cancelled one is left out)", p.events)
	}
	a, b := p.events[0], p.events[1]
	start := time.Date(2026, 6, 10, 13, 0, 0, 0, stockholm)
	if a.Title != "Fältvandring i vallen" || !a.Start.Equal(start) || !a.End.Equal(start.Add(150*time.Minute)) ||
		a.Place != "Försöksgården, Ydre" || len(a.Organisers) != 1 || a.Organisers[0] != "Testklustret" || a.AllDay {
		t.Errorf("first event = %+v", a)
	}
	if b.Title != "Skogsdag" || !b.AllDay || !b.Start.Equal(day(2026, 9, 5)) || !b.End.Equal(day(2026, 9, 5)) {
		t.Errorf("whole-day event = %+v", b)
	}
}

func TestParseICalDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"PT1H30M", 90 * time.Minute, true},
		{"P1D", 24 * time.Hour, true},
		{"P2W", 14 * 24 * time.Hour, true},
		{"P1DT2H", 26 * time.Hour, true},
		{"+PT15M", 15 * time.Minute, true},
		{"PT", 0, false},
		{"P1H", 0, false}, // hours belong after T
		{"PT5", 0, false},
		{"1H", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseICalDuration(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseICalDuration(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzICal checks that any iCalendar body is read without a panic, that
// it yields at most maxEvents events, and that every event has a title, a
// start and no end before it. Its seeds are the calendars in testdata and
// testdata/fuzz/FuzzICal, and recurring ones.
func FuzzICal(f *testing.F) {
	for _, name := range []string{"calendar.ics", "calendar_more.ics"} {
		f.Add(string(mustRead(f, name)))
	}
	f.Add("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART:2026\nEND:VEVENT\n")
	f.Add(vcal(
		vev("UID:a@x", "SUMMARY:AgroMorgon", "DTSTART;TZID=Europe/Stockholm:20230103T080000", "DURATION:PT1H",
			"RRULE:FREQ=MONTHLY;BYDAY=1TU", "EXDATE;TZID=Europe/Stockholm:20260407T080000"),
		vev("UID:a@x", "RECURRENCE-ID;TZID=Europe/Stockholm:20260505T080000", "SUMMARY:AgroMorgon (flyttad)",
			"DTSTART;TZID=Europe/Stockholm:20260506T080000"),
		vev("UID:b@x", "SUMMARY:Skogsdag", "DTSTART;VALUE=DATE:20260905", "DTEND;VALUE=DATE:20260907",
			"RRULE:FREQ=YEARLY;COUNT=3", "RDATE;VALUE=DATE:20270101"),
		vev("UID:c@x", "SUMMARY:Morgonmöte", "DTSTART:20200101T070000Z", "RRULE:FREQ=DAILY",
			"BEGIN:VALARM", "DESCRIPTION:Påminnelse", "END:VALARM"),
	))
	f.Fuzz(func(t *testing.T, src string) {
		p := parseICal(src, icalNow)
		if len(p.events) > maxEvents {
			t.Fatalf("%d events", len(p.events))
		}
		for _, ev := range p.events {
			if ev.Title == "" || ev.Start.IsZero() {
				t.Fatalf("event without title or start: %+v", ev)
			}
			if !ev.End.IsZero() && ev.End.Before(ev.Start) {
				t.Fatalf("event ends before it starts: %+v", ev)
			}
		}
	})
}

func TestParseICalAlarmIsNotTheEvent(t *testing.T) {
	src := vcal(vev("UID:a@x", "SUMMARY:Fältvandring", "DTSTART:20260610T110000Z", "DESCRIPTION:Vi går i vallen.",
		"BEGIN:VALARM", "ACTION:DISPLAY", "SUMMARY:Påminnelse", "DESCRIPTION:Påminnelse", "TRIGGER:-PT15M", "END:VALARM",
		"LOCATION:Ydre"))
	p := parseICal(src, icalNow)
	if len(p.events) != 1 {
		t.Fatalf("events = %+v", p.events)
	}
	if ev := p.events[0]; ev.Title != "Fältvandring" || ev.Snippet != "Fältvandring. Vi går i vallen." || ev.Place != "Ydre" {
		t.Errorf("event = %+v", ev)
	}
	if strings.Contains(p.text, "Påminnelse") {
		t.Errorf("text keeps the alarm: %q", p.text)
	}
	// An alarm left open ends with its event.
	open := vcal(vev("SUMMARY:Skogsdag", "DTSTART;VALUE=DATE:20260905", "BEGIN:VALARM", "TRIGGER:-P1D"),
		vev("SUMMARY:Skördefest", "DTSTART;VALUE=DATE:20260912"))
	if got := starts(parseICal(open, icalNow).events); !slices.Equal(got, []string{"2026-09-05", "2026-09-12"}) {
		t.Errorf("after an open alarm: %v", got)
	}
}
