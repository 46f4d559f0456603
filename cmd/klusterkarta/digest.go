package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/graph/embedded"
	"github.com/klusterkarta/klusterkarta/internal/query"
)

// parseSince reads a duration such as "7d", "2w", "36h" or "90m".
func parseSince(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("bad duration %q: want a positive number of days (7d), weeks (2w) or a Go duration (36h)", s)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad duration %q: want a positive number of days (7d), weeks (2w) or a Go duration (36h)", s)
	}
	return d, nil
}

// listFlag collects a flag given several times or comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// runDigest writes what is new per topic across clusters.
func runDigest(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) error {
	fs := newFlagSet("digest", stderr)
	var common commonFlags
	common.register(fs)
	since := fs.String("since", "7d", "documents dated in this past period: 7d, 2w, 36h")
	ahead := fs.String("ahead", "30d", "events starting in this coming period")
	format := fs.String("format", "text", "text or html")
	lang := fs.String("lang", "sv", "sv or en")
	out := fs.String("out", "", "file to write; standard output if empty")
	var topics listFlag
	fs.Var(&topics, "topic", "only this topic id (repeat or comma-separate for several)")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	sinceD, err := parseSince(*since)
	if err != nil {
		return err
	}
	aheadD, err := parseSince(*ahead)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "html" {
		return fmt.Errorf("--format must be text or html, not %q", *format)
	}
	if *lang != "sv" && *lang != "en" {
		return fmt.Errorf("--lang must be sv or en, not %q", *lang)
	}
	eng, app, err := openEngine(ctx, common, stderr)
	if err != nil {
		return err
	}
	defer app.Close()
	d, err := eng.Digest(ctx, query.DigestRequest{Since: sinceD, Ahead: aheadD, Topics: topics, Lang: *lang})
	if err != nil {
		return fmt.Errorf("building the digest: %w", err)
	}
	return writeOut(*out, stdout, func(w io.Writer) error {
		if *format == "html" {
			return d.WriteHTML(w)
		}
		return d.WriteText(w)
	})
}

// runExport writes the network as GraphML, JSON-LD or CSV.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) error {
	fs := newFlagSet("export", stderr)
	var common commonFlags
	common.register(fs)
	format := fs.String("format", "graphml", "graphml, jsonld or csv (csv writes nodes.csv and edges.csv into --out)")
	out := fs.String("out", "", "file to write (a directory for csv); standard output if empty")
	topic := fs.String("topic", "", "only clusters on this topic id and what links to them")
	county := fs.String("county", "", "only clusters in this county and what links to them")
	var kinds listFlag
	fs.Var(&kinds, "kinds", "node kinds: "+strings.Join(query.NetworkKinds, ", ")+" (default all)")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if *format != "csv" && *format != query.FormatGraphML && *format != query.FormatJSONLD {
		return fmt.Errorf("--format must be graphml, jsonld or csv, not %q", *format)
	}
	if *format == "csv" && *out == "" {
		return fmt.Errorf("--format csv writes two files: give a directory with --out")
	}
	eng, app, err := openEngine(ctx, common, stderr)
	if err != nil {
		return err
	}
	defer app.Close()
	x, err := eng.Export(ctx, query.NetworkRequest{Topic: *topic, County: *county, Kinds: kinds})
	if err != nil {
		return fmt.Errorf("exporting: %w", err)
	}
	if *format == "csv" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", *out, err)
		}
		for _, f := range []string{query.FormatNodesCSV, query.FormatEdgesCSV} {
			path := filepath.Join(*out, f)
			if err := writeOut(path, stdout, func(w io.Writer) error { return x.Write(w, f) }); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "Wrote %d nodes and %d edges to %s\n", len(x.Nodes), len(x.Edges), *out)
		return nil
	}
	return writeOut(*out, stdout, func(w io.Writer) error { return x.Write(w, *format) })
}

// openEngine opens the graph and the index of the data directory as they
// are, without loading a registry into them, and a query engine over them.
func openEngine(ctx context.Context, common commonFlags, stderr io.Writer) (*query.Engine, io.Closer, error) {
	logger, err := common.logger(stderr)
	if err != nil {
		return nil, nil, err
	}
	if !common.graph.isNeo4j() {
		if _, err := os.Stat(filepath.Join(common.data, "graph", embedded.FileName)); err != nil {
			return nil, nil, fmt.Errorf("no graph in %s: crawl first, or pass --data", common.data)
		}
	}
	graph, err := openGraph(ctx, common.graph, common.data, logger)
	if err != nil {
		return nil, nil, err
	}
	idx, err := index.Open(filepath.Join(common.data, "index"))
	if err != nil {
		graph.Close()
		return nil, nil, fmt.Errorf("opening index in %s: %w", common.data, err)
	}
	closer := closeFunc(func() error { return errors.Join(idx.Close(), graph.Close()) })
	engine, err := query.New(graph, idx)
	if err != nil {
		closer.Close()
		return nil, nil, err
	}
	return engine, closer, nil
}

// closeFunc adapts a function to io.Closer.
type closeFunc func() error

// Close calls f.
func (f closeFunc) Close() error { return f() }

// writeOut runs write on the file path, or on stdout if path is empty.
func writeOut(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
