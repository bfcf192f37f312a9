package delivery

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/twilio"
	"github.com/cairn-cdp/cairn/internal/channel/twilio/twiliotest"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// crashingStore loses every update to status lose, as a process killed
// after the provider call and before recording its outcome.
type crashingStore struct {
	Store
	lose string
}

var errCrash = errors.New("crash: the process was killed")

func (c crashingStore) UpdateSend(ctx context.Context, u store.SendUpdate) error {
	if u.Status == c.lose {
		return errCrash
	}
	return c.Store.UpdateSend(ctx, u)
}

// crash delivers send key with a dispatcher that dies before recording the
// outcome, then "restarts": a new dispatcher over the real store.
func (e *env) crash(key string) {
	e.tb.Helper()
	d := e.dispatcher(crashingStore{Store: e.st, lose: store.SendSent})
	_, err := d.Round(e.tb.Context())
	require.ErrorIs(e.tb, err, errCrash)
	require.Equal(e.tb, store.SendAttempting, e.send(key).Status)
	e.d = e.dispatcher(e.st)
}

// smsChannel registers channel "sms" as the real Twilio adapter against a
// new twiliotest server.
func (e *env) smsChannel() *twiliotest.Server {
	e.tb.Helper()
	tw := twiliotest.New(e.tb, e.clk)
	s, err := twilio.New(twilio.Config{BaseURL: tw.URL, AccountSID: tw.AccountSID, AuthToken: tw.AuthToken, From: twiliotest.DefaultFrom}, nil, e.clk, nil)
	require.NoError(e.tb, err)
	e.channel("sms", channel.SMS, s)
	return tw
}

func (e *env) queueSMS(key, profileID string) {
	e.tb.Helper()
	e.queue(key, profileID, func(s *store.Send, p *journey.SendPayload) {
		s.Channel, s.TemplateID, s.NodeID = "sms", "sms_hello", "sms_1"
		p.Template = "sms_hello"
	})
}

func (e *env) ambiguous(ch, resolution string) float64 {
	e.tb.Helper()
	return e.counter("cairn_sends_ambiguous_total", map[string]string{"channel": ch, "resolution": resolution})
}

// TestRecoverWebhookResendsWithSameKey: the receiver got the request, the
// crash lost the answer; the resend carries the same Idempotency-Key and
// the receiver answers it as a duplicate.
func TestRecoverWebhookResendsWithSameKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := e.hookChannel()
	e.profile("p1", nil)
	e.queueHook("k1", "p1", 3)
	e.crash("k1")
	require.Len(t, srv.Received(), 1)
	require.Empty(t, e.eventsOf("k1"))

	e.clk.Advance(time.Minute)
	require.NoError(t, e.d.Recover(t.Context()))
	got := e.send("k1")
	require.Equal(t, store.SendQueued, got.Status)
	require.Contains(t, got.Reason, "same key")
	require.Equal(t, 1.0, e.ambiguous("webhook", "resent"))

	require.Equal(t, 1, e.round())
	got = e.send("k1")
	require.Equal(t, store.SendSent, got.Status)
	require.Equal(t, 2, got.Attempts)
	require.Len(t, srv.Received(), 1, "the receiver saw one first delivery")
	dups := srv.Duplicates()
	require.Len(t, dups, 1)
	require.Equal(t, "k1", dups[0].Key)
	require.Equal(t, srv.Received()[0].Key, dups[0].Key)
	require.Equal(t, srv.Received()[0].Body, dups[0].Body, "the resend is the same request")
	require.Equal(t, journey.EventMessageSent, e.only("k1").Name)
}

// TestRecoverEmailIsNeverResent: SMTP has no idempotency, so an email in
// flight at a crash is marked unknown and reported as an unconfirmed send.
func TestRecoverEmailIsNeverResent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := e.smtpChannel()
	e.profile("p1", map[string]any{"email": "ada@example.com"})
	e.queue("k1", "p1", nil)
	e.crash("k1")
	require.Len(t, srv.Messages(), 1)

	e.clk.Advance(time.Minute)
	require.NoError(t, e.d.Recover(t.Context()))
	got := e.send("k1")
	require.Equal(t, store.SendUnknown, got.Status)
	require.NotNil(t, got.SentAt)
	require.True(t, e.clk.Now().Equal(*got.SentAt))
	require.Equal(t, 1.0, e.ambiguous("email", "unknown"))
	ev := e.only("k1")
	require.Equal(t, journey.EventMessageSent, ev.Name, "the journey moves on")
	require.Equal(t, true, ev.Props["unconfirmed"])
	require.Equal(t, "ada@example.com", got.To)

	require.Zero(t, e.round(), "nothing is queued again")
	require.NoError(t, e.d.Recover(t.Context()), "a second recovery finds nothing")
	require.Len(t, srv.Messages(), 1, "never resent")
	require.Len(t, e.eventsOf("k1"), 1)
}

func TestRecoverSMSReconciles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		sent       bool // Twilio accepted the message before the crash
		left       bool // Twilio's queue released it (date_sent set)
		failLookup bool // Twilio cannot be asked
		wantStatus string
		wantMsgs   int
		resolution string
	}{
		{name: "found at Twilio: sent with its sid", sent: true, left: true,
			wantStatus: store.SendSent, wantMsgs: 1, resolution: "reconciled"},
		{name: "not found at Twilio: sent again", wantStatus: store.SendSent, wantMsgs: 1, resolution: "reconciled"},
		{name: "Twilio cannot be asked: unknown, not resent", sent: true, left: true, failLookup: true,
			wantStatus: store.SendUnknown, wantMsgs: 1, resolution: "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			tw := e.smsChannel()
			e.profile("p1", map[string]any{"phone": "+14155550100", "first_name": "Ada"})
			e.queueSMS("k1", "p1")
			if tt.sent {
				e.crash("k1")
			} else {
				// Killed after recording attempting, before the provider call.
				now := e.clk.Now()
				require.NoError(t, e.st.UpdateSend(t.Context(), store.SendUpdate{Key: "k1", Status: store.SendAttempting,
					To: "+14155550100", Attempts: 1, At: now}))
			}
			var sid string
			if tt.left {
				msgs := tw.Messages()
				require.Len(t, msgs, 1)
				sid = msgs[0].SID
				e.clk.Advance(5 * time.Second)
				require.NoError(t, tw.Deliver(t.Context(), sid, "delivered", 0))
			}
			if tt.failLookup {
				tw.FailNext(1, 500)
			}
			e.clk.Advance(time.Minute)
			require.NoError(t, e.d.Recover(t.Context()))
			require.Equal(t, 1.0, e.ambiguous("sms", tt.resolution))
			e.round()

			got := e.send("k1")
			require.Equal(t, tt.wantStatus, got.Status, got.Reason)
			msgs := tw.Messages()
			require.Len(t, msgs, tt.wantMsgs)
			require.Equal(t, "Hi Ada, 20% off today", msgs[0].Body)
			ev := e.only("k1")
			require.Equal(t, journey.EventMessageSent, ev.Name)
			if tt.wantStatus == store.SendUnknown {
				require.Equal(t, true, ev.Props["unconfirmed"])
				return
			}
			require.Equal(t, msgs[0].SID, got.ProviderID)
			require.Equal(t, msgs[0].SID, ev.Props["provider_id"])
			if sid != "" {
				require.Equal(t, "reconciled after a crash", got.Reason)
			}
		})
	}
}

// TestRecoverOtherChannels: in-app is resent; a channel whose adapter is
// gone cannot be asked and is marked unknown.
func TestRecoverOtherChannels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		channel    string
		kind       channel.Kind
		register   bool
		wantStatus string
		resolution string
	}{
		{name: "in-app is resent under the same key", channel: "inapp", kind: channel.InApp, register: true,
			wantStatus: store.SendQueued, resolution: "resent"},
		{name: "push cannot be asked", channel: "push", kind: channel.Push, register: true,
			wantStatus: store.SendUnknown, resolution: "unknown"},
		{name: "a removed channel", channel: "gone", wantStatus: store.SendUnknown, resolution: "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			if tt.register {
				e.fake(tt.channel, tt.kind)
			}
			e.profile("p1", nil)
			e.queue("k1", "p1", func(s *store.Send, _ *journey.SendPayload) { s.Channel = tt.channel })
			require.NoError(t, e.st.UpdateSend(t.Context(), store.SendUpdate{Key: "k1", Status: store.SendAttempting, Attempts: 1, At: e.clk.Now()}))
			require.NoError(t, e.d.Recover(t.Context()))
			require.Equal(t, tt.wantStatus, e.send("k1").Status)
			require.Equal(t, 1.0, e.ambiguous(tt.channel, tt.resolution))
		})
	}
}

// TestRecoverPages: more attempting sends than a page are all resolved.
func TestRecoverPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.cfg.Page = 2
	e.d = e.dispatcher(e.st)
	e.fake("email", channel.Email)
	e.profile("p1", map[string]any{"email": "ada@example.com"})
	keys := []string{"a", "b", "c", "d", "e"}
	for _, k := range keys {
		e.queue(k, "p1", nil)
		require.NoError(t, e.st.UpdateSend(t.Context(), store.SendUpdate{Key: k, Status: store.SendAttempting, Attempts: 1, At: e.clk.Now()}))
	}
	require.NoError(t, e.d.Recover(t.Context()))
	for _, k := range keys {
		require.Equal(t, store.SendUnknown, e.send(k).Status, k)
	}
	require.Equal(t, 5.0, e.ambiguous("email", "unknown"))
}
