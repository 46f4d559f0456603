// Package demoweb serves Klusterkarta's bundled offline demo web: four
// fictional Swedish green-cluster websites, one HTTP server per site on
// 127.0.0.1, that `klusterkarta demo` crawls and the end-to-end tests use.
//
// The sites are written for the project and describe invented clusters,
// people, projects and places:
//
//   - Ängsmarkens Gröna Kluster (Östergötlands län): self-sufficiency,
//     crisis preparedness and the food strategy, with project, event,
//     contact and news pages, a PDF report, a robots.txt that disallows
//     /intern/ and a sitemap that lists a page no other page links to.
//   - Skogsbrynets Kluster (Västerbottens län): forestry, biogas and
//     capital supply, served as ISO-8859-1 bytes with no charset anywhere,
//     so that extraction has to detect the encoding.
//   - Kustlandets Matkluster (Hallands län): fishing, aquaculture, food
//     processing and business models, with an English page and an event
//     page that carries schema.org JSON-LD.
//   - Nätverket för gröna kluster: a national source site whose articles
//     name the clusters (one only by its short name) and must be
//     attributed to them.
//
// The site files live under sites/<name>/ and are embedded in the binary:
// layout.html wraps every page of a site, pages/ holds the pages (each an
// HTML fragment with a small header of fields), files/ holds files served
// verbatim. Start renders them and serves each site on its own port, so
// that every site is a distinct host. Expected states the topic ranking
// that a correct crawl of the demo web must produce.
package demoweb
