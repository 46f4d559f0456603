package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

const graphUsage = `Usage:
  klusterkarta graph copy --to bolt://host:7687 [flags]
        copy the embedded graph in --data into Neo4j, without crawling
  klusterkarta graph export --format graphml|jsonld|csv [flags]
        the network from either store (the same as "klusterkarta export")

Run "klusterkarta graph COMMAND -h" for a command's flags.
`

// runGraph runs the graph subcommands: copy and export.
func runGraph(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, graphUsage)
		return errUsage
	}
	switch args[0] {
	case "copy":
		return runGraphCopy(ctx, args[1:], stdout, stderr, env)
	case "export":
		return runExport(ctx, args[1:], stdout, stderr, env)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, graphUsage)
		return nil
	}
	fmt.Fprintf(stderr, "klusterkarta graph: unknown command %q\n\n%s", args[0], graphUsage)
	return errUsage
}

// copyReport says what graph copy did.
type copyReport struct {
	FactSets  int // fact sets read from the embedded graph
	Written   int // of them, those the target did not hold already
	Unchanged int // of them, those the target held with the same hash
	Stats     kg.GraphStats
}

// runGraphCopy copies the fact sets of the embedded graph in --data, in
// the order they were written, into the Neo4j graph --to names. A fact set
// the target already holds with the same hash is skipped, so a copy that
// was interrupted resumes where it stopped.
func runGraphCopy(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) error {
	fs := newFlagSet("graph copy", stderr)
	var common commonFlags
	common.register(fs)
	to := fs.String("to", "", "the Neo4j graph to copy into: a bolt:// or neo4j:// URI (credentials from --neo4j-user and --neo4j-password)")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if common.graph.isNeo4j() {
		return fmt.Errorf("graph copy reads the embedded graph in --data; leave --graph at embedded and name the target with --to")
	}
	target := common.graph
	target.uri = *to
	if !target.isNeo4j() {
		return fmt.Errorf("graph copy needs --to bolt://host:7687 (or neo4j://...): the Neo4j graph to copy into")
	}
	if target.password == "" {
		return fmt.Errorf("graph copy --to %s needs --neo4j-password (or KLUSTERKARTA_NEO4J_PASSWORD)", *to)
	}
	if err := target.check(); err != nil {
		return fmt.Errorf("--to %q is not a usable Neo4j URI: %w", *to, err)
	}
	logger, err := common.logger(stderr)
	if err != nil {
		return err
	}
	dir := filepath.Join(common.data, "graph")
	if _, err := os.Stat(filepath.Join(dir, embedded.FileName)); err != nil {
		return fmt.Errorf("no graph in %s: crawl first, or pass --data", common.data)
	}
	src, err := embedded.Open(dir, embedded.WithLogger(logger))
	if err != nil {
		if errors.Is(err, embedded.ErrLocked) {
			return fmt.Errorf("%w: stop the server that uses %s, or copy while it is stopped", err, common.data)
		}
		return err
	}
	defer src.Close()
	dst, err := openGraph(ctx, target, common.data, logger)
	if err != nil {
		return err
	}
	defer dst.Close()

	start := time.Now()
	rep, err := copyGraph(ctx, src, dst, func(n int) {
		logger.Info("copying the graph", "fact_sets", n, "elapsed", time.Since(start).Round(time.Second))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Copied %d fact sets from %s to %s in %s (%d written, %d already there).\n",
		rep.FactSets, dir, *to, time.Since(start).Round(time.Millisecond), rep.Written, rep.Unchanged)
	fmt.Fprintf(stdout, "The graph holds %s nodes and %s relationships.\n", countsText(rep.Stats.Nodes), countsText(rep.Stats.Edges))
	return nil
}

// copyProgressEvery is how many fact sets pass between progress reports.
const copyProgressEvery = 500

// copyGraph writes every fact set of src, in write order, into dst and
// checks that both stores then count the same nodes and relationships;
// they do not if dst held facts of other sources before. progress, if not
// nil, is called every copyProgressEvery fact sets.
func copyGraph(ctx context.Context, src *embedded.Store, dst kg.GraphStore, progress func(n int)) (copyReport, error) {
	var rep copyReport
	err := src.FactSets(ctx, func(fs kg.FactSet) error {
		changed, err := dst.ReplaceFacts(ctx, fs)
		if err != nil {
			return fmt.Errorf("writing the facts of %s: %w", fs.SourceID, err)
		}
		rep.FactSets++
		if changed {
			rep.Written++
		} else {
			rep.Unchanged++
		}
		if progress != nil && rep.FactSets%copyProgressEvery == 0 {
			progress(rep.FactSets)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("copying the graph: %w", err)
	}
	want, err := src.Stats(ctx)
	if err != nil {
		return rep, fmt.Errorf("counting the embedded graph: %w", err)
	}
	got, err := dst.Stats(ctx)
	if err != nil {
		return rep, fmt.Errorf("counting the copied graph: %w", err)
	}
	rep.Stats = got
	if !maps.Equal(want.Nodes, got.Nodes) || !maps.Equal(want.Edges, got.Edges) {
		return rep, fmt.Errorf("the copy differs from the embedded graph (nodes %s, relationships %s in the copy; %s and %s in the original): the target held other facts before; copy into an empty database",
			countsText(got.Nodes), countsText(got.Edges), countsText(want.Nodes), countsText(want.Edges))
	}
	return rep, nil
}

// countsText writes counts by name as "12 (Cluster 3, Topic 9)".
func countsText(m map[string]int) string {
	total := 0
	parts := ""
	for _, k := range slices.Sorted(maps.Keys(m)) {
		total += m[k]
		if parts != "" {
			parts += ", "
		}
		parts += fmt.Sprintf("%s %d", k, m[k])
	}
	if parts == "" {
		return "0"
	}
	return fmt.Sprintf("%d (%s)", total, parts)
}
