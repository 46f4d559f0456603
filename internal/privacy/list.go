package privacy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// FileName is the name of the suppression list in the data directory.
const FileName = "suppressions.json"

// fileVersion is the layout of the file; Open refuses any other.
const fileVersion = 1

// Person is someone to suppress, as the caller knows them. Only hashes of
// these values are stored.
type Person struct {
	ID     string   // graph id, e.g. "person:anna-oberg@agrovast"
	Name   string   // full name; if empty, the words of the id's name part
	Emails []string // addresses to redact wherever they appear
	Phones []string // numbers to redact wherever they appear
}

// entry is one suppression as stored: hashes only.
type entry struct {
	ID     string    `json:"id"`
	Names  []nameSum `json:"names,omitempty"`
	Emails []string  `json:"emails,omitempty"`
	Phones []string  `json:"phones,omitempty"`
	Added  time.Time `json:"added"`
}

// nameSum is the hash of a name and its number of words, which the
// matcher needs to compare it with runs of words in text.
type nameSum struct {
	Hash  string `json:"hash"`
	Words int    `json:"words"`
}

// file is the JSON document on disk.
type file struct {
	Version      int     `json:"version"`
	Suppressions []entry `json:"suppressions"`
}

// List is the suppression list. It is safe for concurrent use.
type List struct {
	path string
	now  func() time.Time

	// writes is held for reading by every filtered write and for writing
	// by Add, so that a write that began before a suppression was added
	// has finished (and can be found and retracted) when Add returns, and
	// every later write sees the suppression.
	writes sync.RWMutex

	mu      sync.Mutex // guards entries and the file
	entries []entry
	match   atomic.Pointer[matcher]
}

// Open reads the suppression list at path, or starts an empty one if the
// file does not exist yet. The file is written on the first Add.
func Open(path string) (*List, error) {
	l := &List{path: path, now: time.Now}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("reading suppression list: %w", err)
	default:
		var f file
		if err := json.Unmarshal(data, &f); err != nil {
			return nil, fmt.Errorf("reading suppression list %s: %w", path, err)
		}
		if f.Version != fileVersion {
			return nil, fmt.Errorf("suppression list %s has version %d; this program reads version %d", path, f.Version, fileVersion)
		}
		l.entries = f.Suppressions
	}
	l.match.Store(newMatcher(l.entries))
	return l, nil
}

// Path returns the file the list is kept in.
func (l *List) Path() string { return l.path }

// Len returns how many people are suppressed.
func (l *List) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

// Suppressed reports whether the graph id is suppressed.
func (l *List) Suppressed(id string) bool { return l.match.Load().id(id) }

// Redact returns text with every suppressed name, e-mail address and phone
// number replaced by Redacted.
func (l *List) Redact(text string) string { return l.match.Load().redact(text) }

// ValidPersonID checks that id has the shape of kg.PersonNodeID: "person:",
// a name slug, "@" and an organisation slug (which may be empty).
func ValidPersonID(id string) error {
	rest, ok := strings.CutPrefix(id, "person:")
	if !ok {
		return kg.Errorf(kg.EINVALID, "a person id starts with \"person:\"")
	}
	if len(id) > 300 {
		return kg.Errorf(kg.EINVALID, "a person id has at most 300 bytes")
	}
	name, org, ok := strings.Cut(rest, "@")
	if !ok || name == "" {
		return kg.Errorf(kg.EINVALID, "a person id has the form person:<name>@<organisation>")
	}
	if kg.Slug(name) != name || (org != "" && kg.Slug(org) != org) {
		return kg.Errorf(kg.EINVALID, "a person id has only lower-case letters a-z, digits and hyphens around the @")
	}
	return nil
}

// Add suppresses p and persists the list. Adding an id again merges the
// new name, e-mails and phones into its entry; added is false if nothing
// new was recorded. Returns EINVALID for a malformed id, e-mail address
// or phone number. Add waits for filtered writes in progress to finish.
func (l *List) Add(ctx context.Context, p Person) (added bool, err error) {
	if err := ValidPersonID(p.ID); err != nil {
		return false, err
	}
	e := entry{ID: hashOf(kindID, p.ID)}
	name := p.Name
	if name == "" {
		name, _, _ = strings.Cut(strings.TrimPrefix(p.ID, "person:"), "@")
	}
	if w := nameWords(name); len(w) >= minNameWords {
		e.Names = append(e.Names, nameSum{Hash: hashOf(kindName, strings.Join(w, " ")), Words: len(w)})
	}
	for _, s := range p.Emails {
		n := normEmail(s)
		if n == "" {
			return false, kg.Errorf(kg.EINVALID, "%q is not an e-mail address", truncate(s, 80))
		}
		e.Emails = append(e.Emails, hashOf(kindEmail, n))
	}
	for _, s := range p.Phones {
		n := normPhone(s)
		if n == "" {
			return false, kg.Errorf(kg.EINVALID, "%q is not a phone number", truncate(s, 80))
		}
		e.Phones = append(e.Phones, hashOf(kindPhone, n))
	}
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("adding suppression: %w", err)
	}

	l.writes.Lock()
	defer l.writes.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	entries := slices.Clone(l.entries)
	i := slices.IndexFunc(entries, func(x entry) bool { return x.ID == e.ID })
	if i < 0 {
		e.Added = l.now().UTC()
		entries = append(entries, e)
		added = true
	} else {
		old := entries[i]
		merged := old
		merged.Names = mergeNames(old.Names, e.Names)
		merged.Emails = mergeStrings(old.Emails, e.Emails)
		merged.Phones = mergeStrings(old.Phones, e.Phones)
		added = len(merged.Names) != len(old.Names) || len(merged.Emails) != len(old.Emails) || len(merged.Phones) != len(old.Phones)
		entries[i] = merged
	}
	if !added {
		return false, nil
	}
	if err := l.save(entries); err != nil {
		return false, err
	}
	l.entries = entries
	l.match.Store(newMatcher(entries))
	return true, nil
}

// mergeNames returns a with the names of b it lacks.
func mergeNames(a, b []nameSum) []nameSum {
	out := slices.Clone(a)
	for _, n := range b {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// mergeStrings returns a with the values of b it lacks.
func mergeStrings(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// save writes entries to the file: to a temporary file first, synced, then
// renamed over the old one, so a crash leaves the old list or the new.
func (l *List) save(entries []entry) error {
	data, err := json.MarshalIndent(file{Version: fileVersion, Suppressions: entries}, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding suppression list: %w", err)
	}
	dir := filepath.Dir(l.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating directory of suppression list: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".suppressions-*.json")
	if err != nil {
		return fmt.Errorf("writing suppression list: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("writing suppression list: %w", err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("writing suppression list: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("syncing suppression list: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing suppression list: %w", err)
	}
	if err := os.Rename(tmp.Name(), l.path); err != nil {
		return fmt.Errorf("replacing suppression list: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// truncate shortens s to at most n bytes for messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
