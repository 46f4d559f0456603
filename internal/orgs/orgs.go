// Package orgs holds the vocabulary of organisations that pages about
// Sweden's green clusters name (authorities, county administrative boards,
// regions, LRF, Hushållningssällskapet, universities, Leader areas, funds)
// and finds them in text.
//
// The vocabulary ships embedded (orgs.yaml, returned by Default); Parse
// reads another one. Find reports every organisation a text names, under
// any of its names or abbreviations; Lookup resolves one name, such as a
// project's owner field, to an organisation. Regional branches ("LRF
// Dalarna", "Hushållningssällskapet Halland", "Leader Linné") are found as
// organisations of their own, with the national organisation as parent.
package orgs

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

//go:embed orgs.yaml
var defaultYAML []byte

// Org is one organisation of the vocabulary.
type Org struct {
	ID       string   // stable slug, e.g. "lrf"
	Name     string   // name shown
	Kind     string   // authority, county-board, region, interest, university, ...
	Aliases  []string // other names and abbreviations
	Regional bool     // a following place names a regional branch
}

// Match is one organisation found in a text.
type Match struct {
	ID     string // org id; a branch's id is its parent's id and the place, "lrf-dalarna"
	Name   string // canonical name; a branch is its parent's name and the place as written
	Kind   string
	Parent string // the national organisation's id for a regional branch, else ""
	Text   string // the text as written
	Start  int    // byte offsets of Text in the searched text
	End    int
}

// Vocabulary finds organisations in text. It is safe for concurrent use.
type Vocabulary struct {
	orgs  []Org
	forms []form // longest first

	// The forms by their first two bytes, so that Find reads the text
	// once instead of once per form.
	lowerIndex, exactIndex formIndex
}

// formIndex finds where forms occur in a text in one pass: the forms by
// their first two bytes, and a bit per two-byte key that some form starts
// with.
type formIndex struct {
	bits  [1 << 16 / 64]uint64
	forms map[uint16][]int32 // indexes into Vocabulary.forms, in order
}

func pairKey(s string, i int) uint16 { return uint16(s[i])<<8 | uint16(s[i+1]) }

// add records form fi, whose text is at least two bytes long.
func (x *formIndex) add(fi int, text string) {
	if x.forms == nil {
		x.forms = map[uint16][]int32{}
	}
	k := pairKey(text, 0)
	x.bits[k/64] |= 1 << (k % 64)
	x.forms[k] = append(x.forms[k], int32(fi))
}

// find appends to occ[fi] every offset in hay at which form fi occurs, in
// increasing order, for the forms of the index.
func (x *formIndex) find(hay string, forms []form, occ [][]int32) {
	if x.forms == nil {
		return
	}
	for i := 0; i+1 < len(hay); i++ {
		k := pairKey(hay, i)
		if x.bits[k/64]&(1<<(k%64)) == 0 {
			continue
		}
		for _, fi := range x.forms[k] {
			if strings.HasPrefix(hay[i:], forms[fi].text) {
				occ[fi] = append(occ[fi], int32(i))
			}
		}
	}
}

// form is one name of an organisation as matched.
type form struct {
	org   int
	text  string // lower case unless exact
	exact bool   // abbreviations match with their case
}

type fileOrg struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Kind     string   `yaml:"kind"`
	Aliases  []string `yaml:"aliases"`
	Regional bool     `yaml:"regional"`
}

type fileCounty struct {
	Name          string   `yaml:"name"`
	Lan           string   `yaml:"lan"`
	Region        string   `yaml:"region"`
	Aliases       []string `yaml:"aliases"`
	RegionAliases []string `yaml:"region_aliases"`
}

type file struct {
	Organisations []fileOrg    `yaml:"organisations"`
	Counties      []fileCounty `yaml:"counties"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var (
	defaultOnce  sync.Once
	defaultVocab *Vocabulary
	defaultErr   error
)

// Default returns the embedded vocabulary, parsed once.
func Default() (*Vocabulary, error) {
	defaultOnce.Do(func() {
		defaultVocab, defaultErr = Parse(defaultYAML)
		if defaultErr != nil {
			defaultErr = fmt.Errorf("embedded organisation vocabulary: %w", defaultErr)
		}
	})
	return defaultVocab, defaultErr
}

// Parse decodes and checks a vocabulary: a YAML document with a list
// "organisations" of {id, name, kind, aliases, regional} and a list
// "counties" of {name, lan, region, aliases, region_aliases}, from which
// each county's länsstyrelse and region are made. Unknown keys, missing,
// malformed or duplicate ids and organisations without a name are errors.
func Parse(data []byte) (*Vocabulary, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("decoding organisations: %w", err)
	}
	var list []Org
	for _, o := range f.Organisations {
		list = append(list, Org{ID: o.ID, Name: o.Name, Kind: o.Kind, Aliases: o.Aliases, Regional: o.Regional})
	}
	for _, c := range f.Counties {
		if c.Name == "" || c.Lan == "" {
			return nil, fmt.Errorf("county %q: name and lan are required", c.Name)
		}
		places := append([]string{c.Lan, c.Name}, c.Aliases...)
		board := Org{ID: "lansstyrelsen-" + kg.Slug(c.Name), Name: "Länsstyrelsen i " + c.Lan, Kind: "county-board"}
		for _, p := range places {
			board.Aliases = append(board.Aliases, "Länsstyrelsen i "+p, "Länsstyrelsen "+p)
		}
		list = append(list, board)
		if c.Region != "" {
			region := Org{ID: "region-" + kg.Slug(c.Name), Name: c.Region, Kind: "region", Aliases: c.RegionAliases}
			for _, p := range places {
				if a := "Region " + p; a != c.Region {
					region.Aliases = append(region.Aliases, a)
				}
			}
			list = append(list, region)
		}
	}
	return New(list)
}

// New builds a vocabulary from a list of organisations. Missing, malformed
// or duplicate ids and organisations without a name are errors.
func New(list []Org) (*Vocabulary, error) {
	v := &Vocabulary{}
	seen := map[string]bool{}
	var errs []error
	for i, o := range list {
		switch {
		case !idPattern.MatchString(o.ID):
			errs = append(errs, fmt.Errorf("organisation %d (%q): id %q is not a lower-case slug", i+1, o.Name, o.ID))
			continue
		case seen[o.ID]:
			errs = append(errs, fmt.Errorf("organisation %q: duplicate id", o.ID))
			continue
		case strings.TrimSpace(o.Name) == "":
			errs = append(errs, fmt.Errorf("organisation %q: no name", o.ID))
			continue
		}
		seen[o.ID] = true
		v.orgs = append(v.orgs, o)
		idx := len(v.orgs) - 1
		names := map[string]bool{}
		for _, n := range append([]string{o.Name}, o.Aliases...) {
			n = collapse(n)
			if n == "" || names[n] {
				continue
			}
			names[n] = true
			exact := isAbbreviation(n)
			t := n
			if !exact {
				t = strings.ToLower(n)
			}
			v.forms = append(v.forms, form{org: idx, text: t, exact: exact})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.SliceStable(v.forms, func(i, j int) bool { return len(v.forms[i].text) > len(v.forms[j].text) })
	for fi, f := range v.forms {
		switch {
		case len(f.text) < 2:
			// Searched for on its own by Find.
		case f.exact:
			v.exactIndex.add(fi, f.text)
		default:
			v.lowerIndex.add(fi, f.text)
		}
	}
	return v, nil
}

// Orgs returns the organisations of the vocabulary in file order.
func (v *Vocabulary) Orgs() []Org { return append([]Org(nil), v.orgs...) }

// isAbbreviation reports whether a name is an abbreviation (upper case,
// such as "LRF" or "SLU"), matched only with its case.
func isAbbreviation(s string) bool {
	if utf8.RuneCountInString(s) > 6 || strings.ContainsRune(s, ' ') {
		return false
	}
	upper := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			// "LiU", "KaU": mixed-case abbreviations are exact too.
			continue
		}
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}

// maxBranchWords is how many capitalised words after a regional
// organisation's name may name its branch.
const maxBranchWords = 3

// Find returns the organisations text names, in text order, without
// overlaps (the longest name wins). A name matches as whole words,
// ignoring case, except abbreviations, which match with their case; a
// genitive s ("LRF:s", "Jordbruksverkets") may follow.
func (v *Vocabulary) Find(text string) []Match {
	if v == nil || text == "" {
		return nil
	}
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		// Lower-casing changed byte lengths (rare letters): match on a
		// copy that keeps offsets by lower-casing rune by rune in place.
		lower = sameLengthLower(text)
	}
	taken := make([]bool, len(text)+1)
	// Where each form occurs, found in one pass over each text.
	occ := make([][]int32, len(v.forms))
	v.lowerIndex.find(lower, v.forms, occ)
	v.exactIndex.find(text, v.forms, occ)
	var out []Match
	for fi, f := range v.forms {
		hay := lower
		if f.exact {
			hay = text
		}
		at := occ[fi]
		if len(f.text) < 2 {
			at = nil
			for off := 0; off < len(hay); {
				i := strings.Index(hay[off:], f.text)
				if i < 0 {
					break
				}
				at = append(at, int32(off+i))
				off += i + 1
			}
		}
		off := 0
		for _, i32 := range at {
			i := int(i32)
			if i < off {
				continue // overlaps the form's previous occurrence
			}
			end := i + len(f.text)
			off = i + max(1, len(f.text))
			if !boundaryBefore(text, i) || !boundaryAfter(text, end) || overlaps(taken, i, end) {
				continue
			}
			o := v.orgs[f.org]
			m := Match{ID: o.ID, Name: o.Name, Kind: o.Kind, Text: text[i:end], Start: i, End: end}
			if o.Regional {
				if ext, extEnd := branchAfter(text, end); ext != "" {
					m.Parent = o.ID
					m.ID = o.ID + "-" + kg.Slug(ext)
					m.Name = o.Name + " " + ext
					m.End = extEnd
					m.Text = text[i:extEnd]
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

// Lookup resolves a name as written, such as a project's owner field, to
// an organisation: the name must be one organisation's name (or branch),
// give or take a genitive, parentheses and surrounding punctuation.
func (v *Vocabulary) Lookup(name string) (Match, bool) {
	name = collapse(name)
	if name == "" {
		return Match{}, false
	}
	for _, m := range v.Find(name) {
		rest := parenthesised.ReplaceAllString(name[:m.Start]+name[m.End:], "")
		if letterCount(rest) <= 2 {
			return m, true
		}
	}
	return Match{}, false
}

// parenthesised matches a remark in parentheses.
var parenthesised = regexp.MustCompile(`\([^)]*\)`)

// branchAfter reads the place that may follow a regional organisation's
// name at end: one to three capitalised words ("Dalarna", "Västra
// Götaland", "Norrbotten-Västerbotten"). It returns the words and their
// end offset, or "" when none follow.
func branchAfter(text string, end int) (string, int) {
	if end >= len(text) || text[end] != ' ' {
		return "", end
	}
	pos := end
	var words []string
	for len(words) < maxBranchWords && pos < len(text) && text[pos] == ' ' {
		j := pos + 1
		k := j
		for k < len(text) {
			r, size := utf8.DecodeRuneInString(text[k:])
			if !unicode.IsLetter(r) && r != '-' {
				break
			}
			k += size
		}
		w := strings.TrimRight(text[j:k], "-")
		r, _ := utf8.DecodeRuneInString(w)
		if w == "" || !unicode.IsUpper(r) || letterCount(w) < 2 || isAbbreviation(w) || branchStop[w] {
			break
		}
		words = append(words, w)
		pos = j + len(w)
	}
	if len(words) == 0 {
		return "", end
	}
	return strings.Join(words, " "), pos
}

// branchStop are capitalised words that follow an organisation's name
// without naming a branch.
var branchStop = map[string]bool{
	"Och": true, "Med": true, "Som": true, "Det": true, "Den": true, "Projektet": true,
	"Region": true, "Länsstyrelsen": true, "Kontakt": true,
}

func overlaps(taken []bool, i, j int) bool {
	for k := i; k < j; k++ {
		if taken[k] {
			return true
		}
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func boundaryBefore(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !isWordRune(r)
}

// boundaryAfter accepts the end of a word, or a genitive "s" or ":s".
func boundaryAfter(text string, end int) bool {
	rest := text[end:]
	if strings.HasPrefix(rest, ":s") {
		rest = rest[2:]
	} else if strings.HasPrefix(rest, "s") {
		rest = rest[1:]
	}
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return !isWordRune(r)
}

// sameLengthLower lower-cases s keeping every rune's byte length, so that
// offsets into the result are offsets into s.
func sameLengthLower(s string) string {
	b := []byte(s)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) == size {
			utf8.EncodeRune(b[i:], l)
		}
		i += size
	}
	return string(b)
}

func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
