package twilio_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/twilio"
	"github.com/cairn-cdp/cairn/internal/channel/twilio/twiliotest"
	"github.com/cairn-cdp/cairn/internal/clock"
)

func TestSendCreatesMessage(t *testing.T) {
	t.Parallel()
	tw := twiliotest.New(t, clock.NewManual(t0))
	cfg := config(tw)
	cfg.StatusCallbackURL = "https://cairn.example.com/hooks/twilio?tenant=acme"
	s := newSender(t, cfg, nil)

	rec, err := s.Send(t.Context(), sms("j1:1:i1:n1:0", "+14155550100", "Your code is 1234"))
	require.NoError(t, err)
	require.Regexp(t, `^SM[0-9a-f]{32}$`, rec.ProviderID)
	require.Equal(t, "sent", rec.Status)
	require.Equal(t, "twilio status queued", rec.Detail)

	msgs := tw.Messages()
	require.Len(t, msgs, 1)
	m := msgs[0]
	require.Equal(t, rec.ProviderID, m.SID)
	require.Equal(t, "+14155550100", m.To)
	require.Equal(t, twiliotest.DefaultFrom, m.From)
	require.Equal(t, "Your code is 1234", m.Body)
	require.Equal(t, t0, m.DateCreated)
	cb, err := url.Parse(m.StatusCallback)
	require.NoError(t, err)
	require.Equal(t, "cairn.example.com", cb.Host)
	require.Equal(t, "acme", cb.Query().Get("tenant"))
	require.Equal(t, "j1:1:i1:n1:0", cb.Query().Get(twilio.KeyParam))
}

func TestSendThroughMessagingServiceWithAPIKey(t *testing.T) {
	t.Parallel()
	tw := twiliotest.New(t, nil)
	keySID, keySecret := tw.AddAPIKey()
	svc := tw.AddMessagingService()
	s := newSender(t, twilio.Config{
		BaseURL:             tw.URL,
		AccountSID:          tw.AccountSID,
		APIKeySID:           keySID,
		APIKeySecret:        keySecret,
		MessagingServiceSID: svc,
		From:                "+19999999999", // ignored: the service picks the sender
	}, nil)
	rec, err := s.Send(t.Context(), sms("k", "+447700900123", "hello"))
	require.NoError(t, err)
	require.Equal(t, "twilio status accepted", rec.Detail)
	m := tw.Messages()[0]
	require.Equal(t, svc, m.MessagingServiceSID)
	require.Empty(t, m.From)
	require.Empty(t, m.StatusCallback)
}

func TestSendClassifiesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		setup     func(*twiliotest.Server, *twilio.Config)
		m         channel.Message
		permanent bool
		code      string
		requests  int
	}{
		{name: "not e164", m: sms("k", "4155550100", "hi"), permanent: true, code: "21211", requests: 1},
		{name: "magic invalid number", m: sms("k", "+15005550001", "hi"), permanent: true, code: "21211", requests: 1},
		{name: "not mobile", m: sms("k", "+15005550009", "hi"), permanent: true, code: "21614", requests: 1},
		{name: "unsubscribed", m: sms("k", "+15005550004", "hi"), permanent: true, code: "21610", requests: 1},
		{name: "body too long", m: sms("k", "+14155550100", strings.Repeat("x", 1601)), permanent: true, code: "21617", requests: 1},
		{
			name:  "from not owned",
			setup: func(_ *twiliotest.Server, c *twilio.Config) { c.From = "+14155559999" },
			m:     sms("k", "+14155550100", "hi"), permanent: true, code: "21606", requests: 1,
		},
		{
			name:  "unknown messaging service",
			setup: func(_ *twiliotest.Server, c *twilio.Config) { c.MessagingServiceSID = "MG" + strings.Repeat("0", 32) },
			m:     sms("k", "+14155550100", "hi"), permanent: true, code: "21705", requests: 1,
		},
		{
			name:  "wrong auth token",
			setup: func(_ *twiliotest.Server, c *twilio.Config) { c.AuthToken = "wrong" },
			m:     sms("k", "+14155550100", "hi"), permanent: true, code: "20003", requests: 1,
		},
		{
			name:  "too many requests",
			setup: func(tw *twiliotest.Server, _ *twilio.Config) { tw.FailNext(1, http.StatusTooManyRequests) },
			m:     sms("k", "+14155550100", "hi"), code: "20429", requests: 1,
		},
		{
			name:  "internal error",
			setup: func(tw *twiliotest.Server, _ *twilio.Config) { tw.FailNext(1, http.StatusInternalServerError) },
			m:     sms("k", "+14155550100", "hi"), code: "20500", requests: 1,
		},
		{
			name:  "unavailable",
			setup: func(tw *twiliotest.Server, _ *twilio.Config) { tw.FailNext(1, http.StatusServiceUnavailable) },
			m:     sms("k", "+14155550100", "hi"), code: "20503", requests: 1,
		},
		{name: "no recipient", m: sms("k", "", "hi"), permanent: true},
		{name: "no text", m: sms("k", "+14155550100", ""), permanent: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tw := twiliotest.New(t, nil)
			cfg := config(tw)
			if tc.setup != nil {
				tc.setup(tw, &cfg)
			}
			s := newSender(t, cfg, nil)
			_, err := s.Send(t.Context(), tc.m)
			require.Error(t, err)
			require.Equal(t, tc.permanent, channel.IsPermanent(err), "%v", err)
			var ce *channel.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tc.code, ce.Code)
			if tc.code != "" {
				var ae *twilio.APIError
				require.ErrorAs(t, err, &ae)
				require.Equal(t, ae.HTTPStatus, ae.Status)
				require.Contains(t, ae.MoreInfo, "https://www.twilio.com/docs/errors/"+tc.code)
				require.NotEmpty(t, ae.Message)
			}
			require.Equal(t, tc.requests, tw.Requests())
			require.Empty(t, tw.Messages())
		})
	}
}

func TestSendNonTwilioErrorBody(t *testing.T) {
	t.Parallel()
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body>502 Bad Gateway</body></html>"))
	}))
	t.Cleanup(gw.Close)
	s := newSender(t, twilio.Config{BaseURL: gw.URL, AccountSID: "AC" + strings.Repeat("a", 32), AuthToken: "t", From: "+15005550006"}, nil)
	_, err := s.Send(t.Context(), sms("k", "+14155550100", "hi"))
	require.Error(t, err)
	require.False(t, channel.IsPermanent(err))
	var ae *twilio.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, http.StatusBadGateway, ae.HTTPStatus)
	require.Zero(t, ae.Code)
	require.Contains(t, ae.Message, "502 Bad Gateway")
	require.Equal(t, 7, int(ae.RetryAfter.Seconds()))
	var ce *channel.Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "502", ce.Code)
}

func TestSendNetworkFailureIsTemporary(t *testing.T) {
	t.Parallel()
	tw := twiliotest.New(t, nil)
	cfg := config(tw)
	tw.Close()
	s := newSender(t, cfg, nil)
	_, err := s.Send(t.Context(), sms("k", "+14155550100", "hi"))
	require.Error(t, err)
	require.False(t, channel.IsPermanent(err))
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	ac := "AC" + strings.Repeat("0a", 16)
	sk := "SK" + strings.Repeat("0b", 16)
	mg := "MG" + strings.Repeat("0c", 16)
	tests := []struct {
		name string
		cfg  twilio.Config
		ok   bool
	}{
		{name: "token and from", cfg: twilio.Config{AccountSID: ac, AuthToken: "t", From: "+15005550006"}, ok: true},
		{name: "api key and service", cfg: twilio.Config{AccountSID: ac, APIKeySID: sk, APIKeySecret: "s", MessagingServiceSID: mg}, ok: true},
		{name: "callback", cfg: twilio.Config{AccountSID: ac, AuthToken: "t", From: "x", StatusCallbackURL: "https://h.example/cb"}, ok: true},
		{name: "no account", cfg: twilio.Config{AuthToken: "t", From: "x"}},
		{name: "short account", cfg: twilio.Config{AccountSID: "AC123", AuthToken: "t", From: "x"}},
		{name: "no credentials", cfg: twilio.Config{AccountSID: ac, From: "x"}},
		{name: "key without secret", cfg: twilio.Config{AccountSID: ac, APIKeySID: sk, From: "x"}},
		{name: "bad key sid", cfg: twilio.Config{AccountSID: ac, APIKeySID: "SK1", APIKeySecret: "s", From: "x"}},
		{name: "no sender", cfg: twilio.Config{AccountSID: ac, AuthToken: "t"}},
		{name: "bad service", cfg: twilio.Config{AccountSID: ac, AuthToken: "t", MessagingServiceSID: "MG1"}},
		{name: "relative callback", cfg: twilio.Config{AccountSID: ac, AuthToken: "t", From: "x", StatusCallbackURL: "/cb"}},
		{name: "bad base", cfg: twilio.Config{AccountSID: ac, AuthToken: "t", From: "x", BaseURL: "api.twilio.com"}},
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
		})
	}
}

func BenchmarkSend(b *testing.B) {
	tw := twiliotest.New(b, nil)
	s := newSender(b, config(tw), nil)
	m := sms("bench", "+14155550100", "Your order has shipped")
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}
