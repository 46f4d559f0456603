package extract

import (
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
	if got := topDate(text, now); !got.Equal(time.Date(2024, 4, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("topDate = %v, want 10 April", got)
	}
	if got := topDate("Inga datum här.", now); !got.IsZero() {
		t.Errorf("topDate = %v, want zero", got)
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
