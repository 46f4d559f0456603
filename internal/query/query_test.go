package query_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	ical "github.com/arran4/golang-ical"
	"github.com/mmcdole/gofeed"

	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
)

// The fixture: three clusters, two topics, documents on both, a project
// that Alfa owns with Beta and an organisation taking part, an event Gamma
// organises, a stated collaboration Alfa–Gamma, and an event page with no
// Event node.
var (
	now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	reg = kg.Registry{Clusters: []kg.Cluster{
		{ID: "alfa", Name: "Alfa kluster", County: "Östergötlands län", Sites: []string{"https://alfa.example/"}},
		{ID: "beta", Name: "Beta kluster", County: "Skåne län", Sites: []string{"https://beta.example/"}},
		{ID: "gamma", Name: "Gamma kluster", County: "Skåne län", Sites: []string{"https://gamma.example/"}},
	}}
	vocab = []kg.Topic{
		{ID: "biogas", SV: "Biogas", EN: "Biogas"},
		{ID: "food", SV: "Livsmedel", EN: "Food"},
	}
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func doc(url, title, kind string, date time.Time, clusters []string, topics ...string) kg.Document {
	d := kg.Document{ID: kg.DocumentID(url), URL: url, Title: title, Kind: kind, Date: date, Clusters: clusters, Lang: "sv"}
	d.Host = strings.Split(strings.TrimPrefix(url, "https://"), "/")[0]
	for _, t := range topics {
		d.Topics = append(d.Topics, kg.TopicMatch{TopicID: t, Snippet: title + " om " + t})
	}
	return d
}

func mustEngine(t testing.TB) *query.Engine {
	t.Helper()
	st, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	put := func(fs kg.FactSet) {
		t.Helper()
		if _, err := st.ReplaceFacts(ctx, fs); err != nil {
			t.Fatal(err)
		}
	}
	put(kg.RegistryFacts(reg, vocab))
	for _, d := range []kg.Document{
		doc("https://alfa.example/nyheter/1", "Biogas i Alfa", kg.KindNews, day(2025, 12, 1), []string{"alfa"}, "biogas"),
		doc("https://beta.example/om", "Om Beta", kg.KindAbout, day(2020, 1, 1), []string{"beta"}, "biogas", "food"),
		doc("https://gamma.example/nyheter/2", "Gamma och biogas", kg.KindNews, day(2026, 2, 20), []string{"gamma"}, "biogas"),
		doc("https://natverket.example/kalender/matdag", "Matdagen i Skåne", kg.KindEvent, day(2026, 4, 2), []string{"gamma"}, "food"),
	} {
		put(kg.DocumentFacts(d))
	}
	proj := "project:gardsgas"
	projDoc := doc("https://alfa.example/projekt/gardsgas", "Gårdsgas", kg.KindProject, time.Time{}, []string{"alfa"}, "biogas")
	fs := kg.DocumentFacts(projDoc)
	fs.Nodes = append(fs.Nodes,
		kg.Node{ID: proj, Label: kg.LabelProject, Name: "Gårdsgas", Props: map[string]string{"source_url": projDoc.URL}},
		kg.Node{ID: "org:lrf", Label: kg.LabelOrganisation, Name: "LRF"},
		kg.Node{ID: "org:alfa-kluster-ab", Label: kg.LabelOrganisation, Name: "Alfa kluster AB"})
	fs.Edges = append(fs.Edges,
		kg.Edge{From: projDoc.ID, Rel: kg.RelMentions, To: proj},
		kg.Edge{From: projDoc.ID, Rel: kg.RelMentions, To: "org:lrf"},
		kg.Edge{From: proj, Rel: kg.RelAbout, To: kg.TopicNodeID("biogas")},
		kg.Edge{From: "org:lrf", Rel: kg.RelTakesPartIn, To: proj, Snippet: "LRF deltar"},
		kg.Edge{From: kg.ClusterNodeID("beta"), Rel: kg.RelTakesPartIn, To: proj, Snippet: "Beta deltar"},
		kg.Edge{From: proj, Rel: kg.RelOwnedBy, To: "org:alfa-kluster-ab"})
	put(fs)
	evDoc := doc("https://gamma.example/kalender/biogasdag", "Biogasdagen", kg.KindEvent, day(2026, 5, 5), []string{"gamma"}, "biogas")
	fs = kg.DocumentFacts(evDoc)
	ev := "event:biogasdagen@2026-05-05"
	fs.Nodes = append(fs.Nodes, kg.Node{ID: ev, Label: kg.LabelEvent, Name: "Biogasdagen; en dag, om gas", Props: map[string]string{
		"start": "2026-05-05T09:00:00+02:00", "end": "2026-05-05T16:00:00+02:00", "place": "Lund, Skåne", "source_url": evDoc.URL,
	}})
	fs.Edges = append(fs.Edges,
		kg.Edge{From: evDoc.ID, Rel: kg.RelMentions, To: ev},
		kg.Edge{From: ev, Rel: kg.RelOrganisedBy, To: kg.ClusterNodeID("gamma")},
		kg.Edge{From: ev, Rel: kg.RelAbout, To: kg.TopicNodeID("biogas")},
		kg.Edge{From: kg.ClusterNodeID("gamma"), Rel: kg.RelCollaboratesWith, To: kg.ClusterNodeID("alfa"),
			Props: map[string]string{"basis": "statement"}})
	put(fs)
	return &query.Engine{Graph: st, Explorer: st, Now: func() time.Time { return now }}
}

func TestPartners(t *testing.T) {
	e := mustEngine(t)
	res, err := e.Partners(context.Background(), query.PartnerRequest{Topic: "biogas", Cluster: "alfa"})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id           string
		collaborates bool
		projects     int
		events       int
	}
	var got []row
	for _, p := range res.Partners {
		got = append(got, row{p.NodeID, p.Collaborates, len(p.Projects), len(p.Events)})
	}
	// Gamma: a fresh news item and an event; Beta: an old about page and
	// the project; LRF: the project and the project page. Alfa itself and
	// its legal entity are never suggested.
	want := []row{
		{"cluster:gamma", true, 0, 1},
		{"org:lrf", true, 1, 0},
		{"cluster:beta", true, 1, 0},
	}
	if len(got) != len(want) {
		t.Fatalf("partners = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("partner %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	gamma := res.Partners[0]
	if len(gamma.Together) != 1 || gamma.Together[0].Via != "stated" {
		t.Errorf("gamma together = %+v, want the stated collaboration", gamma.Together)
	}
	sv := query.Explain(gamma, res.Topic, res.Asking, "sv")
	if want := "Gamma kluster arbetar med biogas enligt 2 dokument och 1 evenemang (senast 2026-05-05) och samarbetar redan med Alfa kluster (uttalat samarbete)."; sv != want {
		t.Errorf("Explain sv = %q\nwant %q", sv, want)
	}
	beta := res.Partners[2]
	if en := query.Explain(beta, res.Topic, res.Asking, "en"); !strings.Contains(en, "joint project Gårdsgas") {
		t.Errorf("Explain en = %q, want the joint project named", en)
	}

	// Without an asking cluster everyone on the topic is ranked, Alfa too.
	all, err := e.Partners(context.Background(), query.PartnerRequest{Topic: "biogas", Kind: query.KindCluster})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range all.Partners {
		ids = append(ids, p.ID)
		if p.Collaborates || len(p.Together) > 0 {
			t.Errorf("%s marked as collaborating with nobody", p.ID)
		}
	}
	if strings.Join(ids, ",") != "alfa,gamma,beta" {
		t.Errorf("clusters on biogas = %v, want alfa,gamma,beta", ids)
	}

	for _, tc := range []struct {
		req  query.PartnerRequest
		code string
	}{
		{query.PartnerRequest{}, kg.EINVALID},
		{query.PartnerRequest{Topic: "biogas", Kind: "person"}, kg.EINVALID},
		{query.PartnerRequest{Topic: "nope"}, kg.ENOTFOUND},
		{query.PartnerRequest{Topic: "biogas", Cluster: "nope"}, kg.ENOTFOUND},
	} {
		if _, err := e.Partners(context.Background(), tc.req); kg.ErrorCode(err) != tc.code {
			t.Errorf("Partners(%+v): %v, want %s", tc.req, err, tc.code)
		}
	}
}

func TestSimilarClusters(t *testing.T) {
	e := mustEngine(t)
	sims, err := e.SimilarClusters(context.Background(), "beta", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(sims) != 2 {
		t.Fatalf("similar to beta: %+v", sims)
	}
	// Beta works on biogas and food; Gamma too, Alfa only on biogas.
	if sims[0].ID != "gamma" || sims[1].ID != "alfa" || !(sims[0].Score > sims[1].Score) || sims[0].Score > 1 {
		t.Errorf("similar to beta = %s %v, %s %v; want gamma above alfa", sims[0].ID, sims[0].Score, sims[1].ID, sims[1].Score)
	}
	if _, err := e.SimilarClusters(context.Background(), "nope", 0); kg.ErrorCode(err) != kg.ENOTFOUND {
		t.Errorf("unknown cluster: %v", err)
	}
}

func TestNetwork(t *testing.T) {
	e := mustEngine(t)
	ctx := context.Background()
	net, err := e.Network(ctx, query.NetworkRequest{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, n := range net.Nodes {
		kinds[n.Kind]++
	}
	if kinds["cluster"] != 3 || kinds["topic"] != 2 || kinds["project"] != 1 || kinds["event"] != 1 || kinds["organisation"] != 2 || kinds["county"] != 0 {
		t.Errorf("default kinds = %v", kinds)
	}
	rels := map[string]bool{}
	for _, e := range net.Edges {
		rels[e.Rel] = true
		if e.Weight < 1 {
			t.Errorf("edge %+v has weight below 1", e)
		}
	}
	for _, r := range []string{kg.RelWorksOn, kg.RelTakesPartIn, kg.RelOrganisedBy, kg.RelCollaboratesWith, query.RelMentionedWith} {
		if !rels[r] {
			t.Errorf("no %s edge in %v", r, rels)
		}
	}

	net, err = e.Network(ctx, query.NetworkRequest{County: "Skåne län", Kinds: []string{"cluster", "topic"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range net.Nodes {
		names = append(names, n.ID)
	}
	if strings.Join(names, ",") != "beta,gamma,biogas,food" {
		t.Errorf("Skåne network nodes = %v", names)
	}
	if _, err := e.Network(ctx, query.NetworkRequest{Kinds: []string{"planet"}}); kg.ErrorCode(err) != kg.EINVALID {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := e.Network(ctx, query.NetworkRequest{Topic: "nope"}); kg.ErrorCode(err) != kg.ENOTFOUND {
		t.Errorf("unknown topic: %v", err)
	}
}

func TestViews(t *testing.T) {
	e := mustEngine(t)
	ctx := context.Background()
	counts, err := e.CountyMap(ctx, "food")
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != len(query.Counties) {
		t.Errorf("%d counties, want %d", len(counts), len(query.Counties))
	}
	for _, c := range counts {
		want := 0
		if c.Name == "Skåne län" {
			want = 2 // beta and gamma work on food
		}
		if len(c.Clusters) != want {
			t.Errorf("%s: %d clusters on food, want %d", c.Name, len(c.Clusters), want)
		}
	}
	g, err := e.Gaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(g.Counties, ",") != "Skåne län,Östergötlands län" || len(g.Empty) != 19 {
		t.Errorf("gap counties = %v, empty %d", g.Counties, len(g.Empty))
	}
	if food := g.Topics[1]; food.Topic.ID != "food" || food.Counts[0] != 2 || food.Counts[1] != 0 || food.Gaps != 1 {
		t.Errorf("food gaps = %+v", food)
	}
	hm, err := e.HeatMap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hm.Topics) != 2 || len(hm.Clusters) != 3 || hm.Max <= 0 || hm.Weights[0][0] <= 0 {
		t.Errorf("heat map = %+v", hm)
	}
}

func TestEventsAndICal(t *testing.T) {
	e := mustEngine(t)
	ctx := context.Background()
	evs, err := e.Events(ctx, query.EventFilter{From: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Name != "Matdagen i Skåne" || !evs[0].AllDay || evs[1].ID != "biogasdagen@2026-05-05" {
		t.Fatalf("upcoming events = %+v", evs)
	}
	if evs[1].Place != "Lund, Skåne" || len(evs[1].Clusters) != 1 || evs[1].Counties[0] != "Skåne län" {
		t.Errorf("event node = %+v", evs[1])
	}
	if got, _ := e.Events(ctx, query.EventFilter{Topic: "food", County: "Skåne län"}); len(got) != 1 {
		t.Errorf("food events in Skåne = %d, want 1", len(got))
	}
	if got, _ := e.Events(ctx, query.EventFilter{Cluster: "alfa"}); len(got) != 0 {
		t.Errorf("alfa events = %d, want 0", len(got))
	}
	if _, err := e.Event(ctx, "nope@2026-01-01"); kg.ErrorCode(err) != kg.ENOTFOUND {
		t.Errorf("unknown event: %v", err)
	}

	var buf bytes.Buffer
	if err := query.WriteICal(&buf, evs, query.ICalOptions{Name: "Klusterkarta", Domain: "test", Stamp: now}); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	for i, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets", i, len(line))
		}
		if strings.Contains(line, "\n") {
			t.Errorf("line %d has a bare LF", i)
		}
	}
	cal, err := ical.ParseCalendar(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("parsing calendar: %v\n%s", err, raw)
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d VEVENTs", len(events))
	}
	ev := events[1]
	if got := ev.GetProperty(ical.ComponentPropertySummary).Value; got != "Biogasdagen; en dag, om gas" {
		t.Errorf("SUMMARY = %q", got)
	}
	if got := ev.Id(); got != "biogasdagen@2026-05-05@test" {
		t.Errorf("UID = %q", got)
	}
	start, err := ev.GetStartAt()
	if err != nil || !start.Equal(time.Date(2026, 5, 5, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("DTSTART = %v, %v", start, err)
	}
	if ev.GetProperty(ical.ComponentPropertyDtstamp) == nil {
		t.Error("no DTSTAMP")
	}
	allDay, err := events[0].GetAllDayStartAt()
	if err != nil || !allDay.Equal(day(2026, 4, 2)) {
		t.Errorf("all-day DTSTART = %v, %v", allDay, err)
	}
}

func FuzzWriteICal(f *testing.F) {
	f.Add("Möte; om, biogas\\och\nmer", "Plats", strings.Repeat("åäö", 40))
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, name, place, id string) {
		ev := query.Event{Ref: query.Ref{ID: id, Name: name}, Start: day(2026, 1, 1), Place: place}
		var buf bytes.Buffer
		if err := query.WriteICal(&buf, []query.Event{ev}, query.ICalOptions{Stamp: now}); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(buf.String(), "\r\n") {
			if len(line) > 75 || strings.ContainsAny(line, "\r\n") {
				t.Fatalf("bad line %q", line)
			}
		}
		if _, err := ical.ParseCalendar(&buf); err != nil {
			t.Fatalf("unparsable: %v", err)
		}
	})
}

func TestNewestDocumentsAndAtom(t *testing.T) {
	e := mustEngine(t)
	docs, err := e.NewestDocuments(context.Background(), query.DocFilter{Topic: "biogas"})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, d := range docs {
		titles = append(titles, d.Title)
	}
	// Newest first; the undated project page is left out.
	if want := "Biogasdagen,Gamma och biogas,Biogas i Alfa,Om Beta"; strings.Join(titles, ",") != want {
		t.Errorf("newest on biogas = %v, want %s", titles, want)
	}
	var buf bytes.Buffer
	err = query.WriteAtom(&buf, docs, query.AtomOptions{ID: "http://x/feeds/search.atom?topic=biogas", Title: "Biogas", SelfURL: "http://x/feeds/search.atom?topic=biogas"})
	if err != nil {
		t.Fatal(err)
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("parsing feed: %v\n%s", err, buf.String())
	}
	if feed.FeedType != "atom" || len(feed.Items) != 4 || feed.Items[0].Title != "Biogasdagen" || feed.Items[0].Link != "https://gamma.example/kalender/biogasdag" {
		t.Errorf("feed = %s, %d items, first %+v", feed.FeedType, len(feed.Items), feed.Items[0])
	}
	if feed.UpdatedParsed == nil || !feed.UpdatedParsed.Equal(day(2026, 5, 5)) {
		t.Errorf("feed updated = %v", feed.UpdatedParsed)
	}
	if _, err := e.NewestDocuments(context.Background(), query.DocFilter{Cluster: "nope"}); kg.ErrorCode(err) != kg.ENOTFOUND {
		t.Errorf("unknown cluster: %v", err)
	}
}

func TestDigest(t *testing.T) {
	e := mustEngine(t)
	d, err := e.Digest(context.Background(), query.DigestRequest{Since: 120 * 24 * time.Hour, Ahead: 40 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Topics) != 1 || d.Topics[0].Topic.ID != "biogas" || len(d.Topics[0].Documents) != 2 || d.Total != 2 {
		t.Fatalf("digest topics = %+v", d.Topics)
	}
	if len(d.Events) != 1 || d.Events[0].Name != "Matdagen i Skåne" {
		t.Errorf("digest events = %+v", d.Events)
	}
	var text, html bytes.Buffer
	if err := d.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Biogas\n------", "* Gamma och biogas (2026-02-20)", "Matdagen i Skåne"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text digest lacks %q:\n%s", want, text.String())
		}
	}
	if err := d.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), `<a href="https://gamma.example/nyheter/2">Gamma och biogas</a>`) {
		t.Errorf("html digest:\n%s", html.String())
	}
	if _, err := e.Digest(context.Background(), query.DigestRequest{}); kg.ErrorCode(err) != kg.EINVALID {
		t.Errorf("zero since: %v", err)
	}
}

func TestExports(t *testing.T) {
	e := mustEngine(t)
	x, err := e.Export(context.Background(), query.NetworkRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf, query.FormatGraphML); err != nil {
		t.Fatal(err)
	}
	// GraphML: every edge end is a node, every data key is declared for
	// its element.
	var g struct {
		Keys []struct {
			ID  string `xml:"id,attr"`
			For string `xml:"for,attr"`
		} `xml:"key"`
		Graph struct {
			Nodes []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key string `xml:"key,attr"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []struct {
					Key string `xml:"key,attr"`
				} `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &g); err != nil {
		t.Fatalf("GraphML: %v", err)
	}
	keys := map[string]string{}
	for _, k := range g.Keys {
		keys[k.ID] = k.For
	}
	nodes := map[string]bool{}
	for _, n := range g.Graph.Nodes {
		nodes[n.ID] = true
		for _, d := range n.Data {
			if keys[d.Key] != "node" {
				t.Errorf("node data key %q not declared for nodes", d.Key)
			}
		}
	}
	for _, e := range g.Graph.Edges {
		if !nodes[e.Source] || !nodes[e.Target] {
			t.Errorf("edge %s -> %s has an unknown end", e.Source, e.Target)
		}
		for _, d := range e.Data {
			if keys[d.Key] != "edge" {
				t.Errorf("edge data key %q not declared for edges", d.Key)
			}
		}
	}
	if len(g.Graph.Nodes) != len(x.Nodes) || len(g.Graph.Edges) != len(x.Edges) || len(x.Nodes) < 8 {
		t.Errorf("GraphML has %d nodes and %d edges, export %d and %d", len(g.Graph.Nodes), len(g.Graph.Edges), len(x.Nodes), len(x.Edges))
	}

	buf.Reset()
	if err := x.Write(&buf, query.FormatJSONLD); err != nil {
		t.Fatal(err)
	}
	var ld struct {
		Context string           `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal(buf.Bytes(), &ld); err != nil {
		t.Fatalf("JSON-LD: %v", err)
	}
	types := map[string]int{}
	for _, it := range ld.Graph {
		types[it["@type"].(string)]++
		if it["name"] == "Biogasdagen; en dag, om gas" && it["startDate"] != "2026-05-05T09:00:00+02:00" {
			t.Errorf("event startDate = %v", it["startDate"])
		}
	}
	if ld.Context != "https://schema.org" || types["Organization"] != 5 || types["Event"] != 1 || types["Project"] != 1 || types["DefinedTerm"] != 2 {
		t.Errorf("JSON-LD context %q types %v", ld.Context, types)
	}

	buf.Reset()
	if err := x.Write(&buf, query.FormatNodesCSV); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(buf.String()), "\r\n"); lines[0] != "id,kind,name,county,weight,degree" || len(lines) != len(x.Nodes)+1 {
		t.Errorf("nodes CSV: %q", lines[:2])
	}
	if err := x.Write(&buf, "xls"); kg.ErrorCode(err) != kg.EINVALID {
		t.Errorf("unknown format: %v", err)
	}
}
