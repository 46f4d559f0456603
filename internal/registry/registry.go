// Package registry reads and checks the YAML list of clusters and source
// sites that Klusterkarta crawls, and ships the real Swedish list as the
// default.
package registry

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

//go:embed clusters.yaml
var defaultYAML []byte

// Default returns the embedded list of Swedish green clusters.
func Default() (kg.Registry, error) {
	reg, err := Parse(defaultYAML)
	if err != nil {
		return kg.Registry{}, fmt.Errorf("embedded registry: %w", err)
	}
	return reg, nil
}

// Load reads and checks the registry file at path.
func Load(path string) (kg.Registry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return kg.Registry{}, fmt.Errorf("reading registry: %w", err)
	}
	reg, err := Parse(data)
	if err != nil {
		return kg.Registry{}, fmt.Errorf("registry %s: %w", path, err)
	}
	return reg, nil
}

type fileCluster struct {
	ID          string   `yaml:"id"`
	Name        string   `yaml:"name"`
	Aliases     []string `yaml:"aliases,omitempty"`
	County      string   `yaml:"county,omitempty"`
	Town        string   `yaml:"town,omitempty"`
	Description string   `yaml:"description,omitempty"`
	Sites       []string `yaml:"sites"`
}

type fileSource struct {
	ID    string   `yaml:"id"`
	Name  string   `yaml:"name"`
	Sites []string `yaml:"sites"`
}

type file struct {
	Clusters []fileCluster `yaml:"clusters"`
	Sources  []fileSource  `yaml:"sources"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Parse decodes and checks a registry. Unknown keys, missing or duplicate
// ids, missing names and bad URLs are errors that name the entry; all of
// them are reported together.
func Parse(data []byte) (kg.Registry, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return kg.Registry{}, errors.New("registry is empty")
		}
		return kg.Registry{}, fmt.Errorf("decoding registry: %w", err)
	}
	var errs []error
	seen := map[string]string{}
	checkID := func(where, id string) {
		switch {
		case id == "":
			errs = append(errs, fmt.Errorf("%s: missing id", where))
		case !idPattern.MatchString(id):
			errs = append(errs, fmt.Errorf("%s: id %q must be lower-case letters, digits and single hyphens", where, id))
		case seen[id] != "":
			errs = append(errs, fmt.Errorf("%s: duplicate id %q (also %s)", where, id, seen[id]))
		default:
			seen[id] = where
		}
	}
	checkSites := func(where string, sites []string) []string {
		out := make([]string, 0, len(sites))
		for _, s := range sites {
			u, err := CheckSiteURL(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", where, err))
				continue
			}
			out = append(out, u)
		}
		return out
	}
	var reg kg.Registry
	for i, c := range f.Clusters {
		where := fmt.Sprintf("clusters[%d]", i)
		if c.ID != "" {
			where += fmt.Sprintf(" (%s)", c.ID)
		}
		checkID(where, c.ID)
		if strings.TrimSpace(c.Name) == "" {
			errs = append(errs, fmt.Errorf("%s: missing name", where))
		}
		reg.Clusters = append(reg.Clusters, kg.Cluster{
			ID: c.ID, Name: strings.TrimSpace(c.Name), Aliases: trimmed(c.Aliases), County: c.County,
			Town: c.Town, Description: c.Description, Sites: checkSites(where, c.Sites),
		})
	}
	for i, s := range f.Sources {
		where := fmt.Sprintf("sources[%d]", i)
		if s.ID != "" {
			where += fmt.Sprintf(" (%s)", s.ID)
		}
		checkID(where, s.ID)
		if strings.TrimSpace(s.Name) == "" {
			errs = append(errs, fmt.Errorf("%s: missing name", where))
		}
		if len(s.Sites) == 0 {
			errs = append(errs, fmt.Errorf("%s: a source needs at least one site", where))
		}
		reg.Sources = append(reg.Sources, kg.Source{ID: s.ID, Name: strings.TrimSpace(s.Name), Sites: checkSites(where, s.Sites)})
	}
	if len(reg.Clusters) == 0 {
		errs = append(errs, errors.New("registry lists no clusters"))
	}
	if err := errors.Join(errs...); err != nil {
		return kg.Registry{}, err
	}
	return reg, nil
}

// CheckSiteURL checks that s is an absolute http or https URL with a host
// and no credentials, and returns it with a path of at least "/".
func CheckSiteURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("site %q is not a URL: %w", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("site %q must start with http:// or https://", s)
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", fmt.Errorf("site %q has no host", s)
	}
	if u.User != nil {
		return "", fmt.Errorf("site %q must not carry credentials", s)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	u.Fragment = ""
	return u.String(), nil
}

// Marshal writes a registry back as YAML in the format Parse reads.
func Marshal(reg kg.Registry) ([]byte, error) {
	var f file
	for _, c := range reg.Clusters {
		f.Clusters = append(f.Clusters, fileCluster{ID: c.ID, Name: c.Name, Aliases: c.Aliases, County: c.County,
			Town: c.Town, Description: c.Description, Sites: nonNil(c.Sites)})
	}
	for _, s := range reg.Sources {
		f.Sources = append(f.Sources, fileSource{ID: s.ID, Name: s.Name, Sites: nonNil(s.Sites)})
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("encoding registry: %w", err)
	}
	return buf.Bytes(), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// trimmed returns the non-blank items of list, trimmed, or nil if none.
func trimmed(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
