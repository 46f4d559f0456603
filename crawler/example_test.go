package crawler_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/klusterkarta/klusterkarta/crawler"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func ExampleCrawler_Crawl() {
	cfg := crawler.DefaultConfig()
	cfg.MaxPagesPerSite = 50
	cfg.Progress = func(s crawler.Stats) { fmt.Printf("\r%d fetched, %d kept", s.Fetched, s.Kept) }

	sink := kg.PageSinkFunc(func(ctx context.Context, doc kg.FetchedDoc) error {
		fmt.Println(doc.Entry.ID, doc.Depth, doc.FinalURL, doc.ContentType)
		return nil
	})
	c, err := crawler.New(cfg, sink)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	reg := kg.Registry{Clusters: []kg.Cluster{{ID: "vreta-kluster", Name: "Vreta Kluster", Sites: []string{"https://vretakluster.se"}}}}
	stats, err := c.Crawl(ctx, reg.Entries())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\nkept %d of %d, %d errors\n", stats.Kept, stats.Fetched, stats.Errors)
}
