package main

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func TestEmbeddedLabelsRead(t *testing.T) {
	sub, err := fs.Sub(labelFiles, "labels")
	if err != nil {
		t.Fatal(err)
	}
	lab, err := readLabels(sub)
	if err != nil {
		t.Fatal(err)
	}
	if len(lab.People) == 0 || len(lab.Projects) == 0 || len(lab.Events) == 0 || len(lab.ClusterTopics) == 0 {
		t.Errorf("labels: %d people, %d projects, %d events, %d clusters with topics",
			len(lab.People), len(lab.Projects), len(lab.Events), len(lab.ClusterTopics))
	}
	for _, p := range lab.People {
		if p.Name == "" || !strings.HasPrefix(p.URL, "http") {
			t.Errorf("person label without name or URL: %+v", p)
		}
	}
}

func TestReadLabelsMissingFile(t *testing.T) {
	fsys := fstest.MapFS{"people.json": {Data: []byte("[]")}}
	if _, err := readLabels(fsys); err == nil {
		t.Error("readLabels without projects.json: no error")
	}
}

func TestScoreClusterTopics(t *testing.T) {
	pages := []page{{URL: "https://a.se/1"}, {URL: "https://a.se/2"}}
	docs := map[string]kg.Document{
		"https://a.se/1": {ID: "doc:1", URL: "https://a.se/1", Clusters: []string{"alfa"},
			Topics: []kg.TopicMatch{{TopicID: "biogas"}, {TopicID: "horses"}}},
		"https://a.se/2": {ID: "doc:2", URL: "https://a.se/2", Clusters: []string{"alfa", "beta"},
			Topics: []kg.TopicMatch{{TopicID: "biogas"}}},
	}
	lab := map[string]map[string][]string{
		"alfa": {"biogas": {"https://a.se/1"}, "forest": {"https://a.se/3"}},
	}
	var out bytes.Buffer
	s := scoreClusterTopics(pages, docs, lab, true, &out)
	// Extracted: alfa→biogas, alfa→horses, beta→biogas; one of them labelled.
	if s.labelled != 2 || s.extracted != 3 || s.truePos != 1 || s.found != 1 {
		t.Errorf("score = %+v, want 2 labelled, 3 extracted, 1 right", s)
	}
	for _, want := range []string{"link+ alfa → horses", "link+ beta → biogas", "link- alfa → forest"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("verbose output lacks %q:\n%s", want, out.String())
		}
	}
}
