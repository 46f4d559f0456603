package extract

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// icalNow is the clock of the recurrence tests: its window runs from
// 2025-04-01 to 2027-05-01, its pivot is 2026-04-01.
var icalNow = time.Date(2026, 4, 15, 10, 0, 0, 0, stockholm)

// vcal returns a calendar holding the given VEVENTs.
func vcal(events ...string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Testklustret//Kalender//SV\r\n" +
		"X-WR-CALNAME:Testklustrets kalender\r\n" + strings.Join(events, "") + "END:VCALENDAR\r\n"
}

// vev returns a VEVENT with the given property lines.
func vev(lines ...string) string {
	return "BEGIN:VEVENT\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\n"
}

// starts writes the starts of evs: a date for a whole-day event, else the
// date and time in Stockholm.
func starts(evs []kg.Event) []string {
	out := make([]string, 0, len(evs))
	for _, ev := range evs {
		if ev.AllDay {
			out = append(out, ev.Start.Format("2006-01-02"))
		} else {
			out = append(out, ev.Start.In(stockholm).Format("2006-01-02 15:04"))
		}
	}
	return out
}

func TestICalRecurrence(t *testing.T) {
	const tz = "DTSTART;TZID=Europe/Stockholm:"
	tests := []struct {
		name  string
		lines []string // DTSTART, RRULE, RDATE, EXDATE
		want  []string
	}{
		{"first Tuesday of the month", []string{tz + "20260106T080000", "RRULE:FREQ=MONTHLY;BYDAY=1TU;COUNT=5"},
			[]string{"2026-01-06 08:00", "2026-02-03 08:00", "2026-03-03 08:00", "2026-04-07 08:00", "2026-05-05 08:00"}},
		{"every other Thursday until a UTC time", []string{tz + "20260108T073000", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20260319T063000Z"},
			[]string{"2026-01-08 07:30", "2026-01-22 07:30", "2026-02-05 07:30", "2026-02-19 07:30", "2026-03-05 07:30", "2026-03-19 07:30"}},
		{"UNTIL one second before an occurrence", []string{tz + "20260108T073000", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20260319T062959Z"},
			[]string{"2026-01-08 07:30", "2026-01-22 07:30", "2026-02-05 07:30", "2026-02-19 07:30", "2026-03-05 07:30"}},
		{"floating UNTIL", []string{tz + "20260108T073000", "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20260205T073000"},
			[]string{"2026-01-08 07:30", "2026-01-22 07:30", "2026-02-05 07:30"}},
		{"date UNTIL takes the whole day", []string{tz + "20260101T100000", "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15;UNTIL=20260301"},
			[]string{"2026-01-01 10:00", "2026-01-15 10:00", "2026-02-01 10:00", "2026-02-15 10:00", "2026-03-01 10:00"}},
		{"last day of the month", []string{tz + "20260131T150000", "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4"},
			[]string{"2026-01-31 15:00", "2026-02-28 15:00", "2026-03-31 15:00", "2026-04-30 15:00"}},
		{"the 31st skips short months", []string{tz + "20260131T100000", "RRULE:FREQ=MONTHLY;COUNT=4"},
			[]string{"2026-01-31 10:00", "2026-03-31 10:00", "2026-05-31 10:00", "2026-07-31 10:00"}},
		{"Friday the 13th", []string{tz + "20260213T180000", "RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=3"},
			[]string{"2026-02-13 18:00", "2026-03-13 18:00", "2026-11-13 18:00"}},
		{"quarterly, second Wednesday and last Friday", []string{tz + "20260114T100000", "RRULE:FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR,2WE;COUNT=5"},
			[]string{"2026-01-14 10:00", "2026-01-30 10:00", "2026-04-08 10:00", "2026-04-24 10:00", "2026-07-08 10:00"}},
		{"last Friday of March", []string{tz + "20260327T090000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1FR;COUNT=3"},
			[]string{"2026-03-27 09:00", "2027-03-26 09:00"}}, // 2028 is past the window
		{"20th Monday of the year", []string{tz + "20250519T100000", "RRULE:FREQ=YEARLY;BYDAY=20MO;COUNT=2"},
			[]string{"2025-05-19 10:00", "2026-05-18 10:00"}},
		{"yearly in June and September", []string{tz + "20250610T100000", "RRULE:FREQ=YEARLY;BYMONTH=6,9;COUNT=4"},
			[]string{"2025-06-10 10:00", "2025-09-10 10:00", "2026-06-10 10:00", "2026-09-10 10:00"}},
		{"yearly on the first of January and July", []string{tz + "20260101T100000", "RRULE:FREQ=YEARLY;BYMONTHDAY=1;BYMONTH=1,7;COUNT=3"},
			[]string{"2026-01-01 10:00", "2026-07-01 10:00", "2027-01-01 10:00"}},
		{"yearly whole day, endless", []string{"DTSTART;VALUE=DATE:20250905", "RRULE:FREQ=YEARLY"},
			[]string{"2025-09-05", "2026-09-05"}},
		{"weeks from Monday", []string{tz + "20260106T090000", "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO"},
			[]string{"2026-01-06 09:00", "2026-01-11 09:00", "2026-01-20 09:00", "2026-01-25 09:00"}},
		{"weeks from Sunday", []string{tz + "20260106T090000", "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU"},
			[]string{"2026-01-06 09:00", "2026-01-18 09:00", "2026-01-20 09:00", "2026-02-01 09:00"}},
		{"daily on Mondays and Wednesdays in June", []string{tz + "20260601T120000", "RRULE:FREQ=DAILY;BYDAY=MO,WE;BYMONTH=6;COUNT=4"},
			[]string{"2026-06-01 12:00", "2026-06-03 12:00", "2026-06-08 12:00", "2026-06-10 12:00"}},
		{"daily whole days", []string{"DTSTART;VALUE=DATE:20260608", "RRULE:FREQ=DAILY;COUNT=3"},
			[]string{"2026-06-08", "2026-06-09", "2026-06-10"}},
		{"lower case rule", []string{tz + "20260106T080000", "RRULE:freq=monthly;byday=1tu;count=2"},
			[]string{"2026-01-06 08:00", "2026-02-03 08:00"}},
		{"DTSTART off the rule counts as the first", []string{tz + "20260105T080000", "RRULE:FREQ=MONTHLY;BYDAY=1TU;COUNT=3"},
			[]string{"2026-01-05 08:00", "2026-01-06 08:00", "2026-02-03 08:00"}},
		{"RDATE adds", []string{tz + "20260310T130000", "RDATE;TZID=Europe/Stockholm:20260414T130000,20260512T130000", "RDATE;VALUE=DATE:20260609"},
			[]string{"2026-03-10 13:00", "2026-04-14 13:00", "2026-05-12 13:00", "2026-06-09 13:00"}},
		{"RDATE period", []string{"DTSTART:20260310T120000Z", "RDATE;VALUE=PERIOD:20260317T120000Z/PT1H"},
			[]string{"2026-03-10 13:00", "2026-03-17 13:00"}},
		{"RDATE with a rule, once", []string{tz + "20260302T090000", "RRULE:FREQ=WEEKLY;COUNT=2", "RDATE;TZID=Europe/Stockholm:20260309T090000,20260311T090000"},
			[]string{"2026-03-02 09:00", "2026-03-09 09:00", "2026-03-11 09:00"}},
		{"EXDATE with TZID, two values", []string{tz + "20260302T090000", "RRULE:FREQ=WEEKLY;COUNT=5", "EXDATE;TZID=Europe/Stockholm:20260309T090000,20260323T090000"},
			[]string{"2026-03-02 09:00", "2026-03-16 09:00", "2026-03-30 09:00"}},
		{"EXDATE on several lines, date and UTC", []string{tz + "20260302T090000", "RRULE:FREQ=WEEKLY;COUNT=5", "EXDATE;VALUE=DATE:20260316", "EXDATE:20260330T070000Z"},
			[]string{"2026-03-02 09:00", "2026-03-09 09:00", "2026-03-23 09:00"}},
		{"EXDATE removes DTSTART", []string{tz + "20260302T090000", "RRULE:FREQ=WEEKLY;COUNT=3", "EXDATE;TZID=Europe/Stockholm:20260302T090000"},
			[]string{"2026-03-09 09:00", "2026-03-16 09:00"}},
		{"EXDATE of whole days", []string{"DTSTART;VALUE=DATE:20260608", "RRULE:FREQ=DAILY;COUNT=3", "EXDATE;VALUE=DATE:20260609"},
			[]string{"2026-06-08", "2026-06-10"}},
		{"EXDATE that matches nothing", []string{tz + "20260302T090000", "RRULE:FREQ=WEEKLY;COUNT=2", "EXDATE;TZID=Europe/Stockholm:20260309T100000"},
			[]string{"2026-03-02 09:00", "2026-03-09 09:00"}},
		{"the window cuts a past series", []string{tz + "20250303T090000", "RRULE:FREQ=MONTHLY;COUNT=3"},
			[]string{"2025-04-03 09:00", "2025-05-03 09:00"}},
		{"a series before the window keeps its DTSTART", []string{tz + "20190107T090000", "RRULE:FREQ=WEEKLY;UNTIL=20191231T000000Z"},
			[]string{"2019-01-07 09:00"}},
		{"a series after the window keeps its DTSTART", []string{tz + "20300107T090000", "RRULE:FREQ=WEEKLY"},
			[]string{"2030-01-07 09:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := append([]string{"UID:agromorgon@testklustret.example", "SUMMARY:AgroMorgon"}, tt.lines...)
			p := parseICal(vcal(vev(lines...)), icalNow)
			if got := starts(p.events); !slices.Equal(got, tt.want) {
				t.Errorf("starts = %v\nwant %v", got, tt.want)
			}
			for _, ev := range p.events {
				if ev.Title != "AgroMorgon" {
					t.Errorf("occurrence %v has title %q", ev.Start, ev.Title)
				}
			}
		})
	}
}

func TestICalRecurrenceFromLongAgo(t *testing.T) {
	// Every other Thursday since 2015, no end: 55 occurrences in the
	// window, one of them cancelled.
	p := parseICal(vcal(vev("UID:frukost@testklustret.example", "SUMMARY:Frukostmöte",
		"DTSTART;TZID=Europe/Stockholm:20150108T073000", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
		"EXDATE;TZID=Europe/Stockholm:20260402T073000")), icalNow)
	got := starts(p.events)
	if len(got) != 54 || got[0] != "2025-04-03 07:30" || got[len(got)-1] != "2027-04-29 07:30" {
		t.Fatalf("%d occurrences: %v", len(got), got)
	}
	i := slices.Index(got, "2026-03-19 07:30")
	if i < 0 || !slices.Equal(got[i:i+3], []string{"2026-03-19 07:30", "2026-04-16 07:30", "2026-04-30 07:30"}) {
		t.Errorf("around the cancelled one: %v", got)
	}
}

func TestICalRecurrenceKeepsTheEvent(t *testing.T) {
	src := vcal(vev(
		"UID:frukost@testklustret.example",
		"SUMMARY:Frukostmöte om vallodling",
		"DTSTART;TZID=Europe/Stockholm:20260305T073000",
		"DTEND;TZID=Europe/Stockholm:20260305T090000",
		"RRULE:FREQ=WEEKLY;COUNT=3",
		"LOCATION:Klusterhuset\\, Skara",
		"ORGANIZER;CN=Testklustret:mailto:info@testklustret.example",
		"URL:https://testklustret.example/frukost",
		"DESCRIPTION:Kaffe och smörgås.",
	), vev(
		"UID:skogsdag@testklustret.example",
		"SUMMARY:Skogsdagar",
		"DTSTART;VALUE=DATE:20260601",
		"DTEND;VALUE=DATE:20260603",
		"RRULE:FREQ=WEEKLY;COUNT=2",
	), vev(
		"UID:webbinarium@testklustret.example",
		"SUMMARY:Webbinarium",
		"DTSTART:20260310T120000Z",
		"DURATION:PT45M",
		"RRULE:FREQ=WEEKLY;COUNT=2",
	))
	p := parseICal(src, icalNow)
	if len(p.events) != 7 {
		t.Fatalf("events = %v", starts(p.events))
	}
	for i, ev := range p.events[:3] {
		start := time.Date(2026, 3, 5+7*i, 7, 30, 0, 0, stockholm)
		if !ev.Start.Equal(start) || !ev.End.Equal(start.Add(90*time.Minute)) || ev.AllDay ||
			ev.Title != "Frukostmöte om vallodling" || ev.Place != "Klusterhuset, Skara" ||
			!slices.Equal(ev.Organisers, []string{"Testklustret"}) || ev.RegistrationURL != "https://testklustret.example/frukost" ||
			ev.Snippet != "Frukostmöte om vallodling. Kaffe och smörgås." {
			t.Errorf("occurrence %d = %+v", i, ev)
		}
	}
	p.events[0].Organisers[0] = "Ändrad"
	if p.events[1].Organisers[0] != "Testklustret" {
		t.Error("occurrences share their organisers")
	}
	for i, ev := range p.events[3:5] {
		if start := day(2026, 6, 1+7*i); !ev.AllDay || !ev.Start.Equal(start) || !ev.End.Equal(start.AddDate(0, 0, 1)) {
			t.Errorf("whole-day occurrence %d = %+v", i, ev)
		}
	}
	for i, ev := range p.events[5:] {
		if start := time.Date(2026, 3, 10+7*i, 12, 0, 0, 0, time.UTC); !ev.Start.Equal(start) || !ev.End.Equal(start.Add(45*time.Minute)) {
			t.Errorf("occurrence %d of a DURATION = %+v", i, ev)
		}
	}
}

func TestICalRecurrenceDST(t *testing.T) {
	tests := []struct {
		name, dtstart string
		wantLocal     []string // in Stockholm
		wantUTC       []string
	}{
		// Summer time begins on 29 March 2026 and ends on 25 October 2026.
		{"local time stays local in spring", "DTSTART;TZID=Europe/Stockholm:20260319T090000",
			[]string{"03-19 09:00", "03-26 09:00", "04-02 09:00"}, []string{"03-19 08:00", "03-26 08:00", "04-02 07:00"}},
		{"local time stays local in autumn", "DTSTART;TZID=Europe/Stockholm:20261015T090000",
			[]string{"10-15 09:00", "10-22 09:00", "10-29 09:00"}, []string{"10-15 07:00", "10-22 07:00", "10-29 08:00"}},
		{"floating time is Swedish", "DTSTART:20260319T090000",
			[]string{"03-19 09:00", "03-26 09:00", "04-02 09:00"}, []string{"03-19 08:00", "03-26 08:00", "04-02 07:00"}},
		{"UTC stays UTC", "DTSTART:20260319T080000Z",
			[]string{"03-19 09:00", "03-26 09:00", "04-02 10:00"}, []string{"03-19 08:00", "03-26 08:00", "04-02 08:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseICal(vcal(vev("SUMMARY:Frukostmöte", tt.dtstart, "DURATION:PT1H", "RRULE:FREQ=WEEKLY;COUNT=3")), icalNow)
			var local, utc []string
			for _, ev := range p.events {
				local = append(local, ev.Start.In(stockholm).Format("01-02 15:04"))
				utc = append(utc, ev.Start.UTC().Format("01-02 15:04"))
				if ev.End.Sub(ev.Start) != time.Hour {
					t.Errorf("occurrence %v lasts %v", ev.Start, ev.End.Sub(ev.Start))
				}
			}
			if !slices.Equal(local, tt.wantLocal) || !slices.Equal(utc, tt.wantUTC) {
				t.Errorf("local %v, UTC %v; want %v, %v", local, utc, tt.wantLocal, tt.wantUTC)
			}
		})
	}
}

func TestICalRecurrenceID(t *testing.T) {
	const uid = "UID:frukost-2026@testklustret.example"
	src := vcal(
		// The moved occurrence comes before its series.
		vev(uid, "RECURRENCE-ID;TZID=Europe/Stockholm:20260319T073000", "SUMMARY:Frukostmöte (flyttat)",
			"DTSTART;TZID=Europe/Stockholm:20260320T080000", "DTEND;TZID=Europe/Stockholm:20260320T093000",
			"LOCATION:Lantbruksskolan"),
		vev(uid, "SUMMARY:Frukostmöte", "DTSTART;TZID=Europe/Stockholm:20260305T073000",
			"DTEND;TZID=Europe/Stockholm:20260305T090000", "LOCATION:Klusterhuset", "DESCRIPTION:Varannan torsdag.",
			"RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=6"),
		vev(uid, "RECURRENCE-ID;TZID=Europe/Stockholm:20260402T073000", "SUMMARY:Frukostmöte",
			"DTSTART;TZID=Europe/Stockholm:20260402T073000", "STATUS:CANCELLED"),
		// Stated without its own title or end: it keeps the series'.
		vev(uid, "RECURRENCE-ID:20260416T053000Z", "DTSTART;TZID=Europe/Stockholm:20260416T080000"),
		// An occurrence the series does not have stands on its own.
		vev(uid, "RECURRENCE-ID;TZID=Europe/Stockholm:20260409T073000", "SUMMARY:Extra frukostmöte",
			"DTSTART;TZID=Europe/Stockholm:20260409T073000"),
		// A moved occurrence of a series this calendar does not hold.
		vev("UID:annan@testklustret.example", "RECURRENCE-ID:20260501T080000Z", "SUMMARY:Fältvandring",
			"DTSTART;TZID=Europe/Stockholm:20260502T100000"),
	)
	p := parseICal(src, icalNow)
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, stockholm) }
	want := []kg.Event{
		{Title: "Frukostmöte", Start: at(3, 5, 7, 30), End: at(3, 5, 9, 0), Place: "Klusterhuset"},
		{Title: "Frukostmöte (flyttat)", Start: at(3, 20, 8, 0), End: at(3, 20, 9, 30), Place: "Lantbruksskolan"},
		{Title: "Extra frukostmöte", Start: at(4, 9, 7, 30), End: at(4, 9, 9, 0), Place: "Klusterhuset"},
		{Title: "Frukostmöte", Start: at(4, 16, 8, 0), End: at(4, 16, 9, 30), Place: "Klusterhuset"},
		{Title: "Frukostmöte", Start: at(4, 30, 7, 30), End: at(4, 30, 9, 0), Place: "Klusterhuset"},
		{Title: "Frukostmöte", Start: at(5, 14, 7, 30), End: at(5, 14, 9, 0), Place: "Klusterhuset"},
		{Title: "Fältvandring", Start: at(5, 2, 10, 0)},
	}
	if len(p.events) != len(want) {
		t.Fatalf("events %v, want %d", starts(p.events), len(want))
	}
	for i, w := range want {
		ev := p.events[i]
		if ev.Title != w.Title || !ev.Start.Equal(w.Start) || !ev.End.Equal(w.End) || ev.Place != w.Place {
			t.Errorf("event %d = %q %v–%v %q; want %q %v–%v %q", i, ev.Title, ev.Start, ev.End, ev.Place, w.Title, w.Start, w.End, w.Place)
		}
	}
	if p.events[3].Snippet != "Frukostmöte. Varannan torsdag." {
		t.Errorf("the override's snippet = %q", p.events[3].Snippet)
	}
}

func TestICalRecurrenceCancelledSeries(t *testing.T) {
	src := vcal(
		vev("UID:s@x", "SUMMARY:Nätverksträff", "DTSTART:20260305T080000Z", "RRULE:FREQ=WEEKLY;COUNT=3", "STATUS:CANCELLED"),
		vev("UID:s@x", "RECURRENCE-ID:20260312T080000Z", "SUMMARY:Nätverksträff", "DTSTART:20260313T080000Z"),
	)
	if evs := parseICal(src, icalNow).events; len(evs) != 0 {
		t.Errorf("a cancelled series yields %v", starts(evs))
	}
}

func TestICalRecurrenceFallback(t *testing.T) {
	rules := []string{
		"FREQ=HOURLY;COUNT=5",
		"FREQ=MINUTELY",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
		"FREQ=YEARLY;BYWEEKNO=20",
		"FREQ=YEARLY;BYYEARDAY=100",
		"FREQ=DAILY;BYHOUR=9,15",
		"FREQ=WEEKLY;X-NAME=1",
		"FREQ=FORTNIGHTLY",
		"FREQ=WEEKLY;INTERVAL=0",
		"FREQ=WEEKLY;INTERVAL=-2",
		"FREQ=WEEKLY;INTERVAL=två",
		"FREQ=WEEKLY;INTERVAL=99999999999999999999999",
		"FREQ=WEEKLY;COUNT=0",
		"FREQ=WEEKLY;UNTIL=nästa år",
		"FREQ=WEEKLY;FREQ=DAILY",
		"FREQ=WEEKLY;BYDAY=1MO",
		"FREQ=DAILY;BYDAY=-1FR",
		"FREQ=WEEKLY;BYMONTHDAY=3",
		"FREQ=MONTHLY;BYMONTHDAY=0",
		"FREQ=MONTHLY;BYMONTHDAY=32",
		"FREQ=YEARLY;BYMONTH=13",
		"FREQ=MONTHLY;BYDAY=0MO",
		"FREQ=MONTHLY;BYDAY=54MO",
		"FREQ=MONTHLY;BYDAY=XX",
		"FREQ=MONTHLY;WKST=XX",
		"FREQ=MONTHLY;BYDAY=",
		"FREQ",
		"COUNT=3",
		"varje tisdag",
		"",
		";;;",
	}
	for _, rule := range rules {
		t.Run(rule, func(t *testing.T) {
			p := parseICal(vcal(vev("SUMMARY:AgroMorgon", "DTSTART;TZID=Europe/Stockholm:20260106T080000", "RRULE:"+rule)), icalNow)
			if got := starts(p.events); !slices.Equal(got, []string{"2026-01-06 08:00"}) {
				t.Errorf("starts = %v, want DTSTART alone", got)
			}
		})
	}
	t.Run("two rules", func(t *testing.T) {
		p := parseICal(vcal(vev("SUMMARY:AgroMorgon", "DTSTART;TZID=Europe/Stockholm:20260106T080000",
			"RRULE:FREQ=WEEKLY;COUNT=2", "RRULE:FREQ=MONTHLY;COUNT=2")), icalNow)
		if got := starts(p.events); !slices.Equal(got, []string{"2026-01-06 08:00"}) {
			t.Errorf("starts = %v, want DTSTART alone", got)
		}
	})
}

func TestParseRRuleErrors(t *testing.T) {
	start := time.Date(2026, 1, 6, 8, 0, 0, 0, stockholm)
	tests := []struct {
		rule        string
		unsupported bool
	}{
		{"FREQ=HOURLY", true},
		{"FREQ=WEEKLY;BYSETPOS=1", true},
		{"FREQ=YEARLY;BYWEEKNO=1", true},
		{"FREQ=YEARLY;BYYEARDAY=1", true},
		{"FREQ=SOMETIMES", false},
		{"FREQ=WEEKLY;INTERVAL=0", false},
		{"FREQ=WEEKLY;BOGUS=1", false},
	}
	for _, tt := range tests {
		_, err := parseRRule(tt.rule, start, false)
		if err == nil || errors.Is(err, errRecurUnsupported) != tt.unsupported {
			t.Errorf("parseRRule(%q) = %v; want an error, unsupported %t", tt.rule, err, tt.unsupported)
		}
	}
	if _, err := parseRRule("FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU,-1FR;BYMONTH=1,6;COUNT=10;WKST=SU", start, false); err != nil {
		t.Errorf("a valid rule: %v", err)
	}
}

func TestICalRecurrenceBounds(t *testing.T) {
	w := recurWindowAt(icalNow)
	if want := (recurWindow{lo: day(2025, 4, 1), hi: day(2027, 5, 1), pivot: day(2026, 4, 1)}); w != want {
		t.Fatalf("window = %+v, want %+v", w, want)
	}
	daily := vev("UID:morgon@testklustret.example", "SUMMARY:Morgonmöte", "DTSTART;TZID=Europe/Stockholm:20200101T080000", "RRULE:FREQ=DAILY")

	t.Run("an endless daily series", func(t *testing.T) {
		evs := parseICal(vcal(daily), icalNow).events
		if len(evs) != recurMaxPerSeries {
			t.Fatalf("%d occurrences, want %d", len(evs), recurMaxPerSeries)
		}
		for _, ev := range evs {
			if !w.contains(ev.Start) {
				t.Errorf("occurrence %v outside the window", ev.Start)
			}
		}
		// The ten days before the first of the month, then the next fifty.
		if got := starts(evs); got[0] != "2026-03-22 08:00" || got[len(got)-1] != "2026-05-20 08:00" {
			t.Errorf("first %s, last %s", got[0], got[len(got)-1])
		}
	})
	t.Run("without a clock the window is the series'", func(t *testing.T) {
		evs := parseICal(vcal(daily), time.Time{}).events
		if got := starts(evs); len(got) != recurMaxPerSeries || got[0] != "2020-01-01 08:00" || got[len(got)-1] != "2020-02-29 08:00" {
			t.Errorf("%d occurrences, %v ... %v", len(got), got[0], got[len(got)-1])
		}
	})
	t.Run("many series stop at maxEvents", func(t *testing.T) {
		var vs []string
		for i := range 20 {
			vs = append(vs, vev(fmt.Sprintf("UID:%d@testklustret.example", i), "SUMMARY:Morgonmöte",
				"DTSTART;TZID=Europe/Stockholm:20200101T080000", "RRULE:FREQ=DAILY"))
		}
		if evs := parseICal(vcal(vs...), icalNow).events; len(evs) != maxEvents {
			t.Errorf("%d events, want %d", len(evs), maxEvents)
		}
	})
	t.Run("RDATE values are capped", func(t *testing.T) {
		var dates []string
		for i := range 3 * recurMaxDates {
			dates = append(dates, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Hour).Format("20060102T150405Z"))
		}
		evs := parseICal(vcal(vev("SUMMARY:Möte", "DTSTART:20260401T000000Z", "RDATE:"+strings.Join(dates, ","))), icalNow).events
		if len(evs) != recurMaxPerSeries {
			t.Errorf("%d occurrences, want %d", len(evs), recurMaxPerSeries)
		}
	})
	t.Run("a spent budget keeps DTSTART", func(t *testing.T) {
		v := vevent{ev: kg.Event{Title: "Morgonmöte", Start: time.Date(2020, 1, 1, 8, 0, 0, 0, stockholm)}, rrules: []string{"FREQ=DAILY;COUNT=100000"}}
		budget := 1000
		got, expanded := occurrenceStarts(v, w, &budget)
		if expanded || len(got) != 1 || !got[0].Equal(v.ev.Start) {
			t.Errorf("got %v, %t; want DTSTART alone", got, expanded)
		}
		budget = recurBudget
		if got, expanded = occurrenceStarts(v, w, &budget); !expanded || len(got) != recurMaxPerSeries {
			t.Errorf("with the budget: %d occurrences, expanded %t", len(got), expanded)
		}
	})
	t.Run("a calendar of costly rules stays bounded", func(t *testing.T) {
		var vs []string
		for i := range 100 {
			vs = append(vs, vev(fmt.Sprintf("UID:%d@x", i), "SUMMARY:Möte", "DTSTART:19900101T080000Z",
				"RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5"))
		}
		evs := parseICal(vcal(vs...), icalNow).events
		if len(evs) != 100 {
			t.Errorf("%d events, want one DTSTART each", len(evs))
		}
	})
}

func TestExtractRecurringICal(t *testing.T) {
	e := mustExtractor(t)
	e.Now = func() time.Time { return icalNow }
	ics := vcal(vev("UID:agromorgon@vretakluster.example", "SUMMARY:AgroMorgon",
		"DTSTART;TZID=Europe/Stockholm:20230103T080000", "DTEND;TZID=Europe/Stockholm:20230103T090000",
		"RRULE:FREQ=MONTHLY;BYDAY=1TU", "LOCATION:Vreta Kluster\\, Ljungsbro"))
	d, err := e.Extract(context.Background(), kg.FetchedDoc{
		URL: "https://vretakluster.se/events/?ical=1", ContentType: "text/calendar",
		Body: []byte(ics), Entry: clusterEntry("vreta-kluster"),
	})
	if err != nil {
		t.Fatal(err)
	}
	// A year back from April 2026 and a year and a month ahead.
	if len(d.Events) != 25 {
		t.Fatalf("%d events: %v", len(d.Events), starts(d.Events))
	}
	if got := starts(d.Events); got[0] != "2025-04-01 08:00" || got[12] != "2026-04-07 08:00" || got[24] != "2027-04-06 08:00" {
		t.Errorf("starts %v", got)
	}
	d2, err := e.Extract(context.Background(), kg.FetchedDoc{
		URL: "https://vretakluster.se/events/?ical=1", ContentType: "text/calendar",
		Body: []byte(ics), Entry: clusterEntry("vreta-kluster"),
	})
	if err != nil || d2.ContentHash != d.ContentHash {
		t.Errorf("the same calendar extracted twice differs: %v", err)
	}
}

// FuzzICalRecurrence checks that any recurrence of a VEVENT is read
// without a panic and within the bounds: at most recurMaxPerSeries
// occurrences, in time order, all in the window when there are several.
func FuzzICalRecurrence(f *testing.F) {
	for _, seed := range []struct{ dtstart, rule, extra string }{
		{"DTSTART;TZID=Europe/Stockholm:20260106T080000", "FREQ=MONTHLY;BYDAY=1TU", ""},
		{"DTSTART;TZID=Europe/Stockholm:20150108T073000", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "EXDATE;TZID=Europe/Stockholm:20260402T073000"},
		{"DTSTART;VALUE=DATE:20250905", "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=-1,5", "RDATE;VALUE=DATE:20260101,20260102"},
		{"DTSTART:19900101T000000Z", "FREQ=DAILY;COUNT=99999999", ""},
		{"DTSTART:20260101T000000Z", "FREQ=YEARLY;BYDAY=-53SU,53MO;UNTIL=21001231", ""},
		{"DTSTART:20260131T100000", "FREQ=MONTHLY;INTERVAL=10000;BYMONTHDAY=31", "RDATE;VALUE=PERIOD:20260317T120000Z/PT1H"},
		{"DTSTART:20260131T100000", "FREQ=WEEKLY;WKST=SU;BYDAY=SU,SA", "RECURRENCE-ID:20260201T100000"},
		{"DTSTART:20260131T100000", "FREQ=;;=;INTERVAL=", "EXDATE:,,,"},
	} {
		f.Add(seed.dtstart, seed.rule, seed.extra)
	}
	w := recurWindowAt(icalNow)
	flat := strings.NewReplacer("\r", " ", "\n", " ")
	f.Fuzz(func(t *testing.T, dtstart, rule, extra string) {
		// One VEVENT: its lines stay lines.
		dtstart, rule, extra = flat.Replace(dtstart), flat.Replace(rule), flat.Replace(extra)
		src := vcal(vev("UID:f@x", "SUMMARY:Möte", dtstart, "RRULE:"+rule, extra))
		evs := parseICal(src, icalNow).events
		if len(evs) > recurMaxPerSeries {
			t.Fatalf("%d occurrences", len(evs))
		}
		for i, ev := range evs {
			if ev.Title == "" || ev.Start.IsZero() || (!ev.End.IsZero() && ev.End.Before(ev.Start)) {
				t.Fatalf("bad occurrence %+v", ev)
			}
			if i > 0 && ev.Start.Before(evs[i-1].Start) {
				t.Fatalf("occurrences out of order: %v", starts(evs))
			}
		}
		if len(evs) > 1 {
			for _, ev := range evs {
				if !w.contains(ev.Start) {
					t.Fatalf("occurrence %v outside the window %+v", ev.Start, w)
				}
			}
		}
	})
}
