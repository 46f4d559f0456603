package demoweb_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"

	"github.com/klusterkarta/klusterkarta/internal/demoweb"
)

// Start the demo web, list its registry and fetch a page.
func ExampleStart() {
	w, err := demoweb.Start(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()

	reg := w.Registry()
	for _, c := range reg.Clusters {
		fmt.Printf("%s (%s): %d site(s)\n", c.Name, c.County, len(c.Sites))
	}
	fmt.Println("source:", reg.Sources[0].Name)

	resp, err := http.Get(w.URL(demoweb.SiteAngsmarken, "/robots.txt"))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, len(body) > 0)
	fmt.Println("requests for /intern/:", w.Hits(demoweb.SiteAngsmarken, demoweb.InternPath))
	// Output:
	// Ängsmarkens Gröna Kluster (Östergötlands län): 1 site(s)
	// Skogsbrynets Kluster (Västerbottens län): 1 site(s)
	// Kustlandets Matkluster (Hallands län): 1 site(s)
	// Slättbygdens Kluster (Skåne län): 0 site(s)
	// source: Nätverket för gröna kluster
	// 200 OK true
	// requests for /intern/: 0
}
