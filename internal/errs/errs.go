// Package errs defines the one error type gaoxin uses across its packages.
//
// An *Error carries a Code that decides the HTTP status (in exactly one place,
// internal/web), a message safe to show to a user in Chinese and English, and
// optional details that name the row, field and reason of bad input.
package errs

import (
	"errors"
)

// Code classifies an error.
type Code string

// Error codes. Each maps to one HTTP status in internal/web.
const (
	Invalid      Code = "invalid"      // bad input: 400
	NotFound     Code = "not_found"    // 404
	Conflict     Code = "conflict"     // 409: duplicate, stale version, state clash
	Forbidden    Code = "forbidden"    // 403: authenticated but not allowed
	Unauthorized Code = "unauthorized" // 401: no or bad credentials
	Locked       Code = "locked"       // 423: account locked
	RateLimited  Code = "rate_limited" // 429: too many attempts
	TooLarge     Code = "too_large"    // 413: upload over the limit
	Unavailable  Code = "unavailable"  // 503: the database cannot be reached or written for now
	// PasswordExpired: 403, the account's password is past the 等保
	// mode's lifetime; only changing it (and signing out) is allowed.
	PasswordExpired Code = "password_expired"
	Internal        Code = "internal" // 500: never shown in detail
)

// Detail names one bad value: where it is and what is wrong with it.
type Detail struct {
	Row      int    `json:"row,omitempty"`       // 1-based row in a file, 0 when not a file
	Field    string `json:"field,omitempty"`     // field or column name
	Value    string `json:"value,omitempty"`     // the offending value, as given
	Reason   string `json:"reason"`              // Chinese reason
	ReasonEN string `json:"reason_en,omitempty"` // English reason
}

// Error is gaoxin's error type.
type Error struct {
	Code    Code
	Msg     string   // Chinese message, safe to show
	MsgEN   string   // English message, safe to show
	Field   string   // the field the error is about, if any
	Details []Detail // row/field/reason list for bad input
	Retry   int64    // for Locked/RateLimited: Unix seconds when to retry
	Err     error    // wrapped cause, never shown to users
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.MsgEN
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Message returns the message in the given language ("en" or Chinese otherwise).
func (e *Error) Message(lang string) string {
	if lang == "en" && e.MsgEN != "" {
		return e.MsgEN
	}
	return e.Msg
}

// New returns an error with a bilingual message.
func New(code Code, zh, en string) *Error { return &Error{Code: code, Msg: zh, MsgEN: en} }

// Field returns an Invalid error about one field.
func Field(field, zh, en string) *Error {
	return &Error{Code: Invalid, Msg: zh, MsgEN: en, Field: field,
		Details: []Detail{{Field: field, Reason: zh, ReasonEN: en}}}
}

// List returns an Invalid error carrying every detail.
func List(zh, en string, details []Detail) *Error {
	return &Error{Code: Invalid, Msg: zh, MsgEN: en, Details: details}
}

// As extracts an *Error from err's chain; non-gaoxin errors become Internal.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Msg: "服务器内部错误", MsgEN: "internal server error", Err: err}
}

// CodeOf returns the code of err ("" for nil).
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	return As(err).Code
}
