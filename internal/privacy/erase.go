package privacy

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Eraser removes people from the graph and the index and keeps them out.
type Eraser struct {
	Graph  kg.GraphStore // the graph as stored, not filtered; required
	Index  kg.Searcher   // the index as stored, not filtered; required
	List   *List         // required
	Logger *slog.Logger  // nil discards
}

// Erasure names the person to erase. Name, Emails and Phones add to what
// the graph knows about the person; they are needed for someone the graph
// does not hold (yet), and help find pages that name them.
type Erasure struct {
	PersonID string
	Name     string
	Emails   []string
	Phones   []string
}

// Result is what an erasure did.
type Result struct {
	PersonID string `json:"id"`
	// NewSuppression is false if the person was already suppressed with
	// the same details.
	NewSuppression bool `json:"new_suppression"`
	// Found is true if the graph held the person.
	Found bool `json:"found"`
	// Documents are the ids of the documents retracted from the graph and
	// deleted from the index; the next crawl writes them again, redacted.
	Documents []string `json:"documents"`
	// Remaining is true if the person's node is still in the graph after
	// the retraction: some source that declares it was not found.
	Remaining bool `json:"remaining"`
}

// maxSearchPages bounds the index pages read when looking for documents
// that name the person.
const maxSearchPages = 50

// Erase records the suppression of the person, then retracts from the
// graph and deletes from the index every document that links to the person
// or names them (by name or e-mail address). Returns EINVALID for a
// malformed id or contact detail.
//
// The suppression is recorded first, so a crawl running at the same time
// writes the documents redacted, and an erasure interrupted half-way is
// finished by calling Erase again.
func (e *Eraser) Erase(ctx context.Context, req Erasure) (Result, error) {
	logger := e.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := ValidPersonID(req.PersonID); err != nil {
		return Result{}, err
	}
	res := Result{PersonID: req.PersonID, Documents: []string{}}
	explorer, _ := e.Graph.(kg.GraphExplorer)
	p := Person{ID: req.PersonID, Name: req.Name, Emails: req.Emails, Phones: req.Phones}
	var names []string
	if req.Name != "" {
		names = append(names, req.Name)
	}
	if explorer != nil {
		n, err := explorer.Node(ctx, req.PersonID)
		switch {
		case err == nil:
			res.Found = true
			if n.Name != "" {
				names = append(names, n.Name)
			}
			emails, phones := contactProps(n.Props)
			p.Emails = append(p.Emails, emails...)
			p.Phones = append(p.Phones, phones...)
		case kg.ErrorCode(err) != kg.ENOTFOUND:
			return res, fmt.Errorf("reading person %s: %w", req.PersonID, err)
		}
	}
	// Each name is recorded; the first Add creates the entry.
	if len(names) == 0 {
		names = []string{""}
	}
	for i, name := range names {
		p.Name = name
		if i > 0 {
			p.Emails, p.Phones = nil, nil
		}
		added, err := e.List.Add(ctx, p)
		if err != nil {
			return res, fmt.Errorf("suppressing %s: %w", req.PersonID, err)
		}
		res.NewSuppression = res.NewSuppression || added
	}

	docs := map[string]bool{}
	if explorer != nil {
		for _, f := range []kg.RelFilter{{From: req.PersonID}, {To: req.PersonID}} {
			rels, err := explorer.Relationships(ctx, f)
			if err != nil {
				return res, fmt.Errorf("reading relationships of %s: %w", req.PersonID, err)
			}
			for _, r := range rels {
				for _, ev := range r.Evidence {
					docs[ev.DocumentID] = true
				}
				// A document's own MENTIONS edge has no evidence of itself
				// when the document is its source.
				if r.From != req.PersonID && strings.HasPrefix(r.From, "doc:") {
					docs[r.From] = true
				}
			}
		}
	}
	var phrases []string
	for _, n := range names {
		if w := strings.Fields(strings.ReplaceAll(n, `"`, " ")); len(w) >= minNameWords {
			phrases = append(phrases, `"`+strings.Join(w, " ")+`"`)
		}
	}
	for _, s := range append(append([]string(nil), req.Emails...), p.Emails...) {
		if n := normEmail(s); n != "" {
			phrases = append(phrases, `"`+n+`"`)
		}
	}
	for _, q := range phrases {
		if err := e.searchAll(ctx, q, docs); err != nil {
			return res, err
		}
	}

	ids := make([]string, 0, len(docs))
	for id := range docs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if _, err := e.Graph.RetractFacts(ctx, id); err != nil {
			return res, fmt.Errorf("retracting %s: %w", id, err)
		}
	}
	if err := e.Index.Delete(ctx, ids); err != nil {
		return res, fmt.Errorf("deleting %d documents from the index: %w", len(ids), err)
	}
	res.Documents = ids
	if explorer != nil {
		_, err := explorer.Node(ctx, req.PersonID)
		switch {
		case err == nil:
			res.Remaining = true
			logger.WarnContext(ctx, "erased person is still declared by a source that was not found", "documents", len(ids))
		case kg.ErrorCode(err) != kg.ENOTFOUND:
			return res, fmt.Errorf("checking person %s: %w", req.PersonID, err)
		}
	}
	logger.InfoContext(ctx, "person erased", "documents", len(ids), "found", res.Found, "new_suppression", res.NewSuppression)
	return res, nil
}

// searchAll adds to docs the ids of every document the index finds for q.
func (e *Eraser) searchAll(ctx context.Context, q string, docs map[string]bool) error {
	for page := 1; page <= maxSearchPages; page++ {
		req := kg.SearchRequest{Query: q, Page: page, Size: kg.MaxPageSize}
		if err := req.Validate(); err != nil {
			return nil // a phrase too long to search cannot be in the index as one
		}
		res, err := e.Index.Search(ctx, req)
		if err != nil {
			return fmt.Errorf("searching the index for the person: %w", err)
		}
		for _, h := range res.Hits {
			docs[h.ID] = true
		}
		if len(res.Hits) < kg.MaxPageSize || uint64(page*kg.MaxPageSize) >= res.Total {
			return nil
		}
	}
	return nil
}

// contactProps picks e-mail addresses and phone numbers out of a node's
// properties.
func contactProps(props map[string]string) (emails, phones []string) {
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := props[k]
		lk := strings.ToLower(k)
		switch {
		case normEmail(v) != "":
			emails = append(emails, v)
		case (strings.Contains(lk, "phone") || strings.Contains(lk, "telefon") || strings.Contains(lk, "tel")) && normPhone(v) != "":
			phones = append(phones, v)
		}
	}
	return emails, phones
}
