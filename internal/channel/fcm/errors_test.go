package fcm

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestParseError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   APIError
	}{
		{
			name:   "unregistered, from the FCM docs",
			status: 404,
			body:   `{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}`,
			want:   APIError{HTTPStatus: 404, Code: 404, Status: "NOT_FOUND", Message: "Requested entity was not found.", ErrorCode: "UNREGISTERED"},
		},
		{
			name:   "bad request detail only, from the FCM docs",
			status: 400,
			body:   `{"error":{"code":400,"message":"Invalid value at 'message.data[0].value' (TYPE_STRING), 12","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"message.data[0].value","description":"Invalid value"}]}]}}`,
			want:   APIError{HTTPStatus: 400, Code: 400, Status: "INVALID_ARGUMENT", Message: "Invalid value at 'message.data[0].value' (TYPE_STRING), 12"},
		},
		{
			name:   "retry info",
			status: 429,
			body:   `{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"quota","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"},{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"QUOTA_EXCEEDED"}]}}`,
			want:   APIError{HTTPStatus: 429, Code: 429, Status: "RESOURCE_EXHAUSTED", Message: "quota", ErrorCode: "QUOTA_EXCEEDED", RetryAfter: 1500 * time.Millisecond},
		},
		{
			name:   "header wins over retry info",
			status: 503,
			header: http.Header{"Retry-After": {"20"}},
			body:   `{"error":{"code":503,"status":"UNAVAILABLE","message":"m","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"3s"}]}}`,
			want:   APIError{HTTPStatus: 503, Code: 503, Status: "UNAVAILABLE", Message: "m", RetryAfter: 20 * time.Second},
		},
		{
			name:   "http date retry-after",
			status: 503,
			header: http.Header{"Retry-After": {now.Add(time.Minute).Format(http.TimeFormat)}},
			body:   `{"error":{"code":503,"status":"UNAVAILABLE","message":"m"}}`,
			want:   APIError{HTTPStatus: 503, Code: 503, Status: "UNAVAILABLE", Message: "m", RetryAfter: time.Minute},
		},
		{
			name:   "absurd retry values ignored",
			status: 503,
			header: http.Header{"Retry-After": {"-5"}},
			body:   `{"error":{"code":503,"status":"UNAVAILABLE","message":"m","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"999999h"}]}}`,
			want:   APIError{HTTPStatus: 503, Code: 503, Status: "UNAVAILABLE", Message: "m"},
		},
		{
			name:   "broken details skipped",
			status: 404,
			body:   `{"error":{"code":404,"status":"NOT_FOUND","message":"m","details":[7,{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}`,
			want:   APIError{HTTPStatus: 404, Code: 404, Status: "NOT_FOUND", Message: "m", ErrorCode: "UNREGISTERED"},
		},
		{
			name:   "html from a proxy",
			status: 502,
			body:   "  <html>Bad Gateway</html>\n",
			want:   APIError{HTTPStatus: 502, Message: "<html>Bad Gateway</html>"},
		},
		{
			name:   "json without error",
			status: 500,
			body:   `{"oops":true}`,
			want:   APIError{HTTPStatus: 500, Message: `{"oops":true}`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			require.Equal(t, &tc.want, parseError(tc.status, h, []byte(tc.body), now))
		})
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e         APIError
		permanent bool
		code      string
	}{
		{APIError{HTTPStatus: 404, Status: "NOT_FOUND", ErrorCode: "UNREGISTERED"}, true, "UNREGISTERED"},
		{APIError{HTTPStatus: 400, Status: "INVALID_ARGUMENT", ErrorCode: "INVALID_ARGUMENT"}, true, "INVALID_ARGUMENT"},
		{APIError{HTTPStatus: 400, Status: "INVALID_ARGUMENT"}, true, "INVALID_ARGUMENT"},
		{APIError{HTTPStatus: 403, Status: "PERMISSION_DENIED", ErrorCode: "SENDER_ID_MISMATCH"}, true, "SENDER_ID_MISMATCH"},
		{APIError{HTTPStatus: 429, Status: "RESOURCE_EXHAUSTED", ErrorCode: "QUOTA_EXCEEDED"}, false, "QUOTA_EXCEEDED"},
		{APIError{HTTPStatus: 503, Status: "UNAVAILABLE", ErrorCode: "UNAVAILABLE"}, false, "UNAVAILABLE"},
		{APIError{HTTPStatus: 500, Status: "INTERNAL", ErrorCode: "INTERNAL"}, false, "INTERNAL"},
		{APIError{HTTPStatus: 401, Status: "UNAUTHENTICATED", ErrorCode: "THIRD_PARTY_AUTH_ERROR"}, false, "THIRD_PARTY_AUTH_ERROR"},
		{APIError{HTTPStatus: 401, Status: "UNAUTHENTICATED"}, false, "UNAUTHENTICATED"},
		{APIError{HTTPStatus: 403, Status: "PERMISSION_DENIED"}, false, "PERMISSION_DENIED"},
		{APIError{HTTPStatus: 400, Status: "INVALID_ARGUMENT", ErrorCode: "UNSPECIFIED_ERROR"}, true, "INVALID_ARGUMENT"},
		{APIError{HTTPStatus: 408}, false, "408"},
		{APIError{HTTPStatus: 429}, false, "429"},
		{APIError{HTTPStatus: 409}, true, "409"},
		{APIError{HTTPStatus: 502}, false, "502"},
		{APIError{HTTPStatus: 302}, false, "302"},
	}
	for _, tc := range tests {
		err := classify(&tc.e, "send push")
		require.Equal(t, tc.permanent, channel.IsPermanent(err), "%+v", tc.e)
		var ce *channel.Error
		require.ErrorAs(t, err, &ce)
		require.Equal(t, tc.code, ce.Code)
	}
}

func FuzzParseError(f *testing.F) {
	f.Add(404, `{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}`, "")
	f.Add(429, `{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30s"}]}}`, "12")
	f.Add(503, `<html>`, "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(400, `{"error":{"details":[null,{},[],"x"]}}`, "1e9")
	f.Add(500, `{"error":null}`, "")
	f.Fuzz(func(t *testing.T, status int, body, retryAfter string) {
		e := parseError(status, http.Header{"Retry-After": {retryAfter}}, []byte(body), now)
		require.Equal(t, status, e.HTTPStatus)
		require.GreaterOrEqual(t, e.RetryAfter, time.Duration(0))
		require.LessOrEqual(t, e.RetryAfter, maxRetryAfter)
		require.LessOrEqual(t, len(e.Message), len(body))
		err := classify(e, "op")
		var ce *channel.Error
		require.ErrorAs(t, err, &ce)
		require.NotEmpty(t, ce.Code)
		require.Equal(t, e.ErrorCode == ErrorUnregistered, IsUnregistered(err))
	})
}
