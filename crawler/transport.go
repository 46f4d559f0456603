package crawler

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// newTransport builds the crawler's HTTP stack: a gate that lets one
// request at a time reach a host, over a retrying client, over a gate that
// spaces every attempt (retries included) by the host's delay and bounds
// each attempt's time and decompressed size, over a dialer that refuses
// private addresses.
func newTransport(cfg Config) *politeTransport {
	dialer := &net.Dialer{Timeout: cfg.RequestTimeout, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		dialer.Control = dialControl
	}
	base := &http.Transport{
		Proxy:                 nil, // a proxy would hide the addresses the dialer checks
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: cfg.RequestTimeout,
		// Bodies are decompressed by attemptTransport, which caps the
		// decompressed size.
		DisableCompression:     true,
		MaxResponseHeaderBytes: 1 << 20,
	}
	t := &politeTransport{
		global:  make(chan struct{}, cfg.Parallelism),
		delay:   cfg.Delay,
		gates:   make(map[string]*hostGate),
		timeout: cfg.RequestTimeout,
		maxBody: int64(cfg.MaxBodyBytes),
		base:    base,
	}

	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{
		// Each attempt has its own deadline, set by attemptTransport
		// after the wait for the host, so that waiting is not timed.
		Transport: attemptTransport{t},
		// Redirects are followed by the outer client, where colly checks
		// them, not inside a retry.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	rc.RetryMax = cfg.RetryMax
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	rc.Logger = retryLogger{cfg.Logger}
	rc.CheckRetry = retryPolicy(cfg.MaxRetryAfter)
	rc.Backoff = retryablehttp.DefaultBackoff // honours Retry-After on 429 and 503
	rc.ErrorHandler = lastResponse
	t.next = &retryablehttp.RoundTripper{Client: rc}
	return t
}

// retryPolicy retries what retryablehttp's default policy retries, except
// refused addresses and responses whose Retry-After exceeds maxWait.
func retryPolicy(maxWait time.Duration) retryablehttp.CheckRetry {
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if errors.Is(err, ErrPrivateAddress) {
			return false, nil
		}
		if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
			if wait, ok := retryAfter(resp.Header, time.Now()); ok && wait > maxWait {
				return false, nil
			}
		}
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
}

// lastResponse hands the last response to the caller when retries run out,
// so that a persistent 503 is seen as a 503, and the last error otherwise.
func lastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil {
		return resp, nil
	}
	if err == nil {
		err = errors.New("giving up after retries")
	}
	return nil, err
}

// retryAfter parses a Retry-After header: delay seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// retryLogger routes retryablehttp's log to slog at debug level: the
// crawler logs the outcome of every request itself.
type retryLogger struct{ l *slog.Logger }

func (r retryLogger) Error(msg string, kv ...any) { r.l.Debug("http: "+msg, kv...) }
func (r retryLogger) Info(msg string, kv ...any)  { r.l.Debug("http: "+msg, kv...) }
func (r retryLogger) Debug(msg string, kv ...any) { r.l.Debug("http: "+msg, kv...) }
func (r retryLogger) Warn(msg string, kv ...any)  { r.l.Debug("http: "+msg, kv...) }

// politeTransport lets one request at a time reach a host (host and port)
// and keeps at most cap(global) attempts in flight overall. A request holds
// its host from before its first attempt until its response body is
// closed, so a retry never overlaps another request to the host; every
// attempt, retries included, waits until the host's delay has passed since
// the previous attempt ended (attemptTransport). Every wait ends when the
// request's context is done.
type politeTransport struct {
	next    http.RoundTripper // the retrying client, over attemptTransport
	base    http.RoundTripper // the network
	global  chan struct{}
	delay   time.Duration // delay of hosts without their own
	timeout time.Duration // bound on one attempt, body included
	maxBody int64         // bound on a decompressed body

	mu    sync.Mutex
	gates map[string]*hostGate
}

// hostGate is the politeness state of one host.
type hostGate struct {
	slot chan struct{} // holds one token while a request is in flight

	mu        sync.Mutex
	delay     time.Duration
	last      time.Time // when the last request ended
	notBefore time.Time // set by a Retry-After on the last response
}

// wait returns how long the next request to the host must wait.
func (g *hostGate) wait(now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	start := g.last.Add(g.delay)
	if g.notBefore.After(start) {
		start = g.notBefore
	}
	return start.Sub(now)
}

// finish records the end of a request and the response's Retry-After.
func (g *hostGate) finish(resp *http.Response) {
	now := time.Now()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.last = now
	g.notBefore = time.Time{}
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if ra, ok := retryAfter(resp.Header, now); ok {
			g.notBefore = now.Add(ra)
		}
	}
}

// gate returns the gate of host (host:port), creating it.
func (t *politeTransport) gate(host string) *hostGate {
	t.mu.Lock()
	defer t.mu.Unlock()
	g, ok := t.gates[host]
	if !ok {
		g = &hostGate{slot: make(chan struct{}, 1), delay: t.delay}
		t.gates[host] = g
	}
	return g
}

// setDelay sets the delay between requests to host (host:port).
func (t *politeTransport) setDelay(host string, d time.Duration) {
	g := t.gate(host)
	g.mu.Lock()
	g.delay = d
	g.mu.Unlock()
}

// RoundTrip implements http.RoundTripper.
func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	g := t.gate(hostPort(req.URL))
	select {
	case g.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		<-g.slot
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: func() { <-g.slot }}
	// colly decompresses bodies it thinks are gzipped unless the transport
	// did; attemptTransport did, with a bound.
	resp.Uncompressed = true
	return resp, nil
}

// attemptTransport makes one attempt of a request: it waits for the host's
// delay and a global slot, bounds the attempt's time, asks for gzip and
// decompresses it with a bound on the decompressed size.
type attemptTransport struct{ t *politeTransport }

// RoundTrip implements http.RoundTripper.
func (a attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t := a.t
	ctx := req.Context()
	g := t.gate(hostPort(req.URL))
	if err := sleep(ctx, g.wait(time.Now())); err != nil {
		return nil, err
	}
	select {
	case t.global <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	actx, cancel := context.WithTimeout(ctx, t.timeout)
	out := req.Clone(actx)
	if out.Header.Get("Accept-Encoding") == "" && out.Header.Get("Range") == "" {
		out.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := t.base.RoundTrip(out)
	done := func() {
		cancel()
		<-t.global
		g.finish(resp)
	}
	if err != nil {
		done()
		return nil, err
	}
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		resp.Body = &gunzipBody{raw: resp.Body, limit: t.maxBody}
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: done}
	return resp, nil
}

// gunzipBody decompresses a gzipped body, reading at most limit compressed
// bytes and returning at most limit decompressed bytes: a small body that
// inflates to gigabytes (a gzip bomb) ends at the limit, as a long body
// does.
type gunzipBody struct {
	raw   io.ReadCloser
	limit int64
	zr    *gzip.Reader
	n     int64
	err   error
}

// Read implements io.Reader.
func (b *gunzipBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.zr == nil {
		zr, err := gzip.NewReader(io.LimitReader(b.raw, b.limit))
		if err != nil {
			b.err = fmt.Errorf("reading gzipped body: %w", err)
			return 0, b.err
		}
		b.zr = zr
	}
	if b.n >= b.limit {
		b.err = io.EOF
		return 0, b.err
	}
	if rest := b.limit - b.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := b.zr.Read(p)
	b.n += int64(n)
	if err != nil {
		b.err = err
	}
	return n, err
}

// Close implements io.Closer.
func (b *gunzipBody) Close() error {
	if b.zr != nil {
		b.zr.Close()
	}
	return b.raw.Close()
}

// releasingBody calls release once, when the body is closed.
type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

// Close closes the body and releases the host.
func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
