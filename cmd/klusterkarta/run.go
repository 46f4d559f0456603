package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/klusterkarta/klusterkarta/crawler"
	"github.com/klusterkarta/klusterkarta/internal/api"
	"github.com/klusterkarta/klusterkarta/internal/demoweb"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `klusterkarta maps Sweden's green clusters.

Usage:
  klusterkarta crawl  [flags]          crawl the registry once and print a summary
  klusterkarta serve  [flags]          serve the API and web UI
  klusterkarta search [flags] "query"  search from the terminal
  klusterkarta demo   [flags]          crawl a bundled offline demo web and serve it
  klusterkarta digest [flags]          what is new per topic: --since 7d --topic ID --format text|html
  klusterkarta export [flags]          the network as --format graphml|jsonld|csv
  klusterkarta graph  copy|export      copy the embedded graph into Neo4j; export from either store

Run "klusterkarta COMMAND -h" for a command's flags. Every flag has an
environment twin: --data is KLUSTERKARTA_DATA, --allow-private is
KLUSTERKARTA_ALLOW_PRIVATE, and so on.
`

// Env is what Run takes from the process: its environment and where it
// reports the address it listens on.
type Env struct {
	Getenv func(string) string
	// Listening, if not nil, receives the base URL once the server listens.
	Listening func(url string)
}

// Run runs one klusterkarta command and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return RunEnv(ctx, args, stdout, stderr, Env{Getenv: os.Getenv})
}

// RunEnv is Run with an explicit environment, for tests.
func RunEnv(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "crawl":
		err = runCrawl(ctx, args[1:], stdout, stderr, env)
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr, env)
	case "search":
		err = runSearch(ctx, args[1:], stdout, stderr, env)
	case "demo":
		err = runDemo(ctx, args[1:], stdout, stderr, env)
	case "digest":
		err = runDigest(ctx, args[1:], stdout, stderr, env)
	case "export":
		err = runExport(ctx, args[1:], stdout, stderr, env)
	case "graph":
		err = runGraph(ctx, args[1:], stdout, stderr, env)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "--version":
		fmt.Fprintln(stdout, "klusterkarta", version)
		return 0
	default:
		fmt.Fprintf(stderr, "klusterkarta: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "klusterkarta:", err)
	return 1
}

// errUsage marks an error whose message the flag package already printed.
var errUsage = errors.New("usage")

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("klusterkarta "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses flags and wraps flag errors so Run exits with 2.
func parse(fs *flag.FlagSet, args []string, env Env) error {
	if err := parseFlags(fs, args, env.Getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		if strings.HasPrefix(err.Error(), "bad environment") {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

func runCrawl(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) error {
	fs := newFlagSet("crawl", stderr)
	var common commonFlags
	var cf crawlFlags
	common.register(fs)
	cf.register(fs)
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	d := crawler.DefaultConfig()
	restart := fs.Bool("restart", false, "discard an interrupted crawl and start anew (by default it is resumed)")
	refetch := fs.Bool("refetch", false, "ignore stored ETags, Last-Modified dates and hashes: fetch, extract and write every page")
	maxRedirects := fs.Int("max-redirects", d.MaxRedirects, "redirects one request follows")
	siteTimeout := fs.Duration("site-timeout", d.MaxSiteDuration, "time spent on one site per crawl; the rest waits for the next crawl")
	checkpoint := fs.Duration("checkpoint", d.CheckpointInterval, "how often progress is made durable, so that a killed crawl resumes from there")
	fetchOnly := fs.Bool("fetch-only", false, "fetch every page but extract, store and remember nothing (measures the crawler alone; the data directory is not touched)")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	logger, err := common.logger(stderr)
	if err != nil {
		return err
	}
	cfg := cf.config(logger)
	cfg.Restart, cfg.Refetch = *restart, *refetch
	cfg.MaxRedirects, cfg.MaxSiteDuration = *maxRedirects, *siteTimeout
	cfg.CheckpointInterval = *checkpoint
	reg, err := loadRegistry(cf.seeds)
	if err != nil {
		return err
	}
	var progress func(crawler.Stats)
	var bar *progressBar
	if isTerminal(stderr) && !*asJSON {
		bar = &progressBar{w: stderr}
		progress = bar.update
	}
	crawl := func(ctx context.Context) (Summary, error) { return fetchPages(ctx, cfg, reg, progress) }
	if !*fetchOnly {
		app, err := openApp(ctx, common.data, common.graph, reg, logger)
		if err != nil {
			return err
		}
		defer app.Close()
		crawl = func(ctx context.Context) (Summary, error) { return app.Crawl(ctx, cfg, progress) }
	}
	sum, err := crawl(ctx)
	if bar != nil {
		bar.done()
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if encErr := enc.Encode(sum); encErr != nil {
			return fmt.Errorf("writing summary: %w", encErr)
		}
	} else {
		printSummary(stdout, sum)
	}
	return err
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) error {
	fs := newFlagSet("serve", stderr)
	var common commonFlags
	var cf crawlFlags
	common.register(fs)
	cf.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	background := fs.Bool("crawl", false, "keep crawling in the background")
	var sf serverFlags
	sf.register(fs)
	interval := fs.Duration("crawl-interval", 24*time.Hour, "pause between background crawls")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	logger, err := common.logger(stderr)
	if err != nil {
		return err
	}
	reg, err := loadRegistry(cf.seeds)
	if err != nil {
		return err
	}
	app, err := openApp(ctx, common.data, common.graph, reg, logger)
	if err != nil {
		return err
	}
	defer app.Close()
	if *background {
		go crawlForever(ctx, app, cf.config(logger), *interval)
	}
	crawlCfg := cf.config(logger)
	return serve(ctx, app, *addr, stdout, env, serveOptions{flags: sf, crawl: &crawlCfg})
}

// crawlForever crawls, waits interval, and crawls again until ctx ends.
func crawlForever(ctx context.Context, app *App, cfg crawler.Config, interval time.Duration) {
	for {
		sum, err := app.Crawl(ctx, cfg, nil)
		if err != nil && ctx.Err() == nil {
			app.Logger.Error("background crawl failed", "err", err)
		} else {
			app.Logger.Info("background crawl done", "pages", sum.PagesFetched, "documents", sum.Documents, "changed", sum.Changed)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// serve runs the HTTP server on addr until ctx ends, then shuts it down.
func serve(ctx context.Context, app *App, addr string, stdout io.Writer, env Env, opts serveOptions) error {
	if os.Getenv(gin.EnvGinMode) == "" {
		gin.SetMode(gin.ReleaseMode)
	}
	srv := &api.Server{Graph: app.Graph, Search: app.Index, Logger: app.Logger, Version: version}
	ctx, stopCrawls := context.WithCancel(ctx)
	waitCrawls := opts.configure(ctx, srv, app)
	defer func() { stopCrawls(); waitCrawls() }() // before the caller closes the app
	handler, err := srv.Handler()
	if err != nil {
		return fmt.Errorf("building HTTP handler: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(app.Logger.Handler(), slog.LevelWarn),
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "Klusterkarta is serving on %s/\n", url)
	fmt.Fprintln(stdout, opts.describe())
	if env.Listening != nil {
		env.Listening(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) error {
	fs := newFlagSet("search", stderr)
	var common commonFlags
	common.register(fs)
	var req kg.SearchRequest
	fs.StringVar(&req.Cluster, "cluster", "", "only documents about this cluster id")
	fs.StringVar(&req.Topic, "topic", "", "only documents on this topic id")
	fs.StringVar(&req.Kind, "kind", "", "only documents of this kind")
	fs.StringVar(&req.County, "county", "", "only documents about clusters in this county")
	fs.IntVar(&req.Size, "size", 10, "number of hits")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	req.Query = strings.Join(fs.Args(), " ")
	if err := req.Validate(); err != nil {
		return err
	}
	logger, err := common.logger(stderr)
	if err != nil {
		return err
	}
	reg, err := loadRegistry("")
	if err != nil {
		return err
	}
	app, err := openApp(ctx, common.data, common.graph, reg, logger)
	if err != nil {
		return err
	}
	defer app.Close()
	res, err := app.Index.Search(ctx, req)
	if err != nil {
		return fmt.Errorf("searching: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "%d hits for %q\n", res.Total, req.Query)
	for i, h := range res.Hits {
		fmt.Fprintf(stdout, "\n%d. %s [%s] %s\n   %s\n   %s\n", i+1, h.Title, h.Kind, strings.Join(h.Clusters, ", "), h.URL, plainSnippet(h.Snippet))
	}
	return nil
}

// plainSnippet turns an HTML snippet with <mark> tags into terminal text.
func plainSnippet(s string) string {
	r := strings.NewReplacer("<mark>", "*", "</mark>", "*", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'", "&quot;", `"`)
	return r.Replace(s)
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) error {
	fs := newFlagSet("demo", stderr)
	var common commonFlags
	common.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve the UI on")
	delay := fs.Duration("delay", 20*time.Millisecond, "politeness delay between requests to one demo host")
	crawlOnly := fs.Bool("crawl-only", false, "crawl the demo web, print the summary and exit without serving")
	var sf serverFlags
	sf.register(fs)
	if err := parse(fs, args, env); err != nil {
		return err
	}
	logger, err := common.logger(stderr)
	if err != nil {
		return err
	}
	dataDir := common.data
	if !isFlagSet(fs, "data") && env.Getenv(envName("data")) == "" {
		dataDir, err = os.MkdirTemp("", "klusterkarta-demo-")
		if err != nil {
			return fmt.Errorf("creating demo data directory: %w", err)
		}
		defer os.RemoveAll(dataDir)
	}
	web, err := demoweb.Start(ctx)
	if err != nil {
		return fmt.Errorf("starting demo web: %w", err)
	}
	defer web.Close()
	reg := web.Registry()
	app, err := openApp(ctx, dataDir, common.graph, reg, logger)
	if err != nil {
		return err
	}
	defer app.Close()
	cfg := crawler.DefaultConfig()
	cfg.Delay = *delay
	cfg.AllowPrivate = true
	cfg.Logger = logger
	fmt.Fprintf(stdout, "Crawling the demo web: %d fictional clusters and %d source site on 127.0.0.1\n", len(reg.Clusters), len(reg.Sources))
	sum, err := app.Crawl(ctx, cfg, nil)
	printSummary(stdout, sum)
	if err != nil {
		return err
	}
	if *crawlOnly {
		return nil
	}
	fmt.Fprintln(stdout, "Try the topic page of self-sufficiency: /topics/self-sufficiency (Ctrl-C stops)")
	return serve(ctx, app, *addr, stdout, env, serveOptions{flags: sf, crawl: &cfg})
}

// isFlagSet reports whether name was given on the command line.
func isFlagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
