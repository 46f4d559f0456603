package index

import (
	"bytes"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/klusterkarta/klusterkarta/internal/golden"
)

// update rewrites the golden file of the analysis fixtures.
var update = flag.Bool("update", false, "rewrite testdata/bench/golden.txt")

// benchParagraph is a paragraph as a cluster's news page writes it, with
// compounds, definite forms and stop words.
const benchParagraph = `Projektet Gårdsgas 2030 startar den 1 oktober och drivs av klustret i samarbete med
två kommuner. Under de kommande åren ska deltagarna bygga upp kunskap om hur gårdsbiogasanläggningar
kan kombineras med lokal förädling av mjölk, kött och spannmål. Sveriges självförsörjningsgrad är låg,
och livsmedelsberedskapen vilar på den lokala produktionen. Kommunernas beredskapssamordnare kartlägger
vilka mejerier och slakterier som klarar ett längre strömavbrott, och projektet tar fram kalkylmodeller
för investeringsstöd, landsbygdsprogrammets bidrag och nya affärsmodeller för skogsägarföreningarna.`

// benchCompounds are long compounds of the green industries, and a few
// long words that are no compounds of known words.
var benchCompounds = []string{
	"självförsörjningsgrad",
	"gårdsbiogasanläggningarna",
	"livsmedelsberedskapen",
	"beredskapslagerhållning",
	"skogsägarföreningarnas",
	"växthusodlingsrådgivning",
	"landsbygdsprogrammets",
	"mjölkproduktionsanläggning",
	"investeringsstödet",
	"kalkylmodellerna",
	"fordonsgasmackarna",
	"xyzqwertyuiopasdfgh",
}

// writeTokens writes one line per token: term, offsets, position, type.
func writeTokens(b *bytes.Buffer, ts analysis.TokenStream) {
	for _, t := range ts {
		fmt.Fprintf(b, "%s %d-%d @%d type=%d kw=%v\n", t.Term, t.Start, t.End, t.Position, t.Type, t.KeyWord)
	}
}

// TestAnalysisGolden pins the Swedish analysis of the benchmark paragraph
// and the splits of the benchmark compounds, so that making them faster
// cannot change the index. Run with -update after a deliberate change.
func TestAnalysisGolden(t *testing.T) {
	var b bytes.Buffer
	writeTokens(&b, swedishAnalyzer().Analyze([]byte(benchParagraph)))
	d := builtinDict()
	fmt.Fprintf(&b, "general words: %v\n", d.general > 0)
	for _, w := range benchCompounds {
		fmt.Fprintf(&b, "Split(%q) = %v\n", w, d.Split(w))
	}
	path := filepath.Join("testdata", "bench", "golden.txt")
	if d.general == 0 {
		path = filepath.Join("testdata", "bench", "golden-domain.txt")
	}
	golden.Check(t, path, b.Bytes(), *update)
}

// BenchmarkAnalyzeSwedish runs the paragraph through the Swedish analyser
// of the text fields: tokenizer, lower case, stop words, decompounding and
// stemming.
func BenchmarkAnalyzeSwedish(b *testing.B) {
	a := swedishAnalyzer()
	in := []byte(benchParagraph)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if len(a.Analyze(in)) == 0 {
			b.Fatal("no tokens")
		}
	}
}

// BenchmarkSplit splits each of benchCompounds once per iteration with the
// built-in dictionary.
func BenchmarkSplit(b *testing.B) {
	d := builtinDict()
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range benchCompounds {
			d.Split(w)
		}
	}
}

// BenchmarkDecompoundTokens runs the decompounding filter alone over the
// lower-cased words of the paragraph.
func BenchmarkDecompoundTokens(b *testing.B) {
	f := &compoundFilter{dict: builtinDict()}
	var in analysis.TokenStream
	for i, w := range strings.Fields(strings.ToLower(benchParagraph)) {
		w = strings.Trim(w, ".,")
		in = append(in, &analysis.Token{Term: []byte(w), Position: i + 1, Start: 0, End: len(w), Type: analysis.AlphaNumeric})
	}
	b.ReportAllocs()
	for b.Loop() {
		ts := make(analysis.TokenStream, len(in))
		copy(ts, in)
		f.Filter(ts)
	}
}
