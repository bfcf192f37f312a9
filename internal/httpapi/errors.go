package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/cairn-cdp/cairn/internal/journey"
)

// Error codes are stable: clients may switch on them. Add, never rename.
const (
	CodeUnauthorized = "unauthorized"     // 401: missing or wrong admin token
	CodeForbidden    = "forbidden"        // 403: authenticated, but the request may not do this (a console call without its CSRF token)
	CodeNotFound     = "not_found"        // 404: the addressed thing does not exist
	CodeBadRequest   = "bad_request"      // 400: malformed parameters or body
	CodeInvalid      = "validation_error" // 422: well-formed but invalid values
	CodeConflict     = "conflict"         // 409: already exists / state conflict
	CodeUnavailable  = "unavailable"      // 503: not ready or feature disabled
	CodeInternal     = "internal"         // 500: our fault; details only in logs

	CodeJourneyInvalid       = "journey_invalid"       // 422: a journey definition has problems (listed in problems)
	CodeRenderFailed         = "render_failed"         // 422: a template does not render
	CodeJourneysUnavailable  = "journeys_unavailable"  // 503: the journey engine is not running
	CodeMessagingUnavailable = "messaging_unavailable" // 503: messaging is not configured on this server
	CodeNotAcceptable        = "not_acceptable"        // 406: the Accept header allows no form the route has (CSV-only for a result without a table)
)

var statusOf = map[string]int{
	CodeUnauthorized: http.StatusUnauthorized,
	CodeForbidden:    http.StatusForbidden,
	CodeNotFound:     http.StatusNotFound,
	CodeBadRequest:   http.StatusBadRequest,
	CodeInvalid:      http.StatusUnprocessableEntity,
	CodeConflict:     http.StatusConflict,
	CodeUnavailable:  http.StatusServiceUnavailable,
	CodeInternal:     http.StatusInternalServerError,

	CodeJourneyInvalid:       http.StatusUnprocessableEntity,
	CodeRenderFailed:         http.StatusUnprocessableEntity,
	CodeJourneysUnavailable:  http.StatusServiceUnavailable,
	CodeMessagingUnavailable: http.StatusServiceUnavailable,
	CodeNotAcceptable:        http.StatusNotAcceptable,
}

// Error is an API error: a stable code, a safe message for the client and,
// optionally, the field it is about or every problem found (journey
// definitions, bulk imports). The wrapped error goes only to logs.
type Error struct {
	Code     string            `json:"code"`
	Message  string            `json:"message"`
	Field    string            `json:"field,omitempty"`
	Problems []journey.Problem `json:"problems,omitempty"`
	err      error
}

func (e *Error) Error() string {
	if e.err != nil {
		return e.Code + ": " + e.Message + ": " + e.err.Error()
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.err }

// Status is the HTTP status of the error's code.
func (e *Error) Status() int {
	if s, ok := statusOf[e.Code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

func apiErr(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func badField(field, format string, args ...any) *Error {
	e := apiErr(CodeBadRequest, format, args...)
	e.Field = field
	return e
}

func asAPIError(err error) *Error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	return &Error{Code: CodeInternal, Message: "internal error; see the server log", err: err}
}
