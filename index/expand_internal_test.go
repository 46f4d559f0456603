package index

import (
	"slices"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// TestExpandCompoundParts checks which topics the parts of a compound
// name: its first parts always, its head only when the whole word names
// no topic of its own.
func TestExpandCompoundParts(t *testing.T) {
	e := newTopicExpander([]kg.Topic{
		{ID: "crops", SV: "Växtodling", Terms: []string{"odling", "spannmål"}},
		{ID: "fish", SV: "Vattenbruk", Terms: []string{"fiskodling", "vattenbruk"}},
		{ID: "energy", SV: "Bioenergi", Terms: []string{"biogas"}},
	})
	tests := []struct {
		query string
		want  []string
	}{
		{"fiskodling", []string{"fish"}},                     // not the odling of crops
		{"fiskodling på land", []string{"fish"}},             // the same inside a longer query
		{"potatisodling", []string{"crops"}},                 // the head names the topic
		{"biogasanläggning", []string{"energy"}},             // a first part names the topic
		{"fiskodling och odling", []string{"crops", "fish"}}, // the word itself still does
		{"spannmål", []string{"crops"}},
		{"skogsbruk", nil},
	}
	for _, tt := range tests {
		got := e.expand(tt.query).topics
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("expand(%q) names %q, want %q", tt.query, got, tt.want)
		}
	}
}

// TestStandIns checks that words the index does not hold are stood in for
// by the terms of the concept they name, at their positions in the query.
func TestStandIns(t *testing.T) {
	e := newTopicExpander(nil)
	x := e.expand("Krinova founded")
	held := func(term string) bool { return term != "founded" }
	ins := x.standIns(held)
	if len(ins) != 1 {
		t.Fatalf("standIns = %d stand-ins, want 1 (for founded)", len(ins))
	}
	if !slices.Equal(ins[0].at, []int{2}) {
		t.Errorf("stand-in at positions %v, want [2]", ins[0].at)
	}
	if got := x.standIns(func(string) bool { return true }); len(got) != 0 {
		t.Errorf("standIns with every word held = %d stand-ins, want 0", len(got))
	}
	if q := allWordsQuery("Krinova founded", ins); q == nil {
		t.Error("allWordsQuery(Krinova founded) = nil, want a conjunction")
	}
	if q := allWordsQuery("self-sufficiency Skåne", nil); q == nil {
		t.Error("allWordsQuery(self-sufficiency Skåne) = nil, want a conjunction")
	}
	for _, text := range []string{"Krinova", "vilka i", `"Krinova" founded`, "Krinova -founded", "+Krinova founded", "title:Krinova founded"} {
		if q := allWordsQuery(text, nil); q != nil {
			t.Errorf("allWordsQuery(%q) = %v, want nil", text, q)
		}
	}
}
