package registry

import (
	"reflect"
	"strings"
	"testing"
)

func TestDefaultRegistry(t *testing.T) {
	reg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Clusters) < 15 {
		t.Fatalf("default registry has %d clusters, want the Swedish list of at least 15", len(reg.Clusters))
	}
	vreta, ok := reg.ClusterByID("vreta-kluster")
	if !ok {
		t.Fatal("vreta-kluster missing from the default registry")
	}
	if vreta.County != "Östergötlands län" || !reflect.DeepEqual(vreta.Sites, []string{"https://vretakluster.se/"}) {
		t.Errorf("vreta-kluster = %+v", vreta)
	}
	noSite := 0
	for _, c := range reg.Clusters {
		if c.County == "" {
			t.Errorf("%s has no county", c.ID)
		}
		if len(c.Sites) == 0 {
			noSite++
		}
	}
	if noSite == 0 {
		t.Error("expected some clusters known only through source sites (sites: [])")
	}
	if len(reg.Sources) == 0 {
		t.Error("default registry has no source sites")
	}
}

func TestParseErrorsNameTheEntry(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown key", "clusters:\n  - id: a\n    name: A\n    sites: []\n    webbsida: x\n", []string{"webbsida"}},
		{"missing id", "clusters:\n  - name: A\n    sites: []\n", []string{"clusters[0]", "missing id"}},
		{"duplicate id", "clusters:\n  - id: a\n    name: A\n  - id: a\n    name: B\nsources:\n  - id: a\n    name: S\n    sites: [\"https://s.se/\"]\n",
			[]string{"clusters[1] (a): duplicate id", "sources[0] (a): duplicate id"}},
		{"bad url", "clusters:\n  - id: a\n    name: A\n    sites: [\"ftp://x.se/\", \"vretakluster.se\"]\n",
			[]string{"clusters[0] (a): site \"ftp://x.se/\"", "clusters[0] (a): site \"vretakluster.se\""}},
		{"bad id", "clusters:\n  - id: Vreta Kluster\n    name: A\n", []string{"lower-case"}},
		{"missing name", "clusters:\n  - id: a\n", []string{"clusters[0] (a): missing name"}},
		{"source without site", "clusters:\n  - id: a\n    name: A\nsources:\n  - id: s\n    name: S\n", []string{"sources[0] (s): a source needs"}},
		{"empty", "", []string{"empty"}},
		{"no clusters", "sources:\n  - id: s\n    name: S\n    sites: [\"https://s.se/\"]\n", []string{"no clusters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatal("Parse accepted a bad registry")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestParseRoundTrip(t *testing.T) {
	in := "clusters:\n  - id: vreta-kluster\n    name: Vreta Kluster\n    aliases: [Vreta]\n    county: Östergötlands län\n    sites: [\"https://vretakluster.se\"]\n  - id: utan-sajt\n    name: Utan Sajt\n    sites: []\nsources:\n  - id: natverket\n    name: Nätverket\n    sites: [\"https://natverket.se/\"]\n"
	reg, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := reg.Clusters[0].Sites[0]; got != "https://vretakluster.se/" {
		t.Errorf("site not normalised to a root path: %q", got)
	}
	if len(reg.Clusters[1].Sites) != 0 {
		t.Errorf("cluster without sites got %v", reg.Clusters[1].Sites)
	}
	out, err := Marshal(reg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse(out)
	if err != nil {
		t.Fatalf("re-parsing marshalled registry: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(reg, again) {
		t.Errorf("round trip changed the registry:\n%+v\n%+v", reg, again)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(defaultYAML)
	f.Add([]byte("clusters:\n  - id: a\n    name: A\n"))
	f.Add([]byte("clusters: [{id: a, name: A, sites: [\"http://[::1\"]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := Parse(data)
		if err != nil {
			return
		}
		ids := map[string]bool{}
		for _, e := range reg.Entries() {
			if e.ID == "" || ids[e.ID] {
				t.Fatalf("accepted registry with empty or duplicate id %q", e.ID)
			}
			ids[e.ID] = true
			for _, s := range e.Sites {
				if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
					t.Fatalf("accepted site %q", s)
				}
			}
		}
	})
}
