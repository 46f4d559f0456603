package neo4j

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// quote returns name as a Cypher identifier (a label or a relationship
// type) in backticks, with backticks inside it doubled, so any string is
// safe to put into a statement.
func quote(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// toSnake turns a label such as "GraphMeta" into "graph_meta", for the
// names of constraints and indexes.
func toSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Node properties that the store sets itself; kg.Node.Props entries of
// these names are shadowed.
const (
	propID         = "id"
	propName       = "name"
	propDeclaredBy = "declared_by"
)

// nodeProps returns the properties a declared node is stored with, apart
// from declared_by.
func nodeProps(n kg.Node) map[string]any {
	m := make(map[string]any, len(n.Props)+2)
	for k, v := range n.Props {
		m[k] = v
	}
	m[propID] = n.ID
	m[propName] = n.Name
	delete(m, propDeclaredBy)
	return m
}

// nodeFrom rebuilds the kg.Node with the given label from the properties
// of a stored node.
func nodeFrom(label string, props map[string]any) kg.Node {
	n := kg.Node{Label: label, Props: make(map[string]string, len(props))}
	for k, v := range props {
		switch k {
		case propID:
			n.ID, _ = v.(string)
		case propName:
			n.Name, _ = v.(string)
		case propDeclaredBy:
		default:
			if s, ok := v.(string); ok {
				n.Props[k] = s
			} else {
				n.Props[k] = fmt.Sprint(v)
			}
		}
	}
	return n
}

// reservedLabel reports whether a fact set may not use label for a node.
func reservedLabel(label string) bool {
	return label == labelEntity || label == labelFactSet || label == labelMeta || label == labelAssertion
}

// validate checks a fact set before it is written, as every store does.
func validate(fs kg.FactSet) error {
	if fs.SourceID == "" {
		return kg.Errorf(kg.EINVALID, "fact set has no source id")
	}
	for i, n := range fs.Nodes {
		if n.ID == "" {
			return kg.Errorf(kg.EINVALID, "fact set of %s: node %d has no id", fs.SourceID, i)
		}
		if n.Label == "" {
			return kg.Errorf(kg.EINVALID, "fact set of %s: node %s has no label", fs.SourceID, n.ID)
		}
		if reservedLabel(n.Label) {
			return kg.Errorf(kg.EINVALID, "fact set of %s: node %s has the reserved label %s", fs.SourceID, n.ID, n.Label)
		}
	}
	for i, e := range fs.Edges {
		if e.From == "" || e.To == "" {
			return kg.Errorf(kg.EINVALID, "fact set of %s: edge %d (%s -[%s]-> %s) lacks an end", fs.SourceID, i, e.From, e.Rel, e.To)
		}
		if e.Rel == "" {
			return kg.Errorf(kg.EINVALID, "fact set of %s: edge %d (%s -> %s) has no type", fs.SourceID, i, e.From, e.To)
		}
	}
	return nil
}

// anyStrings converts a list value read from Neo4j to strings.
func anyStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// anyMap converts a map value read from Neo4j.
func anyMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
