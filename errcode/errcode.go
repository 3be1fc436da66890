// Package errcode gives domain errors the code that clients branch on
// (GraphQL extensions.code). Messages are safe to show: they never carry SQL
// or personal data.
package errcode

import (
	"errors"

	"yanzhen/i18n"
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

// Error is an error with a public code, a safe text in Chinese and
// English, and optionally the input field it concerns and the stable code
// of the business rule it reports (package rules) — the one form of every
// message of the API (package i18n).
type Error struct {
	Code  string
	Field string
	// Reason is the rule broken (END_BEFORE_START …), when one was.
	Reason string
	Text   i18n.Text
}

// Error is the API's message: "English / 中文".
func (e *Error) Error() string { return e.Text.String() }

// Message is Error's text in the API's form.
func (e *Error) Message() string { return e.Text.String() }

// New makes an Error from a message in the house style, "English / 中文"
// (see i18n.Bilingual).
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Text: i18n.Bilingual(format, args...)}
}

// BadInput reports invalid input in the named field.
func BadInput(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Text: i18n.Bilingual(format, args...)}
}

// Missing reports that the object named by an input field does not exist
// (or is out of the caller's sight, which must look the same).
func Missing(field, format string, args ...any) *Error {
	return &Error{Code: NotFound, Field: field, Text: i18n.Bilingual(format, args...)}
}

// ConflictWith reports a rule about existing data that the change would break.
func ConflictWith(format string, args ...any) *Error {
	return &Error{Code: Conflict, Text: i18n.Bilingual(format, args...)}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
