package query

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Partner finder scoring. A candidate's strength is the weight of its
// documents on the topic (kg.EvidenceWeight) plus ProjectWeight for each
// project and EventWeight for each event on the topic it takes part in or
// organises. Its score is the strength times a recency factor between
// 0.5 and 1 that halves its excess every RecencyHalfLife since the newest
// evidence; candidates with no dated evidence get the factor 0.5.
const (
	ProjectWeight   = 3.0
	EventWeight     = 2.0
	RecencyHalfLife = 2 * 365 * 24 * time.Hour
)

// PartnerRequest asks for partners on a topic, for a cluster or for
// anyone.
type PartnerRequest struct {
	Topic   string // topic id; required
	Cluster string // the asking cluster's id; empty ranks everyone
	Kind    string // KindCluster or KindOrganisation to rank only those; empty for both
	Limit   int    // at most this many partners; 0 for all
}

// PartnerResult is the ranked list of partners.
type PartnerResult struct {
	Topic    kg.Topic
	Asking   *Ref // the asking cluster, if any
	Partners []Partner
}

// Partner is a cluster or organisation that works on the topic.
type Partner struct {
	Ref
	County       string
	Score        float64 // strength times recency, rounded to two decimals
	Strength     float64 // documents' weight plus projects and events
	Documents    int     // documents that show the work on the topic
	Projects     []Ref   // projects on the topic it takes part in
	Events       []Ref   // events on the topic it organises
	Newest       time.Time
	Evidence     []kg.Evidence // all evidence, strongest first
	Collaborates bool          // whether it already works with the asking cluster
	// Together says how it works with the asking cluster: stated
	// collaborations, joint projects and co-organised events.
	Together []Collaboration
}

// Collaboration is one sign that two actors already work together.
type Collaboration struct {
	Via      string // "stated", "project" or "event"
	With     Ref    // the project or event, or the partner for "stated"
	Evidence []kg.Evidence
}

// partnerRels are the relationship types the partner finder reads.
var partnerRels = []string{
	kg.RelWorksOn, kg.RelMentions, kg.RelAbout, kg.RelTakesPartIn, kg.RelOwnedBy,
	kg.RelFunds, kg.RelOrganisedBy, kg.RelCollaboratesWith, kg.RelLocatedIn,
}

var partnerLabels = []string{
	kg.LabelCluster, kg.LabelTopic, kg.LabelOrganisation, kg.LabelProject, kg.LabelEvent, kg.LabelDocument,
}

// Partners ranks the clusters and organisations that work on the topic by
// the strength and recency of their evidence, best first (ties by id),
// and marks who already collaborates with the asking cluster, which is
// never its own partner. Returns EINVALID without a topic and ENOTFOUND
// for an unknown topic or cluster.
func (e *Engine) Partners(ctx context.Context, req PartnerRequest) (PartnerResult, error) {
	if req.Topic == "" {
		return PartnerResult{}, kg.Errorf(kg.EINVALID, "topic is required")
	}
	if req.Kind != "" && req.Kind != KindCluster && req.Kind != KindOrganisation {
		return PartnerResult{}, kg.Errorf(kg.EINVALID, "kind must be cluster or organisation")
	}
	var s *snapshot
	var err error
	if nb, ok := e.Explorer.(kg.NeighbourhoodReader); ok {
		s, err = partnerSnapshot(ctx, nb, req.Topic, req.Cluster)
	} else {
		s, err = e.load(ctx, partnerLabels, partnerRels)
	}
	if err != nil {
		return PartnerResult{}, fmt.Errorf("finding partners: %w", err)
	}
	tn, err := findTopic(s, req.Topic)
	if err != nil {
		return PartnerResult{}, err
	}
	res := PartnerResult{Topic: topicOf(tn)}
	asking := ""
	if req.Cluster != "" {
		cn, err := findCluster(s, req.Cluster)
		if err != nil {
			return PartnerResult{}, err
		}
		r := refOf(cn)
		res.Asking, asking = &r, cn.ID
	}
	now := e.now()
	for _, id := range candidates(s, tn.ID) {
		if id == asking || s.sameEntity(id, asking) {
			continue
		}
		if req.Kind != "" && kindOfLabel[s.label(id)] != req.Kind {
			continue
		}
		p := s.partner(id, tn.ID, now)
		if p.Strength <= 0 {
			continue
		}
		if asking != "" {
			p.Together = s.together(asking, id)
			p.Collaborates = len(p.Together) > 0
		}
		res.Partners = append(res.Partners, p)
	}
	sort.Slice(res.Partners, func(i, j int) bool {
		a, b := res.Partners[i], res.Partners[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.NodeID < b.NodeID
	})
	if req.Limit > 0 && len(res.Partners) > req.Limit {
		res.Partners = res.Partners[:req.Limit]
	}
	return res, nil
}

// isActor reports whether the node can be a partner.
func (s *snapshot) isActor(id string) bool {
	l := s.label(id)
	return l == kg.LabelCluster || l == kg.LabelOrganisation
}

// candidates returns the clusters and organisations with any evidence on
// the topic: WORKS_ON it, take part in or own or fund a project about it,
// organise an event about it, or are named by a document on it.
func candidates(s *snapshot, topic string) []string {
	set := map[string]bool{}
	for _, r := range s.inFrom(topic, kg.RelWorksOn, "") {
		if s.isActor(r.From) {
			set[r.From] = true
		}
	}
	for _, r := range s.inFrom(topic, kg.RelAbout, "") {
		for _, a := range s.actorsOf(r.From) {
			set[a] = true
		}
	}
	for org := range s.namedOn(topic) {
		set[org] = true
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// actorsOf returns the clusters and organisations linked to a project (as
// participant, owner or funder) or an event (as organiser). A cluster on
// whose own site the project or event is described counts as linked too:
// clusters describe their own projects and events.
//
// The answer is computed once per snapshot; callers must not change it.
func (s *snapshot) actorsOf(id string) []string {
	if out, ok := s.actors[id]; ok {
		return out
	}
	if s.actors == nil {
		s.actors = map[string][]string{}
	}
	out := s.computeActors(id)
	s.actors[id] = out[:len(out):len(out)]
	return out
}

// computeActors is actorsOf without the memory.
func (s *snapshot) computeActors(id string) []string {
	out := s.describedBy(id)
	switch s.label(id) {
	case kg.LabelProject:
		for _, r := range s.in[id] {
			if (r.Rel == kg.RelTakesPartIn || r.Rel == kg.RelFunds) && s.isActor(r.From) {
				out = append(out, r.From)
			}
		}
		for _, r := range s.outTo(id, kg.RelOwnedBy, "") {
			if s.isActor(r.To) {
				out = append(out, r.To)
			}
		}
	case kg.LabelEvent:
		for _, r := range s.outTo(id, kg.RelOrganisedBy, "") {
			if s.isActor(r.To) {
				out = append(out, r.To)
			}
		}
	}
	return out
}

// describedBy returns the clusters whose own sites describe the node id:
// the documents that mention it, or its source URL, are on a cluster's site.
func (s *snapshot) describedBy(id string) []string {
	if s.siteCluster == nil {
		s.siteCluster = map[string]string{}
		for _, c := range s.byLabel[kg.LabelCluster] {
			for _, site := range kg.SplitList(c.Props[kg.PropSites]) {
				if u, err := url.Parse(site); err == nil && u.Host != "" {
					s.siteCluster[strings.ToLower(u.Host)] = c.ID
				}
			}
		}
	}
	var hosts []string
	for _, r := range s.inFrom(id, kg.RelMentions, kg.LabelDocument) {
		hosts = append(hosts, s.nodes[r.From].Props[kg.PropHost])
	}
	if u, err := url.Parse(s.nodes[id].Props[propSourceURL]); err == nil {
		hosts = append(hosts, u.Host)
	}
	var out []string
	for _, h := range hosts {
		if c, ok := s.siteCluster[strings.ToLower(h)]; ok && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// sameEntity reports whether the organisation node id is the cluster
// node cluster under another name, such as its legal entity ("Vreta
// Kluster AB"): its name begins with the cluster's name or an alias.
func (s *snapshot) sameEntity(id, cluster string) bool {
	org, c := s.nodes[id], s.nodes[cluster]
	if org.Label != kg.LabelOrganisation || c.Label != kg.LabelCluster {
		return false
	}
	name := kg.Slug(org.Name)
	for _, n := range append([]string{c.Name}, kg.SplitList(c.Props[kg.PropAliases])...) {
		if slug := kg.Slug(n); slug != "" && (name == slug || strings.HasPrefix(name, slug+"-")) {
			return true
		}
	}
	return false
}

// linkEvidence returns the evidence of the relationships linking actor to
// the project or event id.
func (s *snapshot) linkEvidence(actor, id string) []kg.Evidence {
	var ev [][]kg.Evidence
	for _, r := range s.out[actor] {
		if r.To == id && (r.Rel == kg.RelTakesPartIn || r.Rel == kg.RelFunds) {
			ev = append(ev, r.Evidence)
		}
	}
	for _, r := range s.in[actor] {
		if r.From == id && (r.Rel == kg.RelOwnedBy || r.Rel == kg.RelOrganisedBy) {
			ev = append(ev, r.Evidence)
		}
	}
	return mergeEvidence(ev...)
}

// partner gathers the evidence that the actor id works on the topic.
func (s *snapshot) partner(id, topic string, now time.Time) Partner {
	n := s.nodes[id]
	p := Partner{Ref: refOf(n), County: n.Props[kg.PropCounty]}
	var docs []kg.Evidence
	for _, r := range s.outTo(id, kg.RelWorksOn, "") {
		if r.To == topic {
			docs = append(docs, r.Evidence...)
		}
	}
	if n.Label == kg.LabelOrganisation {
		// An organisation has no WORKS_ON: the documents that name it and
		// the topic show its work.
		for _, doc := range s.namedOn(topic)[id] {
			docs = append(docs, s.mentionOf(doc, topic).Evidence...)
		}
	}
	docs = mergeEvidence(docs)
	all := [][]kg.Evidence{docs}
	for _, r := range s.aboutBy(topic)[id] {
		ref := refOf(s.nodes[r.From])
		switch ref.Kind {
		case KindProject:
			p.Projects = append(p.Projects, ref)
		case KindEvent:
			p.Events = append(p.Events, ref)
		}
		all = append(all, r.Evidence, s.linkEvidence(id, r.From))
	}
	sortRefs(p.Projects)
	sortRefs(p.Events)
	p.Documents = len(docs)
	if len(all) == 1 {
		// docs is merged already.
		p.Evidence = docs
	} else {
		p.Evidence = mergeEvidence(all...)
	}
	p.Newest = newest(p.Evidence)
	p.Strength = round2(kg.EvidenceWeight(docs) + ProjectWeight*float64(len(p.Projects)) + EventWeight*float64(len(p.Events)))
	p.Score = round2(p.Strength * recency(p.Newest, now))
	return p
}

// namedOn returns, by organisation, the Document nodes that mention both
// it and the topic, in id order; computed once per topic unless the
// snapshot was read with them.
func (s *snapshot) namedOn(topic string) map[string][]string {
	if s.named != nil && s.namedTopic == topic {
		return s.named
	}
	s.namedTopic = topic
	s.named = map[string][]string{}
	for _, r := range s.inFrom(topic, kg.RelMentions, kg.LabelDocument) {
		for _, m := range s.outTo(r.From, kg.RelMentions, kg.LabelOrganisation) {
			s.named[m.To] = append(s.named[m.To], r.From)
		}
	}
	return s.named
}

// aboutBy returns the ABOUT relationships to the topic by each actor of
// their source, in relationship order, computed once per topic.
func (s *snapshot) aboutBy(topic string) map[string][]kg.Relationship {
	if s.aboutActors != nil && s.aboutActorsOf == topic {
		return s.aboutActors
	}
	s.aboutActorsOf = topic
	s.aboutActors = map[string][]kg.Relationship{}
	for _, r := range s.inFrom(topic, kg.RelAbout, "") {
		for _, a := range s.actorsOf(r.From) {
			if rs := s.aboutActors[a]; len(rs) == 0 || rs[len(rs)-1].From != r.From {
				s.aboutActors[a] = append(rs, r)
			}
		}
	}
	return s.aboutActors
}

// mentionOf returns the MENTIONS relationship from the document doc to
// the topic, or nil.
func (s *snapshot) mentionOf(doc, topic string) *kg.Relationship {
	if s.topicMentions == nil || s.topicMentionsOf != topic {
		s.topicMentionsOf = topic
		s.topicMentions = map[string]*kg.Relationship{}
		for i, r := range s.in[topic] {
			if r.Rel == kg.RelMentions {
				if _, ok := s.topicMentions[r.From]; !ok {
					s.topicMentions[r.From] = &s.in[topic][i]
				}
			}
		}
	}
	return s.topicMentions[doc]
}

// recency is the factor between 0.5 and 1 for evidence last dated t.
func recency(t, now time.Time) float64 {
	if t.IsZero() {
		return 0.5
	}
	age := now.Sub(t)
	if age < 0 {
		age = 0
	}
	return 0.5 + 0.5*math.Pow(0.5, float64(age)/float64(RecencyHalfLife))
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// together returns how the actors a and b already work together: stated
// collaborations in either direction, projects both take part in, and
// events both organise.
func (s *snapshot) together(a, b string) []Collaboration {
	s.prepareTogether(a)
	var out []Collaboration
	stated := map[string][]kg.Evidence{} // by basis
	for _, r := range s.collabs[b] {
		via := r.Props[propBasis]
		if via != "project" && via != "event" {
			via = "stated"
		}
		stated[via] = append(stated[via], r.Evidence...)
	}
	for _, n := range s.joint[b] {
		via := "project"
		if n.Label == kg.LabelEvent {
			via = "event"
		}
		out = append(out, Collaboration{Via: via, With: refOf(n),
			Evidence: mergeEvidence(s.linkEvidence(a, n.ID), s.linkEvidence(b, n.ID))})
		delete(stated, via)
	}
	for _, via := range []string{"stated", "project", "event"} {
		if ev, ok := stated[via]; ok {
			out = append(out, Collaboration{Via: via, With: refOf(s.nodes[b]), Evidence: mergeEvidence(ev)})
		}
	}
	return out
}

// prepareTogether indexes, once per actor a, what together(a, b) reads
// for every b: a's stated collaborations in either direction, by the other
// end, in relationship order; and the projects, then events, that a is an
// actor of, in id order, by each of their other actors.
func (s *snapshot) prepareTogether(a string) {
	if s.joint != nil && s.togetherOf == a {
		return
	}
	s.togetherOf = a
	s.collabs = map[string][]kg.Relationship{}
	s.joint = map[string][]kg.Node{}
	for _, r := range s.rels[kg.RelCollaboratesWith] {
		switch {
		case r.From == a && r.To != a:
			s.collabs[r.To] = append(s.collabs[r.To], r)
		case r.To == a && r.From != a:
			s.collabs[r.From] = append(s.collabs[r.From], r)
		}
	}
	for _, l := range []string{kg.LabelProject, kg.LabelEvent} {
		for _, n := range s.byLabel[l] {
			actors := s.actorsOf(n.ID)
			if !slices.Contains(actors, a) {
				continue
			}
			for _, x := range actors {
				if js := s.joint[x]; len(js) == 0 || js[len(js)-1].ID != n.ID {
					s.joint[x] = append(js, n)
				}
			}
		}
	}
}

// Explain says in one sentence, in lang ("sv" or "en"), why p is
// suggested for the topic and whether it already works with the asking
// cluster (nil for none).
func Explain(p Partner, topic kg.Topic, asking *Ref, lang string) string {
	en := lang == "en"
	var parts []string
	count := func(n int, sv1, svN, en1, enN string) {
		if n == 0 {
			return
		}
		switch {
		case en && n == 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, en1))
		case en:
			parts = append(parts, fmt.Sprintf("%d %s", n, enN))
		case n == 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, sv1))
		default:
			parts = append(parts, fmt.Sprintf("%d %s", n, svN))
		}
	}
	count(p.Documents, "dokument", "dokument", "document", "documents")
	count(len(p.Projects), "projekt", "projekt", "project", "projects")
	count(len(p.Events), "evenemang", "evenemang", "event", "events")
	and := " och "
	if en {
		and = " and "
	}
	list := joinList(parts, and)
	label := strings.ToLower(topic.Label(lang))
	var b strings.Builder
	if en {
		fmt.Fprintf(&b, "%s works on %s according to %s", p.Name, label, list)
		if !p.Newest.IsZero() {
			fmt.Fprintf(&b, " (latest %s)", p.Newest.Format(time.DateOnly))
		}
	} else {
		fmt.Fprintf(&b, "%s arbetar med %s enligt %s", p.Name, label, list)
		if !p.Newest.IsZero() {
			fmt.Fprintf(&b, " (senast %s)", p.Newest.Format(time.DateOnly))
		}
	}
	if asking != nil {
		switch {
		case p.Collaborates && en:
			fmt.Fprintf(&b, " and already works with %s (%s)", asking.Name, describeTogether(p.Together, en))
		case p.Collaborates:
			fmt.Fprintf(&b, " och samarbetar redan med %s (%s)", asking.Name, describeTogether(p.Together, en))
		case en:
			fmt.Fprintf(&b, " and does not yet work with %s", asking.Name)
		default:
			fmt.Fprintf(&b, " och samarbetar ännu inte med %s", asking.Name)
		}
	}
	b.WriteString(".")
	return b.String()
}

// describeTogether names the collaborations briefly.
func describeTogether(cs []Collaboration, en bool) string {
	var parts []string
	for _, c := range cs {
		switch {
		case c.Via == "stated" && en:
			parts = append(parts, "stated partnership")
		case c.Via == "stated":
			parts = append(parts, "uttalat samarbete")
		case c.Via == "project" && en:
			parts = append(parts, "joint project"+named(c))
		case c.Via == "project":
			parts = append(parts, "gemensamt projekt"+named(c))
		case en:
			parts = append(parts, "joint event"+named(c))
		default:
			parts = append(parts, "gemensamt evenemang"+named(c))
		}
	}
	if en {
		return joinList(parts, " and ")
	}
	return joinList(parts, " och ")
}

// named returns " " and the name of a collaboration's project or event,
// or "" when only the partner is known.
func named(c Collaboration) string {
	if c.With.Kind == KindProject || c.With.Kind == KindEvent {
		return " " + c.With.Name
	}
	return ""
}

// joinList joins "a, b and c".
func joinList(parts []string, and string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + and + parts[len(parts)-1]
}
