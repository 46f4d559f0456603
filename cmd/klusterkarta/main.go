// Command klusterkarta crawls the websites of Sweden's green clusters, builds
// a knowledge graph and a search index from them, and serves the answers.
//
// Usage:
//
//	klusterkarta crawl  [flags]          crawl the registry once and print a summary
//	klusterkarta serve  [flags]          serve the API and web UI
//	klusterkarta search [flags] "query"  search from the terminal
//	klusterkarta demo   [flags]          crawl a bundled offline demo web and serve it
//
// Every flag has an environment twin: --data is KLUSTERKARTA_DATA,
// --allow-private is KLUSTERKARTA_ALLOW_PRIVATE, and so on.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
