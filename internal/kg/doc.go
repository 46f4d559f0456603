// Package kg holds Klusterkarta's domain: the registry of clusters and
// sources, fetched and extracted documents, the facts a document supports,
// the read models the API answers with, and the interfaces that the crawler,
// the graph stores and the search index implement.
//
// It imports only the standard library. Every other package in the project
// depends on kg; kg depends on none of them.
package kg
