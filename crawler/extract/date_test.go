package extract

import (
	"net/url"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, stockholm) }
	tests := []struct {
		in      string
		want    time.Time // zero: no date
		hasTime bool
	}{
		{"15 mars 2024", day(2024, 3, 15), false},
		{"Publicerad 3 maj 2023", day(2023, 5, 3), false},
		{"publicerad: 3 maj 2023 av Anna", day(2023, 5, 3), false},
		{"2024-03-15", day(2024, 3, 15), false},
		{"Datum: 2024-03-15 13:30", at(2024, 3, 15, 13, 30), true},
		{"2024-03-15T09:05", at(2024, 3, 15, 9, 5), true},
		{"den 15:e mars", day(2024, 3, 15), false},
		{"1:a maj 2022", day(2022, 5, 1), false},
		{"15 okt. 2023", day(2023, 10, 15), false},
		{"15 okt 2023", day(2023, 10, 15), false},
		{"7 sept 2021", day(2021, 9, 7), false},
		{"Onsdag 12 juni", day(2024, 6, 12), false},
		{"12 september 2024 kl. 08.00–09.30", at(2024, 9, 12, 8, 0), true},
		{"12 september kl 9", at(2024, 9, 12, 9, 0), true},
		{"12 SEPTEMBER 2024, 18:00", at(2024, 9, 12, 18, 0), true},
		{"15–16 mars 2024", day(2024, 3, 15), false},
		{"den 15/3 kl. 10.00", at(2024, 3, 15, 10, 0), true},
		{"15/3 2024", day(2024, 3, 15), false},
		{"15/3-2024", day(2024, 3, 15), false},
		{"15 March 2024", day(2024, 3, 15), false},
		{"March 15, 2024", day(2024, 3, 15), false},
		{"Published May 2, 2023 at 14:00", at(2023, 5, 2, 14, 0), true},
		// Not dates.
		{"", time.Time{}, false},
		{"1/2 av företagen", time.Time{}, false},
		{"31 april 2024", time.Time{}, false},
		{"2024-13-01", time.Time{}, false},
		{"Projekttid: 220501-240430", time.Time{}, false},
		{"Ring 013-15 03 20", time.Time{}, false},
		{"5 000 kronor i mars", time.Time{}, false},
		{"mars 2024", time.Time{}, false},
		{"15 mars 1850", time.Time{}, false},
		{"Ett 20-tal företag", time.Time{}, false},
	}
	for _, tt := range tests {
		got, hasTime, ok := ParseDate(tt.in, now)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) || hasTime != tt.hasTime {
			t.Errorf("ParseDate(%q) = %v, %v, %v; want %v, %v", tt.in, got, hasTime, ok, tt.want, tt.hasTime)
		}
	}
}

func TestParseDateFormatRoundTrip(t *testing.T) {
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range []time.Time{
		time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2030, 7, 4, 23, 59, 0, 0, stockholm),
	} {
		withTime := d.Hour() != 0 || d.Minute() != 0
		s := formatSwedishDate(d, withTime)
		got, hasTime, ok := ParseDate(s, now)
		if !ok || !got.Equal(d) || hasTime != withTime {
			t.Errorf("ParseDate(%q) = %v %v %v, want %v", s, got, hasTime, ok, d)
		}
	}
}

func TestParseMachineDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-03-15T10:00:00+01:00", time.Date(2024, 3, 15, 9, 0, 0, 0, time.UTC)},
		{"2024-03-15T10:00:00Z", time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC)},
		{"2024-03-15T10:00:00+0100", time.Date(2024, 3, 15, 9, 0, 0, 0, time.UTC)},
		{"2024-03-15", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)},
		{"2024-03-15T10:00", time.Date(2024, 3, 15, 10, 0, 0, 0, stockholm)},
		{"2024-03-15 10:00:00", time.Date(2024, 3, 15, 10, 0, 0, 0, stockholm)},
		{"2024-03-15T10:00:00.000+01:00", time.Date(2024, 3, 15, 9, 0, 0, 0, time.UTC)},
		{"igår", time.Time{}},
		{"0001-01-01T00:00:00Z", time.Time{}},
	}
	for _, tt := range tests {
		got, ok := parseMachineDate(tt.in)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("parseMachineDate(%q) = %v %v, want %v", tt.in, got, ok, tt.want)
		}
	}
}

func TestTopDatePrefersPublished(t *testing.T) {
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	text := "Seminariet den 4 april 2024 blev lyckat.\nPublicerad 10 april 2024"
	if got := readPageDates(nil, text, now).top; !got.Equal(time.Date(2024, 4, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("top date = %v, want 10 April", got)
	}
	if got := readPageDates(nil, "Inga datum här.", now).top; !got.IsZero() {
		t.Errorf("top date = %v, want zero", got)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"15 mars 2024", "den 15:e mars kl. 13.00", "2024-03-15T10:00", "15/3-2024",
		"March 15, 2024", "1/2", "31 april", "15–16 mars", "kl", "2024-", "0:e maj", "99 dec 9999"} {
		f.Add(s)
	}
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, hasTime, ok := ParseDate(s, now)
		if !ok {
			if !got.IsZero() {
				t.Fatalf("ParseDate(%q) failed but returned %v", s, got)
			}
			return
		}
		if got.Year() < minYear || got.Year() > maxYear {
			t.Fatalf("ParseDate(%q) = %v, year out of range", s, got)
		}
		// What was read must read back the same when written out.
		again, againTime, ok := ParseDate(formatSwedishDate(got, hasTime), now)
		if !ok || !again.Equal(got) || againTime != hasTime {
			t.Fatalf("ParseDate(%q) = %v (time %v), but its Swedish form reads back as %v (time %v, ok %v)",
				s, got, hasTime, again, againTime, ok)
		}
	})
}

func TestScanSpans(t *testing.T) {
	ref := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, stockholm) }
	tests := []struct {
		in         string
		start, end time.Time // zero start: no span
		prec       int
		yearless   bool
	}{
		{"15 mars 2024 kl. 09.00–16.00", at(2024, 3, 15, 9, 0), at(2024, 3, 15, 16, 0), precDay, false},
		{"tis 3/10 kl 13", at(2024, 10, 3, 13, 0), time.Time{}, precDay, true},
		{"den 5 maj", day(2024, 5, 5), time.Time{}, precDay, true},
		{"2024-03-15", day(2024, 3, 15), time.Time{}, precDay, false},
		{"årsmöte 7–8 mars 2020", day(2020, 3, 7), day(2020, 3, 8), precDay, false},
		{"hölls 24 oktober (2017) på LRF", day(2017, 10, 24), time.Time{}, precDay, false},
		{"LRF i april 2022", day(2022, 4, 1), day(2022, 4, 30), precMonth, false},
		{"april 2022", day(2022, 4, 1), day(2022, 4, 30), precMonth, false},
		{"visningen i juli lockade", day(2024, 7, 1), day(2024, 7, 31), precMonth, true},
		{"hölls i mitten av mars", day(2024, 3, 1), day(2024, 3, 31), precMonth, true},
		{"konvent (vecka 37)", day(2024, 9, 9), day(2024, 9, 15), precWeek, true},
		{"v. 12 2025", day(2025, 3, 17), day(2025, 3, 23), precWeek, false},
		{"vecka 1, 2026", day(2025, 12, 29), day(2026, 1, 4), precWeek, false},
		// Not times.
		{"Maj Larsson talade", time.Time{}, time.Time{}, 0, false},
		{"vecka 54", time.Time{}, time.Time{}, 0, false},
		{"mars", time.Time{}, time.Time{}, 0, false},
		{"Projekttid: 220501-240430", time.Time{}, time.Time{}, 0, false},
	}
	for _, tt := range tests {
		ss := scanSpans(tt.in, ref, 1)
		if tt.start.IsZero() {
			if len(ss) != 0 {
				t.Errorf("scanSpans(%q) = %+v, want none", tt.in, ss)
			}
			continue
		}
		if len(ss) != 1 {
			t.Errorf("scanSpans(%q) found nothing", tt.in)
			continue
		}
		s := ss[0]
		if !s.start.Equal(tt.start) || !s.end.Equal(tt.end) || s.prec != tt.prec || s.yearless != tt.yearless {
			t.Errorf("scanSpans(%q) = %v–%v prec %d yearless %v; want %v–%v prec %d yearless %v",
				tt.in, s.start, s.end, s.prec, s.yearless, tt.start, tt.end, tt.prec, tt.yearless)
		}
		if got := tt.in[s.pos:s.endAt]; got == "" {
			t.Errorf("scanSpans(%q): empty expression", tt.in)
		}
	}
}

func TestShiftYearKeepsWeekNumber(t *testing.T) {
	s := scanSpans("vecka 37", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 1)[0].shiftYear(1)
	if y, w := s.start.ISOWeek(); y != 2025 || w != 37 || s.start.Weekday() != time.Monday {
		t.Errorf("shifted week starts %v (week %d of %d)", s.start, w, y)
	}
}

func TestDateline(t *testing.T) {
	ref := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		text string
		want time.Time // zero: none
		prec int
	}{
		{"Pressmeddelande 2020-09-07: Kommunen ger …", day(2020, 9, 7), precDay},
		{"LRF Dalarna juli 2019: den 1 juni presenterades strategin.", day(2019, 7, 1), precMonth},
		{"Krinova 5 december 2019: Skåne står …", day(2019, 12, 5), precDay},
		{"LRF Skåne 2016: samtal med politiker.", day(2016, 1, 1), precYear},
		{"Rapidus (2008): Forskningsparken …", day(2008, 1, 1), precYear},
		{"Rubriken\nLRF Västra Götaland april 2022 om Skaraborgsdagen: …", day(2022, 4, 1), precMonth},
		// Not datelines.
		{"Konferensen hålls 5 maj. Anmälan: via webben.", time.Time{}, 0},
		{"Ingen tid alls här: bara text.", time.Time{}, 0},
	}
	for _, tt := range tests {
		s, ok := dateline(tt.text, ref)
		if ok != !tt.want.IsZero() || ok && (!s.start.Equal(tt.want) || s.prec != tt.prec) {
			t.Errorf("dateline(%q) = %v prec %d, %v; want %v prec %d", tt.text, s.start, s.prec, ok, tt.want, tt.prec)
		}
	}
}

func TestURLDateAndPageDate(t *testing.T) {
	tests := []struct {
		url, text string
		want      time.Time
		prec      int
		ok        bool
	}{
		{"https://x.se/2019/11/07/ministerbesok/", "Text.", day(2019, 11, 7), precDay, true},
		{"https://x.se/nyheter/2022/04/skaraborgsdag/", "Text.", day(2022, 4, 1), precMonth, true},
		{"https://x.se/2016/09/samtal/", "LRF Skåne 2016: samtal.", day(2016, 9, 1), precMonth, true},
		{"https://x.se/2016/09/samtal/", "LRF Skåne 3 oktober 2016: samtal.", day(2016, 10, 3), precDay, true},
		{"https://x.se/nyheter/samtal/", "Text utan datum.", time.Time{}, 0, false},
		{"https://x.se/2019/13/x/", "Text.", time.Time{}, 0, false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := pageDate(u, tt.text, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		if ok != tt.ok || ok && (!s.start.Equal(tt.want) || s.prec != tt.prec) {
			t.Errorf("pageDate(%s, %q) = %v prec %d, %v; want %v prec %d", tt.url, tt.text, s.start, s.prec, ok, tt.want, tt.prec)
		}
	}
}

// FuzzScanSpans checks that reading event times never panics, stays inside
// the text and gives ordered, sane times.
func FuzzScanSpans(f *testing.F) {
	for _, s := range []string{"15 mars 2024 kl. 09.00–16.00", "tis 3/10 kl 13", "vecka 37", "i mitten av mars",
		"20 januari, 17 februari och 17 mars 2027 kl. 13.00–14.30", "24 oktober (2017)", "v. 53 2020", "LRF Skåne 2016: x"} {
		f.Add(s)
	}
	ref := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		for _, sp := range scanSpans(s, ref, 50) {
			if sp.pos < 0 || sp.endAt > len(s) || sp.pos >= sp.endAt {
				t.Fatalf("span [%d,%d) outside %q", sp.pos, sp.endAt, s)
			}
			if !sp.end.IsZero() && sp.end.Before(sp.start) {
				t.Fatalf("span of %q ends %v before it starts %v", s, sp.end, sp.start)
			}
			if y := sp.start.Year(); y < minYear-1 || y > maxYear+1 {
				t.Fatalf("span of %q in year %d", s, y)
			}
		}
		dateline(s, ref)
	})
}
