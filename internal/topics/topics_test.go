package topics

import (
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	ts, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	// The ids of the shared starter vocabulary, in its order.
	want := []string{
		"self-sufficiency", "crisis-preparedness", "rules-and-conditions", "capital-supply",
		"business-models", "food-strategy", "animal-husbandry", "crop-production", "horticulture",
		"forestry", "bioenergy", "aquaculture-fishing", "food-processing", "climate-environment",
		"digitalisation", "skills-education", "research-innovation", "rural-development",
		"circular-bioeconomy", "networking-exchange",
	}
	if len(ts) != len(want) {
		t.Fatalf("got %d topics, want %d", len(ts), len(want))
	}
	for i, id := range want {
		if ts[i].ID != id {
			t.Errorf("topic %d: id %q, want %q", i, ts[i].ID, id)
		}
		if ts[i].SV == "" || ts[i].EN == "" || len(ts[i].Terms) == 0 {
			t.Errorf("topic %s: missing labels or terms: %+v", id, ts[i])
		}
	}
	bio := ts[10]
	n := 0
	for _, term := range bio.Terms {
		if term == "biogas" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("bioenergy lists biogas %d times, want once: %v", n, bio.Terms)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // substring of the error
	}{
		{"empty", "", "empty"},
		{"no topics", "topics: []\n", "no topics"},
		{"unknown key", "topics:\n  - id: a\n    terms: [x]\n    colour: red\n", "colour"},
		{"unknown top key", "topic:\n  - id: a\n", "topic"},
		{"missing id", "topics:\n  - sv: A\n    terms: [x]\n", "missing id"},
		{"bad id", "topics:\n  - id: Biogas\n    terms: [x]\n", "lower-case"},
		{"duplicate id", "topics:\n  - id: a\n    terms: [x]\n  - id: a\n    terms: [y]\n", `duplicate id "a"`},
		{"no terms", "topics:\n  - id: a\n    sv: A\n", "no terms"},
		{"blank term", "topics:\n  - id: a\n    terms: [x, \" \"]\n", "term 1 is empty"},
		{"term without letters", "topics:\n  - id: a\n    terms: [\"42\"]\n", "no letters"},
		{"not yaml", "topics: [\n", "decoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestParseReportsAllErrors(t *testing.T) {
	_, err := Parse([]byte("topics:\n  - terms: [x]\n  - id: b\n"))
	if err == nil {
		t.Fatal("want error")
	}
	for _, want := range []string{"topics[0]: missing id", "topics[1] (b): no terms"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestParseDeduplicatesTerms(t *testing.T) {
	ts, err := Parse([]byte("topics:\n  - id: a\n    terms: [Biogas, biogas, \"  gas  \"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ts[0].Terms, "|"); got != "Biogas|gas" {
		t.Errorf("terms = %q, want %q", got, "Biogas|gas")
	}
}
