package extract

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// startRegexps are the expressions found through startRegexp.
var startRegexps = map[string]*startRegexp{
	"projectFields": projectFields,
	"projectField":  projectField,
}

// scanSeeds are texts for the equivalence tests: labels in every case,
// at the start, after separators, glued to words, across lines.
var scanSeeds = []string{
	"",
	"Projektägare: Ängsdalens Gröna Kluster\nProjekttid 2024-10-01 – 2027-09-30",
	"PROJEKTNAMN:Gårdsgas. Finansiärer : Jordbruksverket;Partner:LRF (Status: pågående)",
	"projektet Foodinova startar. I projektet \"Lokal mat\" deltar. (Förstudien Skogens värden)",
	"xProjektägare: nej, aprojekttid 2020 och totalprojektnamn",
	"Total budget: 3 Mkr. Funded by the EU. Project owner: SLU, project period 2021-2023.",
	"ſtatus: ſamarbetspartner: projektbudget projektets mål",
	"Projekt\n\nProjektet\tSatsningen  Programmet Innovationsprojektet Samverkansprojektet",
	"medfinansiärer: x. medfinansiär: y. finansieras av z. finansiering:",
	"projektpartner:projektpartner:projektpartner:",
	"(projekttid\n: 2020)",
}

func TestStartRegexpsMatchTheirExpressions(t *testing.T) {
	page := parseHTML(string(mustRead(t, benchPage))).text
	for name, x := range startRegexps {
		for _, s := range append(slices.Clone(scanSeeds), page, strings.ToUpper(page)) {
			checkStartRegexp(t, name, x, s)
		}
	}
}

func checkStartRegexp(t *testing.T, name string, x *startRegexp, s string) {
	t.Helper()
	for _, n := range []int{-1, 1, 3} {
		want := x.re.FindAllStringSubmatchIndex(s, n)
		got := x.findAllSubmatchIndex(s, n)
		if !slices.EqualFunc(got, want, slices.Equal[[]int]) {
			t.Fatalf("%s on %q (n=%d):\n got %v\nwant %v", name, s, n, got, want)
		}
	}
	if got, want := x.findAll(s, -1), x.re.FindAllString(s, -1); !slices.Equal(got, want) {
		t.Fatalf("%s.findAll on %q = %q, want %q", name, s, got, want)
	}
	if got, want := x.findAllIndex(s, -1), x.re.FindAllStringIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal[[]int]) {
		t.Fatalf("%s.findAllIndex on %q = %v, want %v", name, s, got, want)
	}
}

func FuzzStartRegexps(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, x := range startRegexps {
			checkStartRegexp(t, name, x, s)
		}
	})
}

// nameWordRE is the definition isNameWord implements.
var nameWordRE = regexp.MustCompile(`^\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?$`)

func FuzzIsNameWord(f *testing.F) {
	for _, s := range []string{"Anna", "Hans-Erik", "Åhlander", "A", "AB", "anna", "Anna-", "-Anna", "Anna-Karin-Lisa",
		"Anna-karin", "ǅemal", "Ωmega", "\xff", "Ann\xffa", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isNameWord(s), nameWordRE.MatchString(s); got != want {
			t.Fatalf("isNameWord(%q) = %v, want %v", s, got, want)
		}
	})
}

func FuzzFirstFields(f *testing.F) {
	for _, s := range []string{"", "  a b  c ", "Lokal Produktion till Lokal Konsumtion", "a\u00a0b\u2003c\nd", "\xff x"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = max(0, n%16)
		want := strings.Fields(s)
		want = want[:min(n, len(want))]
		if got := firstFields(s, n); !slices.Equal(got, want) {
			t.Fatalf("firstFields(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}

// scanDatesEager is scanDates over a text lexed whole before the scan.
func scanDatesEager(s string, now time.Time, limit int) []dateMatch {
	lx := newDateLexer(s)
	for lx.next() {
	}
	var out []dateMatch
	for i := 0; i < len(lx.toks) && len(out) < limit; i++ {
		if d, next, ok := dateAt(lx, i, now); ok {
			out = append(out, d)
			i = next - 1
		}
	}
	return out
}

func FuzzScanDatesAsEager(f *testing.F) {
	for _, s := range benchDates {
		f.Add(s, 3)
	}
	f.Add("15 mars 2024 kl. 13.00–16.00, 16 mars kl 9, 2024-03-17T10:00 och 18/3 2024", 2)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit = 1 + max(0, limit%8)
		if got, want := scanDates(s, fixedNow, limit), scanDatesEager(s, fixedNow, limit); !reflect.DeepEqual(got, want) {
			t.Fatalf("scanDates(%q, %d) = %+v, want %+v", s, limit, got, want)
		}
		timed := time.Time{}
		for _, d := range scanDatesEager(s, fixedNow, 20) {
			if d.hasTime {
				timed = d.t
				break
			}
		}
		if got := firstTimedDate(s, fixedNow); !got.Equal(timed) {
			t.Fatalf("firstTimedDate(%q) = %v, want %v", s, got, timed)
		}
	})
}
