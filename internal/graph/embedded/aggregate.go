package embedded

import (
	"maps"
	"sync"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// edgeKey identifies a merged relationship.
type edgeKey struct {
	From, Rel, To string
}

// source is what the aggregate remembers of one stored fact set.
type source struct {
	hash  string
	seq   uint64
	nodes []string  // ids of the nodes it declares, without repeats
	edges []edgeKey // the relationships it asserts, without repeats
}

// declaration is one fact set's version of a node.
type declaration struct {
	seq  uint64
	node kg.Node
}

// nodeState is a node with every declaration of it and the one that wins.
type nodeState struct {
	decls map[string]declaration // by source id
	node  kg.Node                // the winning declaration
}

// edgeState is a merged relationship: the snippet each asserting source
// gave for it, and its weight.
type edgeState struct {
	snippets map[string]string            // by source id
	props    map[string]map[string]string // by source id; only sources that gave props
	weight   float64                      // kg.EvidenceWeight of its evidence
	docs     int                          // documents among its evidence
	latest   map[string]string            // props of the source written last, if it gave any
}

// aggregate is the graph as the union of all stored fact sets. It is not
// safe for concurrent use; Store guards it.
type aggregate struct {
	sources map[string]*source
	nodes   map[string]*nodeState
	edges   map[edgeKey]*edgeState
	out     map[string]map[edgeKey]struct{} // edges by From
	in      map[string]map[edgeKey]struct{} // edges by To
	byRel   map[string]map[edgeKey]struct{} // edges by type
	byLabel map[string]map[string]struct{}  // node ids by label

	// gen counts the changes of the graph. coMentions and summaries hold
	// the answers of CoMentions and RelationshipSummaries made at
	// generation cacheGen, by their arguments. Readers share the
	// aggregate, so cacheMu guards the answers.
	gen        uint64
	cacheMu    sync.Mutex
	cacheGen   uint64
	coMentions map[[2]string][]kg.CoMention
	summaries  map[string][]kg.RelationshipSummary

	// dirty holds the edges whose weight may have changed during the
	// current replace or retract.
	dirty map[edgeKey]struct{}
}

func newAggregate() *aggregate {
	return &aggregate{
		sources: map[string]*source{},
		nodes:   map[string]*nodeState{},
		edges:   map[edgeKey]*edgeState{},
		out:     map[string]map[edgeKey]struct{}{},
		in:      map[string]map[edgeKey]struct{}{},
		byRel:   map[string]map[edgeKey]struct{}{},
		byLabel: map[string]map[string]struct{}{},
		dirty:   map[edgeKey]struct{}{},
	}
}

// replace makes fs, written with sequence number seq, the fact set of its
// source. Within fs, the last declaration of a node and the first snippet
// of an edge count.
func (a *aggregate) replace(fs kg.FactSet, seq uint64) {
	a.remove(fs.SourceID)
	a.add(fs, seq)
	a.reweigh()
}

// load adds fs as replace does but leaves the weights to a later reweigh,
// so that loading many fact sets computes each weight once.
func (a *aggregate) load(fs kg.FactSet, seq uint64) {
	a.remove(fs.SourceID)
	a.add(fs, seq)
}

// retract removes every fact of sourceID and reports whether there were any.
func (a *aggregate) retract(sourceID string) bool {
	ok := a.remove(sourceID)
	a.reweigh()
	return ok
}

func (a *aggregate) add(fs kg.FactSet, seq uint64) {
	src := &source{hash: fs.Hash, seq: seq}
	a.sources[fs.SourceID] = src

	declared := map[string]kg.Node{}
	for _, n := range fs.Nodes {
		if _, ok := declared[n.ID]; !ok {
			src.nodes = append(src.nodes, n.ID)
		}
		declared[n.ID] = n
	}
	for _, id := range src.nodes {
		n := declared[id]
		n.Props = maps.Clone(n.Props)
		ns := a.nodes[id]
		if ns == nil {
			ns = &nodeState{decls: map[string]declaration{}}
			a.nodes[id] = ns
		}
		ns.decls[fs.SourceID] = declaration{seq: seq, node: n}
		a.relabel(id, ns.node.Label, ns.elect)
		a.touchNode(id)
	}

	for _, e := range fs.Edges {
		k := edgeKey{From: e.From, Rel: e.Rel, To: e.To}
		es := a.edges[k]
		if es == nil {
			es = &edgeState{snippets: map[string]string{}}
			a.edges[k] = es
			index(a.out, k.From, k)
			index(a.in, k.To, k)
			index(a.byRel, k.Rel, k)
		}
		if _, ok := es.snippets[fs.SourceID]; ok {
			continue
		}
		es.snippets[fs.SourceID] = e.Snippet
		if len(e.Props) > 0 {
			if es.props == nil {
				es.props = map[string]map[string]string{}
			}
			es.props[fs.SourceID] = maps.Clone(e.Props)
		}
		src.edges = append(src.edges, k)
		a.dirty[k] = struct{}{}
	}
}

func (a *aggregate) remove(sourceID string) bool {
	src, ok := a.sources[sourceID]
	if !ok {
		return false
	}
	delete(a.sources, sourceID)
	for _, id := range src.nodes {
		ns := a.nodes[id]
		delete(ns.decls, sourceID)
		if len(ns.decls) == 0 {
			delete(a.nodes, id)
			unlabel(a.byLabel, ns.node.Label, id)
		} else {
			a.relabel(id, ns.node.Label, ns.elect)
		}
		a.touchNode(id)
	}
	for _, k := range src.edges {
		es := a.edges[k]
		delete(es.snippets, sourceID)
		delete(es.props, sourceID)
		if len(es.snippets) == 0 {
			delete(a.edges, k)
			unindex(a.out, k.From, k)
			unindex(a.in, k.To, k)
			unindex(a.byRel, k.Rel, k)
		}
		a.dirty[k] = struct{}{}
	}
	return true
}

// touchNode marks dirty the edges asserted by the source whose id is the
// node id: their evidence comes from that node.
func (a *aggregate) touchNode(id string) {
	if src, ok := a.sources[id]; ok {
		for _, k := range src.edges {
			a.dirty[k] = struct{}{}
		}
	}
}

// relabel runs elect, which may change the label of the node id from
// old, and keeps the label index up to date.
func (a *aggregate) relabel(id, old string, elect func()) {
	elect()
	if l := a.nodes[id].node.Label; l != old || old == "" {
		unlabel(a.byLabel, old, id)
		set := a.byLabel[l]
		if set == nil {
			set = map[string]struct{}{}
			a.byLabel[l] = set
		}
		set[id] = struct{}{}
	}
}

func unlabel(idx map[string]map[string]struct{}, label, id string) {
	if set := idx[label]; set != nil {
		delete(set, id)
		if len(set) == 0 {
			delete(idx, label)
		}
	}
}

// reweigh recomputes the weight and the document count of every dirty
// edge, and counts a change of the graph.
func (a *aggregate) reweigh() {
	a.gen++
	for k := range a.dirty {
		if es, ok := a.edges[k]; ok {
			es.weight, es.docs = a.weight(k)
			es.latest = a.latestProps(k)
		}
		delete(a.dirty, k)
	}
}

// elect computes the node as reads show it: the registry's declaration if
// the registry declares the node; else the label and name of the
// declaration written last, with the properties of every declaration
// merged in write order, so that a later non-empty value overrides an
// earlier one and an empty value never erases a key.
func (ns *nodeState) elect() {
	if d, ok := ns.decls[kg.RegistrySource]; ok {
		ns.node = d.node
		return
	}
	var best declaration
	for _, d := range ns.decls {
		if d.seq >= best.seq {
			best = d
		}
	}
	ns.node = best.node
	ns.node.Props = mergeProps(ns.decls)
}

// mergeProps merges the properties of decls: for every key, the value of
// the declaration written last that gives it a non-empty value, else an
// empty value if some declaration has the key.
func mergeProps(decls map[string]declaration) map[string]string {
	type value struct {
		seq uint64
		v   string
	}
	best := map[string]value{}
	for _, d := range decls {
		for k, v := range d.node.Props {
			cur, ok := best[k]
			switch {
			case !ok:
				best[k] = value{seq: d.seq, v: v}
			case v == "":
			case cur.v == "" || d.seq > cur.seq:
				best[k] = value{seq: d.seq, v: v}
			}
		}
	}
	if len(best) == 0 {
		return nil
	}
	out := make(map[string]string, len(best))
	for k, v := range best {
		out[k] = v.v
	}
	return out
}

func index(idx map[string]map[edgeKey]struct{}, id string, k edgeKey) {
	set := idx[id]
	if set == nil {
		set = map[edgeKey]struct{}{}
		idx[id] = set
	}
	set[k] = struct{}{}
}

func unindex(idx map[string]map[edgeKey]struct{}, id string, k edgeKey) {
	set := idx[id]
	delete(set, k)
	if len(set) == 0 {
		delete(idx, id)
	}
}

// node returns the winning version of the node id, if any source declares it.
func (a *aggregate) node(id string) (kg.Node, bool) {
	ns, ok := a.nodes[id]
	if !ok {
		return kg.Node{}, false
	}
	return ns.node, true
}

// visible reports whether both ends of k exist.
func (a *aggregate) visible(k edgeKey) bool {
	_, from := a.nodes[k.From]
	_, to := a.nodes[k.To]
	return from && to
}
