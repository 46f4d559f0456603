// Package index is Klusterkarta's full-text index, built on Bleve. It
// implements kg.Searcher.
//
// Documents are indexed with an explicit mapping (no dynamic fields). Title,
// text and the text's headings go to language-specific fields chosen by the
// document's language (detected from the text when not set, see
// DetectLang):
// title_sv and text_sv are analysed as Swedish (lower-casing, a Swedish stop
// list that keeps "så" and "vara" searchable, the Snowball stemmer, and the
// stems of the indefinite forms of definite words, so that "strategi" finds
// "strategin" and "beredskapslager" finds "beredskapslagret"), title_en and
// text_en as English. A query is analysed per field, so the same
// words are stemmed as Swedish against Swedish documents and as English
// against English ones.
//
// Swedish compounds are split by a decompounding filter of this package
// (see Dictionary.Split) into the words of dict/domain.txt and, when a
// build step has generated it, dict/general.txt: "livsmedelsstrategin" is
// also indexed as "livsmedel" and "strategin", with the byte offsets of
// each part, so highlights mark the right letters. A compound in a query
// matches itself or all of its parts together.
//
// Each word of a query is one clause that it may satisfy in any field: as
// Swedish (stems, compound parts, the parts possibly spread over title and
// text), as English, and in the very form it was written, which weighs
// extra ("Dalarna" above "dal"). Titles weigh three times the text, the
// lines of the text that read as headings twice. A question ("vilka
// kluster arbetar med krisberedskap", "who is the CEO of Krinova") is
// searched by its subject, without its question and framing words.
//
// With WithTopics, a query naming a topic in either language also searches
// the topic's other terms, weighted below the user's words, and documents
// tagged with the topic; the glossary of dict/glossary.txt translates the
// everyday words around the topics between English and Swedish, and a word
// the index does not hold in the language written ("founded") is searched
// through its translations ("grundades") beside the user's other words.
// Unknown words are corrected (SearchResult.DidYouMean), misspelt compounds
// through the dictionary ("beredskabslager" → "beredskapslager"), and the
// corrections searched too; a query that finds nothing is retried with
// fuzzy matching. Hits are ranked by text score weighted by document kind
// and, for news and events, freshness; near-duplicate texts collapse into
// one hit (Hit.AlsoOn).
//
// The quality of the ranking is measured by index/cmd/evalsearch on judged
// queries (see its README.md).
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
