package extract

import (
	"testing"
	"time"
)

func TestParseICalDurationStatusAndName(t *testing.T) {
	p := parseICal(string(mustRead(t, "calendar_more.ics")))
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

// FuzzICal checks that any iCalendar body is read without a panic, and
// that every event it yields has a title, a start and no end before it.
// Its seeds are the calendars in testdata and testdata/fuzz/FuzzICal.
func FuzzICal(f *testing.F) {
	for _, name := range []string{"calendar.ics", "calendar_more.ics"} {
		f.Add(string(mustRead(f, name)))
	}
	f.Add("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART:2026\nEND:VEVENT\n")
	f.Fuzz(func(t *testing.T, src string) {
		p := parseICal(src)
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
