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
// requests, retries network errors, 429 and 5xx responses a few times with
// backoff (honouring Retry-After), and identifies itself with a User-Agent
// that names the product and a contact URL. Requests to loopback, private,
// link-local and similar addresses are refused unless Config.AllowPrivate is
// set; the check runs when a connection is dialled, so names that resolve to
// such addresses are refused too.
//
// The HTTP stack is colly (asynchronous collector) over an http.Client whose
// transport enforces the per-host politeness and wraps a go-retryablehttp
// client. Politeness lives in the transport rather than in colly's
// LimitRules because the delay of a host is only known once its robots.txt
// has been read, and because waits there stop as soon as the crawl's context
// is cancelled.
package crawler
