package webhook

import (
	"errors"
	"fmt"
	"time"
)

// Errors of Verify and ParseSignature.
var (
	// ErrNoSignature means the signature header is empty.
	ErrNoSignature = errors.New("no webhook signature")
	// ErrMalformedSignature means the header is not t=<unix>,v1=<hex>[,v1=...].
	ErrMalformedSignature = errors.New("malformed webhook signature header")
	// ErrSignatureMismatch means no v1 signature matches the body and secret.
	ErrSignatureMismatch = errors.New("webhook signature does not match")
	// ErrSignatureExpired means the timestamp is outside the tolerance.
	ErrSignatureExpired = errors.New("webhook signature timestamp outside tolerance")
)

// HTTPError is a non-2xx answer from the receiver. Send returns it wrapped
// in a channel.Error, so errors.As finds it.
type HTTPError struct {
	StatusCode int
	// Body is the start of the response body, for diagnosis.
	Body string
	// RetryAfter is the receiver's Retry-After, zero when absent.
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	if e.Body == "" {
		return fmt.Sprintf("webhook answered HTTP %d", e.StatusCode)
	}
	return fmt.Sprintf("webhook answered HTTP %d: %s", e.StatusCode, e.Body)
}

// RetryAfter returns the Retry-After a receiver sent with err, if any.
func RetryAfter(err error) (time.Duration, bool) {
	var he *HTTPError
	if errors.As(err, &he) && he.RetryAfter > 0 {
		return he.RetryAfter, true
	}
	return 0, false
}

// RetryAfterHint is the provider's Retry-After (channel.RetryAfter).
func (e *HTTPError) RetryAfterHint() time.Duration { return e.RetryAfter }
