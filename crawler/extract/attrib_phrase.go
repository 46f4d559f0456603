package extract

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// A cluster's name may also be an everyday phrase of the language: the
// project "Gröna Näringar" in Norrbotten shares its words with "de gröna
// näringarna", the green industries, which nearly every page speaks of.
// Such a name says which cluster a page is about only when the page writes
// it as a name ("projektet Gröna Näringar", not "i de gröna näringarna")
// and something else on the page points to that cluster: a place of its
// county or town ("Norrbotten", "Piteå", "Öjebyn"), or the page being on
// one of its sites.
//
// A name is an everyday phrase when the registry's own prose, the
// descriptions of its clusters, writes its words in lower case: the
// descriptions are ordinary Swedish about the green industries, and a
// phrase they use as ordinary words ("stärker samverkan i de gröna
// näringarna") cannot tell one cluster on its own. The name without its
// place ("Gröna Näringar Norrbotten" without "Norrbotten") is looked for
// only when it is such a phrase; otherwise the place stays part of the
// name, as "Agro" alone would be found in every "Agro …" name.

// phraseName is a cluster name that is also an everyday phrase, with the
// cues that let a page's use of it count.
type phraseName struct {
	clusterID string
	name      string // lower case
	// wordsLen is the length of name without its place: whether a page
	// writes it as a name shows in those words, as a place is always
	// capitalised.
	wordsLen int
	places   []string // the cluster's places, lower case
	hosts    []string // the hosts of the cluster's sites
}

// maxEndingLetters is how many letters an inflected ending may add to the
// last word of a phrase in prose: "näringar" in "näringarna".
const maxEndingLetters = 3

// everydayPhrase reports whether prose writes name in lower case, as
// ordinary words: every word as it is, the last perhaps with an inflected
// ending ("de gröna näringarna" writes "Gröna Näringar"). A capitalised
// use ("Projektet Gröna Näringar i Öjebyn") names, and does not count.
func everydayPhrase(prose, name string) bool {
	want := lowerSameLength(name)
	if letters(want) < minNameLetters {
		return false
	}
	lower := lowerSameLength(prose)
	for off := 0; off < len(lower); {
		i := strings.Index(lower[off:], want)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(want)
		off = end
		if !wordBoundaryBefore(lower, i) || prose[i:end] != want {
			continue
		}
		ending := 0
		for _, r := range lower[end:] {
			if !isWordRune(r) {
				break
			}
			ending++
		}
		if ending <= maxEndingLetters {
			return true
		}
	}
	return false
}

// placeSuffix is the administrative word after a place name: "Norrbottens
// län", "Vänersborgs kommun".
var placeSuffix = regexp.MustCompile(`(?i)s?\s+(län|kommun)$`)

// placeSeparators split a registry town into its places: "Öjebyn (Piteå)",
// "Kil/Karlstad", "Brålanda (Vänersborgs kommun, Dalsland)".
var placeSeparators = regexp.MustCompile(`[()/,;]| och `)

// clusterPlaces returns the places a page may name for c, lower case: its
// county without "län" ("Norrbottens län" gives "norrbotten") and each
// place of its town ("Öjebyn (Piteå)" gives "öjebyn" and "piteå").
func clusterPlaces(c kg.Cluster) []string {
	var out []string
	for _, p := range append([]string{c.County}, placeSeparators.Split(c.Town, -1)...) {
		p = collapse(placeSuffix.ReplaceAllString(collapse(p), ""))
		if p == "" {
			continue
		}
		if p = lowerSameLength(p); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// withoutPlace returns name without a trailing place of places, written
// "Gröna Näringar Norrbotten", "Gröna Näringar i Norrbotten" or "Gröna
// Näringar (Norrbotten)", or "" when it ends with none of them or nothing
// would be left.
func withoutPlace(name string, places []string) string {
	lower := lowerSameLength(name)
	for _, p := range places {
		for _, tail := range []string{" i " + p, " " + p, " (" + p + ")"} {
			if !strings.HasSuffix(lower, tail) {
				continue
			}
			if rest := name[:len(name)-len(tail)]; letters(rest) >= minNameLetters {
				return collapse(rest)
			}
		}
	}
	return ""
}

// siteHosts returns the hosts of sites, lower case and without "www.".
func siteHosts(sites []string) []string {
	var out []string
	for _, s := range sites {
		if u, err := url.Parse(s); err == nil && u.Hostname() != "" {
			out = append(out, strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."))
		}
	}
	return out
}

// clusterPhrases returns the names of c, among names (its registry names
// and their variants), that are everyday phrases of prose, or are one with
// a place of c after it ("Gröna Näringar i Norrbotten" says no more than
// "de gröna näringarna i Norrbotten"), and those phrases without their
// place.
func clusterPhrases(c kg.Cluster, names []string, prose string) []phraseName {
	places := clusterPlaces(c)
	hosts := siteHosts(c.Sites)
	var out []phraseName
	add := func(form, words string) {
		k := lowerSameLength(form)
		for _, p := range out {
			if p.name == k {
				return
			}
		}
		out = append(out, phraseName{clusterID: c.ID, name: k, wordsLen: len(words), places: places, hosts: hosts})
	}
	for _, n := range names {
		short := withoutPlace(n, places)
		switch {
		case short != "" && everydayPhrase(prose, short):
			add(n, short)
			add(short, short)
		case everydayPhrase(prose, n):
			add(n, n)
		}
	}
	return out
}

// writtenAsName reports whether text writes the name it has between
// offsets i and end as a name. Swedish capitalises the first word of a
// name ("projektet Gröna näringar", "projektet Gröna Näringar"), and a
// capital on a later word ("Gröna Näringar" opening a title) is a name
// too; a capital on the first word alone does not tell a name where it
// opens a sentence ("Gröna näringar är viktiga").
func writtenAsName(text string, i, end int) bool {
	words := strings.Fields(text[i:end])
	if len(words) == 0 || !startsUpper(words[0]) {
		return false
	}
	for _, w := range words[1:] {
		if startsUpper(w) {
			return true
		}
	}
	return !opensSentence(text, i)
}

// opensSentence reports whether offset i of text starts a sentence, a
// line or the text.
func opensSentence(text string, i int) bool {
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		switch {
		case unicode.IsSpace(r) && r != '\n', strings.ContainsRune(`"'“”«»(`, r):
			i -= size
		default:
			return strings.ContainsRune(".!?…\n", r)
		}
	}
	return true
}

// cued reports whether the page, lower case, names one of p's places, or
// is on one of its cluster's sites.
func (p phraseName) cued(lower string, pageHosts []string) bool {
	for _, place := range p.places {
		if len(nameOffsets(lower, place)) > 0 {
			return true
		}
	}
	for _, h := range pageHosts {
		if slices.Contains(p.hosts, h) {
			return true
		}
	}
	return false
}
