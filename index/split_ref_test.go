package index

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// splitEachPrefix is the definition of Split's choice: every split of
// every suffix built as a list, the best kept. Split finds the same
// without building the lists.
func splitEachPrefix(d *Dictionary, w string) []Part {
	n := utf8.RuneCountInString(w)
	if n < minCompound || n > maxCompound || d.whole[w] {
		return nil
	}
	type split struct {
		parts          []Part
		ok             bool
		domain, square int
	}
	best := make([]split, len(w)+1)
	better := func(a, b split) bool {
		if !b.ok {
			return true
		}
		if len(a.parts) != len(b.parts) {
			return len(a.parts) < len(b.parts)
		}
		if a.domain != b.domain {
			return a.domain > b.domain
		}
		return a.square > b.square
	}
	first := func(p string) (bool, bool) {
		if dom, ok := d.word(p); ok {
			return dom, true
		}
		if utf8.RuneCountInString(p) >= minGeneralPart {
			for _, v := range []string{"a", "e"} {
				if dom, ok := d.word(p + v); ok {
					return dom, true
				}
			}
		}
		return false, false
	}
	for i := len(w) - 1; i >= 0; i-- {
		if !utf8.RuneStart(w[i]) {
			continue
		}
		var cur split
		if dom, ok := d.lastPart(w[i:]); ok && i > 0 {
			l := utf8.RuneCountInString(w[i:])
			cur = split{parts: []Part{{w[i:], i, len(w)}}, ok: true, domain: b2i(dom), square: l * l}
		}
		for j := i + 1; j < len(w); j++ {
			if !utf8.RuneStart(w[j]) {
				continue
			}
			dom, ok := first(w[i:j])
			if !ok {
				continue
			}
			l := utf8.RuneCountInString(w[i:j])
			for _, k := range []int{j, j + 1} {
				if k == j+1 && (k >= len(w) || !strings.ContainsRune(linkingLetters, rune(w[j]))) {
					continue
				}
				if rest := best[k]; rest.ok {
					c := split{append([]Part{{w[i:j], i, j}}, rest.parts...), true, rest.domain + b2i(dom), rest.square + l*l}
					if better(c, cur) {
						cur = c
					}
				}
			}
		}
		best[i] = cur
	}
	if !best[0].ok || len(best[0].parts) < 2 {
		return nil
	}
	parts := best[0].parts
	if _, known := d.lastPart(w); known {
		for _, p := range parts {
			if dom, _ := d.word(p.Text); !dom && utf8.RuneCountInString(p.Text) < minKnownPart {
				if dom, _ := d.lastPart(p.Text); !dom {
					return nil
				}
			}
		}
	}
	return parts
}

var splitSeeds = append([]string{"gårdsbiogasanläggningarnas", "livsmedelsstrategin", "skogsägare", "företagare",
	"mjölkkor", "grönsaksodlingarna", "växthusväxthusväxthus", "åäöåäöåäö"}, benchCompounds...)

func TestSplitAsEachPrefix(t *testing.T) {
	d := builtinDict()
	words := append([]string(nil), splitSeeds...)
	for _, w := range strings.Fields(strings.ToLower(benchParagraph)) {
		words = append(words, strings.Trim(w, ".,"))
	}
	for _, w := range words {
		if got, want := d.Split(w), splitEachPrefix(d, w); !reflect.DeepEqual(got, want) {
			t.Errorf("Split(%q) = %v, want %v", w, got, want)
		}
	}
}

func FuzzSplitAsEachPrefix(f *testing.F) {
	for _, w := range splitSeeds {
		f.Add(w)
	}
	d := builtinDict()
	f.Fuzz(func(t *testing.T, w string) {
		if got, want := d.Split(w), splitEachPrefix(d, w); !reflect.DeepEqual(got, want) {
			t.Fatalf("Split(%q) = %v, want %v", w, got, want)
		}
	})
}
