package api

import (
	"context"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
	"github.com/klusterkarta/klusterkarta/internal/query"
	"github.com/klusterkarta/klusterkarta/web"
)

// entityList describes a filtered list of one kind of node, as the JSON
// API and the HTML list pages serve it.
type entityList[F, T any] struct {
	// params are the filter parameters, in the order errors name them.
	params []string
	// filter reads the filters from the query.
	filter func(url.Values) (F, error)
	// check, if set, refuses filters that name unknown nodes; its error
	// is passed on as it is.
	check func(*query.Engine, context.Context, F) error
	// list returns the whole list; its error is wrapped with what.
	list func(*query.Engine, context.Context, F) ([]T, error)
	what string
}

// run checks the filters f and lists the nodes.
func (l entityList[F, T]) run(ctx context.Context, eng *query.Engine, f F) ([]T, error) {
	if l.check != nil {
		if err := l.check(eng, ctx, f); err != nil {
			return nil, err
		}
	}
	items, err := l.list(eng, ctx, f)
	if err != nil {
		return nil, wrap(l.what, err)
	}
	return items, nil
}

// serveAPIList answers a JSON list request: it reads the filters and the
// page, lists the nodes and writes the body respond makes of the total and
// the nodes of the page.
func serveAPIList[F, T any](h *handlers, c *gin.Context, l entityList[F, T], respond func(total int, lp listPage, page []T) any) {
	q, err := parseQuery(c.Request.URL.RawQuery, append(l.params[:len(l.params):len(l.params)], "page", "size")...)
	if err != nil {
		h.fail(c, err)
		return
	}
	lp, err := listParams(q)
	if err != nil {
		h.fail(c, err)
		return
	}
	f, err := l.filter(q)
	if err != nil {
		h.fail(c, err)
		return
	}
	eng, err := h.engine()
	if err != nil {
		h.fail(c, err)
		return
	}
	items, err := l.run(c.Request.Context(), eng, f)
	if err != nil {
		h.fail(c, err)
		return
	}
	from, to := lp.bounds(len(items))
	c.JSON(http.StatusOK, respond(len(items), lp, items[from:to]))
}

// convert applies conv to each of items; the result is never nil, so that
// it is an array in JSON.
func convert[T, J any](items []T, conv func(T) J) []J {
	out := make([]J, 0, len(items))
	for _, it := range items {
		out = append(out, conv(it))
	}
	return out
}

// entityDetail describes how one node of a kind is read by its id.
type entityDetail[T any] struct {
	read func(*query.Engine, context.Context, string) (T, error)
	// what is the context of a read error; with withID the id follows it.
	what   string
	withID bool
	// notFound is the message key of the page of an unknown id.
	notFound string
}

// failure wraps a read error of the node id with its context.
func (d entityDetail[T]) failure(id string, err error) error {
	if d.withID {
		return wrap(d.what+" "+truncate(id, 100), err)
	}
	return wrap(d.what, err)
}

// readAPIEntity reads the node of the request's id for the JSON API; on
// failure it has answered the request and reports false.
func readAPIEntity[T any](h *handlers, c *gin.Context, d entityDetail[T]) (T, bool) {
	var zero T
	if _, err := parseQuery(c.Request.URL.RawQuery); err != nil {
		h.fail(c, err)
		return zero, false
	}
	eng, err := h.engine()
	if err != nil {
		h.fail(c, err)
		return zero, false
	}
	id := c.Param("id")
	v, err := d.read(eng, c.Request.Context(), id)
	if err != nil {
		h.fail(c, d.failure(id, err))
		return zero, false
	}
	return v, true
}

// readPageEntity reads the node of the request's id for an HTML page; on
// failure it has shown the not-found or error page and reports false.
func readPageEntity[T any](h *handlers, c *gin.Context, lang string, d entityDetail[T]) (T, bool) {
	var zero T
	id := c.Param("id")
	eng, err := h.engine()
	if err != nil {
		h.failPage(c, lang, err)
		return zero, false
	}
	v, err := d.read(eng, c.Request.Context(), id)
	if kg.ErrorCode(err) == kg.ENOTFOUND {
		h.notFoundPage(c, lang, web.Tf(lang, d.notFound, truncate(id, 100)))
		return zero, false
	}
	if err != nil {
		h.failPage(c, lang, d.failure(id, err))
		return zero, false
	}
	return v, true
}

// listView is what every HTML list page shows above its list.
type listView struct {
	path     string
	lang     string
	filters  url.Values // the non-empty filters of the request
	lp       listPage
	page     web.Page
	query    string       // the free-text filter
	clusters []web.Option // the cluster filter
	topics   []web.Option // the topic filter
	apiURL   string       // the same list from the JSON API
}

// openListPage reads the filters params of the HTML list page /name (also
// the list of the JSON API under /api/v1) and the choices of its cluster
// and topic filters. The page is titled by the message name+".title". On
// failure it has shown the error page and reports false.
func (h *handlers) openListPage(c *gin.Context, name string, params []string) (listView, bool) {
	lang := h.pageLang(c)
	ctx := c.Request.Context()
	q := pageQuery(c)
	cs, err := h.graph.Clusters(ctx)
	if err != nil {
		h.failPage(c, lang, wrap("listing clusters", err))
		return listView{}, false
	}
	ts, err := h.graph.Topics(ctx)
	if err != nil {
		h.failPage(c, lang, wrap("listing topics", err))
		return listView{}, false
	}
	filters := keptFilters(q, params...)
	return listView{
		path:     "/" + name,
		lang:     lang,
		filters:  filters,
		lp:       pageListParams(q),
		page:     h.newPage(c, lang, web.T(lang, name+".title"), name),
		query:    filters.Get("q"),
		clusters: clusterOptions(cs, filters.Get("cluster"), web.T(lang, "network.all")),
		topics:   topicOptions(ts, lang, filters.Get("topic"), web.T(lang, "network.all")),
		apiURL:   withQuery("/api/v1/"+name, filters),
	}, true
}

// listResult is the list an HTML list page shows: the nodes of its page,
// or why the filters gave none.
type listResult[T any] struct {
	status int
	items  []T // the nodes of the page
	total  int
	pager  web.Pager
	err    string // why the filters gave no list
}

// listForPage lists the nodes of the HTML list page v. Filters
// that are invalid or name unknown nodes give a result with a message;
// other failures show the error page and report false.
func listForPage[F, T any](h *handlers, c *gin.Context, v listView, l entityList[F, T]) (listResult[T], bool) {
	eng, err := h.engine()
	if err != nil {
		h.failPage(c, v.lang, err)
		return listResult[T]{}, false
	}
	f, err := l.filter(v.filters)
	var items []T
	if err == nil {
		items, err = l.run(c.Request.Context(), eng, f)
	}
	if err != nil {
		status, msg, ok := entityFilterError(err)
		if !ok {
			h.failPage(c, v.lang, err)
			return listResult[T]{}, false
		}
		return listResult[T]{status: status, err: msg, pager: web.Pager{Page: 1, Pages: 1}}, true
	}
	from, to := v.lp.bounds(len(items))
	return listResult[T]{
		status: http.StatusOK,
		items:  items[from:to],
		total:  len(items),
		pager:  listPager(v.path, withSize(v.filters, v.lp), v.lp, len(items)),
	}, true
}

// listPageData reads the filters of the HTML list page /name and lists
// its nodes. On failure it has shown the error page and reports false.
func listPageData[F, T any](h *handlers, c *gin.Context, name string, l entityList[F, T]) (listView, listResult[T], bool) {
	v, ok := h.openListPage(c, name, l.params)
	if !ok {
		return listView{}, listResult[T]{}, false
	}
	r, ok := listForPage(h, c, v, l)
	return v, r, ok
}
