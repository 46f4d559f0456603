package query_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/graph/graphtest"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
)

// explorerOnly hides every method of a store but those of
// kg.GraphExplorer, so that the engine reads the whole graph relationship
// type by relationship type, as it does on a store that is no
// kg.NeighbourhoodReader.
type explorerOnly struct{ kg.GraphExplorer }

// plain returns an engine over the same store as e that reads the graph
// without the store's aggregates.
func plain(e *query.Engine) *query.Engine {
	return &query.Engine{Graph: e.Graph, Explorer: explorerOnly{e.Explorer}, Now: e.Now}
}

// mustSameAnswers checks that the partner finder and the network map give
// the same answers with the store's aggregates as without, for every
// topic, asking cluster, kind and filter; with every above 1, only for
// every so many topics and clusters.
func mustSameAnswers(t *testing.T, e *query.Engine, every int) {
	t.Helper()
	ctx := context.Background()
	if _, ok := e.Explorer.(kg.NeighbourhoodReader); !ok {
		t.Fatalf("%T is no kg.NeighbourhoodReader", e.Explorer)
	}
	p := plain(e)
	topics, err := e.Graph.Topics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	clusters, err := e.Graph.Clusters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	asking := []string{""}
	counties := []string{}
	for i, c := range clusters {
		if i%every == 0 {
			asking = append(asking, c.ID)
			counties = append(counties, c.County)
		}
	}
	topicIDs := []string{"no-such-topic"}
	for i, tp := range topics {
		if i%every == 0 {
			topicIDs = append(topicIDs, tp.ID)
		}
	}
	compared := 0
	for _, topic := range topicIDs {
		for _, c := range append(asking, "no-such-cluster") {
			for _, kind := range []string{"", query.KindCluster, query.KindOrganisation} {
				req := query.PartnerRequest{Topic: topic, Cluster: c, Kind: kind}
				got, gerr := e.Partners(ctx, req)
				want, werr := p.Partners(ctx, req)
				if kg.ErrorCode(gerr) != kg.ErrorCode(werr) || (gerr == nil) != (werr == nil) {
					t.Fatalf("Partners(%+v): error %v, without aggregates %v", req, gerr, werr)
				}
				compared += len(want.Partners)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("Partners(%+v) differs without aggregates:\n%s", req, partnersDiff(got, want))
				}
			}
		}
	}
	if compared == 0 {
		t.Fatal("no partners to compare")
	}
	kinds := [][]string{nil, query.NetworkKinds, {query.KindCluster, query.KindTopic}, {query.KindOrganisation},
		{query.KindPerson, query.KindProject}, {query.KindCounty, query.KindCluster, query.KindEvent}}
	var filters []query.NetworkRequest
	filters = append(filters, query.NetworkRequest{})
	for _, topic := range topicIDs[1:] {
		filters = append(filters, query.NetworkRequest{Topic: topic})
	}
	for _, county := range counties {
		filters = append(filters, query.NetworkRequest{County: county}, query.NetworkRequest{County: county, Topic: topicIDs[len(topicIDs)-1]})
	}
	filters = append(filters, query.NetworkRequest{Topic: "no-such-topic"})
	for _, f := range filters {
		for _, k := range kinds {
			req := f
			req.Kinds = k
			got, gerr := e.Network(ctx, req)
			want, werr := p.Network(ctx, req)
			if kg.ErrorCode(gerr) != kg.ErrorCode(werr) || (gerr == nil) != (werr == nil) {
				t.Fatalf("Network(%+v): error %v, without aggregates %v", req, gerr, werr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Network(%+v) differs without aggregates: %d nodes, %d edges; want %d nodes, %d edges\n%s",
					req, len(got.Nodes), len(got.Edges), len(want.Nodes), len(want.Edges), networkDiff(got, want))
			}
		}
	}
}

// partnersDiff describes the first difference between two answers.
func partnersDiff(got, want query.PartnerResult) string {
	if len(got.Partners) != len(want.Partners) {
		return fmt.Sprintf("%d partners, want %d", len(got.Partners), len(want.Partners))
	}
	for i := range want.Partners {
		if !reflect.DeepEqual(got.Partners[i], want.Partners[i]) {
			return fmt.Sprintf("partner %d:\n got %+v\nwant %+v", i, got.Partners[i], want.Partners[i])
		}
	}
	return fmt.Sprintf("got %+v\nwant %+v", got, want)
}

// networkDiff describes the first difference between two networks.
func networkDiff(got, want query.Network) string {
	for i := range min(len(got.Nodes), len(want.Nodes)) {
		if !reflect.DeepEqual(got.Nodes[i], want.Nodes[i]) {
			return fmt.Sprintf("node %d: got %+v, want %+v", i, got.Nodes[i], want.Nodes[i])
		}
	}
	for i := range min(len(got.Edges), len(want.Edges)) {
		if !reflect.DeepEqual(got.Edges[i], want.Edges[i]) {
			return fmt.Sprintf("edge %d: got %+v, want %+v", i, got.Edges[i], want.Edges[i])
		}
	}
	return "one is a prefix of the other"
}

// withOddities adds to the fixture what extraction seldom writes but a
// store may hold: a mention of a topic asserted by another page with
// another snippet, an organisation that works on a topic, a page and an
// organisation about a topic, which are no project or event, collaborations on the basis of a
// project, a joint event, a relationship to a node no source declares
// and a person working at a cluster.
func withOddities(t *testing.T, e *query.Engine) {
	t.Helper()
	ctx := context.Background()
	gammaNews := kg.DocumentID("https://gamma.example/nyheter/2")
	betaAbout := kg.DocumentID("https://beta.example/om")
	d := doc("https://beta.example/nyheter/3", "Beta om gas och mat", kg.KindReport, day(2024, 6, 1), []string{"beta"}, "biogas", "food")
	fs := kg.DocumentFacts(d)
	ev := "event:matmote@2025-09-01"
	fs.Nodes = append(fs.Nodes,
		kg.Node{ID: "org:lrf", Label: kg.LabelOrganisation, Name: "LRF", Props: map[string]string{"kind": "organisation"}},
		kg.Node{ID: "org:skogsbruk", Label: kg.LabelOrganisation, Name: "Skogsbruk AB"},
		kg.Node{ID: ev, Label: kg.LabelEvent, Name: "Matmöte", Props: map[string]string{"source_url": "https://alfa.example/kalender/matmote"}},
		kg.Node{ID: "person:eva@beta", Label: kg.LabelPerson, Name: "Eva"},
	)
	fs.Edges = append(fs.Edges,
		kg.Edge{From: gammaNews, Rel: kg.RelMentions, To: kg.TopicNodeID("biogas"), Snippet: "en annan sida om gas"},
		kg.Edge{From: d.ID, Rel: kg.RelMentions, To: "org:lrf", Snippet: "LRF"},
		kg.Edge{From: d.ID, Rel: kg.RelMentions, To: "org:skogsbruk", Snippet: "Skogsbruk"},
		kg.Edge{From: d.ID, Rel: kg.RelMentions, To: kg.ClusterNodeID("gamma"), Snippet: "Gamma"},
		kg.Edge{From: betaAbout, Rel: kg.RelMentions, To: "org:skogsbruk", Snippet: "Skogsbruk igen"},
		kg.Edge{From: gammaNews, Rel: kg.RelMentions, To: "org:skogsbruk", Snippet: "Skogsbruk hos Gamma"},
		kg.Edge{From: "org:skogsbruk", Rel: kg.RelWorksOn, To: kg.TopicNodeID("food"), Snippet: "skog och mat"},
		kg.Edge{From: "org:skogsbruk", Rel: kg.RelAbout, To: kg.TopicNodeID("food"), Snippet: "ett bolag om mat"},
		kg.Edge{From: d.ID, Rel: kg.RelAbout, To: kg.TopicNodeID("food"), Snippet: "sidan handlar om mat"},
		kg.Edge{From: ev, Rel: kg.RelAbout, To: kg.TopicNodeID("food")},
		kg.Edge{From: ev, Rel: kg.RelOrganisedBy, To: kg.ClusterNodeID("beta"), Snippet: "Beta bjuder in"},
		kg.Edge{From: ev, Rel: kg.RelOrganisedBy, To: "org:skogsbruk"},
		kg.Edge{From: ev, Rel: kg.RelOrganisedBy, To: "org:undeclared"},
		kg.Edge{From: kg.ClusterNodeID("beta"), Rel: kg.RelCollaboratesWith, To: kg.ClusterNodeID("alfa"),
			Props: map[string]string{"basis": "project"}},
		kg.Edge{From: kg.ClusterNodeID("alfa"), Rel: kg.RelCollaboratesWith, To: kg.ClusterNodeID("beta"),
			Props: map[string]string{"basis": "statement"}},
		kg.Edge{From: kg.ClusterNodeID("alfa"), Rel: kg.RelCollaboratesWith, To: "org:skogsbruk",
			Props: map[string]string{"basis": "event"}},
		kg.Edge{From: "person:eva@beta", Rel: kg.RelWorksAt, To: kg.ClusterNodeID("beta"), Props: map[string]string{"role": "ledare"}},
		kg.Edge{From: "person:eva@beta", Rel: kg.RelLeads, To: "project:gardsgas"},
	)
	if _, err := e.Graph.ReplaceFacts(ctx, fs); err != nil {
		t.Fatal(err)
	}
}

func TestAggregatesGiveTheSameAnswers(t *testing.T) {
	e := mustEngine(t)
	mustSameAnswers(t, e, 1)
	withOddities(t, e)
	mustSameAnswers(t, e, 1)
}

// TestAggregatesGiveTheSameAnswersOnGeneratedGraph compares on a small
// share of the large benchmark graph, after changed and removed pages.
func TestAggregatesGiveTheSameAnswersOnGeneratedGraph(t *testing.T) {
	st, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	g := graphtest.NewLargeGraph(0.005)
	if _, err := graphtest.LoadLarge(ctx, st, g, 2); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < g.Documents; i += 9 {
		if _, err := st.ReplaceFacts(ctx, g.Facts(i, 1)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 4; i < g.Documents; i += 31 {
		if _, err := st.RetractFacts(ctx, g.Facts(i, 0).SourceID); err != nil {
			t.Fatal(err)
		}
	}
	e := &query.Engine{Graph: st, Explorer: st, Now: func() time.Time { return now }}
	mustSameAnswers(t, e, 6)
}
