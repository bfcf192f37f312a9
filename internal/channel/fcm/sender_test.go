package fcm_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/fcm"
	"github.com/cairn-cdp/cairn/internal/channel/fcm/fcmtest"
	"github.com/cairn-cdp/cairn/internal/clock"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func staticSender(tb testing.TB, srv *fcmtest.Server, clk clock.Clock) *fcm.Sender {
	tb.Helper()
	s, err := fcm.New(fcm.Config{BaseURL: srv.URL, ProjectID: srv.ProjectID, AccessToken: srv.AccessToken()}, nil, clk, nil)
	require.NoError(tb, err)
	return s
}

func accountSender(tb testing.TB, srv *fcmtest.Server, clk clock.Clock) *fcm.Sender {
	tb.Helper()
	s, err := fcm.New(fcm.Config{BaseURL: srv.URL, CredentialsJSON: srv.ServiceAccountJSON()}, nil, clk, nil)
	require.NoError(tb, err)
	return s
}

func push(token string) channel.Message {
	return channel.Message{
		Key: "j1:1:i1:n1:0", Channel: channel.Push, To: token,
		Title: "Your order shipped", Text: "Arriving Tuesday",
		Data: map[string]string{"order_id": "o-42", "deep_link": "app://orders/o-42"},
	}
}

func TestSendDeliversNotification(t *testing.T) {
	t.Parallel()
	srv := fcmtest.New(t, nil)
	tok := srv.NewDeviceToken()
	s := staticSender(t, srv, nil)

	rec, err := s.Send(t.Context(), push(tok))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(rec.ProviderID, "projects/"+srv.ProjectID+"/messages/0:"), rec.ProviderID)
	require.Equal(t, "sent", rec.Status)

	got := srv.Messages()
	require.Len(t, got, 1)
	require.Equal(t, rec.ProviderID, got[0].Name)
	require.Equal(t, tok, got[0].Token)
	require.Equal(t, "Your order shipped", got[0].Title)
	require.Equal(t, "Arriving Tuesday", got[0].Body)
	require.Equal(t, map[string]string{"order_id": "o-42", "deep_link": "app://orders/o-42"}, got[0].Data)
}

func TestSendDataOnly(t *testing.T) {
	t.Parallel()
	srv := fcmtest.New(t, nil)
	tok := srv.NewDeviceToken()
	m := channel.Message{Key: "k", To: tok, Data: map[string]string{"sync": "1"}}
	_, err := staticSender(t, srv, nil).Send(t.Context(), m)
	require.NoError(t, err)
	got := srv.Messages()[0]
	require.Empty(t, got.Title)
	require.Empty(t, got.Body)
	require.Equal(t, "1", got.Data["sync"])
}

func TestSendClassifiesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		setup        func(srv *fcmtest.Server, live string) channel.Message
		permanent    bool
		code         string
		unregistered bool
		retryAfter   time.Duration
	}{
		{
			name:      "unregistered token",
			setup:     func(srv *fcmtest.Server, live string) channel.Message { srv.Unregister(live); return push(live) },
			permanent: true, code: fcm.ErrorUnregistered, unregistered: true,
		},
		{
			name:      "malformed token",
			setup:     func(*fcmtest.Server, string) channel.Message { return push("not a token!") },
			permanent: true, code: fcm.ErrorInvalidArgument,
		},
		{
			name: "reserved data key",
			setup: func(_ *fcmtest.Server, live string) channel.Message {
				m := push(live)
				m.Data = map[string]string{"from": "x"}
				return m
			},
			permanent: true, code: fcm.ErrorInvalidArgument,
		},
		{
			name: "payload too big",
			setup: func(_ *fcmtest.Server, live string) channel.Message {
				m := push(live)
				m.Data = map[string]string{"blob": strings.Repeat("x", 5000)}
				return m
			},
			permanent: true, code: fcm.ErrorInvalidArgument,
		},
		{
			name: "quota exceeded",
			setup: func(srv *fcmtest.Server, live string) channel.Message {
				srv.FailNext(1, http.StatusTooManyRequests, fcm.ErrorQuotaExceeded, 30*time.Second)
				return push(live)
			},
			code: fcm.ErrorQuotaExceeded, retryAfter: 30 * time.Second,
		},
		{
			name: "unavailable",
			setup: func(srv *fcmtest.Server, live string) channel.Message {
				srv.FailNext(1, http.StatusServiceUnavailable, fcm.ErrorUnavailable, 5*time.Second)
				return push(live)
			},
			code: fcm.ErrorUnavailable, retryAfter: 5 * time.Second,
		},
		{
			name: "internal",
			setup: func(srv *fcmtest.Server, live string) channel.Message {
				srv.FailNext(1, http.StatusInternalServerError, fcm.ErrorInternal, 0)
				return push(live)
			},
			code: fcm.ErrorInternal,
		},
		{
			name: "sender id mismatch",
			setup: func(srv *fcmtest.Server, live string) channel.Message {
				srv.FailNext(1, http.StatusForbidden, fcm.ErrorSenderIDMismatch, 0)
				return push(live)
			},
			permanent: true, code: fcm.ErrorSenderIDMismatch,
		},
		{
			name: "apns credentials broken",
			setup: func(srv *fcmtest.Server, live string) channel.Message {
				srv.FailNext(1, http.StatusUnauthorized, fcm.ErrorThirdPartyAuthError, 0)
				return push(live)
			},
			code: fcm.ErrorThirdPartyAuthError,
		},
		{
			name: "revoked static token",
			setup: func(srv *fcmtest.Server, live string) channel.Message {
				srv.RevokeAccessTokens()
				return push(live)
			},
			code: "UNAUTHENTICATED",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := fcmtest.New(t, nil)
			live := srv.NewDeviceToken()
			s := staticSender(t, srv, nil)
			m := tc.setup(srv, live)
			_, err := s.Send(t.Context(), m)
			require.Error(t, err)
			require.Equal(t, tc.permanent, channel.IsPermanent(err), "%v", err)
			var ce *channel.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tc.code, ce.Code)
			require.Equal(t, tc.unregistered, fcm.IsUnregistered(err))
			ra, ok := fcm.RetryAfter(err)
			require.Equal(t, tc.retryAfter > 0, ok)
			require.Equal(t, tc.retryAfter, ra)
			var ae *fcm.APIError
			require.ErrorAs(t, err, &ae)
			require.NotEmpty(t, ae.Message)
			require.Equal(t, 1, srv.SendRequests(), "a static token is never retried")
			require.Empty(t, srv.Messages())
		})
	}
}

func TestSendWrongProjectIsTemporary(t *testing.T) {
	t.Parallel()
	srv := fcmtest.New(t, nil)
	s, err := fcm.New(fcm.Config{BaseURL: srv.URL, ProjectID: "someone-else", AccessToken: srv.AccessToken()}, nil, nil, nil)
	require.NoError(t, err)
	_, err = s.Send(t.Context(), push(srv.NewDeviceToken()))
	require.Error(t, err)
	require.False(t, channel.IsPermanent(err))
	var ce *channel.Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "PERMISSION_DENIED", ce.Code)
}

func TestSendWithoutRecipientOrServer(t *testing.T) {
	t.Parallel()
	srv := fcmtest.New(t, nil)
	s := staticSender(t, srv, nil)
	_, err := s.Send(t.Context(), channel.Message{Key: "k", Title: "t"})
	require.True(t, channel.IsPermanent(err))
	require.Zero(t, srv.SendRequests())

	tok := srv.NewDeviceToken()
	srv.Close()
	_, err = s.Send(t.Context(), push(tok))
	require.Error(t, err)
	require.False(t, channel.IsPermanent(err))
}

func TestServiceAccountTokenIsCachedUntilNearExpiry(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(t0)
	srv := fcmtest.New(t, clk)
	tok := srv.NewDeviceToken()
	s := accountSender(t, srv, clk)

	for range 3 {
		_, err := s.Send(t.Context(), push(tok))
		require.NoError(t, err)
	}
	require.Equal(t, 1, srv.TokenRequests())

	clk.Advance(58 * time.Minute) // 3599 s token, refreshed a minute early
	_, err := s.Send(t.Context(), push(tok))
	require.NoError(t, err)
	require.Equal(t, 1, srv.TokenRequests())

	clk.Advance(time.Minute)
	_, err = s.Send(t.Context(), push(tok))
	require.NoError(t, err)
	require.Equal(t, 2, srv.TokenRequests())
	require.Len(t, srv.Messages(), 5)
}

func TestServiceAccountRefreshesRevokedToken(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(t0)
	srv := fcmtest.New(t, clk)
	tok := srv.NewDeviceToken()
	s := accountSender(t, srv, clk)
	_, err := s.Send(t.Context(), push(tok))
	require.NoError(t, err)

	srv.RevokeAccessTokens()
	_, err = s.Send(t.Context(), push(tok))
	require.NoError(t, err)
	require.Equal(t, 2, srv.TokenRequests())
	require.Equal(t, 3, srv.SendRequests(), "one refused send, one retry")
	require.Len(t, srv.Messages(), 2, "the refused send delivered nothing")
}

func TestServiceAccountConcurrentSendsShareOneToken(t *testing.T) {
	t.Parallel()
	srv := fcmtest.New(t, nil)
	tok := srv.NewDeviceToken()
	s := accountSender(t, srv, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			_, err := s.Send(t.Context(), push(tok))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, 1, srv.TokenRequests())
	require.Len(t, srv.Messages(), 16)
}

func TestServiceAccountTokenFailures(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(t0)
	srv := fcmtest.New(t, clk)
	tok := srv.NewDeviceToken()

	t.Run("untrusted key", func(t *testing.T) {
		t.Parallel()
		s, err := fcm.New(fcm.Config{BaseURL: srv.URL, CredentialsJSON: srv.UntrustedServiceAccountJSON()}, nil, clk, nil)
		require.NoError(t, err)
		_, err = s.Send(t.Context(), push(tok))
		require.Error(t, err)
		require.False(t, channel.IsPermanent(err), "credentials are the operator's problem, not the recipient's")
		var ce *channel.Error
		require.ErrorAs(t, err, &ce)
		require.Equal(t, "invalid_grant", ce.Code)
		require.ErrorContains(t, err, "Invalid JWT Signature")
	})
	t.Run("wrong audience", func(t *testing.T) {
		t.Parallel()
		s, err := fcm.New(fcm.Config{BaseURL: srv.URL, CredentialsJSON: srv.ServiceAccountJSON(), TokenURL: srv.URL + "/token?x=1"}, nil, clk, nil)
		require.NoError(t, err)
		_, err = s.Send(t.Context(), push(tok))
		require.ErrorContains(t, err, "audience")
		require.False(t, channel.IsPermanent(err))
	})
	t.Run("token endpoint down", func(t *testing.T) {
		t.Parallel()
		s, err := fcm.New(fcm.Config{BaseURL: srv.URL, CredentialsJSON: srv.ServiceAccountJSON(), TokenURL: "http://127.0.0.1:1/token"}, nil, clk, nil)
		require.NoError(t, err)
		_, err = s.Send(t.Context(), push(tok))
		require.Error(t, err)
		require.False(t, channel.IsPermanent(err))
	})
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	srv := fcmtest.New(t, nil)
	key := srv.ServiceAccountJSON()
	tests := []struct {
		name string
		cfg  fcm.Config
		ok   bool
	}{
		{name: "static", cfg: fcm.Config{ProjectID: "p", AccessToken: "t"}, ok: true},
		{name: "credentials give project", cfg: fcm.Config{CredentialsJSON: key}, ok: true},
		{name: "neither", cfg: fcm.Config{ProjectID: "p"}},
		{name: "both", cfg: fcm.Config{ProjectID: "p", AccessToken: "t", CredentialsJSON: key}},
		{name: "no project", cfg: fcm.Config{AccessToken: "t"}},
		{name: "project with slash", cfg: fcm.Config{ProjectID: "p/../x", AccessToken: "t"}},
		{name: "bad base", cfg: fcm.Config{ProjectID: "p", AccessToken: "t", BaseURL: "fcm.googleapis.com"}},
		{name: "bad token url", cfg: fcm.Config{CredentialsJSON: key, TokenURL: "ftp://x"}},
		{name: "not json", cfg: fcm.Config{ProjectID: "p", CredentialsJSON: "{"}},
		{name: "not a service account", cfg: fcm.Config{ProjectID: "p", CredentialsJSON: `{"type":"authorized_user"}`}},
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
	for _, tc := range []struct {
		name string
		new  func(testing.TB, *fcmtest.Server, clock.Clock) *fcm.Sender
	}{{"static", staticSender}, {"service_account", accountSender}} {
		b.Run(tc.name, func(b *testing.B) {
			srv := fcmtest.New(b, nil)
			s := tc.new(b, srv, nil)
			m := push(srv.NewDeviceToken())
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Send(ctx, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestSendCollapseRepeats(t *testing.T) {
	t.Parallel()
	srv := fcmtest.New(t, nil)
	tok := srv.NewDeviceToken()
	plain := staticSender(t, srv, nil)
	collapsing, err := fcm.New(fcm.Config{BaseURL: srv.URL, ProjectID: srv.ProjectID, AccessToken: srv.AccessToken(), CollapseRepeats: true}, nil, nil, nil)
	require.NoError(t, err)

	m := push(tok)
	_, err = plain.Send(t.Context(), m)
	require.NoError(t, err)
	for range 2 { // the original and its resend after a crash
		_, err = collapsing.Send(t.Context(), m)
		require.NoError(t, err)
	}
	other := push(tok)
	other.Key = "j1:1:i1:n1:1"
	_, err = collapsing.Send(t.Context(), other)
	require.NoError(t, err)
	dataOnly := channel.Message{Key: m.Key, To: tok, Data: map[string]string{"a": "b"}}
	_, err = collapsing.Send(t.Context(), dataOnly)
	require.NoError(t, err)

	got := srv.Messages()
	require.Len(t, got, 5)
	require.Nil(t, got[0].Android, "off by default")
	require.Nil(t, got[4].APNS, "data-only messages have no notification to collapse")
	type platform struct {
		Android struct {
			Notification struct{ Tag string } `json:"notification"`
		}
		APNS struct {
			Headers map[string]string `json:"headers"`
		}
		Webpush struct {
			Notification struct{ Tag string } `json:"notification"`
		}
	}
	tags := make([]string, 0, 3)
	for _, g := range got[1:4] {
		var p platform
		require.NoError(t, json.Unmarshal(g.Android, &p.Android))
		require.NoError(t, json.Unmarshal(g.APNS, &p.APNS))
		require.NoError(t, json.Unmarshal(g.Webpush, &p.Webpush))
		tag := p.Android.Notification.Tag
		require.Regexp(t, `^cairn-[0-9a-f]{32}$`, tag)
		require.Equal(t, tag, p.APNS.Headers["apns-collapse-id"])
		require.Equal(t, tag, p.Webpush.Notification.Tag)
		tags = append(tags, tag)
	}
	require.Equal(t, tags[0], tags[1], "a resend carries the same tag")
	require.NotEqual(t, tags[0], tags[2], "another attempt gets another tag")
}
