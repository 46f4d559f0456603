package index

import (
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/sv"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Names of the analysis components this index defines in its mapping.
const (
	analyzerSwedish = "klusterkarta_sv"
	analyzerWords   = "klusterkarta_words"
	stopMapSwedish  = "klusterkarta_sv_stop_words"
	stopFilterSv    = "klusterkarta_sv_stop"
)

// mappingVersion is stored inside every index this package creates. Open
// refuses an index written with another version: the index is derived data
// and must then be rebuilt from the store.
const mappingVersion = "3"

// internalVersionKey is the Bleve internal key holding mappingVersion.
var internalVersionKey = []byte("klusterkarta.mapping_version")

// internalRefillKey is the Bleve internal key set while an index created
// on disk waits for its first full crawl (Index.NeedsRefill).
var internalRefillKey = []byte("klusterkarta.needs_refill")

// Field names in the Bleve documents.
const (
	fieldTitleSv  = "title_sv"
	fieldTitleEn  = "title_en"
	fieldTextSv   = "text_sv"
	fieldTextEn   = "text_en"
	fieldHeadSv   = "headings_sv" // the lines of the text that read as headings
	fieldHeadEn   = "headings_en"
	fieldURL      = "url"
	fieldCluster  = "cluster"
	fieldCounty   = "county"
	fieldKind     = "kind"
	fieldTopics   = "topics"
	fieldLang     = "lang"
	fieldDate     = "date"
	fieldHost     = "host"
	fieldNames    = "names"       // names of the people, projects, events and organisations a document states
	fieldWords    = "words"       // every word and compound part, lower-cased and unstemmed: the vocabulary of "did you mean"
	fieldYear     = "year"        // year of the date, for the year facet
	fieldSimhash  = "fingerprint" // MinHash of the text, to collapse near-duplicates
	fieldFacets   = "facets"      // every facet value as facetTerm(name, value): one doc-values field counts all facets
	namesBoost    = 2.0
	titleBoost    = 3.0
	snippetLength = 200
)

// swedishKeepWords are words on Bleve's Swedish stop list that are content
// words in the green industries: "så" (to sow) and "vara" (goods).
var swedishKeepWords = []string{"så", "vara"}

// swedishStopWords returns Bleve's Swedish stop list without
// swedishKeepWords, sorted so that the stored mapping is deterministic.
func swedishStopWords() ([]string, error) {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(sv.SwedishStopWords); err != nil {
		return nil, fmt.Errorf("loading Swedish stop words: %w", err)
	}
	for _, w := range swedishKeepWords {
		delete(tm, w)
	}
	words := make([]string, 0, len(tm))
	for w := range tm {
		words = append(words, w)
	}
	slices.Sort(words)
	return words, nil
}

// newMapping returns the explicit index mapping: no dynamic fields, every
// field declared with its analyzer.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	im.DefaultAnalyzer = keyword.Name

	words, err := swedishStopWords()
	if err != nil {
		return nil, err
	}
	tokens := make([]any, len(words))
	for i, w := range words {
		tokens[i] = w
	}
	if err := im.AddCustomTokenMap(stopMapSwedish, map[string]any{
		"type":   tokenmap.Name,
		"tokens": tokens,
	}); err != nil {
		return nil, fmt.Errorf("adding Swedish stop word map: %w", err)
	}
	if err := im.AddCustomTokenFilter(stopFilterSv, map[string]any{
		"type":           stop.Name,
		"stop_token_map": stopMapSwedish,
	}); err != nil {
		return nil, fmt.Errorf("adding Swedish stop filter: %w", err)
	}
	if err := im.AddCustomAnalyzer(analyzerSwedish, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name, stopFilterSv, compoundFilterName, stemFilterName},
	}); err != nil {
		return nil, fmt.Errorf("adding Swedish analyzer: %w", err)
	}
	if err := im.AddCustomAnalyzer(analyzerWords, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name, compoundFilterName},
	}); err != nil {
		return nil, fmt.Errorf("adding word analyzer: %w", err)
	}

	text := func(analyzer string) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = true // for hits and highlighting
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keywordField := func(store bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Store = store
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false // filters read terms, hits stored values
		return f
	}
	date := mapping.NewDateTimeFieldMapping()
	date.IncludeInAll = false

	doc := mapping.NewDocumentMapping()
	doc.Dynamic = false
	doc.AddFieldMappingsAt(fieldTitleSv, text(analyzerSwedish))
	doc.AddFieldMappingsAt(fieldTextSv, text(analyzerSwedish))
	doc.AddFieldMappingsAt(fieldTitleEn, text(en.AnalyzerName))
	heading := func(analyzer string) *mapping.FieldMapping {
		f := text(analyzer)
		f.Store = false // hits show the text, where the headings are
		return f
	}
	doc.AddFieldMappingsAt(fieldHeadSv, heading(analyzerSwedish))
	doc.AddFieldMappingsAt(fieldHeadEn, heading(en.AnalyzerName))
	doc.AddFieldMappingsAt(fieldTextEn, text(en.AnalyzerName))
	doc.AddFieldMappingsAt(fieldURL, keywordField(true))
	doc.AddFieldMappingsAt(fieldCluster, keywordField(true))
	doc.AddFieldMappingsAt(fieldCounty, keywordField(false))
	doc.AddFieldMappingsAt(fieldKind, keywordField(true))
	doc.AddFieldMappingsAt(fieldTopics, keywordField(false))
	doc.AddFieldMappingsAt(fieldLang, keywordField(true))
	doc.AddFieldMappingsAt(fieldHost, keywordField(false))
	doc.AddFieldMappingsAt(fieldDate, date)
	doc.AddFieldMappingsAt(fieldYear, keywordField(false))
	doc.AddFieldMappingsAt(fieldSimhash, keywordField(true))
	doc.AddFieldMappingsAt(fieldNames, text(analyzerSwedish))
	facetField := mapping.NewKeywordFieldMapping()
	facetField.Store = false
	facetField.IncludeTermVectors = false
	facetField.IncludeInAll = false
	facetField.DocValues = true
	doc.AddFieldMappingsAt(fieldFacets, facetField)
	wordsField := mapping.NewTextFieldMapping()
	wordsField.Analyzer = analyzerWords
	wordsField.Store = false
	wordsField.IncludeTermVectors = false
	wordsField.IncludeInAll = false
	wordsField.DocValues = false
	doc.AddFieldMappingsAt(fieldWords, wordsField)

	im.DefaultMapping = doc
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("validating index mapping: %w", err)
	}
	return im, nil
}
