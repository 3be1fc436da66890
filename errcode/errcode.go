// Package errcode gives domain errors the code that clients branch on
// (GraphQL extensions.code). Messages are safe to show: they never carry SQL
// or personal data.
package errcode

import (
	"errors"
	"fmt"
)

// The codes of the public API.
const (
	BadUserInput    = "BAD_USER_INPUT"
	NotFound        = "NOT_FOUND"
	Conflict        = "CONFLICT"
	Forbidden       = "FORBIDDEN"
	Unauthenticated = "UNAUTHENTICATED"
	// TooManyRequests: the caller spent its budget (logins per address,
	// searches per account); the same request succeeds after a while.
	TooManyRequests = "TOO_MANY_REQUESTS"
	Internal        = "INTERNAL"
)

// Error is an error with a public code, a safe message and optionally the
// input field it concerns.
type Error struct {
	Code    string
	Field   string
	Message string
}

func (e *Error) Error() string { return e.Message }

// New makes an Error with a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// BadInput reports invalid input in the named field.
func BadInput(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Missing reports that the object named by an input field does not exist
// (or is out of the caller's sight, which must look the same).
func Missing(field, format string, args ...any) *Error {
	return &Error{Code: NotFound, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ConflictWith reports a rule about existing data that the change would break.
func ConflictWith(format string, args ...any) *Error {
	return &Error{Code: Conflict, Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
