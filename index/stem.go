package index

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/swedish"
)

// stemFilterName is the registered name of the Swedish stemming token
// filter. The name is stored in index mappings: never change it.
const stemFilterName = "klusterkarta_sv_stem"

func init() {
	err := registry.RegisterTokenFilter(stemFilterName,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return stemFilter{}, nil
		})
	if err != nil {
		panic(err)
	}
}

// stemFilter stems Swedish words with the Snowball stemmer and adds, next
// to each word that looks like a definite or genitive form, the stems of
// the forms it may come from, at the same position. Snowball leaves many
// definite forms alone ("strategin", "projektet", "klustret"), so without
// this a search for "strategi" would miss a text about "strategin". The
// word's own stem is kept, so a word that only looks definite ("maskin")
// still matches itself.
type stemFilter struct{}

// Filter implements analysis.TokenFilter.
func (stemFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in))
	for _, tok := range in {
		if tok.KeyWord {
			out = append(out, tok)
			continue
		}
		word := string(tok.Term)
		stems := []string{stem(word)}
		for _, v := range append(indefiniteForms(word), latinStem(word)...) {
			if s := stem(v); !slices.Contains(stems, s) {
				stems = append(stems, s)
			}
		}
		tok.Term = []byte(stems[0])
		out = append(out, tok)
		for _, v := range stems[1:] {
			out = append(out, &analysis.Token{
				Term:     []byte(v),
				Start:    tok.Start,
				End:      tok.End,
				Position: tok.Position,
				Type:     tok.Type,
				KeyWord:  tok.KeyWord,
			})
		}
	}
	return out
}

// stem returns the Snowball stem of the Swedish word w.
func stem(w string) string {
	env := snowballstem.NewEnv(w)
	swedish.Stem(env)
	return env.Current()
}

// minDefiniteLen is the shortest word, in runes, whose endings are read as
// definite forms; shorter words ("man", "mat") are left alone.
const minDefiniteLen = 4

// indefiniteForms returns the forms w, a lower-case word, may be the
// definite or genitive form of, without w itself:
//
//	strategin → strategi   (vowel + n)
//	området → område       (vowel + t)
//	projektet → projekt    (-et)
//	klustret → kluster     (-ret for -er)
//	projektets → projektet, projekt (genitive -s)
func indefiniteForms(w string) []string { return appendIndefiniteForms(nil, w) }

// appendIndefiniteForms appends the forms of indefiniteForms(w) to out.
func appendIndefiniteForms(out []string, w string) []string {
	from := len(out)
	add := func(s string) {
		if s != w && utf8.RuneCountInString(s) >= minDefiniteLen-1 && !slices.Contains(out[from:], s) {
			out = append(out, s)
		}
	}
	bases := [2]string{w}
	nb := 1
	if strings.HasSuffix(w, "s") && utf8.RuneCountInString(w) > minDefiniteLen {
		base := strings.TrimSuffix(w, "s")
		add(base)
		bases[1] = base
		nb = 2
	}
	for _, b := range bases[:nb] {
		if utf8.RuneCountInString(b) < minDefiniteLen {
			continue
		}
		last, size := utf8.DecodeLastRuneInString(b)
		stem := b[:len(b)-size]
		prev, _ := utf8.DecodeLastRuneInString(stem)
		switch {
		case last == 'n' && isVowel(prev) && prev != 'e':
			add(stem)
		case last == 't' && isVowel(prev):
			add(stem)
			if prev == 'e' {
				add(strings.TrimSuffix(stem, "e"))
				if strings.HasSuffix(b, "ret") {
					add(strings.TrimSuffix(b, "ret") + "er")
				}
			}
		}
	}
	return out
}

// latinStem returns, for a word with the Latin ending -um, the word
// without it: Swedish inflects "gymnasium" as "gymnasiet" and
// "gymnasier", "museum" as "museer", whose stems lack the -um.
func latinStem(w string) []string {
	base, ok := strings.CutSuffix(w, "um")
	if !ok || utf8.RuneCountInString(base) < minDefiniteLen {
		return nil
	}
	return []string{base}
}

// isVowel reports whether r is a Swedish vowel.
func isVowel(r rune) bool {
	return strings.ContainsRune("aeiouyåäö", r)
}
