package orgs

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// findEachForm is the definition of Find: every form searched for in the
// whole text on its own, longest first.
func findEachForm(v *Vocabulary, text string) []Match {
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		lower = sameLengthLower(text)
	}
	taken := make([]bool, len(text)+1)
	var out []Match
	for _, f := range v.forms {
		hay := lower
		if f.exact {
			hay = text
		}
		for off := 0; off < len(hay); {
			i := strings.Index(hay[off:], f.text)
			if i < 0 {
				break
			}
			i += off
			end := i + len(f.text)
			off = i + max(1, len(f.text))
			if !boundaryBefore(text, i) || !boundaryAfter(text, end) || overlaps(taken, i, end) {
				continue
			}
			o := v.orgs[f.org]
			m := Match{ID: o.ID, Name: o.Name, Kind: o.Kind, Text: text[i:end], Start: i, End: end}
			if o.Regional {
				if ext, extEnd := branchAfter(text, end); ext != "" {
					m.Parent, m.ID, m.Name, m.End, m.Text = o.ID, o.ID+"-"+kg.Slug(ext), o.Name+" "+ext, extEnd, text[i:extEnd]
				}
			}
			if overlaps(taken, m.Start, m.End) {
				continue
			}
			for k := m.Start; k < m.End; k++ {
				taken[k] = true
			}
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// findSeeds name organisations in every way Find must handle.
var findSeeds = []string{
	"LRF Dalarna och Länsstyrelsen i Skåne län samarbetar med SLU:s forskare och Jordbruksverkets handläggare.",
	"lrf lrf LRF LRFs Hushållningssällskapet Väst, RISE och LRF Västra Götaland",
	"İstanbul LRF ÅÄÖ",
	"a", "",
	"Region Skåne Region Skånes Region Västerbotten Leader Sjuhärad",
}

func TestFindAsEachForm(t *testing.T) {
	v := mustDefault(t)
	var all []string
	for _, o := range v.Orgs() {
		all = append(all, o.Name)
		all = append(all, o.Aliases...)
	}
	texts := append([]string{strings.Join(all, ", "), strings.ToUpper(strings.Join(all, " ")), strings.Join(all, "")}, findSeeds...)
	for _, s := range texts {
		if got, want := v.Find(s), findEachForm(v, s); !reflect.DeepEqual(got, want) {
			t.Fatalf("Find(%q) =\n%+v\nwant\n%+v", s, got, want)
		}
	}
}

func FuzzFindAsEachForm(f *testing.F) {
	for _, s := range findSeeds {
		f.Add(s)
	}
	v := mustDefault(f)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := v.Find(s), findEachForm(v, s); !reflect.DeepEqual(got, want) {
			t.Fatalf("Find(%q) =\n%+v\nwant\n%+v", s, got, want)
		}
	})
}

// BenchmarkFind finds the organisations of a page-long text.
func BenchmarkFind(b *testing.B) {
	v := mustDefault(b)
	text := strings.Repeat("Projektet drivs av LRF Dalarna i samarbete med Länsstyrelsen i Dalarnas län och finansieras "+
		"av Jordbruksverket. Forskare från SLU och RISE deltar, liksom Hushållningssällskapet. ", 60)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		v.Find(text)
	}
}
