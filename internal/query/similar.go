package query

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Similar is a cluster whose topic profile resembles another's.
type Similar struct {
	Ref
	County string
	Score  float64    // cosine similarity of the topic profiles, 0..1, rounded to three decimals
	Shared []kg.Topic // topics both work on, strongest in common first
}

// SimilarClusters ranks the other clusters by the cosine similarity of
// their topic profiles (the weights of their WORKS_ON relationships) to
// the cluster id's, most similar first (ties by id), leaving out those
// with nothing in common. limit 0 returns all. Returns ENOTFOUND for an
// unknown cluster.
func (e *Engine) SimilarClusters(ctx context.Context, id string, limit int) ([]Similar, error) {
	s, err := e.load(ctx, []string{kg.LabelCluster, kg.LabelTopic}, []string{kg.RelWorksOn})
	if err != nil {
		return nil, fmt.Errorf("finding clusters similar to %q: %w", id, err)
	}
	cn, err := findCluster(s, id)
	if err != nil {
		return nil, err
	}
	profile := func(cluster string) map[string]float64 {
		p := map[string]float64{}
		for _, r := range s.outTo(cluster, kg.RelWorksOn, kg.LabelTopic) {
			p[r.To] = r.Weight
		}
		return p
	}
	mine := profile(cn.ID)
	out := []Similar{}
	for _, other := range s.byLabel[kg.LabelCluster] {
		if other.ID == cn.ID {
			continue
		}
		theirs := profile(other.ID)
		score := cosine(mine, theirs)
		if score <= 0 {
			continue
		}
		sim := Similar{Ref: refOf(other), County: other.Props[kg.PropCounty], Score: math.Round(score*1000) / 1000}
		type shared struct {
			id string
			w  float64
		}
		var common []shared
		for t, w := range mine {
			if w2, ok := theirs[t]; ok && w > 0 && w2 > 0 {
				common = append(common, shared{t, math.Min(w, w2)})
			}
		}
		sort.Slice(common, func(i, j int) bool {
			if common[i].w != common[j].w {
				return common[i].w > common[j].w
			}
			return common[i].id < common[j].id
		})
		for _, c := range common {
			sim.Shared = append(sim.Shared, topicOf(s.nodes[c.id]))
		}
		out = append(out, sim)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].NodeID < out[j].NodeID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// cosine is the cosine similarity of two sparse vectors; 0 if either is
// zero.
func cosine(a, b map[string]float64) float64 {
	var dot, na, nb float64
	for k, x := range a {
		na += x * x
		dot += x * b[k]
	}
	for _, y := range b {
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / (math.Sqrt(na) * math.Sqrt(nb))
}
