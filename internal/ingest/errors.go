package ingest

import (
	"errors"
	"net/http"
)

// Sentinel errors of the Committer.
var (
	// ErrQueueFull means the commit queue is at capacity; retry shortly.
	ErrQueueFull = errors.New("commit queue is full")
	// ErrClosed means the Committer has stopped and accepts no more work.
	ErrClosed = errors.New("committer is closed")
)

// apiError is an error answered to the client: a stable code, the HTTP
// status and a safe message. The envelope is
// {"success":false,"error":{"code":...,"message":...}}.
type apiError struct {
	status     int
	code       string
	message    string
	retryAfter bool // temporary trouble: send Retry-After
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

// Stable error codes of the collection API (docs/ingest.md lists them).
const (
	codeInvalidBody          = "invalid_body"
	codeInvalidGzip          = "invalid_gzip"
	codeUnsupportedEncoding  = "unsupported_encoding"
	codeBodyTooLarge         = "body_too_large"
	codeTooManyEvents        = "too_many_events"
	codeMissingWriteKey      = "missing_write_key"
	codeInvalidAuthorization = "invalid_authorization"
	codeUnknownWriteKey      = "unknown_write_key"
	codeRevokedWriteKey      = "revoked_write_key"
	codeOverloaded           = "overloaded"
	codeUnavailable          = "unavailable"
)

func errorf(status int, code, message string) *apiError {
	return &apiError{status: status, code: code, message: message}
}

func unavailable(message string) *apiError {
	return &apiError{status: http.StatusServiceUnavailable, code: codeUnavailable, message: message, retryAfter: true}
}
