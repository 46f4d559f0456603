// Command crawlweb serves a generated web of green-cluster sites on
// loopback, for benchmarking crawls: by default 10,000 resources over 20
// hosts, host i on its own address 127.0.0.i, all on one port.
//
// Every host is a fictional cluster's site: a home page, about pages, news
// articles, project pages with their fact box (Projektnamn, Projektägare,
// Projektledare, Finansiärer, Intressenter, Projekttid), event pages with
// Swedish dates, staff and contact pages, PDF reports, an iCalendar file, an
// RSS feed, sitemap.xml and robots.txt. Pages link to each other within a
// host, so that a crawler that reads no sitemap reaches every resource too,
// and across hosts. Every page links to two paths robots.txt disallows and
// one about page to a path that answers 404. The same flags give the same
// bytes.
//
// Usage:
//
//	crawlweb [-hosts 20] [-pages 10000] [-port 18480] [-control 127.0.0.1:18479] [-registry web.yaml]
//
// It prints the site root of every host, one a line, and writes the
// registry of the hosts' clusters to -registry, for "klusterkarta crawl
// --seeds". The control address answers:
//
//	GET  /stats  requests served since the last reset, by kind and host (JSON)
//	POST /reset  start counting anew
//	GET  /web    what the web holds (JSON)
//
// The pages count is every GET answered with a resource other than
// robots.txt and sitemap.xml.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/registry"
	"github.com/klusterkarta/klusterkarta/internal/topics"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "crawlweb:", err)
		os.Exit(1)
	}
}

// run generates the web, serves it until ctx ends, and calls ready, if not
// nil, once every listener is open.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(*Web, string)) error {
	fs := flag.NewFlagSet("crawlweb", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hosts := fs.Int("hosts", 20, "number of hosts, each on 127.0.0.N (at most 20)")
	pages := fs.Int("pages", 10000, "resources over all hosts, robots.txt and sitemap.xml not counted")
	seed := fs.Uint64("seed", 1, "seed of the generated text")
	port := fs.Int("port", 18480, "port every host listens on; 0 picks one per host")
	control := fs.String("control", "127.0.0.1:18479", "address of the control server (/stats, /reset, /web)")
	regPath := fs.String("registry", "", "write the registry YAML of the hosts' clusters to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	vocab, err := topics.Default()
	if err != nil {
		return fmt.Errorf("loading topics: %w", err)
	}

	// Listen first: with -port 0 the base URLs are known only then.
	lns := make([]net.Listener, *hosts)
	defer func() {
		for _, ln := range lns {
			if ln != nil {
				ln.Close()
			}
		}
	}()
	for i := range lns {
		if *hosts > 254 {
			return fmt.Errorf("too many hosts: %d", *hosts)
		}
		addr := fmt.Sprintf("127.0.0.%d:%d", i+1, *port)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("listening on %s: %w", addr, err)
		}
		lns[i] = ln
	}
	start := time.Now()
	web, err := Generate(Config{
		Hosts: *hosts, Pages: *pages, Seed: *seed, Topics: vocab,
		Base: func(i int) string { return "http://" + lns[i].Addr().String() },
	})
	if err != nil {
		return err
	}
	logger.Info("web generated", "hosts", len(web.Hosts), "fetchable", web.Fetchable(), "by_kind", web.Counts(), "took", time.Since(start).Round(time.Millisecond))
	if *regPath != "" {
		data, err := registry.Marshal(web.Registry())
		if err != nil {
			return err
		}
		if err := os.WriteFile(*regPath, data, 0o644); err != nil {
			return fmt.Errorf("writing registry: %w", err)
		}
	}

	counter := NewCounter()
	ctl, err := net.Listen("tcp", *control)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *control, err)
	}
	servers := []*http.Server{{Handler: controlHandler(counter, web), ReadHeaderTimeout: 10 * time.Second}}
	listeners := []net.Listener{ctl}
	for i, h := range web.Hosts {
		servers = append(servers, &http.Server{Handler: Handler(h, counter), ReadHeaderTimeout: 10 * time.Second,
			ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)})
		listeners = append(listeners, lns[i])
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	for _, h := range web.Hosts {
		fmt.Fprintln(stdout, h.Base+"/")
	}
	controlURL := "http://" + ctl.Addr().String()
	logger.Info("serving", "hosts", len(web.Hosts), "control", controlURL)
	if ready != nil {
		ready(web, controlURL)
	}
	select {
	case <-ctx.Done():
	case err = <-errc:
		err = fmt.Errorf("serving: %w", err)
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		srv.Shutdown(shutCtx)
	}
	return err
}
