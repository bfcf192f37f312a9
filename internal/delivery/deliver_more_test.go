package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/email"
	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
	"github.com/cairn-cdp/cairn/internal/channel/fcm"
	"github.com/cairn-cdp/cairn/internal/channel/fcm/fcmtest"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

// A wrong SMTP password is the channel's fault, not the message's: the send
// is held (never failed), the alert metric counts it, and it goes out once
// the configuration is fixed.
func TestConfigErrorHoldsTheSend(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := emailtest.Start(t, emailtest.RequireAuth("nto", "right"))
	build := func(password string) channel.Sender {
		s, err := email.New(email.Config{Host: srv.Host(), Port: srv.Port(), TLS: email.TLSNone, Username: "nto", Password: password,
			From: "hello@nto.example"}, nil, email.WithClock(e.clk))
		require.NoError(t, err)
		return s
	}
	e.channel("email", channel.Email, build("wrong"))
	e.profile("p1", map[string]any{"email": "ann@example.com", "first_name": "Ann"})
	e.queue("k1", "p1", nil)
	for range 5 { // well past the retry budget
		e.round()
		sd := e.send("k1")
		require.Equal(t, store.SendQueued, sd.Status)
		require.Contains(t, sd.Reason, "held:")
		e.clk.Set(sd.DueAt)
	}
	require.Empty(t, srv.Messages())
	mf, err := e.reg.Gather()
	require.NoError(t, err)
	found := false
	for _, f := range mf {
		if f.GetName() == "cairn_channel_config_errors_total" {
			found = f.GetMetric()[0].GetCounter().GetValue() >= 5
		}
	}
	require.True(t, found, "the channel-error metric counts every held attempt")

	e.channel("email", channel.Email, build("right"))
	e.round()
	require.Equal(t, store.SendSent, e.send("k1").Status)
	require.Len(t, srv.Messages(), 1)
}

func TestFrequencyRulesByTag(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.fake("email", channel.Email)
	e.template(`{"id":"promo","name":"Promo","channel":"email","tags":["promo"],"subject":"Sale","text":"Sale on"}`)
	e.config("frequency_rule", "promo-1-per-day", `{"id":"promo-1-per-day","tag":"promo","limit":1,"per":1,"unit":"day"}`)
	e.profile("p1", map[string]any{"email": "ann@example.com", "first_name": "Ann"})
	promo := func(s *store.Send, p *journey.SendPayload) { s.TemplateID, p.Template = "promo", "promo" }
	e.queue("a", "p1", promo)
	e.round()
	e.queue("b", "p1", nil) // untagged: the promo rule does not apply
	e.round()
	e.queue("c", "p1", promo)
	e.round()
	require.Equal(t, store.SendSent, e.send("a").Status)
	require.Equal(t, store.SendSent, e.send("b").Status)
	c := e.send("c")
	require.Equal(t, store.SendSkipped, c.Status)
	require.Equal(t, SkipFrequencyCap, c.Reason)
	require.Len(t, f.messages(), 2)
}

func TestInAppAndTaskContentIsKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.template(`{"id":"banner","name":"Banner","channel":"inapp","title":"Hi {{ profile.first_name }}","body":"20% off"}`)
	e.template(`{"id":"call","name":"Call","channel":"task","body":"Call {{ profile.first_name }}"}`)
	e.channel("inapp", channel.InApp, &fakeSender{})
	e.channel("task", channel.Task, &fakeSender{})
	e.profile("p1", map[string]any{"first_name": "Ann"})
	e.queue("i1", "p1", func(s *store.Send, p *journey.SendPayload) {
		s.Channel, s.TemplateID, p.Template = "inapp", "banner", "banner"
	})
	e.queue("t1", "p1", func(s *store.Send, p *journey.SendPayload) {
		s.Channel, s.TemplateID, p.Template = "task", "call", "call"
	})
	e.round()
	for key, want := range map[string]string{"i1": `{"title":"Hi Ann","body":"20% off"}`, "t1": `{"body":"Call Ann"}`} {
		sd := e.send(key)
		require.Equal(t, store.SendSent, sd.Status)
		require.JSONEq(t, want, string(sd.Content), key)
	}
	require.Empty(t, e.send("i1").To, "in-app needs no address")
}

func TestWebhookResponseSavedToTraits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := &respondingSender{body: `{"score":{"value":87,"band":"high"},"ids":["x","y"]}`}
	e.channel("webhook", channel.Webhook, f)
	e.profile("p1", map[string]any{})
	e.queue("w1", "p1", func(s *store.Send, p *journey.SendPayload) {
		s.Channel, s.TemplateID, p.Template = "webhook", "hook", "hook"
		p.Save = map[string]string{"crm.score": "score.value", "crm.band": "score.band", "crm.second": "ids.1", "crm.none": "nope"}
	})
	e.round()
	var set map[string]any
	for _, ev := range e.events() {
		if ev.Name == journey.EventProfileUpdated {
			set, _ = ev.Props["set"].(map[string]any)
		}
	}
	require.Equal(t, map[string]any{"crm.score": 87.0, "crm.band": "high", "crm.second": "y"}, set)
}

type respondingSender struct{ body string }

func (r *respondingSender) Send(_ context.Context, m channel.Message) (channel.Receipt, error) {
	return channel.Receipt{ProviderID: fmt.Sprint("r-", m.Key), Status: "delivered", Response: json.RawMessage(r.body)}, nil
}

// An SMTP relay that cannot be reached holds the send instead of failing it
// after the retry budget: an outage loses no message.
func TestUnreachableRelayHoldsTheSend(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close()) // nothing listens there now
	down, err := email.New(email.Config{Host: "127.0.0.1", Port: port, TLS: email.TLSNone, From: "hello@nto.example"}, nil, email.WithClock(e.clk))
	require.NoError(t, err)
	e.channel("email", channel.Email, down)
	e.profile("p1", map[string]any{"email": "ann@example.com", "first_name": "Ann"})
	e.queue("k1", "p1", nil)
	for range 6 {
		e.round()
		sd := e.send("k1")
		require.Equal(t, store.SendQueued, sd.Status, sd.Reason)
		require.Contains(t, sd.Reason, "held:")
		require.Contains(t, sd.Reason, fmt.Sprintf("127.0.0.1:%d", port), "the error names the relay")
		e.clk.Set(sd.DueAt)
	}
	srv := emailtest.Start(t)
	up, err := email.New(email.Config{Host: srv.Host(), Port: srv.Port(), TLS: email.TLSNone, From: "hello@nto.example"}, nil, email.WithClock(e.clk))
	require.NoError(t, err)
	e.channel("email", channel.Email, up)
	e.round()
	require.Equal(t, store.SendSent, e.send("k1").Status)
	require.Len(t, srv.Messages(), 1)
}

// A push to an unregistered device fails for good and drops the token from
// the profile (a Profile Updated event the processor applies).
func TestUnregisteredPushTokenIsDropped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	peer := fcmtest.New(t, e.clk)
	snd, err := fcm.New(fcm.Config{BaseURL: peer.URL, ProjectID: peer.ProjectID, AccessToken: peer.AccessToken()}, nil, e.clk, nil)
	require.NoError(t, err)
	e.channel("push", channel.Push, snd)
	e.template(`{"id":"ping","name":"Ping","channel":"push","title":"Hi","body":"News"}`)
	tok := peer.NewDeviceToken()
	peer.Unregister(tok) // the app was uninstalled
	e.profile("p1", map[string]any{"push_token": tok, "first_name": "Ann"})
	e.queue("k1", "p1", func(s *store.Send, p *journey.SendPayload) {
		s.Channel, s.TemplateID, p.Template = "push", "ping", "ping"
	})
	e.round()
	sd := e.send("k1")
	require.Equal(t, store.SendFailed, sd.Status)
	require.Contains(t, sd.Reason, "UNREGISTERED")
	var unset []any
	for _, ev := range e.events() {
		if ev.Name == journey.EventProfileUpdated {
			unset, _ = ev.Props["unset"].([]any)
		}
	}
	require.Equal(t, []any{"push_token"}, unset)
}

// A provider's Retry-After is honoured when it asks for longer than the
// backoff would wait.
func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := e.hookChannel()
	e.profile("p1", map[string]any{"first_name": "Ann"})
	srv.FailNext(1, http.StatusTooManyRequests, 90*time.Second)
	e.queueHook("k1", "p1", 3)
	start := e.clk.Now()
	e.round()
	sd := e.send("k1")
	require.Equal(t, store.SendQueued, sd.Status)
	require.Equal(t, start.Add(90*time.Second), sd.DueAt, "the provider's 90 s, not the 2 s backoff")
	e.clk.Set(sd.DueAt)
	e.round()
	require.Equal(t, store.SendSent, e.send("k1").Status)
}
