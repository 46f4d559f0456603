package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/crawler"
)

// envPrefix starts the environment twin of every flag.
const envPrefix = "KLUSTERKARTA_"

// envName returns the environment variable that stands for flag name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// parseFlags sets each flag from its environment twin, then from args, so
// the command line wins over the environment.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var errs []string
	fs.VisitAll(func(f *flag.Flag) {
		v := getenv(envName(f.Name))
		if v == "" {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			errs = append(errs, fmt.Sprintf("%s=%q: %v", envName(f.Name), v, err))
		}
	})
	if len(errs) > 0 {
		return fmt.Errorf("bad environment: %s", strings.Join(errs, "; "))
	}
	return fs.Parse(args)
}

// commonFlags are the flags every subcommand takes.
type commonFlags struct {
	graph     graphFlags
	data      string
	logLevel  string
	logFormat string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.data, "data", "klusterkarta-data", "data directory: graph, index and crawl state")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	c.graph.register(fs)
}

// logger builds the one logger of the process.
func (c *commonFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", c.logFormat)
}

// crawlFlags configure a crawl.
type crawlFlags struct {
	seeds        string
	delay        time.Duration
	maxDepth     int
	maxPages     int
	maxBody      int
	timeout      time.Duration
	parallel     int
	retries      int
	allowPrivate bool
	userAgent    string
}

func (c *crawlFlags) register(fs *flag.FlagSet) {
	d := crawler.DefaultConfig()
	fs.StringVar(&c.seeds, "seeds", "", "registry YAML file of clusters and sources (default: the embedded Swedish list)")
	fs.DurationVar(&c.delay, "delay", d.Delay, "politeness delay between requests to one host")
	fs.IntVar(&c.maxDepth, "max-depth", d.MaxDepth, "maximum link depth from a site's root")
	fs.IntVar(&c.maxPages, "max-pages", d.MaxPagesPerSite, "maximum pages fetched per site")
	fs.IntVar(&c.maxBody, "max-body", d.MaxBodyBytes, "maximum response body size in bytes")
	fs.DurationVar(&c.timeout, "timeout", d.RequestTimeout, "timeout of one request")
	fs.IntVar(&c.parallel, "parallel", d.Parallelism, "hosts crawled in parallel")
	fs.IntVar(&c.retries, "retries", d.RetryMax, "retries of a failed request (network errors, 429, 5xx)")
	fs.BoolVar(&c.allowPrivate, "allow-private", false, "allow loopback, private and link-local addresses (for local test webs)")
	fs.StringVar(&c.userAgent, "user-agent", d.UserAgent, "User-Agent header sent with every request")
}

// config turns the flags into a crawler configuration.
func (c *crawlFlags) config(logger *slog.Logger) crawler.Config {
	cfg := crawler.DefaultConfig()
	cfg.Delay = c.delay
	cfg.MaxDepth = c.maxDepth
	cfg.MaxPagesPerSite = c.maxPages
	cfg.MaxBodyBytes = c.maxBody
	cfg.RequestTimeout = c.timeout
	cfg.Parallelism = c.parallel
	cfg.RetryMax = c.retries
	cfg.AllowPrivate = c.allowPrivate
	cfg.UserAgent = c.userAgent
	cfg.Logger = logger
	return cfg
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
