// Package privacy keeps people whom Klusterkarta must forget out of the
// graph and the index.
//
// A List is the suppression list: one entry per erased person, persisted as
// a JSON file in the data directory. It stores hashes of the person's graph
// id, name, e-mail addresses and phone numbers, never the values
// themselves. The write path consults it through two decorators:
//
//	graph = list.Graph(graph)     // person nodes and their edges dropped, names redacted
//	index = list.Searcher(index)  // names, e-mails and phones redacted from indexed text
//
// so a re-crawl of a page that names an erased person does not bring them
// back. An Eraser does the erasure itself: it records the suppression, then
// retracts from the graph and deletes from the index every document that
// supported the person, to be written again, redacted, by the next crawl.
package privacy
