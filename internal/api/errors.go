package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// codeStatus maps every application error code to its HTTP status. It is
// the only place that does so.
var codeStatus = map[string]int{
	kg.EINVALID:  http.StatusBadRequest,
	kg.ENOTFOUND: http.StatusNotFound,
	kg.ECONFLICT: http.StatusConflict,
	kg.EUNAVAIL:  http.StatusServiceUnavailable,
	kg.EINTERNAL: http.StatusInternalServerError,
}

// codeMethodNotAllowed is the error code of a request whose method the
// route does not accept. It is a protocol error, not an application error,
// so it is not one of the kg codes.
const codeMethodNotAllowed = "method_not_allowed"

// internalMessage is all a client learns about an internal error.
const internalMessage = "Internal error."

// statusOf returns the HTTP status for an application error code.
func statusOf(code string) int {
	if s, ok := codeStatus[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorResponse is the body of every error response.
type errorResponse struct {
	Error errorBody `json:"error"`
}

// errorBody describes one error. RequestID is set for internal errors, so
// that a user can quote it and an operator can find the log entry.
type errorBody struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

// fail answers an API request that failed with err. Internal errors are
// logged here, once, with the request id, and shown as "Internal error.".
func (h *handlers) fail(c *gin.Context, err error) {
	if clientGone(c, err) {
		return
	}
	err = h.timedOut(c, err)
	code := kg.ErrorCode(err)
	if code == kg.EINTERNAL {
		h.logInternal(c, err)
		h.writeInternal(c)
		return
	}
	h.writeError(c, statusOf(code), code, kg.ErrorMessage(err))
}

// writeError writes an error response and stops the handler chain.
func (h *handlers) writeError(c *gin.Context, status int, code, message string) {
	c.AbortWithStatusJSON(status, errorResponse{Error: errorBody{Code: code, Message: message}})
}

// writeInternal writes the response of an internal error, which names the
// request id and nothing else.
func (h *handlers) writeInternal(c *gin.Context) {
	c.AbortWithStatusJSON(http.StatusInternalServerError, errorResponse{Error: errorBody{
		Code:      kg.EINTERNAL,
		Message:   internalMessage,
		RequestID: requestIDOf(c),
	}})
}

// logInternal logs an internal error with the request it failed.
func (h *handlers) logInternal(c *gin.Context, err error) {
	h.logger.LogAttrs(c.Request.Context(), slog.LevelError, "internal error",
		slog.String("request_id", requestIDOf(c)),
		slog.String("method", c.Request.Method),
		slog.String("path", logPath(c)),
		slog.String("err", err.Error()),
	)
}

// clientGone reports whether err only says that the client went away; the
// request is then ended without a body or an error log.
func clientGone(c *gin.Context, err error) bool {
	if !errors.Is(err, context.Canceled) || c.Request.Context().Err() == nil {
		return false
	}
	c.AbortWithStatus(499) // the client closed the request
	return true
}

// invalidf returns an EINVALID error with a formatted message.
func invalidf(format string, args ...any) error {
	return kg.Errorf(kg.EINVALID, format, args...)
}

// notFoundf returns an ENOTFOUND error with a formatted message.
func notFoundf(format string, args ...any) error {
	return kg.Errorf(kg.ENOTFOUND, format, args...)
}

// wrap adds the operation to a dependency's error and keeps its code.
func wrap(op string, err error) error {
	return fmt.Errorf("%s: %w", op, err)
}
