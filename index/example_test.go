package index_test

import (
	"context"
	"fmt"
	"log"

	"github.com/klusterkarta/klusterkarta/index"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func ExampleIndex_Search() {
	ctx := context.Background()
	ix, err := index.OpenMem()
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()

	err = ix.Index(ctx, []kg.IndexDoc{{
		Document: kg.Document{
			ID:       "doc:https://kluster.example/nyheter/1",
			URL:      "https://kluster.example/nyheter/1",
			Title:    "Ny plan för länet",
			Text:     "Länet har antagit strategin för livsmedel & lokal mat.",
			Lang:     "sv",
			Kind:     kg.KindNews,
			Clusters: []string{"vreta-kluster"},
		},
		Counties: []string{"Östergötlands län"},
	}})
	if err != nil {
		log.Fatal(err)
	}

	res, err := ix.Search(ctx, kg.SearchRequest{Query: "strategi", County: "Östergötlands län"})
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range res.Hits {
		fmt.Println(h.Title)
		fmt.Println(h.Snippet)
	}
	fmt.Println(res.Facets["cluster"])
	// Output:
	// Ny plan för länet
	// Länet har antagit <mark>strategin</mark> för livsmedel &amp; lokal mat.
	// [{vreta-kluster 1}]
}
