package extract

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestLexDatesWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string // the tokens' strings
	}{
		{"15 Mars 2024", []string{"15", "mars", "2024"}},
		{"MARS mars", []string{"mars", "mars"}},
		{"ÅRSMÖTE årsmöte Ärlig", []string{"årsmöte", "årsmöte", "ärlig"}},
		{"ǅemal ǲ", []string{"ǆemal", "ǳ"}},                // title case letters
		{"İzmir \u212Aelvin", []string{"izmir", "kelvin"}}, // letters whose lower case is ASCII
		{"ΣΟΦΙΑ ﬁka", []string{"σοφια", "ﬁka"}},
		{"Kl.13:00,tors", []string{"kl", ".", "13", ":", "00", ",", "tors"}},
		{"a\xffB", []string{"a", "\xff", "b"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range lexDates(tt.in) {
			got = append(got, tok.s)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("lexDates(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzLexDates checks that the tokens cover the text but for whitespace,
// in order, that a word is the lower case of its text as strings.ToLower
// writes it and other tokens are their text, and that space says whether
// whitespace (or the start of the text) precedes a token.
func FuzzLexDates(f *testing.F) {
	for _, s := range []string{"15 Mars 2024 kl. 13.00", "ÅRSMÖTE den 3/10", "ǅemal İzmir \u212Aelvin ΣΟΦΙΑ",
		"a\xffB\u00a0C\u2003d", "2024-03-15T13:00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		end := 0
		for k, tok := range lexDates(s) {
			if tok.start < end || tok.end <= tok.start || tok.end > len(s) {
				t.Fatalf("lexDates(%q): token %d at [%d,%d) after %d", s, k, tok.start, tok.end, end)
			}
			gap := s[end:tok.start]
			if strings.TrimFunc(gap, unicode.IsSpace) != "" {
				t.Fatalf("lexDates(%q): %q between tokens", s, gap)
			}
			if wantSpace := k == 0 || gap != ""; tok.space != wantSpace {
				t.Fatalf("lexDates(%q): token %d space = %v, want %v", s, k, tok.space, wantSpace)
			}
			text := s[tok.start:tok.end]
			want := text
			if tok.kind == 'w' {
				want = strings.ToLower(text)
			}
			if tok.s != want {
				t.Fatalf("lexDates(%q): token %d is %q, want %q", s, k, tok.s, want)
			}
			end = tok.end
		}
		if rest := s[end:]; strings.TrimFunc(rest, unicode.IsSpace) != "" {
			t.Fatalf("lexDates(%q): %q left after the last token", s, rest)
		}
	})
}

// longDateText returns a text of many tokens: pre filler words, then
// expressions k%3 filler words apart, and the dates read from them, in
// order. Some expressions are dates only with the word before them
// ("den 15/3"), and one is no date because of the character before it
// ("ref/15 mars 2024").
func longDateText(pre, n int) (string, []string) {
	exprs := [][2]string{ // what stands before the date, the date
		{"den ", "15/3 kl. 13.00"}, {"", "15–16 mars 2025"}, {"ref/15 mars 2024 ", ""}, {"", "March 15, 2024"},
		{"", "2024-05-02T10:00"}, {"", "3 maj 2023 kl 9"}, {"tors ", "3/10"}, {"", "15:e mars"},
	}
	fillers := []string{"Klustret", "samlar", "gårdar,", "företag", "och", "forskare", "i", "länet."}
	var b strings.Builder
	var want []string
	for range pre {
		b.WriteString("ord ")
	}
	for k := range n {
		for j := range k % 3 {
			b.WriteString(fillers[(j+k)%len(fillers)] + " ")
		}
		e := exprs[k%len(exprs)]
		b.WriteString(e[0] + e[1] + " 1 2, ")
		if e[1] != "" {
			want = append(want, e[1])
		}
	}
	b.WriteString("slut")
	return b.String(), want
}

// TestScanDatesLongText scans texts long enough for the scan to drop the
// tokens it has passed, at every alignment of the dates with the drops.
func TestScanDatesLongText(t *testing.T) {
	for pre := range 40 {
		text, exprs := longDateText(pre, 40)
		got := scanDates(text, fixedNow, 1000)
		var gotExprs []string
		for _, d := range got {
			gotExprs = append(gotExprs, text[d.start:d.end])
		}
		if !reflect.DeepEqual(gotExprs, exprs) {
			t.Fatalf("after %d words: scanDates read %q,\nwant %q", pre, gotExprs, exprs)
		}
		if want := scanDatesEager(text, fixedNow, 1000); !reflect.DeepEqual(got, want) {
			t.Fatalf("after %d words: scanDates differs from the scan of the whole lexed text:\n got %+v\nwant %+v",
				pre, got, want)
		}
		// A scan that stops at the first date with a time in the second half.
		late := func(d dateMatch) bool { return d.hasTime && d.start > len(text)/2 }
		stopAt := slices.IndexFunc(got, late)
		until := scanDatesUntil(text, fixedNow, 1000, late)
		if stopAt < 0 || !reflect.DeepEqual(until, got[:stopAt+1]) {
			t.Fatalf("after %d words: scanDatesUntil read %d dates, want the first %d of scanDates", pre, len(until), stopAt+1)
		}
	}
}

// TestScanDatesMemoryIsBounded checks that scanning a long text holds a
// few tokens at a time: twenty times the text costs no more allocations.
func TestScanDatesMemoryIsBounded(t *testing.T) {
	words := strings.Repeat("klustret samlar gårdar och företag i länet, ", 100)
	short := words + "den 15 mars 2024"
	long := strings.Repeat(words, 20) + "den 15 mars 2024"
	for _, s := range []string{short, long} {
		if ds := scanDates(s, fixedNow, 20); len(ds) != 1 || ds[0].t != time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC) {
			t.Fatalf("scanDates of %d bytes = %+v, want 15 March 2024", len(s), ds)
		}
	}
	allocs := func(s string) float64 {
		return testing.AllocsPerRun(20, func() { scanDates(s, fixedNow, 20) })
	}
	if a, b := allocs(short), allocs(long); b > a {
		t.Errorf("scanDates allocates %v times for %d bytes and %v times for %d bytes", a, len(short), b, len(long))
	}
}

// FuzzScanDatesRepeated scans a text repeated many times, long enough for
// the scan to drop the tokens it has passed, and compares it with the scan
// of the whole lexed text.
func FuzzScanDatesRepeated(f *testing.F) {
	for _, s := range benchDates {
		f.Add(s, uint8(30))
	}
	f.Add("den 15/3 kl. 13.00, ord ord ord", uint8(50))
	f.Add("x 1", uint8(200))
	f.Fuzz(func(t *testing.T, s string, n uint8) {
		text := strings.Repeat(s+" ", 1+int(n)%64)
		if got, want := scanDates(text, fixedNow, 100), scanDatesEager(text, fixedNow, 100); !reflect.DeepEqual(got, want) {
			t.Fatalf("scanDates(%q) = %+v, want %+v", text, got, want)
		}
	})
}
