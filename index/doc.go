// Package index is Klusterkarta's full-text index, built on Bleve. It
// implements kg.Searcher.
//
// Documents are indexed with an explicit mapping (no dynamic fields). Title
// and text go to language-specific fields chosen by the document's language:
// title_sv and text_sv are analysed as Swedish (lower-casing, a Swedish stop
// list that keeps "så" and "vara" searchable, the Snowball stemmer, and the
// stems of the indefinite forms of definite words, so that "strategi" finds
// "strategin" and "beredskapslager" finds "beredskapslagret"), title_en and
// text_en as English. A query is analysed per field, so the same
// words are stemmed as Swedish against Swedish documents and as English
// against English ones.
//
// Usage:
//
//	idx, err := index.Open(filepath.Join(dataDir, "index"))
//	if err != nil { ... }
//	defer idx.Close()
//	err = idx.Index(ctx, docs)
//	res, err := idx.Search(ctx, kg.SearchRequest{Query: `"gröna kluster" beredskap`})
//
// Queries use Bleve's query-string syntax (words, "phrases", +must, -not,
// word*, word~, title:word); input that does not parse is searched as plain
// words, so user input never causes a syntax error.
package index
