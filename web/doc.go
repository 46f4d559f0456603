// Package web holds Klusterkarta's user interface: the HTML templates and
// static assets, embedded in the binary, the data each page renders, the
// Swedish and English message table, and the snippet sanitiser.
//
// It serves nothing itself: internal/api builds the page data, renders it
// with Templates.Render and serves Static under /static/.
package web
