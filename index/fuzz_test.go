package index_test

import (
	"context"
	"testing"
	"unicode/utf8"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// FuzzSearch checks that no user input makes a search fail.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{
		"", "kluster", `"lokal mat"`, "+spannmål -foder", "beredskap*", "bevatning~1", "title:spannmål",
		`"unbalanced`, `+-:`, `title:(`, `/[/`, `foo~9`, `*`, `county:>5`, `date:<"x"`, `2024`, `a^-1`,
		`text:/(/`, `\`, `(((`, `cluster:"vreta-kluster"`, `kind:news^0`, `S:t Olof`, "R&D <script>",
		"when was Krinova founded", "självförsörjning-grad Skåne",
	} {
		f.Add(s)
	}
	ix := MustOpenMem(f)
	f.Fuzz(func(t *testing.T, q string) {
		if len(q) > kg.MaxQueryLength || !utf8.ValidString(q) {
			t.Skip()
		}
		res, err := ix.Search(context.Background(), kg.SearchRequest{Query: q, Size: kg.MaxPageSize})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if res.Total < uint64(len(res.Hits)) {
			t.Fatalf("Search(%q): Total %d < %d hits", q, res.Total, len(res.Hits))
		}
	})
}
