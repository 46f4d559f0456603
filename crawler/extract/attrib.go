package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

// clusterName is one name a page may use for a cluster, lower case.
type clusterName struct {
	clusterID string
	name      string
}

// clusterNameList is what pages are searched for to attribute them: the
// plain names of every registry cluster, and the names that are also
// everyday phrases, which count only with a cue (see phraseName); each
// longest first.
type clusterNameList struct {
	names   []clusterName
	phrases []phraseName
}

// minNameLetters is how many letters a name needs to be looked for.
const minNameLetters = 3

// parenthesis finds "(…)" parts of a registry name.
var parenthesis = regexp.MustCompile(`\s*\(([^)]*)\)`)

// nameVariants returns the names a page may use for a cluster named name:
// the name itself and, for composite registry names, its parts: the name
// without and inside parentheses ("Agroväst (Agroväst Livsmedel AB)"),
// both sides of " / " and " – ", and a former name ("tidigare Gröna
// Navet"). A single word in parentheses is a place qualifying the name
// ("Nifa (Värmland)"), never a name alone: it gives "Nifa Värmland".
func nameVariants(name string) []string {
	name = collapse(name)
	var out []string
	add := func(s string) {
		s = collapse(strings.Trim(s, " ,;–-/"))
		for _, p := range []string{"tidigare ", "f.d. ", "fd ", "formerly ", "även "} {
			if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
				s = s[len(p):]
			}
		}
		if letters(s) >= minNameLetters {
			out = append(out, s)
		}
	}
	add(name)
	base := collapse(parenthesis.ReplaceAllString(name, ""))
	var parts []string
	for _, m := range parenthesis.FindAllStringSubmatch(name, -1) {
		inner := collapse(m[1])
		if len(strings.Fields(inner)) >= 2 {
			parts = append(parts, inner) // another name: "(Agroväst Livsmedel AB)"
		} else if inner != "" {
			// One word is a place that qualifies the name, not a name:
			// "Nifa (Värmland)" may be written "Nifa Värmland".
			add(base + " " + inner)
		}
	}
	parts = append(parts, base)
	for _, part := range parts {
		for _, sep := range []string{" / ", " – ", " — ", " | "} {
			if strings.Contains(part, sep) {
				for _, p := range strings.Split(part, sep) {
					add(p)
				}
			}
		}
		add(part)
	}
	seen := map[string]bool{}
	uniq := out[:0]
	for _, s := range out {
		if k := strings.ToLower(s); !seen[k] {
			seen[k] = true
			uniq = append(uniq, s)
		}
	}
	return uniq
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// clusterNames lists every name of every registry cluster. The names that
// are everyday phrases of the registry's descriptions ("Gröna Näringar")
// are listed apart, as phrases.
func clusterNames(reg kg.Registry) clusterNameList {
	var prose strings.Builder
	for _, c := range reg.Clusters {
		prose.WriteString(c.Description)
		prose.WriteString("\n")
	}
	var out []clusterName
	var phrases []phraseName
	for _, c := range reg.Clusters {
		var variants []string
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			variants = append(variants, nameVariants(n)...)
		}
		own := clusterPhrases(c, variants, prose.String())
		phrases = append(phrases, own...)
		seen := map[string]bool{}
		for _, p := range own {
			seen[p.name] = true
		}
		for _, v := range variants {
			k := lowerSameLength(v)
			if !seen[k] {
				seen[k] = true
				out = append(out, clusterName{clusterID: c.ID, name: k})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].name) > len(out[j].name) })
	sort.SliceStable(phrases, func(i, j int) bool { return len(phrases[i].name) > len(phrases[j].name) })
	return clusterNameList{names: out, phrases: phrases}
}

// leadBytes is how far into a page its lead reaches: the title and the
// first sentence or two.
const leadBytes = 400

// participationCue, in the sentence before a cluster's name, says that
// the cluster takes part in what the page is about: "Huvudparter: IUC Syd,
// Livsmedelsakademin och Krinova", "drivs av … tillsammans med
// Hushållningssällskapet Halland".
var participationCue = regexp.MustCompile(`(?i)(huvudparter|parter|partner\w*|samarbetspart\w*|projektägare|ägare|drivs av|drivet av|leds av|i samarbete med|i samverkan med|tillsammans med|i partnerskap med|arrangeras av|arrangerade|medverkar|deltar|deltog)`)

// attribute returns the sorted ids of the clusters a document is
// attributed to. A cluster's own page belongs to that cluster alone. A
// source's page belongs to every cluster it is about: one it names (as
// whole words, ignoring case) in its title or lead, more than once, or as
// a party to what the page describes ("Huvudparter: … och Krinova"). A
// cluster named once in passing further down ("via plattformar som
// Livsmedelsakademin, Krinova och FIRS") is mentioned, not written about.
// A name that is also an everyday phrase counts only where the page
// writes it as a name ("projektet Gröna Näringar") and names a place of
// the cluster or is on one of its sites (see phraseName).
func attribute(entry kg.Entry, list clusterNameList, text string) []string {
	if entry.Kind == kg.EntryCluster {
		if entry.ID == "" {
			return nil
		}
		return []string{entry.ID}
	}
	lower := lowerSameLength(text)
	pageHosts := siteHosts(entry.Sites)
	first := map[string]int{}
	count := map[string]int{}
	taken := make([]bool, len(lower)) // bytes already inside a longer name
	found := func(id, name string, i int) {
		for k := i; k < i+len(name); k++ {
			taken[k] = true
		}
		if c, ok := first[id]; !ok || i < c {
			first[id] = i
		}
		count[id]++
	}
	names, phrases := list.names, list.phrases
	// Names and phrases are both longest first; the longer of the two
	// goes first, so that a phrase inside a longer name is not counted.
	for len(names) > 0 || len(phrases) > 0 {
		if len(phrases) == 0 || len(names) > 0 && len(names[0].name) >= len(phrases[0].name) {
			n := names[0]
			names = names[1:]
			for _, i := range nameOffsets(lower, n.name) {
				if !taken[i] {
					found(n.clusterID, n.name, i)
				}
			}
			continue
		}
		p := phrases[0]
		phrases = phrases[1:]
		for _, i := range nameOffsets(lower, p.name) {
			if !taken[i] && writtenAsName(text, i, i+p.wordsLen) && p.cued(lower, pageHosts) {
				found(p.clusterID, p.name, i)
			}
		}
	}
	var ids []string
	for id, c := range count {
		if first[id] < leadBytes || c >= 2 || participates(text, first[id]) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// participates reports whether the sentence before offset i of text
// names the party there as taking part.
func participates(text string, i int) bool {
	start, _ := sentenceBounds(text, i, i)
	start = max(start, i-150)
	for start < i && !utf8.RuneStart(text[start]) {
		start++
	}
	return participationCue.MatchString(text[start:i])
}

// nameOffsets returns the offsets at which name occurs in text as whole
// words, as containsName reads them.
func nameOffsets(text, name string) []int {
	var out []int
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], name)
		if i < 0 {
			break
		}
		i += off
		if wordBoundaryBefore(text, i) && wordBoundaryAfter(text, i+len(name)) {
			out = append(out, i)
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		off = i + size
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func wordBoundaryBefore(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !isWordRune(r)
}

func wordBoundaryAfter(text string, end int) bool {
	rest := text[end:]
	if strings.HasPrefix(rest, ":s") {
		rest = rest[2:]
	} else if strings.HasPrefix(rest, "s") {
		if r, _ := utf8.DecodeRuneInString(rest[1:]); len(rest) == 1 || !isWordRune(r) {
			return true
		}
	}
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return !isWordRune(r)
}

// fundingNote matches how a page acknowledges the funding of its own
// project: "Finansiering beviljades …", "finansiering från LAG",
// "medfinansiering", "Finansiär: …". It says who pays for the project, not
// that the project works on capital supply.
var fundingNote = regexp.MustCompile(`(?i)\b(med|projekt|övrig|extern)?finansiering(en)?\s*(:|från|av|beviljade\w*|har beviljats|beviljats)|\bbeviljat?s?\s+(\pL+\s+)?finansiering|\bmedfinansier\pL*|\bfinansiär(er|erna)?\s*:`)

// matchTopics returns the topics text shows, leaving out the words of the
// organisations and clusters it names ("Landsbygdsnätverket", "Örebro
// universitet" and "Skogsstyrelsen" name an actor, not the topic their
// words would suggest) and a project's note of its own funding.
func (e *Extractor) matchTopics(text string) []kg.TopicMatch {
	if e.Topics == nil {
		return nil
	}
	text = norm.NFC.String(text)
	var skip []topics.Range
	for _, f := range e.findOrgs(text) {
		skip = append(skip, topics.Range{Start: f.start, End: f.end})
	}
	for _, m := range fundingNote.FindAllStringIndex(text, -1) {
		skip = append(skip, topics.Range{Start: m[0], End: m[1]})
	}
	return e.Topics.MatchOutside(text, skip)
}
