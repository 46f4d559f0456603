package index

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// testDict has the domain words only, so the tests do not depend on the
// generated general list.
func testDict(t testing.TB) *Dictionary {
	t.Helper()
	d, err := loadDictionary(fstest.MapFS{dictDomain: {Data: mustRead(t, dictDomain)}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := dictFiles.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSplit(t *testing.T) {
	d := testDict(t)
	tests := []struct {
		word string
		want []string // nil: not split
	}{
		{"livsmedelsstrategin", []string{"livsmedel", "strategin"}},
		{"beredskapslager", []string{"beredskap", "lager"}},
		{"självförsörjningsgrad", []string{"själv", "försörjning", "grad"}},
		{"matproduktion", []string{"mat", "produktion"}},
		{"trädgårdsodling", []string{"trädgård", "odling"}},
		{"livsmedelstrategi", []string{"livsmedel", "strategi"}}, // without the linking s
		{"strategi", nil},
		{"kristianstad", nil}, // a name, listed as never split
		{"mat", nil},
		{"xyzzyplugh", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range d.Split(tt.word) {
			got = append(got, p.Text)
			if tt.word[p.Start:p.End] != p.Text {
				t.Errorf("Split(%q): part %q has offsets %d:%d = %q", tt.word, p.Text, p.Start, p.End, tt.word[p.Start:p.End])
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Split(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestSplitGeneralList(t *testing.T) {
	if BuiltinDictionary().GeneralWords == 0 {
		t.Skip("index/dict/general.txt not generated (go run ./index/cmd/mkdict); general words untested")
	}
	d := builtinDict()
	for word, want := range map[string][]string{
		"konkurrenskraften": {"konkurrens", "kraften"},
		"företagare":        nil, // a word of its own, not före + tagare
	} {
		var got []string
		for _, p := range d.Split(word) {
			got = append(got, p.Text)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Split(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestCompoundOffsets(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	// Å, ä and ö take two bytes: offsets of parts after them must count
	// bytes, and the text's case must not matter.
	text := "Ökad Självförsörjningsgrad i Östergötland"
	ts, err := m.AnalyzeText(analyzerSwedish, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"själv":            "Själv",
		"försörjning":      "försörjning",
		"grad":             "grad",
		"självförsörjning": "Självförsörjning",
		"försörjningsgr":   "försörjningsgrad", // stemmed
	}
	seen := 0
	for _, tok := range ts {
		if w, ok := want[string(tok.Term)]; ok {
			seen++
			if got := text[tok.Start:tok.End]; got != w {
				t.Errorf("term %q at %d:%d = %q, want %q", tok.Term, tok.Start, tok.End, got, w)
			}
		}
	}
	if seen < len(want) {
		t.Errorf("found %d of the parts %v in %v", seen, want, ts)
	}
}

func TestWholeWordMarks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"om <mark>skog</mark>s<mark>näringen</mark> i", "om <mark>skogsnäringen</mark> i"},
		{"livsmedels<mark>strategin</mark>.", "<mark>livsmedelsstrategin</mark>."},
		{"R&amp;<mark>D</mark> x", "R&amp;<mark>D</mark> x"},
		{"inga markeringar", "inga markeringar"},
		{"<mark>ett</mark> och <mark>två</mark>", "<mark>ett</mark> och <mark>två</mark>"},
	}
	for _, tt := range tests {
		if got := wholeWordMarks(tt.in); got != tt.want {
			t.Errorf("wholeWordMarks(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFingerprint(t *testing.T) {
	a := "Klustret bjuder in till en dag om bevattning och vattenbrist i odlingen. Vi går igenom nya metoder, lagring av vatten i dammar och hur gårdar kan dela på utrustning under torra somrar framöver. Anmäl dig senast i maj."
	a += " Dagen hålls på försöksgården utanför stan och riktar sig till odlare, rådgivare och forskare som vill dela erfarenheter. Kaffe och lunch ingår, och efter lunch visar vi de nya sensorerna i fält och hur de kopplas till bevattningen."
	b := strings.Replace(a, "maj", "juni", 1) + " Välkommen!"
	c := "Rapporten beskriver skogsbrukets roll för bioenergi i länet och föreslår fler utbildningar för unga skogsägare, bättre vägar till virkesterminalerna och mer samarbete mellan sågverk och kommuner."
	fp := func(s string) string {
		f, ok := textFingerprint(s)
		if !ok {
			return ""
		}
		return formatFingerprint(f)
	}
	if !nearDuplicate(fp(a), fp(b)) {
		t.Error("a and b are not near-duplicates")
	}
	if nearDuplicate(fp(a), fp(c)) {
		t.Error("a and c are near-duplicates")
	}
	if !nearDuplicate(fp(c), fp(c)) {
		t.Error("c is not a near-duplicate of itself")
	}
	if fp("för kort text") != "" || nearDuplicate("", "") {
		t.Error("short texts have fingerprints")
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"självförsörjnig", "självförsörjning", 2, 1},
		{"åäö", "aäö", 2, 1},
		{"ab", "ba", 2, 1},
		{"kluster", "cluster", 2, 1},
		{"abc", "xyzabc", 2, 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func BenchmarkCompoundFilter(b *testing.B) {
	m, err := newMapping()
	if err != nil {
		b.Fatal(err)
	}
	text := []byte("Regionfullmäktige har antagit livsmedelsstrategin. Självförsörjningsgraden och beredskapslagren ska öka, " +
		"liksom matproduktionen, trädgårdsodlingen och samverkan mellan lantbrukare och livsmedelsföretag i hela länet.")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := m.AnalyzeText(analyzerSwedish, text); err != nil {
			b.Fatal(err)
		}
	}
}
