package twilio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// Sentinel errors of ParseStatusCallback.
var (
	// ErrMissingSignature means the request has no X-Twilio-Signature.
	ErrMissingSignature = errors.New("twilio status callback has no X-Twilio-Signature")
	// ErrBadSignature means X-Twilio-Signature does not match the URL,
	// parameters and auth token: the request did not come from Twilio, or
	// publicURL is not the URL Twilio called.
	ErrBadSignature = errors.New("twilio status callback signature does not match")
	// ErrInterimStatus means the callback reports a status that is not a
	// delivery outcome (queued, sending, accepted, ...); acknowledge it.
	ErrInterimStatus = fmt.Errorf("%w: twilio status callback reports an interim status", channel.ErrNoReport)
)

// APIError is an error answer of the Twilio REST API,
// {"code":21211,"message":"...","more_info":"...","status":400}. Send
// returns it wrapped in a channel.Error.
type APIError struct {
	HTTPStatus int    `json:"-"`
	Code       int    `json:"code"`
	Message    string `json:"message"`
	MoreInfo   string `json:"more_info"`
	Status     int    `json:"status"`
	// RetryAfter is the Retry-After header, zero when absent.
	RetryAfter time.Duration `json:"-"`
}

func (e *APIError) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("twilio answered HTTP %d: %s", e.HTTPStatus, e.Message)
	}
	return fmt.Sprintf("twilio error %d (HTTP %d): %s", e.Code, e.HTTPStatus, e.Message)
}

// parseAPIError reads an error answer. Bodies that are not Twilio's JSON
// (a proxy's HTML page) keep their start as the message.
func parseAPIError(status int, header http.Header, body []byte, now time.Time) *APIError {
	e := &APIError{}
	if json.Unmarshal(body, e) != nil || (e.Code == 0 && e.Message == "") {
		e = &APIError{Message: string(bytes.TrimSpace(snippet(body)))}
	}
	e.HTTPStatus = status
	e.RetryAfter = parseRetryAfter(header.Get("Retry-After"), now)
	return e
}

// classify wraps an API error: 429 and 5xx are temporary, other 4xx
// permanent. The channel code is Twilio's error code, or the HTTP status
// when Twilio sent none.
func classify(e *APIError, op string) error {
	code := strconv.Itoa(e.HTTPStatus)
	if e.Code != 0 {
		code = strconv.Itoa(e.Code)
	}
	err := fmt.Errorf("%s: %w", op, e)
	if e.HTTPStatus >= 400 && e.HTTPStatus < 500 && e.HTTPStatus != http.StatusTooManyRequests {
		return channel.Permanent(code, err)
	}
	return channel.Temporary(code, err)
}

func snippet(b []byte) []byte {
	if len(b) > 512 {
		return b[:512]
	}
	return b
}

// parseRetryAfter reads delay-seconds or an HTTP-date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 || n > 86400 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// RetryAfterHint is the provider's Retry-After (channel.RetryAfter).
func (e *APIError) RetryAfterHint() time.Duration { return e.RetryAfter }
