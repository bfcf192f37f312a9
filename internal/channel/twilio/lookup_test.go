package twilio_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/twilio"
	"github.com/cairn-cdp/cairn/internal/channel/twilio/twiliotest"
	"github.com/cairn-cdp/cairn/internal/clock"
)

// TestLookupFindsMessageWhoseAnswerWasLost is the crash the reconciler
// exists for: Twilio created the message but Cairn never saw the SID.
func TestLookupFindsMessageWhoseAnswerWasLost(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(t0)
	tw := twiliotest.New(t, clk)
	s := newSender(t, config(tw), clk)
	m := sms("j1:1:i1:n1:0", "+14155550100", "Your code is 1234")

	attemptStart := clk.Now()
	tw.DropNextResponse()
	_, err := s.Send(t.Context(), m)
	require.Error(t, err)
	require.False(t, channel.IsPermanent(err), "a lost answer must be retried, after reconciling")
	require.Len(t, tw.Messages(), 1)
	sid := tw.Messages()[0].SID

	// Still in Twilio's queue: date_sent is null and the DateSent filter
	// cannot see it (the documented limit).
	_, found, err := s.Lookup(t.Context(), m, attemptStart)
	require.NoError(t, err)
	require.False(t, found)

	clk.Advance(3 * time.Second)
	require.NoError(t, tw.Deliver(t.Context(), sid, "sent", 0))
	rec, found, err := s.Lookup(t.Context(), m, attemptStart)
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, sid, rec.ProviderID)
	require.Equal(t, "sent", rec.Status)
	require.Equal(t, "twilio status sent", rec.Detail)

	require.NoError(t, tw.Deliver(t.Context(), sid, "delivered", 0))
	rec, found, err = s.Lookup(t.Context(), m, attemptStart)
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, "delivered", rec.Status)
}

func TestLookupMatching(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(t0)
	tw := twiliotest.New(t, clk)
	other := "+15005550007"
	tw.AddNumber(other)
	s := newSender(t, config(tw), clk)
	cfgOther := config(tw)
	cfgOther.From = other
	sOther := newSender(t, cfgOther, clk)

	send := func(s *twilio.Sender, to, text string) string {
		rec, err := s.Send(t.Context(), sms("k", to, text))
		require.NoError(t, err)
		require.NoError(t, tw.Deliver(t.Context(), rec.ProviderID, "delivered", 0))
		return rec.ProviderID
	}
	early := send(s, "+14155550100", "early")
	clk.Advance(time.Minute)
	since := clk.Now()
	clk.Advance(time.Second)
	hit := send(s, "+14155550100", "hello")
	send(s, "+14155550101", "other recipient")
	send(sOther, "+14155550102", "other sender")

	tests := []struct {
		name  string
		m     channel.Message
		since time.Time
		want  string
	}{
		{name: "match", m: sms("k", "+14155550100", "hello"), since: since, want: hit},
		{name: "body differs", m: sms("k", "+14155550100", "hello!"), since: since},
		{name: "recipient differs", m: sms("k", "+14155550199", "hello"), since: since},
		{name: "created before since", m: sms("k", "+14155550100", "early"), since: since},
		{name: "early one with earlier since", m: sms("k", "+14155550100", "early"), since: t0, want: early},
		{name: "since after send", m: sms("k", "+14155550100", "hello"), since: clk.Now().Add(time.Second)},
		{name: "other sender's message", m: sms("k", "+14155550102", "other sender"), since: since},
		{name: "sub-second since", m: sms("k", "+14155550100", "hello"), since: since.Add(time.Second + 500*time.Millisecond), want: hit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec, found, err := s.Lookup(t.Context(), tc.m, tc.since)
			require.NoError(t, err)
			require.Equal(t, tc.want != "", found)
			require.Equal(t, tc.want, rec.ProviderID)
		})
	}
}

func TestLookupFollowsPages(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(t0)
	tw := twiliotest.New(t, clk)
	s := newSender(t, config(tw), clk)
	var first string
	for i := range 250 {
		rec, err := s.Send(t.Context(), sms("k", "+14155550100", fmt.Sprintf("message %d", i)))
		require.NoError(t, err)
		require.NoError(t, tw.Deliver(t.Context(), rec.ProviderID, "delivered", 0))
		if i == 0 {
			first = rec.ProviderID
		}
		clk.Advance(time.Second)
	}
	before := tw.Requests()
	// Newest first: the oldest message is on the third page of 100.
	rec, found, err := s.Lookup(t.Context(), sms("k", "+14155550100", "message 0"), t0)
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, first, rec.ProviderID)
	require.Equal(t, 3, tw.Requests()-before)

	before = tw.Requests()
	_, found, err = s.Lookup(t.Context(), sms("k", "+14155550100", "never sent"), t0)
	require.NoError(t, err)
	require.False(t, found)
	require.Equal(t, 3, tw.Requests()-before)
}

func TestLookupAcrossMidnight(t *testing.T) {
	t.Parallel()
	late := time.Date(2026, 3, 1, 23, 59, 58, 0, time.UTC)
	clk := clock.NewManual(late)
	tw := twiliotest.New(t, clk)
	s := newSender(t, config(tw), clk)
	m := sms("k", "+14155550100", "night owl")
	rec, err := s.Send(t.Context(), m)
	require.NoError(t, err)
	clk.Advance(5 * time.Second) // sent the next day
	require.NoError(t, tw.Deliver(t.Context(), rec.ProviderID, "sent", 0))
	got, found, err := s.Lookup(t.Context(), m, late)
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, rec.ProviderID, got.ProviderID)
}

func TestLookupThroughMessagingService(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(t0)
	tw := twiliotest.New(t, clk)
	svc := tw.AddMessagingService()
	cfg := config(tw)
	cfg.From, cfg.MessagingServiceSID = "", svc
	s := newSender(t, cfg, clk)
	m := sms("k", "+14155550100", "via service")
	rec, err := s.Send(t.Context(), m)
	require.NoError(t, err)
	require.NoError(t, tw.Deliver(t.Context(), rec.ProviderID, "sent", 0))
	got, found, err := s.Lookup(t.Context(), m, t0)
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, rec.ProviderID, got.ProviderID)
}

func TestLookupErrors(t *testing.T) {
	t.Parallel()
	tw := twiliotest.New(t, nil)
	cfg := config(tw)
	cfg.AuthToken = "wrong"
	_, found, err := newSender(t, cfg, nil).Lookup(t.Context(), sms("k", "+14155550100", "x"), t0)
	require.Error(t, err)
	require.False(t, found)
	require.True(t, channel.IsPermanent(err))

	tw.FailNext(1, http.StatusServiceUnavailable)
	_, _, err = newSender(t, config(tw), nil).Lookup(t.Context(), sms("k", "+14155550100", "x"), t0)
	require.Error(t, err)
	require.False(t, channel.IsPermanent(err))

	_, _, err = newSender(t, config(tw), nil).Lookup(t.Context(), sms("k", "", "x"), t0)
	require.Error(t, err)
}

// TestLookupRefusesForeignNextPage: credentials must not follow a
// next_page_uri to another host.
func TestLookupRefusesForeignNextPage(t *testing.T) {
	t.Parallel()
	account := "AC" + strings.Repeat("1", 32)
	for _, next := range []string{
		"https://evil.example/2010-04-01/Accounts/" + account + "/Messages.json?PageToken=PA1",
		"//evil.example/2010-04-01/Accounts/" + account + "/Messages.json",
		"/2010-04-01/Accounts/AC" + strings.Repeat("2", 32) + "/Messages.json",
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"messages":[],"next_page_uri":%q}`, next)
		}))
		s := newSender(t, twilio.Config{BaseURL: srv.URL, AccountSID: account, AuthToken: "t", From: "+15005550006"}, nil)
		_, found, err := s.Lookup(t.Context(), sms("k", "+14155550100", "x"), t0)
		srv.Close()
		require.ErrorContains(t, err, "unexpected next_page_uri")
		require.False(t, found)
	}
}
