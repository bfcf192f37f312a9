package fcm

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

// FCM error codes (google.firebase.fcm.v1.FcmError.errorCode).
// https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode
const (
	ErrorUnregistered        = "UNREGISTERED"
	ErrorInvalidArgument     = "INVALID_ARGUMENT"
	ErrorSenderIDMismatch    = "SENDER_ID_MISMATCH"
	ErrorQuotaExceeded       = "QUOTA_EXCEEDED"
	ErrorUnavailable         = "UNAVAILABLE"
	ErrorInternal            = "INTERNAL"
	ErrorThirdPartyAuthError = "THIRD_PARTY_AUTH_ERROR"
	ErrorUnspecified         = "UNSPECIFIED_ERROR"
	fcmErrorType             = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
	retryInfoType            = "type.googleapis.com/google.rpc.RetryInfo"
	maxRetryAfter            = 24 * time.Hour
	statusUnauthenticated    = "UNAUTHENTICATED"
	statusPermissionDenied   = "PERMISSION_DENIED"
)

// APIError is an FCM error answer, a google.rpc.Status:
// {"error":{"code":404,"message":"...","status":"NOT_FOUND","details":[...]}}.
// Send returns it wrapped in a channel.Error.
type APIError struct {
	HTTPStatus int
	Code       int    // error.code
	Status     string // error.status, e.g. NOT_FOUND
	Message    string
	// ErrorCode is the FcmError detail's errorCode, e.g. UNREGISTERED;
	// empty when the answer has none.
	ErrorCode string
	// RetryAfter is the Retry-After header or google.rpc.RetryInfo delay;
	// zero when neither was sent.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	what := e.ErrorCode
	if what == "" {
		what = e.Status
	}
	if what == "" {
		return fmt.Sprintf("fcm answered HTTP %d: %s", e.HTTPStatus, e.Message)
	}
	return fmt.Sprintf("fcm answered HTTP %d %s: %s", e.HTTPStatus, what, e.Message)
}

// IsUnregistered reports whether err says the registration token is no
// longer valid (the app was uninstalled or the token expired): the caller
// should drop the token.
func IsUnregistered(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.ErrorCode == ErrorUnregistered
}

// RetryAfter returns how long FCM asked to wait before retrying, if it did.
func RetryAfter(err error) (time.Duration, bool) {
	var ae *APIError
	if errors.As(err, &ae) && ae.RetryAfter > 0 {
		return ae.RetryAfter, true
	}
	return 0, false
}

type rpcStatus struct {
	Error struct {
		Code    int               `json:"code"`
		Message string            `json:"message"`
		Status  string            `json:"status"`
		Details []json.RawMessage `json:"details"`
	} `json:"error"`
}

type rpcDetail struct {
	Type       string `json:"@type"`
	ErrorCode  string `json:"errorCode"`
	RetryDelay string `json:"retryDelay"`
}

// parseError reads an error answer. A body that is not a google.rpc.Status
// (a proxy's page) keeps its start as the message; unreadable details are
// skipped.
func parseError(httpStatus int, header http.Header, body []byte, now time.Time) *APIError {
	e := &APIError{HTTPStatus: httpStatus}
	var st rpcStatus
	if err := json.Unmarshal(body, &st); err != nil || (st.Error.Status == "" && st.Error.Message == "" && st.Error.Code == 0) {
		e.Message = string(bytes.TrimSpace(snippet(body)))
	} else {
		e.Code, e.Status, e.Message = st.Error.Code, st.Error.Status, st.Error.Message
		for _, raw := range st.Error.Details {
			var d rpcDetail
			if json.Unmarshal(raw, &d) != nil {
				continue
			}
			switch d.Type {
			case fcmErrorType:
				if e.ErrorCode == "" {
					e.ErrorCode = d.ErrorCode
				}
			case retryInfoType:
				if delay, err := time.ParseDuration(d.RetryDelay); err == nil && delay > 0 && delay <= maxRetryAfter {
					e.RetryAfter = delay
				}
			}
		}
	}
	if ra := parseRetryAfter(header.Get("Retry-After"), now); ra > 0 {
		e.RetryAfter = ra
	}
	return e
}

// parseRetryAfter reads delay-seconds or an HTTP-date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 || time.Duration(n) > maxRetryAfter/time.Second {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) && t.Sub(now) <= maxRetryAfter {
		return t.Sub(now)
	}
	return 0
}

// classify wraps e as permanent or temporary (see the package doc). The
// channel code is the FCM error code, else the rpc status, else the HTTP
// status.
func classify(e *APIError, op string) error {
	code := e.ErrorCode
	if code == "" || code == ErrorUnspecified {
		code = e.Status
	}
	if code == "" {
		code = strconv.Itoa(e.HTTPStatus)
	}
	err := fmt.Errorf("%s: %w", op, e)
	if e.ErrorCode == ErrorUnregistered {
		err = fmt.Errorf("%w: %w", channel.ErrAddressGone, err)
	}
	if permanent(e) {
		return channel.Permanent(code, err)
	}
	return channel.Temporary(code, err)
}

func permanent(e *APIError) bool {
	switch e.ErrorCode {
	case ErrorUnregistered, ErrorInvalidArgument, ErrorSenderIDMismatch:
		return true
	case ErrorQuotaExceeded, ErrorUnavailable, ErrorInternal, ErrorThirdPartyAuthError:
		return false
	}
	switch {
	case e.Status == statusUnauthenticated || e.Status == statusPermissionDenied,
		e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden,
		e.HTTPStatus == http.StatusRequestTimeout || e.HTTPStatus == http.StatusTooManyRequests:
		return false
	}
	return e.HTTPStatus >= 400 && e.HTTPStatus < 500
}

// RetryAfterHint is the provider's Retry-After (channel.RetryAfter).
func (e *APIError) RetryAfterHint() time.Duration { return e.RetryAfter }
