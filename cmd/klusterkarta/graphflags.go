package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/graph/neo4j"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// graphFlags choose where the knowledge graph lives.
type graphFlags struct {
	uri      string // "embedded", or a bolt:// or neo4j:// URI
	user     string
	password string
	database string
}

func (g *graphFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&g.uri, "graph", "embedded", `graph store: "embedded" (in the data directory) or a Neo4j URI such as bolt://host:7687 or neo4j://host`)
	fs.StringVar(&g.user, "neo4j-user", "neo4j", "Neo4j user")
	fs.StringVar(&g.password, "neo4j-password", "", "Neo4j password")
	fs.StringVar(&g.database, "neo4j-database", "", "Neo4j database (default: the server's default)")
}

// isNeo4j reports whether the flags name a Neo4j server.
func (g graphFlags) isNeo4j() bool { return g.uri != "" && g.uri != "embedded" }

// check validates the flags without connecting.
func (g graphFlags) check() error {
	if !g.isNeo4j() {
		return nil
	}
	u, err := url.Parse(g.uri)
	if err != nil {
		return fmt.Errorf("--graph %q: %w", g.uri, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc":
	default:
		return fmt.Errorf(`--graph must be "embedded" or a bolt:// or neo4j:// URI, not %q`, g.uri)
	}
	if u.Host == "" {
		return fmt.Errorf("--graph %q has no host", g.uri)
	}
	if g.password == "" {
		return fmt.Errorf("--graph %s needs --neo4j-password (or KLUSTERKARTA_NEO4J_PASSWORD)", g.uri)
	}
	return nil
}

// openGraph opens the graph store the flags name: the embedded store in
// dataDir, or a Neo4j server.
func openGraph(ctx context.Context, g graphFlags, dataDir string, logger *slog.Logger) (kg.GraphStore, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	if !g.isNeo4j() {
		store, err := embedded.Open(filepath.Join(dataDir, "graph"), embedded.WithLogger(logger))
		if err != nil {
			return nil, fmt.Errorf("opening graph in %s: %w", dataDir, err)
		}
		return store, nil
	}
	store, err := neo4j.Open(ctx, neo4j.Config{URI: g.uri, User: g.user, Password: g.password, Database: g.database, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("connecting to Neo4j at %s: %w", g.uri, err)
	}
	return store, nil
}
