package twilio_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/twilio"
	"github.com/cairn-cdp/cairn/internal/channel/twilio/twiliotest"
)

// Vectors from Twilio's own Go helper library tests
// (github.com/twilio/twilio-go, client/request_validator_test.go).
var (
	vectorParams = url.Values{
		"Digits":  {"1234"},
		"CallSid": {"CA1234567890ABCDE"},
		"To":      {"+18005551212"},
		"Caller":  {"+14158675309"},
		"From":    {"+14158675309"},
	}
	vectorURL = "https://mycompany.com/myapp.php?foo=1&bar=2"
)

func TestSignatureTwilioVectors(t *testing.T) {
	t.Parallel()
	require.Equal(t, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", twilio.Signature("12345", vectorURL, vectorParams))
	tests := []struct {
		name, url, sig string
		ok             bool
	}{
		{name: "as signed", url: vectorURL, sig: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", ok: true},
		{name: "https port given, signed without", url: strings.Replace(vectorURL, ".com", ".com:1234", 1), sig: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", ok: true},
		{name: "signed with default port 443", url: vectorURL, sig: "kvajT1Ptam85bY51eRf/AJRuM3w=", ok: true},
		{name: "http without port", url: strings.Replace(vectorURL, "https", "http", 1), sig: "0ZXoZLH/DfblKGATFgpif+LLRf4=", ok: true},
		{name: "http with port", url: strings.Replace(strings.Replace(vectorURL, "https", "http", 1), ".com", ".com:1234", 1), sig: "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", ok: true},
		{name: "wrong signature", url: vectorURL, sig: "WRONG SIGNATURE"},
		{name: "other path", url: "https://mycompany.com/other.php?foo=1&bar=2", sig: "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
		{name: "empty", url: vectorURL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.ok, twilio.ValidSignature("12345", tc.sig, tc.url, vectorParams))
		})
	}
	tampered := url.Values{}
	for k, v := range vectorParams {
		tampered[k] = v
	}
	tampered.Set("Digits", "1235")
	require.False(t, twilio.ValidSignature("12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", vectorURL, tampered))
	require.False(t, twilio.ValidSignature("54321", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", vectorURL, vectorParams))
}

// callbackReceiver is Cairn's status callback endpoint as a test server;
// publicURL is what it passes to ParseStatusCallback.
type callbackReceiver struct {
	URL string
	mu  sync.Mutex
	got []channel.Feedback
	err []error
}

func newReceiver(t *testing.T, token string, publicURL func(srvURL string) string) *callbackReceiver {
	t.Helper()
	rx := &callbackReceiver{}
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fb, err := twilio.ParseStatusCallback(r, token, publicURL(srvURL))
		rx.mu.Lock()
		defer rx.mu.Unlock()
		switch {
		case errors.Is(err, twilio.ErrBadSignature), errors.Is(err, twilio.ErrMissingSignature):
			rx.err = append(rx.err, err)
			w.WriteHeader(http.StatusForbidden)
		case errors.Is(err, twilio.ErrInterimStatus):
			rx.err = append(rx.err, err)
		case err != nil:
			rx.err = append(rx.err, err)
			w.WriteHeader(http.StatusBadRequest)
		default:
			rx.got = append(rx.got, fb)
		}
	}))
	t.Cleanup(srv.Close)
	srvURL = srv.URL
	rx.URL = srv.URL + "/hooks/twilio/status"
	return rx
}

func (rx *callbackReceiver) feedback() ([]channel.Feedback, []error) {
	rx.mu.Lock()
	defer rx.mu.Unlock()
	return append([]channel.Feedback(nil), rx.got...), append([]error(nil), rx.err...)
}

func TestStatusCallbacksEndToEnd(t *testing.T) {
	t.Parallel()
	tw := twiliotest.New(t, nil)
	rx := newReceiver(t, tw.AuthToken, func(srvURL string) string { return srvURL + "/hooks/twilio/status" })
	cfg := config(tw)
	cfg.StatusCallbackURL = rx.URL
	s := newSender(t, cfg, nil)

	tests := []struct {
		status    string
		errorCode int
		want      channel.Feedback
		interim   bool
	}{
		{status: "sending", interim: true},
		{status: "sent", want: channel.Feedback{Type: twilio.FeedbackSent}},
		{status: "delivered", want: channel.Feedback{Type: channel.Delivered}},
		{status: "read", want: channel.Feedback{Type: channel.Opened}},
		{status: "undelivered", errorCode: 30003, want: channel.Feedback{Type: channel.Failed, Reason: "30003"}},
		{status: "failed", errorCode: 30006, want: channel.Feedback{Type: channel.Failed, Reason: "30006", Hard: true}},
		{status: "failed", want: channel.Feedback{Type: channel.Failed, Reason: "failed"}},
	}
	for i, tc := range tests {
		key := "j1:1:i1:n1:" + string(rune('a'+i))
		rec, err := s.Send(t.Context(), sms(key, "+14155550100", "hi"))
		require.NoError(t, err)
		require.NoError(t, tw.Deliver(t.Context(), rec.ProviderID, tc.status, tc.errorCode))
		got, errs := rx.feedback()
		if tc.interim {
			require.Len(t, errs, 1)
			require.ErrorIs(t, errs[0], twilio.ErrInterimStatus)
			continue
		}
		require.Len(t, errs, 1, "only the interim status errs")
		fb := got[len(got)-1]
		want := tc.want
		want.Channel, want.Key, want.ProviderID, want.Address = channel.SMS, key, rec.ProviderID, "+14155550100"
		require.Equal(t, want, fb, tc.status)
	}
}

func TestStatusCallbackRejectsForgeries(t *testing.T) {
	t.Parallel()
	tw := twiliotest.New(t, nil)
	samePath := func(srvURL string) string { return srvURL + "/hooks/twilio/status" }
	form := url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"delivered"}, "To": {"+14155550100"}}

	t.Run("wrong auth token", func(t *testing.T) {
		t.Parallel()
		rx := newReceiver(t, "not-the-token", samePath)
		require.Error(t, tw.PostSigned(t.Context(), rx.URL, form))
		got, errs := rx.feedback()
		require.Empty(t, got)
		require.ErrorIs(t, errs[0], twilio.ErrBadSignature)
	})
	t.Run("public url is not what twilio called", func(t *testing.T) {
		t.Parallel()
		rx := newReceiver(t, tw.AuthToken, func(srvURL string) string { return srvURL + "/other/path" })
		require.Error(t, tw.PostSigned(t.Context(), rx.URL, form))
		_, errs := rx.feedback()
		require.ErrorIs(t, errs[0], twilio.ErrBadSignature)
	})
	t.Run("query changed in transit", func(t *testing.T) {
		t.Parallel()
		rx := newReceiver(t, tw.AuthToken, samePath)
		// Signed for one send key, delivered with another: the URL is signed.
		req := signedRequest(t, tw.AuthToken, rx.URL+"?cairn_key=mine", form)
		req.URL, _ = url.Parse(rx.URL + "?cairn_key=other")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		got, errs := rx.feedback()
		require.Empty(t, got)
		require.ErrorIs(t, errs[0], twilio.ErrBadSignature)
	})
	t.Run("missing signature", func(t *testing.T) {
		t.Parallel()
		rx := newReceiver(t, tw.AuthToken, samePath)
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, rx.URL, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		_, errs := rx.feedback()
		require.ErrorIs(t, errs[0], twilio.ErrMissingSignature)
	})
}

func signedRequest(t *testing.T, token, fullURL string, form url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, fullURL, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, twilio.Signature(token, fullURL, form))
	return req
}

func TestParseStatusCallbackRequests(t *testing.T) {
	t.Parallel()
	const token = "tok"
	public := "https://cairn.example.com/hooks/twilio"
	form := url.Values{"MessageSid": {"SM1"}, "SmsSid": {"SM1"}, "MessageStatus": {"delivered"}, "To": {"+14155550100"}}
	tests := []struct {
		name      string
		req       func() *http.Request
		publicURL string
		wantErr   string
		wantKey   string
	}{
		{
			name: "behind a proxy: public url and request query",
			req: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "http://10.0.0.5:8080/internal/twilio?cairn_key=k1", strings.NewReader(form.Encode()))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r.Header.Set(twilio.SignatureHeader, twilio.Signature(token, public+"?cairn_key=k1", form))
				return r
			},
			publicURL: public,
			wantKey:   "k1",
		},
		{
			name: "no public url: rebuilt from the request",
			req: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "http://cairn.local/cb?cairn_key=k2", strings.NewReader(form.Encode()))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
				r.Header.Set(twilio.SignatureHeader, twilio.Signature(token, "http://cairn.local/cb?cairn_key=k2", form))
				return r
			},
			wantKey: "k2",
		},
		{
			name: "get",
			req: func() *http.Request {
				return httptest.NewRequest(http.MethodGet, "http://cairn.local/cb", nil)
			},
			wantErr: "want POST",
		},
		{
			name: "json body",
			req: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "http://cairn.local/cb", strings.NewReader(`{}`))
				r.Header.Set("Content-Type", "application/json")
				return r
			},
			wantErr: "want a form",
		},
		{
			name: "oversized",
			req: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "http://cairn.local/cb", strings.NewReader("a="+strings.Repeat("x", 70<<10)))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return r
			},
			wantErr: "over",
		},
		{
			name: "signed but no sid",
			req: func() *http.Request {
				f := url.Values{"MessageStatus": {"delivered"}}
				r := httptest.NewRequest(http.MethodPost, "http://cairn.local/cb", strings.NewReader(f.Encode()))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r.Header.Set(twilio.SignatureHeader, twilio.Signature(token, "http://cairn.local/cb", f))
				return r
			},
			wantErr: "required",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fb, err := twilio.ParseStatusCallback(tc.req(), token, tc.publicURL)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, channel.Delivered, fb.Type)
			require.Equal(t, tc.wantKey, fb.Key)
			require.Equal(t, "SM1", fb.ProviderID)
		})
	}
}

func FuzzParseStatusCallback(f *testing.F) {
	f.Add("MessageSid=SM1&MessageStatus=delivered&To=%2B14155550100", "cairn_key=k", true)
	f.Add("SmsSid=SM1&SmsStatus=failed&ErrorCode=30005", "", true)
	f.Add("MessageSid=SM1&MessageStatus=queued", "a=b&a=c", true)
	f.Add("%zz=1", "", true)
	f.Add("MessageSid=SM1&MessageStatus=delivered", "", false)
	f.Add("a=1&a=2&b=&=", "x=%20", true)
	f.Fuzz(func(t *testing.T, body, query string, sign bool) {
		u := "http://cairn.local/cb"
		if query != "" {
			u += "?" + query
		}
		r, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(body))
		if err != nil {
			return
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		form, formErr := url.ParseQuery(body)
		if sign && formErr == nil {
			r.Header.Set(twilio.SignatureHeader, twilio.Signature("tok", "http://cairn.local"+r.URL.RequestURI(), form))
		} else {
			r.Header.Set(twilio.SignatureHeader, "c2lnbmF0dXJl")
		}
		r.Host = "cairn.local"
		fb, err := twilio.ParseStatusCallback(r, "tok", "")
		if err != nil {
			require.Empty(t, fb.Type)
			if !sign && formErr == nil {
				require.ErrorIs(t, err, twilio.ErrBadSignature)
			}
			return
		}
		require.True(t, sign, "an unsigned callback was accepted")
		require.NotEmpty(t, fb.ProviderID)
		require.Contains(t, []channel.FeedbackType{channel.Delivered, channel.Opened, channel.Failed, twilio.FeedbackSent}, fb.Type)
		if fb.Type == channel.Failed {
			require.NotEmpty(t, fb.Reason)
		}
	})
}

func BenchmarkParseStatusCallback(b *testing.B) {
	form := url.Values{
		"AccountSid": {"AC" + strings.Repeat("0", 32)}, "ApiVersion": {"2010-04-01"}, "From": {"+15005550006"},
		"To": {"+14155550100"}, "MessageSid": {"SM1"}, "SmsSid": {"SM1"}, "MessageStatus": {"delivered"}, "SmsStatus": {"delivered"},
	}
	body := form.Encode()
	sig := twilio.Signature("tok", "https://cairn.example.com/cb?cairn_key=k", form)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "http://10.0.0.1/cb?cairn_key=k", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set(twilio.SignatureHeader, sig)
		if _, err := twilio.ParseStatusCallback(r, "tok", "https://cairn.example.com/cb"); err != nil {
			b.Fatal(err)
		}
	}
}
