package delivery

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

func TestOutcomeEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		edit      func(*store.Send, *journey.SendPayload)
		traits    map[string]any // beyond the email
		fail      error          // the adapter's answer
		wantName  string
		wantProps map[string]any // beyond the common ones
		wantNot   []string       // properties that must be absent
	}{
		{name: "sent", wantName: journey.EventMessageSent,
			edit: func(_ *store.Send, p *journey.SendPayload) {
				p.Paths = map[string]string{"split_1": "a"}
			},
			wantProps: map[string]any{"provider_id": "fake-1", "paths": map[string]any{"split_1": "a"}},
			wantNot:   []string{"reason", "would_have_sent", "holdout", "transactional", "lifecycle_stage"}},
		{name: "sent, stamped with the lifecycle stage", wantName: journey.EventMessageSent,
			traits:    map[string]any{"lifecycle_stage": "retention"},
			wantProps: map[string]any{"lifecycle_stage": "retention"}},
		{name: "skipped, stamped with the lifecycle stage", wantName: journey.EventMessageSkipped,
			edit:      func(_ *store.Send, p *journey.SendPayload) { p.Group = "gone" },
			traits:    map[string]any{"lifecycle_stage": "purchase"},
			wantProps: map[string]any{"reason": SkipConsent, "lifecycle_stage": "purchase"}},
		{name: "transactional sent", wantName: journey.EventMessageSent,
			edit:      func(s *store.Send, _ *journey.SendPayload) { s.TemplateID = "receipt" },
			wantProps: map[string]any{"transactional": true, "template": "receipt"}, wantNot: []string{"reason"}},
		{name: "skipped by the holdout", wantName: journey.EventMessageSkipped,
			edit:      func(_ *store.Send, p *journey.SendPayload) { p.Holdout = true },
			wantProps: map[string]any{"reason": SkipHoldout, "would_have_sent": true, "holdout": true}, wantNot: []string{"provider_id"}},
		{name: "skipped for consent", wantName: journey.EventMessageSkipped,
			edit:      func(_ *store.Send, p *journey.SendPayload) { p.Group = "gone" },
			wantProps: map[string]any{"reason": SkipConsent}, wantNot: []string{"would_have_sent", "provider_id"}},
		{name: "failed permanently", wantName: journey.EventMessageFailed,
			fail:      channel.Permanent("550", errors.New("mailbox unavailable")),
			wantProps: map[string]any{"reason": "provider_rejected: permanent failure (550): mailbox unavailable"}},
		{name: "failed to render", wantName: journey.EventMessageFailed,
			edit:    func(s *store.Send, _ *journey.SendPayload) { s.TemplateID = "strict" },
			wantNot: []string{"provider_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			mail := e.fake("email", channel.Email)
			if tt.fail != nil {
				mail.failNext(tt.fail)
			}
			traits := map[string]any{"email": "ada@example.com"}
			for k, v := range tt.traits {
				traits[k] = v
			}
			e.profile("p1", traits)
			s := e.queue("k1", "p1", func(s *store.Send, p *journey.SendPayload) {
				s.JourneyID, s.Version, s.InstanceID, s.NodeID = "onboarding", 3, "inst-7", "email_2"
				if tt.edit != nil {
					tt.edit(s, p)
				}
			})
			e.clk.Advance(time.Second)
			require.Equal(t, 1, e.round())
			got := e.send("k1")

			evs, err := e.log.Read(t.Context(), 0, 100)
			require.NoError(t, err)
			require.Len(t, evs, 1, "one outcome, one event")
			require.Equal(t, testSource, evs[0].SourceID)
			require.Equal(t, "server", evs[0].Channel)
			require.True(t, e.clk.Now().Equal(evs[0].Timestamp))
			require.Equal(t, "md_"+digest("k1/"+got.Status), evs[0].MessageID, "the message id derives from key and status")

			ev := e.only("k1")
			require.Equal(t, tt.wantName, ev.Name)
			common := map[string]any{"profile_id": "p1", "send_key": "k1", "channel": "email", "template": s.TemplateID,
				"journey_id": "onboarding", "journey_version": 3.0, "instance_id": "inst-7", "node_id": "email_2"}
			for k, v := range common {
				require.Equal(t, v, ev.Props[k], k)
			}
			for k, v := range tt.wantProps {
				require.Equal(t, v, ev.Props[k], k)
			}
			for _, k := range tt.wantNot {
				require.NotContains(t, ev.Props, k)
			}
			if got.Reason != "" {
				require.Equal(t, got.Reason, ev.Props["reason"])
			}
		})
	}
}

// TestOutcomeAppendedTwiceIsDeduplicated: settling the same send the same
// way again (a crash between the ledger update and the append, then a
// retry) appends nothing new.
func TestOutcomeAppendedTwiceIsDeduplicated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.profile("p1", nil)
	s := e.queue("k1", "p1", nil)
	p := &journey.SendPayload{Retries: 3}
	ctx := t.Context()
	require.NoError(t, e.d.outcome(ctx, s, p, "", store.SendSkipped, SkipConsent, "", "", nil))
	e.clk.Advance(time.Minute) // a later retry: same message id all the same
	require.NoError(t, e.d.outcome(ctx, s, p, "", store.SendSkipped, SkipConsent, "", "", nil))
	require.Len(t, e.events(), 1)
	stats, err := e.log.Stats(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(1), stats.Duplicates)
	require.Equal(t, int64(1), stats.Stored)

	// Another status of the same send is another event.
	require.NoError(t, e.d.outcome(ctx, s, p, "", store.SendFailed, "render: x", "", "", nil))
	require.Len(t, e.events(), 2)
}

// TestNoRecorderNoEvents: without an internal source the dispatcher still
// settles sends but appends nothing.
func TestNoRecorderNoEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.cfg.InternalSource = ""
	e.d = e.dispatcher(e.st)
	e.fake("email", channel.Email)
	e.profile("p1", map[string]any{"email": "ada@example.com"})
	e.queue("k1", "p1", nil)
	require.Equal(t, 1, e.round())
	require.Equal(t, store.SendSent, e.send("k1").Status)
	require.Empty(t, e.events())
}

// TestOutcomeMetricsUseReasonCodes: the reason label is the stable code,
// not the error text (which holds addresses, URLs and provider prose and
// would make a series per message).
func TestOutcomeMetricsUseReasonCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mail := e.fake("email", channel.Email)
	mail.failNext(channel.Permanent("550", errors.New("no such user ada@example.com")),
		channel.Permanent("550", errors.New("no such user bob@example.com")))
	e.profile("p1", map[string]any{"email": "ada@example.com"})
	for _, k := range []string{"a", "b"} {
		e.queue(k, "p1", nil)
	}
	e.queue("c", "p1", func(s *store.Send, _ *journey.SendPayload) { s.TemplateID = "strict" })
	e.queue("d", "p1", nil)
	require.Equal(t, 4, e.round())
	failed := map[string]string{"channel": "email", "status": store.SendFailed}
	with := func(m map[string]string, reason string) map[string]string {
		out := map[string]string{"reason": reason}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	require.Equal(t, 2.0, e.counter("cairn_sends_total", with(failed, FailProviderRefus)))
	require.Equal(t, 1.0, e.counter("cairn_sends_total", with(failed, FailRender)))
	require.Equal(t, 1.0, e.counter("cairn_sends_total", map[string]string{"channel": "email", "status": store.SendSent, "reason": ""}))
}
