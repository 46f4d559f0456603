package query

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Export formats.
const (
	FormatGraphML  = "graphml"
	FormatJSONLD   = "jsonld"
	FormatNodesCSV = "nodes.csv"
	FormatEdgesCSV = "edges.csv"
)

// ExportFormats lists the export formats.
var ExportFormats = []string{FormatGraphML, FormatJSONLD, FormatNodesCSV, FormatEdgesCSV}

// Export is the network with every node's properties, ready to write.
type Export struct {
	Network
	nodes map[string]kg.Node
}

// Export returns the network of req for writing; with no kinds it
// includes every kind of NetworkKinds. Errors as Network.
func (e *Engine) Export(ctx context.Context, req NetworkRequest) (Export, error) {
	if len(req.Kinds) == 0 {
		req.Kinds = slices.Clone(NetworkKinds)
	}
	if err := req.Validate(); err != nil {
		return Export{}, err
	}
	s, err := e.load(ctx, []string{
		kg.LabelCluster, kg.LabelTopic, kg.LabelOrganisation, kg.LabelProject, kg.LabelEvent,
		kg.LabelPerson, kg.LabelCounty, kg.LabelDocument,
	}, append(slices.Clone(networkRels), kg.RelMentions))
	if err != nil {
		return Export{}, fmt.Errorf("exporting the network: %w", err)
	}
	net, err := s.network(req)
	if err != nil {
		return Export{}, err
	}
	return Export{Network: net, nodes: s.nodes}, nil
}

// Write writes the export in format, one of ExportFormats. Returns
// EINVALID for another format.
func (x Export) Write(w io.Writer, format string) error {
	switch format {
	case FormatGraphML:
		return x.WriteGraphML(w)
	case FormatJSONLD:
		return x.WriteJSONLD(w)
	case FormatNodesCSV:
		return x.WriteNodesCSV(w)
	case FormatEdgesCSV:
		return x.WriteEdgesCSV(w)
	}
	return kg.Errorf(kg.EINVALID, "format %q is not one of %s", format, strings.Join(ExportFormats, ", "))
}

// ContentType returns the media type of an export format.
func ContentType(format string) string {
	switch format {
	case FormatGraphML:
		return "application/graphml+xml; charset=utf-8"
	case FormatJSONLD:
		return "application/ld+json; charset=utf-8"
	case FormatNodesCSV, FormatEdgesCSV:
		return "text/csv; charset=utf-8"
	}
	return "application/octet-stream"
}

// FileName returns the usual file name of an export format.
func FileName(format string) string {
	switch format {
	case FormatGraphML:
		return "klusterkarta.graphml"
	case FormatJSONLD:
		return "klusterkarta.jsonld"
	case FormatNodesCSV:
		return "klusterkarta-nodes.csv"
	case FormatEdgesCSV:
		return "klusterkarta-edges.csv"
	}
	return "klusterkarta"
}

// GraphML document, as Gephi and networkx read it.
type graphML struct {
	XMLName xml.Name     `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []graphMLKey `xml:"key"`
	Graph   graphMLGraph `xml:"graph"`
}

type graphMLKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type graphMLGraph struct {
	ID          string        `xml:"id,attr"`
	EdgeDefault string        `xml:"edgedefault,attr"`
	Nodes       []graphMLNode `xml:"node"`
	Edges       []graphMLEdge `xml:"edge"`
}

type graphMLNode struct {
	ID   string        `xml:"id,attr"`
	Data []graphMLData `xml:"data"`
}

type graphMLEdge struct {
	ID     string        `xml:"id,attr"`
	Source string        `xml:"source,attr"`
	Target string        `xml:"target,attr"`
	Data   []graphMLData `xml:"data"`
}

type graphMLData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// WriteGraphML writes the network as a directed GraphML graph with the
// node attributes label, kind, county and weight and the edge attributes
// rel, weight and evidence.
func (x Export) WriteGraphML(w io.Writer) error {
	doc := graphML{
		Keys: []graphMLKey{
			{ID: "label", For: "node", Name: "label", Type: "string"},
			{ID: "kind", For: "node", Name: "kind", Type: "string"},
			{ID: "county", For: "node", Name: "county", Type: "string"},
			{ID: "nweight", For: "node", Name: "weight", Type: "double"},
			{ID: "rel", For: "edge", Name: "rel", Type: "string"},
			{ID: "eweight", For: "edge", Name: "weight", Type: "double"},
			{ID: "evidence", For: "edge", Name: "evidence", Type: "int"},
		},
		Graph: graphMLGraph{ID: "klusterkarta", EdgeDefault: "directed"},
	}
	for _, n := range x.Nodes {
		gn := graphMLNode{ID: n.NodeID, Data: []graphMLData{
			{Key: "label", Value: n.Name},
			{Key: "kind", Value: n.Kind},
		}}
		if n.County != "" {
			gn.Data = append(gn.Data, graphMLData{Key: "county", Value: n.County})
		}
		gn.Data = append(gn.Data, graphMLData{Key: "nweight", Value: formatFloat(n.Weight)})
		doc.Graph.Nodes = append(doc.Graph.Nodes, gn)
	}
	for i, e := range x.Edges {
		doc.Graph.Edges = append(doc.Graph.Edges, graphMLEdge{
			ID: "e" + strconv.Itoa(i), Source: e.Source, Target: e.Target,
			Data: []graphMLData{
				{Key: "rel", Value: e.Rel},
				{Key: "eweight", Value: formatFloat(e.Weight)},
				{Key: "evidence", Value: strconv.Itoa(e.Evidence)},
			},
		})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("writing GraphML: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing GraphML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// WriteNodesCSV writes the nodes as RFC 4180 CSV with a header row.
func (x Export) WriteNodesCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write([]string{"id", "kind", "name", "county", "weight", "degree"})
	for _, n := range x.Nodes {
		cw.Write([]string{n.NodeID, n.Kind, csvSafe(n.Name), csvSafe(n.County), formatFloat(n.Weight), strconv.Itoa(n.Degree)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing nodes CSV: %w", err)
	}
	return nil
}

// WriteEdgesCSV writes the edges as RFC 4180 CSV with a header row.
func (x Export) WriteEdgesCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write([]string{"source", "target", "rel", "weight", "evidence"})
	for _, e := range x.Edges {
		cw.Write([]string{e.Source, e.Target, e.Rel, formatFloat(e.Weight), strconv.Itoa(e.Evidence)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing edges CSV: %w", err)
	}
	return nil
}

// csvSafe keeps a spreadsheet from reading a crawled name as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteJSONLD writes the network as schema.org JSON-LD: clusters and
// organisations as Organization, people as Person, events as Event,
// projects as Project, topics as DefinedTerm and counties as
// AdministrativeArea, linked by schema.org properties where one fits
// (knowsAbout, worksFor, organizer, about, funder, member, areaServed).
func (x Export) WriteJSONLD(w io.Writer) error {
	items := map[string]map[string]any{}
	var order []string
	for _, n := range x.Nodes {
		node := x.nodes[n.NodeID]
		it := map[string]any{"@id": "urn:klusterkarta:" + n.NodeID, "name": n.Name}
		switch n.Kind {
		case KindCluster:
			it["@type"] = "Organization"
			if d := node.Props[kg.PropDescription]; d != "" {
				it["description"] = d
			}
			if sites := kg.SplitList(node.Props[kg.PropSites]); len(sites) > 0 {
				it["url"] = sites[0]
			}
			if alias := kg.SplitList(node.Props[kg.PropAliases]); len(alias) > 0 {
				it["alternateName"] = alias
			}
		case KindOrganisation:
			it["@type"] = "Organization"
		case KindPerson:
			it["@type"] = "Person"
		case KindEvent:
			it["@type"] = "Event"
			if v := node.Props[propStart]; v != "" {
				it["startDate"] = v
			}
			if v := node.Props[propEnd]; v != "" {
				it["endDate"] = v
			}
			if v := node.Props[propPlace]; v != "" {
				it["location"] = map[string]any{"@type": "Place", "name": v}
			}
			if v := node.Props[propSourceURL]; v != "" {
				it["url"] = v
			}
		case KindProject:
			it["@type"] = "Project"
			if v := node.Props[propSourceURL]; v != "" {
				it["url"] = v
			}
		case KindTopic:
			it["@type"] = "DefinedTerm"
			t := topicOf(node)
			it["name"] = []map[string]string{{"@language": "sv", "@value": t.SV}, {"@language": "en", "@value": t.EN}}
			it["termCode"] = t.ID
		case KindCounty:
			it["@type"] = "AdministrativeArea"
		}
		items[n.NodeID] = it
		order = append(order, n.NodeID)
	}
	link := func(from, prop, to string) {
		it, ok := items[from]
		if !ok || items[to] == nil {
			return
		}
		ref := map[string]string{"@id": "urn:klusterkarta:" + to}
		list, _ := it[prop].([]map[string]string)
		it[prop] = append(list, ref)
	}
	for _, e := range x.Edges {
		switch e.Rel {
		case kg.RelWorksOn:
			link(e.Source, "knowsAbout", e.Target)
		case kg.RelLocatedIn:
			link(e.Source, "areaServed", e.Target)
		case kg.RelWorksAt:
			link(e.Source, "worksFor", e.Target)
		case kg.RelOrganisedBy:
			link(e.Source, "organizer", e.Target)
		case kg.RelAbout:
			link(e.Source, "about", e.Target)
		case kg.RelFunds:
			link(e.Target, "funder", e.Source)
		case kg.RelTakesPartIn:
			link(e.Target, "member", e.Source)
		case kg.RelOwnedBy:
			link(e.Source, "parentOrganization", e.Target)
		case kg.RelLeads:
			link(e.Target, "employee", e.Source)
		}
	}
	graph := make([]map[string]any, 0, len(order))
	for _, id := range order {
		graph = append(graph, items[id])
	}
	doc := map[string]any{"@context": "https://schema.org", "@graph": graph}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing JSON-LD: %w", err)
	}
	return nil
}
