package query

import (
	"context"
	"fmt"
	"sort"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// CountyCount is what the graph holds for one county.
type CountyCount struct {
	County
	Known     bool  // whether Counties has its centre
	Clusters  []Ref // clusters in the county (working on the topic, if one is asked for)
	Documents int   // documents that mention those clusters
}

// CountyMap counts the clusters (and their documents) in every county,
// every one of Sweden's counties included even when it has none, in
// Counties order followed by any other county the registry names. With a
// topic it counts only the clusters that work on it. Returns ENOTFOUND for
// an unknown topic.
func (e *Engine) CountyMap(ctx context.Context, topic string) ([]CountyCount, error) {
	s, err := e.load(ctx, []string{kg.LabelCluster, kg.LabelTopic, kg.LabelCounty, kg.LabelDocument},
		[]string{kg.RelWorksOn, kg.RelMentions})
	if err != nil {
		return nil, fmt.Errorf("counting clusters by county: %w", err)
	}
	topicID := ""
	if topic != "" {
		tn, err := findTopic(s, topic)
		if err != nil {
			return nil, err
		}
		topicID = tn.ID
	}
	byName := map[string]*CountyCount{}
	var out []*CountyCount
	add := func(c County, known bool) *CountyCount {
		if cc, ok := byName[c.Name]; ok {
			return cc
		}
		cc := &CountyCount{County: c, Known: known}
		byName[c.Name] = cc
		out = append(out, cc)
		return cc
	}
	for _, c := range Counties {
		add(c, true)
	}
	for _, n := range s.byLabel[kg.LabelCounty] {
		add(County{Name: n.Name}, false)
	}
	for _, c := range s.byLabel[kg.LabelCluster] {
		name := c.Props[kg.PropCounty]
		if name == "" || (topicID != "" && !s.hasRel(c.ID, kg.RelWorksOn, topicID)) {
			continue
		}
		cc := add(County{Name: name}, false)
		cc.Clusters = append(cc.Clusters, refOf(c))
		cc.Documents += len(s.inFrom(c.ID, kg.RelMentions, kg.LabelDocument))
	}
	res := make([]CountyCount, len(out))
	for i, cc := range out {
		sortRefs(cc.Clusters)
		res[i] = *cc
	}
	return res, nil
}

// HeatMap is the weight of every cluster's work on every topic.
type HeatMap struct {
	Topics   []kg.Topic  // vocabulary order, only topics some cluster works on
	Clusters []Ref       // by name
	Weights  [][]float64 // Weights[topic][cluster]
	Max      float64     // the largest weight
}

// HeatMap returns the topic × cluster matrix of WORKS_ON weights.
func (e *Engine) HeatMap(ctx context.Context) (HeatMap, error) {
	s, err := e.load(ctx, []string{kg.LabelCluster, kg.LabelTopic}, []string{kg.RelWorksOn})
	if err != nil {
		return HeatMap{}, fmt.Errorf("building the heat map: %w", err)
	}
	var hm HeatMap
	col := map[string]int{}
	for _, c := range s.byLabel[kg.LabelCluster] {
		hm.Clusters = append(hm.Clusters, refOf(c))
	}
	sortRefs(hm.Clusters)
	for i, c := range hm.Clusters {
		col[c.NodeID] = i
	}
	topics := s.byLabel[kg.LabelTopic]
	sort.SliceStable(topics, func(i, j int) bool { return topicOrder(topics[i]) < topicOrder(topics[j]) })
	for _, t := range topics {
		row := make([]float64, len(hm.Clusters))
		any := false
		for _, r := range s.inFrom(t.ID, kg.RelWorksOn, kg.LabelCluster) {
			row[col[r.From]] = r.Weight
			any = any || r.Weight > 0
			hm.Max = max(hm.Max, r.Weight)
		}
		if any {
			hm.Topics = append(hm.Topics, topicOf(t))
			hm.Weights = append(hm.Weights, row)
		}
	}
	return hm, nil
}

// Gaps shows, for every topic, how many clusters work on it in each
// county that has clusters.
type Gaps struct {
	Counties []string   // counties with at least one cluster, in Counties order then by name
	Empty    []string   // counties of Sweden with no cluster at all
	Topics   []GapTopic // vocabulary order
}

// GapTopic is one topic's clusters per county.
type GapTopic struct {
	Topic  kg.Topic
	Counts []int // per Gaps.Counties
	Total  int   // clusters on the topic
	Gaps   int   // counties (of Gaps.Counties) with no cluster on the topic
}

// Gaps returns the topic × county counts of clusters.
func (e *Engine) Gaps(ctx context.Context) (Gaps, error) {
	s, err := e.load(ctx, []string{kg.LabelCluster, kg.LabelTopic}, []string{kg.RelWorksOn})
	if err != nil {
		return Gaps{}, fmt.Errorf("finding gaps: %w", err)
	}
	has := map[string]bool{}
	for _, c := range s.byLabel[kg.LabelCluster] {
		if name := c.Props[kg.PropCounty]; name != "" {
			has[name] = true
		}
	}
	var g Gaps
	listed := map[string]bool{}
	for _, c := range Counties {
		listed[c.Name] = true
		if has[c.Name] {
			g.Counties = append(g.Counties, c.Name)
		} else {
			g.Empty = append(g.Empty, c.Name)
		}
	}
	var other []string
	for name := range has {
		if !listed[name] {
			other = append(other, name)
		}
	}
	sort.Strings(other)
	g.Counties = append(g.Counties, other...)
	col := map[string]int{}
	for i, name := range g.Counties {
		col[name] = i
	}
	topics := s.byLabel[kg.LabelTopic]
	sort.SliceStable(topics, func(i, j int) bool { return topicOrder(topics[i]) < topicOrder(topics[j]) })
	for _, t := range topics {
		gt := GapTopic{Topic: topicOf(t), Counts: make([]int, len(g.Counties))}
		for _, r := range s.inFrom(t.ID, kg.RelWorksOn, kg.LabelCluster) {
			gt.Total++
			if county := s.nodes[r.From].Props[kg.PropCounty]; county != "" {
				gt.Counts[col[county]]++
			}
		}
		for _, n := range gt.Counts {
			if n == 0 {
				gt.Gaps++
			}
		}
		g.Topics = append(g.Topics, gt)
	}
	return g, nil
}
