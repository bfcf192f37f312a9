package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/webhook"
	"github.com/cairn-cdp/cairn/internal/channel/webhook/webhooktest"
	"github.com/cairn-cdp/cairn/internal/clock"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const secret = "whsec_cairn"

func newSender(tb testing.TB, cfg webhook.Config, clk clock.Clock) *webhook.Sender {
	tb.Helper()
	s, err := webhook.New(cfg, nil, clk, nil)
	require.NoError(tb, err)
	return s
}

func msg(key string) channel.Message {
	return channel.Message{Key: key, Channel: channel.Webhook, Body: []byte(`{"profile":"p1","event":"signup"}`)}
}

func TestSendDeliversSignedRequest(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(t0)
	rx := webhooktest.New(t, webhooktest.Options{Secret: []byte(secret), Clock: clk})
	rx.Respond(http.StatusCreated, []byte(`{"id":"lead_42","score":7}`))
	s := newSender(t, webhook.Config{
		URL:     rx.URL + "/hooks/cairn?tenant=a",
		Secret:  secret,
		Headers: map[string]string{"Authorization": "Bearer abc", "X-Env": "test"},
	}, clk)

	m := msg("j1:v1:i1:n1:0")
	m.Headers = map[string]string{"X-Env": "override", "Idempotency-Key": "hijack", "Content-Type": "text/plain"}
	rec, err := s.Send(t.Context(), m)
	require.NoError(t, err)
	require.Equal(t, "delivered", rec.Status)
	require.Equal(t, "req_1", rec.ProviderID)
	require.JSONEq(t, `{"id":"lead_42","score":7}`, string(rec.Response))
	require.Contains(t, rec.Detail, "201")

	got := rx.Received()
	require.Len(t, got, 1)
	r := got[0]
	require.Equal(t, http.MethodPost, r.Method)
	require.Equal(t, "/hooks/cairn", r.Path)
	require.Equal(t, "tenant=a", r.Query)
	require.Equal(t, "j1:v1:i1:n1:0", r.Key)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	require.Equal(t, "Bearer abc", r.Header.Get("Authorization"))
	require.Equal(t, "override", r.Header.Get("X-Env"))
	require.Equal(t, m.Body, r.Body)
	sig := r.Header.Get(webhook.SignatureHeader)
	require.True(t, strings.HasPrefix(sig, fmt.Sprintf("t=%d,v1=", t0.Unix())), sig)
	require.NoError(t, webhook.Verify([]byte(secret), sig, r.Body, t0, time.Minute))
}

func TestSendResendIsDeduplicatedByReceiver(t *testing.T) {
	t.Parallel()
	rx := webhooktest.New(t, webhooktest.Options{})
	s := newSender(t, webhook.Config{URL: rx.URL}, nil)
	first, err := s.Send(t.Context(), msg("k1"))
	require.NoError(t, err)
	again, err := s.Send(t.Context(), msg("k1"))
	require.NoError(t, err)
	require.Equal(t, first.Response, again.Response)
	require.Len(t, rx.Received(), 1)
	require.Len(t, rx.Duplicates(), 1)
	_, err = s.Send(t.Context(), msg("k2"))
	require.NoError(t, err)
	require.Len(t, rx.Received(), 2)
	require.Equal(t, 3, rx.Attempts())
}

func TestSendMessageToOverridesConfigURL(t *testing.T) {
	t.Parallel()
	cfgRx := webhooktest.New(t, webhooktest.Options{})
	msgRx := webhooktest.New(t, webhooktest.Options{})
	s := newSender(t, webhook.Config{URL: cfgRx.URL}, nil)
	m := msg("k")
	m.To = msgRx.URL + "/per-message"
	_, err := s.Send(t.Context(), m)
	require.NoError(t, err)
	require.Empty(t, cfgRx.Received())
	require.Len(t, msgRx.Received(), 1)
	require.Equal(t, "/per-message", msgRx.Received()[0].Path)
}

func TestSendMethodAndEmptyBody(t *testing.T) {
	t.Parallel()
	rx := webhooktest.New(t, webhooktest.Options{Secret: []byte(secret)})
	s := newSender(t, webhook.Config{URL: rx.URL, Method: http.MethodPut, Secret: secret}, nil)
	m := msg("k")
	m.Body = nil
	_, err := s.Send(t.Context(), m)
	require.NoError(t, err)
	r := rx.Received()[0]
	require.Equal(t, http.MethodPut, r.Method)
	require.Empty(t, r.Body)
}

func TestSendClassifiesReceiverAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status     int
		retryAfter time.Duration
		permanent  bool
	}{
		{status: http.StatusBadRequest, permanent: true},
		{status: http.StatusUnauthorized, permanent: true},
		{status: http.StatusNotFound, permanent: true},
		{status: http.StatusConflict, permanent: true},
		{status: http.StatusUnprocessableEntity, permanent: true},
		{status: http.StatusRequestTimeout},
		{status: http.StatusTooManyRequests, retryAfter: 30 * time.Second},
		{status: http.StatusInternalServerError},
		{status: http.StatusBadGateway},
		{status: http.StatusServiceUnavailable, retryAfter: 2 * time.Second},
	}
	for _, tc := range tests {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			t.Parallel()
			rx := webhooktest.New(t, webhooktest.Options{})
			rx.FailNext(1, tc.status, tc.retryAfter)
			s := newSender(t, webhook.Config{URL: rx.URL}, nil)
			_, err := s.Send(t.Context(), msg("k"))
			require.Error(t, err)
			require.Equal(t, tc.permanent, channel.IsPermanent(err))
			var ce *channel.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, fmt.Sprint(tc.status), ce.Code)
			var he *webhook.HTTPError
			require.ErrorAs(t, err, &he)
			require.Equal(t, tc.status, he.StatusCode)
			require.Contains(t, he.Body, "injected failure")
			ra, ok := webhook.RetryAfter(err)
			require.Equal(t, tc.retryAfter > 0, ok)
			require.Equal(t, tc.retryAfter, ra)

			// The retry of the same key is the first delivery.
			rec, err := s.Send(t.Context(), msg("k"))
			require.NoError(t, err)
			require.Equal(t, "delivered", rec.Status)
			require.Len(t, rx.Received(), 1)
			require.Empty(t, rx.Duplicates())
		})
	}
}

func TestSendWrongSecretIsRejected(t *testing.T) {
	t.Parallel()
	rx := webhooktest.New(t, webhooktest.Options{Secret: []byte(secret)})
	for _, cfg := range []webhook.Config{
		{URL: rx.URL, Secret: "not the secret"},
		{URL: rx.URL}, // unsigned
	} {
		s := newSender(t, cfg, nil)
		_, err := s.Send(t.Context(), msg("k"))
		require.Error(t, err)
		require.True(t, channel.IsPermanent(err))
	}
	require.Len(t, rx.Rejected(), 2)
	require.Empty(t, rx.Received())
}

func TestSendStaleClockIsRejected(t *testing.T) {
	t.Parallel()
	senderClock := clock.NewManual(t0)
	rx := webhooktest.New(t, webhooktest.Options{Secret: []byte(secret), Clock: clock.NewManual(t0.Add(10 * time.Minute))})
	s := newSender(t, webhook.Config{URL: rx.URL, Secret: secret}, senderClock)
	_, err := s.Send(t.Context(), msg("k"))
	require.Error(t, err)
	require.Len(t, rx.Rejected(), 1)
	senderClock.Advance(10 * time.Minute)
	_, err = s.Send(t.Context(), msg("k"))
	require.NoError(t, err)
}

func TestSendDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	rx := webhooktest.New(t, webhooktest.Options{})
	redirector := httptest.NewServer(http.RedirectHandler(rx.URL, http.StatusTemporaryRedirect))
	t.Cleanup(redirector.Close)
	s := newSender(t, webhook.Config{URL: redirector.URL, Secret: secret}, nil)
	_, err := s.Send(t.Context(), msg("k"))
	require.Error(t, err)
	require.True(t, channel.IsPermanent(err))
	require.Zero(t, rx.Attempts())
}

func TestSendTransportFailuresAreTemporary(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // the server notices a gone client only after the body
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) }) // runs before hang.Close
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()

	tests := []struct {
		name string
		cfg  webhook.Config
	}{
		{name: "timeout", cfg: webhook.Config{URL: hang.URL, Timeout: 20 * time.Millisecond}},
		{name: "connection refused", cfg: webhook.Config{URL: gone.URL}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newSender(t, tc.cfg, nil)
			_, err := s.Send(t.Context(), msg("k"))
			require.Error(t, err)
			require.False(t, channel.IsPermanent(err))
			var ce *channel.Error
			require.ErrorAs(t, err, &ce)
		})
	}
}

func TestSendCallerCancel(t *testing.T) {
	t.Parallel()
	rx := webhooktest.New(t, webhooktest.Options{})
	s := newSender(t, webhook.Config{URL: rx.URL}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.Send(ctx, msg("k"))
	require.ErrorIs(t, err, context.Canceled)
	require.False(t, channel.IsPermanent(err))
}

func TestSendCapsResponse(t *testing.T) {
	t.Parallel()
	rx := webhooktest.New(t, webhooktest.Options{})
	rx.Respond(http.StatusOK, []byte(`{"data":"`+strings.Repeat("x", 5000)+`"}`))
	s := newSender(t, webhook.Config{URL: rx.URL, MaxResponseBytes: 100}, nil)
	rec, err := s.Send(t.Context(), msg("k"))
	require.NoError(t, err)
	require.Len(t, rec.Response, 100)
	require.Contains(t, rec.Detail, "truncated")
	// The connection stays usable after a truncated read.
	_, err = s.Send(t.Context(), msg("k2"))
	require.NoError(t, err)
}

func TestSendRejectsUnsendableMessages(t *testing.T) {
	t.Parallel()
	rx := webhooktest.New(t, webhooktest.Options{})
	tests := []struct {
		name string
		cfg  webhook.Config
		m    channel.Message
	}{
		{name: "no url anywhere", m: msg("k")},
		{name: "relative to", cfg: webhook.Config{URL: rx.URL}, m: channel.Message{Key: "k", To: "/relative"}},
		{name: "ftp to", m: channel.Message{Key: "k", To: "ftp://example.com/x"}},
		{name: "no key", cfg: webhook.Config{URL: rx.URL}, m: channel.Message{Body: []byte(`{}`)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newSender(t, tc.cfg, nil)
			_, err := s.Send(t.Context(), tc.m)
			require.Error(t, err)
			require.True(t, channel.IsPermanent(err))
		})
	}
	require.Zero(t, rx.Attempts())
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  webhook.Config
		ok   bool
	}{
		{name: "zero", ok: true},
		{name: "full", cfg: webhook.Config{URL: "https://example.com/h", Method: "PATCH", Secret: "s", Timeout: time.Second, Headers: map[string]string{"X-A": "b"}}, ok: true},
		{name: "relative url", cfg: webhook.Config{URL: "/x"}},
		{name: "bad scheme", cfg: webhook.Config{URL: "mailto:a@b.c"}},
		{name: "unparsable url", cfg: webhook.Config{URL: "http://[::1"}},
		{name: "bad method", cfg: webhook.Config{Method: "CONNECT"}},
		{name: "negative timeout", cfg: webhook.Config{Timeout: -1}},
		{name: "negative cap", cfg: webhook.Config{MaxResponseBytes: -1}},
		{name: "reserved header", cfg: webhook.Config{Headers: map[string]string{"idempotency-key": "x"}}},
		{name: "signature header", cfg: webhook.Config{Headers: map[string]string{"X-Cairn-Signature": "x"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.cfg.Validate()
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			_, nerr := webhook.New(tc.cfg, nil, nil, nil)
			require.Error(t, nerr)
		})
	}
}

func TestHTTPErrorMessageRedactsQuery(t *testing.T) {
	t.Parallel()
	rx := webhooktest.New(t, webhooktest.Options{})
	rx.FailNext(1, http.StatusBadRequest, 0)
	s := newSender(t, webhook.Config{URL: rx.URL + "/h?token=s3cr3t"}, nil)
	_, err := s.Send(t.Context(), msg("k"))
	require.Error(t, err)
	require.NotContains(t, err.Error(), "s3cr3t")
	require.False(t, errors.Is(err, context.Canceled))
}

func BenchmarkSend(b *testing.B) {
	rx := webhooktest.New(b, webhooktest.Options{Secret: []byte(secret)})
	s := newSender(b, webhook.Config{URL: rx.URL, Secret: secret}, nil)
	m := msg("bench")
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	body := []byte(`{"profile":"p1","event":"signup"}`)
	h := webhook.Sign([]byte(secret), t0, body)
	b.ReportAllocs()
	for b.Loop() {
		if err := webhook.Verify([]byte(secret), h, body, t0, time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}
