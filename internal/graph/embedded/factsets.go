package embedded

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// FactSets calls fn with every stored fact set, in the order they were
// written (oldest first), so that writing them in that order into another
// store gives the same graph. The fact sets are those of one consistent
// snapshot of the file; fn must not write to this store, which waits for
// FactSets to return. FactSets stops at the first error of fn, which it
// returns, or when ctx is done.
func (s *Store) FactSets(ctx context.Context, fn func(kg.FactSet) error) error {
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return fmt.Errorf("listing fact sets: %w", errClosed)
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(factsBucket)
		type entry struct {
			seq uint64
			key []byte
		}
		var order []entry
		err := b.ForEach(func(k, v []byte) error {
			var rec struct {
				Seq uint64 `json:"seq"`
			}
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decoding fact set of %q: %w", k, err)
			}
			order = append(order, entry{seq: rec.Seq, key: k})
			return nil
		})
		if err != nil {
			return err
		}
		slices.SortFunc(order, func(a, b entry) int { return cmp.Compare(a.seq, b.seq) })
		for _, e := range order {
			if err := ctx.Err(); err != nil {
				return err
			}
			var rec record
			if err := json.Unmarshal(b.Get(e.key), &rec); err != nil {
				return fmt.Errorf("decoding fact set of %q: %w", e.key, err)
			}
			if err := fn(rec.Facts); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("listing fact sets: %w", err)
	}
	return nil
}
