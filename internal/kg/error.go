package kg

import (
	"errors"
	"fmt"
)

// Application error codes. Each maps to exactly one HTTP status in the API
// package. The list is append-only.
const (
	EINVALID  = "invalid"   // the caller sent something malformed
	ENOTFOUND = "not_found" // the named thing does not exist
	ECONFLICT = "conflict"  // the request contradicts existing state
	EINTERNAL = "internal"  // anything else: a bug or a failing dependency
	EUNAVAIL  = "unavailable"
)

// Error is an application error: a machine-readable code and a message that
// may be shown to the user.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic text for any other error, so internal details never reach users.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
