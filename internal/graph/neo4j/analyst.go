package neo4j

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

var _ kg.CypherRunner = (*Store)(nil)

// RunReadCypher implements kg.CypherRunner. The query runs in a session
// and a managed transaction of read access mode, so the database itself
// refuses any write; params are passed to it as parameters. At most limit
// rows are read (limit < 1 reads none); truncated tells whether the query
// had more.
func (s *Store) RunReadCypher(ctx context.Context, query string, params map[string]any, limit int) ([]string, [][]any, bool, error) {
	ctx, cancel, err := s.begin(ctx)
	defer cancel()
	if err != nil {
		return nil, nil, false, fmt.Errorf("running a read query: %w", err)
	}
	if strings.TrimSpace(query) == "" {
		return nil, nil, false, kg.Errorf(kg.EINVALID, "the query is empty")
	}
	var (
		columns   []string
		rows      [][]any
		truncated bool
	)
	err = s.read(ctx, func(tx neo4j.ManagedTransaction) error {
		columns, rows, truncated = nil, nil, false
		res, err := tx.Run(ctx, query, params)
		if err != nil {
			return err
		}
		keys, err := res.Keys()
		if err != nil {
			return err
		}
		columns = keys
		rows = [][]any{}
		for res.Next(ctx) {
			if len(rows) >= limit {
				truncated = true
				break
			}
			vals := res.Record().Values
			row := make([]any, len(vals))
			for i, v := range vals {
				row[i] = plain(v)
			}
			rows = append(rows, row)
		}
		return res.Err()
	})
	if err != nil {
		return nil, nil, false, wrap("running a read query", queryError(err))
	}
	return columns, rows, truncated, nil
}

// queryError gives the errors that the query itself causes the code
// EINVALID, with the database's explanation; an over-long query gets
// EUNAVAIL. Other errors are returned as they are.
func queryError(err error) error {
	var neoErr *neo4j.Neo4jError
	if !errors.As(err, &neoErr) || unavailable(err) {
		return err
	}
	switch {
	case neoErr.Code == "Neo.ClientError.Statement.AccessMode":
		return kg.Errorf(kg.EINVALID, "the query writes to the graph, and only read queries are allowed: %s", neoErr.Msg)
	case strings.HasPrefix(neoErr.Code, "Neo.ClientError.Transaction.TransactionTimedOut"):
		return kg.Errorf(kg.EUNAVAIL, "the query took too long and was stopped: %s", neoErr.Msg)
	case strings.HasPrefix(neoErr.Code, "Neo.ClientError.Statement."),
		strings.HasPrefix(neoErr.Code, "Neo.ClientError.Procedure."),
		strings.HasPrefix(neoErr.Code, "Neo.ClientError.Schema."),
		neoErr.Code == "Neo.ClientError.Security.Forbidden":
		return kg.Errorf(kg.EINVALID, "the query was refused (%s): %s", neoErr.Code, neoErr.Msg)
	}
	return err
}

// plain converts a value read from Neo4j into one that encodes to JSON
// as an analyst expects: nodes, relationships and paths as maps, temporal
// values as ISO 8601 strings and points as maps of their coordinates.
func plain(v any) any {
	switch x := v.(type) {
	case dbtype.Node:
		return map[string]any{"element_id": x.ElementId, "labels": x.Labels, "properties": plainMap(x.Props)}
	case dbtype.Relationship:
		return map[string]any{
			"element_id": x.ElementId, "type": x.Type,
			"start": x.StartElementId, "end": x.EndElementId,
			"properties": plainMap(x.Props),
		}
	case dbtype.Path:
		nodes := make([]any, len(x.Nodes))
		for i, n := range x.Nodes {
			nodes[i] = plain(n)
		}
		rels := make([]any, len(x.Relationships))
		for i, r := range x.Relationships {
			rels[i] = plain(r)
		}
		return map[string]any{"nodes": nodes, "relationships": rels}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case map[string]any:
		return plainMap(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case dbtype.Date, dbtype.LocalTime, dbtype.LocalDateTime, dbtype.Time, dbtype.Duration:
		return fmt.Sprint(x)
	case dbtype.Point2D:
		return map[string]any{"srid": x.SpatialRefId, "x": x.X, "y": x.Y}
	case dbtype.Point3D:
		return map[string]any{"srid": x.SpatialRefId, "x": x.X, "y": x.Y, "z": x.Z}
	}
	return v
}

func plainMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = plain(v)
	}
	return out
}
