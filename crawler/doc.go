// Package crawler walks the websites of the registry's entries and hands
// every response it keeps to a kg.PageSink.
//
// A crawl starts at each site root of each entry and follows links that stay
// within the site (same host, under the root's path). Documents that a site
// links to on other hosts are fetched without being followed when they are
// PDF or iCalendar files. Sitemaps (at <root>/sitemap.xml and listed in
// robots.txt) add pages that no link reaches.
//
// The crawler is polite: it honours robots.txt, including Crawl-delay, sends
// one request at a time to a host (host and port) with a delay between
// requests and between the attempts of a retried request, retries network errors, 429 and 5xx responses a few times with
// backoff (honouring Retry-After), and identifies itself with a User-Agent
// that names the product and a contact URL. Requests to loopback, private,
// link-local and similar addresses are refused unless Config.AllowPrivate is
// set; the check runs when a connection is dialled, so names that resolve to
// such addresses are refused too.
//
// The crawler is safe against hostile servers: redirects, body size and
// decompressed size (gzip bombs) are capped, each attempt and each site has
// a time limit, and crawler traps (endless calendars, repeating paths,
// query-string explosions) are refused by pattern rules and a per-pattern
// budget. URLs are normalized (fragments, default ports, tracking and
// session parameters, sorted query, dot segments; /a and /a/ are one page).
// robots.txt follows RFC 9309 (4xx allows all, 5xx or 429 disallows all,
// read again after 24 hours); robots meta tags and X-Robots-Tag headers are
// honoured: a noindex response never reaches the sink, a nofollow page's
// links are not followed, and canonical links are crawled.
//
// Crawls are incremental and resumable through a State (MemoryState, or
// internal/crawlstate on disk): a page is fetched with If-None-Match and
// If-Modified-Since, a 304 is not extracted again but its stored links are
// followed, and a 404 or 410 for a stored document is reported to a
// kg.GoneSink. Progress is checkpointed: the sink is flushed (when it is a
// Flusher) and only then are the pages it stored recorded as done, so that
// a crawl killed at any moment resumes without losing a document.
//
// The HTTP stack is colly (asynchronous collector) over an http.Client whose
// transport enforces the per-host politeness and wraps a go-retryablehttp
// client. Politeness lives in the transport rather than in colly's
// LimitRules because the delay of a host is only known once its robots.txt
// has been read, and because waits there stop as soon as the crawl's context
// is cancelled.
package crawler
