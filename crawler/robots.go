package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/temoto/robotstxt"
)

// Limits on robots.txt and on the redirects of the crawler's own fetches.
const (
	maxRobotsBytes = 512 << 10 // RFC 9309 asks parsers to read at least 500 KiB
	maxCrawlDelay  = 2 * time.Minute
	// robotsTTL is how long a robots.txt is used before it is read again;
	// RFC 9309 asks crawlers not to cache it for more than 24 hours.
	robotsTTL = 24 * time.Hour
)

// errTooManyRedirects is returned by run.get after Config.MaxRedirects.
var errTooManyRedirects = errors.New("too many redirects")

// hostState is what the crawler knows about one origin: its robots.txt, or
// why it cannot be crawled.
type hostState struct {
	ready  chan struct{}         // closed once the fields are set
	robots *robotstxt.RobotsData // nil allows everything
	err    error                 // set when the origin cannot be crawled
	loaded time.Time             // when robots.txt was read
}

// allowed reports whether robots.txt lets the crawler fetch u.
func (h *hostState) allowed(u *url.URL, agent string) bool {
	if h.robots == nil {
		return true
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return h.robots.TestAgent(p, agent)
}

// sitemaps returns the sitemap URLs robots.txt lists.
func (h *hostState) sitemaps() []string {
	if h.robots == nil {
		return nil
	}
	return h.robots.Sitemaps
}

// readyHost returns the state of u's origin if it is known, without waiting.
func (r *run) readyHost(u *url.URL) (*hostState, bool) {
	r.mu.Lock()
	hs, ok := r.hosts[origin(u)]
	r.mu.Unlock()
	if !ok {
		return nil, false
	}
	select {
	case <-hs.ready:
		return hs, true
	default:
		return nil, false
	}
}

// host returns the state of u's origin, reading its robots.txt and setting
// its delay the first time. It must not be called while holding a host of
// the politeness transport.
func (r *run) host(u *url.URL) (*hostState, error) {
	key := origin(u)
	r.mu.Lock()
	hs, ok := r.hosts[key]
	if ok && hs.expired(time.Now()) {
		ok = false
	}
	if !ok {
		hs = &hostState{ready: make(chan struct{})}
		r.hosts[key] = hs
	}
	r.mu.Unlock()
	if !ok {
		r.loadRobots(hs, u)
		close(hs.ready)
	} else {
		select {
		case <-hs.ready:
		case <-r.ctx.Done():
			return nil, r.ctx.Err()
		}
	}
	return hs, hs.err
}

// expired reports whether the robots.txt of a ready host is older than
// robotsTTL.
func (h *hostState) expired(now time.Time) bool {
	select {
	case <-h.ready:
		return !h.loaded.IsZero() && now.Sub(h.loaded) > robotsTTL
	default:
		return false
	}
}

// robotsFromStatus interprets a robots.txt response as RFC 9309 asks: a
// success is parsed; 4xx ("unavailable") allows everything; 5xx and 429
// ("unreachable") disallow everything.
func robotsFromStatus(status int, body []byte) (*robotstxt.RobotsData, error) {
	switch {
	case status == http.StatusTooManyRequests || status >= 500:
		return robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
	case status >= 400:
		return nil, nil
	case status >= 200 && status < 300:
		return robotstxt.FromBytes(body)
	}
	return nil, fmt.Errorf("unexpected status %d", status)
}

// loadRobots reads the robots.txt of u's origin into hs and sets the
// origin's delay to the larger of Config.Delay and its Crawl-delay.
func (r *run) loadRobots(hs *hostState, u *url.URL) {
	robotsURL := origin(u) + "/robots.txt"
	hs.loaded = time.Now()
	body, status, err := r.get(robotsURL, maxRobotsBytes)
	if errors.Is(err, errTooManyRedirects) {
		// RFC 9309: after five redirects robots.txt is unavailable.
		err, status = nil, http.StatusNotFound
	}
	if err != nil {
		hs.err = fmt.Errorf("reading %s: %w", robotsURL, err)
		if !errors.Is(err, context.Canceled) && !errors.Is(err, ErrPrivateAddress) {
			r.log.Warn("site unreachable", "robots", robotsURL, "err", err)
		}
		return
	}
	data, err := robotsFromStatus(status, body)
	if err != nil {
		r.log.Info("robots.txt unusable, crawling without it", "robots", robotsURL, "status", status, "err", err)
		data = nil
	}
	hs.robots = data
	delay := r.cfg.Delay
	if data != nil {
		if cd := data.FindGroup(r.cfg.UserAgent).CrawlDelay; cd > delay {
			delay = min(cd, maxCrawlDelay)
		}
	}
	r.transport.setDelay(hostPort(u), delay)
	r.log.Debug("host ready", "origin", origin(u), "robots_status", status, "delay", delay)
}

// get fetches a URL the crawler reads for itself (robots.txt, sitemaps),
// following up to Config.MaxRedirects redirects, and returns at most limit bytes
// of the body. Each redirect is requested only after the previous response
// is closed, so no host is held while waiting for another.
func (r *run) get(rawURL string, limit int64) ([]byte, int, error) {
	for range r.cfg.MaxRedirects + 1 {
		req, err := http.NewRequestWithContext(r.ctx, http.MethodGet, rawURL, nil)
		if err != nil {
			return nil, 0, fmt.Errorf("building request for %s: %w", rawURL, err)
		}
		req.Header.Set("User-Agent", r.cfg.UserAgent)
		resp, err := r.fetchClient.Do(req)
		if err != nil {
			return nil, 0, err
		}
		if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" {
			resp.Body.Close()
			next, err := resp.Request.URL.Parse(loc)
			if err != nil {
				return nil, resp.StatusCode, fmt.Errorf("redirect from %s: %w", rawURL, err)
			}
			if n := normalizeURL(next.String()); n != nil {
				if err := r.refuseLiteral(n); err != nil {
					return nil, resp.StatusCode, err
				}
				rawURL = n.String()
				continue
			}
			return nil, resp.StatusCode, fmt.Errorf("redirect from %s to unsupported URL %q", rawURL, loc)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, limit))
		resp.Body.Close()
		if err != nil {
			return nil, resp.StatusCode, fmt.Errorf("reading %s: %w", rawURL, err)
		}
		return body, resp.StatusCode, nil
	}
	return nil, 0, fmt.Errorf("fetching %s: %w (more than %d)", rawURL, errTooManyRedirects, r.cfg.MaxRedirects)
}
