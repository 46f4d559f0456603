// Package topics holds Klusterkarta's topic vocabulary and finds its topics
// in Swedish and English text.
//
// The vocabulary ships embedded (topics.yaml, returned by Default); Parse
// reads another one. A Matcher, built once from a vocabulary, reports which
// topics a text shows, how often, and a snippet around the first match. It
// knows enough Swedish morphology to find "biogas" in "gårdsbiogasanläggningen"
// and "skogsägare" in "skogsägarna" without finding "trä" in "träffa".
package topics

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

//go:embed topics.yaml
var defaultYAML []byte

// Default returns the embedded topic vocabulary.
func Default() ([]kg.Topic, error) {
	ts, err := Parse(defaultYAML)
	if err != nil {
		return nil, fmt.Errorf("embedded topic vocabulary: %w", err)
	}
	return ts, nil
}

type fileTopic struct {
	ID    string   `yaml:"id"`
	SV    string   `yaml:"sv"`
	EN    string   `yaml:"en"`
	Terms []string `yaml:"terms"`
}

type file struct {
	Topics []fileTopic `yaml:"topics"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Parse decodes and checks a topic vocabulary: a YAML document with a list
// "topics" of {id, sv, en, terms}. Unknown keys, missing, malformed or
// duplicate ids, topics without terms and terms without letters are errors
// that name the topic; all of them are reported together. Terms repeated
// within a topic (ignoring case) are kept once.
func Parse(data []byte) ([]kg.Topic, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("topic vocabulary is empty")
		}
		return nil, fmt.Errorf("decoding topic vocabulary: %w", err)
	}
	if len(f.Topics) == 0 {
		return nil, errors.New("topic vocabulary lists no topics")
	}
	var errs []error
	seen := map[string]int{}
	out := make([]kg.Topic, 0, len(f.Topics))
	for i, ft := range f.Topics {
		id := strings.TrimSpace(ft.ID)
		where := fmt.Sprintf("topics[%d]", i)
		if id != "" {
			where += fmt.Sprintf(" (%s)", id)
		}
		switch {
		case id == "":
			errs = append(errs, fmt.Errorf("%s: missing id", where))
		case !idPattern.MatchString(id):
			errs = append(errs, fmt.Errorf("%s: id %q must be lower-case letters, digits and single hyphens", where, id))
		default:
			if j, dup := seen[id]; dup {
				errs = append(errs, fmt.Errorf("%s: duplicate id %q (also topics[%d])", where, id, j))
			} else {
				seen[id] = i
			}
		}
		if len(ft.Terms) == 0 {
			errs = append(errs, fmt.Errorf("%s: no terms", where))
		}
		var terms []string
		have := map[string]bool{}
		for j, term := range ft.Terms {
			term = strings.Join(strings.Fields(term), " ")
			if term == "" {
				errs = append(errs, fmt.Errorf("%s: term %d is empty", where, j))
				continue
			}
			if len(tokenize(term)) == 0 {
				errs = append(errs, fmt.Errorf("%s: term %q has no letters", where, term))
				continue
			}
			key := strings.ToLower(term)
			if have[key] {
				continue
			}
			have[key] = true
			terms = append(terms, term)
		}
		out = append(out, kg.Topic{ID: id, SV: strings.TrimSpace(ft.SV), EN: strings.TrimSpace(ft.EN), Terms: terms})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}
