package delivery

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// msg is one send of a frequency-cap scenario.
type msg struct {
	channel string // "email" (default) or "sms"
	tx      bool
	onCap   string
	profile string // default p1
}

// queueMsg queues m as send key of its own journey.
func (e *env) queueMsg(key string, m msg) {
	e.tb.Helper()
	e.queue(key, orDefault(m.profile, "p1"), func(s *store.Send, p *journey.SendPayload) {
		s.JourneyID, s.InstanceID = "journey-"+key, "inst-"+key
		if m.channel == "sms" {
			s.Channel, s.TemplateID, p.Template = "sms", "sms_hello", "sms_hello"
		}
		p.Transactional, p.OnCap = m.tx, m.onCap
	})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func TestFrequencyCaps(t *testing.T) {
	t.Parallel()
	day := func(h, m int) time.Time { return utc(3, 10, h, m) }
	tests := []struct {
		name       string
		start      time.Time
		prior      []msg
		advance    time.Duration // after the prior sends
		candidate  msg
		wantStatus string
		wantDue    time.Time
	}{
		{name: "two marketing emails use up the local day", prior: []msg{{}, {}},
			wantStatus: store.SendSkipped},
		{name: "on_cap wait defers to the next local midnight", prior: []msg{{}, {}}, candidate: msg{onCap: "wait"},
			wantStatus: store.SendQueued, wantDue: utc(3, 11, 4, 0)}, // 00:00 EDT
		{name: "a transactional send is exempt", prior: []msg{{}, {}}, candidate: msg{tx: true},
			wantStatus: store.SendSent},
		{name: "transactional sends do not use up the cap", prior: []msg{{tx: true}, {tx: true}, {}},
			wantStatus: store.SendSent},
		{name: "sends on another channel do not count", prior: []msg{{channel: "sms"}, {channel: "sms"}, {channel: "sms"}},
			wantStatus: store.SendSent},
		{name: "the cap is on email only: sms goes out", prior: []msg{{}, {}}, candidate: msg{channel: "sms"},
			wantStatus: store.SendSent},
		{name: "another profile's sends do not count", prior: []msg{{profile: "p2"}, {profile: "p2"}},
			wantStatus: store.SendSent},
		{name: "one email leaves room for another", prior: []msg{{}}, wantStatus: store.SendSent},
		{name: "yesterday's local sends do not count", start: day(3, 30), // 23:30 EDT
			prior: []msg{{}, {}}, advance: time.Hour, // 00:30 EDT, still 04:30 on the same UTC day
			wantStatus: store.SendSent},
		{name: "the local day, not the UTC day", start: day(14, 0), // 10:00 EDT
			prior: []msg{{}, {}}, advance: 11 * time.Hour, // 01:00 UTC next day, 21:00 EDT same day
			wantStatus: store.SendSkipped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := tt.start
			if start.IsZero() {
				start = day(14, 0)
			}
			e := newEnvAt(t, start)
			mail := e.fake("email", channel.Email)
			text := e.fake("sms", channel.SMS)
			e.config("frequency_rule", "email-daily", `{"id":"email-daily","channel":"email","limit":2,"per":1,"unit":"day"}`)
			for _, p := range []string{"p1", "p2"} {
				e.profile(p, map[string]any{"email": p + "@example.com", "phone": "+15005550100", "timezone": "America/New_York"})
			}
			for i, m := range tt.prior {
				key := fmt.Sprintf("prior-%d", i)
				e.queueMsg(key, m)
				require.Equal(t, 1, e.round())
				require.Equal(t, store.SendSent, e.send(key).Status, "prior send %d", i)
				e.clk.Advance(time.Minute)
			}
			e.clk.Advance(tt.advance)
			sentBefore := len(mail.messages()) + len(text.messages())
			e.queueMsg("cand", tt.candidate)
			require.Equal(t, 1, e.round())
			got := e.send("cand")
			require.Equal(t, tt.wantStatus, got.Status, "reason %q", got.Reason)
			sent := len(mail.messages()) + len(text.messages()) - sentBefore
			switch tt.wantStatus {
			case store.SendSent:
				require.Equal(t, 1, sent)
				return
			case store.SendSkipped:
				require.Zero(t, sent)
				require.Equal(t, SkipFrequencyCap, got.Reason)
				ev := e.only("cand")
				require.Equal(t, journey.EventMessageSkipped, ev.Name)
				require.Equal(t, SkipFrequencyCap, ev.Props["reason"])
				return
			}
			require.Zero(t, sent)
			require.True(t, tt.wantDue.Equal(got.DueAt), "due %s, want %s", got.DueAt, tt.wantDue)
			require.Contains(t, got.Reason, "email-daily")
			require.Empty(t, e.eventsOf("cand"))
			e.clk.Set(tt.wantDue.Add(-time.Second))
			require.Zero(t, e.round())
			e.clk.Set(tt.wantDue)
			require.Equal(t, 1, e.round())
			require.Equal(t, store.SendSent, e.send("cand").Status)
			require.Len(t, mail.messages(), len(tt.prior)+1)
		})
	}
}

// TestFrequencyCapCountsDeferredSends: a send queued yesterday evening and
// deferred by quiet hours to this morning counts against today's cap.
func TestFrequencyCapCountsDeferredSends(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, utc(3, 10, 1, 30)) // 21:30 EDT on March 9
	mail := e.fake("email", channel.Email)
	e.config("frequency_rule", "email-daily", `{"id":"email-daily","channel":"email","limit":2,"per":1,"unit":"day"}`)
	e.profile("p1", map[string]any{"email": "ada@example.com", "timezone": "America/New_York"})
	e.queue("evening", "p1", func(_ *store.Send, p *journey.SendPayload) {
		p.QuietHours = &journey.QuietHours{Start: "21:00", End: "08:00"}
	})
	require.Equal(t, 1, e.round())
	require.Equal(t, store.SendQueued, e.send("evening").Status)

	e.clk.Set(utc(3, 10, 12, 0)) // 08:00 EDT
	require.Equal(t, 1, e.round())
	require.Equal(t, store.SendSent, e.send("evening").Status)
	e.clk.Advance(time.Hour)
	e.queueMsg("second", msg{})
	e.clk.Advance(time.Hour)
	e.queueMsg("third", msg{})
	require.Equal(t, 2, e.round())
	require.Equal(t, store.SendSent, e.send("second").Status)
	third := e.send("third")
	require.Equal(t, store.SendSkipped, third.Status)
	require.Equal(t, SkipFrequencyCap, third.Reason)
	require.Len(t, mail.messages(), 2)
}

// TestFrequencyCapCountsUnknownSends: an email in flight at a crash
// (unknown) most likely went out, so it uses up the cap.
func TestFrequencyCapCountsUnknownSends(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, utc(3, 10, 14, 0))
	mail := e.fake("email", channel.Email)
	e.config("frequency_rule", "email-daily", `{"id":"email-daily","channel":"email","limit":2,"per":1,"unit":"day"}`)
	e.profile("p1", map[string]any{"email": "ada@example.com", "timezone": "America/New_York"})
	e.queueMsg("a", msg{})
	require.Equal(t, 1, e.round())
	now := e.clk.Now()
	require.NoError(t, e.st.UpdateSend(t.Context(), store.SendUpdate{Key: "a", Status: store.SendUnknown, SentAt: &now, At: now}))
	e.clk.Advance(time.Minute)
	e.queueMsg("b", msg{})
	require.Equal(t, 1, e.round())
	require.Equal(t, store.SendSent, e.send("b").Status)
	e.clk.Advance(time.Minute)
	e.queueMsg("c", msg{})
	require.Equal(t, 1, e.round())
	require.Equal(t, SkipFrequencyCap, e.send("c").Reason)
	require.Len(t, mail.messages(), 2)
}
