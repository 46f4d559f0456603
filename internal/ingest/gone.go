package ingest

import (
	"context"
	"fmt"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

var _ kg.GoneSink = (*Pipeline)(nil)

// HandleGone implements kg.GoneSink: the document stored under url (its
// canonical URL, as extraction named it) is deleted from the index and its
// facts are retracted from the graph, in that order, so that a crash in
// between leaves the graph's facts for a retry to find. A version of the
// document still waiting to be written is dropped. Retracting a document
// that is not stored does nothing.
func (p *Pipeline) HandleGone(ctx context.Context, url string, status int) error {
	id := kg.DocumentID(url)
	p.mu.Lock()
	kept := p.pending[:0]
	for _, d := range p.pending {
		if d.ID != id {
			kept = append(kept, d)
		}
	}
	p.pending = kept
	p.mu.Unlock()
	if err := p.index.Delete(ctx, []string{id}); err != nil {
		return fmt.Errorf("deleting gone document %s (status %d) from index: %w", url, status, err)
	}
	removed, err := p.graph.RetractFacts(ctx, id)
	if err != nil {
		return fmt.Errorf("retracting facts of gone document %s (status %d): %w", url, status, err)
	}
	if removed {
		p.mu.Lock()
		p.stats.Gone++
		p.mu.Unlock()
		p.logger.Info("document retracted", "url", url, "status", status)
	}
	return nil
}
