package api

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
	"github.com/klusterkarta/klusterkarta/web"
)

// networkResponse is the body of GET /api/v1/network.
type networkResponse struct {
	Nodes []networkNodeJSON `json:"nodes"`
	Edges []networkEdgeJSON `json:"edges"`
}

type networkNodeJSON struct {
	ID     string  `json:"id"` // graph id, e.g. "cluster:vreta-kluster"
	Kind   string  `json:"kind"`
	Name   string  `json:"name"`
	County string  `json:"county,omitempty"`
	Weight float64 `json:"weight"`
	Degree int     `json:"degree"`
	URL    string  `json:"url,omitempty"` // its page in the web UI
}

type networkEdgeJSON struct {
	Source   string  `json:"source"`
	Target   string  `json:"target"`
	Rel      string  `json:"rel"`
	Weight   float64 `json:"weight"`
	Evidence int     `json:"evidence"`
}

// networkRequest reads topic, county and kinds (comma-separated).
func networkRequest(q url.Values) query.NetworkRequest {
	req := query.NetworkRequest{Topic: q.Get("topic"), County: q.Get("county")}
	for _, k := range strings.Split(q.Get("kinds"), ",") {
		if k = strings.TrimSpace(k); k != "" && !slices.Contains(req.Kinds, k) {
			req.Kinds = append(req.Kinds, k)
		}
	}
	return req
}

// apiNetwork serves GET /api/v1/network?topic=&county=&kinds=: nodes and
// weighted edges with their evidence counts.
func (h *handlers) apiNetwork(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.RawQuery, "topic", "county", "kinds")
	if err != nil {
		h.fail(c, err)
		return
	}
	eng, err := h.engine()
	if err != nil {
		h.fail(c, err)
		return
	}
	net, err := eng.Network(c.Request.Context(), networkRequest(q))
	if err != nil {
		h.fail(c, wrap("building the network", err))
		return
	}
	resp := networkResponse{Nodes: make([]networkNodeJSON, 0, len(net.Nodes)), Edges: make([]networkEdgeJSON, 0, len(net.Edges))}
	for _, n := range net.Nodes {
		resp.Nodes = append(resp.Nodes, networkNodeJSON{ID: n.NodeID, Kind: n.Kind, Name: n.Name, County: n.County,
			Weight: n.Weight, Degree: n.Degree, URL: refURL(n.Ref)})
	}
	for _, e := range net.Edges {
		resp.Edges = append(resp.Edges, networkEdgeJSON{Source: e.Source, Target: e.Target, Rel: e.Rel, Weight: e.Weight, Evidence: e.Evidence})
	}
	c.JSON(http.StatusOK, resp)
}

// apiExport serves GET /api/v1/export?format=&topic=&county=&kinds=: the
// network as GraphML, JSON-LD or CSV (nodes.csv or edges.csv), as a
// download.
func (h *handlers) apiExport(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.RawQuery, "format", "topic", "county", "kinds")
	if err != nil {
		h.fail(c, err)
		return
	}
	format := q.Get("format")
	if !slices.Contains(query.ExportFormats, format) {
		h.fail(c, invalidf("format must be one of %s", strings.Join(query.ExportFormats, ", ")))
		return
	}
	eng, err := h.engine()
	if err != nil {
		h.fail(c, err)
		return
	}
	x, err := eng.Export(c.Request.Context(), networkRequest(q))
	if err != nil {
		h.fail(c, wrap("exporting the network", err))
		return
	}
	var buf strings.Builder
	if err := x.Write(&buf, format); err != nil {
		h.fail(c, wrap("writing the export", err))
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+query.FileName(format)+`"`)
	c.Data(http.StatusOK, query.ContentType(format), []byte(buf.String()))
}

// networkTabs returns the tab bar with the request's topic and county.
func networkTabs(current string, q url.Values) web.NetworkTabs {
	v := url.Values{}
	for _, p := range []string{"topic", "county"} {
		if s := q.Get(p); s != "" {
			v.Set(p, s)
		}
	}
	t := web.NetworkTabs{Current: current}
	if len(v) > 0 {
		t.Query = "?" + v.Encode()
	}
	return t
}

// networkPage serves GET /network: the graph, drawn by a script from the
// network API, and a table of the same nodes for everyone.
func (h *handlers) networkPage(c *gin.Context) {
	lang := h.pageLang(c)
	ctx := c.Request.Context()
	q := pageQuery(c)
	cs, err := h.graph.Clusters(ctx)
	if err != nil {
		h.failPage(c, lang, wrap("listing clusters", err))
		return
	}
	ts, err := h.graph.Topics(ctx)
	if err != nil {
		h.failPage(c, lang, wrap("listing topics", err))
		return
	}
	req := networkRequest(url.Values{"topic": {q.Get("topic")}, "county": {q.Get("county")}, "kinds": {strings.Join(q["kinds"], ",")}})
	if req.Validate() != nil {
		req.Kinds = nil
		req.Validate()
	}
	data := web.NetworkPage{
		Page:     h.newPage(c, lang, web.T(lang, "network.title"), "network"),
		Tabs:     networkTabs("graph", q),
		Topics:   topicOptions(ts, lang, req.Topic, web.T(lang, "network.all")),
		Counties: countyOptions(cs, req.County, web.T(lang, "network.all")),
	}
	eng, err := h.engine()
	if err != nil {
		h.failPage(c, lang, err)
		return
	}
	net, err := eng.Network(ctx, req)
	if code := kg.ErrorCode(err); code == kg.EINVALID || code == kg.ENOTFOUND {
		data.Error = kg.ErrorMessage(err)
		req = query.NetworkRequest{}
		net, err = eng.Network(ctx, req)
	}
	if err != nil {
		h.failPage(c, lang, wrap("building the network", err))
		return
	}
	for _, k := range query.NetworkKinds {
		data.Kinds = append(data.Kinds, web.KindOption{Value: k, Label: kindLabel(lang, k), Checked: slices.Contains(req.Kinds, k)})
	}
	v := url.Values{}
	if req.Topic != "" {
		v.Set("topic", req.Topic)
	}
	if req.County != "" {
		v.Set("county", req.County)
	}
	v.Set("kinds", strings.Join(req.Kinds, ","))
	data.DataURL = withQuery("/api/v1/network", v)
	for _, f := range []struct {
		dst    *string
		format string
	}{{&data.ExportURL, query.FormatGraphML}, {&data.CSVNodes, query.FormatNodesCSV}, {&data.CSVEdges, query.FormatEdgesCSV}, {&data.JSONLD, query.FormatJSONLD}} {
		ev := url.Values{}
		for k, vals := range v {
			ev[k] = vals
		}
		ev.Set("format", f.format)
		*f.dst = withQuery("/api/v1/export", ev)
	}
	names := map[string]query.NetworkNode{}
	for _, n := range net.Nodes {
		names[n.NodeID] = n
	}
	neighbours := map[string][]web.Link{}
	for _, e := range net.Edges {
		a, b := names[e.Source], names[e.Target]
		neighbours[a.NodeID] = append(neighbours[a.NodeID], web.Link{Text: b.Name, URL: refURL(b.Ref)})
		neighbours[b.NodeID] = append(neighbours[b.NodeID], web.Link{Text: a.Name, URL: refURL(a.Ref)})
	}
	for _, n := range net.Nodes {
		links := neighbours[n.NodeID]
		slices.SortFunc(links, func(x, y web.Link) int { return strings.Compare(x.Text, y.Text) })
		links = slices.CompactFunc(links, func(x, y web.Link) bool { return x.Text == y.Text })
		data.Nodes = append(data.Nodes, web.NetworkNodeItem{
			Name: n.Name, URL: refURL(n.Ref), Kind: n.Kind, KindLabel: kindLabel(lang, n.Kind),
			County: n.County, Degree: n.Degree, Links: links,
		})
	}
	data.Edges = len(net.Edges)
	h.render(c, http.StatusOK, web.TmplNetwork, data)
}

// kindLabel names a node kind in lang.
func kindLabel(lang, kind string) string { return web.T(lang, "kind."+kind) }

// Map geometry: an equirectangular projection scaled by the cosine of
// 62°N, so that Sweden keeps its shape.
const (
	mapScale  = 40.0
	mapLonCos = 0.4695
	mapWest   = 10.5
	mapNorth  = 69.5
	mapWidth  = 300
	mapHeight = 600
)

func project(lon, lat float64) (x, y float64) {
	return (lon-mapWest)*mapLonCos*mapScale + 10, (mapNorth - lat) * mapScale
}

func svgPoints(pts [][2]float64) string {
	var b strings.Builder
	for i, p := range pts {
		x, y := project(p[0], p[1])
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(web.MapPage{}.Fmt(x) + "," + web.MapPage{}.Fmt(y))
	}
	return b.String()
}

// mapPage serves GET /network/map?topic=: Sweden with a circle per county
// sized by its clusters, and the same numbers as a table.
func (h *handlers) mapPage(c *gin.Context) {
	lang := h.pageLang(c)
	ctx := c.Request.Context()
	q := pageQuery(c)
	topic := q.Get("topic")
	ts, err := h.graph.Topics(ctx)
	if err != nil {
		h.failPage(c, lang, wrap("listing topics", err))
		return
	}
	data := web.MapPage{
		Page:    h.newPage(c, lang, web.T(lang, "map.title"), "network"),
		Tabs:    networkTabs("map", q),
		Topics:  topicOptions(ts, lang, topic, web.T(lang, "network.all")),
		Width:   mapWidth,
		Height:  mapHeight,
		Outline: svgPoints(query.SwedenOutline),
		Gotland: svgPoints(query.GotlandOutline),
	}
	eng, err := h.engine()
	if err != nil {
		h.failPage(c, lang, err)
		return
	}
	counts, err := eng.CountyMap(ctx, topic)
	if kg.ErrorCode(err) == kg.ENOTFOUND {
		data.Error = kg.ErrorMessage(err)
		counts, err = eng.CountyMap(ctx, "")
	}
	if err != nil {
		h.failPage(c, lang, wrap("counting clusters by county", err))
		return
	}
	for _, cc := range counts {
		mc := web.MapCounty{Name: cc.Name, Count: len(cc.Clusters), Documents: cc.Documents, Known: cc.Known}
		for _, r := range cc.Clusters {
			mc.Clusters = append(mc.Clusters, web.Link{Text: r.Name, URL: clusterURL(r.ID)})
		}
		if cc.Known {
			mc.X, mc.Y = project(cc.Lon, cc.Lat)
			if mc.Count > 0 {
				mc.R = 6 + 6*math.Sqrt(float64(mc.Count))
			}
			// Labels go towards the open side: east of the west half, west
			// of the east half.
			mc.Anchor, mc.LabelX = "start", mc.X+mc.R+4
			if cc.Lon > 16.5 {
				mc.Anchor, mc.LabelX = "end", mc.X-mc.R-4
			}
		}
		data.Counties = append(data.Counties, mc)
	}
	h.render(c, http.StatusOK, web.TmplMap, data)
}

// heatMapPage serves GET /network/heatmap: topics × clusters.
func (h *handlers) heatMapPage(c *gin.Context) {
	lang := h.pageLang(c)
	eng, err := h.engine()
	if err != nil {
		h.failPage(c, lang, err)
		return
	}
	hm, err := eng.HeatMap(c.Request.Context())
	if err != nil {
		h.failPage(c, lang, wrap("building the heat map", err))
		return
	}
	data := web.HeatMapPage{
		Page: h.newPage(c, lang, web.T(lang, "heatmap.title"), "network"),
		Tabs: networkTabs("heatmap", pageQuery(c)),
	}
	for _, cl := range hm.Clusters {
		data.Clusters = append(data.Clusters, web.Link{Text: cl.Name, URL: clusterURL(cl.ID)})
	}
	for i, t := range hm.Topics {
		row := web.HeatRow{Topic: web.Link{Text: t.Label(lang), URL: topicURL(t.ID)}}
		for j, w := range hm.Weights[i] {
			level := 0
			if w > 0 && hm.Max > 0 {
				level = 1 + int(math.Floor(4.999*w/hm.Max))
			}
			row.Cells = append(row.Cells, web.HeatCell{Weight: w, Level: level,
				Title: hm.Clusters[j].Name + ", " + t.Label(lang) + ": " + data.Num(w)})
		}
		data.Rows = append(data.Rows, row)
	}
	h.render(c, http.StatusOK, web.TmplHeatMap, data)
}

// gapsPage serves GET /network/gaps: clusters per topic and county.
func (h *handlers) gapsPage(c *gin.Context) {
	lang := h.pageLang(c)
	eng, err := h.engine()
	if err != nil {
		h.failPage(c, lang, err)
		return
	}
	g, err := eng.Gaps(c.Request.Context())
	if err != nil {
		h.failPage(c, lang, wrap("finding gaps", err))
		return
	}
	data := web.GapsPage{
		Page:     h.newPage(c, lang, web.T(lang, "gaps.title"), "network"),
		Tabs:     networkTabs("gaps", pageQuery(c)),
		Counties: g.Counties,
		Empty:    g.Empty,
	}
	for _, t := range g.Topics {
		data.Rows = append(data.Rows, web.GapRow{
			Topic:  web.Link{Text: t.Topic.Label(lang), URL: topicURL(t.Topic.ID)},
			Counts: t.Counts, Total: t.Total, Gaps: t.Gaps,
		})
	}
	h.render(c, http.StatusOK, web.TmplGaps, data)
}
