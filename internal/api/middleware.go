package api

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

// RequestIDHeader carries the request id, in requests from a proxy that
// assigned one and in every response.
const RequestIDHeader = "X-Request-ID"

// requestIDKey is the gin context key of the request id.
const requestIDKey = "klusterkarta.request_id"

// Security headers of every response. The policy allows only same-origin
// resources: pages have no inline scripts or styles.
const (
	contentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'"
	referrerPolicy        = "strict-origin-when-cross-origin"
)

// assignRequestID takes the request id a proxy sent, if it is well formed,
// or makes a new one, and echoes it in the response.
func assignRequestID(c *gin.Context) {
	id := c.GetHeader(RequestIDHeader)
	if !validRequestID(id) {
		id = rand.Text()
	}
	c.Set(requestIDKey, id)
	c.Header(RequestIDHeader, id)
	c.Next()
}

// validRequestID accepts 1 to 64 letters, digits, '-', '_' and '.', so an
// id from outside is safe to log and to echo.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// requestIDOf returns the id of the request c serves.
func requestIDOf(c *gin.Context) string {
	return c.GetString(requestIDKey)
}

// logRequest logs every request once it is answered.
func (h *handlers) logRequest(c *gin.Context) {
	start := time.Now()
	c.Next()
	status := c.Writer.Status()
	level := slog.LevelInfo
	if status >= http.StatusInternalServerError {
		level = slog.LevelWarn
	}
	h.logger.LogAttrs(c.Request.Context(), level, "request",
		slog.String("request_id", requestIDOf(c)),
		slog.String("method", c.Request.Method),
		slog.String("path", logPath(c)),
		slog.String("route", c.FullPath()),
		slog.Int("status", status),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
		slog.Duration("duration", time.Since(start)),
		slog.String("client_ip", c.ClientIP()),
	)
}

// recoverPanic turns a panic in a handler into a 500 response, JSON or
// HTML as the path calls for, and logs it once with its stack. The client
// learns the request id and nothing of the panic.
func (h *handlers) recoverPanic(c *gin.Context) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if r == http.ErrAbortHandler {
			panic(r)
		}
		h.logger.LogAttrs(c.Request.Context(), slog.LevelError, "panic serving request",
			slog.String("request_id", requestIDOf(c)),
			slog.String("method", c.Request.Method),
			slog.String("path", logPath(c)),
			slog.String("panic", fmt.Sprint(r)),
			slog.String("stack", string(debug.Stack())),
		)
		if c.Writer.Written() {
			c.Abort()
			return
		}
		if isAPIPath(c.Request.URL.Path) {
			h.writeInternal(c)
			return
		}
		lang := h.pageLang(c)
		h.internalErrorPage(c, lang)
	}()
	c.Next()
}

// securityHeaders sets the headers that keep pages from being framed,
// sniffed or scripted from elsewhere.
func securityHeaders(c *gin.Context) {
	hd := c.Writer.Header()
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", referrerPolicy)
	hd.Set("X-Frame-Options", "DENY")
	c.Next()
}

// logPathKey is the gin context key of the path to log in place of the
// request's, for routes whose path names a person.
const logPathKey = "klusterkarta.log_path"

// hidePathInLog logs the request under its route rather than its path, so
// the id of a person being erased is not written to the log.
func hidePathInLog(c *gin.Context) {
	c.Set(logPathKey, c.FullPath())
	c.Next()
}

// logPath returns the path to log for the request c serves.
func logPath(c *gin.Context) string {
	if p := c.GetString(logPathKey); p != "" {
		return p
	}
	return c.Request.URL.Path
}
