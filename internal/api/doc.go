// Package api serves Klusterkarta over HTTP with gin: the JSON API under
// /api/v1, the health check at /healthz, and the server-side HTML user
// interface rendered from the templates of package web.
//
// A Server holds the knowledge graph and the search index as interfaces, so
// tests can hand it the fakes of internal/mock:
//
//	srv := &api.Server{Graph: graph, Search: index, Logger: logger}
//	h, err := srv.Handler()
//	...
//	http.ListenAndServe(addr, h)
//
// Every error the API returns has the shape
// {"error":{"code":"...","message":"..."}}, where code is one of the kg
// error codes and the HTTP status follows from it through one table.
//
// The server protects itself: every request gets a deadline, search
// queries are bounded in length, terms and depth, clients are rate limited
// per address (429 with Retry-After; forwarding headers count only from
// trusted proxies), CORS is off unless origins are configured, and the
// admin endpoints (POST /api/v1/admin/crawl, DELETE /api/v1/people/{id})
// exist only with an admin token, compared in constant time.
package api
